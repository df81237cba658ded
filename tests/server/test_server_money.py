"""Money that moves against a real ``pmsim serve`` (issue 15, "Done when"), through the
official stripe-python client: refunds that change later, manual capture, a SEPA debit and a
US bank account, with the simulated clock moved by ``POST /_pmsim/clock/advance`` and a test
clock, as a client in another language would."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import stripe

from pmsim.transports.server import Server

KEY = "sk_test_money"
ACCEPTED = {"customer_acceptance": {"type": "offline"}}
RETURN_URL = "https://example.com/return"


@pytest.fixture
def url() -> Iterator[str]:
    with Server("127.0.0.1", 0, seed=15).running() as server:
        yield server.url


def client_for(url: str) -> stripe.StripeClient:
    return stripe.StripeClient(KEY, base_addresses={"api": url}, max_network_retries=0)


def advance(url: str, minutes: int) -> None:
    answer = httpx.post(f"{url}/_pmsim/clock/advance", params={"minutes": minutes},
                        headers={"Authorization": f"Bearer {KEY}"})  # fmt: skip
    assert answer.status_code == 200, answer.text


def test_refunds_capture_and_bank_debits_over_http(url: str) -> None:
    client = client_for(url)
    paid = client.v1.payment_intents.create(
        {
            "amount": 900,
            "currency": "usd",
            "payment_method": "pm_card_refundFail",
            "confirm": True,
            "off_session": True,
        }  # fmt: skip
    )
    refund = client.v1.refunds.create({"payment_intent": paid.id})
    held = client.v1.payment_intents.create(
        {
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "off_session": True,
            "capture_method": "manual",
        }  # fmt: skip
    )
    assert held.status == "requires_capture"
    captured = client.v1.payment_intents.capture(held.id, {"amount_to_capture": 600})
    assert (captured.status, captured.amount_received) == ("succeeded", 600)
    debit = client.v1.payment_intents.create(
        {
            "amount": 500,
            "currency": "eur",
            "payment_method": "pm_sepaDebit_success_de",
            "confirm": True,
            "return_url": RETURN_URL,
            "mandate_data": ACCEPTED,
        }  # fmt: skip
    )
    assert debit.status == "processing"
    customer = client.v1.customers.create({"name": "Ada"})
    seti = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": "pm_usBankAccount_success",
            "confirm": True,
            "return_url": RETURN_URL,
            "mandate_data": ACCEPTED,
        }  # fmt: skip
    )
    verified = client.v1.setup_intents.verify_microdeposits(seti.id, {"amounts": [32, 45]})
    assert verified.status == "succeeded"
    advance(url, 1)
    assert client.v1.refunds.retrieve(refund.id).status == "failed"
    assert client.v1.payment_intents.retrieve(debit.id).status == "succeeded"
    attempts = client.v1.setup_attempts.list({"setup_intent": seti.id}).data
    assert [attempt.status for attempt in attempts] == ["succeeded"]
