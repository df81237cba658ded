"""Refunds: money sent back on a succeeded charge, in part or whole, until none is left
(``../shared/reference/stripe-charges-refunds-debits.md`` §2).

A card refund succeeds at once ("With all other test cards, refunds succeed immediately and
don't change status after that", Stripe's testing docs). Two test cards' refunds change later,
when the simulator's clock passes ``changes_at`` (``domain/delays.py``): a
``pm_card_pendingRefund`` refund starts ``pending`` and then succeeds, a ``pm_card_refundFail``
one starts ``succeeded`` and then fails (``expired_or_canceled_card``).

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa",
...                                 confirm=True, off_session=True)
>>> refund = sim.refunds.create(payment_intent=pi.id, amount=400)
>>> refund.status.value, sim.charges.retrieve(pi.latest_charge).amount_refunded
('succeeded', 400)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final

from attrs import evolve, frozen

from pmsim.domain import delays
from pmsim.domain.delays import Delay
from pmsim.domain.models import EMPTY_METADATA

#: ``reason`` a caller may give (Stripe also uses ``expired_uncaptured_charge`` itself).
REASONS: Final = ("duplicate", "fraudulent", "requested_by_customer")
#: The reason of the refund Stripe makes when an uncaptured authorization expires ("generated
#: by Stripe internally", Stripe's Refund reference).
EXPIRED_UNCAPTURED: Final = "expired_uncaptured_charge"
#: Why a ``pm_card_refundFail`` refund fails ("with a failure_reason of
#: expired_or_canceled_card", Stripe's older testing docs).
FAILURE_REASON: Final = "expired_or_canceled_card"


class RefundStatus(StrEnum):
    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


#: How long after a payment it can still be refunded, by payment method type (the others have
#: no limit here): "You can refund SEPA Direct Debit payments for up to 180 days after the
#: original payment" (Stripe's SEPA docs).
REFUND_WINDOWS: Final[Mapping[str, int]] = {"sepa_debit": 180 * delays.DAY}

#: Test cards whose refunds change status later: the status a refund starts in, and how long
#: until it changes (pending → succeeded, succeeded → failed).
LATER_REFUNDS: Final[Mapping[str, tuple[RefundStatus, Delay]]] = {
    "pending_refund": (RefundStatus.PENDING, delays.REFUND_SETTLES),
    "refund_fail": (RefundStatus.SUCCEEDED, delays.REFUND_FAILS),
}


@frozen
class Refund:
    """A refund of (part of) a charge."""

    id: str
    created: int
    amount: int
    currency: str
    charge: str
    payment_intent: str | None = None
    status: RefundStatus = RefundStatus.SUCCEEDED
    reason: str | None = None
    metadata: Mapping[str, str] = EMPTY_METADATA
    failure_reason: str | None = None
    #: pmsim's own: when Stripe changes this refund's status on its own (a test card's later
    #: change), if it will; never shown in Stripe's JSON.
    changes_at: int | None = None
    #: The refunded charge's payment method type, which decides ``destination_details``.
    payment_method_type: str = "card"
    #: pmsim's own: Stripe made it to release the uncaptured part of a manual-capture
    #: authorization (a partial capture, a cancel, an expiry), not to give money back.
    releases: bool = False

    @property
    def counts(self) -> bool:
        """Whether it takes money back from its charge (pending and succeeded ones do)."""
        return self.status in (RefundStatus.PENDING, RefundStatus.SUCCEEDED)

    def later(self) -> Refund:
        """The refund after its test card's later change (pending → succeeded, succeeded →
        failed)."""
        if self.status is RefundStatus.PENDING:
            return evolve(self, status=RefundStatus.SUCCEEDED, changes_at=None)
        return evolve(
            self, status=RefundStatus.FAILED, failure_reason=FAILURE_REASON, changes_at=None
        )

    def __repr__(self) -> str:
        return f"<Refund {self.id} {self.amount} {self.currency} {self.status.value} {self.charge}>"

    def to_dict(self) -> dict[str, Any]:
        body = {
            "id": self.id,
            "object": "refund",
            "amount": self.amount,
            "balance_transaction": None,
            "charge": self.charge,
            "created": self.created,
            "currency": self.currency,
            "destination_details": DESTINATION_DETAILS.get(self.payment_method_type, _none)(),
            "metadata": dict(self.metadata),
            "payment_intent": self.payment_intent,
            "reason": self.reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": self.status.value,
            "transfer_reversal": None,
        }
        if self.status is RefundStatus.FAILED:  # only then, as in Stripe's recorded payload
            # (which also names a failure_balance_transaction: never null, and pmsim keeps
            # no balance transactions, so it is left out)
            body["failure_reason"] = self.failure_reason
        return body


def _card_destination() -> dict[str, Any]:
    return {
        "card": {
            "reference_status": "pending",
            "reference_type": "acquirer_reference_number",
            "type": "refund",
        },
        "type": "card",
    }


def _none() -> None:
    return None


#: ``destination_details`` by the refunded payment method's type: a card refund's reference
#: (pending). Stripe lists no such hash for a SEPA Direct Debit, so its refunds show null.
DESTINATION_DETAILS: Final[Mapping[str, Callable[[], dict[str, Any] | None]]] = {
    "card": _card_destination,
}
