"""Mandates: a customer's permission to debit a bank account, and the ``mandate_data`` that
records it (``../shared/reference/stripe-charges-refunds-debits.md`` §4.1.2).

A SetupIntent (or a PaymentIntent) confirmed with a bank debit and ``mandate_data`` makes a
multi-use mandate, ``active`` at once in test mode; detaching the payment method makes its
mandates ``inactive``. Stripe sends no event when a mandate is made, ``mandate.updated``
when one changes.

>>> acceptance = customer_acceptance(
...     {"customer_acceptance": {"type": "offline"}}, now=1704067200)
>>> Mandate("mandate_1", 0, "pm_1", acceptance).to_dict()["customer_acceptance"]
{'accepted_at': 1704067200, 'offline': {}, 'type': 'offline'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from attrs import frozen

from pmsim.domain import params
from pmsim.domain.digests import base62_digest
from pmsim.domain.messages import parameters

ACCEPTANCE_TYPES: Final = ("offline", "online")
_ROOT = "mandate_data[customer_acceptance]"


class MandateStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    PENDING = "pending"


@frozen
class CustomerAcceptance:
    """How the customer accepted the mandate: online (from this address and browser) or
    offline, and when."""

    type: str
    accepted_at: int
    ip_address: str | None = None
    user_agent: str | None = None

    def to_dict(self) -> dict[str, Any]:
        online = {"ip_address": self.ip_address, "user_agent": self.user_agent}
        return {
            "accepted_at": self.accepted_at,
            self.type: online if self.type == "online" else {},
            "type": self.type,
        }


def customer_acceptance(value: object, *, now: int) -> CustomerAcceptance:
    """``mandate_data``, checked: ``customer_acceptance[type]`` is required, and an online
    acceptance needs the customer's ``ip_address`` and ``user_agent``. ``accepted_at``
    defaults to now."""
    data = params.hash_of(value, "mandate_data", ("customer_acceptance",))
    if "customer_acceptance" not in data:
        raise parameters.missing_param(_ROOT)
    fields = params.hash_of(
        data["customer_acceptance"], _ROOT, ("accepted_at", "offline", "online", "type")
    )
    if "type" not in fields:
        raise parameters.missing_param(f"{_ROOT}[type]")
    kind = params.choice(fields["type"], f"{_ROOT}[type]", ACCEPTANCE_TYPES)
    accepted = fields.get("accepted_at")
    when = now if accepted is None else params.integer(accepted, f"{_ROOT}[accepted_at]")
    if kind == "offline":
        params.hash_of(fields.get("offline", {}), f"{_ROOT}[offline]", ())
        return CustomerAcceptance(kind, when)
    if "online" not in fields:
        raise parameters.missing_param(f"{_ROOT}[online]")
    online = params.hash_of(fields["online"], f"{_ROOT}[online]", ("ip_address", "user_agent"))
    found = {}
    for key in ("ip_address", "user_agent"):
        param = f"{_ROOT}[online][{key}]"
        if online.get(key) in (None, ""):
            raise parameters.missing_param(param)
        found[key] = params.string(online[key], param)
    return CustomerAcceptance(kind, when, found["ip_address"], found["user_agent"])


@frozen(repr=False)
class Mandate:
    """A multi-use mandate for one payment method. ``created`` is pmsim's own (Stripe's
    object has none)."""

    id: str
    created: int
    payment_method: str
    customer_acceptance: CustomerAcceptance
    status: MandateStatus = MandateStatus.ACTIVE
    payment_method_type: str = "sepa_debit"

    @property
    def active(self) -> bool:
        return self.status is MandateStatus.ACTIVE

    def __repr__(self) -> str:
        return f"<Mandate {self.id} {self.status.value} {self.payment_method}>"

    def to_dict(self) -> dict[str, Any]:
        kind = self.payment_method_type
        return {
            "id": self.id,
            "object": "mandate",
            "customer_acceptance": self.customer_acceptance.to_dict(),
            "livemode": False,
            "multi_use": {},
            "payment_method": self.payment_method,
            "payment_method_details": {kind: MANDATE_DETAILS[kind](self), "type": kind},
            "status": self.status.value,
            "type": "multi_use",
        }


#: The mandate a confirmation brings: a new one's acceptance (``mandate_data``), a mandate
#: already given (``mandate``), or none.
Given = CustomerAcceptance | Mandate | None


def _sepa_debit(mandate: Mandate) -> dict[str, Any]:
    """The mandate's reference (from its id) and the page showing it (illustrative)."""
    return {
        "reference": base62_digest(f"{mandate.id}:reference", 16).upper(),
        "url": f"https://payments.stripe.com/sepa_debit/mandate/{mandate.id}",
    }


#: ``payment_method_details`` of each type's mandates.
MANDATE_DETAILS: Final[Mapping[str, Callable[[Mandate], dict[str, Any]]]] = MappingProxyType(
    # A US bank account's mandate shows an empty hash in the 2023-08-16 schema.
    {"sepa_debit": _sepa_debit, "us_bank_account": lambda mandate: {}}
)
