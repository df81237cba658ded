"""Request parameters a later API version removed, and what pmsim does with them before.

From the gate's version on, such a parameter is unknown (Stripe's "Received unknown
parameter"). Before it, pmsim answers what it can: there are no coupons or promotion codes
to find, and a card has no ``link``, ``naver_pay``, ``pay_by_bank`` or ``payto`` details to
update (``docs/fidelity.md``).

>>> from pmsim.domain.versions import parse
>>> check("payment_methods.update", {"link": {}}, parse("2025-09-30.clover"))
Traceback (most recent call last):
pmsim.domain.errors.InvalidRequestError: Received unknown parameter: link
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from pmsim.domain.errors import InvalidRequestError
from pmsim.domain.messages import lookups, parameters
from pmsim.domain.versions import (
    CUSTOMER_COUPON_REMOVED,
    LINK_UPDATE_REMOVED,
    NAVER_PAY_UPDATE_REMOVED,
    PAYTO_UPDATE_REMOVED,
    ApiVersion,
    Gate,
)

#: (operation, parameter) → the gate from which the parameter is gone.
RETIRED: Mapping[tuple[str, str], Gate] = MappingProxyType(
    {
        ("customers.create", "coupon"): CUSTOMER_COUPON_REMOVED,
        ("customers.create", "promotion_code"): CUSTOMER_COUPON_REMOVED,
        ("customers.update", "coupon"): CUSTOMER_COUPON_REMOVED,
        ("customers.update", "promotion_code"): CUSTOMER_COUPON_REMOVED,
        ("payment_methods.update", "naver_pay"): NAVER_PAY_UPDATE_REMOVED,
        ("payment_methods.update", "link"): LINK_UPDATE_REMOVED,
        ("payment_methods.update", "pay_by_bank"): LINK_UPDATE_REMOVED,
        ("payment_methods.update", "payto"): PAYTO_UPDATE_REMOVED,
    }
)


def check(operation: str, sent: Mapping[str, object], version: ApiVersion) -> None:
    """Refuse a sent parameter that ``version`` no longer has, as an unknown one."""
    for name, value in sent.items():
        gate = RETIRED.get((operation, name))
        if value is not None and gate is not None and gate.holds(version):
            raise parameters.unknown_parameter(name)


def discounts(coupon: object, promotion_code: object, version: ApiVersion) -> None:
    """A customer's ``coupon`` / ``promotion_code``: pmsim has none to find (``""`` on
    update removes nothing, so it is accepted)."""
    if coupon is None and promotion_code is None:
        return  # nearly every call: nothing to look at
    check("customers.update", {"coupon": coupon, "promotion_code": promotion_code}, version)
    for param, value in (("coupon", coupon), ("promotion_code", promotion_code)):
        if value is not None and value != "":
            raise lookups.no_such(param, str(value), param=param)


def other_types(pm_id: str, sent: Mapping[str, object], version: ApiVersion) -> None:
    """Details of another payment method type, sent to update a card."""
    check("payment_methods.update", sent, version)
    for name, value in sent.items():
        if value is not None:
            raise InvalidRequestError(
                f"You cannot update {name} details on {pm_id}: it is a card PaymentMethod "
                "(pmsim simulates cards only). Send card, billing_details, metadata or "
                "allow_redisplay.",
                param=name,
            )
