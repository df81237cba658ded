"""PaymentIntents for cards: each rule of create, confirm, update and cancel, of the test cards
that decline or ask for 3-D Secure, of the statuses and of the events, one test each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import pmsim
from pmsim import PMState
from pmsim.domain.messages.intents import PAYMENT_REFUSALS
from pmsim.domain.payment_intents import TRANSITIONS, PaymentAction, PaymentIntent, PaymentStatus
from tests.support import NOT_REUSABLE, assert_stripe_error, event_types

S, A = PaymentStatus, PaymentAction
Sim = pmsim.Simulator
UNEXPECTED = "payment_intent_unexpected_state"
# Stripe's words for PaymentIntent refusals, written out independently of pmsim's message table.
MISSING_PM = "You cannot confirm this PaymentIntent because it's missing a payment method."
UPDATABLE = (
    "This PaymentIntent's {0} could not be updated because it has a status of {1}. You may only "
    "update the {0} of a PaymentIntent with one of the following statuses: "
    "requires_payment_method, requires_confirmation, requires_action."
)
CANCEL = (
    "You cannot cancel this PaymentIntent because it has a status of {}. Only a PaymentIntent "
    "with one of the following statuses may be canceled: requires_payment_method, "
    "requires_capture, requires_confirmation, requires_action, processing."
)
CONFIRM_SUCCEEDED = (
    "You cannot confirm this PaymentIntent because it has already succeeded after being "
    "previously confirmed."
)
AUTH_FAILED = (
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data "
    "or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
)
AUTH_REQUIRED = "Your card was declined. This transaction requires authentication."
#: Where the customer comes back to: an intent with automatic payment methods (the default)
#: needs one to be confirmed on-session.
RETURN_URL = "https://example.com/return"


def intent(sim: Sim, **kwargs: Any) -> PaymentIntent:
    """A $10.99 PaymentIntent."""
    return sim.payment_intents.create(amount=1099, currency="usd", **kwargs)


def pay(sim: Sim, card: str = "pm_card_visa", **kwargs: Any) -> PaymentIntent:
    """Create and confirm a $10.99 payment in one call (on-session with a return_url; an
    off-session payment needs none)."""
    if not kwargs.get("off_session"):
        kwargs.setdefault("return_url", RETURN_URL)
    return intent(sim, payment_method=card, confirm=True, **kwargs)


def declined(call: Callable[[], object], code: str = "card_declined", **fields: Any) -> Any:
    return assert_stripe_error(call, cls=pmsim.CardError, status=402, code=code, **fields)


def auth_required(call: Callable[[], object]) -> Any:
    return declined(call, "authentication_required", message=AUTH_REQUIRED,
                    decline_code="authentication_required")  # fmt: skip


def saved_card(sim: Sim, customer: str, card: str = "pm_card_visa") -> str:
    return sim.payment_methods.attach(card, customer=customer).id


# --- create -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("sent", "message", "code", "param"),
    [
        ({"currency": "usd"}, "Missing required param: amount.", "parameter_missing", "amount"),
        ({"amount": 1099}, "Missing required param: currency.", "parameter_missing", "currency"),
        ({"amount": 49, "currency": "usd"}, "Amount must be at least $0.50 usd",
         "amount_too_small", "amount"),
        ({"amount": 29, "currency": "gbp"}, "Amount must be at least £0.30 gbp",
         "amount_too_small", "amount"),
        ({"amount": 49, "currency": "jpy"}, "Amount must be at least ¥50 jpy",
         "amount_too_small", "amount"),
        ({"amount": 100_000_000, "currency": "usd"}, "Amount must be no more than $999,999.99",
         "amount_too_large", "amount"),
        ({"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa",
          "off_session": True},
         "You can only set `off_session` when `confirm` is set to `true`.", None, "off_session"),
    ],
)  # fmt: skip
def test_create_refuses_bad_amounts_and_parameters(
    sim: Sim, sent: dict[str, Any], message: str, code: str | None, param: str
) -> None:
    assert_stripe_error(
        lambda: sim.payment_intents.create(**sent),
        message=message, code=code, param=param, sim=sim,
    )  # fmt: skip


@pytest.mark.parametrize(("currency", "amount"), [("usd", 50), ("gbp", 30), ("jpy", 50),
                                                  ("usd", 99_999_999)])  # fmt: skip
def test_amounts_at_the_limits_are_accepted(sim: Sim, currency: str, amount: int) -> None:
    assert sim.payment_intents.create(amount=amount, currency=currency).amount == amount


def test_unknown_currency_is_refused_and_known_ones_lower_cased(sim: Sim) -> None:
    before = sim.snapshot()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.payment_intents.create(amount=1099, currency="xyz")
    assert caught.value.message.startswith("Invalid currency: xyz.")
    assert (caught.value.param, caught.value.http_status) == ("currency", 400)
    assert sim.snapshot() == before
    assert sim.payment_intents.create(amount=1099, currency="EUR").to_dict()["currency"] == "eur"


@pytest.mark.parametrize(
    ("card", "status"),
    [(None, S.REQUIRES_PAYMENT_METHOD), ("pm_card_visa", S.REQUIRES_CONFIRMATION)],
)
def test_create_status_secret_and_event(sim: Sim, card: str | None, status: PaymentStatus) -> None:
    mark = sim.event_count
    pi = intent(sim, payment_method=card)
    assert pi.status is status and (pi.payment_method is None) == (card is None)
    assert pi.id.startswith("pi_") and pi.client_secret.startswith(f"{pi.id}_secret_")
    events = sim.events_since(mark)
    assert [(e.type, e.object.id) for e in events] == [("payment_intent.created", pi.id)]


# --- success: saving or using up the card ------------------------------------------------------
def test_a_successful_payment(sim: Sim) -> None:
    mark = sim.event_count
    pi = pay(sim)
    assert (pi.status, pi.amount_received, pi.last_payment_error) == (S.SUCCEEDED, 1099, None)
    assert pi.latest_charge is not None and pi.latest_charge.startswith("ch_")
    assert event_types(sim, mark) == [
        "payment_intent.created", "charge.succeeded", "payment_intent.succeeded",
    ]  # fmt: skip
    assert sim.events_since(mark)[1].object.id == pi.latest_charge
    assert sim.payment_intents.retrieve(pi.id) == pi


@pytest.mark.parametrize("usage", ["on_session", "off_session"])
def test_setup_future_usage_saves_the_card_first(sim: Sim, usage: str) -> None:
    cus = sim.customers.create()
    mark = sim.event_count
    pi = pay(sim, customer=cus.id, setup_future_usage=usage)
    pm = sim.payment_methods.retrieve(pi.payment_method)
    assert (pm.customer, pm.state, pi.setup_future_usage) == (cus.id, PMState.ATTACHED, usage)
    assert event_types(sim, mark) == [
        "payment_intent.created", "charge.succeeded", "payment_method.attached",
        "payment_intent.succeeded",
    ]  # fmt: skip


@pytest.mark.parametrize("with_customer", [False, True])
def test_without_setup_future_usage_the_card_is_used_up(sim: Sim, with_customer: bool) -> None:
    cus = sim.customers.create()
    pi = pay(sim, customer=cus.id if with_customer else None)
    pm = sim.payment_methods.retrieve(pi.payment_method)
    assert (pm.customer, pm.state) == (None, PMState.CONSUMED)
    attach = lambda: sim.payment_methods.attach(pm.id, customer=cus.id)  # noqa: E731
    assert_stripe_error(attach, message=NOT_REUSABLE, sim=sim)
    assert_stripe_error(lambda: pay(sim, pm.id), message=NOT_REUSABLE, sim=sim)


@pytest.mark.parametrize("usage", [None, "off_session"])
def test_the_customers_own_card_stays_attached(sim: Sim, usage: str | None) -> None:
    cus = sim.customers.create()
    pm_id = saved_card(sim, cus.id)
    mark = sim.event_count
    pay(sim, pm_id, customer=cus.id, setup_future_usage=usage)
    assert sim.payment_methods.retrieve(pm_id).state is PMState.ATTACHED
    assert "payment_method.attached" not in event_types(sim, mark)


# --- declines: a decline card, and one that attaches but fails charges ------------------------
@pytest.mark.parametrize("card", ["pm_card_visa_chargeDeclined", "pm_card_chargeCustomerFail"])
def test_a_decline_is_a_card_error_recorded_on_the_intent(sim: Sim, card: str) -> None:
    cus = sim.customers.create()
    generic = {"message": "Your card was declined.", "decline_code": "generic_decline"}
    owned = card == "pm_card_chargeCustomerFail"  # this one attaches, but charges fail
    if owned:
        card = saved_card(sim, cus.id, card)
    else:  # decline cards cannot be attached at all
        declined(lambda: sim.payment_methods.attach(card, customer=cus.id), **generic)
    pi = intent(sim, customer=cus.id, payment_method=card, setup_future_usage="off_session")
    mark = sim.event_count
    err = declined(lambda: sim.payment_intents.confirm(pi.id, return_url=RETURN_URL), **generic)
    after = sim.payment_intents.retrieve(pi.id)
    assert (after.status, after.payment_method) == (S.REQUIRES_PAYMENT_METHOD, None)
    error = after.last_payment_error
    assert error is not None and error.payment_method is not None
    assert (error.type, error.code, error.decline_code, error.payment_method.id) == (
        "card_error", "card_declined", "generic_decline", pi.payment_method,
    )  # fmt: skip
    assert event_types(sim, mark) == ["charge.failed", "payment_intent.payment_failed"]
    body = err.to_dict()["error"]
    failed_charge = sim.events_since(mark)[0].object.id
    assert body["charge"] == error.charge == after.latest_charge == failed_charge
    assert body["payment_intent"] == after.to_dict()
    assert body["payment_method"]["id"] == pi.payment_method
    owner = sim.payment_methods.retrieve(pi.payment_method).customer
    assert owner == (cus.id if owned else None)  # a saved card stays; a declined one never saves


# --- 3-D Secure on-session, per authentication test card ------------------------------------
@pytest.mark.parametrize(
    ("card", "on_session", "off_session"),
    [
        ("pm_card_authenticationRequired", S.REQUIRES_ACTION, None),
        ("pm_card_authenticationRequiredOnSetup", S.REQUIRES_ACTION, None),
        ("pm_card_authenticationRequiredSetupForOffSession", S.REQUIRES_ACTION, S.SUCCEEDED),
        ("pm_card_threeDSecure2Required", S.REQUIRES_ACTION, None),
        ("pm_card_threeDSecureOptional", S.SUCCEEDED, S.SUCCEEDED),
        ("pm_card_visa", S.SUCCEEDED, S.SUCCEEDED),
    ],
)
def test_3ds_on_and_off_session_per_card(
    sim: Sim, card: str, on_session: PaymentStatus, off_session: PaymentStatus | None
) -> None:
    mark = sim.event_count
    pi = pay(sim, card)
    assert pi.status is on_session
    if on_session is S.REQUIRES_ACTION:
        assert pi.payment_method is not None and pi.next_action is not None
        assert pi.next_action["type"] == "redirect_to_url"  # pay() sends a return_url
        assert pi.next_action["redirect_to_url"]["return_url"] == RETURN_URL
        assert (pi.amount_received, pi.latest_charge) == (0, None)
        assert event_types(sim, mark) == [
            "payment_intent.created", "payment_intent.requires_action",
        ]  # fmt: skip
    if off_session is None:  # a fresh card, never set up: the bank wants the customer
        auth_required(lambda: pay(sim, card, off_session=True))
    else:
        assert pay(sim, card, off_session=True).status is off_session


def test_completed_3ds_pays_and_saves_the_card(sim: Sim) -> None:
    cus = sim.customers.create()
    card, usage = "pm_card_authenticationRequired", "on_session"
    pi = pay(sim, card, customer=cus.id, setup_future_usage=usage)
    assert sim.payment_methods.retrieve(pi.payment_method).customer is None  # not yet
    mark = sim.event_count
    done = sim.three_d_secure.complete(pi.id, outcome="succeed")
    assert isinstance(done, PaymentIntent)
    assert (done.status, done.amount_received) == (S.SUCCEEDED, 1099)
    assert sim.payment_methods.retrieve(pi.payment_method).customer == cus.id
    assert event_types(sim, mark) == [
        "charge.succeeded", "payment_method.attached", "payment_intent.succeeded",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("card", "outcome", "code", "message"),
    [
        ("pm_card_threeDSecureRequiredChargeDeclined", "succeed", "card_declined",
         "Your card was declined."),
        ("pm_card_authenticationRequired", "fail", "payment_intent_authentication_failure",
         AUTH_FAILED),
    ],
)  # fmt: skip
def test_3ds_that_ends_unpaid_is_recorded_not_raised(
    sim: Sim, card: str, outcome: str, code: str, message: str
) -> None:
    pi = pay(sim, card)
    mark = sim.event_count
    done = sim.three_d_secure.complete(pi.id, outcome=outcome)  # does not raise
    assert isinstance(done, PaymentIntent)
    assert (done.status, done.payment_method) == (S.REQUIRES_PAYMENT_METHOD, None)
    error = done.last_payment_error
    assert error is not None and error.payment_method is not None
    assert (error.code, error.message) == (code, message)
    assert error.payment_method.id == pi.payment_method
    if outcome == "succeed":  # authenticated, then declined by the bank: a failed charge
        assert (error.decline_code, done.latest_charge is not None) == ("generic_decline", True)
        assert event_types(sim, mark) == ["charge.failed", "payment_intent.payment_failed"]
    else:  # no charge was attempted
        assert (error.decline_code, done.latest_charge) == (None, None)
        assert event_types(sim, mark) == ["payment_intent.payment_failed"]


# --- off-session, with cards saved with or without authentication ---------------------------
@pytest.mark.parametrize(
    ("card", "how", "pays"),
    [
        ("pm_card_authenticationRequiredOnSetup", "setup_intent", True),
        ("pm_card_authenticationRequiredOnSetup", "attach", True),
        ("pm_card_authenticationRequired", "attach", False),  # "regardless of how it is set up"
    ],
)
def test_saved_cards_off_session(sim: Sim, card: str, how: str, pays: bool) -> None:
    cus = sim.customers.create()
    if how == "setup_intent":
        seti = sim.setup_intents.create(
            customer=cus.id, payment_method=card, confirm=True, return_url=RETURN_URL
        )
        saved = sim.three_d_secure.complete(seti.id, outcome="succeed")
        assert saved.status.value == "succeeded" and saved.payment_method is not None
        card = saved.payment_method
    else:
        card = saved_card(sim, cus.id, card)
    if pays:
        assert pay(sim, card, customer=cus.id, off_session=True).status is S.SUCCEEDED
    else:
        err = auth_required(lambda: pay(sim, card, customer=cus.id, off_session=True))
        after = sim.payment_intents.retrieve(err.to_dict()["error"]["payment_intent"]["id"])
        assert after.status is S.REQUIRES_PAYMENT_METHOD and after.last_payment_error is not None
        assert after.last_payment_error.code == "authentication_required"
    assert pay(sim, card, customer=cus.id).status is S.REQUIRES_ACTION  # on-session: always


# --- wrong states, missing things -------------------------------------------------------------
@pytest.mark.parametrize(
    ("end", "action", "message", "param"),
    [
        ("succeeded", "confirm", CONFIRM_SUCCEEDED, None),
        ("canceled", "confirm", UPDATABLE.format("payment_method", "canceled"), None),
        ("succeeded", "cancel", CANCEL.format("succeeded"), None),
        ("canceled", "cancel", CANCEL.format("canceled"), None),
        ("succeeded", "update", UPDATABLE.format("amount", "succeeded"), "amount"),
    ],
)
def test_finished_intents_refuse(
    sim: Sim, end: str, action: str, message: str, param: str | None
) -> None:
    pi = pay(sim) if end == "succeeded" else sim.payment_intents.cancel(intent(sim).id)
    calls = {
        "confirm": lambda: sim.payment_intents.confirm(
            pi.id, payment_method="pm_card_visa", return_url=RETURN_URL
        ),
        "cancel": lambda: sim.payment_intents.cancel(pi.id),
        "update": lambda: sim.payment_intents.update(pi.id, amount=2000),
    }
    err = assert_stripe_error(calls[action], message=message, code=UNEXPECTED, param=param, sim=sim)
    assert err.to_dict()["error"]["payment_intent"]["status"] == end


@pytest.mark.parametrize("with_customer", [False, True])
def test_confirm_without_a_payment_method(sim: Sim, with_customer: bool) -> None:
    cus = sim.customers.create().id if with_customer else None
    pi = intent(sim, customer=cus)
    message = MISSING_PM
    if cus is not None:
        message += (f" To confirm the PaymentIntent with {cus}, specify a payment method "
                    "attached to this customer along with the customer ID.")  # fmt: skip
    confirm = lambda: sim.payment_intents.confirm(pi.id, return_url=RETURN_URL)  # noqa: E731
    assert_stripe_error(confirm, message=message, code=UNEXPECTED, sim=sim)


@pytest.mark.parametrize("operation", ["retrieve", "update", "confirm", "cancel"])
def test_unknown_intent_is_404(sim: Sim, operation: str) -> None:
    assert_stripe_error(
        lambda: getattr(sim.payment_intents, operation)("pi_x"),
        status=404, message="No such payment_intent: 'pi_x'", code="resource_missing",
        param="intent", sim=sim,
    )  # fmt: skip


# --- whose card -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("payer", "detach", "message", "param"),
    [
        ("bob", False, "The provided PaymentMethod {pm} does not belong to Customer {bob}.",
         "payment_method"),
        (None, False, "The payment method supplied ({pm}) belongs to the Customer {alice}. "
         "Please include the Customer in the `customer` parameter on the PaymentIntent.",
         "payment_method"),
        ("alice", True, NOT_REUSABLE, None),
    ],
)  # fmt: skip
def test_only_the_intents_own_live_cards_pay(
    sim: Sim, payer: str | None, detach: bool, message: str, param: str | None
) -> None:
    people = {"alice": sim.customers.create().id, "bob": sim.customers.create().id}
    pm_id = saved_card(sim, people["alice"])
    if detach:
        sim.payment_methods.detach(pm_id)
    customer = None if payer is None else people[payer]
    message = message.format(pm=pm_id, **people)
    pi = intent(sim, customer=customer)
    for call in (lambda: sim.payment_intents.confirm(pi.id, payment_method=pm_id,
                                                     return_url=RETURN_URL),
                 lambda: pay(sim, pm_id, customer=customer)):  # fmt: skip
        assert_stripe_error(call, message=message, param=param, sim=sim)


# --- update and cancel ------------------------------------------------------------------------
def test_update_rechecks_the_amount_against_the_currency(sim: Sim) -> None:
    pi = sim.payment_intents.create(amount=100, currency="usd")
    for change, shown in (({"amount": 49}, "$0.50 usd"), ({"currency": "dkk"}, "2.50 dkk")):
        assert_stripe_error(lambda c=change: sim.payment_intents.update(pi.id, **c),
                            message=f"Amount must be at least {shown}", code="amount_too_small",
                            param="amount", sim=sim)  # fmt: skip
    updated = sim.payment_intents.update(pi.id, amount=60, currency="GBP")
    assert (updated.amount, updated.currency) == (60, "gbp")


def test_update_payment_method_moves_the_status(sim: Sim) -> None:
    pi = intent(sim)
    pi = sim.payment_intents.update(pi.id, payment_method="pm_card_visa")
    assert pi.status is S.REQUIRES_CONFIRMATION and pi.payment_method is not None
    pi = sim.payment_intents.update(pi.id, payment_method="")
    assert (pi.status, pi.payment_method) == (S.REQUIRES_PAYMENT_METHOD, None)


def test_update_merges_metadata_clears_the_last_error_no_event(sim: Sim) -> None:
    pi = intent(sim, metadata={"a": "1", "b": "2"})
    with pytest.raises(pmsim.CardError):
        sim.payment_intents.confirm(
            pi.id, payment_method="pm_card_visa_chargeDeclined", return_url=RETURN_URL
        )
    assert sim.payment_intents.retrieve(pi.id).last_payment_error is not None
    mark = sim.event_count
    pi = sim.payment_intents.update(pi.id, metadata={"b": "", "c": "3"})
    assert dict(pi.metadata) == {"a": "1", "c": "3"}
    assert sim.payment_intents.retrieve(pi.id).last_payment_error is None
    assert event_types(sim, mark) == []


@pytest.mark.parametrize("reason", ["abandoned", "duplicate", "fraudulent",
                                    "requested_by_customer", None])  # fmt: skip
def test_cancel_records_reason_time_and_event(sim: Sim, reason: str | None) -> None:
    pi = pay(sim, "pm_card_authenticationRequired")  # requires_action can be canceled too
    now = sim.clock.advance(hours=2)
    mark = sim.event_count
    canceled = sim.payment_intents.cancel(pi.id, cancellation_reason=reason)
    assert (canceled.status, canceled.cancellation_reason) == (S.CANCELED, reason)
    assert canceled.canceled_at == now != pi.created
    assert event_types(sim, mark) == ["payment_intent.canceled"]


# --- refusals change nothing; lists; the table -------------------------------------------------
def test_refused_calls_change_nothing(sim: Sim) -> None:
    alice, bob = sim.customers.create(), sim.customers.create()
    owned = saved_card(sim, alice.id)
    done, waiting = pay(sim), pay(sim, "pm_card_authenticationRequired")
    refusals: list[Callable[[], object]] = [
        lambda: sim.payment_intents.create(amount=10, currency="usd"),
        lambda: intent(sim, confirm=True, return_url=RETURN_URL),
        lambda: intent(sim, payment_method="pm_card_visa", confirm=True),  # no return_url
        lambda: pay(sim, owned, customer=bob.id),
        lambda: sim.payment_intents.confirm(done.id, return_url=RETURN_URL),
        lambda: sim.payment_intents.update(done.id, amount=500),
        lambda: sim.payment_intents.update(waiting.id, amount=10),
        lambda: sim.payment_intents.confirm(
            waiting.id, payment_method=owned, return_url=RETURN_URL
        ),
        lambda: sim.payment_intents.cancel(waiting.id, cancellation_reason="bored"),
    ]
    for refusal in refusals:
        before = sim.snapshot()
        with pytest.raises(pmsim.StripeError):
            refusal()
        assert sim.snapshot() == before


def test_list_newest_first_by_customer_with_pages(sim: Sim) -> None:
    cus = sim.customers.create()
    mine = [sim.payment_intents.create(amount=100 + i, currency="usd", customer=cus.id).id
            for i in range(3)]  # fmt: skip
    other = intent(sim).id
    assert [pi.id for pi in sim.payment_intents.list()] == [other, *mine[::-1]]
    assert [pi.id for pi in sim.payment_intents.list(customer=cus.id)] == mine[::-1]
    first = sim.payment_intents.list(customer=cus.id, limit=2)
    assert [pi.id for pi in first] == [mine[2], mine[1]] and first.has_more
    rest = sim.payment_intents.list(customer=cus.id, limit=2, starting_after=mine[1])
    assert [pi.id for pi in rest] == [mine[0]] and not rest.has_more


def test_the_table_covers_every_pair_and_finished_intents_allow_nothing() -> None:
    assert set(TRANSITIONS) == {(s, a) for s in S for a in A}
    assert not any(TRANSITIONS[s, a] for s in (S.SUCCEEDED, S.CANCELED) for a in A)
    for status in (S.REQUIRES_PAYMENT_METHOD, S.REQUIRES_CONFIRMATION, S.REQUIRES_ACTION):
        assert TRANSITIONS[status, A.CANCEL] == {S.CANCELED}
    assert {s for s in S if TRANSITIONS[s, A.AUTHENTICATE]} == {S.REQUIRES_ACTION}
    # Paid, held or not (3-D Secure done), or submitted to the bank (microdeposits read back).
    after = {S.SUCCEEDED, S.REQUIRES_CAPTURE, S.REQUIRES_PAYMENT_METHOD, S.PROCESSING}
    assert TRANSITIONS[S.REQUIRES_ACTION, A.AUTHENTICATE] == after
    # Only an authorization can be captured, or expire (manual capture).
    assert {s for s in S if TRANSITIONS[s, A.CAPTURE]} == {S.REQUIRES_CAPTURE}
    assert TRANSITIONS[S.REQUIRES_CAPTURE, A.CAPTURE] == {S.SUCCEEDED}
    assert {s for s in S if TRANSITIONS[s, A.EXPIRE]} == {S.REQUIRES_CAPTURE}
    assert TRANSITIONS[S.REQUIRES_CAPTURE, A.EXPIRE] == {S.CANCELED}


# --- bugs once suspected, kept as regression tests --------------------------------------------


def test_a_refused_create_names_no_intent_that_does_not_exist(sim: Sim) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        intent(sim, confirm=True, return_url=RETURN_URL)
    named = caught.value.to_dict()["error"].get("payment_intent")
    if named is not None:  # the intent the error carries must exist, and stay its own
        assert sim.payment_intents.retrieve(named["id"]).id == named["id"]
        assert intent(sim).id != named["id"]


def test_setup_future_usage_without_a_customer_leaves_the_card_attachable(sim: Sim) -> None:
    pi = pay(sim, setup_future_usage="off_session")
    cus = sim.customers.create()
    assert sim.payment_methods.attach(pi.payment_method, customer=cus.id).customer == cus.id


def test_every_refusal_has_a_message() -> None:
    """Each refused update / confirm / cancel / capture has Stripe's message, and only those:
    the table's (expire and settle are Stripe's own: nobody asks for them), and the one a
    payment method's type adds (a processing SEPA debit's cancel)."""
    actions = (PaymentAction.UPDATE, PaymentAction.CONFIRM, PaymentAction.CANCEL,
               PaymentAction.CAPTURE)  # fmt: skip
    refusals = {(a, s) for s in PaymentStatus for a in actions if not TRANSITIONS[s, a]}
    by_type = {(PaymentAction.CANCEL, PaymentStatus.PROCESSING)}
    assert set(PAYMENT_REFUSALS) == refusals | by_type


def test_3ds_without_a_return_url_is_stripe_js_and_with_one_a_redirect(sim: Sim) -> None:
    # allow_redirects=never needs no return_url: 3-D Secure then goes through Stripe.js.
    sdk = sim.payment_intents.create(
        amount=500, currency="usd", payment_method="pm_card_authenticationRequired", confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )  # fmt: skip
    assert sdk.next_action is not None and sdk.next_action["type"] == "use_stripe_sdk"
    redirected = sim.payment_intents.confirm(
        sdk.id, payment_method="pm_card_threeDSecure2Required", return_url=RETURN_URL
    )
    assert redirected.next_action == {
        "type": "redirect_to_url",
        "redirect_to_url": {
            "return_url": RETURN_URL,
            "url": f"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={sdk.id}",
        },
    }
    assert "return_url" not in redirected.to_dict()  # Stripe's object has no such field
