"""Charges (issue 15): what a PaymentIntent confirmation that reaches the card network makes,
and what it does not (``../shared/reference/stripe-charges-refunds-debits.md`` §1)."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain.charges import ChargeStatus
from tests.support import RETURN_URL

Sim = pmsim.Simulator


def pay(sim: Sim, card: str, **params: object) -> pmsim.domain.payment_intents.PaymentIntent:
    fields: dict[str, object] = {"amount": 1234, "currency": "eur", "payment_method": card,
                                 "confirm": True, "return_url": RETURN_URL}  # fmt: skip
    return sim.payment_intents.create(**(fields | params))


def types_since(sim: Sim, mark: int) -> list[str]:
    return [event.type for event in sim.events_since(mark)]


def test_a_successful_payment_makes_a_succeeded_charge_before_its_intent_event(sim: Sim) -> None:
    cus = sim.customers.create(email="ada@example.com")
    mark = sim.event_count
    pi = pay(sim, "pm_card_visa", customer=cus.id, setup_future_usage="off_session",
             description="Order 7", metadata={"order": "7"},
             receipt_email="ada@example.com")  # fmt: skip
    charge = sim.charges.retrieve(pi.latest_charge or "")
    assert types_since(sim, mark) == [
        "payment_intent.created", "charge.succeeded", "payment_method.attached",
        "payment_intent.succeeded",
    ]  # fmt: skip
    assert (charge.status, charge.paid, charge.captured, charge.refunded) == (
        ChargeStatus.SUCCEEDED, True, True, False,
    )  # fmt: skip
    body = charge.to_dict()
    assert (body["amount"], body["amount_captured"], body["currency"]) == (1234, 1234, "eur")
    assert (body["customer"], body["payment_intent"], body["payment_method"]) == (
        cus.id, pi.id, pi.payment_method,
    )  # fmt: skip
    assert (body["description"], body["metadata"], body["receipt_email"]) == (
        "Order 7", {"order": "7"}, "ada@example.com",
    )  # fmt: skip
    card = body["payment_method_details"]["card"]
    assert (card["brand"], card["last4"], card["amount_authorized"], card["three_d_secure"]) == (
        "visa", "4242", 1234, None,
    )  # fmt: skip
    assert body["outcome"]["type"] == "authorized"
    assert body["receipt_url"].startswith("https://pay.stripe.com/receipts/")


def test_a_decline_makes_a_failed_charge_that_the_error_and_the_intent_name(sim: Sim) -> None:
    mark = sim.event_count
    with pytest.raises(pmsim.CardError) as caught:
        pay(sim, "pm_card_visa_chargeDeclinedInsufficientFunds")
    error = caught.value.to_dict()["error"]
    intent = error["payment_intent"]
    assert error["charge"] == intent["latest_charge"] == intent["last_payment_error"]["charge"]
    charge = sim.charges.retrieve(error["charge"])
    assert (charge.status, charge.paid, charge.captured, charge.amount_captured) == (
        ChargeStatus.FAILED, False, False, 0,
    )  # fmt: skip
    body = charge.to_dict()
    assert (body["failure_code"], body["failure_message"]) == (
        "card_declined",
        "Your card has insufficient funds.",
    )
    assert body["outcome"]["reason"] == "insufficient_funds"
    assert body["outcome"]["seller_message"] == (
        "The bank returned the decline code `insufficient_funds`."
    )
    assert body["receipt_url"] is None
    assert types_since(sim, mark) == [
        "payment_intent.created", "charge.failed", "payment_intent.payment_failed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("card", "outcome", "risk"),
    [("pm_card_radarBlock", "blocked", "highest"),
     ("pm_card_riskLevelHighest", "blocked", "highest"),
     ("pm_card_riskLevelElevated", "authorized", "elevated"),
     ("pm_card_visa", "authorized", "normal")],
)  # fmt: skip
def test_radar_outcomes_by_test_card(sim: Sim, card: str, outcome: str, risk: str) -> None:
    try:
        pi = pay(sim, card)
        charge_id = pi.latest_charge
    except pmsim.CardError as err:
        charge_id = err.to_dict()["error"]["charge"]
    body = sim.charges.retrieve(charge_id or "").to_dict()
    assert (body["outcome"]["type"], body["outcome"]["risk_level"]) == (outcome, risk)


def test_an_off_session_payment_needing_authentication_fails_with_a_charge(sim: Sim) -> None:
    with pytest.raises(pmsim.CardError) as caught:
        pay(sim, "pm_card_authenticationRequired", off_session=True, return_url=None)
    charge = sim.charges.retrieve(caught.value.to_dict()["error"]["charge"])
    assert (charge.status, charge.failure_code) == (ChargeStatus.FAILED, "authentication_required")


def test_3d_secure_makes_no_charge_until_the_customer_authenticates(sim: Sim) -> None:
    waiting = pay(sim, "pm_card_authenticationRequired")
    assert waiting.latest_charge is None and not sim.charges.list().data
    failed = sim.three_d_secure.complete(waiting.id, outcome="fail")
    assert failed.latest_charge is None and not sim.charges.list().data  # never reached the bank
    again = sim.payment_intents.confirm(
        waiting.id, payment_method="pm_card_authenticationRequired", return_url=RETURN_URL
    )
    paid = sim.three_d_secure.complete(again.id, outcome="succeed")
    secure = sim.charges.retrieve(paid.latest_charge or "").to_dict()
    assert secure["payment_method_details"]["card"]["three_d_secure"]["result"] == "authenticated"


def test_each_confirmation_makes_its_own_charge_and_lists_filter_them(sim: Sim) -> None:
    cus = sim.customers.create()
    pi = sim.payment_intents.create(amount=500, currency="usd", customer=cus.id)
    with pytest.raises(pmsim.CardError):
        sim.payment_intents.confirm(pi.id, payment_method="pm_card_visa_chargeDeclined",
                                    return_url=RETURN_URL)  # fmt: skip
    paid = sim.payment_intents.confirm(pi.id, payment_method="pm_card_visa", return_url=RETURN_URL)
    other = pay(sim, "pm_card_mastercard")
    mine = sim.charges.list(payment_intent=pi.id).data
    assert [c.status.value for c in mine] == ["succeeded", "failed"]  # newest first
    assert mine[0].id == paid.latest_charge
    assert [c.id for c in sim.charges.list(customer=cus.id).data] == [c.id for c in mine]
    assert [c.id for c in sim.charges.list(limit=1).data] == [other.latest_charge]


def test_an_unknown_charge_is_a_404(sim: Sim) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.charges.retrieve("ch_nope")
    error = caught.value
    assert (error.message, error.code, error.http_status) == (
        "No such charge: 'ch_nope'", "resource_missing", 404,
    )  # fmt: skip


def test_a_failed_call_makes_no_charge(sim: Sim) -> None:
    before = sim.snapshot()
    with pytest.raises(pmsim.InvalidRequestError):
        pay(sim, "pm_card_visa", return_url=None)  # refused: no return_url
    assert sim.snapshot() == before


def test_charges_survive_snapshots_and_state_files(sim: Sim, tmp_path: object) -> None:
    import pathlib

    paid = pay(sim, "pm_card_visa")
    path = pathlib.Path(str(tmp_path)) / "state.json"
    sim.save(path)
    loaded = pmsim.Simulator.load(path)
    assert loaded.charges.retrieve(paid.latest_charge or "") == sim.charges.retrieve(
        paid.latest_charge or ""
    )
    assert loaded.snapshot() == sim.snapshot()


def test_an_update_changes_the_words_once_and_refuses_what_is_not_simulated(sim: Sim) -> None:
    charge = str(pay(sim, "pm_card_visa").latest_charge)
    mark = sim.event_count
    sim.charges.update(charge, metadata={"order": "42"}, description="Order 42")
    merged = sim.charges.update(charge, metadata={"ship": "yes"}, receipt_email="a@b.co")
    assert dict(merged.metadata) == {"order": "42", "ship": "yes"}
    assert sim.charges.update(charge, description="Order 42") == merged  # no change, no event
    assert types_since(sim, mark) == ["charge.updated", "charge.updated"]
    unset = sim.charges.update(charge, receipt_email="", description="")
    assert (unset.receipt_email, unset.description) == (None, None)
    before = sim.snapshot()
    for sent in ({"receipt_email": "not an email"}, {"customer": "cus_x"},
                 {"transfer_group": "g"}):  # fmt: skip
        with pytest.raises((pmsim.InvalidRequestError, pmsim.PmsimUsageError)):
            sim.charges.update(charge, **sent)  # type: ignore[arg-type]
    assert sim.snapshot() == before
