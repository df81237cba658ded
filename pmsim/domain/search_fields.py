"""What Stripe's search can ask of each kind of object: a table of fields per resource,
the kind of each field, and the operators each kind takes (https://docs.stripe.com/search).

>>> CUSTOMER_FIELDS["email"].kind, OPERATORS[Kind.STRING]
(<Kind.STRING: 'string'>, (':', '~'))
>>> COMPARE["~"](PREPARE[Kind.STRING]("Ada@Example.com"), "example")
True
"""

from __future__ import annotations

import operator as op
from collections.abc import Callable, Mapping
from enum import Enum
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Final

from attrs import field, frozen


class Kind(Enum):
    """What a search field holds, and so which operators it takes (Stripe's field types)."""

    STRING = "string"  # exact and substring, ignoring case
    TOKEN = "token"  # exact only, ignoring case
    NUMERIC = "numeric"  # exact and comparisons
    METADATA = "metadata"  # metadata["key"], exact only


OPERATORS: Final[Mapping[Kind, tuple[str, ...]]] = MappingProxyType(
    {
        Kind.STRING: (":", "~"),
        Kind.TOKEN: (":",),
        Kind.NUMERIC: (":", "=", ">", ">=", "<", "<="),
        Kind.METADATA: (":",),
    }
)

#: How a record's value and an operand are compared, by operator (both already prepared:
#: text casefolded, numbers as numbers).
COMPARE: Final[Mapping[str, Callable[[Any, Any], bool]]] = MappingProxyType(
    {
        ":": op.eq,
        "=": op.eq,
        ">": op.gt,
        ">=": op.ge,
        "<": op.lt,
        "<=": op.le,
        "~": lambda value, operand: operand in value,
    }
)


def _folded(value: object) -> object:
    return str(value).casefold()


def _same(value: object) -> object:
    return value


#: How a record's value is prepared for comparing, by kind.
PREPARE: Final[Mapping[Kind, Callable[[object], object]]] = MappingProxyType(
    {Kind.STRING: _folded, Kind.TOKEN: _folded, Kind.NUMERIC: _same, Kind.METADATA: _folded}
)


@frozen
class Field:
    """A searchable field: its kind, and how to read it from a record."""

    kind: Kind
    read: Callable[[Any], Any] = field(eq=False, repr=False)


#: The customer fields Stripe searches (https://docs.stripe.com/search#query-fields-for-customers).
CUSTOMER_FIELDS: Final[Mapping[str, Field]] = MappingProxyType(
    {
        "created": Field(Kind.NUMERIC, attrgetter("created")),
        "email": Field(Kind.STRING, attrgetter("email")),
        "metadata": Field(Kind.METADATA, attrgetter("metadata")),
        "name": Field(Kind.STRING, attrgetter("name")),
        "phone": Field(Kind.STRING, attrgetter("phone")),
    }
)

#: The PaymentIntent fields Stripe searches (…#query-fields-for-payment-intents).
PAYMENT_INTENT_FIELDS: Final[Mapping[str, Field]] = MappingProxyType(
    {
        "amount": Field(Kind.NUMERIC, attrgetter("amount")),
        "created": Field(Kind.NUMERIC, attrgetter("created")),
        "currency": Field(Kind.TOKEN, attrgetter("currency")),
        "customer": Field(Kind.TOKEN, attrgetter("customer")),
        "metadata": Field(Kind.METADATA, attrgetter("metadata")),
        "status": Field(Kind.TOKEN, attrgetter("status.value")),
    }
)
