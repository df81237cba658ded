"""SetupIntents: Stripe's state machine as one table, and the SetupIntent record (§5, §8).

The table says, for each status and action, which statuses the action can lead to; an empty
set means Stripe refuses the action in that status with ``setup_intent_unexpected_state``
(the message for each refusal is in :mod:`pmsim.domain.messages.intents`). Which of the allowed
statuses a confirmation reaches is decided by the card (:func:`confirm_outcome`).

>>> sorted(s.value for s in TRANSITIONS[SetupStatus.REQUIRES_PAYMENT_METHOD, SetupAction.CONFIRM])
['requires_action', 'requires_payment_method', 'succeeded']
>>> TRANSITIONS[SetupStatus.SUCCEEDED, SetupAction.CANCEL]
frozenset()
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any, Final

from attrs import frozen

from pmsim.domain.cards import Authentication, TestCard
from pmsim.domain.errors import DOC_URL
from pmsim.domain.models import EMPTY_METADATA, PaymentMethod


class SetupStatus(StrEnum):
    """A SetupIntent's ``status``; equal to (and hashed as) Stripe's string."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"  # waiting for 3-D Secure
    PROCESSING = "processing"  # never reached by cards (§8), kept for the full picture
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


class SetupAction(Enum):
    """What can happen to a SetupIntent."""

    __hash__ = object.__hash__

    UPDATE_PAYMENT_METHOD = "update_payment_method"  # setup_intents.update(payment_method=…)
    CONFIRM = "confirm"
    AUTHENTICATE = "authenticate"  # the customer completes or fails 3-D Secure (pmsim's control)
    CANCEL = "cancel"


_S, _A = SetupStatus, SetupAction
_OPEN = (_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, _S.REQUIRES_ACTION)
_CONFIRMED = frozenset({_S.SUCCEEDED, _S.REQUIRES_ACTION, _S.REQUIRES_PAYMENT_METHOD})


def _table() -> dict[tuple[SetupStatus, SetupAction], frozenset[SetupStatus]]:
    table = {(status, action): frozenset[SetupStatus]() for status in _S for action in _A}
    for status in _OPEN:
        # A new payment method needs confirming; unsetting it ("") goes back to the start.
        table[status, _A.UPDATE_PAYMENT_METHOD] = frozenset(
            {_S.REQUIRES_CONFIRMATION, _S.REQUIRES_PAYMENT_METHOD}
        )
        table[status, _A.CONFIRM] = _CONFIRMED
        table[status, _A.CANCEL] = frozenset({_S.CANCELED})
    table[_S.REQUIRES_ACTION, _A.AUTHENTICATE] = frozenset(
        {_S.SUCCEEDED, _S.REQUIRES_PAYMENT_METHOD}
    )
    return table


#: The whole state machine: (status, action) → the statuses it can lead to (empty: refused).
TRANSITIONS: Final[Mapping[tuple[SetupStatus, SetupAction], frozenset[SetupStatus]]] = (
    MappingProxyType(_table())
)

#: Cards whose setup asks for 3-D Secure (§8: …3155, …3184, …3220 and the …1629 family).
AUTHENTICATE_ON_SETUP: Final = frozenset(
    {Authentication.REQUIRED, Authentication.REQUIRED_ON_SETUP}
)


def allowed(status: SetupStatus, action: SetupAction) -> bool:
    return bool(TRANSITIONS[status, action])


def confirm_outcome(card: TestCard) -> SetupStatus:
    """Where confirming with this card leads, once it passed the attach checks (§8)."""
    if card.authentication in AUTHENTICATE_ON_SETUP:
        return SetupStatus.REQUIRES_ACTION
    return SetupStatus.SUCCEEDED


def three_d_secure_action(kind: str, intent_id: str) -> dict[str, Any]:
    """``next_action`` of an intent waiting for 3-D Secure; the URL is illustrative."""
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {
            "type": "three_d_secure_redirect",
            "stripe_js": f"https://hooks.stripe.com/3d_secure_2/hosted?{kind}={intent_id}",
        },
    }


@frozen
class IntentError:
    """``last_setup_error`` (and later ``last_payment_error``): the error a confirmation met."""

    type: str
    message: str
    code: str | None = None
    decline_code: str | None = None
    param: str | None = None
    payment_method: PaymentMethod | None = None

    def to_dict(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "code": self.code,
            "decline_code": self.decline_code,
            "doc_url": DOC_URL.format(self.code.replace("_", "-")) if self.code else None,
            "message": self.message,
            "param": self.param,
            "payment_method": self.payment_method.to_dict() if self.payment_method else None,
            "payment_method_type": "card" if self.payment_method else None,
            "type": self.type,
        }
        return {key: value for key, value in fields.items() if value is not None}


@frozen(repr=False)
class SetupIntent:
    """A Stripe SetupIntent for cards.

    >>> sim = __import__("pmsim").Simulator()
    >>> seti = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True)
    >>> seti.status.value, seti.to_dict()["status"]
    ('succeeded', 'succeeded')
    >>> seti
    <SetupIntent seti_1PuUf0wKkpVH3ha9P41cTvMu succeeded pm_1MHsjRWlkxZJBn8ODX1ox0bt>
    """

    id: str
    created: int
    client_secret: str
    status: SetupStatus = SetupStatus.REQUIRES_PAYMENT_METHOD
    customer: str | None = None
    payment_method: str | None = None
    usage: str = "off_session"
    description: str | None = None
    metadata: Mapping[str, str] = EMPTY_METADATA
    cancellation_reason: str | None = None
    last_setup_error: IntentError | None = None
    latest_attempt: str | None = None
    payment_method_types: tuple[str, ...] = ("card",)

    @property
    def next_action(self) -> dict[str, Any] | None:
        """What the client must do next: for cards, 3-D Secure through Stripe.js (§8)."""
        if self.status is not SetupStatus.REQUIRES_ACTION:
            return None
        return three_d_secure_action("setup_intent", self.id)

    def __repr__(self) -> str:
        parts = (self.id, self.status.value, self.payment_method, self.customer)
        return "<SetupIntent " + " ".join(part for part in parts if part) + ">"

    def _repr_html_(self) -> str:
        from pmsim.display.records import setup_intent_html  # lazy: the renderer sits above

        return setup_intent_html(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "setup_intent",
            "application": None,
            "automatic_payment_methods": None,
            "cancellation_reason": self.cancellation_reason,
            "client_secret": self.client_secret,
            "created": self.created,
            "customer": self.customer,
            "description": self.description,
            "flow_directions": None,
            "last_setup_error": self.last_setup_error.to_dict() if self.last_setup_error else None,
            "latest_attempt": self.latest_attempt,
            "livemode": False,
            "mandate": None,
            "metadata": dict(self.metadata),
            "next_action": self.next_action,
            "on_behalf_of": None,
            "payment_method": self.payment_method,
            "payment_method_options": {
                "card": {
                    "mandate_options": None,
                    "network": None,
                    "request_three_d_secure": "automatic",
                }
            },
            "payment_method_types": list(self.payment_method_types),
            "single_use_mandate": None,
            "status": self.status.value,
            "usage": self.usage,
        }
