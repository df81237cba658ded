"""SetupIntents through the official client, in-process: what billing code that saves cards sees."""

from __future__ import annotations

import asyncio

import pytest
import stripe

import pmsim
from tests.support import ALREADY_ATTACHED, ATTACH_FIRST

#: Where the customer comes back to after a redirect: intents use automatic payment methods
#: (the default since API version 2023-08-16), so confirmations send one.
BACK = "https://example.com/return"


def test_save_a_card_for_later(client: stripe.StripeClient, sim: pmsim.Simulator) -> None:
    cus = client.v1.customers.create({"email": "ada@example.com"})
    seti = client.v1.setup_intents.create({"customer": cus.id, "usage": "off_session"})
    assert (seti.status, seti.usage) == ("requires_payment_method", "off_session")
    assert seti.client_secret.startswith(f"{seti.id}_secret_")
    seti = client.v1.setup_intents.confirm(
        seti.id,
        {"payment_method": "pm_card_visa", "return_url": BACK, "expand": ["payment_method"]},
    )
    assert seti.status == "succeeded" and seti.latest_attempt.startswith("setatt_")
    assert seti.payment_method.customer == cus.id  # expanded, and attached
    types = [event.type for event in client.v1.events.list({"limit": 3})]
    assert types == ["setup_intent.succeeded", "payment_method.attached", "setup_intent.created"]


def test_a_decline_is_a_card_error_that_carries_the_intent(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    seti = client.v1.setup_intents.create({"customer": cus.id})
    with pytest.raises(stripe.CardError) as caught:
        client.v1.setup_intents.confirm(
            seti.id,
            {"payment_method": "pm_card_visa_chargeDeclinedInsufficientFunds", "return_url": BACK},
        )
    err = caught.value
    assert (err.http_status, err.code, err.error.decline_code) == (
        402, "card_declined", "insufficient_funds",
    )  # fmt: skip
    assert err.error.setup_intent.status == "requires_payment_method"
    assert err.error.payment_method.customer is None
    after = client.v1.setup_intents.retrieve(seti.id)
    assert after.last_setup_error.decline_code == "insufficient_funds"
    assert after.payment_method is None


def test_wrong_states_are_invalid_request_errors(client: stripe.StripeClient) -> None:
    seti = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "confirm": True, "return_url": BACK}
    )
    for attempt in (
        lambda: client.v1.setup_intents.confirm(seti.id, {"return_url": BACK}),
        lambda: client.v1.setup_intents.cancel(seti.id),
        lambda: client.v1.setup_intents.update(seti.id, {"payment_method": "pm_card_visa"}),
    ):
        with pytest.raises(stripe.InvalidRequestError) as caught:
            attempt()
        assert caught.value.code == "setup_intent_unexpected_state"
        assert caught.value.error.setup_intent.id == seti.id
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.setup_intents.retrieve("seti_missing")
    assert (missing.value.http_status, missing.value.error.param) == (404, "intent")
    assert "No such setupintent: 'seti_missing'" in str(missing.value)


def set_up(client: stripe.StripeClient) -> str:
    """A card set up by a SetupIntent without a customer (reference §5.3)."""
    seti = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "confirm": True, "return_url": BACK}
    )
    assert seti.status == "succeeded" and seti.customer is None
    return str(seti.payment_method)


def test_a_card_set_up_without_a_customer_is_attached_once(client: stripe.StripeClient) -> None:
    pm = set_up(client)
    ada = client.v1.customers.create({"payment_method": pm})
    assert [card.id for card in client.v1.customers.payment_methods.list(ada.id)] == [pm]
    bob = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_methods.attach(pm, {"customer": bob.id})
    assert (caught.value.http_status, caught.value.code) == (400, None)
    assert caught.value.user_message == ALREADY_ATTACHED
    assert client.v1.payment_methods.retrieve(pm).customer == ada.id


def test_a_second_intent_before_the_attach_is_refused(client: stripe.StripeClient) -> None:
    pm = set_up(client)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.setup_intents.create({"payment_method": pm, "confirm": True, "return_url": BACK})
    err = caught.value
    assert (err.http_status, err.code, err.param, err.user_message) == (
        400, None, None, ATTACH_FIRST,
    )  # fmt: skip
    assert err.json_body["error"]["type"] == "invalid_request_error"
    assert client.v1.payment_methods.retrieve(pm).customer is None


def test_trytons_flow_makes_the_customer_with_the_card_as_default(
    client: stripe.StripeClient,
) -> None:
    """Tryton's account_payment_stripe: a customer-less SetupIntent, then the customer made
    with its card, which is also the default."""
    pm = set_up(client)
    cus = client.v1.customers.create({
        "email": "ada@example.com", "payment_method": pm,
        "invoice_settings": {"default_payment_method": pm},
    })  # fmt: skip
    assert cus.invoice_settings.default_payment_method == pm
    assert client.v1.payment_methods.retrieve(pm).customer == cus.id


def test_a_retried_decline_replays_without_a_second_failure(
    client: stripe.StripeClient, sim: pmsim.Simulator
) -> None:
    seti = client.v1.setup_intents.create({"payment_method": "pm_card_visa_chargeDeclined"})
    options: stripe.RequestOptions = {"idempotency_key": "save-card-1"}
    errors = []
    for _ in range(2):
        with pytest.raises(stripe.CardError) as caught:
            client.v1.setup_intents.confirm(seti.id, {"return_url": BACK}, options=options)
        errors.append(caught.value)
    assert errors[1].headers.get("idempotent-replayed") == "true"
    assert errors[0].json_body == errors[1].json_body
    failures = [e for e in sim.events.list().data if e.type == "setup_intent.setup_failed"]
    assert len(failures) == 1


def test_lists_and_the_async_client(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    made = [client.v1.setup_intents.create({"customer": cus.id}).id for _ in range(4)]
    client.v1.setup_intents.create()
    listed = client.v1.setup_intents.list({"customer": cus.id, "limit": 3})
    assert [seti.id for seti in listed.auto_paging_iter()] == made[::-1]

    async def confirm() -> str:
        seti = await client.v1.setup_intents.confirm_async(
            made[0], {"payment_method": "pm_card_mastercard", "return_url": BACK}
        )
        return seti.status

    assert asyncio.run(confirm()) == "succeeded"


def test_module_level_calls(sim: pmsim.Simulator) -> None:
    with pmsim.mock_stripe(sim):
        seti = stripe.SetupIntent.create(
            payment_method="pm_card_visa", confirm=True, return_url=BACK
        )
        assert seti.status == "succeeded"
        assert stripe.SetupIntent.retrieve(seti.id).payment_method == seti.payment_method


def test_setup_attempts_list_an_intents_confirmations(client: stripe.StripeClient) -> None:
    seti = client.v1.setup_intents.create(
        {
            "payment_method": "pm_card_visa",
            "confirm": True,
            "return_url": "https://example.com/return",
        }  # fmt: skip
    )
    attempts = client.v1.setup_attempts.list({"setup_intent": seti.id})
    assert [(a.object, a.status, a.setup_intent) for a in attempts.data] == [
        ("setup_attempt", "succeeded", seti.id)
    ]
