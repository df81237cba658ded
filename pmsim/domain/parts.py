"""The parts customers and payment methods are made of: addresses, invoice settings, billing
details and what Stripe shows of a card. Frozen, like every record, each with its own JSON.

>>> Address(city="Paris", country="FR").to_dict()["country"]
'FR'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeAlias

from attrs import frozen


@frozen
class Address:
    """A postal address, as in ``customer.address`` and ``billing_details.address``.

    >>> Address(line1="1 Main St").to_dict()["line1"]
    '1 Main St'
    """

    city: str | None = None
    country: str | None = None
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    state: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "city": self.city,
            "country": self.country,
            "line1": self.line1,
            "line2": self.line2,
            "postal_code": self.postal_code,
            "state": self.state,
        }


@frozen
class Shipping:
    """A customer's shipping details.

    >>> Shipping(name="Ada", address=Address(city="London")).to_dict()["name"]
    'Ada'
    """

    address: Address = Address()
    name: str | None = None
    phone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"address": self.address.to_dict(), "name": self.name, "phone": self.phone}


@frozen
class InvoiceSettings:
    """``customer.invoice_settings``; the engine keeps ``default_payment_method`` attached to
    its customer (a deleted customer has none).

    >>> InvoiceSettings(default_payment_method="pm_1").to_dict()["default_payment_method"]
    'pm_1'
    """

    default_payment_method: str | None = None
    footer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "custom_fields": None,
            "default_payment_method": self.default_payment_method,
            "footer": self.footer,
            "rendering_options": None,
        }


@frozen
class BillingDetails:
    """``payment_method.billing_details``.

    >>> BillingDetails(name="Ada").to_dict()["address"]["city"] is None
    True
    """

    address: Address = Address()
    email: str | None = None
    name: str | None = None
    phone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address.to_dict(),
            "email": self.email,
            "name": self.name,
            "phone": self.phone,
        }


@frozen
class CardChecks:
    """The results of the CVC and address checks (``None`` until something is checked)."""

    address_line1_check: str | None = None
    address_postal_code_check: str | None = None
    cvc_check: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "address_line1_check": self.address_line1_check,
            "address_postal_code_check": self.address_postal_code_check,
            "cvc_check": self.cvc_check,
        }


@frozen
class Card:
    """``payment_method.card``: what Stripe shows of a card, never its full number.

    >>> sim = __import__("pmsim").Simulator()
    >>> sim.payment_methods.create(type="card", card={"token": "tok_amex"}).card.brand
    'amex'
    """

    brand: str
    exp_month: int
    exp_year: int
    fingerprint: str
    funding: str
    last4: str
    country: str | None = "US"
    checks: CardChecks = CardChecks()
    three_d_secure_supported: bool = True

    @property
    def label(self) -> str:
        """The card as people say it: ``visa •••• 4242``."""
        return card_words(self.brand, self.last4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "brand": self.brand,
            "checks": self.checks.to_dict(),
            "country": self.country,
            "exp_month": self.exp_month,
            "exp_year": self.exp_year,
            "fingerprint": self.fingerprint,
            "funding": self.funding,
            "display_brand": DISPLAY_BRANDS.get(self.brand, "other"),
            "generated_from": None,
            "last4": self.last4,
            "networks": {"available": [self.brand], "preferred": None},
            "regulated_status": None,
            "three_d_secure_usage": {"supported": self.three_d_secure_supported},
            "wallet": None,
        }


@frozen
class SepaDebit:
    """``payment_method.sepa_debit``: what Stripe shows of an IBAN, never the IBAN itself.

    >>> SepaDebit("37040044", None, "DE", "fp", "3000").label
    'sepa_debit DE •••• 3000'
    """

    bank_code: str | None
    branch_code: str | None
    country: str
    fingerprint: str
    last4: str

    @property
    def label(self) -> str:
        return f"sepa_debit {self.country} •••• {self.last4}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank_code": self.bank_code,
            "branch_code": self.branch_code,
            "country": self.country,
            "fingerprint": self.fingerprint,
            # What it was generated from (an iDEAL or Bancontact charge): pmsim makes none so.
            "generated_from": None,
            "last4": self.last4,
        }


@frozen
class UsBankAccount:
    """``payment_method.us_bank_account``: what Stripe shows of a US bank account entered by
    hand, never its full number. ``verified`` is pmsim's own: whether microdeposits have
    verified it (Stripe keeps that to itself), which decides whether it can be attached.

    >>> UsBankAccount("individual", "checking", "STRIPE TEST BANK", "fp", "6789",
    ...               "110000000").label
    'us_bank_account STRIPE TEST BANK •••• 6789'
    """

    account_holder_type: str
    account_type: str
    bank_name: str | None
    fingerprint: str
    last4: str
    routing_number: str
    verified: bool = False

    @property
    def label(self) -> str:
        return f"us_bank_account {self.bank_name or self.routing_number} •••• {self.last4}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_holder_type": self.account_holder_type,
            "account_type": self.account_type,
            "bank_name": self.bank_name,
            # Entered by hand and verified with microdeposits: no Financial Connections account.
            "financial_connections_account": None,
            "fingerprint": self.fingerprint,
            "last4": self.last4,
            "networks": {"preferred": "ach", "supported": ["ach"]},
            "routing_number": self.routing_number,
            "status_details": {},
        }


#: A payment method's details, one record per type pmsim simulates (``domain/pm_types.py``):
#: each shows as Stripe's hash of that type's name and has a ``label`` to say it in words.
Details: TypeAlias = Card | SepaDebit | UsBankAccount

#: ``card.display_brand`` (Stripe's list: "american_express, cartes_bancaires, diners_club,
#: discover, eftpos_australia, interac, jcb, mastercard, union_pay, visa, or other") by
#: ``card.brand``: the brand a customer chose on a dual-branded card; test cards have one.
DISPLAY_BRANDS: Mapping[str, str] = MappingProxyType(
    {
        "amex": "american_express",
        "diners": "diners_club",
        "discover": "discover",
        "jcb": "jcb",
        "mastercard": "mastercard",
        "unionpay": "union_pay",
        "visa": "visa",
    }
)


def card_words(brand: str, last4: str) -> str:
    """A card as people say it, brand and last four digits: the one spelling pmsim shows.

    >>> card_words("visa", "4242")
    'visa •••• 4242'
    """
    return f"{brand} •••• {last4}"
