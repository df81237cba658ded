"""Replay: run a scenario's steps on a simulator and say, step by step, what happened.

Replay stops at the first step that fails (a call that errs without ``expect_error``, an
expectation that does not hold, a reference that cannot be resolved): later steps usually
build on it, and their failures would only repeat the first. The transcript says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pmsim.domain.errors import PmsimUsageError, StripeError
from pmsim.domain.events import Event
from pmsim.domain.versions import NEWEST, ApiVersion
from pmsim.engine import Simulator
from pmsim.scenarios import references
from pmsim.scenarios.matching import Mismatch, mismatches
from pmsim.scenarios.model import CHECK, Scenario, Step
from pmsim.scenarios.transcript import Check, StepRecord, Transcript, shown
from pmsim.scenarios.verbs import VERBS

#: What a ``check`` step calls to re-read an object, by the prefix of its id.
READERS: Mapping[str, str] = {
    "cus": "customers.retrieve",
    "pm": "payment_methods.retrieve",
    "evt": "events.retrieve",
    "seti": "setup_intents.retrieve",
    "pi": "payment_intents.retrieve",
    "ch": "charges.retrieve",
    "re": "refunds.retrieve",
    "clock": "test_clocks.retrieve",
    "we": "webhook_endpoints.retrieve",
}


def replay(scenario: Scenario, sim: Simulator | None = None) -> Transcript:
    """Run ``scenario`` on ``sim`` (by default a new one with the scenario's seed, start and
    API version). The steps answer as the scenario's ``api_version`` when it names one, as a
    client sending that ``Stripe-Version`` would; otherwise as ``sim``'s own version.

    >>> import pmsim
    >>> transcript = pmsim.replay(pmsim.load_scenario("scenarios/01-happy-path.yaml"))
    >>> transcript.passed
    True
    """
    if sim is None:
        sim = Simulator(scenario.seed, scenario.start_time, scenario.api_version or NEWEST)
    answering = scenario.api_version or sim.api_version
    start = sim.clock.now()
    names: dict[str, Any] = {}
    done: list[StepRecord] = []
    steps_by_event: dict[str, StepRecord] = {}  # so a hint can name the step it is about
    # None: the simulator's own version, even inside a caller's ``with sim.with_version()``.
    with sim.with_version(scenario.api_version):
        for step in scenario.steps:
            record = run_step(sim, step, names, steps_by_event, answering)
            done.append(record)
            if not record.passed:
                break
            steps_by_event.update((event.id, record) for event in record.emitted)
    return Transcript(
        scenario.name, scenario.source, sim.seed, start, len(scenario.steps), tuple(done),
        answering.name,
    )  # fmt: skip


def run_step(
    sim: Simulator,
    step: Step,
    names: dict[str, Any],
    steps_by_event: Mapping[str, StepRecord] | None = None,
    version: ApiVersion | None = None,
) -> StepRecord:
    """Run one step; ``names`` holds the results named so far and gains this one's.
    ``steps_by_event`` (the earlier steps, by the events they emitted) lets an error's
    teaching hint say which step it is about. ``version``, the one the call answers as, is
    the shape its result and error are shown and checked in (None: ``to_dict()``'s)."""
    params, expect = step.params, step.expect
    expect_error, expect_events = step.expect_error, step.expect_events
    referring = ALL_FIELDS if step.referring is None else step.referring
    try:
        if "params" in referring:
            params = references.resolve(params, names)
        if "expect" in referring:
            expect = references.resolve(expect, names)
        if "expect_error" in referring:
            expect_error = references.resolve(expect_error, names)
        if "expect_events" in referring:
            expect_events = references.resolve(expect_events, names)
    except references.BadReference as err:
        failed = Check("references", False, str(err))
        return StepRecord(step.number, step.line, step.op, dict(step.params), step.name,
                          None, None, (), (failed,))  # fmt: skip
    mark = sim.event_count
    returned: Any = None
    error: dict[str, Any] | None = None
    try:
        returned = call(sim, step.op, params)
    except StripeError as err:
        error = {**shown(err, version)["error"], "http_status": err.http_status}
        if err.hint is not None:
            error["hint"] = hint_with_step(err.hint, err.hint_event, steps_by_event or {})
    except PmsimUsageError as err:
        error = {"type": "pmsim_usage_error", "message": str(err)}
    events = sim.events_since(mark)
    checks = _checks(returned, version, error, events, expect, expect_error, expect_events)
    if step.name is not None and error is None:
        names[step.name] = returned
    return StepRecord(step.number, step.line, step.op, params, step.name, returned, error, events,
                      checks, version)  # fmt: skip


def hint_with_step(
    hint: str, event_id: str | None, steps_by_event: Mapping[str, StepRecord]
) -> str:
    """An error's teaching hint, naming the step that emitted the event it is about."""
    earlier = steps_by_event.get(event_id or "")
    if earlier is None:
        return hint
    return f"{hint} That was step {earlier.number} ({earlier.op}, line {earlier.line})."


def call(sim: Simulator, op: str, params: Mapping[str, Any]) -> Any:
    """Call one operation with a step's resolved parameters; the result as the simulator
    returns it (a record, mostly; ``as_json`` gives its Stripe JSON)."""
    if op == CHECK:
        return _read(sim, params["object"])
    if op == "clock.advance":
        try:
            sim.clock.advance(**params)
        except (TypeError, ValueError, OverflowError) as err:
            raise PmsimUsageError(f"clock.advance: {err}") from None
        return clock_result(sim)
    verb = VERBS[op]
    if not verb.positional:
        return verb.bound(sim)(**params)
    arguments = dict(params)
    positional = [arguments.pop(name) for name in verb.positional if name in arguments]
    return verb.bound(sim)(*positional, **arguments)


def clock_result(sim: Simulator) -> dict[str, Any]:
    """What a ``clock.advance`` step gives: the simulated time, in seconds and as text."""
    return {"time": sim.clock.now(), "datetime": sim.clock.isoformat()}


def _read(sim: Simulator, target: Any) -> Any:
    prefix = target.partition("_")[0] if isinstance(target, str) else ""
    if prefix not in READERS:
        kinds = ", ".join(f"{name}_..." for name in READERS)
        raise PmsimUsageError(f"check reads objects by id ({kinds}); got {target!r}")
    return call(sim, READERS[prefix], {VERBS[READERS[prefix]].positional[0]: target})


ALL_FIELDS = frozenset(("params", "expect", "expect_error", "expect_events"))
#: The verdicts that say only "held": made once, as most steps give them.
HELD = {kind: Check(kind, True) for kind in ("succeeds", "expect", "expect_error", "expect_events")}


def _checks(
    returned: Any,
    version: ApiVersion | None,
    error: Mapping[str, Any] | None,
    events: tuple[Event, ...],
    expect: Any,
    expect_error: Any,
    expect_events: Any,
) -> tuple[Check, ...]:
    if expect_error is not None:
        if error is None:
            first = Check("expect_error", False, "the call succeeded; an error was expected")
        else:
            first = _verdict("expect_error", mismatches(expect_error, error))
    elif error is not None:
        first = Check("succeeds", False, f"the call failed: {error.get('message')}")
    else:
        first = HELD["succeeds"]
    checks: tuple[Check, ...] = (first,)
    if expect is not None and error is None:
        checks += (_verdict("expect", mismatches(expect, shown(returned, version))),)
    if expect_events is not None:
        checks += (_verdict("expect_events", _event_mismatches(expect_events, events)),)
    return checks


def _verdict(kind: str, found: list[Mismatch]) -> Check:
    return Check(kind, False, _say(tuple(found)), tuple(found)) if found else HELD[kind]


def _event_mismatches(expected: Sequence[Any], events: tuple[Event, ...]) -> list[Mismatch]:
    if len(expected) != len(events):
        return [Mismatch("", list(expected), [event.type for event in events])]
    found: list[Mismatch] = []
    for index, want in enumerate(expected):
        event = events[index]
        if type(want) is str:
            if want != event.type:
                found.append(Mismatch(f"{index}.type", want, event.type))
        else:
            found.extend(mismatches(want, event.to_dict(), str(index)))
    return found


def _say(found: tuple[Mismatch, ...]) -> str:
    if not found:
        return ""
    return "; ".join(
        f"{m.path or 'value'}: expected {m.expected!r}, got {m.actual!r}" for m in found
    )
