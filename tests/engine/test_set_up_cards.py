"""A card set up by a SetupIntent without a customer is not used up (reference §1 and §5.3,
issue 13): it may be attached to one customer, once, and behaves as any attached card after
that; until then every other intent refuses it with (g)'s newer wording. Before the attach,
detach and update answer as for a new card."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import pmsim
from pmsim import PMState
from tests.support import (
    ALREADY_ATTACHED,
    ATTACH_FIRST,
    NOT_ATTACHED,
    NOT_REUSABLE,
    assert_stripe_error,
    event_types,
)

UNSAVED_UPDATE = "You must save this PaymentMethod to a customer before you can update it."
#: Where the customer comes back to: an intent with automatic payment methods (the default)
#: needs one to be confirmed on-session.
RETURN_URL = "https://example.com/return"


def set_up(sim: pmsim.Simulator, card: str = "pm_card_visa") -> str:
    """A card set up by a SetupIntent without a customer."""
    seti = sim.setup_intents.create(payment_method=card, confirm=True, return_url=RETURN_URL)
    assert seti.status == "succeeded" and seti.payment_method is not None
    return seti.payment_method


def test_attaching_it_makes_it_the_customers(sim: pmsim.Simulator) -> None:
    pm, ada = set_up(sim), sim.customers.create().id
    mark = sim.event_count
    attached = sim.payment_methods.attach(pm, customer=ada)
    assert (attached.customer, attached.state) == (ada, PMState.ATTACHED)
    assert event_types(sim, mark) == ["payment_method.attached"]
    assert [card.id for card in sim.customers.list_payment_methods(ada)] == [pm]
    mark = sim.event_count  # the same customer again: a no-op with no event, settled (b)
    assert sim.payment_methods.attach(pm, customer=ada) == attached
    assert event_types(sim, mark) == []


def test_it_is_attached_only_once(sim: pmsim.Simulator) -> None:
    pm, ada, bob = set_up(sim), sim.customers.create().id, sim.customers.create().id
    sim.payment_methods.attach(pm, customer=ada)
    assert_stripe_error(
        lambda: sim.payment_methods.attach(pm, customer=bob), message=ALREADY_ATTACHED, sim=sim
    )
    assert_stripe_error(
        lambda: sim.customers.create(payment_method=pm), message=ALREADY_ATTACHED, sim=sim
    )


def test_a_customer_made_with_it_and_it_as_default(sim: pmsim.Simulator) -> None:
    """Tryton's account_payment_stripe: the customer is created with the card a customer-less
    SetupIntent set up, and that card as its default."""
    pm = set_up(sim)
    mark = sim.event_count
    cus = sim.customers.create(
        email="ada@example.com", payment_method=pm, invoice_settings={"default_payment_method": pm}
    )
    assert cus.invoice_settings.default_payment_method == pm
    assert sim.payment_methods.retrieve(pm).customer == cus.id
    assert event_types(sim, mark) == ["customer.created", "payment_method.attached"]


Use = Callable[[pmsim.Simulator, str, str], Callable[[], object]]


def _seti(customer: bool) -> Use:
    def use(sim: pmsim.Simulator, pm: str, cus: str) -> Callable[[], object]:
        owner = cus if customer else None
        return lambda: sim.setup_intents.create(
            payment_method=pm, customer=owner, confirm=True, return_url=RETURN_URL
        )

    return use


def _pay(owned: bool = False, **params: object) -> Use:
    def use(sim: pmsim.Simulator, pm: str, cus: str) -> Callable[[], object]:
        owner = {"customer": cus} if owned else {}
        return lambda: sim.payment_intents.create(
            amount=1000, currency="usd", payment_method=pm, confirm=True,
            return_url=RETURN_URL, **owner, **params,
        )  # fmt: skip

    return use


def _confirm_later(sim: pmsim.Simulator, pm: str, cus: str) -> Callable[[], object]:
    intent = sim.setup_intents.create(payment_method=pm)  # the card is checked at confirm
    return lambda: sim.setup_intents.confirm(intent.id, return_url=RETURN_URL)


#: Each way to use the card in a second intent: given the card and a customer, the call.
SECOND_USES: dict[str, Use] = {
    "setup_intent without a customer": _seti(customer=False),
    "setup_intent with a customer": _seti(customer=True),
    "setup_intent confirmed later": _confirm_later,
    "payment without a customer": _pay(),
    "payment with a customer": _pay(owned=True),
    "payment saving it for a customer": _pay(owned=True, setup_future_usage="off_session"),
}


@pytest.mark.parametrize("use", SECOND_USES.values(), ids=SECOND_USES.keys())
def test_a_second_intent_before_the_attach_is_refused(sim: pmsim.Simulator, use: Use) -> None:
    pm, cus = set_up(sim), sim.customers.create().id
    assert_stripe_error(use(sim, pm, cus), message=ATTACH_FIRST, sim=sim)
    assert sim.payment_methods.retrieve(pm).state is PMState.SET_UP


def test_once_attached_it_serves_its_customers_intents(sim: pmsim.Simulator) -> None:
    pm, ada = set_up(sim), sim.customers.create().id
    sim.payment_methods.attach(pm, customer=ada)
    again = sim.setup_intents.create(
        customer=ada, payment_method=pm, confirm=True, return_url=RETURN_URL
    )
    paid = sim.payment_intents.create(
        amount=900, currency="usd", customer=ada, payment_method=pm, confirm=True, off_session=True
    )
    assert (again.status, paid.status) == ("succeeded", "succeeded")
    assert sim.payment_methods.retrieve(pm).state is PMState.ATTACHED


def test_detached_after_the_attach_it_never_comes_back(sim: pmsim.Simulator) -> None:
    pm, ada = set_up(sim), sim.customers.create().id
    sim.payment_methods.attach(pm, customer=ada)
    assert sim.payment_methods.detach(pm).state is PMState.DETACHED
    attach = lambda: sim.payment_methods.attach(pm, customer=ada)  # noqa: E731
    assert_stripe_error(attach, message=NOT_REUSABLE, sim=sim)  # the older wording, (g)
    setup = lambda: sim.setup_intents.create(  # noqa: E731
        customer=ada, payment_method=pm, confirm=True, return_url=RETURN_URL
    )
    assert_stripe_error(setup, message=NOT_REUSABLE, sim=sim)


def test_before_the_attach_detach_and_update_answer_as_for_a_new_card(
    sim: pmsim.Simulator,
) -> None:
    pm = set_up(sim)
    assert_stripe_error(lambda: sim.payment_methods.detach(pm), message=NOT_ATTACHED, sim=sim)
    update = lambda: sim.payment_methods.update(pm, metadata={"a": "b"})  # noqa: E731
    assert_stripe_error(update, message=UNSAVED_UPDATE, sim=sim)


def test_a_second_intent_waiting_for_3d_secure_records_the_refusal(
    sim: pmsim.Simulator,
) -> None:
    """Two customer-less intents wait for 3-D Secure with one new card: the first to finish
    sets the card up, so the second finds it set up and records (g)'s newer wording."""
    number = {"number": "4000000000003220", "exp_month": 12, "exp_year": 2030}  # 3DS2 required
    card = sim.payment_methods.create(type="card", card=number)
    first, second = (sim.setup_intents.create(payment_method=card.id, confirm=True,
                                              return_url=RETURN_URL)
                     for _ in range(2))  # fmt: skip
    assert (first.status, second.status) == ("requires_action", "requires_action")
    sim.three_d_secure.complete(first.id, outcome="succeed")
    done = sim.three_d_secure.complete(second.id, outcome="succeed")
    assert done.status == "requires_payment_method" and done.payment_method is None
    assert done.last_setup_error is not None
    assert done.last_setup_error.message == ATTACH_FIRST
    assert sim.payment_methods.retrieve(card.id).state is PMState.SET_UP


def test_it_stays_set_up_in_a_state_file(sim: pmsim.Simulator, tmp_path: Path) -> None:
    pm = set_up(sim)
    sim.save(tmp_path / "state.json")
    loaded = pmsim.Simulator.load(tmp_path / "state.json")
    assert loaded.payment_methods.retrieve(pm).state is PMState.SET_UP
    ada = loaded.customers.create().id
    assert loaded.payment_methods.attach(pm, customer=ada).customer == ada
