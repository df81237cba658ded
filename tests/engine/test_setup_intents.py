"""SetupIntents: each rule of create, update, confirm and cancel, of the test cards that decline
or ask for 3-D Secure, of the statuses and of the events, one test each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import pmsim
from pmsim import PMState
from pmsim.domain.messages.intents import REFUSALS
from pmsim.domain.setup_intents import TRANSITIONS, SetupAction, SetupIntent, SetupStatus
from tests.support import (
    ALREADY_ATTACHED,
    ATTACH_FIRST,
    NOT_REUSABLE,
    assert_stripe_error,
    event_types,
)

S = SetupStatus
#: Where the customer comes back to: an intent with automatic payment methods (the default)
#: needs one to be confirmed.
RETURN_URL = "https://example.com/return"
UNEXPECTED = "setup_intent_unexpected_state"
# Stripe's words for SetupIntent refusals, written out independently of pmsim's message table.
MISSING_PM = (
    "You cannot confirm this SetupIntent because it's missing a payment method. You can either "
    "update the SetupIntent with a payment method and then confirm it again, or confirm it "
    "again directly with a payment method or ConfirmationToken."
)
CANCELABLE = (
    "Only a SetupIntent with one of the following statuses may be canceled: "
    "`requires_payment_method`, `requires_confirmation`, or `requires_action`."
)
AUTH_FAILED = (
    "The provided payment method has failed authentication. Provide a new payment method to "
    "attempt to fulfill this SetupIntent again."
)
ACTION_CARDS = ["pm_card_authenticationRequired", "pm_card_authenticationRequiredOnSetup",
                "pm_card_threeDSecure2Required"]  # fmt: skip
DIRECT_CARDS = ["pm_card_visa", "pm_card_authenticationRequiredSetupForOffSession",
                "pm_card_threeDSecureOptional",
                "pm_card_amex_threeDSecureNotSupported"]  # fmt: skip


def events(sim: pmsim.Simulator, mark: int) -> list[tuple[str, Any]]:
    """(type, object) of each event emitted after ``mark``, oldest first."""
    return [(event.type, event.object) for event in sim.events_since(mark)]


def refused(sim: pmsim.Simulator, call: Callable[[], object], message: str, **fields: Any) -> Any:
    """Expect exactly this Stripe error (400 invalid_request_error unless told) and no change."""
    return assert_stripe_error(call, message=message, sim=sim, **fields)


def ready(sim: pmsim.Simulator, card: str = "pm_card_visa", *, owned: bool = True) -> SetupIntent:
    """An intent in requires_confirmation, for a new customer unless ``owned`` is False."""
    customer = sim.customers.create().id if owned else None
    return sim.setup_intents.create(customer=customer, payment_method=card)


def succeeded(sim: pmsim.Simulator) -> SetupIntent:
    return sim.setup_intents.confirm(ready(sim).id, return_url=RETURN_URL)


def canceled(sim: pmsim.Simulator) -> SetupIntent:
    return sim.setup_intents.cancel(ready(sim).id)


def attached_card(sim: pmsim.Simulator, customer: str, card: str = "pm_card_visa") -> str:
    return sim.payment_methods.attach(card, customer=customer).id


def complete(sim: pmsim.Simulator, seti: str, outcome: str = "succeed") -> SetupIntent:
    """``sim.three_d_secure.complete`` for a SetupIntent."""
    done = sim.three_d_secure.complete(seti, outcome=outcome)
    assert isinstance(done, SetupIntent)
    return done


def pm_of(sim: pmsim.Simulator, seti: SetupIntent) -> Any:
    assert seti.payment_method is not None
    return sim.payment_methods.retrieve(seti.payment_method)


def test_create_without_payment_method(sim: pmsim.Simulator) -> None:
    """No PM -> requires_payment_method; client_secret; usage; setup_intent.created."""
    mark = sim.event_count
    seti = sim.setup_intents.create()
    assert (seti.status, seti.payment_method, seti.usage, seti.next_action) == (
        S.REQUIRES_PAYMENT_METHOD, None, "off_session", None)  # fmt: skip
    assert seti.id.startswith("seti_") and seti.client_secret.startswith(f"{seti.id}_secret_")
    assert events(sim, mark) == [("setup_intent.created", seti)]
    assert sim.setup_intents.retrieve(seti.id) == seti


def test_create_with_test_id_makes_a_new_payment_method(sim: pmsim.Simulator) -> None:
    """A PM -> requires_confirmation; each pm_card_* use makes a new pm_."""
    first, second = ready(sim), ready(sim)
    assert first.status is S.REQUIRES_CONFIRMATION
    assert first.payment_method is not None and first.payment_method.startswith("pm_1")
    assert len({first.payment_method, second.payment_method, "pm_card_visa"}) == 3
    pm = pm_of(sim, first)
    assert (pm.customer, pm.state) == (None, PMState.NEW)  # nothing attached before confirming


def test_usage_on_session_is_kept_and_others_are_refused(sim: pmsim.Simulator) -> None:
    """usage is stored as sent (docs/fidelity.md "SetupIntents"); only off_session and on_session
    exist."""
    assert sim.setup_intents.create(usage="on_session").usage == "on_session"
    message = "Invalid usage: must be one of off_session, or on_session"
    refused(sim, lambda: sim.setup_intents.create(usage="x"), message, param="usage")


def test_create_for_unknown_customer(sim: pmsim.Simulator) -> None:
    """An unknown customer in the body is a 400 naming the parameter, not a 404."""
    refused(sim, lambda: sim.setup_intents.create(customer="cus_x", payment_method="pm_card_visa"),
            "No such customer: 'cus_x'", code="resource_missing", param="customer")  # fmt: skip


@pytest.mark.parametrize("operation", ["retrieve", "update", "confirm", "cancel"])
def test_unknown_intent_is_404(sim: pmsim.Simulator, operation: str) -> None:
    """An unknown SetupIntent id in the path: 404 on ``intent``."""
    call: Callable[[str], object] = getattr(sim.setup_intents, operation)
    message = "No such setupintent: 'seti_x'"
    refused(sim, lambda: call("seti_x"), message, status=404, code="resource_missing",
            param="intent")  # fmt: skip


def test_confirm_with_customer_attaches_then_succeeds(sim: pmsim.Simulator) -> None:
    """The PM is attached, and payment_method.attached comes before setup_intent.succeeded."""
    seti = ready(sim)
    mark = sim.event_count
    done = sim.setup_intents.confirm(seti.id, return_url=RETURN_URL)
    assert (done.status, done.payment_method) == (S.SUCCEEDED, seti.payment_method)
    assert done.latest_attempt is not None and done.latest_attempt.startswith("setatt_")
    pm = pm_of(sim, done)
    assert (pm.customer, pm.state) == (seti.customer, PMState.ATTACHED)
    assert events(sim, mark) == [("payment_method.attached", pm), ("setup_intent.succeeded", done)]


def test_create_with_confirm_runs_the_confirmation(sim: pmsim.Simulator) -> None:
    """confirm=true on create confirms in the same call, with the same events."""
    cus = sim.customers.create()
    mark = sim.event_count
    seti = sim.setup_intents.create(
        customer=cus.id, payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
    )
    assert seti.status is S.SUCCEEDED
    assert event_types(sim, mark) == [
        "setup_intent.created", "payment_method.attached", "setup_intent.succeeded"]  # fmt: skip


def test_customer_default_is_not_a_fallback(sim: pmsim.Simulator) -> None:
    """The customer's default PM does not stand in for a missing one."""
    cus = sim.customers.create()
    default = attached_card(sim, cus.id)
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": default})
    seti = sim.setup_intents.create(customer=cus.id)
    err = refused(
        sim,
        lambda: sim.setup_intents.confirm(seti.id, return_url=RETURN_URL),
        MISSING_PM,
        code=UNEXPECTED,
    )
    assert err.to_dict()["error"]["setup_intent"] == seti.to_dict()  # the error carries the intent


@pytest.mark.parametrize("card", ["pm_card_visa", ACTION_CARDS[0]])
def test_confirm_without_customer_sets_the_card_up(sim: pmsim.Simulator, card: str) -> None:
    """No customer -> the PM is set up, not used up: a second intent is refused with (g)'s
    newer wording, but it may be attached to one customer, once (reference §5.3;
    docs/fidelity.md "Attach and detach"). tests/engine/test_set_up_cards.py has the rest."""
    seti = ready(sim, card, owned=False)
    mark = sim.event_count
    seti = sim.setup_intents.confirm(seti.id, return_url=RETURN_URL)
    if seti.status is S.REQUIRES_ACTION:
        seti = complete(sim, seti.id)
    assert seti.status is S.SUCCEEDED and event_types(sim, mark)[-1] == "setup_intent.succeeded"
    assert "payment_method.attached" not in event_types(sim, mark)
    pm = pm_of(sim, seti)
    assert (pm.customer, pm.state) == (None, PMState.SET_UP)
    again = sim.setup_intents.create(payment_method=pm.id)  # refused before asking for 3DS
    refused(sim, lambda: sim.setup_intents.confirm(again.id, return_url=RETURN_URL), ATTACH_FIRST)
    ada, bob = sim.customers.create(), sim.customers.create()
    assert sim.payment_methods.attach(pm.id, customer=ada.id).state is PMState.ATTACHED
    refused(sim, lambda: sim.payment_methods.attach(pm.id, customer=bob.id), ALREADY_ATTACHED)


@pytest.mark.parametrize(
    ("card", "code", "decline_code", "message", "param"),
    [
        ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline",
         "Your card was declined.", None),
        ("pm_card_visa_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds",
         "Your card has insufficient funds.", None),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card",
         "Your card has expired.", "exp_month"),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc",
         "Your card's security code is incorrect.", "cvc"),
    ],
)  # fmt: skip
def test_decline_is_recorded_on_the_intent(
    sim: pmsim.Simulator, card: str, code: str, decline_code: str, message: str, param: str | None
) -> None:
    """402; RPM with last_setup_error; setup_failed; not attached; retry works."""
    seti = ready(sim, card)
    mark = sim.event_count
    err = assert_stripe_error(
        lambda: sim.setup_intents.confirm(seti.id, return_url=RETURN_URL), cls=pmsim.CardError,
        status=402, message=message, code=code, decline_code=decline_code,
        param=param)  # fmt: skip
    after = sim.setup_intents.retrieve(seti.id)
    assert (after.status, after.payment_method) == (S.REQUIRES_PAYMENT_METHOD, None)
    assert after.latest_attempt is not None and after.latest_attempt.startswith("setatt_")
    last = after.last_setup_error
    assert last is not None and last.payment_method is not None
    assert (last.type, last.code, last.decline_code, last.message, last.payment_method.id) == (
        "card_error", code, decline_code, message, seti.payment_method)  # fmt: skip
    assert events(sim, mark) == [("setup_intent.setup_failed", after)]
    pm = pm_of(sim, seti)
    assert (pm.customer, pm.state) == (None, PMState.NEW)
    assert seti.customer is not None and not sim.customers.list_payment_methods(seti.customer).data
    body = err.to_dict()["error"]
    assert body["setup_intent"] == after.to_dict() and body["payment_method"] == pm.to_dict()
    done = sim.setup_intents.confirm(
        seti.id, payment_method="pm_card_mastercard", return_url=RETURN_URL
    )  # from RPM
    assert (done.status, done.last_setup_error) == (S.SUCCEEDED, None)


def test_create_with_confirm_keeps_a_declined_intent(sim: pmsim.Simulator) -> None:
    """A decline during create (confirm=true) still creates the intent, in RPM."""
    with pytest.raises(pmsim.CardError) as caught:
        sim.setup_intents.create(
            payment_method="pm_card_visa_chargeDeclined", confirm=True, return_url=RETURN_URL
        )
    seti_id = caught.value.to_dict()["error"]["setup_intent"]["id"]
    assert sim.setup_intents.retrieve(seti_id).status is S.REQUIRES_PAYMENT_METHOD


@pytest.mark.parametrize("card", ACTION_CARDS)
def test_authentication_cards_require_action(sim: pmsim.Simulator, card: str) -> None:
    """Cards that need 3-D Secure wait in requires_action; with a return_url, next_action
    sends the customer to the bank's page and back."""
    seti = sim.setup_intents.create(customer=sim.customers.create().id)
    mark = sim.event_count
    waiting = sim.setup_intents.confirm(seti.id, payment_method=card, return_url=RETURN_URL)
    assert waiting.status is S.REQUIRES_ACTION
    assert waiting.next_action is not None and waiting.next_action["type"] == "redirect_to_url"
    assert waiting.next_action["redirect_to_url"]["return_url"] == RETURN_URL
    assert events(sim, mark) == [("setup_intent.requires_action", waiting)]
    assert pm_of(sim, waiting).customer is None  # attached only once authenticated


@pytest.mark.parametrize("card", DIRECT_CARDS)
def test_cards_that_succeed_without_authentication(sim: pmsim.Simulator, card: str) -> None:
    """No 3-D Secure challenge for these cards."""
    assert (
        sim.setup_intents.confirm(ready(sim, card).id, return_url=RETURN_URL).status is S.SUCCEEDED
    )


def test_authentication_succeeds(sim: pmsim.Simulator) -> None:
    """Completed 3-D Secure saves the card as a confirmation would."""
    seti = sim.setup_intents.confirm(ready(sim, ACTION_CARDS[0]).id, return_url=RETURN_URL)
    mark = sim.event_count
    done = complete(sim, seti.id, "succeed")
    assert (done.status, done.next_action) == (S.SUCCEEDED, None)
    assert event_types(sim, mark) == ["payment_method.attached", "setup_intent.succeeded"]
    assert pm_of(sim, seti).customer == seti.customer


def test_authentication_fails(sim: pmsim.Simulator) -> None:
    """Failed 3-D Secure -> RPM with setup_intent_authentication_failure."""
    seti = sim.setup_intents.confirm(ready(sim, ACTION_CARDS[0]).id, return_url=RETURN_URL)
    mark = sim.event_count
    failed = complete(sim, seti.id, "fail")
    assert (failed.status, failed.payment_method) == (S.REQUIRES_PAYMENT_METHOD, None)
    last = failed.last_setup_error
    assert last is not None and last.payment_method is not None
    assert (last.code, last.message, last.payment_method.id) == (
        "setup_intent_authentication_failure", AUTH_FAILED, seti.payment_method)  # fmt: skip
    assert events(sim, mark) == [("setup_intent.setup_failed", failed)]
    assert pm_of(sim, seti).customer is None


@pytest.mark.parametrize("status", ["requires_confirmation", "succeeded", "bad outcome"])
def test_complete_needs_an_intent_awaiting_authentication(
    sim: pmsim.Simulator, status: str
) -> None:
    """pmsim's 3-D Secure control: only requires_action, only 'succeed' or 'fail'."""
    seti = ready(sim, ACTION_CARDS[0])
    if status != "requires_confirmation":
        seti = sim.setup_intents.confirm(seti.id, return_url=RETURN_URL)
    if status == "succeeded":
        seti = complete(sim, seti.id)
    before = sim.snapshot()
    with pytest.raises(pmsim.PmsimUsageError):
        sim.three_d_secure.complete(seti.id, outcome="maybe" if status == "bad outcome" else "fail")
    assert sim.snapshot() == before


def test_complete_does_not_raise_when_the_card_was_used_meanwhile(sim: pmsim.Simulator) -> None:
    """docs/fidelity.md (3-D Secure): complete is the customer's action and does not raise;
    a card that became unusable while the intent waited is recorded as the failure."""
    first = sim.setup_intents.create(
        payment_method=ACTION_CARDS[0], confirm=True, return_url=RETURN_URL
    )
    second = sim.setup_intents.create(
        payment_method=first.payment_method, confirm=True, return_url=RETURN_URL
    )
    assert complete(sim, first.id).status is S.SUCCEEDED  # uses the card up (no customer)
    after = complete(sim, second.id)
    assert after.status is S.REQUIRES_PAYMENT_METHOD and after.payment_method is None
    assert after.last_setup_error is not None
    assert "previously used" in after.last_setup_error.message


CALLS: dict[str, Callable[[pmsim.Simulator, str], object]] = {
    "confirm": lambda sim, seti: sim.setup_intents.confirm(seti, return_url=RETURN_URL),
    "cancel": lambda sim, seti: sim.setup_intents.cancel(seti),
    "update": lambda sim, seti: sim.setup_intents.update(seti, payment_method="pm_card_visa"),
}


@pytest.mark.parametrize(
    ("make", "call", "message"),
    [
        (succeeded, "confirm", "You cannot confirm this SetupIntent because it has already "
         "succeeded."),
        (canceled, "confirm", "You cannot confirm this SetupIntent because it has been canceled."),
        (succeeded, "cancel", "You cannot cancel this SetupIntent because it has a status of "
         "succeeded. " + CANCELABLE),
        (canceled, "cancel", "You cannot cancel this SetupIntent because it is already canceled."),
        (succeeded, "update", "You cannot update this SetupIntent because it has already "
         "succeeded."),
        (canceled, "update", "You cannot update this SetupIntent because it has been canceled."),
    ],
)  # fmt: skip
def test_finished_intents_refuse(
    sim: pmsim.Simulator, make: Callable[[pmsim.Simulator], SetupIntent], call: str, message: str
) -> None:
    """Succeeded and canceled are terminal; the error carries the intent."""
    seti = make(sim)
    err = refused(sim, lambda: CALLS[call](sim, seti.id), message, code=UNEXPECTED)
    assert err.to_dict()["error"]["setup_intent"] == seti.to_dict()


def test_missing_payment_method_is_checked_before_status(sim: pmsim.Simulator) -> None:
    """A canceled intent without a PM answers the missing-PM error, not the canceled one."""
    seti = sim.setup_intents.cancel(sim.setup_intents.create().id)
    refused(
        sim,
        lambda: sim.setup_intents.confirm(seti.id, return_url=RETURN_URL),
        MISSING_PM,
        code=UNEXPECTED,
    )


@pytest.mark.parametrize("for_bob", [True, False])
def test_payment_method_of_another_customer(sim: pmsim.Simulator, for_bob: bool) -> None:
    """A PM attached to Alice serves neither Bob's intent nor one without a customer."""
    alice, bob = sim.customers.create().id, sim.customers.create().id
    pm = attached_card(sim, alice)
    seti = sim.setup_intents.create(customer=bob if for_bob else None, payment_method=pm)
    message = (
        f"The PaymentMethod {pm} does not belong to the Customer you supplied {bob}. Please use "
        "this PaymentMethod with the Customer that it belongs to instead."
        if for_bob
        else f"The payment method supplied ({pm}) belongs to the Customer {alice}. Please "
        "include the Customer in the `customer` parameter on the SetupIntent."
    )
    refused(
        sim,
        lambda: sim.setup_intents.confirm(seti.id, return_url=RETURN_URL),
        message,
        param="payment_method",
    )


def test_detached_payment_method_cannot_be_set_up(sim: pmsim.Simulator) -> None:
    """Detachment is permanent, even for the customer it belonged to."""
    cus = sim.customers.create()  # a 3-D Secure card: refused before it could ask for action
    pm = sim.payment_methods.detach(attached_card(sim, cus.id, ACTION_CARDS[0])).id
    seti = sim.setup_intents.create(customer=cus.id, payment_method=pm)
    refused(sim, lambda: sim.setup_intents.confirm(seti.id, return_url=RETURN_URL), NOT_REUSABLE)


def test_payment_method_already_the_customers(sim: pmsim.Simulator) -> None:
    """The customer's own PM succeeds with no new payment_method.attached (as re-attaching to
    the same customer emits none: docs/fidelity.md, settled choice (b))."""
    cus = sim.customers.create()
    seti = sim.setup_intents.create(customer=cus.id, payment_method=attached_card(sim, cus.id))
    mark = sim.event_count
    assert sim.setup_intents.confirm(seti.id, return_url=RETURN_URL).status is S.SUCCEEDED
    assert event_types(sim, mark) == ["setup_intent.succeeded"]


@pytest.mark.parametrize("reason", [None, "abandoned", "duplicate", "requested_by_customer"])
@pytest.mark.parametrize("card", [None, "pm_card_visa", ACTION_CARDS[0]])
def test_cancel_open_intents(sim: pmsim.Simulator, reason: str | None, card: str | None) -> None:
    """RPM, RC and requires_action can be canceled; the reason is kept."""
    seti = sim.setup_intents.create(payment_method=card)
    if card == ACTION_CARDS[0]:
        seti = sim.setup_intents.confirm(seti.id, return_url=RETURN_URL)
    mark = sim.event_count
    done = sim.setup_intents.cancel(seti.id, cancellation_reason=reason)
    assert (done.status, done.cancellation_reason) == (S.CANCELED, reason)
    assert events(sim, mark) == [("setup_intent.canceled", done)]


def test_cancel_with_unknown_reason(sim: pmsim.Simulator) -> None:
    """cancellation_reason is one of three choices."""
    seti = sim.setup_intents.create()
    message = ("Invalid cancellation_reason: must be one of abandoned, duplicate, or "
               "requested_by_customer")  # fmt: skip
    refused(sim, lambda: sim.setup_intents.cancel(seti.id, cancellation_reason="bored"), message,
            param="cancellation_reason")  # fmt: skip


def test_update_payment_method_metadata_and_description(sim: pmsim.Simulator) -> None:
    """A new PM needs confirming, "" unsets it; metadata merges; no event."""
    seti = sim.setup_intents.create(metadata={"a": "1"})
    mark = sim.event_count
    changed = sim.setup_intents.update(seti.id, payment_method="pm_card_visa")
    assert changed.status is S.REQUIRES_CONFIRMATION and pm_of(sim, changed).state is PMState.NEW
    unset = sim.setup_intents.update(seti.id, payment_method="")
    assert (unset.status, unset.payment_method) == (S.REQUIRES_PAYMENT_METHOD, None)
    noted = sim.setup_intents.update(seti.id, metadata={"b": "2"}, description="for later")
    assert (dict(noted.metadata), noted.description) == ({"a": "1", "b": "2"}, "for later")
    assert sim.setup_intents.retrieve(seti.id) == noted
    assert sim.event_count == mark


def test_metadata_can_change_after_success(sim: pmsim.Simulator) -> None:
    """Only payment_method and customer are frozen once succeeded."""
    assert sim.setup_intents.update(succeeded(sim).id, metadata={"k": "v"}).metadata == {"k": "v"}


def test_refused_calls_change_nothing_and_use_no_ids(sim: pmsim.Simulator) -> None:
    """A refused call changes no state and uses up no ids (docs/fidelity.md "Determinism")."""

    def start(each: pmsim.Simulator) -> tuple[str, str, str]:
        alice, bob = each.customers.create(), each.customers.create()
        owned = attached_card(each, alice.id)
        return bob.id, owned, each.setup_intents.create(customer=bob.id).id

    fresh = pmsim.Simulator(seed=0)
    bob, owned, seti = start(sim)
    assert start(fresh) == (bob, owned, seti)
    refusals: list[Callable[[], object]] = [
        lambda: sim.setup_intents.create(customer=bob, payment_method="pm_card_visa", usage="x"),
        lambda: sim.setup_intents.create(customer=bob, confirm=True, return_url=RETURN_URL),
        lambda: sim.setup_intents.create(customer=bob, payment_method="pm_card_visa", confirm=True),
        lambda: sim.setup_intents.update(seti, payment_method="pm_card_visa", metadata="x"),
        lambda: sim.setup_intents.confirm(seti, payment_method=owned, return_url=RETURN_URL),
        lambda: sim.setup_intents.confirm(seti, payment_method="pm_nope", return_url=RETURN_URL),
        lambda: sim.setup_intents.cancel(seti, cancellation_reason="bored"),
    ]
    for call in refusals:
        before = sim.snapshot()
        with pytest.raises(pmsim.StripeError):
            call()
        assert sim.snapshot() == before
    made = [
        each.setup_intents.create(
            customer=bob, payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
        )
        for each in (sim, fresh)
    ]
    assert made[0] == made[1] and sim.snapshot() == fresh.snapshot()


def test_list_newest_first_with_filters_and_pages(sim: pmsim.Simulator) -> None:
    """Newest first; customer= and payment_method= filter; starting_after pages."""
    cus = sim.customers.create()
    made = []
    for customer in (cus.id, None, cus.id, None):
        made.append(sim.setup_intents.create(customer=customer, payment_method="pm_card_visa"))
        sim.clock.advance(seconds=1)
    ids = [seti.id for seti in made]
    assert [s.id for s in sim.setup_intents.list()] == ids[::-1]
    assert [s.id for s in sim.setup_intents.list(customer=cus.id)] == [ids[2], ids[0]]
    assert [s.id for s in sim.setup_intents.list(payment_method=made[1].payment_method)] == [ids[1]]
    first = sim.setup_intents.list(limit=3)
    assert ([s.id for s in first], first.has_more) == (ids[:0:-1], True)
    rest = sim.setup_intents.list(limit=3, starting_after=first.data[-1].id)
    assert ([s.id for s in rest], rest.has_more) == ([ids[0]], False)


def test_every_status_and_action_has_an_entry() -> None:
    """The status table is complete."""
    assert set(TRANSITIONS) == {(s, a) for s in SetupStatus for a in SetupAction}


def test_every_refusal_has_a_message() -> None:
    """Each refused confirm / cancel / update has Stripe's message, and only those."""
    actions = (SetupAction.CONFIRM, SetupAction.CANCEL, SetupAction.UPDATE_PAYMENT_METHOD)
    refusals = {(a, s) for s in SetupStatus for a in actions if not TRANSITIONS[s, a]}
    assert set(REFUSALS) == refusals
    assert {(SetupAction.CONFIRM, S.SUCCEEDED), (SetupAction.CANCEL, S.CANCELED)} <= refusals


def test_only_requires_action_can_be_authenticated() -> None:
    """3-D Secure completes only an intent waiting for it; succeeded and canceled are final."""
    assert [s for s in SetupStatus if TRANSITIONS[s, SetupAction.AUTHENTICATE]] == [
        S.REQUIRES_ACTION
    ]
    for status in (S.SUCCEEDED, S.CANCELED):
        assert not any(TRANSITIONS[status, action] for action in SetupAction)
