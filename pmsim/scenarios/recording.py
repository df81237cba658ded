"""Recording: what you do to a simulator, written out as a scenario that replays identically.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=3)
>>> with pmsim.record(sim) as recording:
...     ada = sim.customers.create(email="ada@example.com")
...     _ = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
>>> for line in recording.to_yaml(name="Ada saves a card").splitlines()[6:10]:
...     print(line)
  # 1. customer cus_OVCl7KYG7fDdCM
  - customers.create: {email: ada@example.com}
    as: customer_1
    expect_events: [customer.created]
>>> replayed = pmsim.replay(pmsim.scenarios.loads(recording.to_yaml(name="Ada saves a card")))
>>> replayed.to_jsonl() == recording.transcript(name="Ada saves a card").to_jsonl()
True

Calls are recorded while the ``with`` block runs, from the Python API (and so from anything
built on it); each is written with its parameters, the events it emitted and, for a call that
failed, the error it must fail with again. Results that later calls refer to get names, so the
file reads ``customer: ${customer_1}`` rather than an id. A simulator on an older Stripe API
version than the newest (``pmsim.Simulator(api_version="2024-06-20")``) is written with that
``api_version`` in the header, so the file replays as it; calls made inside ``sim.with_version``
or with another ``Stripe-Version`` are written without theirs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from pmsim.domain.errors import PmsimUsageError, StripeError
from pmsim.domain.versions import NEWEST
from pmsim.engine import NAMESPACES, Simulator
from pmsim.scenarios import model
from pmsim.scenarios.calls import CRASH, Call
from pmsim.scenarios.replay import clock_result, hint_with_step
from pmsim.scenarios.transcript import Check, StepRecord, Transcript, shown
from pmsim.scenarios.verbs import VERBS
from pmsim.scenarios.writer import Written, write_yaml


class Recording:
    """The calls made to a simulator while recording; ``record(sim)`` makes one."""

    def __init__(self, sim: Simulator) -> None:
        held = sim.snapshot()
        if sim.event_count or held.payment_methods or held.customers:
            raise PmsimUsageError(
                "record a fresh simulator: a scenario replays from an empty one, so calls made "
                "before recording started could not be replayed. Make a new pmsim.Simulator()."
            )
        self.sim = sim
        self.seed = sim.seed
        self.start_time = sim.clock.now()
        self.api_version = sim.api_version
        self.calls: list[Call] = []
        self._saved: dict[str, Any] = {}
        self._depth = threading.local()
        self._allow_restore: Callable[[], None] = lambda: None

    # --- the recording window ------------------------------------------------------------

    def __enter__(self) -> Recording:
        self._allow_restore = self.sim.refuse_restore(
            "sim.restore() while pmsim.record() records: a scenario cannot rewind, so the "
            "recording would not replay. Restore before or after the recording, or fork "
            "(sim.fork()) and record the fork."
        )
        for namespace in (*NAMESPACES, "clock"):
            real = getattr(self.sim, namespace)
            self._saved[namespace] = real
            setattr(self.sim, namespace, _Recorded(self, namespace, real))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        for namespace, real in self._saved.items():
            setattr(self.sim, namespace, real)
        self._saved.clear()
        self._allow_restore()

    def _call(self, op: str, method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        depth = getattr(self._depth, "value", 0)
        if depth:  # a call made by a recorded call: replaying the outer one makes it again
            return method(*args, **kwargs)
        self._depth.value = 1
        mark = self.sim.event_count
        params = _params(op, args, dict(kwargs))
        try:
            found = method(*args, **kwargs)
        except StripeError as err:
            error = {**shown(err, self.api_version)["error"], "http_status": err.http_status}
            hint = None if err.hint is None else (err.hint, err.hint_event)
            self._add(op, params, None, error, mark, hint)
            raise
        except PmsimUsageError as err:  # as replay reports it
            self._add(op, params, None, {"type": "pmsim_usage_error", "message": str(err)}, mark)
            raise
        except Exception as err:  # a bug: written with no expectation, so replay shows it
            self._add(op, params, None, {"type": CRASH, "message": repr(err)}, mark)
            raise
        finally:
            self._depth.value = 0
        result = clock_result(self.sim) if op == "clock.advance" else shown(found, self.api_version)
        self._add(op, params, result, None, mark)
        return found

    def _add(
        self,
        op: str,
        params: Any,
        result: Any,
        error: Any,
        mark: int,
        hint: tuple[str, str | None] | None = None,
    ) -> None:
        events = tuple(event.to_dict() for event in self.sim.events_since(mark))
        self.calls.append(Call(op, params, result, error, events, hint))

    # --- what it gives --------------------------------------------------------------------

    def _written(self, name: str, description: str) -> Written:
        named = None if self.api_version == NEWEST else self.api_version.name
        return write_yaml(self.calls, self.seed, self.start_time, name, description, named)

    def to_yaml(self, name: str = "Recorded session", description: str = "") -> str:
        """The recorded calls as a scenario file, a comment on each step saying what happened."""
        return self._written(name, description).text

    def write(
        self, path: str | Path, name: str = "Recorded session", description: str = ""
    ) -> Path:
        """Write the scenario file; returns its path."""
        path = Path(path)
        path.write_text(self.to_yaml(name, description), encoding="utf-8")
        return path

    def transcript(self, name: str = "Recorded session", description: str = "") -> Transcript:
        """What happened while recording, as the transcript replaying ``to_yaml()`` gives."""
        written = self._written(name, description)
        steps: list[StepRecord] = []
        steps_by_event: dict[str, StepRecord] = {}
        for number, (call, line, as_name) in enumerate(
            zip(self.calls, written.lines, written.names, strict=True), start=1
        ):
            checks = (
                [Check("succeeds", True)] if call.error is None else [Check("expect_error", True)]
            )
            checks.append(Check("expect_events", True))
            error = call.error
            if error is not None and call.hint is not None:
                error = {**error, "hint": hint_with_step(*call.hint, steps_by_event)}
            step = StepRecord(number, line, call.op, call.params, as_name, call.result, error,
                              call.events, tuple(checks))  # fmt: skip
            steps.append(step)
            steps_by_event.update((event["id"], step) for event in call.events)
        return Transcript(
            name, "", self.seed, self.start_time, len(steps), tuple(steps), self.api_version.name
        )

    def scenario(self, name: str = "Recorded session", description: str = "") -> model.Scenario:
        """The recording as a ``Scenario`` record (what loading ``to_yaml()`` gives)."""
        from pmsim.scenarios.loader import loads

        return loads(self.to_yaml(name, description))


def record(sim: Simulator) -> Recording:
    """Record what is done to ``sim`` inside ``with pmsim.record(sim) as recording:``.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> with pmsim.record(sim) as recording:
    ...     _ = sim.customers.create(email="ada@example.com")
    >>> [call.op for call in recording.calls]
    ['customers.create']
    """
    return Recording(sim)


class _Recorded:
    """Stands in for one of the simulator's namespaces (or its clock) while recording."""

    def __init__(self, recording: Recording, namespace: str, real: Any) -> None:
        self._recording = recording
        self._namespace = namespace
        self._real = real

    def __getattr__(self, attribute: str) -> Any:
        found = getattr(self._real, attribute)
        op = f"{self._namespace}.{attribute}"
        if op not in VERBS:
            return found  # clock.now() and friends: reads, not steps

        def recorded(*args: Any, **kwargs: Any) -> Any:
            return self._recording._call(op, found, args, kwargs)

        return recorded


def _params(op: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments by name, as plain YAML-ready values."""
    if op == "clock.advance":
        delta = args[0] if args else kwargs.pop("delta", None)
        total = (delta or timedelta()) + timedelta(**{k: v for k, v in kwargs.items() if v})
        seconds = total.total_seconds()
        return {"seconds": int(seconds) if seconds == int(seconds) else seconds}
    named = dict(zip(VERBS[op].positional, args, strict=False))
    named.update(kwargs)
    return {key: _plain(value) for key, value in named.items() if value is not None}


def _plain(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    found_id = getattr(value, "id", None)
    return found_id if isinstance(found_id, str) else str(value)
