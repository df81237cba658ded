"""Manual capture through the official stripe-python client (issue 15): authorize, capture in
part, cancel, expire on a test clock, and Stripe's refusals as ``stripe.InvalidRequestError``."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

Client = stripe.StripeClient

NOT_CAPTURABLE = (
    "This PaymentIntent could not be captured because it has a status of {}. Only a "
    "PaymentIntent with one of the following statuses may be captured: requires_capture."
)


def authorized(client: Client, amount: int = 2000, **params: Any) -> stripe.PaymentIntent:
    """A manual-capture payment made off-session in one call: authorized, not captured."""
    return client.v1.payment_intents.create(
        {
            "amount": amount,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "capture_method": "manual",
            "confirm": True,
            "off_session": True,
            **params,
        }  # fmt: skip
    )


def test_authorize_then_capture_part(client: Client) -> None:
    pi = client.v1.payment_intents.create(
        {"amount": 2000, "currency": "usd", "capture_method": "manual"}
    )
    pi = client.v1.payment_intents.confirm(
        pi.id, {"payment_method": "pm_card_visa", "off_session": True}
    )
    assert (pi.status, pi.amount_capturable, pi.amount_received, pi.capture_method) == (
        "requires_capture", 2000, 0, "manual",
    )  # fmt: skip
    charge = client.v1.charges.retrieve(pi.latest_charge or "")
    assert (charge.status, charge.paid, charge.captured, charge.amount_captured) == (
        "succeeded", True, False, 0,
    )  # fmt: skip
    card = charge.payment_method_details.card  # type: ignore[union-attr]
    assert card is not None and card.capture_before == charge.created + 7 * 86_400
    captured = client.v1.payment_intents.capture(
        pi.id, {"amount_to_capture": 1500, "metadata": {"shipped": "yes"}}
    )
    assert (captured.status, captured.amount_received, captured.amount_capturable) == (
        "succeeded", 1500, 0,
    )  # fmt: skip
    assert captured.metadata.shipped == "yes"
    charge = client.v1.charges.retrieve(pi.latest_charge or "")
    assert (charge.captured, charge.amount_captured, charge.amount_refunded, charge.refunded) == (
        True, 1500, 500, False,
    )  # fmt: skip
    (released,) = client.v1.refunds.list({"payment_intent": pi.id}).data
    assert (released.amount, released.status, released.reason) == (500, "succeeded", None)
    types = [event.type for event in client.v1.events.list({"limit": 6}).data]
    assert types == [
        "payment_intent.succeeded", "charge.captured", "refund.created",
        "payment_intent.amount_capturable_updated", "charge.succeeded", "payment_intent.created",
    ]  # fmt: skip


def test_capture_refusals(client: Client) -> None:
    pi = authorized(client)
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.payment_intents.capture(pi.id, {"amount_to_capture": 2001})
    assert (too_much.value.code, too_much.value.param, too_much.value.http_status) == (
        "amount_too_large", "amount_to_capture", 400,
    )  # fmt: skip
    assert too_much.value.user_message == (
        "The payment could not be captured because the requested capture amount is greater "
        "than the amount you can capture for this charge."
    )
    client.v1.payment_intents.capture(pi.id)
    with pytest.raises(stripe.InvalidRequestError) as twice:
        client.v1.payment_intents.capture(pi.id)
    assert twice.value.code == "payment_intent_unexpected_state"
    assert twice.value.user_message == (
        "This PaymentIntent could not be captured because it has already been captured."
    )
    waiting = client.v1.payment_intents.create({"amount": 900, "currency": "usd"})
    with pytest.raises(stripe.InvalidRequestError) as open_intent:
        client.v1.payment_intents.capture(waiting.id)
    assert open_intent.value.code == "payment_intent_unexpected_state"
    assert open_intent.value.user_message == NOT_CAPTURABLE.format("requires_payment_method")
    assert open_intent.value.error is not None
    assert open_intent.value.error.payment_intent.id == waiting.id  # type: ignore[union-attr]


def test_refund_of_an_authorization_is_refused_and_cancel_releases_it(client: Client) -> None:
    pi = authorized(client, 1200)
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.refunds.create({"payment_intent": pi.id})
    assert refused.value.user_message is not None
    assert refused.value.user_message.startswith(
        f"This uncaptured Charge was created by a PaymentIntent ({pi.id}). You must cancel the "
        "PaymentIntent to reverse the authorization"
    )
    canceled = client.v1.payment_intents.cancel(pi.id, {"cancellation_reason": "abandoned"})
    assert (canceled.status, canceled.amount_capturable) == ("canceled", 0)
    charge = client.v1.charges.retrieve(pi.latest_charge or "")
    assert (charge.captured, charge.amount_refunded, charge.refunded) == (False, 1200, True)
    types = [event.type for event in client.v1.events.list({"limit": 3}).data]
    assert types == ["payment_intent.canceled", "charge.refunded", "refund.created"]


def test_an_authorization_expires_as_a_test_clock_passes_capture_before(client: Client) -> None:
    start = 1_704_067_200
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": start})
    pi = authorized(client, 800)
    client.v1.test_helpers.test_clocks.advance(clock.id, {"frozen_time": start + 8 * 86_400})
    expired = client.v1.payment_intents.retrieve(pi.id)
    assert (expired.status, expired.cancellation_reason) == ("canceled", "automatic")
    charge = client.v1.charges.retrieve(pi.latest_charge or "", {"expand": ["payment_intent"]})
    assert (charge.captured, charge.refunded) == (False, True)
    types = [event.type for event in client.v1.events.list({"limit": 5}).data]
    assert types == [
        "test_helpers.test_clock.ready", "payment_intent.canceled", "charge.expired",
        "refund.created", "test_helpers.test_clock.advancing",
    ]  # fmt: skip
    (release,) = client.v1.refunds.list({"charge": charge.id}).data
    assert release.reason == "expired_uncaptured_charge"


def test_the_card_option_authorizes_through_the_client(client: stripe.StripeClient) -> None:
    held = client.v1.payment_intents.create(
        {"amount": 1200, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
         "off_session": True, "payment_method_options": {"card": {"capture_method": "manual"}}}
    )  # fmt: skip
    assert held.status == "requires_capture"
    assert client.v1.payment_intents.capture(held.id).status == "succeeded"
