"""Where a hint's facts come from: the events a simulator has recorded so far.

Hints are made only when an operation has failed, so these may scan the event log.

>>> when(None)
''
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain.events import (
    PAYMENT_INTENT_SUCCEEDED,
    PAYMENT_METHOD_DETACHED,
    SETUP_INTENT_SUCCEEDED,
    Event,
)
from pmsim.domain.lifecycle import PMState
from pmsim.domain.models import PaymentMethod
from pmsim.domain.times import iso
from pmsim.store import Store

#: The facts a payment method's history gives a template, and the event they come from.
Facts = tuple[Event | None, dict[str, str]]


def when(event: Event | None) -> str:
    """`` at <time> (event <id>)``, with its leading space, or nothing when the history does
    not hold the event."""
    if event is None:
        return ""
    return f" at {iso(event.created)} (event {event.id})"


def last_event(
    store: Store, types: tuple[str, ...], matches: Callable[[Event], bool]
) -> Event | None:
    """The newest event of one of ``types`` that ``matches``."""
    for event in reversed(store.events):
        if event.type in types and matches(event):
            return event
    return None


def event_about(store: Store, object_id: str, types: tuple[str, ...]) -> Event | None:
    """The newest event of one of ``types`` whose object is ``object_id``."""
    return last_event(store, types, lambda event: event.object.id == object_id)


def _detached(store: Store, pm: PaymentMethod) -> Facts:
    event = event_about(store, pm.id, (PAYMENT_METHOD_DETACHED,))
    previous = (event.previous_attributes if event is not None else None) or {}
    return event, {"owner": str(previous.get("customer") or "its customer")}


def _used_by_intent(store: Store, pm: PaymentMethod) -> Facts:
    """The intent that used the card up, or set it up without a customer."""
    types = (PAYMENT_INTENT_SUCCEEDED, SETUP_INTENT_SUCCEEDED)
    event = last_event(store, types, lambda e: getattr(e.object, "payment_method", None) == pm.id)
    return event, {"intent": event.object.id if event is not None else "an intent"}


#: Where a payment method's history explains its state: the event that put it there and
#: what the templates say about it.
HISTORIES: Final[Mapping[PMState, Callable[[Store, PaymentMethod], Facts]]] = MappingProxyType(
    {
        PMState.DETACHED: _detached,
        PMState.CONSUMED: _used_by_intent,
        PMState.SET_UP: _used_by_intent,
    }
)


def of_payment_method(store: Store, pm: PaymentMethod) -> Facts:
    """The event that put ``pm`` in its state, and the facts it gives (none for a state
    with no history to tell)."""
    history = HISTORIES.get(pm.state)
    return history(store, pm) if history is not None else (None, {})


#: The event (by the end of its type) that puts an intent in each status; a status that is
#: not here has no event of its own to point at.
STATUS_EVENTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "succeeded": ("succeeded",),
        "canceled": ("canceled",),
        "requires_action": ("requires_action",),
        "processing": ("processing",),
        "requires_payment_method": ("setup_failed", "payment_failed"),
        "requires_capture": ("amount_capturable_updated",),
    }
)


def of_intent(store: Store, kind: str, intent_id: str, status: str) -> Event | None:
    """The event that put the intent (``kind``: setup_intent or payment_intent) in
    ``status``, if any."""
    types = tuple(f"{kind}.{end}" for end in STATUS_EVENTS.get(status, ()))
    return last_event(store, types, lambda e: e.object.id == intent_id) if types else None
