"""The attach rules the customer and payment-method operations share.

Each function looks things up, works out new versions of records, or (``new_pm``, ``detach``)
hands them to the current ``Operation``; nothing here touches the store, which the operation
commits only when the whole call succeeds (see ``simulator.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import evolve

from pmsim.domain import errors, params, pm_types
from pmsim.domain.bank_account_states import (
    AccountAction,
    MandateAction,
    account_state,
    mandate_after,
    refusal,
)
from pmsim.domain.card_input import checks_on_attach
from pmsim.domain.cards import CARDS_BY_NAME, TestCard
from pmsim.domain.delays import DAY
from pmsim.domain.digests import base62_digest
from pmsim.domain.events import (
    CUSTOMER_UPDATED,
    MANDATE_UPDATED,
    PAYMENT_METHOD_ATTACHED,
    PAYMENT_METHOD_DETACHED,
)
from pmsim.domain.lifecycle import Action, PMState, apply
from pmsim.domain.messages import intents, lookups, microdeposits, payment_methods
from pmsim.domain.messages.payment_methods import Decline
from pmsim.domain.models import EMPTY_METADATA, Customer, PaymentMethod
from pmsim.domain.parts import BillingDetails, CardChecks
from pmsim.domain.pm_types import NewMethod
from pmsim.domain.test_clocks import TestClock
from pmsim.engine import hints
from pmsim.store import Store

if TYPE_CHECKING:
    from pmsim.engine.kernel import Operation

DEFAULT_BILLING_DETAILS = BillingDetails()
T = TypeVar("T")


def sent(**values: object) -> dict[str, object]:
    """The parameters a caller actually sent: ``None`` means "not sent", as on the wire."""
    return {key: value for key, value in values.items() if value is not None}


def today(op: Operation) -> tuple[int, int]:
    """The simulated (year, month), for card expiry."""
    return _year_month(op.now // DAY)


@lru_cache(maxsize=64)  # every card made asks; the clock seldom changes its day
def _year_month(day: int) -> tuple[int, int]:
    moment = datetime.fromtimestamp(day * DAY, tz=UTC)
    return moment.year, moment.month


def live_customer(
    store: Store, customer_id: object, *, param: str = "customer", in_path: bool = False
) -> Customer:
    """The customer, or "No such customer" if it never existed or was deleted: 404 when
    its id is in the URL path, else 400 naming the parameter."""
    key = params.string(customer_id, param)
    customer = store.customers.get(key)
    if customer is None or customer.deleted:
        error = lookups.no_such_customer(key, param=param, in_path=in_path)
        raise hints.missing_customer(error, store, key)
    return customer


def existing_pm(
    store: Store, pm_id: object, *, param: str = "payment_method", in_path: bool = False
) -> PaymentMethod:
    key = params.string(pm_id, param)
    pm = store.payment_methods.get(key)
    if pm is None:
        error = lookups.no_such_payment_method(key, param=param, in_path=in_path)
        raise hints.missing_payment_method(error, key)
    return pm


def new_pm(
    op: Operation,
    new: NewMethod,
    *,
    billing_details: BillingDetails | None = None,
    metadata: Any = None,
    allow_redisplay: str = "unspecified",
) -> PaymentMethod:
    """A new, unattached payment method (uses up an id; stored only if the call succeeds)."""
    details: dict[str, Any] = {new.type: new.details}  # under the type's own name
    return PaymentMethod(
        id=op.new_id("pm"),
        created=op.now,
        test_row=new.test_row,
        type=new.type,
        billing_details=billing_details or DEFAULT_BILLING_DETAILS,
        metadata=EMPTY_METADATA if metadata is None else params.metadata({}, metadata),
        cvc_given=new.cvc_given,
        allow_redisplay=allow_redisplay,
        **details,
    )


def usable_pm(
    op: Operation, pm_id: object, *, param: str = "payment_method", in_path: bool = False
) -> PaymentMethod:
    """An existing payment method, or a new one for a test id like ``pm_card_visa``.

    Each use of a test id makes a new payment method, as Stripe does; it is stored only if
    the whole operation succeeds.
    """
    key = params.string(pm_id, param)
    # The membership test first: most calls pass a real id, and today() is not free.
    new = pm_types.from_test_id(key, today=today(op)) if key in pm_types.TEST_IDS else None
    if new is None:
        return existing_pm(op.store, key, param=param, in_path=in_path)
    return new_pm(op, new)


def stored_pm(op: Operation, value: object) -> PaymentMethod:
    """An existing payment method, or a new one stored now for a test id like pm_card_visa
    (as intents do: the card exists even if the intent is never confirmed)."""
    pm = usable_pm(op, value)
    if pm.id not in op.store.payment_methods:
        op.put(pm)
    return pm


def client_secret(intent_id: str) -> str:
    """``<id>_secret_`` and 25 characters from the id, as Stripe's intents carry."""
    return f"{intent_id}_secret_{base62_digest(intent_id + ':secret', 25)}"


def optional_text(
    value: object, param: str, max_length: int = params.MAX_STRING_LENGTH
) -> str | None:
    """A string parameter where ``""`` (or not sending it) means none."""
    return None if value is None or value == "" else params.string(value, param, max_length)


def find_record(
    table: Mapping[str, T], record_id: object, kind: str, *, param: str, in_path: bool = True
) -> T:
    """The record with this id (an intent, a charge, a refund), or Stripe's "No such …":
    404 for an id in the URL path, 400 for one in the parameter ``param``."""
    key = params.string(record_id, param)
    found = table.get(key)
    if found is None:
        raise lookups.no_such(kind, key, param=param, in_path=in_path)
    return found


def find_intent(table: Mapping[str, T], intent_id: object, kind: str) -> T:
    """The intent with this id in the URL path (``{intent}``), or Stripe's 404 naming it."""
    return find_record(table, intent_id, kind, param="intent")


def find_test_clock(
    store: Store, clock_id: object, *, param: str, in_path: bool = False
) -> TestClock:
    """A test clock that exists and is not deleted, or "No such test_clock"."""
    key = params.string(clock_id, param)
    found = store.test_clocks.get(key)
    if found is None or found.deleted:
        raise lookups.no_such("test_clock", key, param=param, in_path=in_path)
    return found


def owner_and_card(op: Operation, customer: object, payment_method: object) -> dict[str, Any]:
    """The ``customer`` and ``payment_method`` an intent update sends, checked: ``""`` unsets,
    a test id makes a new card; keys not sent are left out."""
    changes: dict[str, Any] = {}
    if customer is not None:
        changes["customer"] = None if customer == "" else live_customer(op.store, customer).id
    if payment_method is not None:
        changes["payment_method"] = (
            None if payment_method == "" else stored_pm(op, payment_method).id
        )
    return changes


def transition(store: Store, pm: PaymentMethod, action: Action) -> PMState:
    """``pm``'s state after ``action``, or the lifecycle's refusal with its teaching hint."""
    try:
        return apply(pm.state, action)
    except errors.StripeError as error:
        raise hints.refused(error, store, pm, action) from None


def check_intent_card(
    store: Store, pm: PaymentMethod, intent_customer: str | None, kind: str
) -> None:
    """``pm`` can serve an intent (``kind``: "SetupIntent" or "PaymentIntent") of
    ``intent_customer``: the owner matches, and the card is still usable."""
    if pm.customer is not None:
        if intent_customer is None:
            raise intents.payment_method_needs_customer(pm.id, pm.customer, kind)
        if pm.customer != intent_customer:
            error = intents.ANOTHER_CUSTOMER[kind](pm.id, intent_customer)
            raise hints.another_customer(error, store, pm, intent_customer)
    # Detached and consumed cards may not be used again; a set-up card must be attached first.
    transition(store, pm, Action.USE)


def test_card(pm: PaymentMethod) -> TestCard | None:
    """The test card that decides how ``pm`` behaves, if it is a card."""
    return CARDS_BY_NAME[pm.test_row] if pm.card is not None else None


def decline_of(pm: PaymentMethod, row: TestCard | None = None) -> Decline | None:
    """How the card declines when it is checked for saving (attach, setup), if it does; only
    test cards decline there (``row``: its test card, if already looked up)."""
    row = row or test_card(pm)
    decline = None if row is None else row.attach_decline
    # Stripe's testing docs: "If you don't provide a CVC, ... the check can't fail".
    if decline is not None and (decline.code != "incorrect_cvc" or pm.cvc_given):
        return decline
    return None


def attached(store: Store, pm: PaymentMethod, customer_id: str) -> PaymentMethod:
    """``pm`` attached to the customer ``customer_id``, or the Stripe error that refuses it.

    Attaching to the customer it already belongs to returns ``pm`` itself: a no-op
    (docs/fidelity.md, 'Attach and detach').
    """
    if pm.customer is not None and pm.customer != customer_id:
        error = payment_methods.attached_to_another_customer()
        raise hints.another_customer(error, store, pm, customer_id)
    state = transition(store, pm, Action.ATTACH)  # refuses detached and consumed cards
    if pm.state is PMState.ATTACHED:  # the table's attached → attached: already this customer's
        return pm
    row = test_card(pm)
    decline = decline_of(pm, row)
    if decline is not None:
        raise hints.declined(decline.error(), pm, kept=pm.id in store.payment_methods)
    account = pm.us_bank_account
    if account is not None and refusal(
        account_state(account.verified, False), AccountAction.ATTACH
    ):
        error = microdeposits.not_verified(pm.id)  # verified by a SetupIntent's microdeposits
        raise hints.explain(error, "bank_account.unverified", pm=hints.named(store, pm))
    return pm.attached_to(customer_id, state, None if row is None else _checks(pm, row))


def _checks(pm: PaymentMethod, row: TestCard) -> CardChecks:
    """The CVC and address checks a card's attach runs (other types have none)."""
    address = pm.billing_details.address
    return checks_on_attach(row, pm.cvc_given, bool(address.line1), bool(address.postal_code))


def save_to(op: Operation, pm: PaymentMethod, customer_id: str) -> None:
    """Attach ``pm`` to the customer an intent saves it for, with its event; nothing when it
    is already that customer's (the attach is then a no-op, as Stripe's is)."""
    owner = live_customer(op.store, customer_id)
    saved = attached(op.store, pm, owner.id)
    if saved is not pm:
        op.put(saved)
        op.emit(PAYMENT_METHOD_ATTACHED, saved)


def detach(op: Operation, pm: PaymentMethod, customer: Customer | None) -> PaymentMethod:
    """Detach ``pm`` for good, ending its mandates; if it was ``customer``'s default, clear
    it (docs/fidelity.md, 'Attach and detach').

    Puts the detached payment method, its mandates made inactive, the customer with its
    default cleared (if it was the default) and their events on ``op``; returns the detached
    payment method.
    """
    state = transition(op.store, pm, Action.DETACH)
    gone = pm.with_state(state, None)
    op.put(gone)
    op.emit(PAYMENT_METHOD_DETACHED, gone, MappingProxyType({"customer": pm.customer}))
    # "You can also cancel active mandates by detaching the payment methods" (Stripe). The
    # index is read directly: a card has none, and detaching is the hot path.
    for mandate_id in op.store.mandates_by_pm.get(pm.id, ()):
        mandate = op.store.mandates[mandate_id]
        status = mandate_after(mandate.status, MandateAction.DETACH)
        if status is not None and status is not mandate.status:  # an ended one stays ended
            ended = evolve(mandate, status=status)
            op.put(ended)
            op.emit(MANDATE_UPDATED, ended, MappingProxyType({"status": mandate.status.value}))
    if customer is None or customer.invoice_settings.default_payment_method != pm.id:
        return gone
    cleared = evolve(
        customer, invoice_settings=evolve(customer.invoice_settings, default_payment_method=None)
    )
    op.put(cleared)
    op.emit(CUSTOMER_UPDATED, cleared, {"invoice_settings": {"default_payment_method": pm.id}})
    return gone
