"""What the API layer remembers per simulator: request ids and idempotent responses.

It lives on the simulator as its ``"api"`` extension (``sim.extension``; the engine never
looks inside it), so each simulator, and in the server each API key, has its own, and
snapshots and forks keep a copy.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from attrs import define, evolve, field, frozen

from pmsim.api.wire import ApiResponse
from pmsim.engine import Simulator
from pmsim.ids import IdFactory

#: Stripe may prune keys after 24 hours; pmsim forgets them then, by the simulated clock
#: (and, in the server, by the wall clock too: a server's simulated clock may never move).
IDEMPOTENCY_TTL = 24 * 60 * 60
#: The most responses one simulator keeps for idempotency keys (about 1.5 kB each, so about
#: 15 MB); past it the oldest is forgotten first, as if it had expired.
MAX_SAVED = 10_000


@frozen
class Saved:
    """The first response to an idempotency key, with what it was sent to and when.

    The body is kept as JSON text only: saved responses pile up for a simulated day, and
    text costs the garbage collector nothing, where nested dicts cost it on every pass.
    """

    path: str
    params: Any
    status: int
    headers: Mapping[str, str]
    text: str
    time: int
    wall: float | None = None  # the wall clock's reading when saved, where one is kept

    def replay(self, request_id: str) -> ApiResponse:
        """The saved response again, marked as replayed, under this request's id."""
        headers = {**self.headers, "idempotent-replayed": "true", "request-id": request_id}
        return ApiResponse(self.status, headers, json.loads(self.text), self.text)


@define
class ApiState:
    """Request ids and idempotent responses; ``wall_clock`` (the server's) also expires them
    by real time, and ``cap`` bounds how many are kept."""

    request_ids: IdFactory
    idempotent: dict[str, Saved] = field(factory=dict)
    wall_clock: Callable[[], float] | None = None
    cap: int = MAX_SAVED

    def copy(self) -> ApiState:
        """An independent copy, for snapshots and forks (saved responses are frozen)."""
        request_ids = IdFactory(self.request_ids.seed)
        request_ids.restore(self.request_ids.checkpoint())
        return ApiState(request_ids, dict(self.idempotent), self.wall_clock, self.cap)

    def _expired(self, saved: Saved, now: int, wall: float | None) -> bool:
        if now - saved.time >= IDEMPOTENCY_TTL:
            return True
        return wall is not None and saved.wall is not None and wall - saved.wall >= IDEMPOTENCY_TTL

    def lookup(self, key: str, now: int) -> Saved | None:
        """The saved response for ``key``, unless it is over 24 hours old."""
        saved = self.idempotent.get(key)
        wall = self.wall_clock() if self.wall_clock is not None else None
        if saved is not None and self._expired(saved, now, wall):
            del self.idempotent[key]
            return None
        return saved

    def save(self, key: str, saved: Saved) -> None:
        """Save, and forget the oldest responses that have expired or are past the cap (they
        are saved in order, so the oldest are first)."""
        wall = self.wall_clock() if self.wall_clock is not None else None
        self.idempotent[key] = evolve(saved, wall=wall) if wall is not None else saved
        kept = self.idempotent
        while len(kept) > self.cap or self._expired(next(iter(kept.values())), saved.time, wall):
            del kept[next(iter(kept))]
            if not kept:
                return


def state_of(sim: Simulator, wall_clock: Callable[[], float] | None = None) -> ApiState:
    """The simulator's API state, made on first use; the server passes ``wall_clock`` (when
    it makes a key's simulator) so that saved responses expire by real time too.

    >>> import time
    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> state_of(sim, wall_clock=time.monotonic).wall_clock is time.monotonic
    True
    """
    return sim.extension("api", lambda: ApiState(IdFactory(sim.seed), wall_clock=wall_clock))
