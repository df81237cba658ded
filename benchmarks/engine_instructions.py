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

from collections.abc import Callable

from bench_common import callgrind_main

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


def main() -> None:
    callgrind_main(__doc__, __file__, list(OPERATIONS), child, what="call, after 50 to warm up")


if __name__ == "__main__":
    main()
