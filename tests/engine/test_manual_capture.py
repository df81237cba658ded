"""Manual capture (issue 15): a card payment authorized now and captured later, in part or
whole, or released by a cancel or when its authorization expires on the simulator's clock;
Stripe's refusals, the charge it leaves, the events, and what a refund may take."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import pmsim
from pmsim.domain.payment_intents import PaymentIntent, PaymentStatus
from pmsim.domain.refunds import RefundStatus
from pmsim.engine import captures, charging
from tests.support import assert_stripe_error, assert_waiting_change_survives, event_types

S = PaymentStatus
Sim = pmsim.Simulator
WEEK = 7 * 86_400
UNEXPECTED = "payment_intent_unexpected_state"
RETURN_URL = "https://example.com/return"
# Stripe's words, written out independently of pmsim's message table.
NOT_CAPTURABLE = (
    "This PaymentIntent could not be captured because it has a status of {}. Only a "
    "PaymentIntent with one of the following statuses may be captured: requires_capture."
)
ALREADY_CAPTURED = "This PaymentIntent could not be captured because it has already been captured."
TOO_LARGE = (
    "The payment could not be captured because the requested capture amount is greater than "
    "the amount you can capture for this charge."
)
UNCAPTURED = (
    "This uncaptured Charge was created by a PaymentIntent ({}). You must cancel the "
    "PaymentIntent to reverse the authorization instead of refunding the Charge directly. For "
    "more information, see https://stripe.com/docs/payments/payment-intents/"
    "creating-payment-intents#separate-auth-capture"
)
UPDATABLE = (
    "This PaymentIntent's {0} could not be updated because it has a status of {1}. You may only "
    "update the {0} of a PaymentIntent with one of the following statuses: "
    "requires_payment_method, requires_confirmation, requires_action."
)


def held(sim: Sim, amount: int = 1000, card: str = "pm_card_visa", **kwargs: Any) -> PaymentIntent:
    """An off-session manual-capture payment, confirmed at once: authorized, not captured."""
    return sim.payment_intents.create(
        amount=amount, currency="usd", payment_method=card, capture_method="manual",
        confirm=True, off_session=True, **kwargs,
    )  # fmt: skip


def charge_of(sim: Sim, intent: PaymentIntent) -> Any:
    return sim.charges.retrieve(sim.payment_intents.retrieve(intent.id).latest_charge or "")


# --- authorizing -------------------------------------------------------------------------------

#: Every way to ask for manual capture: on create, by update, or on confirm.
WAYS: dict[str, Callable[[Sim], PaymentIntent]] = {
    "create": lambda sim: held(sim),
    "create_then_confirm": lambda sim: sim.payment_intents.confirm(
        sim.payment_intents.create(amount=1000, currency="usd", capture_method="manual").id,
        payment_method="pm_card_visa", return_url=RETURN_URL,
    ),
    "update": lambda sim: sim.payment_intents.confirm(
        sim.payment_intents.update(
            sim.payment_intents.create(amount=1000, currency="usd").id,
            capture_method="manual", payment_method="pm_card_visa",
        ).id,
        off_session=True,
    ),
    "confirm": lambda sim: sim.payment_intents.confirm(
        sim.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa").id,
        capture_method="manual", return_url=RETURN_URL,
    ),
}  # fmt: skip


@pytest.mark.parametrize("way", WAYS)
def test_an_approved_manual_payment_is_authorized_not_captured(sim: Sim, way: str) -> None:
    mark = sim.event_count
    pi = WAYS[way](sim)
    assert (pi.status, pi.capture_method, pi.amount_capturable, pi.amount_received) == (
        S.REQUIRES_CAPTURE, "manual", 1000, 0,
    )  # fmt: skip
    body = pi.to_dict()
    assert (body["amount_capturable"], body["amount_received"]) == (1000, 0)
    charge = charge_of(sim, pi)
    shown = charge.to_dict()
    assert (shown["status"], shown["paid"], shown["captured"], shown["amount_captured"]) == (
        "succeeded", True, False, 0,
    )  # fmt: skip
    assert (shown["amount_refunded"], shown["refunded"]) == (0, False)
    assert shown["payment_method_details"]["card"]["capture_before"] == charge.created + WEEK
    assert event_types(sim, mark)[-2:] == [
        "charge.succeeded", "payment_intent.amount_capturable_updated",
    ]  # fmt: skip
    assert sim.events.list().data[0].to_dict()["data"]["object"]["amount_capturable"] == 1000


def test_every_capture_method_says_what_an_approved_payment_becomes() -> None:
    assert set(charging.APPROVED) == set(captures.CAPTURE_METHODS)


def test_an_automatic_charge_has_no_capture_before(sim: Sim) -> None:
    pi = sim.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa",
                                    confirm=True, off_session=True)  # fmt: skip
    card = charge_of(sim, pi).to_dict()["payment_method_details"]["card"]
    assert "capture_before" not in card


def test_saving_the_card_happens_at_authorization(sim: Sim) -> None:
    cus = sim.customers.create()
    mark = sim.event_count
    pi = held(sim, customer=cus.id, setup_future_usage="off_session")
    assert sim.payment_methods.retrieve(pi.payment_method or "").customer == cus.id
    assert event_types(sim, mark) == [
        "payment_intent.created", "charge.succeeded", "payment_method.attached",
        "payment_intent.amount_capturable_updated",
    ]  # fmt: skip
    unsaved = held(sim).payment_method or ""  # not saved: used up by the authorization already
    assert sim.payment_methods.retrieve(unsaved).state is pmsim.PMState.CONSUMED


def test_after_3d_secure_a_manual_payment_is_authorized(sim: Sim) -> None:
    pi = sim.payment_intents.create(
        amount=800, currency="eur", payment_method="pm_card_authenticationRequired",
        capture_method="manual", confirm=True, return_url=RETURN_URL,
    )  # fmt: skip
    assert pi.status is S.REQUIRES_ACTION and pi.latest_charge is None
    mark = sim.event_count
    pi = sim.three_d_secure.complete(pi.id, outcome="succeed")
    assert (pi.status, pi.amount_capturable) == (S.REQUIRES_CAPTURE, 800)
    assert event_types(sim, mark) == [
        "charge.succeeded", "payment_intent.amount_capturable_updated",
    ]  # fmt: skip


def test_a_declined_manual_payment_holds_nothing(sim: Sim) -> None:
    with pytest.raises(pmsim.CardError):
        held(sim, card="pm_card_visa_chargeDeclined")
    (pi,) = sim.payment_intents.list().data
    charge = charge_of(sim, pi)
    assert (pi.status, pi.amount_capturable) == (S.REQUIRES_PAYMENT_METHOD, 0)
    assert (charge.status.value, charge.captured, charge.capture_before) == ("failed", False, None)
    sim.clock.advance(days=8)  # nothing to expire
    assert sim.payment_intents.retrieve(pi.id).status is S.REQUIRES_PAYMENT_METHOD


# --- capturing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "taken", "released", "events"),
    [
        (None, 1000, 0, ["charge.captured", "payment_intent.succeeded"]),
        (1000, 1000, 0, ["charge.captured", "payment_intent.succeeded"]),
        ("600", 600, 400, ["refund.created", "charge.captured", "payment_intent.succeeded"]),
        (1, 1, 999, ["refund.created", "charge.captured", "payment_intent.succeeded"]),
    ],
)  # fmt: skip
def test_a_capture_takes_all_or_part_and_releases_the_rest(
    sim: Sim, asked: int | str | None, taken: int, released: int, events: list[str]
) -> None:
    pi = held(sim, metadata={"order": "7"})
    mark = sim.event_count
    sent: Any = asked  # a string too, as a form sends it
    captured = sim.payment_intents.capture(
        pi.id, amount_to_capture=sent, metadata={"shipped": "yes"}
    )
    assert (captured.status, captured.amount_received, captured.amount_capturable) == (
        S.SUCCEEDED, taken, 0,
    )  # fmt: skip
    assert dict(captured.metadata) == {"order": "7", "shipped": "yes"}
    assert sim.payment_intents.retrieve(pi.id) == captured
    charge = charge_of(sim, pi)
    assert (charge.captured, charge.amount_captured, charge.amount_refunded) == (
        True, taken, released,
    )  # fmt: skip
    assert (charge.refunded, charge.refundable, charge.paid) == (False, taken, True)
    assert event_types(sim, mark) == events
    made = sim.events_since(mark)
    previous = made[-2].to_dict()["data"]["previous_attributes"]
    assert previous["captured"] is False and previous["amount_captured"] == 0
    releases = list(sim.refunds.list(payment_intent=pi.id))
    assert [(r.amount, r.reason, r.status, r.releases) for r in releases] == (
        [(released, None, RefundStatus.SUCCEEDED, True)] if released else []
    )


def test_older_accounts_hear_of_a_partial_capture_without_refund_created() -> None:
    sim = Sim(api_version="2024-09-30.acacia")
    pi = held(sim)
    mark = sim.event_count
    sim.payment_intents.capture(pi.id, amount_to_capture=250)
    assert event_types(sim, mark) == ["charge.captured", "payment_intent.succeeded"]
    assert charge_of(sim, pi).amount_refunded == 750


def _automatic(sim: Sim) -> PaymentIntent:
    return sim.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa",
                                      confirm=True, off_session=True)  # fmt: skip


def _captured(sim: Sim) -> PaymentIntent:
    return sim.payment_intents.capture(held(sim).id, amount_to_capture=500)


#: Intents in every status that cannot be captured, and Stripe's words.
NOT_HELD: dict[str, tuple[Callable[[Sim], PaymentIntent], str]] = {
    "requires_payment_method": (
        lambda sim: sim.payment_intents.create(amount=1000, currency="usd",
                                               capture_method="manual"),
        NOT_CAPTURABLE.format("requires_payment_method"),
    ),
    "requires_confirmation": (
        lambda sim: sim.payment_intents.create(amount=1000, currency="usd",
                                               capture_method="manual",
                                               payment_method="pm_card_visa"),
        NOT_CAPTURABLE.format("requires_confirmation"),
    ),
    "requires_action": (
        lambda sim: sim.payment_intents.create(
            amount=1000, currency="usd", capture_method="manual", confirm=True,
            payment_method="pm_card_authenticationRequired", return_url=RETURN_URL),
        NOT_CAPTURABLE.format("requires_action"),
    ),
    "canceled": (lambda sim: sim.payment_intents.cancel(held(sim).id),
                 NOT_CAPTURABLE.format("canceled")),
    "succeeded_automatically": (_automatic, ALREADY_CAPTURED),
    "succeeded_by_a_capture": (_captured, ALREADY_CAPTURED),
}  # fmt: skip


@pytest.mark.parametrize("status", NOT_HELD)
def test_only_an_authorization_can_be_captured(sim: Sim, status: str) -> None:
    make, message = NOT_HELD[status]
    pi = make(sim)
    error = assert_stripe_error(
        lambda: sim.payment_intents.capture(pi.id), message=message, code=UNEXPECTED, sim=sim
    )
    assert error.to_dict()["error"]["payment_intent"]["id"] == pi.id


@pytest.mark.parametrize(
    ("asked", "message", "code", "param"),
    [
        (1001, TOO_LARGE, "amount_too_large", "amount_to_capture"),
        (0, "This value must be greater than or equal to 1.", None, "amount_to_capture"),
        (-5, "This value must be greater than or equal to 1.", None, "amount_to_capture"),
        ("ten", "Invalid integer: ten", "parameter_invalid_integer", "amount_to_capture"),
    ],
)  # fmt: skip
def test_a_capture_asks_at_least_1_and_at_most_what_is_held(
    sim: Sim, asked: object, message: str, code: str | None, param: str
) -> None:
    pi = held(sim)
    assert_stripe_error(
        lambda: sim.payment_intents.capture(pi.id, amount_to_capture=asked),  # type: ignore[arg-type]
        message=message, code=code, param=param, sim=sim,
    )  # fmt: skip


def test_capturing_twice_is_refused_and_an_unknown_intent_is_a_404(sim: Sim) -> None:
    pi = held(sim)
    sim.payment_intents.capture(pi.id, amount_to_capture=300)
    assert_stripe_error(lambda: sim.payment_intents.capture(pi.id, amount_to_capture=700),
                        message=ALREADY_CAPTURED, code=UNEXPECTED, sim=sim)  # fmt: skip
    assert_stripe_error(lambda: sim.payment_intents.capture("pi_nope"), status=404,
                        message="No such payment_intent: 'pi_nope'", code="resource_missing",
                        param="intent", sim=sim)  # fmt: skip


@pytest.mark.parametrize(
    ("sent", "field"),
    [({"amount": 2000}, "amount"), ({"capture_method": "automatic"}, "capture_method")],
)
def test_an_authorization_is_not_changed_or_confirmed_again(
    sim: Sim, sent: dict[str, Any], field: str
) -> None:
    pi = held(sim)
    assert_stripe_error(lambda: sim.payment_intents.update(pi.id, **sent), param=field,
                        message=UPDATABLE.format(field, "requires_capture"), code=UNEXPECTED,
                        sim=sim)  # fmt: skip
    assert_stripe_error(
        lambda: sim.payment_intents.confirm(pi.id, return_url=RETURN_URL), code=UNEXPECTED,
        message="You cannot confirm this PaymentIntent because it has a status of "
        "requires_capture.", sim=sim,
    )  # fmt: skip
    noted = sim.payment_intents.update(pi.id, metadata={"note": "packing"})  # always allowed
    assert noted.status is S.REQUIRES_CAPTURE


# --- releasing: cancel and expiry ------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "events"),
    [("2024-10-28.acacia", ["refund.created", "charge.refunded", "payment_intent.canceled"]),
     ("2024-09-30.acacia", ["charge.refunded", "payment_intent.canceled"])],
)  # fmt: skip
def test_a_cancel_releases_the_authorization(version: str, events: list[str]) -> None:
    sim = Sim(api_version=version)
    pi = held(sim)
    mark = sim.event_count
    canceled = sim.payment_intents.cancel(pi.id, cancellation_reason="requested_by_customer")
    assert (canceled.status, canceled.amount_capturable, canceled.cancellation_reason) == (
        S.CANCELED, 0, "requested_by_customer",
    )  # fmt: skip
    assert event_types(sim, mark) == events
    charge = charge_of(sim, pi)
    assert (charge.captured, charge.amount_captured, charge.amount_refunded, charge.refunded) == (
        False, 0, 1000, True,
    )  # fmt: skip
    refunded = sim.events_since(mark)[-2].to_dict()["data"]
    assert refunded["previous_attributes"] == {"amount_refunded": 0, "refunded": False}
    (release,) = sim.refunds.list(payment_intent=pi.id)
    assert (release.amount, release.reason, release.releases) == (1000, None, True)


def test_an_authorization_expires_when_the_clock_passes_capture_before(sim: Sim) -> None:
    pi = held(sim)
    charge = charge_of(sim, pi)
    mark = sim.event_count
    sim.clock.advance(seconds=WEEK - 1)
    assert sim.payment_intents.retrieve(pi.id).status is S.REQUIRES_CAPTURE
    assert sim.events_since(mark) == ()
    sim.clock.advance(days=30)  # long past: the release still happens at capture_before
    made = sim.events_since(mark)
    assert [(e.type, e.created) for e in made] == [
        ("refund.created", charge.capture_before), ("charge.expired", charge.capture_before),
        ("payment_intent.canceled", charge.capture_before),
    ]  # fmt: skip
    expired = sim.payment_intents.retrieve(pi.id)
    assert (expired.status, expired.cancellation_reason, expired.canceled_at) == (
        S.CANCELED, "automatic", charge.capture_before,
    )  # fmt: skip
    assert expired.amount_capturable == 0
    after = charge_of(sim, pi)
    assert (after.captured, after.amount_refunded, after.refunded) == (False, 1000, True)
    (release,) = sim.refunds.list(charge=charge.id)
    assert (release.reason, release.amount) == ("expired_uncaptured_charge", 1000)
    assert_stripe_error(lambda: sim.payment_intents.capture(pi.id), code=UNEXPECTED,
                        message=NOT_CAPTURABLE.format("canceled"), sim=sim)  # fmt: skip


@pytest.mark.parametrize("end", ["capture", "cancel"])
def test_a_captured_or_canceled_authorization_does_not_expire(sim: Sim, end: str) -> None:
    pi = held(sim)
    getattr(sim.payment_intents, end)(pi.id)
    before = sim.payment_intents.retrieve(pi.id)
    mark = sim.event_count
    sim.clock.advance(days=8)
    assert sim.events_since(mark) == ()
    assert sim.payment_intents.retrieve(pi.id) == before


def test_a_test_clock_advance_expires_between_advancing_and_ready(sim: Sim) -> None:
    clock = sim.test_clocks.create(frozen_time=sim.clock.now())
    pi = held(sim)
    mark = sim.event_count
    sim.test_clocks.advance(clock.id, frozen_time=clock.frozen_time + 10 * 86_400)
    assert event_types(sim, mark) == [
        "test_helpers.test_clock.advancing", "refund.created", "charge.expired",
        "payment_intent.canceled", "test_helpers.test_clock.ready",
    ]  # fmt: skip
    assert sim.payment_intents.retrieve(pi.id).status is S.CANCELED


def test_waiting_authorizations_survive_snapshots_forks_and_state_files(
    sim: Sim, tmp_path: Path
) -> None:
    pi = held(sim)
    assert_waiting_change_survives(
        sim, tmp_path / "state.json", timedelta(days=7),
        lambda each: each.payment_intents.retrieve(pi.id).status, S.REQUIRES_CAPTURE, S.CANCELED,
    )  # fmt: skip


# --- refunds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["payment_intent", "charge"])
def test_an_uncaptured_charge_cannot_be_refunded(sim: Sim, by: str) -> None:
    pi = held(sim)
    named = {"payment_intent": pi.id, "charge": pi.latest_charge}[by]
    error = assert_stripe_error(
        lambda: sim.refunds.create(**{by: named}), message=UNCAPTURED.format(pi.id), sim=sim
    )
    assert error.hint is not None and "payment_intents.capture" in error.hint


def test_a_released_authorization_has_nothing_to_refund(sim: Sim) -> None:
    pi = sim.payment_intents.cancel(held(sim).id)
    charge = pi.latest_charge
    assert_stripe_error(lambda: sim.refunds.create(charge=charge),
                        message=f"Charge {charge} has already been refunded.",
                        code="charge_already_refunded", sim=sim)  # fmt: skip


def test_refunds_give_back_at_most_what_was_captured(sim: Sim) -> None:
    pi = sim.payment_intents.capture(held(sim).id, amount_to_capture=600)
    assert_stripe_error(
        lambda: sim.refunds.create(payment_intent=pi.id, amount=601), param="amount",
        message="Refund amount ($6.01) is greater than charge amount ($6.00)", sim=sim,
    )  # fmt: skip
    sim.refunds.create(payment_intent=pi.id, amount=100)
    assert_stripe_error(
        lambda: sim.refunds.create(payment_intent=pi.id, amount=501), param="amount",
        message="Refund amount ($5.01) is greater than unrefunded amount on charge ($5.00)",
        sim=sim,
    )  # fmt: skip
    rest = sim.refunds.create(payment_intent=pi.id)
    assert rest.amount == 500
    charge = charge_of(sim, pi)
    assert (charge.amount_refunded, charge.refunded, charge.refundable) == (1000, True, 0)


def test_a_release_never_changes_later_even_for_a_refund_test_card(sim: Sim) -> None:
    pi = sim.payment_intents.capture(held(sim, card="pm_card_refundFail").id, amount_to_capture=400)
    (release,) = sim.refunds.list(payment_intent=pi.id)
    assert release.changes_at is None
    sim.clock.advance(days=1)
    assert sim.refunds.retrieve(release.id).status is RefundStatus.SUCCEEDED


# --- hints -------------------------------------------------------------------------------------


def test_hints_say_what_an_authorization_holds_and_how_to_end_it(sim: Sim) -> None:
    pi = held(sim)
    with pytest.raises(pmsim.InvalidRequestError) as too_much:
        sim.payment_intents.capture(pi.id, amount_to_capture=5000)
    assert too_much.value.hint is not None
    assert too_much.value.hint.startswith(f"{pi.id} holds $10.00, authorized at ")
    with pytest.raises(pmsim.InvalidRequestError) as again:
        sim.payment_intents.confirm(pi.id, return_url=RETURN_URL)
    hint = again.value.hint or ""
    assert hint.startswith(f"{pi.id} was authorized at ") and "payment_intents.capture" in hint
    assert again.value.hint_event == sim.events.list().data[0].id  # amount_capturable_updated


def test_the_card_option_captures_cards_by_hand_whatever_capture_method_says(sim: Sim) -> None:
    # payment_method_options[card][capture_method] (what WooCommerce and others send).
    held = sim.payment_intents.create(
        amount=1000, currency="usd", payment_method="pm_card_visa", confirm=True,
        off_session=True, capture_method="automatic",
        payment_method_options={"card": {"capture_method": "manual"}},
    )  # fmt: skip
    assert (held.status.value, held.capture_method) == ("requires_capture", "automatic")
    assert held.to_dict()["payment_method_options"]["card"]["capture_method"] == "manual"
    assert sim.payment_intents.capture(held.id).status.value == "succeeded"
    plain = sim.payment_intents.create(amount=1000, currency="usd")
    assert "capture_method" not in plain.to_dict()["payment_method_options"]["card"]
    before = sim.snapshot()
    with pytest.raises(pmsim.PmsimUsageError, match="request_three_d_secure"):
        sim.payment_intents.create(
            amount=1000, currency="usd",
            payment_method_options={"card": {"request_three_d_secure": "any"}},
        )  # fmt: skip
    with pytest.raises(pmsim.InvalidRequestError) as bad:
        sim.payment_intents.create(
            amount=1000, currency="usd", payment_method_options={"card": {"capture_method": "x"}}
        )
    assert bad.value.param == "payment_method_options[card][capture_method]"
    assert sim.snapshot() == before


def test_the_card_option_on_update_and_confirm(sim: Sim) -> None:
    pi = sim.payment_intents.create(amount=1000, currency="usd")
    pi = sim.payment_intents.update(
        pi.id, payment_method_options={"card": {"capture_method": "manual"}}
    )
    assert pi.card_capture_method == "manual"
    held = sim.payment_intents.confirm(pi.id, payment_method="pm_card_visa", off_session=True)
    assert held.status.value == "requires_capture"
    other = sim.payment_intents.create(amount=1000, currency="usd")
    paid = sim.payment_intents.confirm(
        other.id, payment_method="pm_card_visa", off_session=True,
        payment_method_options={"card": {"capture_method": "manual"}},
    )  # fmt: skip
    assert paid.status.value == "requires_capture"
    with pytest.raises(pmsim.InvalidRequestError):  # an authorized payment is not open
        sim.payment_intents.update(
            paid.id, payment_method_options={"card": {"capture_method": "automatic"}}
        )
