"""SetupAttempts (issue 15): one per SetupIntent confirmation, listed by intent, following
the confirmation to its end (succeeded, failed with its error, or waiting first)."""

from __future__ import annotations

import pytest

import pmsim

Sim = pmsim.Simulator
RETURN_URL = "https://example.com/return"


def statuses(sim: Sim, seti: str) -> list[str]:
    return [attempt.status.value for attempt in sim.setup_attempts.list(setup_intent=seti)]


def test_each_confirmation_leaves_an_attempt_newest_first(sim: Sim) -> None:
    cus = sim.customers.create()
    seti = sim.setup_intents.create(customer=cus.id)
    assert statuses(sim, seti.id) == []
    with pytest.raises(pmsim.CardError):
        sim.setup_intents.confirm(seti.id, payment_method="pm_card_visa_chargeDeclined",
                                  return_url=RETURN_URL)  # fmt: skip
    done = sim.setup_intents.confirm(seti.id, payment_method="pm_card_visa", return_url=RETURN_URL)
    attempts = sim.setup_attempts.list(setup_intent=seti.id).data
    assert [a.status.value for a in attempts] == ["succeeded", "failed"]
    assert attempts[0].id == done.latest_attempt
    failed = attempts[1].to_dict()
    assert failed["setup_error"]["code"] == "card_declined"
    assert failed["payment_method_details"]["card"]["last4"] == "0002"
    assert (failed["customer"], failed["usage"], failed["object"]) == (
        cus.id, "off_session", "setup_attempt",
    )  # fmt: skip


def test_a_waiting_attempt_ends_with_its_intent(sim: Sim) -> None:
    seti = sim.setup_intents.create(payment_method="pm_card_authenticationRequired",
                                    confirm=True, return_url=RETURN_URL)  # fmt: skip
    assert statuses(sim, seti.id) == ["requires_action"]
    first = sim.setup_attempts.list(setup_intent=seti.id).data[0]
    sim.clock.advance(minutes=5)
    sim.three_d_secure.complete(seti.id, outcome="succeed")
    after = sim.setup_attempts.list(setup_intent=seti.id).data[0]
    assert (after.id, after.status.value, after.created) == (first.id, "succeeded", first.created)
    bank = sim.setup_intents.create(
        payment_method="pm_usBankAccount_success", confirm=True, return_url=RETURN_URL,
        mandate_data={"customer_acceptance": {"type": "offline"}},
    )  # fmt: skip
    assert statuses(sim, bank.id) == ["requires_action"]
    sim.setup_intents.verify_microdeposits(bank.id, descriptor_code="SM44DD")
    assert statuses(sim, bank.id) == ["failed"]
    listed = sim.setup_attempts.list(setup_intent=bank.id).data[0].to_dict()
    assert listed["payment_method_details"] == {"type": "us_bank_account", "us_bank_account": {}}


def test_listing_needs_an_intent_that_exists(sim: Sim) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as missing:
        sim.setup_attempts.list()
    assert (missing.value.message, missing.value.param) == (
        "Missing required param: setup_intent.", "setup_intent",
    )  # fmt: skip
    with pytest.raises(pmsim.InvalidRequestError) as unknown:
        sim.setup_attempts.list(setup_intent="seti_nope")
    assert unknown.value.param == "setup_intent"
