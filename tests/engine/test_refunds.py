"""Refunds (issue 15): partial and full refunds of a succeeded charge, Stripe's refusals,
the charge's ``amount_refunded``/``refunded``, and events by the account's API version."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain.refunds import RefundStatus

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


def test_cards_whose_refunds_change_later_are_not_simulated_yet(sim: Sim) -> None:
    pi = paid(sim, card="pm_card_pendingRefund")
    with pytest.raises(pmsim.PmsimUsageError, match="does not simulate refunds that change"):
        sim.refunds.create(payment_intent=pi)
    assert not sim.refunds.list().data


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
