"""Replay: run a scenario's steps on a simulator and say, step by step, what happened.

Replay stops at the first step that fails (a call that errs without ``expect_error``, an
expectation that does not hold, a reference that cannot be resolved): later steps usually
build on it, and their failures would only repeat the first. The transcript says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pmsim.domain.errors import PmsimUsageError, StripeError
from pmsim.engine import Simulator
from pmsim.scenarios import references
from pmsim.scenarios.matching import Mismatch, mismatches
from pmsim.scenarios.model import CHECK, Scenario, Step
from pmsim.scenarios.operations import OPERATIONS
from pmsim.scenarios.transcript import Check, StepRecord, Transcript

#: What a ``check`` step calls to re-read an object, by the prefix of its id.
READERS: Mapping[str, str] = {
    "cus": "customers.retrieve",
    "pm": "payment_methods.retrieve",
    "evt": "events.retrieve",
}


def replay(scenario: Scenario, sim: Simulator | None = None) -> Transcript:
    """Run ``scenario`` on ``sim`` (by default a new one with the scenario's seed and start).

    >>> import pmsim
    >>> transcript = pmsim.replay(pmsim.load_scenario("scenarios/01-happy-path.yaml"))
    >>> transcript.passed
    True
    """
    if sim is None:
        sim = Simulator(scenario.seed, scenario.start_time)
    start = sim.clock.now()
    names: dict[str, Any] = {}
    done: list[StepRecord] = []
    for step in scenario.steps:
        record = run_step(sim, step, names)
        done.append(record)
        if not record.passed:
            break
    return Transcript(
        scenario.name, scenario.source, sim.seed, start, len(scenario.steps), tuple(done)
    )


def run_step(sim: Simulator, step: Step, names: dict[str, Any]) -> StepRecord:
    """Run one step; ``names`` holds the results named so far and gains this one's."""
    try:
        params = references.resolve(step.params, names)
        expect = references.resolve(step.expect, names)
        expect_error = references.resolve(step.expect_error, names)
        expect_events = references.resolve(step.expect_events, names)
    except references.BadReference as err:
        failed = Check("references", False, str(err))
        return StepRecord(step.number, step.line, step.op, dict(step.params), step.name,
                          None, None, (), (failed,))  # fmt: skip
    mark = sim.event_count
    result: Any = None
    error: dict[str, Any] | None = None
    try:
        result = call(sim, step.op, params)
    except StripeError as err:
        error = {**err.to_dict()["error"], "http_status": err.http_status}
    except PmsimUsageError as err:
        error = {"type": "pmsim_usage_error", "message": str(err)}
    events = tuple(event.to_dict() for event in sim.events_since(mark))
    checks = _checks(result, error, events, expect, expect_error, expect_events)
    if step.name is not None and error is None:
        names[step.name] = result
    return StepRecord(step.number, step.line, step.op, params, step.name, result, error, events,
                      checks)  # fmt: skip


def call(sim: Simulator, op: str, params: dict[str, Any]) -> Any:
    """Call one operation with a step's resolved parameters; the result as Stripe JSON."""
    if op == CHECK:
        return _read(sim, params["object"])
    if op == "clock.advance":
        try:
            now = sim.clock.advance(**params)
        except (TypeError, ValueError, OverflowError) as err:
            raise PmsimUsageError(f"clock.advance: {err}") from None
        return {"time": now, "datetime": sim.clock.isoformat()}
    operation = OPERATIONS[op]
    arguments = dict(params)
    positional = [arguments.pop(name) for name in operation.positional]
    found = operation.bound(sim)(*positional, **arguments)
    return _as_json(found)


def _as_json(found: Any) -> Any:
    to_dict: Callable[[], Any] | None = getattr(found, "to_dict", None)
    return found if to_dict is None else to_dict()


def _read(sim: Simulator, target: Any) -> Any:
    prefix = target.partition("_")[0] if isinstance(target, str) else ""
    if prefix not in READERS:
        kinds = ", ".join(f"{name}_..." for name in READERS)
        raise PmsimUsageError(f"check reads objects by id ({kinds}); got {target!r}")
    return call(sim, READERS[prefix], {OPERATIONS[READERS[prefix]].positional[0]: target})


def _checks(
    result: Any,
    error: Mapping[str, Any] | None,
    events: tuple[Mapping[str, Any], ...],
    expect: Any,
    expect_error: Any,
    expect_events: Any,
) -> tuple[Check, ...]:
    checks: list[Check] = []
    if expect_error is not None:
        if error is None:
            checks.append(Check("expect_error", False, "the call succeeded; an error was expected"))
        else:
            found = tuple(mismatches(expect_error, error))
            checks.append(Check("expect_error", not found, _say(found), found))
    elif error is not None:
        checks.append(Check("succeeds", False, f"the call failed: {error.get('message')}"))
    else:
        checks.append(Check("succeeds", True))
    if expect is not None and error is None:
        found = tuple(mismatches(expect, result))
        checks.append(Check("expect", not found, _say(found), found))
    if expect_events is not None:
        found = tuple(_event_mismatches(list(expect_events), list(events)))
        checks.append(Check("expect_events", not found, _say(found), found))
    return tuple(checks)


def _event_mismatches(expected: list[Any], events: list[Mapping[str, Any]]) -> list[Mismatch]:
    types = [event["type"] for event in events]
    if len(expected) != len(events):
        return [Mismatch("", expected, types)]
    found: list[Mismatch] = []
    for index, (want, event) in enumerate(zip(expected, events, strict=True)):
        if isinstance(want, str):
            found.extend(mismatches(want, event["type"], f"{index}.type"))
        else:
            found.extend(mismatches(want, event, str(index)))
    return found


def _say(found: tuple[Mismatch, ...]) -> str:
    if not found:
        return ""
    return "; ".join(
        f"{m.path or 'value'}: expected {m.expected!r}, got {m.actual!r}" for m in found
    )
