"""``payment_method_options[us_bank_account][verification_method]`` on both intents (issue 15,
"Bank debits"): ``automatic`` and ``microdeposits`` verify by microdeposits and are shown,
``instant`` (Financial Connections) and the other bank options are refused as not simulated."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from tests.support import refused_unchanged as refused

Sim = pmsim.Simulator
ACCEPTED = {"customer_acceptance": {"type": "offline"}}
RETURN_URL = "https://example.com/return"
PARAM = "payment_method_options[us_bank_account][verification_method]"


def options(method: str) -> dict[str, Any]:
    return {"us_bank_account": {"verification_method": method}}


def set_up(sim: Sim, method_options: Any) -> Any:
    return sim.setup_intents.create(
        payment_method="pm_usBankAccount_success", confirm=True, return_url=RETURN_URL,
        mandate_data=ACCEPTED, payment_method_options=method_options,
    )  # fmt: skip


def pay(sim: Sim, method_options: Any) -> Any:
    return sim.payment_intents.create(
        amount=2000, currency="usd", payment_method="pm_usBankAccount_success", confirm=True,
        return_url=RETURN_URL, mandate_data=ACCEPTED, payment_method_options=method_options,
    )  # fmt: skip


#: Both intents: how each is made with ``payment_method_options``, and how it is verified.
INTENTS = {
    "setup_intent": (set_up, lambda sim, intent: sim.setup_intents.verify_microdeposits(
        intent.id, descriptor_code="SM11AA")),
    "payment_intent": (pay, lambda sim, intent: sim.payment_intents.verify_microdeposits(
        intent.id, amounts=[32, 45])),
}  # fmt: skip


@pytest.mark.parametrize("kind", INTENTS)
@pytest.mark.parametrize("method", ["automatic", "microdeposits"])
def test_automatic_and_microdeposits_wait_for_microdeposits(
    sim: Sim, kind: str, method: str
) -> None:
    make, verify = INTENTS[kind]
    intent = make(sim, options(method))
    assert intent.status.value == "requires_action"
    assert intent.next_action["verify_with_microdeposits"]["microdeposit_type"] == (
        "descriptor_code"
    )
    assert intent.to_dict()["payment_method_options"]["us_bank_account"] == {
        "verification_method": method
    }
    done = verify(sim, intent)
    assert done.status.value in ("succeeded", "processing")
    assert done.to_dict()["payment_method_options"]["us_bank_account"] == {
        "verification_method": method
    }  # kept after verification


@pytest.mark.parametrize("kind", INTENTS)
def test_not_sent_shows_no_bank_options(sim: Sim, kind: str) -> None:
    make, _ = INTENTS[kind]
    for sent in (None, {"us_bank_account": {}}, options("")):
        shown = make(sim, sent).to_dict()["payment_method_options"]
        assert "us_bank_account" not in shown and "card" in shown


#: What is refused, on which intent, and how: (kind, options, error class, words or param).
REFUSALS = [
    ("setup_intent", options("instant"), pmsim.PmsimUsageError, "instant verification"),
    ("payment_intent", options("instant"), pmsim.PmsimUsageError, "instant verification"),
    ("setup_intent", options("sometimes"), pmsim.InvalidRequestError, PARAM),
    ("payment_intent", options("sometimes"), pmsim.InvalidRequestError, PARAM),
    ("setup_intent", {"us_bank_account": {"networks": {"requested": ["ach"]}}},
     pmsim.PmsimUsageError, "[us_bank_account][networks]"),
    ("payment_intent", {"us_bank_account": {"preferred_settlement_speed": "fastest"}},
     pmsim.PmsimUsageError, "[us_bank_account][preferred_settlement_speed]"),
    # a PaymentIntent option a SetupIntent does not take at Stripe either
    ("setup_intent", {"us_bank_account": {"target_date": "2024-01-05"}},
     pmsim.InvalidRequestError, "payment_method_options[us_bank_account][target_date]"),
    ("setup_intent", {"card": {"request_three_d_secure": "any"}},
     pmsim.PmsimUsageError, "payment_method_options[card] on a SetupIntent"),
    ("setup_intent", {"sepa_debit": {}}, pmsim.InvalidRequestError,
     "payment_method_options[sepa_debit]"),
    ("payment_intent", {"us_bank_account": "instant"}, pmsim.InvalidRequestError,
     "payment_method_options[us_bank_account]"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "sent", "kind_of_error", "words"), REFUSALS)
def test_refusals_change_nothing(
    sim: Sim, kind: str, sent: Any, kind_of_error: type[Exception], words: str
) -> None:
    make, _ = INTENTS[kind]
    error = refused(sim, lambda: make(sim, sent))
    assert isinstance(error, kind_of_error)
    if isinstance(error, pmsim.StripeError):
        assert error.param == words
    else:
        assert words in str(error)


def test_the_card_options_still_hold_a_card_payment_beside_a_bank_option(sim: Sim) -> None:
    held = sim.payment_intents.create(
        amount=1000, currency="usd", payment_method="pm_card_visa", confirm=True,
        return_url=RETURN_URL,
        payment_method_options={"card": {"capture_method": "manual"}, **options("automatic")},
    )  # fmt: skip
    assert held.status.value == "requires_capture"
    assert held.to_dict()["payment_method_options"]["us_bank_account"] == {
        "verification_method": "automatic"
    }


#: Each intent made without options, then given them by an update or by its confirmation.
LATER = {
    "setup_intent": lambda sim: sim.setup_intents.create(
        payment_method="pm_usBankAccount_success"),
    "payment_intent": lambda sim: sim.payment_intents.create(
        amount=2000, currency="usd", payment_method="pm_usBankAccount_success"),
}  # fmt: skip


@pytest.mark.parametrize("kind", LATER)
def test_an_update_sets_the_option_and_keeps_the_other_types(sim: Sim, kind: str) -> None:
    namespace = getattr(sim, f"{kind}s")
    intent = LATER[kind](sim)
    updated = namespace.update(intent.id, payment_method_options=options("microdeposits"))
    assert updated.to_dict()["payment_method_options"]["us_bank_account"] == {
        "verification_method": "microdeposits"
    }
    if kind == "payment_intent":  # a card option sent alone leaves the bank's in place
        updated = namespace.update(
            intent.id, payment_method_options={"card": {"capture_method": "manual"}}
        )
        shown = updated.to_dict()["payment_method_options"]
        assert shown["us_bank_account"] == {"verification_method": "microdeposits"}
        assert shown["card"]["capture_method"] == "manual"
    error = refused(
        sim, lambda: namespace.update(intent.id, payment_method_options=options("instant"))
    )
    assert "instant verification" in str(error)


@pytest.mark.parametrize("kind", LATER)
def test_a_confirmation_sets_the_option(sim: Sim, kind: str) -> None:
    namespace = getattr(sim, f"{kind}s")
    intent = LATER[kind](sim)
    confirmed = namespace.confirm(
        intent.id, return_url=RETURN_URL, mandate_data=ACCEPTED,
        payment_method_options=options("automatic"),
    )  # fmt: skip
    assert confirmed.status.value == "requires_action"
    assert confirmed.to_dict()["payment_method_options"]["us_bank_account"] == {
        "verification_method": "automatic"
    }


def test_a_setup_intents_options_are_locked_once_it_succeeded(sim: Sim) -> None:
    done = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True,
                                    return_url=RETURN_URL)  # fmt: skip
    error = refused(
        sim,
        lambda: sim.setup_intents.update(done.id, payment_method_options=options("microdeposits")),
    )
    assert isinstance(error, pmsim.InvalidRequestError)
    assert error.code == "setup_intent_unexpected_state"
