"""A customer's default payment method (``invoice_settings[default_payment_method]``): it must
be attached to that customer already, or, on create, be the payment method the same call
attaches (by its id or its test id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pmsim.domain import params
from pmsim.domain.customer_params import INVOICE_SETTINGS_FIELDS
from pmsim.domain.messages import lookups, payment_methods
from pmsim.domain.models import PaymentMethod
from pmsim.domain.pm_types import TEST_IDS
from pmsim.engine import hints

if TYPE_CHECKING:
    from pmsim.engine.kernel import Operation

DEFAULT_PM_PARAM = "invoice_settings[default_payment_method]"


def with_default(
    op: Operation,
    customer_id: str,
    values: dict[str, Any],
    attached_now: PaymentMethod | None,
    pm_param: object,
) -> dict[str, Any]:
    """``values`` with ``invoice_settings[default_payment_method]`` checked and resolved.

    The default must already be attached to this customer; on create it may name the
    payment method attached in the same call, by its id or its test id.
    """
    settings = values.get("invoice_settings")
    if settings is None:
        return values
    settings = params.hash_of(settings, "invoice_settings", INVOICE_SETTINGS_FIELDS)
    requested = settings.get("default_payment_method")
    if requested is None or requested == "":
        return values | {"invoice_settings": settings}
    key = params.string(requested, DEFAULT_PM_PARAM)
    if attached_now is not None and key in (attached_now.id, pm_param):
        key = attached_now.id
    else:
        found = op.store.payment_methods.get(key)
        if found is None and key not in TEST_IDS:
            raise lookups.no_such_payment_method(key, param=DEFAULT_PM_PARAM)
        if found is None or found.customer != customer_id:
            error = payment_methods.default_not_attached(key)
            raise hints.not_a_default(error, op.store, found, key, customer_id)
    return values | {"invoice_settings": settings | {"default_payment_method": key}}
