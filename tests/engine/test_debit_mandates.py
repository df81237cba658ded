"""Debiting under a mandate the customer already gave (``mandate`` on a PaymentIntent's
create with ``confirm`` and on its confirm): the mandate named is used, not the newest;
it must be this payment method's and active; and ``mandate`` with ``mandate_data`` is
refused (issue 15, "Bank debits"). Every refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from tests.support import RETURN_URL, assert_stripe_error

Sim = pmsim.Simulator
OFFLINE: dict[str, Any] = {"customer_acceptance": {"type": "offline"}}


def saved(sim: Sim, cus: str, test_pm: str = "pm_sepaDebit_success_de") -> tuple[str, str]:
    """A bank debit saved for ``cus`` by a SetupIntent, and the mandate it was saved under."""
    seti = sim.setup_intents.create(customer=cus, payment_method=test_pm, confirm=True,
                                    return_url=RETURN_URL, mandate_data=OFFLINE)  # fmt: skip
    if seti.status.value == "requires_action":  # a US bank account: its microdeposits first
        seti = sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    return str(seti.payment_method), str(seti.mandate)


def debit(sim: Sim, cus: str, pm: str, currency: str = "eur", **more: Any) -> Any:
    return sim.payment_intents.create(
        amount=1500, currency=currency, customer=cus, payment_method=pm, confirm=True,
        off_session=True, **more,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("test_pm", "currency"),
    [("pm_sepaDebit_success_de", "eur"), ("pm_usBankAccount_success", "usd")],
)
def test_a_debit_is_made_under_the_mandate_named_not_the_newest(
    sim: Sim, test_pm: str, currency: str
) -> None:
    cus = sim.customers.create().id
    pm, first = saved(sim, cus, test_pm)
    newer = debit(sim, cus, pm, currency, mandate_data=OFFLINE)  # a second mandate
    newest = sim.charges.retrieve(str(newer.latest_charge)).mandate
    assert newest != first
    named = debit(sim, cus, pm, currency, mandate=first)
    assert sim.charges.retrieve(str(named.latest_charge)).mandate == first
    unnamed = debit(sim, cus, pm, currency)
    assert sim.charges.retrieve(str(unnamed.latest_charge)).mandate == newest


def test_a_mandate_named_on_confirm_is_used(sim: Sim) -> None:
    cus = sim.customers.create().id
    pm, mandate = saved(sim, cus)
    pi = sim.payment_intents.create(amount=700, currency="eur", customer=cus, payment_method=pm)
    confirmed = sim.payment_intents.confirm(pi.id, off_session=True, mandate=mandate)
    assert confirmed.status.value == "processing"
    assert sim.charges.retrieve(str(confirmed.latest_charge)).mandate == mandate


def test_an_unknown_mandate_is_resource_missing(sim: Sim) -> None:
    cus = sim.customers.create().id
    pm, _ = saved(sim, cus)
    assert_stripe_error(
        lambda: debit(sim, cus, pm, mandate="mandate_nope"),
        status=404, message="No such mandate: 'mandate_nope'", code="resource_missing",
        param="mandate", sim=sim,
    )  # fmt: skip


def test_another_payment_methods_mandate_is_refused(sim: Sim) -> None:
    cus = sim.customers.create().id
    pm, _ = saved(sim, cus)
    _, other = saved(sim, cus, "pm_sepaDebit_success_at")
    card = sim.payment_methods.attach("pm_card_visa", customer=cus).id
    # A card's confirmation checks it too, though a card debits under no mandate.
    for payment_method, currency in ((pm, "eur"), (card, "usd")):
        assert_stripe_error(
            lambda: debit(sim, cus, payment_method, currency, mandate=other),  # noqa: B023
            message=f"The mandate {other} was not given for the PaymentMethod {payment_method}"
            ". Pass a mandate of this PaymentMethod, or `mandate_data` to record a new one.",
            param="mandate",
            sim=sim,
        )


def test_a_mandate_ended_by_detaching_is_refused(sim: Sim) -> None:
    cus = sim.customers.create().id
    pm, mandate = saved(sim, cus)
    sim.payment_methods.detach(pm)
    assert sim.mandates.retrieve(mandate).status.value == "inactive"
    assert_stripe_error(
        lambda: sim.payment_intents.create(
            amount=100,
            currency="eur",
            payment_method=pm,
            confirm=True,
            mandate=mandate,
            return_url=RETURN_URL,
        ),
        message=f"The mandate {mandate} is inactive, so it cannot be used for new payments. "
        "Pass `mandate_data` to record a new mandate with the customer's acceptance.",
        param="mandate",
        sim=sim,
    )


def test_mandate_and_mandate_data_together_are_refused(sim: Sim) -> None:
    cus = sim.customers.create().id
    pm, mandate = saved(sim, cus)
    assert_stripe_error(
        lambda: debit(sim, cus, pm, mandate=mandate, mandate_data=OFFLINE),
        message="You cannot pass both `mandate` and `mandate_data`: pass `mandate` to debit "
        "under a mandate the customer already gave, or `mandate_data` to record a new one.",
        param="mandate",
        sim=sim,
    )


def test_mandate_on_create_needs_confirm_in_stripes_words(sim: Sim) -> None:
    cus = sim.customers.create().id
    pm, mandate = saved(sim, cus)
    assert_stripe_error(
        lambda: sim.payment_intents.create(
            amount=100, currency="eur", customer=cus, payment_method=pm, mandate=mandate
        ),
        message="The parameter `mandate` cannot be passed when creating a PaymentIntent "
        "unless `confirm` is set to true",
        param="mandate",
        sim=sim,
    )


def test_saving_again_needs_new_mandate_data_even_with_a_mandate(sim: Sim) -> None:
    """Stripe's recorded rule names ``mandate_data`` for a payment that saves the debit."""
    cus = sim.customers.create().id
    pm, mandate = saved(sim, cus)
    assert_stripe_error(
        lambda: debit(sim, cus, pm, mandate=mandate, setup_future_usage="off_session"),
        message="When confirming a PaymentIntent with a `sepa_debit` PaymentMethod and "
        "`setup_future_usage`, `mandate_data` is required.",
        code="parameter_missing",
        param="mandate_data",
        sim=sim,
    )
