"""Webhooks: Stripe-signed deliveries that stripe.Webhook.construct_event accepts, endpoints."""

from __future__ import annotations

import time
from collections.abc import Mapping

import pytest
import stripe

import pmsim
from pmsim.transports.webhooks import subscribe


class Inbox:
    """A webhook handler as billing code writes one: verify, then keep the event."""

    def __init__(self) -> None:
        self.secret = ""
        self.events: list[stripe.Event] = []

    def __call__(self, payload: str, headers: Mapping[str, str]) -> None:
        event = stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], self.secret)
        self.events.append(event)


def test_every_event_arrives_signed_and_in_order(sim: pmsim.Simulator) -> None:
    inbox = Inbox()
    inbox.secret = subscribe(sim, inbox).secret
    cus = sim.customers.create(email="ada@example.com")
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    sim.payment_methods.detach(pm.id)
    assert [event.type for event in inbox.events] == [
        "customer.created", "payment_method.attached", "payment_method.detached",
    ]  # fmt: skip
    assert [event.id for event in inbox.events] == [e.id for e in sim.events.list().data][::-1]
    assert inbox.events[2].data.previous_attributes.customer == cus.id


def test_only_enabled_events_and_recorded_declines_are_sent(sim: pmsim.Simulator) -> None:
    inbox = Inbox()
    inbox.secret = subscribe(sim, inbox, enabled_events=["setup_intent.setup_failed"]).secret
    sim.customers.create()
    with pytest.raises(pmsim.CardError):
        sim.setup_intents.create(
            payment_method="pm_card_visa_chargeDeclined",
            confirm=True,
            return_url="https://example.com/return",
        )
    with pytest.raises(pmsim.InvalidRequestError):
        sim.customers.retrieve("cus_missing")  # a refused call emits nothing, sends nothing
    assert [event.type for event in inbox.events] == ["setup_intent.setup_failed"]
    assert inbox.events[0].data.object.last_setup_error.code == "card_declined"


def test_a_tampered_payload_an_old_timestamp_and_a_wrong_secret_are_rejected(
    sim: pmsim.Simulator,
) -> None:
    sent: list[tuple[str, str]] = []
    hook = subscribe(
        sim, lambda payload, headers: sent.append((payload, headers["Stripe-Signature"]))
    )
    stale = subscribe(
        sim, lambda payload, headers: sent.append((payload, headers["Stripe-Signature"])),
        secret=hook.secret, clock=lambda: time.time() - 600,
    )  # fmt: skip
    sim.customers.create()
    (payload, signature), (_, old_signature) = sent
    assert stripe.Webhook.construct_event(payload, signature, hook.secret).type == (
        "customer.created"
    )
    with pytest.raises(stripe.SignatureVerificationError, match="No signatures found"):
        stripe.Webhook.construct_event(
            payload.replace("customer", "Customer"), signature, hook.secret
        )
    with pytest.raises(stripe.SignatureVerificationError, match="tolerance zone"):
        stripe.Webhook.construct_event(payload, old_signature, stale.secret)
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(payload, signature, "whsec_someone_else")


def test_a_failing_handler_loses_nothing(sim: pmsim.Simulator) -> None:
    broken = True
    received: list[str] = []

    def handler(payload: str, headers: Mapping[str, str]) -> None:
        if broken:
            raise ConnectionError("the app is down")
        received.append(payload)

    hook = subscribe(sim, handler)
    sim.customers.create()
    sim.customers.create()
    assert [d.status for d in hook.deliveries] == ["failed", "failed"]
    assert hook.deliveries[0].error == "ConnectionError: the app is down"
    broken = False
    assert hook.redeliver() == 2
    assert [d.status for d in hook.deliveries] == ["delivered", "delivered"]
    assert [d.attempts for d in hook.deliveries] == [2, 2]
    assert len(received) == 2
    hook.close()
    sim.customers.create()
    assert len(hook.deliveries) == 2


def test_a_handler_may_call_the_simulator(sim: pmsim.Simulator) -> None:
    def handler(payload: str, headers: Mapping[str, str]) -> None:
        if '"type":"customer.created"' in payload:
            customer_id = stripe.Event.construct_from(
                __import__("json").loads(payload), "sk_test"
            ).data.object.id
            sim.customers.update(customer_id, metadata={"welcomed": "yes"})

    subscribe(sim, handler)
    cus = sim.customers.create()
    assert sim.customers.retrieve(cus.id).metadata == {"welcomed": "yes"}


def test_webhook_endpoints_through_the_client(client: stripe.StripeClient) -> None:
    endpoints = client.v1.webhook_endpoints
    made = endpoints.create(
        {"url": "https://example.com/stripe", "enabled_events": ["payment_method.attached"]}
    )
    assert made.secret.startswith("whsec_") and made.status == "enabled"
    found = endpoints.retrieve(made.id)
    assert "secret" not in found and found.enabled_events == ["payment_method.attached"]
    paused = endpoints.update(made.id, {"disabled": True, "enabled_events": ["*"]})
    assert (paused.status, paused.enabled_events) == ("disabled", ["*"])
    assert [e.id for e in endpoints.list().auto_paging_iter()] == [made.id]
    assert endpoints.delete(made.id).deleted is True
    with pytest.raises(stripe.InvalidRequestError) as gone:
        endpoints.retrieve(made.id)
    assert gone.value.http_status == 404
    with pytest.raises(stripe.InvalidRequestError) as bad_url:
        endpoints.create({"url": "not a url", "enabled_events": ["*"]})
    assert bad_url.value.error.param == "url"
    with pytest.raises(stripe.InvalidRequestError) as bad_event:
        endpoints.create({"url": "https://example.com/x", "enabled_events": ["Customer Created"]})
    assert bad_event.value.error.param == "enabled_events[0]"
