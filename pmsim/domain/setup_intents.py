"""SetupIntents: Stripe's state machine as one table, and the SetupIntent record.

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
from typing import Any, Final

from attrs import frozen

from pmsim.domain.automatic_methods import AutomaticPaymentMethods
from pmsim.domain.cards import Authentication, TestCard
from pmsim.domain.intents import (
    IntentError,
    intent_dict,
    three_d_secure_action,
    transition_table,
)
from pmsim.domain.intents import allowed as is_allowed
from pmsim.domain.models import EMPTY_METADATA
from pmsim.domain.us_bank_accounts import Microdeposits


class SetupStatus(StrEnum):
    """A SetupIntent's ``status``; equal to (and hashed as) Stripe's string."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"  # waiting for 3-D Secure
    PROCESSING = "processing"  # never reached by cards, kept for the full picture
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


class SetupAction(Enum):
    """What can happen to a SetupIntent."""

    __hash__ = object.__hash__

    UPDATE_PAYMENT_METHOD = "update_payment_method"  # setup_intents.update(payment_method=…)
    CONFIRM = "confirm"
    # The customer completes or fails 3-D Secure (pmsim's control), or reads a bank
    # account's microdeposits back (verify_microdeposits).
    AUTHENTICATE = "authenticate"
    CANCEL = "cancel"


_S, _A = SetupStatus, SetupAction
_OPEN = (_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, _S.REQUIRES_ACTION)

#: The whole state machine: (status, action) → the statuses it can lead to (empty: refused).
TRANSITIONS: Final[Mapping[tuple[SetupStatus, SetupAction], frozenset[SetupStatus]]] = (
    transition_table(
        SetupStatus,
        SetupAction,
        [
            # A new payment method needs confirming; unsetting it ("") goes back to the start.
            (_OPEN, _A.UPDATE_PAYMENT_METHOD,
             frozenset({_S.REQUIRES_CONFIRMATION, _S.REQUIRES_PAYMENT_METHOD})),
            (_OPEN, _A.CONFIRM,
             frozenset({_S.SUCCEEDED, _S.REQUIRES_ACTION, _S.REQUIRES_PAYMENT_METHOD})),
            (_OPEN, _A.CANCEL, frozenset({_S.CANCELED})),
            ((_S.REQUIRES_ACTION,), _A.AUTHENTICATE,
             frozenset({_S.SUCCEEDED, _S.REQUIRES_PAYMENT_METHOD})),
        ],
    )
)  # fmt: skip

#: Cards whose setup asks for 3-D Secure (…3155, …3184, …3220 and the …1629 family).
AUTHENTICATE_ON_SETUP: Final = frozenset(
    {Authentication.REQUIRED, Authentication.REQUIRED_ON_SETUP}
)


def allowed(status: SetupStatus, action: SetupAction) -> bool:
    """Whether ``action`` may happen to a SetupIntent in ``status``."""
    return is_allowed(TRANSITIONS, status, action)


def confirm_outcome(card: TestCard) -> SetupStatus:
    """Where confirming with this card leads, once it passed the attach checks."""
    if card.authentication in AUTHENTICATE_ON_SETUP:
        return SetupStatus.REQUIRES_ACTION
    return SetupStatus.SUCCEEDED


@frozen(repr=False)
class SetupIntent:
    """A Stripe SetupIntent for cards.

    >>> sim = __import__("pmsim").Simulator()
    >>> seti = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True,
    ...                                 return_url="https://example.com/return")
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
    #: Set when the intent was created without ``payment_method_types`` (the default).
    automatic_payment_methods: AutomaticPaymentMethods | None = None
    #: The last confirmation's ``return_url`` (not a field of Stripe's object; its
    #: ``next_action`` shows it while 3-D Secure is waiting).
    return_url: str | None = None
    #: The multi-use mandate a bank debit's setup made (``mandate_data``).
    mandate: str | None = None
    #: ``payment_method_options[us_bank_account][verification_method]`` when sent.
    us_bank_account_verification: str | None = None
    #: A US bank account's microdeposits, while the intent waits for them to be verified.
    microdeposits: Microdeposits | None = None

    @property
    def next_action(self) -> dict[str, Any] | None:
        """What the client must do next: for cards, 3-D Secure through Stripe.js."""
        if self.status is not SetupStatus.REQUIRES_ACTION:
            return None
        if self.microdeposits is not None:  # a bank account, not a card
            return self.microdeposits.next_action(self.id)
        return three_d_secure_action("setup_intent", self.id, self.return_url)

    def __repr__(self) -> str:
        parts = (self.id, self.status.value, self.payment_method, self.customer)
        return "<SetupIntent " + " ".join(part for part in parts if part) + ">"

    def _repr_html_(self) -> str:
        from pmsim.display.records import setup_intent_html  # lazy: the renderer sits above

        return setup_intent_html(self)

    def to_dict(self) -> dict[str, Any]:
        last_error = self.last_setup_error.to_dict() if self.last_setup_error else None
        return intent_dict(self, "setup_intent", {}, {
            "flow_directions": None,
            "last_setup_error": last_error,
            "latest_attempt": self.latest_attempt,
            "mandate": self.mandate,
            "payment_method_configuration_details": None,
            "single_use_mandate": None,
            "usage": self.usage,
        })  # fmt: skip
