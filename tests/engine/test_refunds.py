"""Refunds (issue 15): partial and full refunds of a succeeded charge, Stripe's refusals,
the charge's ``amount_refunded``/``refunded``, and events by the account's API version."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

import pmsim
from pmsim.domain.refunds import RefundStatus
from tests.support import assert_waiting_change_survives

Sim = pmsim.Simulator


def paid(sim: Sim, amount: int = 1000, card: str = "pm_card_visa", currency: str = "usd") -> str:
    """A succeeded off-session payment's id."""
    return sim.payment_intents.create(
        amount=amount, currency=currency, payment_method=card, confirm=True, off_session=True
    ).id


def refused(call: object) -> pmsim.StripeError:
    with pytest.raises(pmsim.StripeError) as caught:
        call()  # type: ignore[operator]
    return caught.value


def test_partial_then_full_refund_by_intent_and_by_charge(sim: Sim) -> None:
    pi = sim.payment_intents.retrieve(paid(sim))
    first = sim.refunds.create(payment_intent=pi.id, amount=300, reason="requested_by_customer")
    assert (first.status, first.amount, first.charge, first.payment_intent, first.reason) == (
        RefundStatus.SUCCEEDED, 300, pi.latest_charge, pi.id, "requested_by_customer",
    )  # fmt: skip
    charge = sim.charges.retrieve(pi.latest_charge or "")
    assert (charge.amount_refunded, charge.refunded) == (300, False)
    rest = sim.refunds.create(charge=pi.latest_charge, metadata={"ticket": "7"})
    assert rest.amount == 700 and dict(rest.metadata) == {"ticket": "7"}
    charge = sim.charges.retrieve(pi.latest_charge or "")
    assert (charge.amount_refunded, charge.refunded) == (1000, True)
    assert sim.payment_intents.retrieve(pi.id).status.value == "succeeded"  # unchanged
    assert [r.id for r in sim.refunds.list(payment_intent=pi.id)] == [rest.id, first.id]
    assert [r.id for r in sim.refunds.list(charge=pi.latest_charge)] == [rest.id, first.id]


def test_stripes_refusals_change_nothing(sim: Sim) -> None:
    pi = sim.payment_intents.retrieve(paid(sim, 500, currency="gbp"))
    before = sim.snapshot()
    over = refused(lambda: sim.refunds.create(payment_intent=pi.id, amount=501))
    assert (over.message, over.param, over.code) == (
        "Refund amount (£5.01) is greater than charge amount (£5.00)", "amount", None,
    )  # fmt: skip
    missing = refused(lambda: sim.refunds.create(amount=100))
    assert (missing.message, missing.param) == ("Missing required param: charge.", "charge")
    unknown = refused(lambda: sim.refunds.create(charge="ch_nope"))
    assert (unknown.message, unknown.code, unknown.http_status) == (
        "No such charge: 'ch_nope'", "resource_missing", 400,
    )  # fmt: skip
    bad_reason = refused(lambda: sim.refunds.create(payment_intent=pi.id, reason="changed_mind"))
    assert bad_reason.param == "reason"
    assert sim.snapshot() == before
    sim.refunds.create(payment_intent=pi.id, amount=200)
    left = refused(lambda: sim.refunds.create(payment_intent=pi.id, amount=400))
    assert (
        left.message == "Refund amount (£4.00) is greater than unrefunded amount on charge (£3.00)"
    )
    sim.refunds.create(payment_intent=pi.id)
    again = refused(lambda: sim.refunds.create(charge=pi.latest_charge))
    assert (again.message, again.code) == (
        f"Charge {pi.latest_charge} has already been refunded.", "charge_already_refunded",
    )  # fmt: skip


def test_an_intent_or_charge_without_money_cannot_be_refunded(sim: Sim) -> None:
    open_intent = sim.payment_intents.create(amount=500, currency="usd")
    error = refused(lambda: sim.refunds.create(payment_intent=open_intent.id))
    assert error.param == "payment_intent" and "no succeeded charge" in error.message
    with pytest.raises(pmsim.CardError) as declined:
        paid(sim, card="pm_card_visa_chargeDeclined")
    failed_charge = declined.value.to_dict()["error"]["charge"]
    error = refused(lambda: sim.refunds.create(charge=failed_charge))
    assert error.param == "charge" and "its status is failed" in error.message


@pytest.mark.parametrize(
    ("version", "events"),
    [("2024-10-28.acacia", ["refund.created", "charge.refunded"]),
     ("2024-09-30.acacia", ["charge.refunded"])],
)  # fmt: skip
def test_refund_events_follow_the_accounts_version(version: str, events: list[str]) -> None:
    sim = pmsim.Simulator(api_version=version)
    pi = sim.payment_intents.retrieve(paid(sim))
    mark = sim.event_count
    refund = sim.refunds.create(payment_intent=pi.id, amount=250)
    made = sim.events_since(mark)
    assert [event.type for event in made] == events
    charge_event = made[-1].to_dict()["data"]
    assert charge_event["object"]["amount_refunded"] == 250
    assert charge_event["previous_attributes"] == {"amount_refunded": 0}
    if "refund.created" in events:
        assert made[0].object == refund


def test_a_pending_refund_succeeds_when_the_clock_passes_its_time(sim: Sim) -> None:
    pi = sim.payment_intents.retrieve(paid(sim, card="pm_card_pendingRefund"))
    refund = sim.refunds.create(payment_intent=pi.id, amount=400)
    assert (refund.status, refund.changes_at) == (RefundStatus.PENDING, refund.created + 60)
    charge = sim.charges.retrieve(pi.latest_charge or "")
    assert charge.amount_refunded == 400  # a pending refund already counts
    mark = sim.event_count
    sim.clock.advance(seconds=59)
    assert sim.refunds.retrieve(refund.id).status is RefundStatus.PENDING
    assert sim.events_since(mark) == ()
    sim.clock.advance(days=1)  # long past: the change still happens at its own time
    settled = sim.refunds.retrieve(refund.id)
    assert (settled.status, settled.changes_at) == (RefundStatus.SUCCEEDED, None)
    events = sim.events_since(mark)
    assert [e.type for e in events] == ["refund.updated", "charge.refund.updated"]
    assert {e.created for e in events} == {refund.created + 60}
    assert events[0].to_dict()["data"]["previous_attributes"] == {"status": "pending"}
    assert sim.charges.retrieve(charge.id).amount_refunded == 400


def test_a_refund_test_card_refund_fails_later_and_gives_the_money_back(sim: Sim) -> None:
    pi = sim.payment_intents.retrieve(paid(sim, 1000, card="pm_card_refundFail"))
    refund = sim.refunds.create(payment_intent=pi.id)
    assert refund.status is RefundStatus.SUCCEEDED
    assert sim.charges.retrieve(pi.latest_charge or "").refunded
    mark = sim.event_count
    sim.clock.advance(minutes=5)
    failed = sim.refunds.retrieve(refund.id)
    assert (failed.status, failed.failure_reason) == (
        RefundStatus.FAILED,
        "expired_or_canceled_card",
    )
    body = failed.to_dict()
    assert body["failure_reason"] == "expired_or_canceled_card"
    assert [e.type for e in sim.events_since(mark)] == [
        "refund.updated", "refund.failed", "charge.refund.updated",
    ]  # fmt: skip
    charge = sim.charges.retrieve(pi.latest_charge or "")
    assert (charge.amount_refunded, charge.refunded) == (0, False)
    again = sim.refunds.create(payment_intent=pi.id, amount=1000)  # refundable again
    assert again.changes_at is not None


def test_older_accounts_hear_of_later_changes_through_charge_refund_updated() -> None:
    sim = Sim(api_version="2024-06-20")
    refund = sim.refunds.create(payment_intent=paid(sim, card="pm_card_refundFail"))
    mark = sim.event_count
    sim.clock.advance(minutes=1)
    events = sim.events_since(mark)
    assert [e.type for e in events] == ["charge.refund.updated"]
    data = events[0].to_dict()["data"]
    assert data["object"]["id"] == refund.id and data["object"]["status"] == "failed"
    assert data["previous_attributes"]["status"] == "succeeded"


def test_a_test_clock_advance_makes_the_changes_between_advancing_and_ready(sim: Sim) -> None:
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    first = sim.refunds.create(payment_intent=paid(sim, card="pm_card_pendingRefund"))
    sim.clock.advance(seconds=10)
    second = sim.refunds.create(payment_intent=paid(sim, card="pm_card_refundFail"))
    mark = sim.event_count
    sim.test_clocks.advance(clock.id, frozen_time=clock.frozen_time + 3_600)
    assert [(e.type, e.created - first.created) for e in sim.events_since(mark)] == [
        ("test_helpers.test_clock.advancing", 10),
        ("refund.updated", 60),
        ("charge.refund.updated", 60),
        ("refund.updated", 70),
        ("refund.failed", 70),
        ("charge.refund.updated", 70),
        ("test_helpers.test_clock.ready", 3_610),
    ]
    assert sim.refunds.retrieve(second.id).status is RefundStatus.FAILED


def test_waiting_changes_survive_snapshots_forks_and_state_files(sim: Sim, tmp_path: Path) -> None:
    refund = sim.refunds.create(payment_intent=paid(sim, card="pm_card_pendingRefund"))
    assert_waiting_change_survives(
        sim, tmp_path / "state.json", timedelta(minutes=1),
        lambda each: each.refunds.retrieve(refund.id).status,
        RefundStatus.PENDING, RefundStatus.SUCCEEDED,
    )  # fmt: skip


def test_retrieve_update_and_cancel(sim: Sim) -> None:
    refund = sim.refunds.create(payment_intent=paid(sim), amount=100)
    assert sim.refunds.retrieve(refund.id) == refund
    updated = sim.refunds.update(refund.id, metadata={"note": "late parcel"})
    assert (
        dict(sim.refunds.retrieve(refund.id).metadata)
        == {"note": "late parcel"}
        == dict(updated.metadata)
    )
    cancel = refused(lambda: sim.refunds.cancel(refund.id))
    assert "Only a refund with a status of requires_action can be canceled" in cancel.message
    missing = refused(lambda: sim.refunds.retrieve("re_nope"))
    assert (missing.message, missing.http_status) == ("No such refund: 're_nope'", 404)


def test_a_charges_refunds_are_listed_under_it(sim: Sim) -> None:
    # GET /v1/charges/{charge}/refunds (stripe-python 16 has no service for it; curl and
    # older clients call it).
    from pmsim.api import ApiRequest, handle

    pi = sim.payment_intents.retrieve(paid(sim, 900))
    made = [sim.refunds.create(payment_intent=pi.id, amount=300) for _ in range(3)]
    charge = pi.latest_charge or ""
    assert [r.id for r in sim.charges.list_refunds(charge, limit=2)] == [made[2].id, made[1].id]
    request = ApiRequest("GET", f"/v1/charges/{charge}/refunds", "limit=2",
                         {"Authorization": "Bearer sk_test_1"})  # fmt: skip
    body = handle(sim, request).body
    assert ([r["id"] for r in body["data"]], body["has_more"], body["url"]) == (
        [made[2].id, made[1].id], True, f"/v1/charges/{charge}/refunds",
    )  # fmt: skip
    missing = refused(lambda: sim.charges.list_refunds("ch_nope"))
    assert missing.http_status == 404
