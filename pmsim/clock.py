"""The simulator's clock: time moves only when you say so."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pmsim.domain.times import iso

#: Where every simulator's clock starts unless told otherwise: 2024-01-01T00:00:00Z.
DEFAULT_START = 1_704_067_200
#: Stripe's timestamps are Unix seconds; pmsim keeps them between 1970 and the end of 9999.
LATEST = 253_402_300_799


def _in_range(timestamp: int) -> int:
    if not 0 <= timestamp <= LATEST:
        raise ValueError(
            f"simulated time must stay between 1970-01-01 and 9999-12-31 (Unix 0..{LATEST}); "
            f"got {timestamp}"
        )
    return timestamp


StartTime = datetime | int | str


def to_timestamp(value: StartTime) -> int:
    """Turn a datetime, a Unix timestamp or an ISO 8601 string into Unix seconds.

    >>> to_timestamp("2024-01-01T00:00:00Z")
    1704067200
    >>> to_timestamp(datetime(2024, 1, 1, tzinfo=UTC))
    1704067200
    """
    if isinstance(value, bool):
        raise TypeError(
            f"start_time must be a datetime, Unix seconds or ISO 8601 text, got {value!r}"
        )
    if isinstance(value, int):
        return _in_range(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(
                f"start_time {value.isoformat()} has no time zone; "
                "pass an aware datetime such as datetime(2024, 1, 1, tzinfo=UTC)"
            )
        return _in_range(int(value.timestamp()))
    raise TypeError(f"start_time must be a datetime, Unix seconds or ISO 8601 text, got {value!r}")


class ManualClock:
    """A clock that stands still until advanced, so every timestamp is reproducible.

    >>> clock = ManualClock("2024-01-01T00:00:00Z")
    >>> clock.advance(days=1)
    1704153600
    >>> clock.isoformat()
    '2024-01-02T00:00:00Z'

    ``after_advance``, if given, is called after each :meth:`advance` (a simulator makes the
    changes that have fallen due then: a pending refund settling, an authorization expiring).
    """

    __slots__ = ("_after_advance", "_lock", "_now")

    def __init__(
        self,
        start: StartTime = DEFAULT_START,
        *,
        after_advance: Callable[[], None] | None = None,
    ) -> None:
        self._now = to_timestamp(start)
        self._lock = threading.Lock()  # two threads advancing at once both count
        self._after_advance = after_advance

    def now(self) -> int:
        """The current simulated time, in Unix seconds (Stripe's `created` unit)."""
        return self._now

    def restore(self, timestamp: int) -> None:
        """Put the clock back at ``timestamp``: only restoring a snapshot moves time backwards.

        >>> clock = ManualClock(100)
        >>> clock.restore(50)
        >>> clock.now()
        50
        """
        with self._lock:
            self._now = _in_range(timestamp)

    def advance(
        self,
        delta: timedelta | None = None,
        *,
        days: float = 0,
        hours: float = 0,
        minutes: float = 0,
        seconds: float = 0,
    ) -> int:
        """Move time forward and return the new time. Time never goes backwards."""
        step = (delta or timedelta()) + timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        if step < timedelta():
            raise ValueError(f"the clock only moves forward; got a step of {step}")
        now = self._move(int(step.total_seconds()))
        if self._after_advance is not None:
            self._after_advance()
        return now

    def _move(self, seconds: int) -> int:
        """Move time forward by ``seconds`` without calling ``after_advance``: for the
        simulator's kernel only, which makes what falls due itself, in its own order (a test
        clock's advance does). Private so that no user moves time and leaves changes waiting."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward; got a step of {seconds} seconds")
        with self._lock:
            self._now = _in_range(self._now + seconds)
            return self._now

    def datetime(self) -> datetime:
        """The current simulated time as an aware UTC datetime."""
        return datetime.fromtimestamp(self._now, tz=UTC)

    def isoformat(self) -> str:
        """The current simulated time as ISO 8601 text ending in ``Z``."""
        return iso(self._now)

    def __repr__(self) -> str:
        return f"ManualClock({self.isoformat()!r})"
