"""Legacy card sources: the ``card_…`` objects a customer holds in ``sources``.

Before PaymentMethods, a card was saved on a customer as a *source* (``customers.create(
source="tok_visa")``, ``POST /v1/customers/{customer}/sources``). pmsim keeps them for code
that still reads ``default_source`` and ``sources`` (dj-stripe expands both on every
retrieve); they are made from ``tok_*`` test tokens only (docs/fidelity.md, 'Legacy sources').

>>> from pmsim.domain.parts import Card
>>> card = CardSource("card_1", 0, Card("visa", 1, 2025, "fp", "credit", "4242"), "visa", "cus_1")
>>> card.to_dict()["brand"], card.to_dict()["object"]
('Visa', 'card')
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import field, frozen

from pmsim.domain.parts import Address, Card

EMPTY_METADATA: Mapping[str, str] = MappingProxyType({})

#: How a legacy card names its brand (the card object's ``brand``: "Visa", "MasterCard",
#: ...), from the PaymentMethod's brand ("visa", "mastercard", ...).
LEGACY_BRANDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "amex": "American Express",
        "diners": "Diners Club",
        "discover": "Discover",
        "jcb": "JCB",
        "mastercard": "MasterCard",
        "unionpay": "UnionPay",
        "visa": "Visa",
    }
)


@frozen(repr=False)
class CardSource:
    """A card saved on a customer as a legacy source. ``created`` (Stripe's card object has
    none), ``test_card`` and ``deleted`` are pmsim's own; deleted cards answer "No such source".

    The billing address is the card's own ``address_*`` fields (``address.postal_code`` is
    Stripe's ``address_zip``); its checks are in ``card.checks``.
    """

    id: str
    created: int
    card: Card
    test_card: str  # the TEST_CARDS row that decides its behaviour
    customer: str
    name: str | None = None
    address: Address = Address()
    metadata: Mapping[str, str] = EMPTY_METADATA
    allow_redisplay: str = "unspecified"
    deleted: bool = field(default=False, repr=False)

    def __repr__(self) -> str:
        gone = " deleted" if self.deleted else ""
        return f"<CardSource {self.id} {self.card.label} on {self.customer}{gone}>"

    def to_dict(self) -> dict[str, Any]:
        card, address = self.card, self.address
        return {
            "id": self.id,
            "object": "card",
            "address_city": address.city,
            "address_country": address.country,
            "address_line1": address.line1,
            "address_line1_check": card.checks.address_line1_check,
            "address_line2": address.line2,
            "address_state": address.state,
            "address_zip": address.postal_code,
            "address_zip_check": card.checks.address_postal_code_check,
            "allow_redisplay": self.allow_redisplay,
            "brand": LEGACY_BRANDS.get(card.brand, "Unknown"),
            "country": card.country,
            "customer": self.customer,
            "cvc_check": card.checks.cvc_check,
            "dynamic_last4": None,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "fingerprint": card.fingerprint,
            "funding": card.funding,
            "last4": card.last4,
            "metadata": dict(self.metadata),
            "name": self.name,
            "tokenization_method": None,
        }


@frozen(repr=False)
class DeletedCard:
    """What deleting a card source answers (the spec's ``deleted_card``).

    >>> DeletedCard("card_1").to_dict()
    {'id': 'card_1', 'object': 'card', 'deleted': True}
    """

    id: str

    def __repr__(self) -> str:
        return f"<CardSource {self.id} deleted>"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "object": "card", "deleted": True}
