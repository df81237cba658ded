"""Benchmark for scenario replay: steps per second, against the same calls on the Python API.

Run from the repository root::

    python benchmarks/replay.py             # full size: a 10,000-step scenario, about 30 s
    python benchmarks/replay.py --quick     # smoke run: the same scenario, fewer repeats (~10 s)
    python benchmarks/replay.py --json      # the same figures as JSON on stdout
    python benchmarks/replay.py --profile   # also the garbage collector's share and pmsim's
                                            # hotspots in one replay (cProfile)

The scenario is made in memory, the same on every run: a fixed plan of 10,000 calls on the
Python API (drawn once from ``random.Random(SEED)``), made on a simulator under
``pmsim.record`` and written out as scenario YAML. By share of the steps: customers created
(11%), test ids such as ``pm_card_visa`` attached to earlier customers (33%),
``customers.update`` setting ``invoice_settings.default_payment_method`` to one of the
customer's attached cards (15%), cards detached (16%), ``customers.list_payment_methods``
(18%), calls that must fail, with ``expect_error`` (6%: re-attaching a detached card, a
declining test card, a detached card as the default) and ``clock.advance`` (1%). Every step
has the ``expect_events`` a recording writes, and ids are written as references
(``customer: ${customer_17}``); about half the steps that succeed also get an ``expect:``
partial match made from the step's own references (``{customer: "${customer_17}", type:
card}`` on an attach, a list's ``url`` with a reference inside text, ...).

The text is written here rather than by ``recording.to_yaml()`` (which takes about 1.6 s for
10,000 steps) because the script adds the ``expect:`` partial matches, which a recording does
not write; the script checks that both give the same steps otherwise (on the plan's first few
hundred), that the scenario has 10,000 steps, and that it replays with ``transcript.passed``.

It measures, and prints with the machine it ran on:

1. load: ``pmsim.scenarios.loads(text)``, YAML text to a checked ``Scenario``, in seconds,
   reported on its own (not in the ratio); the scenario timed is the one loaded last;
2. replay: ``pmsim.replay(scenario, sim)`` of the loaded scenario on a fresh
   ``pmsim.Simulator(seed)``, in steps per second;
3. direct: the same 10,000 calls made on the Python API of a fresh simulator, with the same
   arguments, ids taken from earlier results, and the same error handling
   (``except pmsim.StripeError`` around the calls that must fail), no recording active, in
   calls per second;

and the ratio replay time / direct time (best over best), against the issue's aim: replay
costs at most twice the direct calls.

Simulators are made outside the timed region, and what a run made is freed after its clock
stops. Replay and direct runs take turns, so that drift in the machine's speed hits both alike;
the garbage collector runs, as in real use, after a ``gc.collect()`` before each timed run.
Machines are noisy, so each figure is the best (and median) of several repeats, with fixed
counts. Only the standard library and pmsim (with its PyYAML) are used.
"""

from __future__ import annotations

import cProfile
import gc
import json
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout even when pmsim is not installed

from bench_common import (  # noqa: E402
    arguments,
    hotspots,
    machine_info,
    report,
    say_hotspots,
    say_machine,
    summary,
)

import pmsim  # noqa: E402
from pmsim.scenarios import Recording, Scenario, loads  # noqa: E402
from pmsim.scenarios.references import references  # noqa: E402
from pmsim.scenarios.writer import ERROR_KEYS, named_params, refer  # noqa: E402

SEED = 2024  # the plan's random draws, and the simulator's ids
STEPS = 10_000
AIM_RATIO = 2.0  # replay costs at most twice the direct calls
GOOD_CARDS = (
    "pm_card_visa", "pm_card_mastercard", "pm_card_amex", "pm_card_discover",
    "pm_card_visa_debit", "pm_card_jcb",
)  # fmt: skip
DECLINING_CARDS = ("pm_card_visa_chargeDeclined", "pm_card_visa_chargeDeclinedInsufficientFunds")

# The plan's actions: each makes exactly one call, so action n is step n of the scenario.
CREATE = "create"  # (CREATE, email, name): customers.create
ATTACH = "attach"  # (ATTACH, test id, customer): payment_methods.attach
DEFAULT = "default"  # (DEFAULT, customer, card): customers.update, default_payment_method
DETACH = "detach"  # (DETACH, card): payment_methods.detach
LIST = "list"  # (LIST, customer): customers.list_payment_methods
ADVANCE = "advance"  # (ADVANCE, hours): clock.advance
REATTACH = "reattach"  # (REATTACH, card, customer): a detached card; must fail
DECLINE = "decline"  # (DECLINE, test id, customer): a declining card; must fail
BAD_DEFAULT = "bad_default"  # (BAD_DEFAULT, customer, card): a detached card; must fail

Action = tuple[Any, ...]


class Sizes:
    """How much work each measurement does, for a full run or a ``--quick`` one."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.steps = STEPS  # the scenario's size, the same in both
        self.repeats = 3 if quick else 7  # replay and direct runs, taking turns
        self.load_repeats = 1 if quick else 5  # about 2-3 s each


# --- the scenario ------------------------------------------------------------------------------


def make_plan(steps: int, seed: int = SEED) -> tuple[list[Action], list[bool]]:
    """A fixed sequence of ``steps`` actions, and for each whether its step gets an ``expect``.

    Customers and cards are numbered in the order they are made (a card is one successful
    attach); the plan keeps track of which cards are attached, and to whom, so that every call
    meant to succeed does, and every call meant to fail does too.
    """
    rng = random.Random(seed)
    plan: list[Action] = []
    customers = 0
    owner: list[int] = []  # each card's customer
    attached: list[int] = []  # every attached card
    detached: list[int] = []
    while len(plan) < steps:
        roll = rng.random()
        if customers < 3 or roll < 0.10:
            plan.append((CREATE, f"customer{customers}@example.com", f"Customer {customers}"))
            customers += 1
        elif roll < 0.40:
            customer = rng.randrange(customers)
            plan.append((ATTACH, rng.choice(GOOD_CARDS), customer))
            card = len(owner)
            owner.append(customer)
            attached.append(card)
        elif roll < 0.54 and attached:
            card = rng.choice(attached)
            plan.append((DEFAULT, owner[card], card))
        elif roll < 0.68 and attached:
            card = attached.pop(rng.randrange(len(attached)))
            detached.append(card)
            plan.append((DETACH, card))
        elif roll < 0.84:
            plan.append((LIST, rng.randrange(customers)))
        elif roll < 0.87 and detached:
            plan.append((REATTACH, rng.choice(detached), rng.randrange(customers)))
        elif roll < 0.88:
            plan.append((DECLINE, rng.choice(DECLINING_CARDS), rng.randrange(customers)))
        elif roll < 0.89 and detached:
            card = rng.choice(detached)
            plan.append((BAD_DEFAULT, owner[card], card))
        elif roll < 0.90:
            plan.append((ADVANCE, rng.randrange(1, 49)))
        # else: nothing this round, draw again
    expects = [rng.random() < 0.5 for _ in plan]
    return plan, expects


def run_plan(sim: pmsim.Simulator, plan: Sequence[Action]) -> None:
    """Make the plan's calls on ``sim``'s Python API, as application code would.

    Ids come from the results of earlier calls; the calls that must fail are made inside
    ``try``/``except pmsim.StripeError``, and it is an error if they succeed.
    """
    customers: list[str] = []
    cards: list[str] = []
    create, update = sim.customers.create, sim.customers.update
    list_pms = sim.customers.list_payment_methods
    attach, detach = sim.payment_methods.attach, sim.payment_methods.detach
    advance = sim.clock.advance
    for action in plan:
        kind = action[0]
        if kind == ATTACH:
            cards.append(attach(action[1], customer=customers[action[2]]).id)
        elif kind == LIST:
            list_pms(customers[action[1]])
        elif kind == DEFAULT:
            update(
                customers[action[1]], invoice_settings={"default_payment_method": cards[action[2]]}
            )
        elif kind == DETACH:
            detach(cards[action[1]])
        elif kind == CREATE:
            customers.append(create(email=action[1], name=action[2]).id)
        elif kind == ADVANCE:
            advance(hours=action[1])
        else:
            try:
                if kind == REATTACH:
                    attach(cards[action[1]], customer=customers[action[2]])
                elif kind == DECLINE:
                    attach(action[1], customer=customers[action[2]])
                else:  # BAD_DEFAULT
                    update(
                        customers[action[1]],
                        invoice_settings={"default_payment_method": cards[action[2]]},
                    )
            except pmsim.StripeError:
                continue
            raise AssertionError(f"{action} was meant to fail")


def _expectation(op: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """A partial match for a step, written with the references its own parameters hold."""
    if op == "customers.create":
        return {"email": params["email"], "invoice_settings": {"default_payment_method": None}}
    if op == "payment_methods.attach":
        return {"customer": params["customer"], "type": "card"}
    if op == "payment_methods.detach":
        return {"id": params["payment_method"], "customer": None}
    if op == "customers.update":
        return {"invoice_settings": params["invoice_settings"]}
    if op == "customers.list_payment_methods":
        return {"object": "list", "url": f"/v1/customers/{params['customer']}/payment_methods"}
    return None


def _flow(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)  # JSON is YAML too, on one line


def _iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_scenario(recording: Recording, name: str, expects: Sequence[bool] = ()) -> str:
    """The recorded calls as scenario text, an ``expect:`` added to the chosen steps.

    Otherwise the same steps as ``recording.to_yaml()`` gives (``check_writer`` makes sure),
    written with JSON for each value. Written here because ``to_yaml()`` writes no ``expect:``
    partial matches (it takes about 1.6 s for 10,000 steps).
    """
    calls = recording.calls
    params, named, used = named_params(calls)
    out = ["# Made by benchmarks/replay.py with pmsim.record()", f"name: {_flow(name)}",
           f"seed: {recording.seed}", f"start_time: {_iso(recording.start_time)}", "",
           "steps:"]  # fmt: skip
    for index, call in enumerate(calls):
        result = call.result if isinstance(call.result, Mapping) else {}
        said = call.error["type"] if call.error else result.get("id", result.get("object", ""))
        out.append(f"  # {index + 1}. {said}")
        out.append(f"  - {call.op}: {_flow(params[index])}")
        if index in named and named[index][0] in used:
            out.append(f"    as: {named[index][0]}")
        if call.error is not None:
            error = {key: call.error[key] for key in ERROR_KEYS if call.error.get(key) is not None}
            out.append(f"    expect_error: {_flow(refer(error, {}, set()))}")
        elif index < len(expects) and expects[index]:
            expectation = _expectation(call.op, params[index])
            if expectation is not None:
                out.append(f"    expect: {_flow(expectation)}")
        out.append(f"    expect_events: {_flow([event['type'] for event in call.events])}")
    return "\n".join(out) + "\n"


def record_plan(plan: Sequence[Action]) -> Recording:
    """The plan's calls, made on a fresh simulator under ``pmsim.record``."""
    sim = pmsim.Simulator(SEED)
    with pmsim.record(sim) as recording:
        run_plan(sim, plan)
    return recording


def check_writer(plan: Sequence[Action]) -> None:
    """``write_scenario`` and ``recording.to_yaml()`` give the same steps.

    Checked on the plan's first steps, up to the first of each kind of action (a few hundred):
    that covers every kind of step, and keeps the check quick.
    """
    first: dict[str, int] = {}
    for index, action in enumerate(plan):
        first.setdefault(action[0], index)
    recording = record_plan(plan[: max(first.values()) + 1])
    ours, theirs = loads(write_scenario(recording, "x")), loads(recording.to_yaml("x"))

    def meaning(scenario: Scenario) -> list[tuple[Any, ...]]:
        return [(s.op, s.params, s.name, s.expect_error, s.expect_events) for s in scenario.steps]

    if (ours.seed, ours.start_time, meaning(ours)) != (
        theirs.seed, theirs.start_time, meaning(theirs)
    ):  # fmt: skip
        raise AssertionError("write_scenario does not write what recording.to_yaml() does")


def make_scenario(steps: int) -> tuple[str, list[Action]]:
    """The scenario's text, and the plan of calls it was recorded from."""
    plan, expects = make_plan(steps)
    check_writer(plan)
    text = write_scenario(
        record_plan(plan), f"{steps:,} steps of customers and their cards", expects
    )
    return text, plan


def check_scenario(scenario: Scenario, steps: int) -> dict[str, Any]:
    """Check the scenario is as meant (this replay is the warm-up too); its make-up."""
    if len(scenario.steps) != steps:
        raise AssertionError(f"the scenario has {len(scenario.steps)} steps, not {steps}")
    transcript = pmsim.replay(scenario, pmsim.Simulator(scenario.seed, scenario.start_time))
    if not transcript.passed:
        failed = transcript.failed_step
        raise AssertionError(f"the scenario does not replay: {failed and failed.to_dict()}")
    ops: dict[str, int] = {}
    for step in scenario.steps:
        ops[step.op] = ops.get(step.op, 0) + 1
    return {
        "steps": len(scenario.steps),
        "operations": dict(sorted(ops.items(), key=lambda item: -item[1])),
        "expect": sum(step.expect is not None for step in scenario.steps),
        "expect_error": sum(step.expect_error is not None for step in scenario.steps),
        "expect_events": sum(step.expect_events is not None for step in scenario.steps),
        "references": sum(
            len(list(references(value)))
            for step in scenario.steps
            for value in (step.params, step.expect, step.expect_error, step.expect_events)
        ),
    }


# --- timing ------------------------------------------------------------------------------------


def time_load(text: str) -> tuple[float, Scenario]:
    gc.collect()
    start = time.perf_counter()
    scenario = loads(text)
    return time.perf_counter() - start, scenario


def time_replay(scenario: Scenario) -> float:
    sim = pmsim.Simulator(scenario.seed, scenario.start_time)
    gc.collect()
    start = time.perf_counter()
    transcript = pmsim.replay(scenario, sim)
    elapsed = time.perf_counter() - start
    if not transcript.passed:
        raise AssertionError("the scenario failed to replay")
    return elapsed


def time_direct(scenario: Scenario, plan: Sequence[Action]) -> float:
    sim = pmsim.Simulator(scenario.seed, scenario.start_time)
    gc.collect()
    start = time.perf_counter()
    run_plan(sim, plan)
    return time.perf_counter() - start  # the simulator is freed after, as replay's is


def _rates(seconds: Sequence[float], steps: int) -> dict[str, Any]:
    return {
        "per_s": summary([steps / s for s in seconds], higher_is_better=True),
        "us_each": summary([s / steps * 1e6 for s in seconds], higher_is_better=False),
    }


def bench(
    scenario: Scenario, plan: Sequence[Action], loads_s: Sequence[float], sizes: Sizes
) -> dict[str, Any]:
    """Replay against direct calls, taking turns (``check_scenario`` warmed replay up)."""
    time_direct(scenario, plan)  # warm-up
    replay_s: list[float] = []
    direct_s: list[float] = []
    for _ in range(sizes.repeats):  # taking turns
        replay_s.append(time_replay(scenario))
        direct_s.append(time_direct(scenario, plan))
    steps = len(scenario.steps)
    ratios = [r / d for r, d in zip(replay_s, direct_s, strict=True)]
    ratio = min(replay_s) / min(direct_s)
    return {
        "steps": steps,
        "repeats": sizes.repeats,
        "load_s": {"repeats": len(loads_s)} | summary(loads_s, higher_is_better=False),
        "replay": _rates(replay_s, steps),
        "direct": _rates(direct_s, steps),
        # best replay over best direct; the median of the turn-by-turn ratios beside it
        "ratio_replay_to_direct": {
            "best": ratio,
            "median": summary(ratios, higher_is_better=False)["median"],
        },
        "aim_ratio": AIM_RATIO,
        "aim_met": ratio <= AIM_RATIO,
    }


# --- profile -----------------------------------------------------------------------------------


def profile_replay(scenario: Scenario, top: int = 20) -> dict[str, Any]:
    """cProfile one replay; pmsim's costliest functions per step (``bench_common.hotspots``)."""
    sim = pmsim.Simulator(scenario.seed, scenario.start_time)
    profiler = cProfile.Profile()
    gc.collect()
    profiler.enable()
    pmsim.replay(scenario, sim)
    profiler.disable()
    return hotspots(profiler, len(scenario.steps), top)


def gc_share(scenario: Scenario, plan: Sequence[Action]) -> dict[str, dict[str, Any]]:
    """Time in the garbage collector during one replay, and during the direct calls.

    Not attributed to any function by cProfile, so it is measured on its own (``gc.callbacks``).
    """
    spent = [0.0]
    started = [0.0]
    runs = [0, 0, 0]

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]
            runs[info["generation"]] += 1

    steps = len(scenario.steps)
    found: dict[str, dict[str, Any]] = {}
    subjects: dict[str, Callable[[], float]] = {
        "replay": lambda: time_replay(scenario),
        "direct calls": lambda: time_direct(scenario, plan),
    }
    for name, subject in subjects.items():
        gc.collect()
        spent[0], runs[:] = 0.0, [0, 0, 0]
        gc.callbacks.append(callback)
        try:
            total = subject()
        finally:
            gc.callbacks.remove(callback)
        found[name] = {
            "us_per_step": total / steps * 1e6,
            "gc_us_per_step": spent[0] / steps * 1e6,
            "collections_by_generation": list(runs),
        }
    return found


# --- report ------------------------------------------------------------------------------------


def run(sizes: Sizes, say: Callable[[str], None], *, profile: bool) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine_info("pmsim", "PyYAML"), "quick": sizes.quick}
    say_machine(say, results["machine"], "pmsim", "PyYAML")

    started = time.perf_counter()
    text, plan = make_scenario(sizes.steps)
    loads_s: list[float] = []
    for _ in range(sizes.load_repeats):  # the scenario timed is the last one loaded
        seconds, scenario = time_load(text)
        loads_s.append(seconds)
    made = results["scenario"] = check_scenario(scenario, sizes.steps)
    made |= {"lines": text.count("\n"), "bytes": len(text.encode()), "seed": SEED}
    say(
        f"scenario: {made['steps']:,} steps, {made['lines']:,} lines of YAML "
        f"({made['bytes'] / 1024:,.0f} KiB), made, loaded {len(loads_s)}x and checked in "
        f"{time.perf_counter() - started:.1f} s; it replays and passes"
    )
    say("  " + ", ".join(f"{op} {count:,}" for op, count in made["operations"].items()))
    say(
        f"  {made['expect']:,} expect, {made['expect_error']:,} expect_error, "
        f"{made['expect_events']:,} expect_events, {made['references']:,} references"
    )
    say("")

    results["timing"] = t = bench(scenario, plan, loads_s, sizes)
    rep, direct, ratio = t["replay"], t["direct"], t["ratio_replay_to_direct"]
    say(f"{t['steps']:,} steps, best of {t['repeats']} (median in brackets):")
    say(
        f"  replay        {rep['per_s']['best']:>9,.0f} steps/s  {rep['us_each']['best']:6.1f} us"
        f"/step  (median {rep['per_s']['median']:,.0f}/s)"
    )
    say(
        f"  direct calls  {direct['per_s']['best']:>9,.0f} calls/s  "
        f"{direct['us_each']['best']:6.1f} us/call  (median {direct['per_s']['median']:,.0f}/s)"
    )
    verdict = "met" if t["aim_met"] else "NOT met"
    say(
        f"  replay / direct {ratio['best']:>7.2f}x  (median of the turns {ratio['median']:.2f}x)"
        f"  aim <= {AIM_RATIO:.1f}x: {verdict}"
    )
    ld = t["load_s"]
    say(
        f"load (YAML text -> Scenario, not in the ratio), best of {ld['repeats']}: "
        f"{ld['best']:.2f} s (median {ld['median']:.2f} s), {t['steps'] / ld['best']:,.0f} steps/s"
    )

    if profile:
        say("")
        results["garbage_collector"] = shares = gc_share(scenario, plan)
        say("garbage collector, one run each (gc.callbacks; cProfile does not show it):")
        for name, row in shares.items():
            say(
                f"  {name:<12} {row['gc_us_per_step']:6.1f} of {row['us_per_step']:6.1f} us/step"
                f" in gc, collections by generation {row['collections_by_generation']}"
            )
        found = profile_replay(scenario)
        results["profile_replay"] = found
        say(
            f"cProfile, one replay of {sizes.steps:,} steps: {found['total_us']:.0f} us "
            f"per step profiled, {found['pmsim_self_us']:.0f} us of it in pmsim's own "
            "functions (cProfile inflates many small calls); by file (self time, us per step):"
        )
        for where, us in list(found["self_us_by_file"].items())[:12]:
            say(f"  {us:6.1f}  {where}")
        say_hotspots(say, found, "step")
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = arguments(__doc__, "a fast smoke run (about 10 s)")
    parser.add_argument(
        "--profile", action="store_true", help="also list pmsim's hotspots in one replay"
    )
    args = parser.parse_args(argv)
    report(lambda say: run(Sizes(args.quick), say, profile=args.profile), as_json=args.json)


if __name__ == "__main__":
    main()
