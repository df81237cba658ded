"""PaymentMethods: creation from tokens, numbers and test ids; update; list."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain.cards import CARDS_BY_TOKEN
from tests.support import assert_stripe_error

LIVE_CARD = (
    "Your card was declined. Your request was in test mode, but used a non test (live) card. "
    "For a list of valid test cards, visit: https://stripe.com/docs/testing."
)


def card(**fields: object) -> dict[str, object]:
    return {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030} | fields


@pytest.mark.parametrize("token", sorted(CARDS_BY_TOKEN))
def test_every_token_creates_its_card(sim: pmsim.Simulator, token: str) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": token})
    row = CARDS_BY_TOKEN[token]
    assert (pm.card.brand, pm.card.last4, pm.card.funding) == (row.brand, row.last4, row.funding)
    assert pm.customer is None and pm.state is pmsim.PMState.NEW
    assert pm.to_dict()["type"] == "card"


def test_create_from_number(sim: pmsim.Simulator) -> None:
    pm = sim.payment_methods.create(
        type="card",
        card=card(number="5555 5555 5555 4444", exp_month="3", exp_year="31", cvc="123"),
        billing_details={"name": "Ada", "email": "ada@example.com", "address": {"city": "Rome"}},
        metadata={"order": "42"},
    )
    assert (pm.card.brand, pm.card.last4, pm.card.exp_month, pm.card.exp_year) == (
        "mastercard",
        "4444",
        3,
        2031,
    )
    assert pm.billing_details.address.city == "Rome" and dict(pm.metadata) == {"order": "42"}
    assert sim.events.list().data == ()  # Stripe has no payment_method.created


@pytest.mark.parametrize(
    ("fields", "cls", "status", "message", "code", "param", "decline_code"),
    [
        (card(number="4000000000000000"), pmsim.CardError, 402, "Your card number is incorrect.",
         "incorrect_number", "number", None),
        (card(number="4242424242424241"), pmsim.CardError, 402, "Your card number is incorrect.",
         "incorrect_number", "number", None),
        (card(number="4111111111111111"), pmsim.CardError, 402, LIVE_CARD, "card_declined", None,
         "test_mode_live_card"),
        (card(exp_month=13), pmsim.CardError, 402, "Your card's expiration month is invalid.",
         "invalid_expiry_month", "exp_month", None),
        (card(exp_year=2020), pmsim.CardError, 402, "Your card's expiration year is invalid.",
         "invalid_expiry_year", "exp_year", None),
        (card(exp_year=2024, exp_month=0), pmsim.CardError, 402,
         "Your card's expiration month is invalid.", "invalid_expiry_month", "exp_month", None),
        (card(cvc="99"), pmsim.CardError, 402, "Your card's security code is invalid.",
         "invalid_cvc", "cvc", None),
        ({"number": "4242424242424242", "exp_year": 2030}, pmsim.InvalidRequestError, 400,
         "Missing required param: card[exp_month].", "parameter_missing", "card[exp_month]", None),
        ({"token": "pm_card_visa"}, pmsim.InvalidRequestError, 400,
         "Invalid token id: pm_card_visa", None, "token", None),
        ({"token": "tok_visa", "number": "4242"}, pmsim.InvalidRequestError, 400,
         "Received unknown parameter: card[number]", "parameter_unknown", "card[number]", None),
        (card(exp_month="May"), pmsim.InvalidRequestError, 400, "Invalid integer: May",
         "parameter_invalid_integer", "card[exp_month]", None),
    ],
)  # fmt: skip
def test_card_creation_errors(
    sim: pmsim.Simulator,
    fields: dict[str, object],
    cls: type[pmsim.StripeError],
    status: int,
    message: str,
    code: str | None,
    param: str | None,
    decline_code: str | None,
) -> None:
    assert_stripe_error(
        lambda: sim.payment_methods.create(type="card", card=fields),
        cls=cls, status=status, message=message, code=code, param=param,
        decline_code=decline_code, sim=sim,
    )  # fmt: skip


def test_expiry_is_judged_by_the_simulated_clock() -> None:
    sim = pmsim.Simulator(start_time="2031-06-15T00:00:00Z")
    assert_stripe_error(
        lambda: sim.payment_methods.create(type="card", card=card(exp_year=2030)),
        cls=pmsim.CardError, status=402, message="Your card's expiration year is invalid.",
        code="invalid_expiry_year", param="exp_year",
    )  # fmt: skip
    assert_stripe_error(
        lambda: sim.payment_methods.create(type="card", card=card(exp_year=2031, exp_month=5)),
        cls=pmsim.CardError, status=402, message="Your card's expiration month is invalid.",
        code="invalid_expiry_month", param="exp_month",
    )  # fmt: skip
    assert sim.payment_methods.create(type="card", card=card(exp_year=2031, exp_month=6))


def test_create_parameter_rules(sim: pmsim.Simulator) -> None:
    assert_stripe_error(
        lambda: sim.payment_methods.create(card={"token": "tok_visa"}),
        message="Missing required param: type.", code="parameter_missing", param="type", sim=sim,
    )  # fmt: skip
    assert_stripe_error(
        lambda: sim.payment_methods.create(type="card"),
        message="Missing required param: card.", code="parameter_missing", param="card", sim=sim,
    )  # fmt: skip
    cus = sim.customers.create()
    err = assert_stripe_error(
        lambda: sim.payment_methods.create(
            type="card", card={"token": "tok_visa"}, customer=cus.id
        ),
        message="You cannot attach a PaymentMethod to a Customer during PaymentMethod creation. "
        "Please instead create the PaymentMethod and then attach it using the attachment method "
        "of the PaymentMethods API.",
        sim=sim,
    )
    assert err.to_dict()["error"]["type"] == "invalid_request_error"


def test_other_types_are_not_simulated(sim: pmsim.Simulator) -> None:
    only = "card, sepa_debit, us_bank_account payment methods only"
    with pytest.raises(pmsim.PmsimUsageError, match=only):
        sim.payment_methods.create(type="ideal")
    with pytest.raises(pmsim.InvalidRequestError, match="Invalid type: must be one of"):
        sim.payment_methods.create(type="cheque")


def test_update_requires_an_attached_payment_method(sim: pmsim.Simulator) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    assert_stripe_error(
        lambda: sim.payment_methods.update(pm.id, metadata={"a": "b"}),
        message="You must save this PaymentMethod to a customer before you can update it.",
        sim=sim,
    )


def test_update_merges_and_emits_event(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    sim.payment_methods.update(pm.id, billing_details={"name": "Ada", "address": {"city": "Oslo"}})
    updated = sim.payment_methods.update(
        pm.id, billing_details={"email": "ada@example.com"}, card={"exp_year": 2033},
        metadata={"k": "v"},
    )  # fmt: skip
    assert (updated.billing_details.name, updated.billing_details.email) == (
        "Ada",
        "ada@example.com",
    )
    assert updated.billing_details.address.city == "Oslo"
    assert (updated.card.exp_year, updated.card.exp_month) == (2033, pm.card.exp_month)
    event = sim.events.list().data[0]
    assert event.type == "payment_method.updated"
    assert event.data["previous_attributes"] == {
        "billing_details": {"email": None},
        "card": {"exp_year": pm.card.exp_year},
        "metadata": {"k": None},
    }
    assert_stripe_error(
        lambda: sim.payment_methods.update(pm.id, card={"exp_month": 13}),
        cls=pmsim.CardError, status=402, message="Your card's expiration month is invalid.",
        code="invalid_expiry_month", param="exp_month", sim=sim,
    )  # fmt: skip


def test_list_requires_customer_to_show_anything(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(payment_method="pm_card_visa")
    assert sim.payment_methods.list().to_dict() == {
        "object": "list", "data": [], "has_more": False, "url": "/v1/payment_methods",
    }  # fmt: skip
    assert len(sim.payment_methods.list(customer=cus.id)) == 1
    assert_stripe_error(
        lambda: sim.payment_methods.list(customer="cus_nope"),
        message="No such customer: 'cus_nope'", code="resource_missing", param="customer",
    )  # fmt: skip


def test_retrieve_does_not_create_from_a_test_id(sim: pmsim.Simulator) -> None:
    assert_stripe_error(
        lambda: sim.payment_methods.retrieve("pm_card_visa"),
        status=404, message="No such PaymentMethod: 'pm_card_visa'", code="resource_missing",
        param="payment_method", sim=sim,
    )  # fmt: skip
