"""Teaching hints: why a rule fired in this simulator's history, beside Stripe's exact error."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

import pmsim
from pmsim.api import ApiRequest, handle
from pmsim.scenarios import loads
from pmsim.scenarios.report import render
from tests.support import ATTACH_FIRST, NOT_ATTACHED, NOT_REUSABLE

#: Where the customer comes back to: an intent with automatic payment methods (the default)
#: needs one to be confirmed on-session.
RETURN_URL = "https://example.com/return"


def failure(call: Callable[[], object]) -> pmsim.StripeError:
    with pytest.raises(pmsim.StripeError) as caught:
        call()
    return caught.value


def event_of(sim: pmsim.Simulator, type: str) -> pmsim.StripeError | str:
    return next(event.id for event in sim.events.list(limit=100) if event.type == type)


def test_reattaching_a_detached_card_names_the_detach(sim: pmsim.Simulator) -> None:
    ada = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    sim.clock.advance(hours=2)
    sim.payment_methods.detach(pm.id)
    err = failure(lambda: sim.payment_methods.attach(pm.id, customer=ada.id))
    assert err.message == NOT_REUSABLE  # Stripe's words never change
    detached = event_of(sim, "payment_method.detached")
    assert err.hint_event == detached
    assert err.hint == (
        f"{pm.id} was detached from {ada.id} at 2024-01-01T02:00:00Z (event {detached}). "
        "A detached PaymentMethod can never be attached or used again: detaching is permanent. "
        "Create a new PaymentMethod (in a real integration, collect the card again, for example "
        "with a SetupIntent) and use that instead."
    )


def test_a_card_detached_by_deleting_its_customer(sim: pmsim.Simulator) -> None:
    ada = sim.customers.create(payment_method="pm_card_visa")
    pm = sim.customers.list_payment_methods(ada.id).data[0]
    sim.customers.delete(ada.id)
    err = failure(lambda: sim.payment_methods.attach(pm.id, customer=sim.customers.create().id))
    assert f"was detached from {ada.id}" in (err.hint or "")


def test_another_customers_card_names_the_owner_and_the_attach(sim: pmsim.Simulator) -> None:
    ada, bob = sim.customers.create(), sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    err = failure(lambda: sim.payment_methods.attach(pm.id, customer=bob.id))
    assert err.hint_event == event_of(sim, "payment_method.attached")
    assert err.hint is not None
    assert err.hint.startswith(f"{pm.id} has belonged to {ada.id} since it was attached at ")
    assert f"Give {bob.id} a new PaymentMethod of their own." in err.hint


def test_a_card_used_up_by_a_payment_names_the_payment(sim: pmsim.Simulator) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    paid = sim.payment_intents.create(amount=500, currency="usd", payment_method=pm.id,
                                      confirm=True, return_url=RETURN_URL)  # fmt: skip
    err = failure(lambda: sim.payment_methods.attach(pm.id, customer=sim.customers.create().id))
    assert err.message == NOT_REUSABLE
    assert f"was used by {paid.id} at " in (err.hint or "")
    assert "without being saved to a customer, which uses a card up" in (err.hint or "")
    assert err.hint_event == event_of(sim, "payment_intent.succeeded")


def test_a_set_up_card_in_a_second_intent_says_attach_it_first(sim: pmsim.Simulator) -> None:
    seti = sim.setup_intents.create(
        payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
    )
    pm = str(seti.payment_method)
    err = failure(
        lambda: sim.setup_intents.create(payment_method=pm, confirm=True, return_url=RETURN_URL)
    )
    assert err.message == ATTACH_FIRST
    succeeded = event_of(sim, "setup_intent.succeeded")
    assert err.hint_event == succeeded
    assert err.hint == (
        f"{pm} was set up by {seti.id} at 2024-01-01T00:00:00Z (event {succeeded}) without a "
        "customer, so it belongs to nobody yet, and until it does no other intent may use it. "
        f"Attach it to a customer first (sim.payment_methods.attach({pm!r}, customer=...), or "
        f"customers.create(payment_method={pm!r})), then use it with that customer. To save a "
        "card in one step, give the SetupIntent its customer."
    )


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("detach", "without a customer and has not been attached since, so there is nothing"),
        ("update", "without a customer and is not attached yet. Only saved payment methods"),
        ("default", "without a customer and is not attached to any customer yet. A default"),
    ],
)
def test_a_set_up_card_not_yet_attached(sim: pmsim.Simulator, call: str, expected: str) -> None:
    seti = sim.setup_intents.create(
        payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
    )
    pm, ada = str(seti.payment_method), sim.customers.create().id
    calls: dict[str, Callable[[], object]] = {
        "detach": lambda: sim.payment_methods.detach(pm),
        "update": lambda: sim.payment_methods.update(pm, metadata={"a": "b"}),
        "default": lambda: sim.customers.update(
            ada, invoice_settings={"default_payment_method": pm}
        ),
    }
    err = failure(calls[call])
    assert (err.hint or "").startswith(f"{pm} was set up by {seti.id} at ")
    assert expected in (err.hint or "")


@pytest.mark.parametrize(
    ("prepare", "expected"),
    [
        ("new", "was never attached to a customer, so there is nothing to detach."),
        ("detached", "was already detached from"),
    ],
)
def test_detaching_what_is_not_attached(sim: pmsim.Simulator, prepare: str, expected: str) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    if prepare == "detached":
        sim.payment_methods.attach(pm.id, customer=sim.customers.create().id)
        sim.payment_methods.detach(pm.id)
    err = failure(lambda: sim.payment_methods.detach(pm.id))
    assert err.message == NOT_ATTACHED
    assert expected in (err.hint or "")


def test_updating_an_unsaved_card_says_attach_it_first(sim: pmsim.Simulator) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    err = failure(lambda: sim.payment_methods.update(pm.id, metadata={"a": "b"}))
    assert "attach it first" in (err.hint or "")


def test_a_default_that_is_someone_elses(sim: pmsim.Simulator) -> None:
    ada, bob = sim.customers.create(), sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    settings = {"default_payment_method": pm.id}
    err = failure(lambda: sim.customers.update(bob.id, invoice_settings=settings))
    assert err.hint == (
        f"{pm.id} is attached to {ada.id}, not to {bob.id}. A default must be attached to "
        f"{bob.id}: attach a card to {bob.id} first (payment_methods.attach), then make it the "
        "default."
    )


def test_a_declining_test_card_says_what_it_is_for(sim: pmsim.Simulator) -> None:
    ada = sim.customers.create()
    err = failure(lambda: sim.payment_methods.attach("pm_card_visa_chargeDeclinedInsufficientFunds",
                                                     customer=ada.id))  # fmt: skip
    assert err.decline_code == "insufficient_funds"
    assert "which always declines with insufficient_funds" in (err.hint or "")
    assert "use pm_card_visa" in (err.hint or "")
    # The card was made from a test id by the failed call, whose ids are handed back: the
    # next card gets that id, so the hint must not name it.
    assert (err.hint or "").startswith("The card was made from Stripe's test card ")
    assert "Nothing was saved." in (err.hint or "")


def test_a_declined_setup_says_the_intent_keeps_the_decline(sim: pmsim.Simulator) -> None:
    intent = sim.setup_intents.create(customer=sim.customers.create().id)
    declining = "pm_card_visa_chargeDeclined"
    err = failure(
        lambda: sim.setup_intents.confirm(
            intent.id, payment_method=declining, return_url=RETURN_URL
        )
    )
    card = sim.setup_intents.retrieve(intent.id).last_setup_error
    assert card is not None and card.payment_method is not None
    assert (err.hint or "").startswith(f"{card.payment_method.id} was made from")
    assert "recorded on the SetupIntent, which can be confirmed again" in (err.hint or "")


@pytest.mark.parametrize(
    ("card", "advice"),
    [
        ("pm_card_authenticationRequired", "on every payment, saved or not"),
        ("pm_card_authenticationRequiredOnSetup", "save it first with a SetupIntent"),
    ],
)
def test_off_session_authentication(sim: pmsim.Simulator, card: str, advice: str) -> None:
    ada = sim.customers.create()
    err = failure(
        lambda: sim.payment_intents.create(amount=900, currency="usd", customer=ada.id,
                                           payment_method=card, confirm=True, off_session=True)
    )  # fmt: skip
    assert err.code == "authentication_required"
    assert advice in (err.hint or "")


def test_an_intent_in_the_wrong_state_says_what_the_state_allows(sim: pmsim.Simulator) -> None:
    intent = sim.setup_intents.create(
        payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
    )
    err = failure(lambda: sim.setup_intents.confirm(intent.id, return_url=RETURN_URL))
    assert err.code == "setup_intent_unexpected_state"
    assert err.hint_event == event_of(sim, "setup_intent.succeeded")
    assert "a succeeded SetupIntent is final" in (err.hint or "")
    card = "pm_card_threeDSecure2Required"
    waiting = sim.payment_intents.create(amount=900, currency="usd", confirm=True,
                                         payment_method=card, return_url=RETURN_URL)  # fmt: skip
    err = failure(lambda: sim.payment_intents.cancel(waiting.id) and sim.payment_intents.cancel(
        waiting.id))  # fmt: skip
    assert "was canceled" in (err.hint or "")


def test_missing_and_deleted_customers(sim: pmsim.Simulator) -> None:
    gone = sim.customers.create()
    sim.customers.delete(gone.id)
    err = failure(lambda: sim.payment_methods.attach("pm_card_visa", customer=gone.id))
    assert err.hint_event == event_of(sim, "customer.deleted")
    assert f"{gone.id} was deleted at " in (err.hint or "")
    err = failure(lambda: sim.payment_methods.attach("pm_card_visa", customer="cus_nope"))
    assert "No object 'cus_nope' was ever made in this simulator" in (err.hint or "")


def test_errors_without_a_lesson_have_no_hint(sim: pmsim.Simulator) -> None:
    err = failure(lambda: sim.customers.create(email="not an email"))
    assert (err.hint, err.hint_event) == (None, None)


def test_the_hint_never_reaches_stripes_envelope(sim: pmsim.Simulator) -> None:
    ada = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    sim.payment_methods.detach(pm.id)
    request = ApiRequest("POST", f"/v1/payment_methods/{pm.id}/attach",
                         headers={"authorization": "Bearer sk_test_1"},
                         body=f"customer={ada.id}")  # fmt: skip
    response = handle(sim, request)
    assert response.status == 400
    assert "hint" not in response.body["error"]
    assert "at 2024" not in json.dumps(response.body)  # none of the hint's words either


SCENARIO = """\
name: Re-attach after detach
steps:
  - customers.create: {}
    as: ada
  - payment_methods.attach: {payment_method: pm_card_visa, customer: "${ada.id}"}
    as: visa
  - payment_methods.detach: {payment_method: "${visa.id}"}
  - payment_methods.attach: {payment_method: "${visa.id}", customer: "${ada.id}"}
    expect_error: {type: invalid_request_error}
"""


def test_a_replay_names_the_step_and_line_in_the_hint() -> None:
    transcript = pmsim.replay(loads(SCENARIO))
    assert transcript.passed
    error = transcript.steps[3].error
    assert error is not None
    assert error["hint"].endswith("That was step 3 (payment_methods.detach, line 7).")
    assert '"hint":' in transcript.to_jsonl()


def test_pmsim_run_prints_the_hint_under_the_step() -> None:
    text = render(pmsim.replay(loads(SCENARIO)))
    hint_lines = [line for line in text.splitlines() if line.strip().startswith("hint:")]
    assert len(hint_lines) == 1
    joined = re.sub(r"\n\s+", " ", text)  # the hint is wrapped over several lines
    assert "That was step 3 (payment_methods.detach, line 7)." in joined


def test_a_recording_names_the_step_too() -> None:
    sim = pmsim.Simulator()
    with pmsim.record(sim) as recording:
        ada = sim.customers.create()
        visa = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
        sim.payment_methods.detach(visa.id)
        with pytest.raises(pmsim.InvalidRequestError):
            sim.payment_methods.attach(visa.id, customer=ada.id)
    error = recording.transcript().steps[3].error
    assert error is not None
    assert re.search(r"That was step 3 \(payment_methods\.detach, line \d+\)\.$", error["hint"])


def test_statuses_and_states_compare_equal_to_stripes_strings(sim: pmsim.Simulator) -> None:
    """As stripe-python's objects do: code written against either reads the same."""
    intent = sim.setup_intents.create(
        payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
    )
    assert intent.status == "succeeded"
    pm = sim.payment_methods.attach("pm_card_visa", customer=sim.customers.create().id)
    assert pm.state == "attached" and pm.state is pmsim.PMState.ATTACHED
    assert pm.state in {"attached", "new"} and {"attached": 1}[pm.state] == 1  # hashed alike


def test_stripe_python_users_read_the_hint_from_a_response_header(sim: pmsim.Simulator) -> None:
    stripe = pytest.importorskip("stripe")
    client = pmsim.stripe_client(sim)
    cus = client.v1.customers.create({"email": "ada@example.com"})
    with pytest.raises(stripe.CardError) as caught:
        client.v1.payment_methods.attach("pm_card_visa_chargeDeclined", {"customer": cus.id})
    assert caught.value.headers["pmsim-hint"].startswith("The card was made from Stripe's")
    assert caught.value.user_message == "Your card was declined."  # Stripe's envelope, as is


def test_a_payment_with_a_customer_but_no_setup_future_usage_is_told_truly(
    sim: pmsim.Simulator,
) -> None:
    """The card is used up because it was not saved, not because there was no customer."""
    ada = sim.customers.create()
    paid = sim.payment_intents.create(amount=500, currency="usd", customer=ada.id,
                                      payment_method="pm_card_visa", confirm=True,
                                      return_url=RETURN_URL)  # fmt: skip
    assert paid.payment_method is not None
    err = failure(lambda: sim.payment_methods.attach(paid.payment_method, customer=ada.id))
    assert "without a customer" not in (err.hint or "")
    assert f"was used by {paid.id} at " in (err.hint or "")


def test_an_intent_that_never_had_a_card_is_not_said_to_have_declined(
    sim: pmsim.Simulator,
) -> None:
    intent = sim.setup_intents.create()
    err = failure(lambda: sim.setup_intents.confirm(intent.id, return_url=RETURN_URL))
    assert err.code == "setup_intent_unexpected_state"
    assert err.hint == (
        f"{intent.id} has no payment method to use yet. Confirm it with payment_method=..., "
        "or update it with one first."
    )
    assert err.hint_event is None


def test_an_intent_whose_card_declined_points_at_the_decline(sim: pmsim.Simulator) -> None:
    intent = sim.setup_intents.create(customer=sim.customers.create().id)
    with pytest.raises(pmsim.CardError):
        sim.setup_intents.confirm(
            intent.id, payment_method="pm_card_visa_chargeDeclined", return_url=RETURN_URL
        )
    err = failure(lambda: sim.setup_intents.confirm(intent.id, return_url=RETURN_URL))
    assert err.hint_event == event_of(sim, "setup_intent.setup_failed")
    assert "has no payment method to use: its last one declined at " in (err.hint or "")


def test_refunds_beyond_the_charge_name_what_it_took_and_what_gave_it_back(
    sim: pmsim.Simulator,
) -> None:
    pi = sim.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa",
                                    confirm=True, off_session=True)  # fmt: skip
    charge = pi.latest_charge
    with pytest.raises(pmsim.InvalidRequestError) as first:
        sim.refunds.create(payment_intent=pi.id, amount=1500)
    assert first.value.hint == (
        f"{charge} took $10.00, and a refund gives back at most that. Leave amount out to "
        "refund all of it, or ask for less."
    )
    part = sim.refunds.create(payment_intent=pi.id, amount=400)
    with pytest.raises(pmsim.InvalidRequestError) as over:
        sim.refunds.create(charge=charge, amount=700)
    made = sim.events.list(type="refund.created").data[0]
    assert over.value.hint == (
        f"{charge} took $10.00, and refund {part.id} already gave back $4.00 (the latest was "
        f"created at 2024-01-01T00:00:00Z (event {made.id}); pending refunds count, failed "
        "ones do not), so at most $6.00 is left. Ask for that much or less, or leave amount "
        "out to refund all that is left."
    )
    assert over.value.hint_event == made.id
    rest = sim.refunds.create(charge=charge)
    with pytest.raises(pmsim.InvalidRequestError) as done:
        sim.refunds.create(charge=charge)
    assert done.value.code == "charge_already_refunded"
    assert str(done.value.hint).startswith(
        f"{charge} took $10.00, and refunds {part.id} and {rest.id} gave all of it back"
    )
