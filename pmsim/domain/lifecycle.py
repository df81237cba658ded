"""The PaymentMethod lifecycle as one table: state × action → next state, or a refusal.

Everything that talks about the lifecycle reads :data:`TRANSITIONS`: the engine enforces it
through :func:`apply`, the refusals name the exact Stripe error, and :mod:`pmsim.diagrams`
draws it for docs and notebooks (``pmsim diagram``), so none of them can drift from the code.

One rule is about *who*, not *what state*, and so sits beside the table rather than in it:
attaching a payment method that is attached to a *different* customer is refused with Stripe's
"already been attached" error
(:func:`pmsim.domain.messages.payment_methods.attached_to_another_customer`).
The table's ``attached --attach--> attached`` entry is the same-customer no-op. The same rule
makes a ``set_up`` card attachable only once: once attached, it belongs to that customer.

>>> apply(PMState.NEW, Action.ATTACH)
<PMState.ATTACHED: 'attached'>
>>> apply(PMState.NEW, Action.SET_UP), apply(PMState.SET_UP, Action.ATTACH)
(<PMState.SET_UP: 'set_up'>, <PMState.ATTACHED: 'attached'>)
>>> apply(PMState.SET_UP, Action.USE)
Traceback (most recent call last):
pmsim.domain.errors.InvalidRequestError: The provided PaymentMethod was previously used ...
>>> apply(PMState.DETACHED, Action.ATTACH)
Traceback (most recent call last):
pmsim.domain.errors.InvalidRequestError: This PaymentMethod was previously used ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Final

from pmsim.domain import errors
from pmsim.domain.messages import payment_methods


class PMState(StrEnum):
    """Where a payment method is in its life. Intents can use only ``new`` and ``attached``
    cards; a ``set_up`` one must be attached first.

    A ``StrEnum``, so ``pm.state == "attached"`` holds, as with Stripe's own strings (and
    hashes alike: ``str``'s hash, which is as quick as identity for table lookups).
    """

    NEW = "new"  # created, never attached or used
    SET_UP = "set_up"  # set up by a SetupIntent without a customer; attachable once
    ATTACHED = "attached"  # belongs to exactly one customer
    DETACHED = "detached"  # was attached; detachment is permanent
    CONSUMED = "consumed"  # used once without being saved to a customer; never attachable


class Action(Enum):
    """What can be done to a payment method."""

    __hash__ = object.__hash__

    ATTACH = "attach"  # payment_methods.attach, customers.create(payment_method=…), intents
    DETACH = "detach"  # payment_methods.detach, or deleting its customer
    UPDATE = "update"  # payment_methods.update
    USE = "use"  # a payment that does not save the card, or any intent's check of its card
    SET_UP = "set_up"  # a SetupIntent without a customer succeeds with the card


class Refusal(Enum):
    """Why an action is not allowed in a state; each maps to one Stripe error."""

    NOT_REUSABLE = "not_reusable"
    NOT_ATTACHED = "not_attached"
    NOT_SAVED = "not_saved"
    ATTACH_FIRST = "attach_first"


#: The Stripe error each refusal answers with.
REFUSAL_ERRORS: Final[Mapping[Refusal, Callable[[], errors.StripeError]]] = MappingProxyType(
    {
        Refusal.NOT_REUSABLE: payment_methods.not_reusable,
        Refusal.NOT_ATTACHED: payment_methods.not_attached_for_detach,
        Refusal.NOT_SAVED: payment_methods.must_be_attached_to_update,
        Refusal.ATTACH_FIRST: payment_methods.attach_first,
    }
)

_S, _A, _R = PMState, Action, Refusal

_TABLE: Final[dict[tuple[PMState, Action], PMState | Refusal]] = {
    (_S.NEW, _A.ATTACH): _S.ATTACHED,
    (_S.NEW, _A.DETACH): _R.NOT_ATTACHED,
    (_S.NEW, _A.UPDATE): _R.NOT_SAVED,
    (_S.NEW, _A.USE): _S.CONSUMED,
    (_S.NEW, _A.SET_UP): _S.SET_UP,  # not used up: Stripe's guide attaches it afterwards
    (_S.SET_UP, _A.ATTACH): _S.ATTACHED,  # once: then the "another customer" rule holds
    (_S.SET_UP, _A.DETACH): _R.NOT_ATTACHED,
    (_S.SET_UP, _A.UPDATE): _R.NOT_SAVED,
    (_S.SET_UP, _A.USE): _R.ATTACH_FIRST,  # a second intent, before the attach
    (_S.SET_UP, _A.SET_UP): _R.ATTACH_FIRST,
    (_S.ATTACHED, _A.ATTACH): _S.ATTACHED,  # same customer: a no-op with no event
    (_S.ATTACHED, _A.DETACH): _S.DETACHED,
    (_S.ATTACHED, _A.UPDATE): _S.ATTACHED,
    (_S.ATTACHED, _A.USE): _S.ATTACHED,  # paying with a customer's own card keeps it
    # Never reached: an attached card needs its customer on the intent (check_intent_card).
    (_S.ATTACHED, _A.SET_UP): _S.ATTACHED,
    (_S.DETACHED, _A.ATTACH): _R.NOT_REUSABLE,  # Stripe: "permanent and irreversible"
    (_S.DETACHED, _A.DETACH): _R.NOT_ATTACHED,
    (_S.DETACHED, _A.UPDATE): _R.NOT_SAVED,
    (_S.DETACHED, _A.USE): _R.NOT_REUSABLE,
    (_S.DETACHED, _A.SET_UP): _R.NOT_REUSABLE,
    (_S.CONSUMED, _A.ATTACH): _R.NOT_REUSABLE,
    (_S.CONSUMED, _A.DETACH): _R.NOT_ATTACHED,
    (_S.CONSUMED, _A.UPDATE): _R.NOT_SAVED,
    (_S.CONSUMED, _A.USE): _R.NOT_REUSABLE,
    (_S.CONSUMED, _A.SET_UP): _R.NOT_REUSABLE,
}

#: The whole lifecycle. Every (state, action) pair has an entry; a test keeps it that way.
TRANSITIONS: Final[Mapping[tuple[PMState, Action], PMState | Refusal]] = MappingProxyType(_TABLE)


def apply(state: PMState, action: Action) -> PMState:
    """The state after ``action``, or the Stripe error that refuses it."""
    outcome = _TABLE[state, action]  # the plain dict behind TRANSITIONS: apply() is hot
    if isinstance(outcome, Refusal):
        raise REFUSAL_ERRORS[outcome]()
    return outcome


def usable(state: PMState) -> bool:
    """Whether a payment method in ``state`` can still be attached (a ``set_up`` card can,
    though no intent may use it before that).

    >>> [s.value for s in PMState if usable(s)]
    ['new', 'set_up', 'attached']
    """
    return isinstance(TRANSITIONS[state, Action.ATTACH], PMState)
