"""SetupAttempts: one per SetupIntent confirmation, with what became of it
(``GET /v1/setup_attempts?setup_intent=...``).

A confirmation makes the attempt the intent names as ``latest_attempt``; it waits with the
intent (``requires_action``: 3-D Secure, microdeposits) and ends with it, ``succeeded`` or
``failed`` with the error it met.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> seti = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True,
...                                 return_url="https://example.com/return")
>>> [attempt.status.value for attempt in sim.setup_attempts.list(setup_intent=seti.id)]
['succeeded']
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from attrs import frozen

from pmsim.domain.intents import IntentError
from pmsim.domain.parts import Card


class AttemptStatus(StrEnum):
    REQUIRES_CONFIRMATION = "requires_confirmation"
    REQUIRES_ACTION = "requires_action"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    ABANDONED = "abandoned"


@frozen
class SetupAttempt:
    """One confirmation of a SetupIntent. ``card`` is the card as it was, for a card."""

    id: str
    created: int
    setup_intent: str
    payment_method: str
    payment_method_type: str
    status: AttemptStatus
    usage: str = "off_session"
    customer: str | None = None
    setup_error: IntentError | None = None
    card: Card | None = None

    def __repr__(self) -> str:
        return f"<SetupAttempt {self.id} {self.status.value} {self.setup_intent}>"

    def to_dict(self) -> dict[str, Any]:
        kind = self.payment_method_type
        details: dict[str, Any] = {}
        if self.card is not None:  # the card as the attempt saw it (Stripe's subset)
            card = self.card
            details = {
                "brand": card.brand, "checks": card.checks.to_dict(), "country": card.country,
                "exp_month": card.exp_month, "exp_year": card.exp_year,
                "fingerprint": card.fingerprint, "funding": card.funding, "last4": card.last4,
                "network": card.brand, "three_d_secure": None, "wallet": None,
            }  # fmt: skip
        return {
            "id": self.id,
            "object": "setup_attempt",
            "application": None,
            "attach_to_self": False,
            "created": self.created,
            "customer": self.customer,
            "flow_directions": None,
            "livemode": False,
            "on_behalf_of": None,
            "payment_method": self.payment_method,
            "payment_method_details": {kind: details, "type": kind},
            "setup_error": None if self.setup_error is None else self.setup_error.to_dict(),
            "setup_intent": self.setup_intent,
            "status": self.status.value,
            "usage": self.usage,
        }
