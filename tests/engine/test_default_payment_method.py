"""``invoice_settings.default_payment_method`` is always a card attached to that customer."""

from __future__ import annotations

import pytest

import pmsim
from tests.support import assert_stripe_error

PARAM = "invoice_settings[default_payment_method]"


def not_attached(pm: str) -> str:
    return (
        f"The customer does not have a payment method with the ID {pm}. The payment method "
        "must be attached to the customer."
    )


@pytest.fixture
def alice(sim: pmsim.Simulator) -> str:
    return sim.customers.create(email="alice@example.com").id


def set_default(sim: pmsim.Simulator, customer: str, pm: str) -> pmsim.domain.models.Customer:
    return sim.customers.update(customer, invoice_settings={"default_payment_method": pm})


def test_default_must_be_attached_to_this_customer(sim: pmsim.Simulator, alice: str) -> None:
    bob = sim.customers.create().id
    unattached = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).id
    bobs = sim.payment_methods.attach("pm_card_visa", customer=bob).id
    detached = sim.payment_methods.attach("pm_card_visa", customer=alice).id
    sim.payment_methods.detach(detached)
    for pm in (unattached, bobs, detached, "pm_card_visa"):
        assert_stripe_error(
            lambda pm=pm: set_default(sim, alice, pm), message=not_attached(pm), param=PARAM,
            sim=sim,
        )  # fmt: skip


def test_default_that_does_not_exist(sim: pmsim.Simulator, alice: str) -> None:
    assert_stripe_error(
        lambda: set_default(sim, alice, "pm_missing"),
        message="No such PaymentMethod: 'pm_missing'",
        code="resource_missing",
        param=PARAM,
        sim=sim,
    )


def test_set_and_unset_default(sim: pmsim.Simulator, alice: str) -> None:
    pm = sim.payment_methods.attach("pm_card_visa", customer=alice).id
    assert set_default(sim, alice, pm).invoice_settings.default_payment_method == pm
    event = sim.events.list().data[0]
    assert event.data["previous_attributes"] == {
        "invoice_settings": {"default_payment_method": None}
    }
    assert set_default(sim, alice, "").invoice_settings.default_payment_method is None


def test_detaching_the_default_clears_it(sim: pmsim.Simulator, alice: str) -> None:
    pm = sim.payment_methods.attach("pm_card_visa", customer=alice).id
    other = sim.payment_methods.attach("pm_card_mastercard", customer=alice).id
    set_default(sim, alice, pm)
    sim.payment_methods.detach(pm)
    assert sim.customers.retrieve(alice).invoice_settings.default_payment_method is None
    detached, updated = sim.events.list(limit=2).data[::-1]
    assert (detached.type, updated.type) == ("payment_method.detached", "customer.updated")
    assert updated.data["previous_attributes"] == {
        "invoice_settings": {"default_payment_method": pm}
    }
    sim.payment_methods.detach(other)  # not the default: the customer is left alone
    assert sim.events.list().data[0].type == "payment_method.detached"


def test_default_on_create_must_be_the_card_attached_in_that_call(sim: pmsim.Simulator) -> None:
    stray = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).id
    assert_stripe_error(
        lambda: sim.customers.create(invoice_settings={"default_payment_method": stray}),
        message=not_attached(stray),
        param=PARAM,
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.customers.create(
            payment_method="pm_card_visa",
            invoice_settings={"default_payment_method": "pm_card_mastercard"},
        ),
        message=not_attached("pm_card_mastercard"),
        param=PARAM,
        sim=sim,
    )
