"""Benchmarks for pmsim's native API: lifecycle throughput, start-up costs, memory and listing.

Run from the repository root::

    python benchmarks/engine.py           # full size: 100,000 customers, 5-10 minutes
    python benchmarks/engine.py --quick   # smoke run: 10,000 customers, about a minute
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
   reads a per-customer index rather than scanning the store;
6. ``sim.snapshot()``, ``sim.restore(snapshot)``, ``sim.fork()``, ``sim.save(path)`` and
   ``Simulator.load(path)`` at 10,000 and 100,000 customers (1,000 and 10,000 with ``--quick``),
   each with two attached payment methods and their events, and the state file's size per
   customer. A snapshot keeps references to frozen records, so its time per customer should
   stay about the same at both sizes; it also checks that a fork's snapshot and a loaded
   file's snapshot equal the original's. Saving and loading the 100,000-customer file take
   most of a full run.

Only the standard library and pmsim are used. Throughput runs with the garbage collector on, as
in real use (a second attach+detach figure pauses it, to show its share); machines are noisy, so
each figure is the best (and median) of several repeats.
"""

from __future__ import annotations

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

from bench_common import arguments, machine_info, report, say_machine, summary  # noqa: E402

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
        # snapshots, forks and state files: a small store, then the large one
        self.snapshot_customers = (1_000 if quick else 10_000, self.customers)
        self.file_repeats = 2  # sim.save and Simulator.load, each repeat (slow at 100,000)


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


# --- 6. snapshots, forks and state files ------------------------------------------------------

SNAPSHOT_OPERATIONS = (
    "sim.snapshot()",
    "sim.restore(snapshot)",
    "sim.fork()",
    "sim.save(path)",
    "Simulator.load(path)",
)


def _timed(call: Callable[[], Any], repeats: int) -> tuple[list[float], Any]:
    """Seconds per call, one call per repeat, and the last call's result.

    Each previous result is dropped before the clock starts, so freeing it is not counted.
    """
    times, result = [], None
    for _ in range(repeats):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return times, result


def _snapshot_figures(sim: pmsim.Simulator, sizes: Sizes) -> dict[str, Any]:
    """The five operations on ``sim``, and the sanity checks: a fork, and the saved and loaded
    file, hold what ``sim`` holds."""
    snapshot = sim.snapshot()
    customers = len(snapshot.customers)
    times: dict[str, list[float]] = {}
    times["sim.snapshot()"], _ = _timed(sim.snapshot, sizes.repeats)
    times["sim.restore(snapshot)"], _ = _timed(lambda: sim.restore(snapshot), sizes.repeats)
    times["sim.fork()"], fork = _timed(sim.fork, sizes.repeats)
    fork_equal = fork.snapshot() == sim.snapshot()
    del fork
    with tempfile.TemporaryDirectory(prefix="pmsim-bench-state-") as folder:
        path = Path(folder) / "state.json"
        times["sim.save(path)"], _ = _timed(lambda: sim.save(path), sizes.file_repeats)
        file_bytes = path.stat().st_size
        loader = pmsim.Simulator.load
        times["Simulator.load(path)"], loaded = _timed(lambda: loader(path), sizes.file_repeats)
    load_equal = loaded.snapshot() == snapshot
    del loaded
    return {
        "customers": customers,
        "payment_methods": len(snapshot.payment_methods),
        "events": len(snapshot.events),
        "seconds": {
            name: {"repeats": len(values)} | summary(values, higher_is_better=False)
            for name, values in times.items()
        },
        "us_per_customer": {name: min(values) / customers * 1e6 for name, values in times.items()},
        "state_file_bytes": file_bytes,
        "state_file_bytes_per_customer": file_bytes / customers,
        "fork_snapshot_equal": fork_equal,
        "loaded_snapshot_equal": load_equal,
    }


def bench_snapshots(
    sizes: Sizes, large: tuple[pmsim.Simulator, list[str]] | None = None
) -> dict[str, Any]:
    """The figures at each of ``sizes.snapshot_customers``; ``large`` is a store already built
    with ``sizes.customers`` customers, used instead of building it again."""
    figures: dict[str, Any] = {}
    for customers in sizes.snapshot_customers:
        if large is not None and customers == sizes.customers:
            sim = large[0]
        else:
            sim, _, _ = build_store(customers)
        figures[f"at_{customers}"] = _snapshot_figures(sim, sizes)
        del sim
    small, big = (figures[f"at_{n}"] for n in sizes.snapshot_customers)
    figures["snapshot_us_per_customer_ratio"] = (
        big["us_per_customer"]["sim.snapshot()"] / small["us_per_customer"]["sim.snapshot()"]
    )
    return figures


def _duration(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _say_snapshots(say: Callable[[str], None], figures: dict[str, Any], sizes: Sizes) -> None:
    columns = [figures[f"at_{n}"] for n in sizes.snapshot_customers]
    say(
        "snapshots, forks and state files, customers x 2 attached payment methods (best of "
        f"{sizes.repeats}, save/load best of {sizes.file_repeats}; median in brackets):"
    )

    def line(label: str, cells: Sequence[str]) -> None:
        say(f"  {label:<22}{''.join(f'{cell:<42}' for cell in cells)}".rstrip())

    line("", [f"{n:,} customers" for n in sizes.snapshot_customers])
    for name in SNAPSHOT_OPERATIONS:
        cells = []
        for row in columns:
            seconds = row["seconds"][name]
            timing = f"{_duration(seconds['best'])} ({_duration(seconds['median'])})"
            cells.append(f"{timing:<20}{row['us_per_customer'][name]:>7.2f} us/customer")
        line(name, cells)
    line(
        "state file",
        [
            f"{row['state_file_bytes'] / 2**20:.1f} MiB, "
            f"{row['state_file_bytes_per_customer']:,.0f} bytes/customer"
            for row in columns
        ],
    )
    small, large = columns
    say(
        "  sanity: a fork's snapshot equals the original's "
        f"({small['fork_snapshot_equal']}, {large['fork_snapshot_equal']}), so does a loaded "
        f"file's ({small['loaded_snapshot_equal']}, {large['loaded_snapshot_equal']}); "
        f"snapshot us/customer ratio {figures['snapshot_us_per_customer_ratio']:.2f} "
        "(1 is linear)"
    )


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

    results["snapshots"] = snapshots = bench_snapshots(sizes, large=(sim, ids))
    del sim, ids
    _say_snapshots(say, snapshots, sizes)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = arguments(__doc__, "a fast smoke run (10,000 customers)")
    args = parser.parse_args(argv)
    report(lambda say: run(Sizes(args.quick), say), as_json=args.json)


if __name__ == "__main__":
    main()
