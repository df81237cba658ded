"""The simulator's seam for outer layers: commit listeners, extensions and refusals of
restore() behave as their docstrings say, also when used twice or from two threads."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.transports.webhooks import subscribe
from tests.support import race


def test_two_refusals_of_restore_are_lifted_one_by_one(sim: pmsim.Simulator) -> None:
    start = sim.snapshot()
    first = sim.refuse_restore("recording A")
    second = sim.refuse_restore("recording A")
    first()
    first()  # lifting twice lifts only its own refusal
    with pytest.raises(pmsim.PmsimUsageError, match="recording A"):
        sim.restore(start)
    second()
    sim.restore(start)


def test_unsubscribing_twice_and_from_two_threads_is_harmless(sim: pmsim.Simulator) -> None:
    seen: list[str] = []
    stop = sim.on_commit(lambda events: seen.extend(e.type for e in events))
    assert len(race(lambda _: stop(), ["a", "b", "c", "d"], ValueError)) == 4
    stop()
    sim.customers.create()
    assert seen == []


def test_extensions_travel_with_forks_and_snapshots_as_copies(sim: pmsim.Simulator) -> None:
    class Box:
        def __init__(self, value: int = 0) -> None:
            self.value = value

        def copy(self) -> Box:
            return Box(self.value)

    sim.extension("box", Box).value = 1
    start = sim.snapshot()
    sim.extension("box", Box).value = 2
    fork = sim.fork()
    sim.restore(start)
    assert sim.extension("box", Box).value == 1
    assert fork.extension("box", Box).value == 2


def test_default_subscriber_secrets_never_repeat_across_a_restore(sim: pmsim.Simulator) -> None:
    start = sim.snapshot()
    made = [subscribe(sim, lambda payload, headers: None) for _ in range(2)]
    sim.restore(start)
    made.append(subscribe(sim, lambda payload, headers: None))
    assert len({subscription.secret for subscription in made}) == 3
    for subscription in made:
        subscription.close()
