"""The bank account's verification table and the mandate's (issue 15: "the lifecycle table
and the diagrams gain what these add"): complete, and each refusal is what the engine answers,
with a teaching hint."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from pmsim.domain import bank_account_states as accounts
from tests.support import RETURN_URL

ACCEPTED: dict[str, Any] = {"customer_acceptance": {"type": "offline"}}


def test_every_state_and_action_has_an_entry() -> None:
    pairs = {(state, action) for state in accounts.AccountState
             for action in accounts.AccountAction}  # fmt: skip
    assert set(accounts.TRANSITIONS) == pairs
    mandate_pairs = {(status, action) for status in accounts.MANDATE_STATES
                     for action in accounts.MandateAction}  # fmt: skip
    assert set(accounts.MANDATE_TRANSITIONS) == mandate_pairs


def test_only_a_verified_account_is_attached(sim: pmsim.Simulator) -> None:
    """The table's attach column, through the engine: refused unverified and while its
    microdeposits are out, allowed once verified."""
    cus = sim.customers.create().id
    seti = sim.setup_intents.create(customer=cus, payment_method="pm_usBankAccount_success",
                                    confirm=True, return_url=RETURN_URL,
                                    mandate_data=ACCEPTED)  # fmt: skip
    pm = str(seti.payment_method)
    with pytest.raises(pmsim.InvalidRequestError, match="has not been verified") as pending:
        sim.payment_methods.attach(pm, customer=sim.customers.create().id)
    assert pending.value.hint is not None and "verify_microdeposits" in pending.value.hint
    sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    assert sim.payment_methods.retrieve(pm).customer == cus


def test_reading_back_with_nothing_sent_is_explained(sim: pmsim.Simulator) -> None:
    seti = sim.setup_intents.create(payment_method="pm_usBankAccount_success")
    with pytest.raises(pmsim.InvalidRequestError, match="not waiting") as refused:
        sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    assert refused.value.hint is not None and "mandate_data" in refused.value.hint


def test_reading_back_once_verified_is_explained(sim: pmsim.Simulator) -> None:
    seti = sim.setup_intents.create(payment_method="pm_usBankAccount_success", confirm=True,
                                    return_url=RETURN_URL, mandate_data=ACCEPTED)  # fmt: skip
    done = sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    with pytest.raises(pmsim.InvalidRequestError) as refused:
        sim.setup_intents.verify_microdeposits(done.id, descriptor_code="SM11AA")
    assert refused.value.code == "payment_method_bank_account_already_verified"
    assert refused.value.hint is not None and seti.id in refused.value.hint


def test_mandate_refusals_are_explained(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create().id
    first = sim.setup_intents.create(customer=cus, payment_method="pm_sepaDebit_success_de",
                                     confirm=True, return_url=RETURN_URL,
                                     mandate_data=ACCEPTED)  # fmt: skip
    second = sim.setup_intents.create(customer=cus, payment_method="pm_sepaDebit_success_at",
                                      confirm=True, return_url=RETURN_URL,
                                      mandate_data=ACCEPTED)  # fmt: skip
    pay = {"amount": 500, "currency": "eur", "customer": cus, "confirm": True,
           "off_session": True}  # fmt: skip
    with pytest.raises(pmsim.InvalidRequestError) as other:
        sim.payment_intents.create(**pay, payment_method=first.payment_method,
                                   mandate=second.mandate)  # fmt: skip
    assert other.value.hint is not None and str(second.payment_method) in other.value.hint
    sim.payment_methods.detach(str(first.payment_method))
    with pytest.raises(pmsim.InvalidRequestError) as ended:
        sim.payment_intents.create(**pay, payment_method=second.payment_method,
                                   mandate=first.mandate)  # fmt: skip
    # named for another payment method first: the ownership check comes before the status
    assert "was not given for" in str(ended.value)
    with pytest.raises(pmsim.InvalidRequestError) as inactive:
        sim.payment_intents.create(amount=500, currency="eur", confirm=True,
                                   payment_method=first.payment_method, mandate=first.mandate,
                                   return_url=RETURN_URL)  # fmt: skip
    assert inactive.value.hint is not None and "mandate.updated" in inactive.value.hint
