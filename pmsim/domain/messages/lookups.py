"""Stripe's "No such ..." for an id that does not exist: 404 in the URL path, 400 in a
parameter, each object named as Stripe names it.

>>> error = no_such_customer("cus_x", param="id", in_path=True)
>>> error.message, error.code, error.http_status
("No such customer: 'cus_x'", 'resource_missing', 404)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain.errors import InvalidRequestError

#: How "No such ..." names each object (Stripe's own capitalisation varies).
OBJECT_NAMES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "account": "account",
        "charge": "charge",
        "refund": "refund",
        "customer": "customer",
        "payment_method": "PaymentMethod",
        "event": "event",
        "setup_intent": "setupintent",
        "payment_intent": "payment_intent",
        "test_clock": "test_clock",
        "source": "source",
        "token": "token",
        "webhook_endpoint": "webhook_endpoint",
        "mandate": "mandate",  # unverified: Stripe's usual wording
        # pmsim makes none of these; Stripe's wording for them is its usual one.
        "coupon": "coupon",
        "promotion_code": "promotion code",
        "customer_account": "account",
    }
)
NO_SUCH: Final = "No such {name}: '{id}'"


def no_such(kind: str, object_id: str, *, param: str, in_path: bool = False) -> InvalidRequestError:
    """``No such <name>: '<id>'``: 404 for an id in the URL path, 400 for one in a parameter."""
    return InvalidRequestError(
        NO_SUCH.format(name=OBJECT_NAMES[kind], id=object_id),
        code="resource_missing",
        param=param,
        http_status=404 if in_path else 400,
    )


def no_such_customer(
    customer_id: str, *, param: str = "customer", in_path: bool = False
) -> InvalidRequestError:
    """A customer in the URL path is a 404 with ``param: id``; one named in the body or the
    query is a 400 with ``param: customer`` (pmsim's settled choice)."""
    return no_such("customer", customer_id, param=param, in_path=in_path)


def no_such_payment_method(
    pm_id: str, *, param: str = "payment_method", in_path: bool = False
) -> InvalidRequestError:
    return no_such("payment_method", pm_id, param=param, in_path=in_path)
