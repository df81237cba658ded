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
from types import MappingProxyType
from typing import Final

from pmsim.domain.cards import CARDS_BY_NAME, Authentication
from pmsim.domain.errors import StripeError
from pmsim.domain.events import (
    CUSTOMER_DELETED,
    PAYMENT_INTENT_SUCCEEDED,
    PAYMENT_METHOD_ATTACHED,
    PAYMENT_METHOD_DETACHED,
    SETUP_INTENT_SUCCEEDED,
    Event,
)
from pmsim.domain.lifecycle import Action, PMState
from pmsim.domain.models import PaymentMethod
from pmsim.domain.times import iso
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
            "{pm} was detached from {owner}{when}. A detached PaymentMethod can never be "
            "attached or used again: detaching is permanent. " + NEW_CARD
        ),
        (PMState.CONSUMED, Action.ATTACH): (
            "{pm} was used by {intent}{when} without being saved to a customer, which uses a "
            "card up: it can never be attached afterwards. To pay now and save the card, "
            "create the PaymentIntent with a customer and setup_future_usage. " + NEW_CARD
        ),
        (PMState.NEW, Action.DETACH): (
            "{pm} was never attached to a customer, so there is nothing to detach."
        ),
        (PMState.DETACHED, Action.DETACH): (
            "{pm} was already detached from {owner}{when}; detaching twice is refused."
        ),
        (PMState.CONSUMED, Action.DETACH): (
            "{pm} was used by {intent}{when} without being saved; it was never attached."
        ),
        (PMState.NEW, Action.UPDATE): (
            "{pm} is not attached to a customer. Only saved payment methods can be updated: "
            "attach it first (sim.payment_methods.attach({pm!r}, customer=...))."
        ),
        (PMState.DETACHED, Action.UPDATE): (
            "{pm} was detached from {owner}{when}; a detached PaymentMethod cannot be updated."
        ),
        (PMState.CONSUMED, Action.UPDATE): (
            "{pm} was used by {intent}{when} without being saved, so it cannot be updated."
        ),
    }
)
REFUSAL_HINTS_FOR_USE: Final = {
    PMState.DETACHED: REFUSAL_HINTS[PMState.DETACHED, Action.ATTACH],
    PMState.CONSUMED: REFUSAL_HINTS[PMState.CONSUMED, Action.ATTACH],
}


def when(event: Event | None) -> str:
    """`` at <time> (event <id>)``, with its leading space, or nothing when the history does
    not hold the event: templates write ``{owner}{when}.`` and read well either way."""
    if event is None:
        return ""
    return f" at {iso(event.created)} (event {event.id})"


def last_event(
    store: Store, types: tuple[str, ...], matches: Callable[[Event], bool]
) -> Event | None:
    """The newest event of one of ``types`` that ``matches`` (errors only: it scans)."""
    for event in reversed(store.events):
        if event.type in types and matches(event):
            return event
    return None


def _event_about(store: Store, object_id: str, types: tuple[str, ...]) -> Event | None:
    """The newest event of one of ``types`` whose object is ``object_id``."""
    return last_event(store, types, lambda event: event.object.id == object_id)


def _detached(store: Store, pm: PaymentMethod) -> tuple[Event | None, dict[str, str]]:
    event = _event_about(store, pm.id, (PAYMENT_METHOD_DETACHED,))
    previous = (event.previous_attributes if event is not None else None) or {}
    return event, {"owner": str(previous.get("customer") or "its customer")}


def _used_up(store: Store, pm: PaymentMethod) -> tuple[Event | None, dict[str, str]]:
    types = (PAYMENT_INTENT_SUCCEEDED, SETUP_INTENT_SUCCEEDED)
    event = last_event(store, types, lambda e: getattr(e.object, "payment_method", None) == pm.id)
    return event, {"intent": event.object.id if event is not None else "an intent"}


#: Where a payment method's history explains its state: the event that put it there and
#: what the templates say about it.
HISTORIES: Final[
    Mapping[PMState, Callable[[Store, PaymentMethod], tuple[Event | None, dict[str, str]]]]
] = MappingProxyType({PMState.DETACHED: _detached, PMState.CONSUMED: _used_up})


def explain(error: StripeError, text: str, event: Event | None = None) -> StripeError:
    """``error`` with its hint (and the event the hint is about) set; returned for ``raise``."""
    error.hint = text
    error.hint_event = event.id if event is not None else None
    return error


def refused(error: StripeError, store: Store, pm: PaymentMethod, action: Action) -> StripeError:
    """The hint for a lifecycle refusal: ``pm`` cannot do ``action`` in its state."""
    if action is Action.USE:
        template = REFUSAL_HINTS_FOR_USE.get(pm.state)
    else:
        template = REFUSAL_HINTS.get((pm.state, action))
    if template is None:
        return error
    history = HISTORIES.get(pm.state)
    event, facts = history(store, pm) if history is not None else (None, {})
    return explain(error, template.format(pm=pm.id, when=when(event), **facts), event)


def another_customer(
    error: StripeError, store: Store, pm: PaymentMethod, wanted: str
) -> StripeError:
    """The hint for attaching (or using) a card that belongs to another customer."""
    event = _event_about(store, pm.id, (PAYMENT_METHOD_ATTACHED,))
    text = (
        f"{pm.id} has belonged to {pm.customer} since it was attached{when(event)}. A "
        f"PaymentMethod belongs to at most one customer, so it cannot also be {wanted}'s. "
        f"Detaching it from {pm.customer} would not help: a detached card can never be "
        f"attached again. Give {wanted} a new PaymentMethod of their own."
    )
    return explain(error, text, event)


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
        event = _event_about(store, customer_id, (CUSTOMER_DELETED,))
        text = (
            f"{customer_id} was deleted{when(event)}. Stripe answers a deleted customer's id "
            "as if it did not exist (its payment methods were detached). Create a new customer."
        )
        return explain(error, text, event)
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
