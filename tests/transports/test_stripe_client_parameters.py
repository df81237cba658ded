"""What dj-stripe's admin and sync send, through the official client: ``connect`` on a new
webhook endpoint, ``delivery_success`` on events, ``allow_redisplay`` on cards."""

from __future__ import annotations

import pytest
import stripe

import pmsim


def test_a_webhook_endpoint_as_dj_stripes_admin_creates_it(
    sim: pmsim.Simulator, client: stripe.StripeClient
) -> None:
    hook = client.v1.webhook_endpoints.create(
        {"url": "https://example.com/stripe/webhook/", "enabled_events": ["*"], "connect": False,
         "api_version": "2024-06-20", "description": "dj-stripe", "metadata": {"djstripe": "1"}}
    )  # fmt: skip
    assert hook.secret.startswith("whsec_") and hook.application is None
    client.v1.customers.create()
    pending = client.v1.events.list({"delivery_success": False})
    assert [event.type for event in pending] == ["customer.created"]
    assert pending.data[0].pending_webhooks == 1
    sim.webhook_endpoints.delivered(pending.data[0].id, hook.id)
    assert client.v1.events.list({"delivery_success": False}).data == []
    assert len(client.v1.events.list({"delivery_success": True}).data) == 1


def test_allow_redisplay_through_the_client(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    pm = client.v1.payment_methods.create(
        {"type": "card", "card": {"token": "tok_visa"}, "allow_redisplay": "always"}
    )
    client.v1.payment_methods.attach(pm.id, {"customer": cus.id})
    client.v1.payment_methods.attach("pm_card_amex", {"customer": cus.id})
    shown = client.v1.customers.payment_methods.list(cus.id, {"allow_redisplay": "always"})
    assert [card.id for card in shown] == [pm.id]
    pm = client.v1.payment_methods.update(pm.id, {"allow_redisplay": "limited"})
    assert pm.allow_redisplay == "limited"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_methods.update(pm.id, {"allow_redisplay": "never"})
    assert (caught.value.param, caught.value.http_status) == ("allow_redisplay", 400)
