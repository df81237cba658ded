"""The native API's hot paths in CPU instructions, by valgrind's callgrind: a figure that the
noise of a shared machine cannot move, for comparing two commits of the engine.

Run from the repository root with valgrind on the PATH::

    python benchmarks/engine_instructions.py             # about a minute
    python benchmarks/engine_instructions.py --calls 200 # quicker, as exact
    python benchmarks/engine_instructions.py --json

Each figure is one child process that sets up and warms up, then makes ``calls`` measured
calls, less a run that does everything but the measured calls. ``benchmarks/engine.py`` times
the same paths; its figures move by a fifth from run to run on a shared machine, these do not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench_common import callgrind_count

import pmsim


def attach_detach(sim: pmsim.Simulator, calls: int) -> None:
    """A cycle of attaching a new test card (``attach`` makes it) and detaching it."""
    customer = sim.customers.create().id
    for _ in range(calls):
        pm = sim.payment_methods.attach("pm_card_visa", customer=customer)
        sim.payment_methods.detach(pm.id)


def create_attach_detach(sim: pmsim.Simulator, calls: int) -> None:
    """A new customer each time, with a card attached and detached."""
    for _ in range(calls):
        customer = sim.customers.create().id
        pm = sim.payment_methods.attach("pm_card_visa", customer=customer)
        sim.payment_methods.detach(pm.id)


def create_customer(sim: pmsim.Simulator, calls: int) -> None:
    for _ in range(calls):
        sim.customers.create(email="ada@example.com")


def new_simulator(sim: pmsim.Simulator, calls: int) -> None:
    for seed in range(calls):
        pmsim.Simulator(seed=seed)


OPERATIONS: dict[str, Callable[[pmsim.Simulator, int], None]] = {
    "attach_detach": attach_detach,
    "create_attach_detach": create_attach_detach,
    "create_customer": create_customer,
    "new_simulator": new_simulator,
}


def child(operation: str, calls: int) -> None:
    run = OPERATIONS[operation]
    run(pmsim.Simulator(seed=1), 50)  # warm-up: caches and first-use imports
    if calls:
        run(pmsim.Simulator(seed=2), calls)


def count(operation: str, calls: int) -> int:
    return callgrind_count(__file__, "--child", operation, str(calls))


def per_call(operation: str, calls: int) -> float:
    with ThreadPoolExecutor(max_workers=2) as pool:
        base, full = pool.map(lambda n: count(operation, n), (0, calls))
    return (full - base) / calls


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="measured calls per figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures: dict[str, Any] = {name: per_call(name, args.calls) for name in OPERATIONS}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"Instructions per call (callgrind, {args.calls} calls after 50 to warm up):")
    for name, value in figures.items():
        print(f"  {name:16} {value:>12,.0f}")


if __name__ == "__main__":
    main()
