"""Refunds through the official stripe-python client (issue 15)."""

from __future__ import annotations

import pytest
import stripe

Client = stripe.StripeClient


def paid(client: Client, amount: int = 1500) -> stripe.PaymentIntent:
    return client.v1.payment_intents.create(
        {
            "amount": amount,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "off_session": True,
        }  # fmt: skip
    )


def test_refund_a_payment_in_two_parts(client: Client) -> None:
    pi = paid(client)
    first = client.v1.refunds.create({"payment_intent": pi.id, "amount": 500})
    assert (first.object, first.status, first.amount, first.charge) == (
        "refund", "succeeded", 500, pi.latest_charge,
    )  # fmt: skip
    rest = client.v1.refunds.create({"charge": pi.latest_charge or "", "reason": "duplicate"})
    assert rest.amount == 1000
    charge = client.v1.charges.retrieve(pi.latest_charge or "")
    assert (charge.amount_refunded, charge.refunded) == (1500, True)
    listed = [r.id for r in client.v1.refunds.list({"payment_intent": pi.id}).auto_paging_iter()]
    assert listed == [rest.id, first.id]
    expanded = client.v1.refunds.retrieve(first.id, {"expand": ["charge"]})
    assert expanded.charge.id == pi.latest_charge  # type: ignore[union-attr]
    noted = client.v1.refunds.update(first.id, {"metadata": {"ticket": "42"}})
    assert noted.metadata.ticket == "42"  # type: ignore[union-attr]


def test_refusals_are_invalid_request_errors(client: Client) -> None:
    pi = paid(client, 1000)
    with pytest.raises(stripe.InvalidRequestError) as over:
        client.v1.refunds.create({"payment_intent": pi.id, "amount": 1001})
    assert (
        over.value.user_message == "Refund amount ($10.01) is greater than charge amount ($10.00)"
    )
    assert over.value.param == "amount" and over.value.code is None
    client.v1.refunds.create({"payment_intent": pi.id})
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.refunds.create({"payment_intent": pi.id})
    assert again.value.code == "charge_already_refunded"
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.refunds.retrieve("re_nope")
    assert missing.value.http_status == 404


def test_refund_test_cards_change_later_as_a_test_clock_advances(client: Client) -> None:
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": 1_704_067_200})
    refunds = []
    for card in ("pm_card_pendingRefund", "pm_card_refundFail"):
        pi = client.v1.payment_intents.create(
            {
                "amount": 800,
                "currency": "usd",
                "payment_method": card,
                "confirm": True,
                "off_session": True,
            }  # fmt: skip
        )
        refunds.append(client.v1.refunds.create({"payment_intent": pi.id}))
    assert [refund.status for refund in refunds] == ["pending", "succeeded"]
    client.v1.test_helpers.test_clocks.advance(clock.id, {"frozen_time": 1_704_067_200 + 60})
    pending, failing = (client.v1.refunds.retrieve(refund.id) for refund in refunds)
    assert (pending.status, failing.status, failing.failure_reason) == (
        "succeeded", "failed", "expired_or_canceled_card",
    )  # fmt: skip
    types = [event.type for event in client.v1.events.list({"limit": 7}).data]
    assert types == [
        "test_helpers.test_clock.ready", "charge.refund.updated", "refund.failed",
        "refund.updated", "charge.refund.updated", "refund.updated",
        "test_helpers.test_clock.advancing",
    ]  # fmt: skip
