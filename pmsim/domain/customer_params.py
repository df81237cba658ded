"""What customer create/update parameters do to a customer, as pure functions.

Stripe's update rules: parameters you do not send are left alone, nested hashes
merge, and ``""`` unsets. The default payment method is not handled here: checking it needs
the store, so the engine does it.

>>> from pmsim.domain.models import Customer
>>> base = Customer(id="cus_1", created=0, invoice_prefix="ABC")
>>> changes = customer_changes(base, {"email": "ada@example.com", "address": {"city": "Paris"}})
>>> changes["email"], changes["address"].city
('ada@example.com', 'Paris')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import evolve

from pmsim.domain import params
from pmsim.domain.messages import parameters
from pmsim.domain.models import Customer
from pmsim.domain.parts import Address, InvoiceSettings, Shipping

ADDRESS_FIELDS: Final = ("city", "country", "line1", "line2", "postal_code", "state")
SHIPPING_FIELDS: Final = ("address", "name", "phone")
INVOICE_SETTINGS_FIELDS: Final = ("default_payment_method", "footer")
TAX_EXEMPT: Final = ("none", "reverse", "exempt")  # the order Stripe's error lists them in


def merge_address(current: Address | None, value: object, param: str) -> Address | None:
    """``address[city]=…`` merges into the current address; ``address=""`` removes it."""
    if value == "":
        return None
    fields = params.hash_of(value, param, ADDRESS_FIELDS)
    changes = {
        key: None if raw == "" else params.string(raw, f"{param}[{key}]")
        for key, raw in fields.items()
    }
    if current is None:  # the usual case, and Address(**…) costs a fraction of evolve()
        return Address(**changes)
    return evolve(current, **changes)


def shipping(value: object) -> Shipping | None:
    """Stripe requires ``address`` and ``name`` each time, so shipping is replaced, not merged."""
    if value == "":
        return None
    fields = params.hash_of(value, "shipping", SHIPPING_FIELDS)
    for required in ("address", "name"):
        if fields.get(required) in (None, ""):
            raise parameters.missing_param(f"shipping[{required}]")
    phone = fields.get("phone")
    return Shipping(
        address=merge_address(None, fields["address"], "shipping[address]") or Address(),
        name=params.string(fields["name"], "shipping[name]"),
        phone=None if phone in (None, "") else params.string(phone, "shipping[phone]"),
    )


def merge_invoice_settings(current: InvoiceSettings, value: object) -> InvoiceSettings:
    """Merges ``footer``; ``default_payment_method`` arrives already checked by the engine."""
    fields = params.hash_of(value, "invoice_settings", INVOICE_SETTINGS_FIELDS)
    changes: dict[str, Any] = {}
    if "footer" in fields:
        footer = fields["footer"]
        changes["footer"] = (
            None if footer == "" else params.string(footer, "invoice_settings[footer]")
        )
    if "default_payment_method" in fields:
        default = fields["default_payment_method"]
        changes["default_payment_method"] = None if default == "" else default
    return evolve(current, **changes)


def _text(current: Customer, value: object, key: str) -> str | None:
    return None if value == "" else params.string(value, key)


def _limited(max_length: int) -> Callable[[Customer, object, str], str | None]:
    """A text field of at most ``max_length`` characters (the OpenAPI spec's ``maxLength``)."""
    return lambda current, value, key: (
        None if value == "" else params.string(value, key, max_length)
    )


def _email(current: Customer, value: object, key: str) -> str | None:
    return None if value == "" else params.email(value, key)


def _balance(current: Customer, value: object, key: str) -> int:
    if value == "":
        raise parameters.cannot_unset(key)
    return params.integer(value, key)


#: Each customer field: how a sent value becomes the new value (``""`` unsets where allowed).
FIELD_RULES: Final[Mapping[str, Callable[[Customer, object, str], Any]]] = MappingProxyType(
    {
        "address": lambda current, value, key: merge_address(current.address, value, key),
        "balance": _balance,
        "description": _text,
        "email": _email,
        "invoice_settings": lambda current, value, key: merge_invoice_settings(
            current.invoice_settings, value
        ),
        "metadata": lambda current, value, key: params.metadata(current.metadata, value),
        "name": _limited(params.MAX_NAME_LENGTH),
        # The spec says 20, but Faker's numbers (pmsim.testing.populate) run longer, and
        # refusing them would change every populated simulator: 5,000 until that is settled.
        "phone": _text,
        "preferred_locales": lambda current, value, key: (
            () if value == "" else params.string_list(value, key)
        ),
        "shipping": lambda current, value, key: shipping(value),
        "tax_exempt": lambda current, value, key: (
            "none" if value == "" else params.choice(value, key, TAX_EXEMPT)
        ),
    }
)


def customer_changes(current: Customer, values: Mapping[str, Any]) -> dict[str, Any]:
    """The new field values ``values`` asks for, checked; keys absent from ``values`` stay."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        rule = FIELD_RULES.get(key)
        if rule is None:
            raise parameters.unknown_parameter(key)
        changes[key] = rule(current, value, key)
    return changes
