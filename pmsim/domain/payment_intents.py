"""PaymentIntents for cards: Stripe's state machine as one table, the record, and what a card
does to a payment.

>>> sorted(s.value for s in TRANSITIONS[PaymentStatus.REQUIRES_ACTION, PaymentAction.AUTHENTICATE])
['processing', 'requires_capture', 'requires_payment_method', 'succeeded']
>>> TRANSITIONS[PaymentStatus.CANCELED, PaymentAction.CONFIRM]
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
from pmsim.domain.messages.payment_methods import AUTHENTICATION_REQUIRED, Decline
from pmsim.domain.models import EMPTY_METADATA
from pmsim.domain.us_bank_accounts import Microdeposits


class PaymentStatus(StrEnum):
    """A PaymentIntent's ``status``; equal to (and hashed as) Stripe's string."""

    REQUIRES_PAYMENT_METHOD = "requires_payment_method"
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"  # waiting for 3-D Secure
    PROCESSING = "processing"  # a bank debit, until its bank answers; cards never go here
    REQUIRES_CAPTURE = "requires_capture"  # manual capture: authorized, waiting to be captured
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


class PaymentAction(Enum):
    """What can happen to a PaymentIntent."""

    __hash__ = object.__hash__

    UPDATE = "update"
    CONFIRM = "confirm"
    AUTHENTICATE = "authenticate"  # the customer completes or fails 3-D Secure (pmsim's control)
    CANCEL = "cancel"
    SETTLE = "settle"  # a bank debit's bank answers, later (Stripe's own change, on the clock)
    CAPTURE = "capture"  # take (part of) what a manual-capture payment authorized
    #: Stripe cancels an authorization not captured in time (pmsim's clock): nobody calls it,
    #: so no status refuses it (``engine/captures.py``).
    EXPIRE = "expire"


_S, _A = PaymentStatus, PaymentAction
OPEN: Final = (_S.REQUIRES_PAYMENT_METHOD, _S.REQUIRES_CONFIRMATION, _S.REQUIRES_ACTION)
#: Where a payment that reaches the card network ends: paid (or, with manual capture,
#: authorized), or declined.
_PAID = frozenset({_S.SUCCEEDED, _S.REQUIRES_CAPTURE, _S.REQUIRES_PAYMENT_METHOD})
_RC_OR_RPM = frozenset({_S.REQUIRES_CONFIRMATION, _S.REQUIRES_PAYMENT_METHOD})

#: The whole state machine: (status, action) → the statuses it can lead to (empty: refused).
TRANSITIONS: Final[Mapping[tuple[PaymentStatus, PaymentAction], frozenset[PaymentStatus]]] = (
    transition_table(
        PaymentStatus,
        PaymentAction,
        [
            # An open intent may stay where it is, or need (confirming) a payment method again.
            *(((status,), _A.UPDATE, _RC_OR_RPM | {status}) for status in OPEN),
            (OPEN, _A.CONFIRM, _PAID | {_S.REQUIRES_ACTION, _S.PROCESSING}),
            (OPEN, _A.CANCEL, frozenset({_S.CANCELED})),
            # 3-D Secure done pays; microdeposits read back submit a bank debit.
            ((_S.REQUIRES_ACTION,), _A.AUTHENTICATE, _PAID | {_S.PROCESSING}),
            ((_S.REQUIRES_CAPTURE, _S.PROCESSING), _A.CANCEL, frozenset({_S.CANCELED})),
            ((_S.PROCESSING,), _A.SETTLE, _PAID),
            ((_S.REQUIRES_CAPTURE,), _A.CAPTURE, frozenset({_S.SUCCEEDED})),
            ((_S.REQUIRES_CAPTURE,), _A.EXPIRE, frozenset({_S.CANCELED})),
        ],
    )
)

#: 3-D Secure on a payment made with the customer present: these cards ask for it.
ON_SESSION_AUTHENTICATION: Final = frozenset(
    {
        Authentication.REQUIRED,
        Authentication.REQUIRED_ON_SETUP,  # "on-session payments ... always require" it
        Authentication.SETUP_FOR_OFF_SESSION,  # "on-session payments need authentication"
    }
)


def allowed(status: PaymentStatus, action: PaymentAction) -> bool:
    """Whether ``action`` may happen to a PaymentIntent in ``status``."""
    return is_allowed(TRANSITIONS, status, action)


def needs_authentication(card: TestCard, *, off_session: bool) -> bool:
    """Whether a payment asks the customer for 3-D Secure (on-session only)."""
    return not off_session and card.authentication in ON_SESSION_AUTHENTICATION


def off_session_refusal(card: TestCard, *, saved: bool) -> Decline | None:
    """The decline an off-session payment meets when the bank wants the customer:
    ``required`` cards always, ``required_on_setup`` cards unless saved for later first."""
    if card.authentication is Authentication.REQUIRED:
        return AUTHENTICATION_REQUIRED
    if card.authentication is Authentication.REQUIRED_ON_SETUP and not saved:
        return AUTHENTICATION_REQUIRED
    return None


@frozen(repr=False)
class PaymentIntent:
    """A Stripe PaymentIntent for cards.

    >>> sim = __import__("pmsim").Simulator()
    >>> pi = sim.payment_intents.create(amount=1099, currency="usd",
    ...                                 payment_method="pm_card_visa", confirm=True,
    ...                                 return_url="https://example.com/return")
    >>> pi.status.value, pi.amount_received
    ('succeeded', 1099)
    >>> pi
    <PaymentIntent pi_13OE9DAkLWx5e2NgSEmzlBsU 1099 usd succeeded pm_1MHsjRWlkxZJBn8ODX1ox0bt>
    """

    id: str
    created: int
    client_secret: str
    amount: int
    currency: str
    status: PaymentStatus = PaymentStatus.REQUIRES_PAYMENT_METHOD
    customer: str | None = None
    payment_method: str | None = None
    setup_future_usage: str | None = None
    description: str | None = None
    metadata: Mapping[str, str] = EMPTY_METADATA
    amount_received: int = 0
    #: What a manual-capture payment authorized and may still capture (0 otherwise).
    amount_capturable: int = 0
    capture_method: str = "automatic"
    cancellation_reason: str | None = None
    canceled_at: int | None = None
    last_payment_error: IntentError | None = None
    latest_charge: str | None = None
    receipt_email: str | None = None
    payment_method_types: tuple[str, ...] = ("card",)
    #: Set when the intent was created without ``payment_method_types`` (the default).
    automatic_payment_methods: AutomaticPaymentMethods | None = None
    #: The last confirmation's ``return_url`` (not a field of Stripe's object; its
    #: ``next_action`` shows it while 3-D Secure is waiting).
    return_url: str | None = None
    #: ``payment_method_options[card][capture_method]``: how a card payment is captured,
    #: whatever ``capture_method`` says (None: as it says).
    card_capture_method: str | None = None
    #: ``payment_method_options[us_bank_account][verification_method]`` when sent.
    us_bank_account_verification: str | None = None
    #: A US bank account's microdeposits, while the intent waits for them to be verified.
    microdeposits: Microdeposits | None = None

    def captures(self, pm_type: str) -> str:
        """How a payment with a payment method of ``pm_type`` is captured: the card option
        for a card, when sent, else ``capture_method``."""
        if pm_type == "card" and self.card_capture_method is not None:
            return self.card_capture_method
        return self.capture_method

    @property
    def next_action(self) -> dict[str, Any] | None:
        if self.status is not PaymentStatus.REQUIRES_ACTION:
            return None
        if self.microdeposits is not None:  # a bank account, not a card
            return self.microdeposits.next_action(self.id)
        return three_d_secure_action("payment_intent", self.id, self.return_url)

    def __repr__(self) -> str:
        parts = (self.id, f"{self.amount} {self.currency}", self.status.value,
                 self.payment_method, self.customer)  # fmt: skip
        return "<PaymentIntent " + " ".join(part for part in parts if part) + ">"

    def _repr_html_(self) -> str:
        from pmsim.display.records import payment_intent_html  # lazy: the renderer sits above

        return payment_intent_html(self)

    def to_dict(self) -> dict[str, Any]:
        last_error = self.last_payment_error.to_dict() if self.last_payment_error else None
        card_options: dict[str, Any] = {"installments": None}
        if self.card_capture_method is not None:  # shown only when sent, as Stripe does
            card_options["capture_method"] = self.card_capture_method
        return intent_dict(self, "payment_intent", card_options, {
            "amount": self.amount,
            "amount_capturable": self.amount_capturable,
            "amount_details": {"tip": {}},
            "amount_received": self.amount_received,
            "application_fee_amount": None,
            "canceled_at": self.canceled_at,
            "capture_method": self.capture_method,
            "confirmation_method": "automatic",
            "currency": self.currency,
            "customer_account": None,
            "payment_method_configuration_details": None,
            "last_payment_error": last_error,
            "latest_charge": self.latest_charge,
            "processing": None,
            "receipt_email": self.receipt_email,
            "review": None,
            "setup_future_usage": self.setup_future_usage,
            "shipping": None,
            "statement_descriptor": None,
            "statement_descriptor_suffix": None,
            "transfer_data": None,
            "transfer_group": None,
        })  # fmt: skip
