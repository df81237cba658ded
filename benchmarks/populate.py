"""Benchmark for ``pmsim.testing.populate``: customers per second at 1,000 to 100,000 customers.

Run from the repository root (needs the ``populate`` extra: faker and tqdm)::

    python benchmarks/populate.py           # 1,000, 10,000 and 100,000 customers, ~1 minute
    python benchmarks/populate.py --quick   # smoke run: 1,000 and 10,000 customers (~10 s)
    python benchmarks/populate.py --json    # the same figures as JSON on stdout

It measures, and prints with the machine it ran on:

1. ``populate(sim, customers=N)`` with its defaults (1 or 2 cards each, 80 % with a default,
   ``DEFAULT_CARDS`` with its 4.4 % of declines, no progress bar) on a fresh
   ``pmsim.Simulator()``, in customers per second and seconds, best (and median) of a few
   repeats for the smaller sizes, one run at 100,000;
2. what faker costs: drawing the pools of names, streets, places and phone numbers once
   (``POOL_SIZE`` values each, from a new seeded ``Faker``), which every run includes;
3. memory per customer: what the simulator holds after ``populate`` (customers, their cards,
   the declined cards, events, indexes, and the ``Population`` result), per customer
   (tracemalloc, on a run of its own with 5,000 customers, since tracing slows it down).

Simulators are made outside the timed region; the garbage collector runs, as in real use,
after a ``gc.collect()`` before each timed run. Only the standard library, pmsim, faker and
tqdm are used.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout even when pmsim is not installed

from bench_common import arguments, machine_info, report, say_machine, summary  # noqa: E402

import pmsim  # noqa: E402
from pmsim.testing import populate  # noqa: E402
from pmsim.testing.populate import POOL_SIZE, _Pools  # noqa: E402

MEMORY_CUSTOMERS = 5_000


class Sizes:
    """How many customers each run makes, and how often, for a full or a ``--quick`` run."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        # (customers, repeats): the largest run is long enough that one run is steady.
        self.runs = ((1_000, 5), (10_000, 3)) if quick else ((1_000, 5), (10_000, 3), (100_000, 1))


def timed_populate(customers: int) -> tuple[float, pmsim.testing.Population]:
    """Seconds for one ``populate`` of ``customers`` customers, and what it made."""
    sim = pmsim.Simulator()
    gc.collect()
    start = time.perf_counter()
    population = populate(sim, customers, progress=False)
    return time.perf_counter() - start, population


def bench_sizes(sizes: Sizes) -> list[dict[str, Any]]:
    timed_populate(200)  # warm-up: imports faker and tqdm, fills caches
    rows = []
    for customers, repeats in sizes.runs:
        seconds, rates, population = [], [], None
        for _ in range(repeats):
            elapsed, population = timed_populate(customers)
            seconds.append(elapsed)
            rates.append(customers / elapsed)
            del population
        rows.append(
            {"customers": customers, "repeats": repeats}
            | {"seconds": summary(seconds, higher_is_better=False)}
            | {"customers_per_s": summary(rates, higher_is_better=True)}
        )
    return rows


def bench_faker_pools() -> dict[str, float]:
    import faker

    times = []
    for seed in range(3):
        start = time.perf_counter()
        fake = faker.Faker("en_US")
        fake.seed_instance(seed)
        _Pools.draw(fake, POOL_SIZE)
        times.append(time.perf_counter() - start)
    return {"pool_size": POOL_SIZE} | summary(times, higher_is_better=False)


def bench_memory() -> dict[str, Any]:
    sim = pmsim.Simulator()
    populate(sim, 50, progress=False)  # imports and first-use caches, outside the measure
    sim = pmsim.Simulator()
    gc.collect()
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    population = populate(sim, MEMORY_CUSTOMERS, progress=False)
    gc.collect()  # the faker pools and other garbage go; the simulator and result stay
    held = tracemalloc.get_traced_memory()[0] - baseline
    tracemalloc.stop()
    return {
        "customers": MEMORY_CUSTOMERS,
        "payment_methods": len(population.payment_method_ids) + len(population.declined_ids),
        "events": sim.event_count,
        "bytes_per_customer": held / MEMORY_CUSTOMERS,
        "total_mib": held / 2**20,
    }


def run(sizes: Sizes, say: Callable[[str], None]) -> dict[str, Any]:
    packages = ("pmsim", "faker", "tqdm")
    results: dict[str, Any] = {"machine": machine_info(*packages), "quick": sizes.quick}
    say_machine(say, results["machine"], *packages)

    say("populate(sim, customers=N), defaults, no progress bar:")
    results["populate"] = rows = bench_sizes(sizes)
    for row in rows:
        rate, secs = row["customers_per_s"], row["seconds"]
        say(
            f"  {row['customers']:>7,} customers  {rate['best']:>7,.0f}/s "
            f"(median {rate['median']:,.0f}/s)  {secs['best']:6.2f} s  (best of {row['repeats']})"
        )

    results["faker_pools_s"] = pools = bench_faker_pools()
    say(
        f"faker: drawing the pools ({pools['pool_size']} values per field), in every run: "
        f"{pools['best']:.2f} s (median {pools['median']:.2f} s)"
    )

    results["memory"] = memory = bench_memory()
    say(
        f"memory after populate of {memory['customers']:,} customers "
        f"({memory['payment_methods']:,} cards, {memory['events']:,} events, "
        f"{memory['total_mib']:.1f} MiB traced): {memory['bytes_per_customer']:,.0f} bytes "
        "per customer"
    )
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = arguments(__doc__, "1,000 and 10,000 customers only")
    args = parser.parse_args(argv)
    report(lambda say: run(Sizes(args.quick), say), as_json=args.json)


if __name__ == "__main__":
    main()
