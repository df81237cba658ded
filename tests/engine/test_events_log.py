"""Events: every change in order, filters, retrieve, and Stripe's shape."""

from __future__ import annotations

import contextlib

import pmsim
from tests.support import assert_stripe_error


def lifecycle(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com")
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    sim.payment_methods.update(pm.id, metadata={"k": "v"})
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm.id})
    sim.payment_methods.detach(pm.id)
    sim.customers.delete(cus.id)


def test_every_change_emits_in_order(sim: pmsim.Simulator) -> None:
    lifecycle(sim)
    assert [e.type for e in sim.events.list()][::-1] == [
        "customer.created",
        "payment_method.attached",
        "payment_method.updated",
        "customer.updated",
        "payment_method.detached",
        "customer.updated",
        "customer.deleted",
    ]


def test_event_shape(sim: pmsim.Simulator) -> None:
    lifecycle(sim)
    event = sim.events.list(type="customer.created").data[0]
    body = event.to_dict()
    assert body["id"].startswith("evt_1") and len(body["id"]) == 28
    assert (body["object"], body["livemode"], body["pending_webhooks"]) == ("event", False, 0)
    assert body["request"] == {"id": None, "idempotency_key": None}
    assert "previous_attributes" not in body["data"]
    assert body["data"]["object"]["email"] == "a@example.com"


def test_event_objects_are_snapshots(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com")
    sim.customers.update(cus.id, email="b@example.com")
    created = sim.events.list(type="customer.created").data[0]
    assert created.data["object"]["email"] == "a@example.com"


def test_filters_and_retrieve(sim: pmsim.Simulator) -> None:
    lifecycle(sim)
    assert len(sim.events.list(type="customer.*")) == 4
    assert len(sim.events.list(types=["payment_method.attached", "customer.deleted"])) == 2
    newest = sim.events.list(limit=1).data[0]
    assert sim.events.retrieve(newest.id) == newest
    assert_stripe_error(
        lambda: sim.events.retrieve("evt_nope"),
        status=404, message="No such event: 'evt_nope'", code="resource_missing", param="id",
    )  # fmt: skip


def test_failed_calls_emit_nothing(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    count = len(sim.events.list(limit=100))
    for call in (
        lambda: sim.payment_methods.attach("pm_card_visa_chargeDeclined", customer=cus.id),
        lambda: sim.customers.update(cus.id, metadata={"k" * 41: "v"}),
        lambda: sim.payment_methods.detach("pm_nope"),
    ):
        with contextlib.suppress(pmsim.StripeError):
            call()
    assert len(sim.events.list(limit=100)) == count
