"""Refunds: money sent back on a succeeded charge, in part or whole, until none is left
(``../shared/reference/stripe-charges-refunds-debits.md`` §2).

A card refund succeeds at once ("With all other test cards, refunds succeed immediately and
don't change status after that", Stripe's testing docs). The two test cards whose refunds
change later (``pm_card_pendingRefund``, ``pm_card_refundFail``) are refused with pmsim's
"not simulated yet" rather than answered wrongly.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=1000, currency="usd", payment_method="pm_card_visa",
...                                 confirm=True, off_session=True)
>>> refund = sim.refunds.create(payment_intent=pi.id, amount=400)
>>> refund.status.value, sim.charges.retrieve(pi.latest_charge).amount_refunded
('succeeded', 400)
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Final

from attrs import frozen

from pmsim.domain.models import EMPTY_METADATA

#: ``reason`` a caller may give (Stripe also uses ``expired_uncaptured_charge`` itself).
REASONS: Final = ("duplicate", "fraudulent", "requested_by_customer")
#: Test cards whose refunds change status later; not simulated yet.
LATER_REFUNDS: Final = frozenset({"pending_refund", "refund_fail"})


class RefundStatus(StrEnum):
    PENDING = "pending"
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELED = "canceled"


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

    def __repr__(self) -> str:
        return f"<Refund {self.id} {self.amount} {self.currency} {self.status.value} {self.charge}>"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "refund",
            "amount": self.amount,
            "balance_transaction": None,
            "charge": self.charge,
            "created": self.created,
            "currency": self.currency,
            "destination_details": {
                "card": {
                    "reference_status": "pending",
                    "reference_type": "acquirer_reference_number",
                    "type": "refund",
                },
                "type": "card",
            },
            "metadata": dict(self.metadata),
            "payment_intent": self.payment_intent,
            "reason": self.reason,
            "receipt_number": None,
            "source_transfer_reversal": None,
            "status": self.status.value,
            "transfer_reversal": None,
        }
