"""The simulator's seam for outer layers: commit listeners, extensions and refusals of
restore() behave as their docstrings say, also when used twice or from two threads."""

from __future__ import annotations

import time
import weakref

import pytest

import pmsim
from pmsim.domain.events import Event
from pmsim.transports.webhooks import subscribe
from tests.support import cycle_collector_off, race


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


def test_an_owed_only_listener_hears_only_commits_owing_an_endpoint(
    sim: pmsim.Simulator,
) -> None:
    heard: list[list[str]] = []
    everything: list[list[str]] = []
    stop = sim.on_commit(lambda events: heard.append([e.type for e in events]), owed_only=True)
    sim.on_commit(lambda events: everything.append([e.type for e in events]))
    sim.customers.create()  # no endpoint yet: owes nobody
    sim.webhook_endpoints.create(
        url="https://example.com/hook", enabled_events=["customer.updated"]
    )
    customer = sim.customers.create(metadata={"n": "1"}).id  # not an event the endpoint wants
    sim.customers.update(customer, metadata={"n": "2"})
    sim.customers.update(customer, email="ada@example.com")
    stop()
    sim.customers.update(customer, metadata={"n": "3"})
    assert heard == [["customer.updated"], ["customer.updated"]]
    assert len(everything) == 5  # every commit with events: the five customer calls


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


def test_listeners_see_the_event_logs_order_whatever_the_threads(sim: pmsim.Simulator) -> None:
    seen: list[str] = []

    def listener(events: tuple[Event, ...]) -> None:
        time.sleep(0)  # let other threads run between a commit and its delivery
        seen.extend(event.id for event in events)

    stop = sim.on_commit(listener)

    def busy(_: str) -> None:
        for _ in range(300):
            customer = sim.customers.create().id
            sim.customers.update(customer, metadata={"n": "1"})

    race(busy, ["a", "b", "c", "d"], ValueError)
    stop()
    assert seen == [event.id for event in sim.events_since(0)]


def test_a_listener_calling_the_simulator_sees_its_own_events_after(
    sim: pmsim.Simulator,
) -> None:
    seen: list[str] = []

    def listener(events: tuple[Event, ...]) -> None:
        for event in events:
            seen.append(event.type)
            if event.type == "customer.created":
                sim.customers.update(event.object.id, metadata={"welcomed": "yes"})

    stop = sim.on_commit(listener)
    sim.customers.create(payment_method="pm_card_visa")
    stop()
    assert seen == ["customer.created", "payment_method.attached", "customer.updated"]
    assert seen == [event.type for event in sim.events_since(0)]


class _Keeper:
    """A subscriber keeping its own unsubscribe function, as a server's deliverer does."""

    def __init__(self, sim: pmsim.Simulator) -> None:
        self.heard: list[Event] = []
        self.stop = sim.on_commit(self.heard.extend, owed_only=True)
        self.stop_all = sim.on_commit(self.receive)

    def receive(self, events: tuple[Event, ...]) -> None:
        self.heard.extend(events)


def test_a_simulator_let_go_is_freed_without_the_cycle_collector() -> None:
    # Its clock calls the simulator back weakly, and an unsubscribe lets go of its listener:
    # so a server's forgotten key is freed at once, not at a full collection that walks
    # every object the server holds.
    with cycle_collector_off():
        sim = pmsim.Simulator()
        customer = weakref.ref(sim.customers.create())
        sim.clock.advance(days=1)
        keeper = _Keeper(sim)
        sim.customers.create()
        keeper.stop()
        keeper.stop_all()
        assert keeper.heard and customer() is not None
        del sim, keeper
        assert customer() is None


def test_a_clock_outliving_its_simulator_still_advances() -> None:
    with cycle_collector_off():
        sim = pmsim.Simulator()
        clock = sim.clock
        del sim
        assert clock.advance(days=1) == clock.now()
