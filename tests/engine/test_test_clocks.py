"""Test clocks: a named view on the simulator's one clock (docs/fidelity.md "Test clocks")."""

from __future__ import annotations

import pytest

import pmsim
from tests.support import event_types

DAY = 86_400


def test_advancing_a_test_clock_moves_the_simulator_clock_as_far() -> None:
    sim = pmsim.Simulator()
    clock = sim.test_clocks.create(frozen_time=sim.clock.now() + 3_600, name="Renewals")
    assert (clock.frozen_time, clock.name, clock.to_dict()["status"]) == (
        1_704_070_800, "Renewals", "ready",
    )  # fmt: skip
    start = sim.clock.now()
    moved = sim.test_clocks.advance(clock.id, frozen_time=clock.frozen_time + 2 * DAY)
    assert moved.frozen_time == clock.frozen_time + 2 * DAY
    assert sim.clock.now() == start + 2 * DAY
    assert event_types(sim, 1) == [
        "test_helpers.test_clock.advancing", "test_helpers.test_clock.ready",
    ]  # fmt: skip
    assert [event.created for event in sim.events_since(1)] == [start, start + 2 * DAY]


def test_time_dependent_rules_see_the_advance() -> None:
    sim = pmsim.Simulator(start_time="2024-01-15T00:00:00Z")
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    cus = sim.customers.create(test_clock=clock.id)
    card = {"number": "4242424242424242", "exp_month": 1, "exp_year": 2024}
    pm = sim.payment_methods.create(type="card", card=card)
    sim.test_clocks.advance(clock.id, frozen_time=clock.frozen_time + 30 * DAY)  # February
    with pytest.raises(pmsim.CardError, match="expiration month is invalid"):
        sim.payment_methods.create(type="card", card=card)
    assert sim.payment_methods.attach(pm.id, customer=cus.id).customer == cus.id


def test_a_clock_only_moves_forward_and_refusals_change_nothing() -> None:
    sim = pmsim.Simulator()
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    before = sim.snapshot()
    for bad in (clock.frozen_time, clock.frozen_time - 1):
        with pytest.raises(pmsim.InvalidRequestError) as caught:
            sim.test_clocks.advance(clock.id, frozen_time=bad)
        assert caught.value.param == "frozen_time"
    with pytest.raises(pmsim.InvalidRequestError, match="Missing required param: frozen_time"):
        sim.test_clocks.create()
    with pytest.raises(pmsim.InvalidRequestError) as missing:
        sim.test_clocks.retrieve("clock_nope")
    assert (missing.value.http_status, missing.value.message) == (
        404, "No such test_clock: 'clock_nope'",
    )  # fmt: skip
    assert sim.snapshot() == before


def test_deleting_a_clock_deletes_its_customers_and_only_them() -> None:
    sim = pmsim.Simulator()
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    on_clock = sim.customers.create(test_clock=clock.id, payment_method="pm_card_visa")
    other = sim.customers.create(payment_method="pm_card_visa")
    assert [c.id for c in sim.customers.list(test_clock=clock.id)] == [on_clock.id]
    mark = sim.event_count
    gone = sim.test_clocks.delete(clock.id)
    assert gone.to_dict() == {"id": clock.id, "object": "test_helpers.test_clock", "deleted": True}
    assert event_types(sim, mark) == [
        "payment_method.detached", "customer.deleted", "test_helpers.test_clock.deleted",
    ]  # fmt: skip
    assert sim.customers.retrieve(on_clock.id).deleted
    assert not sim.customers.retrieve(other.id).deleted
    assert [c.id for c in sim.test_clocks.list()] == []
    with pytest.raises(pmsim.InvalidRequestError, match="No such test_clock"):
        sim.customers.create(test_clock=clock.id)


def test_customers_name_their_clock() -> None:
    sim = pmsim.Simulator()
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    assert sim.customers.create(test_clock=clock.id).to_dict()["test_clock"] == clock.id
    assert sim.customers.create().to_dict()["test_clock"] is None
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.customers.create(test_clock="clock_nope")
    assert (caught.value.param, caught.value.http_status) == ("test_clock", 400)


@pytest.mark.parametrize("frozen_time", [-1, 253_402_300_800, 10**15])
def test_a_frozen_time_beyond_simulated_time_is_refused_at_create(frozen_time: int) -> None:
    sim = pmsim.Simulator()
    with pytest.raises(pmsim.InvalidRequestError, match="Invalid frozen_time") as refused:
        sim.test_clocks.create(frozen_time=frozen_time)
    assert refused.value.param == "frozen_time"


@pytest.mark.parametrize("frozen_time", [10**12, 10**13, 10**15])
def test_advancing_past_the_end_of_simulated_time_is_refused_and_changes_nothing(
    frozen_time: int,
) -> None:
    sim = pmsim.Simulator()
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    before = sim.snapshot()
    with pytest.raises(pmsim.InvalidRequestError, match="Invalid frozen_time") as refused:
        sim.test_clocks.advance(clock.id, frozen_time=frozen_time)
    assert refused.value.param == "frozen_time"
    assert sim.snapshot() == before
