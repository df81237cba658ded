"""Parameters real integrations send (dj-stripe, stripe-node): ``allow_redisplay`` on cards
and their lists, ``connect`` on webhook endpoints, ``delivery_success`` on events, and
``enabled_events`` held to Stripe's own event types."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain.models import PaymentMethod

REDISPLAY_CHOICES = "Invalid allow_redisplay: must be one of always, limited, or unspecified"
HOOK = "https://example.com/hook"


def card(sim: pmsim.Simulator, **kwargs: object) -> PaymentMethod:
    return sim.payment_methods.create(type="card", card={"token": "tok_visa"}, **kwargs)


# --- allow_redisplay -----------------------------------------------------------------------


def test_allow_redisplay_is_unspecified_unless_set(sim: pmsim.Simulator) -> None:
    assert card(sim).to_dict()["allow_redisplay"] == "unspecified"
    assert card(sim, allow_redisplay="always").to_dict()["allow_redisplay"] == "always"
    assert card(sim, allow_redisplay="limited").allow_redisplay == "limited"


def test_allow_redisplay_survives_attach_and_detach(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach(card(sim, allow_redisplay="always").id, customer=cus.id)
    assert pm.allow_redisplay == "always"
    assert sim.payment_methods.detach(pm.id).allow_redisplay == "always"


def test_updating_allow_redisplay_emits_payment_method_updated(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    updated = sim.payment_methods.update(pm.id, allow_redisplay="always")
    assert updated.allow_redisplay == "always"
    event = sim.events.list(limit=1).data[0]
    assert event.type == "payment_method.updated"
    assert event.to_dict()["data"]["previous_attributes"] == {"allow_redisplay": "unspecified"}
    mark = sim.event_count
    assert sim.payment_methods.update(pm.id, allow_redisplay="always") == updated
    assert sim.event_count == mark  # no change, no event


@pytest.mark.parametrize("value", ["sometimes", "", "ALWAYS"])
def test_allow_redisplay_takes_only_stripes_values(sim: pmsim.Simulator, value: str) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    before = sim.snapshot()
    calls = [
        lambda: card(sim, allow_redisplay=value),
        lambda: sim.payment_methods.update(pm.id, allow_redisplay=value),
        lambda: sim.customers.list_payment_methods(cus.id, allow_redisplay=value),
        lambda: sim.payment_methods.list(customer=cus.id, allow_redisplay=value),
        lambda: sim.payment_methods.list(allow_redisplay=value),
    ]
    for call in calls:
        with pytest.raises(pmsim.InvalidRequestError) as caught:
            call()
        assert (caught.value.message, caught.value.param) == (REDISPLAY_CHOICES, "allow_redisplay")
    assert sim.snapshot() == before


def test_lists_filter_by_allow_redisplay(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    shown = [
        sim.payment_methods.attach(card(sim, allow_redisplay=value).id, customer=cus.id).id
        for value in ("always", "limited", "always", "unspecified")
    ]
    by_customer = sim.customers.list_payment_methods(cus.id, allow_redisplay="always")
    assert [pm.id for pm in by_customer] == [shown[2], shown[0]]
    assert by_customer.url == f"/v1/customers/{cus.id}/payment_methods"
    listed = sim.payment_methods.list(customer=cus.id, allow_redisplay="limited")
    assert [pm.id for pm in listed] == [shown[1]]
    first = sim.customers.list_payment_methods(cus.id, allow_redisplay="always", limit=1)
    assert first.has_more and [pm.id for pm in first] == [shown[2]]
    unspecified = sim.customers.list_payment_methods(cus.id, allow_redisplay="unspecified")
    assert [pm.id for pm in unspecified] == [shown[3]]


# --- connect on webhook endpoints ----------------------------------------------------------


def test_a_connect_endpoint_is_kept_and_sent_nothing(sim: pmsim.Simulator) -> None:
    own = sim.webhook_endpoints.create(url=HOOK, enabled_events=["*"], connect=False)
    connected = sim.webhook_endpoints.create(url=HOOK, enabled_events=["*"], connect=True)
    assert (own.connect, connected.connect) == (False, True)
    assert connected.to_dict()["application"] is None and "connect" not in connected.to_dict()
    assert [hook.id for hook in sim.webhook_endpoints.list()] == [connected.id, own.id]
    sim.customers.create()
    assert sim.webhook_endpoints.receiving("customer.created") == (own,)
    assert sim.events.list().data[0].to_dict()["pending_webhooks"] == 1


def test_connect_takes_a_boolean(sim: pmsim.Simulator) -> None:
    assert sim.webhook_endpoints.create(url=HOOK, enabled_events=["*"], connect="true").connect
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.webhook_endpoints.create(url=HOOK, enabled_events=["*"], connect="yes")
    assert (caught.value.message, caught.value.param) == ("Invalid boolean: yes", "connect")


# --- delivery_success on events ------------------------------------------------------------


def test_delivery_success_splits_events_by_their_pending_webhooks(sim: pmsim.Simulator) -> None:
    unwatched = sim.customers.create()  # before any endpoint: nothing pending
    hook = sim.webhook_endpoints.create(url=HOOK, enabled_events=["customer.created"])
    owed = sim.customers.create()
    sim.customers.update(owed.id, name="Not subscribed")  # customer.updated: nothing pending
    pending = [e.object.id for e in sim.events.list(delivery_success=False)]
    delivered = [e.type for e in sim.events.list(delivery_success=True)]
    assert pending == [owed.id]
    assert delivered == ["customer.updated", "customer.created"]
    assert sim.events.list(delivery_success=True).data[1].object.id == unwatched.id
    event_id = sim.events.list(delivery_success=False).data[0].id
    sim.webhook_endpoints.delivered(event_id, hook.id)
    assert sim.events.list(delivery_success=False).data == ()
    assert len(sim.events.list(delivery_success="true")) == 3


def test_delivery_success_combines_with_the_other_filters(sim: pmsim.Simulator) -> None:
    sim.webhook_endpoints.create(url=HOOK, enabled_events=["*"])
    cus = sim.customers.create()
    sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    found = sim.events.list(delivery_success=False, type="payment_method.*")
    assert [e.type for e in found] == ["payment_method.attached"]
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.events.list(delivery_success="maybe")
    assert caught.value.param == "delivery_success"


# --- enabled_events --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "events",
    [["*"], ["invoice.paid", "customer.subscription.deleted"], ["payment_method.attached"]],
)
def test_stripes_event_types_are_accepted(sim: pmsim.Simulator, events: list[str]) -> None:
    assert sim.webhook_endpoints.create(url=HOOK, enabled_events=events).enabled_events == tuple(
        events
    )


@pytest.mark.parametrize(
    ("events", "index"),
    [(["invoice.payed"], 0), (["customer.created", "customer.*"], 1), (["sku.created"], 0)],
)
def test_names_stripe_does_not_know_are_refused(
    sim: pmsim.Simulator, events: list[str], index: int
) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.webhook_endpoints.create(url=HOOK, enabled_events=events)
    err = caught.value
    assert err.param == f"enabled_events[{index}]"
    assert err.message.startswith(f"Invalid enabled_events[{index}]: must be one of *, account.")
    assert ", payment_method.attached, " in err.message
    hook = sim.webhook_endpoints.create(url=HOOK, enabled_events=["*"])
    with pytest.raises(pmsim.InvalidRequestError):
        sim.webhook_endpoints.update(hook.id, enabled_events=events)
