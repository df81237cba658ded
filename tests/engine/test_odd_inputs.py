"""Odd input gets Stripe's error (never a Python one), and objects stay read-only."""

from __future__ import annotations

import pytest

import pmsim
from tests.support import assert_stripe_error

CARD = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030}


@pytest.mark.parametrize("cursor", [["x"], {"a": 1}])
def test_cursors_must_be_strings(sim: pmsim.Simulator, cursor: object) -> None:
    cus = sim.customers.create()
    for call in (
        lambda: sim.customers.list(starting_after=cursor),
        lambda: sim.events.list(ending_before=cursor),
        lambda: sim.customers.list_payment_methods(cus.id, starting_after=cursor),
        lambda: sim.payment_methods.list(starting_after=cursor),
    ):
        with pytest.raises(pmsim.InvalidRequestError, match="Invalid string"):
            call()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        (CARD | {"number": "4242424242424242\n"}, "incorrect_number"),
        (CARD | {"number": "４２４２４２４２４２４２４２４２"}, "incorrect_number"),
        (CARD | {"exp_month": "1\n"}, "parameter_invalid_integer"),
        (CARD | {"exp_month": "１"}, "parameter_invalid_integer"),
        (CARD | {"exp_year": "9" * 5000}, "parameter_invalid_integer"),
    ],
)
def test_only_ascii_digits_count(
    sim: pmsim.Simulator, fields: dict[str, object], code: str
) -> None:
    with pytest.raises(pmsim.StripeError) as caught:
        sim.payment_methods.create(type="card", card=fields)
    assert caught.value.code == code


def test_huge_integers_are_refused(sim: pmsim.Simulator) -> None:
    assert_stripe_error(
        lambda: sim.customers.create(balance=10**30),
        message=f"Invalid integer: {10**30}", code="parameter_invalid_integer", param="balance",
        sim=sim,
    )  # fmt: skip


def test_none_inside_a_hash_means_not_sent(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(address={"city": "Oslo", "line1": None}, metadata={"a": None})
    assert cus.address.city == "Oslo" and dict(cus.metadata) == {}
    pm = sim.payment_methods.create(
        type="card", card=CARD | {"cvc": None}, billing_details={"name": None}
    )
    assert pm.card.checks.cvc_check is None and pm.billing_details.name is None


def test_objects_stand_for_their_ids(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    assert sim.payment_methods.attach(pm, customer=cus).customer == cus.id


def test_an_empty_cvc_is_no_cvc(sim: pmsim.Simulator) -> None:
    pm = sim.payment_methods.create(type="card", card=CARD | {"cvc": ""})
    assert pm.card.checks.cvc_check is None


def test_lists_must_be_lists(sim: pmsim.Simulator) -> None:
    assert_stripe_error(
        lambda: sim.customers.create(preferred_locales={"en", "fr"}),
        message="Invalid array", param="preferred_locales", sim=sim,
    )  # fmt: skip


def test_list_type_filters_are_checked(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(payment_method="pm_card_visa")
    for call in (
        lambda: sim.customers.list_payment_methods(cus.id, type="bogus"),
        lambda: sim.payment_methods.list(customer=cus.id, type="bogus"),
        lambda: sim.payment_methods.list(type="bogus"),
    ):
        with pytest.raises(pmsim.InvalidRequestError, match="Invalid type: must be one of"):
            call()
    assert_stripe_error(
        lambda: sim.payment_methods.list(starting_after="pm_a", ending_before="pm_b"),
        message="You may only specify one of these parameters: ending_before, starting_after.",
    )


def test_event_history_cannot_be_rewritten(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(payment_method="pm_card_visa")
    pm = sim.customers.list_payment_methods(cus.id).data[0].id
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm})
    event = sim.events.list().data[0]
    with pytest.raises(TypeError):
        event.previous_attributes["invoice_settings"]["default_payment_method"] = "x"  # type: ignore[index]
    event.data["previous_attributes"]["invoice_settings"]["default_payment_method"] = "x"
    assert sim.events.retrieve(event.id).data["previous_attributes"] == {
        "invoice_settings": {"default_payment_method": None}
    }


def test_deleted_customer_keeps_no_default(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(
        payment_method="pm_card_visa", invoice_settings={"default_payment_method": "pm_card_visa"}
    )
    sim.customers.delete(cus.id)
    stored = sim.snapshot().to_dict()["customers"][0]
    assert stored["deleted"] is True
    assert stored["invoice_settings"]["default_payment_method"] is None


def test_the_clock_stays_within_stripes_range() -> None:
    sim = pmsim.Simulator()
    with pytest.raises(ValueError, match="between 1970-01-01 and 9999-12-31"):
        sim.clock.advance(days=3_000_000)
    assert sim.clock.now() == 1_704_067_200
    with pytest.raises(ValueError, match="between 1970-01-01"):
        pmsim.Simulator(start_time=10**20)
    with pytest.raises(ValueError, match="only moves forward"):
        sim.clock.advance(seconds=-1)
