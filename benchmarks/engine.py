"""Benchmarks for pmsim's native API: lifecycle throughput, start-up costs, memory and listing.

Run from the repository root::

    python benchmarks/engine.py           # full size: 100,000 customers, 1-2 minutes
    python benchmarks/engine.py --quick   # smoke run: 10,000 customers, about 15 s
    python benchmarks/engine.py --json    # the same figures as JSON on stdout

It measures, and prints with the machine it ran on:

1. attach+detach cycles per second (payment methods created outside the timed region; a
   detached payment method can never be attached again, so each cycle uses a fresh one), and
   create+attach+detach cycles per second;
2. the time to make a ``pmsim.Simulator()``;
3. the time of ``import pmsim`` in a fresh interpreter with its bytecode cached (and of
   ``import attrs``, its floor);
4. memory per customer (each with an email) and per payment method, each customer holding two
   attached payment methods (tracemalloc; each figure includes the record, its id, the store's
   indexes and the event it emitted);
5. the time to list one customer's payment methods in a store of 100 customers and in the large
   store, reading 100 customers in turn in each: the ratio should stay near 1, because listing
   reads a per-customer index rather than scanning the store.

Only the standard library and pmsim are used. Throughput runs with the garbage collector on, as
in real use (a second attach+detach figure pauses it, to show its share); machines are noisy, so
each figure is the best (and median) of several repeats.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout even when pmsim is not installed

from bench_common import machine_info, report, say_machine, summary  # noqa: E402

import pmsim  # noqa: E402

TOKEN_CARD: dict[str, str] = {"token": "tok_visa"}
IMPORT_SNIPPET = (
    "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
)


class Sizes:
    """How much work each measurement does, for a full run or a ``--quick`` one."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.cycles = 5_000 if quick else 20_000  # attach+detach cycles per repeat
        self.repeats = 3 if quick else 5
        self.import_runs = 5 if quick else 21
        self.customers = 10_000 if quick else 100_000  # the large store
        self.small_customers = 100
        self.list_calls = 1_000  # list calls per timed repeat
        self.list_repeats = 5 if quick else 9


# --- 1. attach+detach throughput --------------------------------------------------------------


def _fresh_sim_with_customer() -> tuple[pmsim.Simulator, str]:
    sim = pmsim.Simulator()
    return sim, sim.customers.create(email="bench@example.com").id


def attach_detach_rate(cycles: int, *, gc_off: bool = False) -> float:
    """attach + detach cycles per second; the payment methods are made before the clock starts.

    With ``gc_off`` the cyclic garbage collector is paused while timing, as ``timeit`` does, to
    show how much of the cost is the collector's.
    """
    sim, cus_id = _fresh_sim_with_customer()
    create = sim.payment_methods.create
    pm_ids = [create(type="card", card=TOKEN_CARD).id for _ in range(cycles)]
    attach, detach = sim.payment_methods.attach, sim.payment_methods.detach
    gc.collect()
    if gc_off:
        gc.disable()
    try:
        start = time.perf_counter()
        for pm_id in pm_ids:
            attach(pm_id, customer=cus_id)
            detach(pm_id)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    return cycles / elapsed


def create_attach_detach_rate(cycles: int) -> float:
    """create + attach + detach cycles per second."""
    sim, cus_id = _fresh_sim_with_customer()
    create = sim.payment_methods.create
    attach, detach = sim.payment_methods.attach, sim.payment_methods.detach
    gc.collect()
    start = time.perf_counter()
    for _ in range(cycles):
        pm_id = create(type="card", card=TOKEN_CARD).id
        attach(pm_id, customer=cus_id)
        detach(pm_id)
    elapsed = time.perf_counter() - start
    return cycles / elapsed


def bench_throughput(sizes: Sizes) -> dict[str, Any]:
    attach_detach_rate(min(1_000, sizes.cycles))  # warm-up
    rates = [attach_detach_rate(sizes.cycles) for _ in range(sizes.repeats)]
    no_gc = [attach_detach_rate(sizes.cycles, gc_off=True) for _ in range(sizes.repeats)]
    full = [create_attach_detach_rate(sizes.cycles) for _ in range(sizes.repeats)]
    common = {"cycles_per_repeat": sizes.cycles, "repeats": sizes.repeats}
    return {
        "attach_detach_per_s": common | summary(rates, higher_is_better=True),
        "attach_detach_gc_off_per_s": common | summary(no_gc, higher_is_better=True),
        "create_attach_detach_per_s": common | summary(full, higher_is_better=True),
    }


# --- 2. Simulator() ---------------------------------------------------------------------------


def bench_simulator_creation(sizes: Sizes) -> dict[str, Any]:
    timer = timeit.Timer("Simulator()", globals={"Simulator": pmsim.Simulator})
    number, _ = timer.autorange()
    times = timer.repeat(repeat=sizes.repeats, number=number)
    per_call_us = [t / number * 1e6 for t in times]
    return {"loops": number, "repeats": sizes.repeats} | summary(
        per_call_us, higher_is_better=False
    )


# --- 3. import pmsim --------------------------------------------------------------------------


def _import_seconds(module: str, env: dict[str, str]) -> float:
    """Seconds to import ``module`` in a fresh interpreter, interpreter start-up excluded."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_SNIPPET.format(module=module)],
        capture_output=True,
        check=True,
        cwd=ROOT,  # imports this checkout's pmsim
        env=env,
        text=True,
    )
    return float(result.stdout.strip())


def bench_import(sizes: Sizes) -> dict[str, Any]:
    """``import pmsim`` with its bytecode cached, as users get it after the first import.

    The bytecode goes to a temporary ``PYTHONPYCACHEPREFIX``, written by a warm-up run, so the
    checkout is left untouched and ``PYTHONDONTWRITEBYTECODE`` (set in some containers) does
    not turn this into a measure of compiling pmsim from source on every run.
    """
    figures: dict[str, Any] = {"runs": sizes.import_runs, "bytecode_cached": True}
    with tempfile.TemporaryDirectory(prefix="pmsim-bench-pycache-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        for module in ("pmsim", "attrs"):
            _import_seconds(module, env)  # warm-up: writes the bytecode, fills the file cache
            ms = [_import_seconds(module, env) * 1e3 for _ in range(sizes.import_runs)]
            figures[module] = summary(ms, higher_is_better=False)
    return figures


# --- 4. memory --------------------------------------------------------------------------------


def _traced_now() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def build_store(
    customers: int, *, measure: bool = False
) -> tuple[pmsim.Simulator, list[str], dict[str, Any]]:
    """A simulator with ``customers`` customers, each with two attached payment methods.

    With ``measure``, tracemalloc records the memory the customers and then the payment methods
    take (everything the simulator keeps for them, events included).
    """
    sim = pmsim.Simulator()
    ids: list[Any] = [None] * customers  # allocated before the baseline, so not counted
    create_customer = sim.customers.create
    create_pm, attach = sim.payment_methods.create, sim.payment_methods.attach
    figures: dict[str, Any] = {}
    if measure:
        gc.collect()
        tracemalloc.start()
        baseline = _traced_now()
    for i in range(customers):
        ids[i] = create_customer(email=f"customer{i}@example.com").id
    if measure:
        after_customers = _traced_now()
    for cus_id in ids:
        for _ in range(2):
            attach(create_pm(type="card", card=TOKEN_CARD).id, customer=cus_id)
    if measure:
        after_pms = _traced_now()
        tracemalloc.stop()
        figures = {
            "customers": customers,
            "payment_methods": 2 * customers,
            "bytes_per_customer": (after_customers - baseline) / customers,
            "bytes_per_payment_method": (after_pms - after_customers) / (2 * customers),
            "total_mib": (after_pms - baseline) / 2**20,
        }
    return sim, ids, figures


# --- 5. listing -------------------------------------------------------------------------------


def _targets(ids: Sequence[str], distinct: int, calls: int) -> list[str]:
    """``calls`` customer ids, cycling through ``distinct`` customers spread over the store.

    Both stores are read with the same pattern (the same number of distinct customers, in
    turn), so the ratio shows what the store's size costs rather than how warm the CPU caches
    are: a store that is scanned would show a ratio in the hundreds.
    """
    chosen = [ids[i * len(ids) // distinct] for i in range(distinct)]
    return [chosen[i % distinct] for i in range(calls)]


def _per_call_us(call: Callable[[str], object], targets: Sequence[str], repeats: int) -> float:
    for cus_id in targets[:100]:
        call(cus_id)  # warm-up
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for cus_id in targets:
            call(cus_id)
        best = min(best, time.perf_counter() - start)
    return best / len(targets) * 1e6


def _listing_times(sim: pmsim.Simulator, ids: Sequence[str], sizes: Sizes) -> dict[str, float]:
    targets = _targets(ids, sizes.small_customers, sizes.list_calls)
    assert len(sim.customers.list_payment_methods(targets[0]).data) == 2
    pms_list = sim.payment_methods.list

    def by_payment_methods(cus_id: str) -> object:
        return pms_list(customer=cus_id)

    return {
        "customers.list_payment_methods": _per_call_us(
            sim.customers.list_payment_methods, targets, sizes.list_repeats
        ),
        "payment_methods.list": _per_call_us(by_payment_methods, targets, sizes.list_repeats),
    }


def bench_listing(
    large: tuple[pmsim.Simulator, list[str]], sizes: Sizes
) -> dict[str, dict[str, float]]:
    small_sim, small_ids, _ = build_store(sizes.small_customers)
    small = _listing_times(small_sim, small_ids, sizes)
    big = _listing_times(*large, sizes)
    return {
        name: {
            f"us_at_{sizes.small_customers}": small[name],
            f"us_at_{sizes.customers}": big[name],
            "ratio": big[name] / small[name],
        }
        for name in small
    }


# --- report -----------------------------------------------------------------------------------


def run(sizes: Sizes, say: Callable[[str], None]) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine_info("pmsim"), "quick": sizes.quick}
    say_machine(say, results["machine"], "pmsim")

    results["throughput"] = t = bench_throughput(sizes)
    ad, cad = t["attach_detach_per_s"], t["create_attach_detach_per_s"]
    nogc = t["attach_detach_gc_off_per_s"]
    say(f"attach+detach cycles/s, best of {ad['repeats']} x {ad['cycles_per_repeat']:,}:")
    say(f"  attach+detach         {ad['best']:>10,.0f}/s  (median {ad['median']:,.0f}/s)")
    say(f"    ... with gc paused  {nogc['best']:>10,.0f}/s  (median {nogc['median']:,.0f}/s)")
    say(f"  create+attach+detach  {cad['best']:>10,.0f}/s  (median {cad['median']:,.0f}/s)")

    results["simulator_create_us"] = s = bench_simulator_creation(sizes)
    say(f"Simulator()             {s['best']:>10.1f} us  (median {s['median']:.1f} us)")

    results["import_ms"] = i = bench_import(sizes)
    say(
        f"import pmsim            {i['pmsim']['median']:>10.1f} ms  (median of {i['runs']}, "
        f"best {i['pmsim']['best']:.1f} ms; import attrs alone {i['attrs']['median']:.1f} ms)"
    )

    sim, ids, memory = build_store(sizes.customers, measure=True)
    results["memory"] = memory
    say(
        f"memory at {memory['customers']:,} customers x 2 attached payment methods "
        f"({memory['total_mib']:.0f} MiB traced):"
    )
    say(f"  per customer          {memory['bytes_per_customer']:>10,.0f} bytes")
    say(f"  per payment method    {memory['bytes_per_payment_method']:>10,.0f} bytes")

    gc.collect()
    results["listing"] = listing = bench_listing((sim, ids), sizes)
    say(
        f"list one customer's 2 payment methods, {sizes.small_customers} vs {sizes.customers:,} "
        f"customers (best of {sizes.list_repeats} x {sizes.list_calls:,} calls):"
    )
    for name, row in listing.items():
        small, large = row[f"us_at_{sizes.small_customers}"], row[f"us_at_{sizes.customers}"]
        say(f"  {name + '()':<34} {small:6.2f} us vs {large:6.2f} us, ratio {row['ratio']:.2f}")
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run (10,000 customers)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    report(lambda say: run(Sizes(args.quick), say), as_json=args.json)


if __name__ == "__main__":
    main()
