"""Charges through the official stripe-python client (issue 15): retrieve, list, expand
``latest_charge``, and the failed charge a decline's error names."""

from __future__ import annotations

import pytest
import stripe

from tests.support import RETURN_URL

Client = stripe.StripeClient


def pay(client: Client, card: str, **params: object) -> stripe.PaymentIntent:
    sent = {"amount": 2000, "currency": "usd", "payment_method": card, "confirm": True,
            "return_url": RETURN_URL}  # fmt: skip
    return client.v1.payment_intents.create({**sent, **params})  # type: ignore[arg-type]


def test_a_payments_charge_is_retrieved_listed_and_expanded(client: Client) -> None:
    pi = pay(client, "pm_card_visa")
    charge = client.v1.charges.retrieve(pi.latest_charge)  # type: ignore[arg-type]
    assert (charge.object, charge.status, charge.paid, charge.amount) == (
        "charge", "succeeded", True, 2000,
    )  # fmt: skip
    assert charge.payment_method_details.card.last4 == "4242"  # type: ignore[union-attr]
    expanded = client.v1.payment_intents.retrieve(pi.id, {"expand": ["latest_charge"]})
    assert expanded.latest_charge.id == charge.id  # type: ignore[union-attr]
    listed = client.v1.charges.list({"payment_intent": pi.id})
    assert [c.id for c in listed.data] == [charge.id]
    with_intent = client.v1.charges.retrieve(charge.id, {"expand": ["payment_intent"]})
    assert with_intent.payment_intent.id == pi.id  # type: ignore[union-attr]


def test_a_declines_error_names_its_failed_charge(client: Client) -> None:
    with pytest.raises(stripe.CardError) as caught:
        pay(client, "pm_card_chargeDeclinedExpiredCard")
    err = caught.value
    assert err.error is not None and err.error.charge
    assert err.error.payment_intent.latest_charge == err.error.charge  # type: ignore[union-attr]
    failed = client.v1.charges.retrieve(err.error.charge)
    assert (failed.status, failed.failure_code, failed.outcome.type) == (  # type: ignore[union-attr]
        "failed", "expired_card", "issuer_declined",
    )  # fmt: skip


def test_charges_list_and_auto_page_newest_first(client: Client) -> None:
    made = [pay(client, "pm_card_visa", amount=1000 + n).latest_charge for n in range(5)]
    paged = [c.id for c in client.v1.charges.list({"limit": 2}).auto_paging_iter()]
    assert paged == made[::-1]


def test_an_unknown_charge_is_stripes_404(client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.charges.retrieve("ch_nope")
    assert (caught.value.http_status, caught.value.code) == (404, "resource_missing")
    assert caught.value.user_message == "No such charge: 'ch_nope'"


def test_a_charges_null_balance_transaction_expands_to_null(client: Client) -> None:
    # dj-stripe syncs a charge with expand[]=balance_transaction; pmsim keeps no balance.
    pi = pay(client, "pm_card_visa")
    charge = client.v1.charges.retrieve(
        pi.latest_charge,
        {"expand": ["balance_transaction", "review"]},  # type: ignore[arg-type]
    )
    assert (charge.balance_transaction, charge.review) == (None, None)
    nested = client.v1.payment_intents.retrieve(
        pi.id, {"expand": ["latest_charge.balance_transaction"]}
    )
    assert nested.latest_charge.balance_transaction is None  # type: ignore[union-attr]


def test_a_charge_update_changes_its_words_and_tells_a_webhook(client: Client) -> None:
    pi = pay(client, "pm_card_visa")
    charge = client.v1.charges.update(
        str(pi.latest_charge),
        {"description": "Order 42", "metadata": {"order": "42"}, "receipt_email": "a@b.co"},
    )
    assert (charge.description, charge.metadata["order"], charge.receipt_email) == (
        "Order 42", "42", "a@b.co",
    )  # fmt: skip
    event = client.v1.events.list({"limit": 1}).data[0]
    assert event.type == "charge.updated" and event.data.object["id"] == charge.id
    assert event.data.previous_attributes is not None
    assert event.data.previous_attributes["description"] is None
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.charges.update(charge.id, {"shipping": {"name": "Ada"}})
    assert "does not simulate shipping" in str(refused.value.user_message)
    assert client.v1.charges.retrieve(charge.id).description == "Order 42"
