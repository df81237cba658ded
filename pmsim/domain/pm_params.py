"""What PaymentMethod create/update parameters mean, as pure functions.

>>> from pmsim.domain.parts import BillingDetails
>>> merge_billing_details(BillingDetails(name="Ada"), {"email": "ada@example.com"}).name
'Ada'
"""

from __future__ import annotations

from typing import Any, Final

from attrs import evolve

from pmsim.domain import params
from pmsim.domain.card_input import YearMonth, check_expiry
from pmsim.domain.customer_params import merge_address
from pmsim.domain.messages import parameters, payment_methods
from pmsim.domain.parts import Address, BillingDetails, Card
from pmsim.domain.pm_types import TYPES

BILLING_FIELDS: Final = ("address", "email", "name", "phone")
BLANK_ADDRESS: Final = Address()
EXPIRY_FIELDS: Final = ("exp_month", "exp_year")
SIMULATED_TYPES: Final = tuple(TYPES)
#: ``allow_redisplay``, in Stripe's order; a new card's is ``unspecified``.
ALLOW_REDISPLAY: Final = ("always", "limited", "unspecified")

#: Stripe's payment method types (OpenAPI enum); pmsim simulates those in ``TYPES``.
STRIPE_TYPES: Final = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bacs_debit",
    "bancontact", "blik", "boleto", "card", "card_present", "cashapp", "customer_balance", "eps",
    "fpx", "giropay", "grabpay", "ideal", "interac_present", "klarna", "konbini", "link", "oxxo",
    "p24", "paynow", "paypal", "pix", "promptpay", "sepa_debit", "sofort", "us_bank_account",
    "wechat_pay", "zip",
)  # fmt: skip


def creatable_type(value: object) -> str:
    """``type`` on create: one of Stripe's types, and one pmsim simulates."""
    if value is None:
        raise parameters.missing_param("type")
    kind = params.choice(value, "type", STRIPE_TYPES)
    if kind not in SIMULATED_TYPES:
        raise payment_methods.type_not_simulated(kind, SIMULATED_TYPES)
    return kind


def intent_types(value: object) -> tuple[str, ...]:
    """An intent's ``payment_method_types``: each a type pmsim simulates, ``("card",)`` if
    not sent.

    >>> intent_types(None), intent_types(["card", "card"])
    (('card',), ('card',))
    """
    if value is None:
        return ("card",)
    listed = params.string_list(value, "payment_method_types")
    return tuple(dict.fromkeys(creatable_type(kind) for kind in listed)) or ("card",)


def allow_redisplay(value: object) -> str:
    """``allow_redisplay`` on create, update or a list filter: one of Stripe's three values.

    >>> allow_redisplay("always")
    'always'
    """
    return params.choice(value, "allow_redisplay", ALLOW_REDISPLAY)


def listed_type(value: object) -> str | None:
    """``type`` on a list: the type to keep (None: every type). A valid type pmsim does not
    simulate lists nothing; an invalid one is Stripe's "Invalid type" error.

    >>> listed_type("sepa_debit"), listed_type(None)
    ('sepa_debit', None)
    """
    return None if value is None else params.choice(value, "type", STRIPE_TYPES)


def merge_billing_details(current: BillingDetails, value: object) -> BillingDetails:
    """``billing_details`` merged into ``current``; ``""`` unsets a field."""
    fields = params.hash_of(value, "billing_details", BILLING_FIELDS)
    if not fields:
        return current
    changes: dict[str, Any] = {}
    for key, raw in fields.items():
        param = f"billing_details[{key}]"
        if key == "address":
            # A blank address merges like none at all: built whole, not evolve()d.
            address = None if current.address == BLANK_ADDRESS else current.address
            changes[key] = merge_address(address, raw, param) or BLANK_ADDRESS
        elif raw == "":
            changes[key] = None
        else:
            changes[key] = params.email(raw, param) if key == "email" else params.string(raw, param)
    if current == BillingDetails():  # a new card's: build it whole rather than evolve() it
        return BillingDetails(**changes)
    return evolve(current, **changes)


def updated_expiry(card: Card, value: object, *, today: YearMonth) -> Card:
    """``card[exp_month]`` / ``card[exp_year]`` on update, checked like a new card's."""
    fields = params.hash_of(value, "card", EXPIRY_FIELDS)
    month = params.integer(fields.get("exp_month", card.exp_month), "card[exp_month]")
    year = params.integer(fields.get("exp_year", card.exp_year), "card[exp_year]")
    return evolve(card, exp_month=month, exp_year=check_expiry(month, year, today=today))
