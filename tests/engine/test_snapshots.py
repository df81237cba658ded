"""sim.snapshot() / sim.restore() / sim.fork(): going back, and what-if copies."""

from __future__ import annotations

import json

import pytest

import pmsim
from pmsim.api import ApiRequest, handle
from tests.support import busy, story, views


def test_restore_brings_back_everything_the_lists_show() -> None:
    sim = busy()
    saved, shown = sim.snapshot(), views(sim)
    story(sim)
    sim.restore(saved)
    assert sim.snapshot() == saved
    assert views(sim) == shown
    assert sim.clock.now() == saved.time


def test_after_a_restore_the_same_calls_give_the_same_ids_and_objects() -> None:
    sim = busy()
    saved = sim.snapshot()
    first = story(sim)
    sim.restore(saved)
    assert story(sim) == first


def test_a_snapshot_can_be_restored_again_and_is_never_changed() -> None:
    sim = busy()
    saved = sim.snapshot()
    copy_of_saved = sim.snapshot()
    for _ in range(2):
        story(sim)
        sim.restore(saved)
    assert saved == copy_of_saved
    assert sim.snapshot() == saved


def test_restore_undoes_a_deletion_and_a_detach() -> None:
    sim = pmsim.Simulator(seed=1)
    cus = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm.id})
    saved = sim.snapshot()
    sim.customers.delete(cus.id)
    assert sim.payment_methods.retrieve(pm.id).state is pmsim.PMState.DETACHED
    sim.restore(saved)
    assert sim.payment_methods.retrieve(pm.id).customer == cus.id
    assert sim.customers.retrieve(cus.id).invoice_settings.default_payment_method == pm.id
    assert [p.id for p in sim.customers.list_payment_methods(cus.id)] == [pm.id]


def test_restore_can_move_the_clock_back_but_nothing_else_does() -> None:
    sim = pmsim.Simulator()
    saved = sim.snapshot()
    sim.clock.advance(days=3)
    sim.restore(saved)
    assert sim.clock.now() == saved.time
    with pytest.raises(ValueError, match="only moves forward"):
        sim.clock.advance(days=-1)


def test_restore_takes_only_snapshots() -> None:
    sim = pmsim.Simulator()
    with pytest.raises(TypeError, match=r"Simulator.load\(path\)"):
        sim.restore(sim.snapshot().to_dict())  # type: ignore[arg-type]


def test_a_subscription_stays_with_the_simulator_across_a_restore() -> None:
    sim = pmsim.Simulator()
    seen: list[str] = []
    pmsim.subscribe(sim, lambda payload, headers: seen.append(json.loads(payload)["type"]))
    saved = sim.snapshot()
    sim.customers.create()
    sim.restore(saved)
    sim.customers.create()
    assert seen == ["customer.created", "customer.created"]


def request(key: str) -> ApiRequest:
    headers = {"Authorization": "Bearer sk_test_x", "Idempotency-Key": key}
    return ApiRequest("POST", "/v1/customers", headers=headers, body="email=a%40example.com")


def test_idempotency_keys_go_back_with_the_snapshot() -> None:
    sim = pmsim.Simulator()
    before = handle(sim, request("before")).body
    saved = sim.snapshot()
    after = handle(sim, request("after")).body
    sim.restore(saved)
    assert handle(sim, request("before")).body == before  # remembered: it was in the snapshot
    fresh = handle(sim, request("after")).body  # forgotten: it came after the snapshot
    assert fresh["id"] == after["id"]  # ... and made again, with the same id
    assert sim.customers.list().data[0].id == fresh["id"]


def test_a_failed_call_after_a_restore_changes_nothing() -> None:
    sim = busy()
    sim.restore(sim.snapshot())
    saved = sim.snapshot()
    with pytest.raises(pmsim.InvalidRequestError):
        sim.payment_methods.attach("pm_card_visa", customer="cus_missing")
    assert sim.snapshot() == saved


def test_a_fork_is_independent_both_ways() -> None:
    sim = busy()
    what_if = sim.fork()
    assert what_if.snapshot() == sim.snapshot()
    ada = sim.customers.list(limit=100).data[-1]
    what_if.customers.delete(ada.id)
    assert not sim.customers.retrieve(ada.id).deleted
    sim.customers.update(ada.id, email="changed@example.com")
    assert what_if.customers.retrieve(ada.id).to_dict() == {
        "id": ada.id, "object": "customer", "deleted": True
    }  # fmt: skip
    assert len(what_if.events.list(limit=100)) != len(sim.events.list(limit=100))


def test_forks_of_one_state_make_the_same_futures() -> None:
    sim = busy()
    first, second = sim.fork(), sim.fork()
    assert story(first) == story(second) == story(sim)


def test_a_fork_shares_the_frozen_records_rather_than_copying_them() -> None:
    sim = busy()
    what_if = sim.fork()
    ada = sim.customers.list(limit=100).data[-1]
    assert what_if.customers.retrieve(ada.id) is sim.customers.retrieve(ada.id)


def test_a_fork_does_not_inherit_subscriptions() -> None:
    sim = pmsim.Simulator()
    seen: list[str] = []
    pmsim.subscribe(sim, lambda payload, headers: seen.append(json.loads(payload)["type"]))
    sim.fork().customers.create()
    assert seen == []


def test_snapshot_to_dict_is_plain_stripe_json_with_pmsims_flags() -> None:
    sim = busy()
    data = sim.snapshot().to_dict()
    states = {pm["state"] for pm in data["payment_methods"]}
    assert states == {"new", "attached", "detached", "consumed"}
    assert any(customer["deleted"] for customer in data["customers"])
    assert data["time"] == sim.clock.now()


def test_the_snapshot_repr_is_short() -> None:
    sim = busy()
    text = repr(sim.snapshot())
    assert text.startswith("<Snapshot seed=5 at ") and len(text) < 120
