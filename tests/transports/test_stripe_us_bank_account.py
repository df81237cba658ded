"""US bank accounts through the official stripe-python client (issue 15, "Bank debits"): a
payment method from routing and account numbers, refused at attach until verified, saved by
a SetupIntent that waits for microdeposits and ``verify_microdeposits``."""

from __future__ import annotations

import pytest
import stripe

Client = stripe.StripeClient
ACCEPTED = {"customer_acceptance": {"type": "offline"}}


def bank_account(client: Client) -> stripe.PaymentMethod:
    return client.v1.payment_methods.create(
        {
            "type": "us_bank_account",
            "us_bank_account": {
                "routing_number": "110000000",
                "account_number": "000123456789",
                "account_holder_type": "company",
                "account_type": "savings",
            },
            "billing_details": {"name": "Analytical Engines Ltd"},
        }  # fmt: skip
    )


def test_save_a_bank_account_verified_with_microdeposits(client: Client) -> None:
    pm = bank_account(client)
    assert (pm.type, pm.us_bank_account.bank_name, pm.us_bank_account.account_type) == (
        "us_bank_account", "STRIPE TEST BANK", "savings",
    )  # fmt: skip
    customer = client.v1.customers.create({"name": "Ada"})
    with pytest.raises(stripe.InvalidRequestError) as refused:
        client.v1.payment_methods.attach(pm.id, {"customer": customer.id})
    assert refused.value.param == "payment_method"
    seti = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": pm.id,
            "confirm": True,
            "return_url": "https://example.com/return",
            "mandate_data": ACCEPTED,
        }  # fmt: skip
    )
    assert seti.status == "requires_action"
    action = seti.next_action
    assert action is not None and action.type == "verify_with_microdeposits"
    assert action.verify_with_microdeposits.microdeposit_type == "descriptor_code"
    with pytest.raises(stripe.InvalidRequestError) as wrong:
        client.v1.setup_intents.verify_microdeposits(seti.id, {"descriptor_code": "SM00XX"})
    assert wrong.value.code == ("payment_method_microdeposit_verification_descriptor_code_mismatch")
    done = client.v1.setup_intents.verify_microdeposits(seti.id, {"amounts": [32, 45]})
    assert done.status == "succeeded" and done.mandate is not None
    saved = client.v1.payment_methods.retrieve(pm.id)
    assert saved.customer == customer.id
    mandate = client.v1.mandates.retrieve(done.mandate if isinstance(done.mandate, str) else "")
    assert mandate.status == "active" and mandate.payment_method_details.type == "us_bank_account"


def test_a_test_clock_past_ten_days_times_the_verification_out(client: Client) -> None:
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": 1_704_067_200})
    seti = client.v1.setup_intents.create(
        {
            "payment_method": "pm_usBankAccount_success",
            "confirm": True,
            "return_url": "https://example.com/return",
            "mandate_data": ACCEPTED,
        }  # fmt: skip
    )
    client.v1.test_helpers.test_clocks.advance(
        clock.id, {"frozen_time": 1_704_067_200 + 10 * 86_400}
    )
    ended = client.v1.setup_intents.retrieve(seti.id)
    assert ended.status == "requires_payment_method"
    error = ended.last_setup_error
    assert error is not None
    assert error.code == "payment_method_microdeposit_verification_timeout"


def test_a_verified_account_pays_once_the_bank_answers(client: Client) -> None:
    customer = client.v1.customers.create({"name": "Ada"})
    seti = client.v1.setup_intents.create(
        {
            "customer": customer.id,
            "payment_method": "pm_usBankAccount_success",
            "confirm": True,
            "return_url": "https://example.com/return",
            "mandate_data": ACCEPTED,
        }  # fmt: skip
    )
    done = client.v1.setup_intents.verify_microdeposits(seti.id, {"descriptor_code": "SM11AA"})
    pi = client.v1.payment_intents.create(
        {
            "amount": 2500,
            "currency": "usd",
            "customer": customer.id,
            "confirm": True,
            "payment_method": str(done.payment_method),
            "off_session": True,
        }  # fmt: skip
    )
    assert pi.status == "processing"
    charge = client.v1.charges.retrieve(str(pi.latest_charge))
    assert charge.status == "pending"
    assert charge.payment_method_details is not None
    assert charge.payment_method_details.type == "us_bank_account"
    clock = client.v1.test_helpers.test_clocks.create({"frozen_time": 1_704_067_200})
    client.v1.test_helpers.test_clocks.advance(clock.id, {"frozen_time": 1_704_067_200 + 60})
    assert client.v1.payment_intents.retrieve(pi.id).status == "succeeded"


def test_verification_method_is_kept_and_instant_is_refused_plainly(client: Client) -> None:
    seti = client.v1.setup_intents.create(
        {
            "payment_method": "pm_usBankAccount_success",
            "confirm": True,
            "return_url": "https://example.com/return",
            "mandate_data": ACCEPTED,
            "payment_method_options": {"us_bank_account": {"verification_method": "automatic"}},
        }  # fmt: skip
    )
    assert seti.status == "requires_action"
    options = seti.payment_method_options
    assert options is not None and options.us_bank_account is not None
    assert options.us_bank_account.verification_method == "automatic"
    with pytest.raises(stripe.InvalidRequestError) as instant:
        client.v1.payment_intents.create(
            {
                "amount": 1000,
                "currency": "usd",
                "payment_method_options": {"us_bank_account": {"verification_method": "instant"}},
            }  # fmt: skip
        )
    assert instant.value.http_status == 400
    assert "does not simulate instant verification" in str(instant.value.user_message)


def test_a_setup_intents_update_and_confirm_take_the_bank_option(client: Client) -> None:
    seti = client.v1.setup_intents.create({"payment_method": "pm_usBankAccount_success"})
    microdeposits = {"us_bank_account": {"verification_method": "microdeposits"}}
    updated = client.v1.setup_intents.update(seti.id, {"payment_method_options": microdeposits})
    options = updated.payment_method_options
    assert options is not None and options.us_bank_account is not None
    assert options.us_bank_account.verification_method == "microdeposits"
    confirmed = client.v1.setup_intents.confirm(
        seti.id,
        {
            "return_url": "https://example.com/return",
            "mandate_data": ACCEPTED,
            "payment_method_options": {"us_bank_account": {"verification_method": "automatic"}},
        },
    )
    assert confirmed.status == "requires_action"
    options = confirmed.payment_method_options
    assert options is not None and options.us_bank_account is not None
    assert options.us_bank_account.verification_method == "automatic"
