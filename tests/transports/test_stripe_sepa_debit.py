"""SEPA Direct Debit through the official stripe-python client (issue 15, "Bank debits"):
a payment method from an IBAN, saved by a SetupIntent with ``mandate_data``, the mandate
read back, and a payment that is ``processing`` until the clock (a test clock here, or the
simulator's own) passes the bank's answer."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

import pmsim

Client = stripe.StripeClient
RETURN_URL = "https://example.com/return"
ONLINE: dict[str, Any] = {
    "customer_acceptance": {
        "type": "online",
        "online": {"ip_address": "192.0.2.1", "user_agent": "Mozilla/5.0"},
    }
}


def sepa_debit(client: Client, iban: str = "DE89370400440532013000") -> stripe.PaymentMethod:
    return client.v1.payment_methods.create(
        {
            "type": "sepa_debit",
            "sepa_debit": {"iban": iban},
            "billing_details": {"name": "Jenny Rosen", "email": "jenny@example.com"},
        }
    )


def saved(client: Client) -> tuple[stripe.Customer, stripe.SetupIntent]:
    customer = client.v1.customers.create({"email": "jenny@example.com"})
    seti = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": sepa_debit(client).id,
            "confirm": True,
            "return_url": RETURN_URL,
            "mandate_data": ONLINE,
        }
    )
    return customer, seti


def test_create_a_sepa_debit_and_list_it_by_type(client: Client) -> None:
    pm = sepa_debit(client)
    assert (pm.type, pm.sepa_debit.country, pm.sepa_debit.last4) == ("sepa_debit", "DE", "3000")
    assert pm.sepa_debit.bank_code == "37040044" and "card" not in pm
    customer = client.v1.customers.create()
    client.v1.payment_methods.attach(pm.id, {"customer": customer.id})
    client.v1.payment_methods.attach("pm_card_visa", {"customer": customer.id})
    debits = client.v1.customers.payment_methods.list(customer.id, {"type": "sepa_debit"})
    assert [each.id for each in debits] == [pm.id]


def test_a_bad_iban_and_a_missing_name_are_invalid_request_errors(client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as bad:
        sepa_debit(client, "DE89370400440532013001")
    assert (bad.value.code, bad.value.param) == ("invalid_bank_account_iban", "sepa_debit[iban]")
    with pytest.raises(stripe.InvalidRequestError) as nameless:
        client.v1.payment_methods.create(
            {"type": "sepa_debit", "sepa_debit": {"iban": "DE89370400440532013000"}}
        )
    assert nameless.value.param == "billing_details[name]"


def test_a_setup_intent_with_mandate_data_makes_a_mandate_to_retrieve(client: Client) -> None:
    customer, seti = saved(client)
    assert seti.status == "succeeded" and isinstance(seti.mandate, str)
    mandate = client.v1.mandates.retrieve(seti.mandate)
    assert (mandate.object, mandate.status, mandate.type) == ("mandate", "active", "multi_use")
    assert mandate.customer_acceptance.online is not None
    assert mandate.customer_acceptance.online.ip_address == "192.0.2.1"
    assert mandate.payment_method == seti.payment_method
    assert mandate.payment_method_details.sepa_debit is not None
    pm = client.v1.payment_methods.retrieve(str(seti.payment_method))
    assert pm.customer == customer.id
    expanded = client.v1.setup_intents.retrieve(seti.id, {"expand": ["mandate"]})
    assert expanded.mandate.id == mandate.id  # type: ignore[union-attr]


def test_a_setup_intent_without_mandate_data_is_refused(client: Client) -> None:
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.setup_intents.create(
            {"payment_method": sepa_debit(client).id, "confirm": True, "return_url": RETURN_URL}
        )
    assert (refused.value.code, refused.value.param) == ("parameter_missing", "mandate_data")


def test_a_payment_is_processing_until_the_test_clock_passes_the_banks_answer(
    client: Client,
) -> None:
    customer, seti = saved(client)
    pi = client.v1.payment_intents.create(
        {
            "amount": 2500,
            "currency": "eur",
            "customer": customer.id,
            "payment_method": str(seti.payment_method),
            "confirm": True,
            "off_session": True,
        }
    )
    assert pi.status == "processing"
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.status, charge.paid, charge.captured) == ("pending", False, True)
    assert charge.payment_method_details is not None
    assert charge.payment_method_details.sepa_debit is not None
    assert charge.payment_method_details.sepa_debit.mandate == seti.mandate
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": 1_704_067_200})
    client.v1.test_helpers.test_clocks.advance(clock.id, {"frozen_time": 1_704_067_200 + 60})
    paid = client.v1.payment_intents.retrieve(pi.id, {"expand": ["latest_charge"]})
    assert (paid.status, paid.amount_received) == ("succeeded", 2500)
    assert paid.latest_charge.status == "succeeded"  # type: ignore[union-attr]
    refund = client.v1.refunds.create({"payment_intent": pi.id, "amount": 1000})
    assert (refund.status, refund.amount) == ("succeeded", 1000)


def test_a_failed_debit_returns_the_payment_to_requires_payment_method(
    sim: pmsim.Simulator, client: Client
) -> None:
    pi = client.v1.payment_intents.create(
        {
            "amount": 900,
            "currency": "eur",
            "payment_method": "pm_sepaDebit_insufficientFunds_at",
            "confirm": True,
            "return_url": RETURN_URL,
            "mandate_data": {"customer_acceptance": {"type": "offline"}},
        }
    )
    sim.clock.advance(minutes=1)
    failed = client.v1.payment_intents.retrieve(pi.id)
    assert failed.status == "requires_payment_method" and failed.payment_method is None
    error = failed.last_payment_error
    assert error is not None
    assert (error.code, error.type, error.message) == (
        "payment_intent_payment_attempt_failed", "invalid_request_error", "The payment failed.",
    )  # fmt: skip
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert (charge.status, charge.failure_code) == ("failed", "insufficient_funds")
    events = [e.type for e in client.v1.events.list({"limit": 3}).data][::-1]
    assert events == ["payment_intent.processing", "charge.failed", "payment_intent.payment_failed"]


def test_saving_with_a_payment_without_mandate_data_is_refused(client: Client) -> None:
    customer = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.create(
            {
                "amount": 900,
                "currency": "eur",
                "customer": customer.id,
                "payment_method": "pm_sepaDebit_success_de",
                "setup_future_usage": "off_session",
                "confirm": True,
                "return_url": RETURN_URL,
            }
        )
    assert refused.value.user_message == (
        "When confirming a PaymentIntent with a `sepa_debit` PaymentMethod and "
        "`setup_future_usage`, `mandate_data` is required."
    )


def test_a_debit_names_the_mandate_it_is_made_under(client: Client) -> None:
    customer, seti = saved(client)
    assert isinstance(seti.payment_method, str) and isinstance(seti.mandate, str)
    debit = {
        "amount": 1500, "currency": "eur", "customer": customer.id, "confirm": True,
        "payment_method": seti.payment_method, "off_session": True,
    }  # fmt: skip
    pi = client.v1.payment_intents.create({**debit, "mandate": seti.mandate})
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert charge.payment_method_details.sepa_debit.mandate == seti.mandate
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_intents.create({**debit, "mandate": "mandate_unknown"})
    assert (refused.value.http_status, refused.value.code) == (404, "resource_missing")
    assert refused.value.param == "mandate"  # type: ignore[attr-defined]
