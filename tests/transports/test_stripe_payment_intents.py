"""PaymentIntents through the official client, in-process: what checkout and billing code sees."""

from __future__ import annotations

import asyncio

import pytest
import stripe

import pmsim

#: Where the customer comes back to after a redirect: intents use automatic payment methods
#: (the default since API version 2023-08-16), so on-session confirmations send one.
BACK = "https://example.com/return"


def test_pay_and_save_the_card(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create({"email": "ada@example.com"})
    pi = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "USD", "customer": cus.id, "setup_future_usage": "off_session"}
    )
    assert (pi.status, pi.currency, pi.amount) == ("requires_payment_method", "usd", 1099)
    assert pi.client_secret.startswith(f"{pi.id}_secret_")
    pi = client.v1.payment_intents.confirm(
        pi.id, {"payment_method": "pm_card_visa", "return_url": BACK, "expand": ["payment_method"]}
    )
    assert (pi.status, pi.amount_received) == ("succeeded", 1099)
    assert pi.latest_charge.startswith("ch_")
    assert pi.payment_method.customer == cus.id  # expanded, and saved
    types = [event.type for event in client.v1.events.list({"limit": 4})]
    assert types == [
        "payment_intent.succeeded",
        "payment_method.attached",
        "charge.succeeded",
        "payment_intent.created",
    ]


def test_a_decline_is_a_card_error_that_carries_the_intent(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_chargeCustomerFail", {"customer": cus.id})
    pi = client.v1.payment_intents.create(
        {"amount": 2000, "currency": "eur", "customer": cus.id, "payment_method": pm.id}
    )
    with pytest.raises(stripe.CardError) as caught:
        client.v1.payment_intents.confirm(pi.id, {"return_url": BACK})
    err = caught.value
    assert (err.http_status, err.code, err.error.decline_code) == (
        402, "card_declined", "generic_decline",
    )  # fmt: skip
    assert (err.error.payment_intent.id, err.error.payment_method.id) == (pi.id, pm.id)
    after = client.v1.payment_intents.retrieve(pi.id)
    assert (after.status, after.payment_method) == ("requires_payment_method", None)
    assert after.last_payment_error.decline_code == "generic_decline"
    assert after.last_payment_error.payment_method.id == pm.id


def test_off_session_authentication_is_a_card_error(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_authenticationRequired", {"customer": cus.id})
    with pytest.raises(stripe.CardError) as caught:
        client.v1.payment_intents.create(
            {"amount": 1099, "currency": "usd", "customer": cus.id, "payment_method": pm.id,
             "confirm": True, "off_session": True}
        )  # fmt: skip
    err = caught.value
    assert (err.code, err.error.decline_code) == ("authentication_required",) * 2
    assert err.error.payment_intent.status == "requires_payment_method"
    assert err.error.payment_method.id == pm.id  # to bring the customer back with


def test_wrong_states_are_invalid_request_errors(client: stripe.StripeClient) -> None:
    pi = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
         "return_url": BACK}
    )  # fmt: skip
    for attempt in (
        lambda: client.v1.payment_intents.confirm(pi.id, {"return_url": BACK}),
        lambda: client.v1.payment_intents.cancel(pi.id),
        lambda: client.v1.payment_intents.update(pi.id, {"amount": 2000}),
    ):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            attempt()
        assert (caught.value.http_status, caught.value.code) == (
            400, "payment_intent_unexpected_state",
        )  # fmt: skip
        assert caught.value.error.payment_intent.id == pi.id
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payment_intents.retrieve("pi_missing")
    assert (missing.value.http_status, missing.value.error.param) == (404, "intent")
    assert "No such payment_intent: 'pi_missing'" in str(missing.value)


def test_a_retried_decline_replays_without_a_second_failure(
    client: stripe.StripeClient, sim: pmsim.Simulator
) -> None:
    pi = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa_chargeDeclined"}
    )
    options: stripe.RequestOptions = {"idempotency_key": "pay-order-42"}
    errors = []
    for _ in range(2):
        with pytest.raises(stripe.CardError) as caught:
            client.v1.payment_intents.confirm(pi.id, {"return_url": BACK}, options=options)
        errors.append(caught.value)
    assert errors[0].headers.get("idempotent-replayed") is None
    assert errors[1].headers.get("idempotent-replayed") == "true"
    assert errors[0].json_body == errors[1].json_body
    failures = [e for e in sim.events.list().data if e.type == "payment_intent.payment_failed"]
    assert len(failures) == 1


def test_lists_and_the_async_client(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    made = [
        client.v1.payment_intents.create(
            {"amount": 500 + i, "currency": "usd", "customer": cus.id}
        ).id
        for i in range(4)
    ]
    client.v1.payment_intents.create({"amount": 1099, "currency": "usd"})
    listed = client.v1.payment_intents.list({"customer": cus.id, "limit": 3})
    assert listed.has_more
    assert [pi.id for pi in listed.auto_paging_iter()] == made[::-1]

    async def confirm() -> tuple[str, int]:
        pi = await client.v1.payment_intents.confirm_async(
            made[0], {"payment_method": "pm_card_mastercard", "return_url": BACK}
        )
        return pi.status, pi.amount_received

    assert asyncio.run(confirm()) == ("succeeded", 500)


def test_module_level_calls(sim: pmsim.Simulator) -> None:
    with pmsim.mock_stripe(sim):
        pi = stripe.PaymentIntent.create(
            amount=1099,
            currency="gbp",
            payment_method="pm_card_visa",
            confirm=True,
            return_url=BACK,
        )
        assert (pi.status, pi.currency) == ("succeeded", "gbp")
        assert stripe.PaymentIntent.retrieve(pi.id).amount_received == 1099
    assert sim.payment_intents.retrieve(pi.id).latest_charge == pi.latest_charge
