"""Teaching hints: why a rule fired, in this simulator's own history, and what to do instead.

Stripe's error never changes (it is what real Stripe answers); the hint rides beside it on
``error.hint`` and never reaches the API's error envelope. It names what happened earlier,
for example the event that detached a payment method, and ``error.hint_event`` holds that
event's id, so a replay can say which step it was.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> cus = sim.customers.create()
>>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
>>> _ = sim.payment_methods.detach(pm.id)
>>> try:
...     sim.payment_methods.attach(pm.id, customer=cus.id)
... except pmsim.InvalidRequestError as error:
...     print(error.hint)  # doctest: +ELLIPSIS
pm_... was detached from cus_... at 2024-01-01T00:00:00Z (event evt_...). A detached ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Final

from pmsim.domain.cards import CARDS_BY_NAME, Authentication
from pmsim.domain.errors import StripeError
from pmsim.domain.events import (
    CUSTOMER_DELETED,
    EVENT_TYPES,
    PAYMENT_INTENT_SUCCEEDED,
    PAYMENT_METHOD_ATTACHED,
    PAYMENT_METHOD_DETACHED,
    SETUP_INTENT_SUCCEEDED,
    Event,
)
from pmsim.domain.lifecycle import Action, PMState
from pmsim.domain.models import PaymentMethod
from pmsim.store import Store

NEW_CARD = (
    "Create a new PaymentMethod (in a real integration, collect the card again, for example "
    "with a SetupIntent) and use that instead."
)

#: For a payment method that cannot do ``action`` in its state: what to say about it.
#: ``{pm}`` is its id, ``{when}`` the event that put it in that state.
REFUSAL_HINTS: Final[Mapping[tuple[PMState, Action], str]] = MappingProxyType(
    {
        (PMState.DETACHED, Action.ATTACH): (
            "{pm} was detached from {owner} {when}. A detached PaymentMethod can never be "
            "attached or used again: detaching is permanent. " + NEW_CARD
        ),
        (PMState.CONSUMED, Action.ATTACH): (
            "{pm} was used without a customer by {intent} {when}, which uses a card up: it can "
            "never be attached afterwards. To pay now and save the card, create the "
            "PaymentIntent with a customer and setup_future_usage. " + NEW_CARD
        ),
        (PMState.NEW, Action.DETACH): (
            "{pm} was never attached to a customer, so there is nothing to detach."
        ),
        (PMState.DETACHED, Action.DETACH): (
            "{pm} was already detached from {owner} {when}; detaching twice is refused."
        ),
        (PMState.CONSUMED, Action.DETACH): (
            "{pm} was used without a customer by {intent} {when}; it was never attached."
        ),
        (PMState.NEW, Action.UPDATE): (
            "{pm} is not attached to a customer. Only saved payment methods can be updated: "
            "attach it first (sim.payment_methods.attach({pm!r}, customer=...))."
        ),
        (PMState.DETACHED, Action.UPDATE): (
            "{pm} was detached from {owner} {when}; a detached PaymentMethod cannot be updated."
        ),
        (PMState.CONSUMED, Action.UPDATE): (
            "{pm} was used without a customer by {intent} {when}; it was never saved, so it "
            "cannot be updated."
        ),
    }
)
REFUSAL_HINTS_FOR_USE: Final = {
    PMState.DETACHED: REFUSAL_HINTS[PMState.DETACHED, Action.ATTACH],
    PMState.CONSUMED: REFUSAL_HINTS[PMState.CONSUMED, Action.ATTACH],
}


def when(event: Event | None) -> str:
    """``at <time> (event <id>)``, or nothing when the history does not hold the event."""
    if event is None:
        return ""
    moment = datetime.fromtimestamp(event.created, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"at {moment} (event {event.id})"


def last_event(
    store: Store, types: tuple[str, ...], matches: Callable[[Event], bool]
) -> Event | None:
    """The newest event of one of ``types`` that ``matches`` (errors only: it scans)."""
    for event in reversed(store.events):
        if event.type in types and matches(event):
            return event
    return None


def _attaching_event(store: Store, pm: PaymentMethod, types: tuple[str, ...]) -> Event | None:
    return last_event(store, types, lambda event: event.object.id == pm.id)


def _consuming_event(store: Store, pm: PaymentMethod) -> Event | None:
    types = (PAYMENT_INTENT_SUCCEEDED, SETUP_INTENT_SUCCEEDED)
    return last_event(store, types, lambda e: getattr(e.object, "payment_method", None) == pm.id)


def explain(error: StripeError, text: str, event: Event | None = None) -> StripeError:
    """``error`` with its hint (and the event the hint is about) set; returned for ``raise``."""
    error.hint = text
    error.hint_event = event.id if event is not None else None
    return error


def refused(error: StripeError, store: Store, pm: PaymentMethod, action: Action) -> StripeError:
    """The hint for a lifecycle refusal: ``pm`` cannot do ``action`` in its state."""
    template = REFUSAL_HINTS.get((pm.state, action))
    if action is Action.USE:
        template = REFUSAL_HINTS_FOR_USE.get(pm.state)
    if template is None:
        return error
    event = None
    owner = "its customer"
    if pm.state is PMState.DETACHED:
        event = _attaching_event(store, pm, (PAYMENT_METHOD_DETACHED,))
        previous = event.previous_attributes if event is not None else None
        owner = str((previous or {}).get("customer") or owner)
    intent = "an intent"
    if pm.state is PMState.CONSUMED:
        event = _consuming_event(store, pm)
        intent = event.object.id if event is not None else intent
    text = template.format(pm=pm.id, owner=owner, when=when(event), intent=intent)
    return explain(error, text.replace("  ", " ").replace(" .", "."), event)


def another_customer(
    error: StripeError, store: Store, pm: PaymentMethod, wanted: str
) -> StripeError:
    """The hint for attaching (or using) a card that belongs to another customer."""
    event = _attaching_event(store, pm, (PAYMENT_METHOD_ATTACHED,))
    text = (
        f"{pm.id} belongs to {pm.customer}, attached {when(event)}; a PaymentMethod belongs "
        f"to at most one customer, so it cannot also be {wanted}'s. Detaching it from "
        f"{pm.customer} would not help: a detached card can never be attached again. "
        f"Give {wanted} a new PaymentMethod of their own."
    )
    return explain(error, text.replace("  ", " "), event)


#: Off-session payments refused for 3-D Secure, by how the test card authenticates.
AUTHENTICATION_HINTS: Final[Mapping[Authentication, str]] = MappingProxyType(
    {
        Authentication.REQUIRED: (
            "{pm} was made from Stripe's test card {card!r}, whose bank wants the customer to "
            "authenticate (3-D Secure) on every payment, saved or not; an off-session payment "
            "has no customer present to do it. Bring the customer back on-session to confirm "
            "the payment."
        ),
        Authentication.REQUIRED_ON_SETUP: (
            "{pm} was made from Stripe's test card {card!r}, whose bank wants the customer to "
            "authenticate once, when the card is saved. It was not saved for later, so an "
            "off-session payment cannot use it: save it first with a SetupIntent (or a "
            "PaymentIntent with setup_future_usage) while the customer is there."
        ),
    }
)


def declined(
    error: StripeError, pm: PaymentMethod, *, kept: bool, recorded_on: str | None = None
) -> StripeError:
    """The hint for a test card that declines (when saved, or when charged). ``kept``: the
    card outlives the failed call (a test id's new card does not, and its id is handed
    back, so the hint does not name it); ``recorded_on``: the kind of intent that keeps
    the decline."""
    row = CARDS_BY_NAME[pm.test_card]
    card = pm.id if kept else "The card"
    if error.code == "authentication_required" and row.authentication in AUTHENTICATION_HINTS:
        return explain(
            error, AUTHENTICATION_HINTS[row.authentication].format(pm=card, card=row.name)
        )
    number = f" (number {row.number})" if row.number else ""
    after = (
        "Nothing was saved."
        if recorded_on is None
        else f"The decline is recorded on the {recorded_on}, which can be confirmed again with "
        "another card."
    )
    text = (
        f"{card} was made from Stripe's test card {row.name!r}{number}, which always declines "
        f"with {error.decline_code or error.code}: it is there to test how your code handles "
        f"a decline. {after} For a card that works, use pm_card_visa or tok_visa."
    )
    return explain(error, text)


#: What an intent's status allows, for the "unexpected state" refusals. ``{intent}`` is its
#: id, ``{kind}`` SetupIntent or PaymentIntent, ``{when}`` the event that set the status.
STATUS_HINTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "succeeded": (
            "{intent} succeeded {when}, and a succeeded {kind} is final: it cannot be "
            "confirmed, changed or canceled. Create a new {kind} for another card or payment."
        ),
        "canceled": (
            "{intent} was canceled {when}; a canceled {kind} cannot be used again. "
            "Create a new {kind}."
        ),
        "requires_action": (
            "{intent} is waiting for the customer to complete 3-D Secure (since {when}). "
            "In pmsim you play the customer: sim.three_d_secure.complete({intent!r}, "
            'outcome="succeed") or outcome="fail".'
        ),
        "requires_payment_method": (
            "{intent} has no payment method to use yet (or its last one declined {when}). "
            "Confirm it with payment_method=..., or update it with one first."
        ),
        "requires_confirmation": "{intent} has a payment method and is waiting to be confirmed.",
        "processing": "{intent} is processing; wait for it to succeed or fail.",
    }
)
UNEXPECTED_STATE_CODES: Final = ("setup_intent_unexpected_state", "payment_intent_unexpected_state")
KINDS: Final = {"setup_intent": "SetupIntent", "payment_intent": "PaymentIntent"}


def at_failure(error: StripeError, store: Store) -> None:
    """Hints found from the error alone, once an operation has failed: the intent refusals,
    which carry the intent they refused (the other rules are explained where they fire)."""
    if error.hint is not None or error.code not in UNEXPECTED_STATE_CODES:
        return
    key = next((key for key in KINDS if key in error.objects), None)
    if key is None:
        return
    data = error.objects[key].to_dict()
    intent_id, template = data["id"], STATUS_HINTS.get(data["status"])
    if template is None:
        return
    event = last_event(store, store_types(key), lambda e: e.object.id == intent_id)
    text = template.format(intent=intent_id, kind=KINDS[key], when=when(event))
    explain(error, text.replace("  ", " ").replace(" .", ".").replace("()", ""), event)


def store_types(key: str) -> tuple[str, ...]:
    """Every event type about one kind of intent (``setup_intent.*``)."""
    return tuple(name for name in EVENT_TYPES if name.startswith(key + "."))


def not_a_default(
    error: StripeError, store: Store, pm: PaymentMethod | None, pm_id: str, customer_id: str
) -> StripeError:
    """The hint for a default that is not one of the customer's own payment methods."""
    attach_first = (
        f"A default must be attached to {customer_id}: attach a card to {customer_id} first "
        "(payment_methods.attach), then make it the default."
    )
    if pm is None:  # a test id such as pm_card_visa: each use would make a new card
        text = f"{pm_id} is a test id, which makes a new, unattached card each time. "
    elif pm.state is PMState.ATTACHED:
        text = f"{pm_id} is attached to {pm.customer}, not to {customer_id}. "
    elif pm.state is PMState.NEW:
        text = f"{pm_id} is not attached to any customer yet. "
    else:
        refused(error, store, pm, Action.ATTACH)  # why it can never be attached again
        error.hint = f"{error.hint} {attach_first}"
        return error
    return explain(error, text + attach_first)


def missing_customer(error: StripeError, store: Store, customer_id: str) -> StripeError:
    """The hint for "No such customer": deleted earlier, or never made here."""
    if customer_id in store.customers:
        event = last_event(store, (CUSTOMER_DELETED,), lambda e: e.object.id == customer_id)
        text = (
            f"{customer_id} was deleted {when(event)}. Stripe answers a deleted customer's id "
            "as if it did not exist (its payment methods were detached). Create a new customer."
        )
        return explain(error, text.replace("  ", " "), event)
    return explain(error, _never_made(customer_id, "customers.create"))


def missing_payment_method(error: StripeError, pm_id: str) -> StripeError:
    """The hint for "No such PaymentMethod"."""
    text = _never_made(pm_id, "payment_methods.create")
    return explain(error, text + " Test ids like pm_card_visa make a new card at each use.")


def _never_made(object_id: str, maker: str) -> str:
    return (
        f"No object {object_id!r} was ever made in this simulator. Ids come from the "
        f"simulator's seed, so use the id that {maker} returned here (ids from real Stripe or "
        "from another simulator do not exist in this one)."
    )
