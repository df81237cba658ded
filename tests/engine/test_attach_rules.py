"""Every attach and detach rule, with Stripe's exact error, and no state change on failure."""

from __future__ import annotations

import pytest

import pmsim
from pmsim import PMState
from tests.support import ALREADY_ATTACHED, NOT_ATTACHED, NOT_REUSABLE, assert_stripe_error


def new_card(sim: pmsim.Simulator, token: str = "tok_visa") -> str:
    return sim.payment_methods.create(type="card", card={"token": token}).id


def test_attach_sets_customer_and_emits_one_event(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach(new_card(sim), customer=cus.id)
    assert pm.customer == cus.id and pm.state is PMState.ATTACHED
    assert sim.payment_methods.retrieve(pm.id).customer == cus.id
    events = sim.events.list(type="payment_method.attached").data
    assert [e.object.id for e in events] == [pm.id]
    assert events[0].data["object"]["customer"] == cus.id


def test_attach_never_sets_a_default(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    sim.payment_methods.attach(new_card(sim), customer=cus.id)
    assert sim.customers.retrieve(cus.id).invoice_settings.default_payment_method is None


def test_reattach_to_same_customer_is_a_no_op_without_event(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach(new_card(sim), customer=cus.id)
    before = sim.snapshot()
    again = sim.payment_methods.attach(pm.id, customer=cus.id)
    assert again == pm
    assert sim.snapshot() == before


def test_attach_to_another_customer_is_refused(sim: pmsim.Simulator) -> None:
    alice, bob = sim.customers.create(), sim.customers.create()
    pm = sim.payment_methods.attach(new_card(sim), customer=alice.id)
    assert_stripe_error(
        lambda: sim.payment_methods.attach(pm.id, customer=bob.id),
        message=ALREADY_ATTACHED,
        sim=sim,
    )
    assert sim.payment_methods.retrieve(pm.id).customer == alice.id


def test_detached_payment_method_is_dead_forever(sim: pmsim.Simulator) -> None:
    alice, bob = sim.customers.create(), sim.customers.create()
    pm = sim.payment_methods.attach(new_card(sim), customer=alice.id)
    detached = sim.payment_methods.detach(pm.id)
    assert detached.customer is None and detached.state is PMState.DETACHED
    assert detached.id == pm.id
    for customer in (alice.id, bob.id):
        assert_stripe_error(
            lambda c=customer: sim.payment_methods.attach(pm.id, customer=c),
            message=NOT_REUSABLE,
            sim=sim,
        )


def test_detach_emits_event_with_previous_customer(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach(new_card(sim), customer=cus.id)
    sim.payment_methods.detach(pm.id)
    event = sim.events.list().data[0]
    assert event.type == "payment_method.detached"
    assert event.data == {
        "object": sim.payment_methods.retrieve(pm.id).to_dict(),
        "previous_attributes": {"customer": cus.id},
    }


@pytest.mark.parametrize("history", ["never attached", "already detached"])
def test_detach_of_an_unattached_payment_method_is_refused(
    sim: pmsim.Simulator, history: str
) -> None:
    pm = new_card(sim)
    if history == "already detached":
        sim.payment_methods.attach(pm, customer=sim.customers.create().id)
        sim.payment_methods.detach(pm)
    assert_stripe_error(lambda: sim.payment_methods.detach(pm), message=NOT_ATTACHED, sim=sim)


def test_missing_customer_param(sim: pmsim.Simulator) -> None:
    pm = new_card(sim)
    assert_stripe_error(
        lambda: sim.payment_methods.attach(pm),
        message="Missing required param: customer.",
        code="parameter_missing",
        param="customer",
        sim=sim,
    )


@pytest.mark.parametrize("deleted", [False, True])
def test_nonexistent_or_deleted_customer(sim: pmsim.Simulator, deleted: bool) -> None:
    pm = new_card(sim)
    customer = "cus_doesnotexist"
    if deleted:
        customer = sim.customers.create().id
        sim.customers.delete(customer)
    assert_stripe_error(
        lambda: sim.payment_methods.attach(pm, customer=customer),
        message=f"No such customer: '{customer}'",
        code="resource_missing",
        param="customer",
        sim=sim,
    )


@pytest.mark.parametrize("operation", ["attach", "detach", "retrieve", "update"])
def test_nonexistent_payment_method_is_404(sim: pmsim.Simulator, operation: str) -> None:
    cus = sim.customers.create()
    calls = {
        "attach": lambda: sim.payment_methods.attach("pm_nope", customer=cus.id),
        "detach": lambda: sim.payment_methods.detach("pm_nope"),
        "retrieve": lambda: sim.payment_methods.retrieve("pm_nope"),
        "update": lambda: sim.payment_methods.update("pm_nope", metadata={"a": "b"}),
    }
    assert_stripe_error(
        calls[operation],
        status=404,
        message="No such PaymentMethod: 'pm_nope'",
        code="resource_missing",
        param="payment_method",
        sim=sim,
    )


@pytest.mark.parametrize(
    ("token", "code", "decline_code", "message", "param"),
    [
        ("tok_visa_chargeDeclined", "card_declined", "generic_decline",
         "Your card was declined.", None),
        ("tok_visa_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds",
         "Your card has insufficient funds.", None),
        ("tok_visa_chargeDeclinedLostCard", "card_declined", "lost_card",
         "Your card was declined.", None),
        ("tok_visa_chargeDeclinedStolenCard", "card_declined", "stolen_card",
         "Your card was declined.", None),
        ("tok_chargeDeclinedExpiredCard", "expired_card", "expired_card",
         "Your card has expired.", "exp_month"),
        ("tok_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc",
         "Your card's security code is incorrect.", "cvc"),
        ("tok_chargeDeclinedProcessingError", "processing_error", "processing_error",
         "An error occurred while processing your card. Try again in a little bit.", None),
        ("tok_visa_chargeDeclinedVelocityLimitExceeded", "card_declined",
         "card_velocity_exceeded", "Your card was declined for making repeated attempts too "
         "frequently or exceeding its amount limit.", None),
    ],
)  # fmt: skip
def test_declining_cards_cannot_be_attached(
    sim: pmsim.Simulator,
    token: str,
    code: str,
    decline_code: str,
    message: str,
    param: str | None,
) -> None:
    cus = sim.customers.create()
    pm = new_card(sim, token)
    assert_stripe_error(
        lambda: sim.payment_methods.attach(pm, customer=cus.id),
        cls=pmsim.CardError,
        status=402,
        message=message,
        code=code,
        decline_code=decline_code,
        param=param,
        sim=sim,
    )
    assert sim.payment_methods.retrieve(pm).state is PMState.NEW


def test_incorrect_cvc_card_attaches_when_no_cvc_was_given(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.create(
        type="card", card={"number": "4000000000000127", "exp_month": 1, "exp_year": 2030}
    )
    attached = sim.payment_methods.attach(pm.id, customer=cus.id)
    assert attached.customer == cus.id and attached.card.checks.cvc_check is None


def test_charge_failing_card_attaches(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_chargeCustomerFail", customer=cus.id)
    assert pm.customer == cus.id


def test_test_id_attaches_a_new_payment_method_each_time(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    first = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    second = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    assert first.id != second.id
    assert first.id.startswith("pm_1") and len(first.id) == 27
    assert first.card.fingerprint == second.card.fingerprint
    assert [p.id for p in sim.customers.list_payment_methods(cus.id)] == [second.id, first.id]


def test_decline_test_id_creates_nothing(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    assert_stripe_error(
        lambda: sim.payment_methods.attach("pm_card_visa_chargeDeclined", customer=cus.id),
        cls=pmsim.CardError,
        status=402,
        message="Your card was declined.",
        code="card_declined",
        decline_code="generic_decline",
        sim=sim,
    )


def test_cvc_check_passes_on_attach(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.create(
        type="card",
        card={"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"},
    )
    assert pm.card.checks.cvc_check == "unchecked"  # checked only when attached
    assert sim.payment_methods.attach(pm.id, customer=cus.id).card.checks.cvc_check == "pass"


def test_address_checks_follow_the_card(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.create(
        type="card",
        card={"token": "tok_avsFail"},
        billing_details={"address": {"line1": "1 Main St", "postal_code": "94103"}},
    )
    checks = sim.payment_methods.attach(pm.id, customer=cus.id).card.checks
    assert (checks.address_line1_check, checks.address_postal_code_check) == ("fail", "fail")
