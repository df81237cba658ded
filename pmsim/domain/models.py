"""Frozen records with Stripe's field names, and each object's Stripe JSON written out by hand.

Records never change: the engine makes a new version with :func:`attrs.evolve` and stores it.
``to_dict()`` on each record is the one place its Stripe JSON is written (no reflection), and
the test suite checks every one against Stripe's OpenAPI schemas. Their nested parts
(addresses, billing details, the card) are in :mod:`pmsim.domain.parts`.

>>> Customer(id="cus_1", created=0, invoice_prefix="ABC").to_dict()["object"]
'customer'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Protocol

from attrs import field, frozen

from pmsim.domain.lifecycle import PMState
from pmsim.domain.parts import (
    Address,
    BillingDetails,
    Card,
    CardChecks,
    Details,
    InvoiceSettings,
    SepaDebit,
    Shipping,
    UsBankAccount,
)

EMPTY_METADATA: Mapping[str, str] = MappingProxyType({})


class StripeObject(Protocol):
    """Anything that renders as a Stripe JSON object."""

    @property
    def id(self) -> str: ...

    def to_dict(self) -> dict[str, Any]: ...


@frozen(repr=False)
class Customer:
    """A Stripe Customer. ``deleted`` is pmsim's own flag; deleted customers render as stubs.

    >>> sim = __import__("pmsim").Simulator()
    >>> sim.customers.create(email="ada@example.com").email
    'ada@example.com'
    >>> sim.customers.create(name="Ada")
    <Customer cus_4xYklmxPxnnCk3 'Ada'>
    """

    id: str
    created: int
    invoice_prefix: str
    address: Address | None = None
    balance: int = 0
    description: str | None = None
    email: str | None = None
    invoice_settings: InvoiceSettings = InvoiceSettings()
    metadata: Mapping[str, str] = EMPTY_METADATA
    name: str | None = None
    phone: str | None = None
    preferred_locales: tuple[str, ...] = ()
    shipping: Shipping | None = None
    tax_exempt: str = "none"
    test_clock: str | None = None
    deleted: bool = field(default=False, repr=False)
    default_source: str | None = None  # a legacy card source, card_… (pmsim/domain/sources.py)

    def __repr__(self) -> str:
        default = self.invoice_settings.default_payment_method
        parts = (
            self.id,
            self.email or (repr(self.name) if self.name else ""),
            f"default={default}" if default else "",
            "deleted" if self.deleted else "",
        )
        return "<Customer " + " ".join(part for part in parts if part) + ">"

    def _repr_html_(self) -> str:
        from pmsim.display.records import customer_html  # lazy: the renderer sits above

        return customer_html(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "customer",
            "address": self.address.to_dict() if self.address else None,
            "balance": self.balance,
            "created": self.created,
            "currency": None,
            "default_source": self.default_source,
            "delinquent": False,
            "description": self.description,
            "discount": None,
            "email": self.email,
            "invoice_prefix": self.invoice_prefix,
            "invoice_settings": self.invoice_settings.to_dict(),
            "livemode": False,
            "metadata": dict(self.metadata),
            "name": self.name,
            "next_invoice_sequence": 1,
            "phone": self.phone,
            "preferred_locales": list(self.preferred_locales),
            "shipping": self.shipping.to_dict() if self.shipping else None,
            "tax_exempt": self.tax_exempt,
            "test_clock": self.test_clock,
        }


@frozen(repr=False)
class DeletedCustomer:
    """What retrieving or deleting a deleted customer answers.

    >>> DeletedCustomer("cus_1").to_dict()
    {'id': 'cus_1', 'object': 'customer', 'deleted': True}
    """

    id: str
    deleted: bool = True

    def __repr__(self) -> str:
        return f"<Customer {self.id} deleted>"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "object": "customer", "deleted": True}


@frozen(repr=False)
class PaymentMethod:
    """A PaymentMethod: a ``type`` and that type's details under the type's name (``card``,
    ``sepa_debit``); every other type's details are None. ``state``, ``test_row`` and
    ``cvc_given`` are pmsim's own. The types, and what each does differently, are
    ``domain/pm_types.py``.

    >>> sim = __import__("pmsim").Simulator()
    >>> pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    >>> pm.customer is None, pm.state.value, pm.type, pm.details is pm.card
    (True, 'new', 'card', True)
    >>> pm
    <PaymentMethod pm_1MHsjRWlkxZJBn8ODX1ox0bt visa •••• 4242 new>
    """

    id: str
    created: int
    #: The row of its type's test table (``TEST_CARDS``, ``TEST_IBANS``) that decides how it
    #: behaves. State files before version 5 call it ``test_card`` (all were cards then).
    test_row: str = field(repr=False, metadata={"formerly": "test_card"})
    # ``type`` and the details come before the rest, and default to a card's, so that state
    # files from before other types (cards only) read as they were written.
    type: str = "card"
    card: Card | None = None
    sepa_debit: SepaDebit | None = None
    billing_details: BillingDetails = BillingDetails()
    customer: str | None = None
    metadata: Mapping[str, str] = EMPTY_METADATA
    state: PMState = PMState.NEW
    cvc_given: bool = field(default=False, repr=False)
    allow_redisplay: str = "unspecified"
    us_bank_account: UsBankAccount | None = None

    @property
    def details(self) -> Details:
        """Its type's details (``pm.card`` for a card): what Stripe shows under its type."""
        found: Details = getattr(self, self.type)
        return found

    # attached_to and with_state pass fields by position: attach and detach are the hot path,
    # and keyword calls cost a measurable share of them. test_models_hot_path keeps them equal
    # to attrs.evolve, so a reordered field fails the tests.
    def attached_to(
        self, customer: str, state: PMState, checks: CardChecks | None
    ) -> PaymentMethod:
        """This payment method attached to ``customer``; a card with its checks decided
        (``checks``: None for the types that have none)."""
        card = self.card
        if card is not None and checks is not None:
            card = Card(
                card.brand,
                card.exp_month,
                card.exp_year,
                card.fingerprint,
                card.funding,
                card.last4,
                card.country,
                checks,
                card.three_d_secure_supported,
            )
        return PaymentMethod(
            self.id,
            self.created,
            self.test_row,
            self.type,
            card,
            self.sepa_debit,
            self.billing_details,
            customer,
            self.metadata,
            state,
            self.cvc_given,
            self.allow_redisplay,
            self.us_bank_account,
        )

    def with_state(self, state: PMState, customer: str | None) -> PaymentMethod:
        """This payment method in another lifecycle state, owned by ``customer``."""
        return PaymentMethod(
            self.id,
            self.created,
            self.test_row,
            self.type,
            self.card,
            self.sepa_debit,
            self.billing_details,
            customer,
            self.metadata,
            state,
            self.cvc_given,
            self.allow_redisplay,
            self.us_bank_account,
        )

    def __repr__(self) -> str:
        where = f"{self.state.value} to {self.customer}" if self.customer else self.state.value
        return f"<PaymentMethod {self.id} {self.details.label} {where}>"

    def _repr_html_(self) -> str:
        from pmsim.display.records import payment_method_html  # lazy: the renderer sits above

        return payment_method_html(self)

    def to_dict(self) -> dict[str, Any]:
        fields = {
            "id": self.id,
            "object": "payment_method",
            "allow_redisplay": self.allow_redisplay,
            "billing_details": self.billing_details.to_dict(),
            self.type: self.details.to_dict(),  # Stripe shows only its own type's details
            "created": self.created,
            "customer": self.customer,
            "customer_account": None,
            "livemode": False,
            "metadata": dict(self.metadata),
            "type": self.type,
        }
        return {key: fields[key] for key in _field_order(self.type)}


@cache  # one entry per payment method type (a handful)
def _field_order(kind: str) -> tuple[str, ...]:
    """A payment method's keys as Stripe writes them: alphabetical after id and object,
    wherever its type's details fall."""
    fields = ("allow_redisplay", "billing_details", "created", "customer", "customer_account",
              "livemode", "metadata", "type", kind)  # fmt: skip
    return ("id", "object", *sorted(fields))
