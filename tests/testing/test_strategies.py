"""pmsim.testing.strategies: every value is one the engine accepts, and behaves as labelled.

``test_cards`` and ``test_payment_method_ids`` are imported by name on purpose: pytest must not
collect them as tests of this file.
"""

from __future__ import annotations

import hypothesis.strategies as hs
import pytest
from hypothesis import given

import pmsim
from pmsim.domain.cards import CARDS_BY_NUMBER, CARDS_BY_TOKEN, TestCard
from pmsim.testing import strategies
from pmsim.testing.strategies import (
    Attach,
    Behaviour,
    CreateCustomer,
    Detach,
    apply_actions,
    card_params,
    cards_that,
    customers,
    lifecycle_actions,
    test_cards,
    test_payment_method_ids,
)
from tests.support import run_python


def _row(card: dict) -> TestCard:
    if "token" in card:
        return CARDS_BY_TOKEN[card["token"]]
    return CARDS_BY_NUMBER[card["number"].replace(" ", "")]


@given(card_params())
def test_card_params_create_the_card_they_name(card) -> None:
    pm = pmsim.Simulator().payment_methods.create(type="card", card=card)
    assert (pm.card.last4, pm.card.brand) == (_row(card).last4, _row(card).brand)


@pytest.mark.parametrize("year", [1995, 2024, 2089, 2095, 2099])
@given(draw=hs.data())
def test_card_params_suit_a_simulator_that_starts_in_any_year(year, draw) -> None:
    # Two-digit years mean 20xx, so 2105 must never be sent as 5 (nor 1996 as 96).
    card = draw.draw(card_params(year=year))
    sim = pmsim.Simulator(start_time=f"{year}-12-31T00:00:00Z")
    assert sim.payment_methods.create(type="card", card=card).card.exp_year > year


@given(card_params(behaviour="attaches"), customers())
def test_cards_that_attach_attach(card, params) -> None:
    sim = pmsim.Simulator()
    customer = sim.customers.create(**params)
    pm = sim.payment_methods.create(type="card", card=card)
    assert sim.payment_methods.attach(pm.id, customer=customer.id).customer == customer.id


@given(card_params(behaviour=Behaviour.DECLINES_ON_ATTACH))
def test_cards_that_decline_decline_at_attach_and_change_nothing(card) -> None:
    sim = pmsim.Simulator()
    customer = sim.customers.create()
    pm = sim.payment_methods.create(type="card", card=card)
    before = sim.snapshot()
    with pytest.raises(pmsim.CardError) as declined:
        sim.payment_methods.attach(pm.id, customer=customer.id)
    assert declined.value.code == _row(card).attach_decline.code
    assert sim.snapshot() == before


@given(test_payment_method_ids("declines_on_attach"))
def test_test_ids_that_decline_decline(test_id) -> None:
    sim = pmsim.Simulator()
    with pytest.raises(pmsim.CardError):
        sim.payment_methods.attach(test_id, customer=sim.customers.create().id)


@given(test_cards(behaviour="needs_authentication"))
def test_test_cards_filter_by_behaviour(card) -> None:
    assert card in cards_that(Behaviour.NEEDS_AUTHENTICATION)
    assert card.attach_decline is None


def _pay(card: TestCard) -> pmsim.StripeError | str:
    """An on-session payment with ``card``: the intent's status, or the error it raised."""
    sim = pmsim.Simulator()
    if card.tokens:
        params = {"token": card.tokens[0]}
    else:
        params = {"number": card.number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
    pm = sim.payment_methods.create(type="card", card=params)
    try:
        intent = sim.payment_intents.create(
            amount=1000,
            currency="usd",
            payment_method=pm.id,
            confirm=True,
            return_url="https://example.com/return",
        )
    except pmsim.StripeError as err:
        return err
    return intent.status.value


@pytest.mark.parametrize("card", cards_that("succeeds"), ids=lambda card: card.name)
def test_cards_that_succeed_are_paid(card) -> None:
    assert _pay(card) == "succeeded"


@pytest.mark.parametrize("card", cards_that("needs_authentication"), ids=lambda card: card.name)
def test_cards_that_need_authentication_wait_for_it(card) -> None:
    assert _pay(card) == "requires_action"


@pytest.mark.parametrize("card", cards_that("declines_on_charge"), ids=lambda card: card.name)
def test_cards_that_decline_on_charge_are_saved_but_not_paid(card) -> None:
    if card in cards_that("needs_authentication"):
        assert _pay(card) == "requires_action"  # the decline comes after 3-D Secure
    else:
        assert isinstance(_pay(card), pmsim.CardError)


def test_every_behaviour_has_cards_and_an_unknown_one_is_named() -> None:
    assert all(cards_that(behaviour) for behaviour in Behaviour)
    with pytest.raises(pmsim.PmsimUsageError, match="'declines_on_attach'"):
        cards_that("declines")


@given(customers())
def test_customer_params_are_accepted_as_sent(params) -> None:
    customer = pmsim.Simulator().customers.create(**params)
    sent = customer.to_dict()
    for key in ("email", "name", "phone", "description", "balance", "tax_exempt"):
        if key in params:
            assert sent[key] == params[key]


@given(lifecycle_actions())
def test_lifecycle_actions_apply_deterministically(actions) -> None:
    first, second = pmsim.Simulator(seed=3), pmsim.Simulator(seed=3)
    assert apply_actions(first, actions) == apply_actions(second, actions)
    assert first.snapshot() == second.snapshot()


@given(lifecycle_actions(max_size=30))
def test_lifecycle_actions_keep_the_laws(actions) -> None:
    sim = pmsim.Simulator()
    outcomes = apply_actions(sim, actions)
    assert [outcome.action for outcome in outcomes] == actions
    state = sim.snapshot().to_dict()
    owner_of = {pm["id"]: pm["customer"] for pm in state["payment_methods"]}
    for customer in state["customers"]:
        if customer["deleted"]:
            assert customer["id"] not in owner_of.values()
            continue
        listed = sim.customers.list_payment_methods(customer["id"], limit=100).data
        # A payment method belongs to at most one customer: exactly those that name it.
        assert {pm.id for pm in listed} == {p for p, c in owner_of.items() if c == customer["id"]}
        default = customer["invoice_settings"]["default_payment_method"]
        assert default is None or owner_of[default] == customer["id"]


def test_outcomes_record_refusals_and_skips() -> None:
    outcomes = apply_actions(
        pmsim.Simulator(),
        [
            Attach(0, 0),
            CreateCustomer(),
            CreateCustomer(payment_method="pm_card_visa_chargeDeclined"),
            Attach("pm_card_visa", 0),
            Attach(0, 0),
        ],
    )
    assert [(o.skipped, o.error) for o in outcomes] == [
        (True, None),
        (False, None),
        (False, "card_declined/generic_decline"),
        (False, None),
        (False, None),  # attaching to its own customer again changes nothing
    ]
    assert outcomes[3].result == outcomes[4].result


def test_numbers_name_by_position_from_the_oldest_and_round_again() -> None:
    sim = pmsim.Simulator()
    made = [CreateCustomer(), CreateCustomer(), CreateCustomer()]
    attach = [Attach("pm_card_visa", 1), Attach("pm_card_visa", 3), Attach("pm_card_visa", -1)]
    outcomes = apply_actions(sim, [*made, *attach])
    first, second, third = (outcome.result for outcome in outcomes[:3])
    pm_ids = [outcome.result for outcome in outcomes[3:]]
    # 1 is the second made (0 the oldest), 3 counts round to the first, -1 is the newest.
    owners = [sim.payment_methods.retrieve(pm_id).customer for pm_id in pm_ids]
    assert owners == [second, first, third]
    # Payment methods are counted the same way: 4 counts round to the second of three.
    again = apply_actions(pmsim.Simulator(), [*made, *attach, Detach(4)])
    assert again[-1].result == pm_ids[1]


@pytest.mark.slow
def test_without_hypothesis_the_message_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['hypothesis'] = None\n"
        "try:\n    import pmsim.testing.strategies\n"
        "except Exception as err:\n    print(type(err).__name__, err)"
    )
    out = run_python(code)
    assert out.startswith("PmsimUsageError")
    assert "pip install 'pmsim[hypothesis]'" in out


def test_the_module_is_what_users_import() -> None:
    assert strategies.test_cards is test_cards
    assert test_cards.__test__ is False  # type: ignore[attr-defined]
