"""What a confirmation does with each type of payment method: one table for PaymentIntents,
and the checks every type meets first (the intent's ``payment_method_types``, the type's
currencies and capture methods, ``mandate_data``'s shape).

Cards are charged at once (``engine/charging.py``: declines, 3-D Secure); bank debits are
submitted and answered later (``engine/bank_debits.py``).

>>> sorted(PAYMENTS)
['card', 'sepa_debit', 'us_bank_account']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from pmsim.domain import errors
from pmsim.domain.mandates import Given
from pmsim.domain.messages import bank_debits as messages
from pmsim.domain.models import PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent, PaymentStatus
from pmsim.domain.pm_types import TYPES
from pmsim.engine import bank_debits, charging, hints, mandates, microdeposits
from pmsim.engine import intents as shared

if TYPE_CHECKING:
    from pmsim.engine.kernel import Operation
    from pmsim.store import Store

Outcome = tuple[PaymentIntent, errors.StripeError | None]
#: A type's payment: the operation, the intent, its payment method, whether the customer is
#: away (``off_session``) and the mandate the confirmation brought, if any.
Pay = Callable[["Operation", PaymentIntent, PaymentMethod, bool, Given], Outcome]


def _card(
    op: Operation, intent: PaymentIntent, pm: PaymentMethod, off_session: bool,
    given: Given,
) -> Outcome:  # fmt: skip
    """A card payment (a bank debit's mandate means nothing to a card, so it is not used)."""
    return charging.confirm(op, intent, pm, off_session=off_session)


#: Each type's payment, by Stripe's name for the type.
PAYMENTS: Final[Mapping[str, Pay]] = MappingProxyType(
    {"card": _card, "sepa_debit": bank_debits.pay, "us_bank_account": microdeposits.pay}
)


def confirm(
    op: Operation,
    intent: PaymentIntent,
    pm: PaymentMethod,
    off_session: bool,
    mandate_data: object,
    mandate: object = None,
) -> Outcome:
    """Pay ``intent`` with ``pm`` (the customer away: ``off_session``) once the type's own
    rules allow it, under the mandate ``mandate_data`` describes or ``mandate`` names."""
    shared.check_type(intent, pm, "PaymentIntent")
    kind = TYPES[pm.type]
    if kind.currencies is not None and intent.currency not in kind.currencies:
        error = messages.currency_not_supported(intent.currency, pm.type, kind.currencies)
        raise hints.explain(
            error,
            "debit.currency",
            pm=hints.named(op.store, pm),
            currencies=", ".join(kind.currencies),
        )
    if intent.captures(pm.type) == "manual" and not kind.manual_capture:
        error = messages.manual_capture_not_supported(pm.type)
        raise hints.explain(error, "debit.manual_capture", pm=hints.named(op.store, pm))
    given = mandates.given(op.store, pm, op.now, mandate_data, mandate)
    return PAYMENTS[pm.type](op, intent, pm, off_session, given)


def check_currency(types: tuple[str, ...], currency: str) -> None:
    """Every type a PaymentIntent lists can pay in its currency (Stripe refuses the intent
    at create otherwise)."""
    for name in types:
        allowed = TYPES[name].currencies
        if allowed is not None and currency not in allowed:
            raise messages.currency_not_supported(currency, name, allowed)


def cancelable(store: Store, intent: PaymentIntent) -> bool:
    """Whether the type of a processing payment lets it be canceled (Stripe: only a US bank
    account's, none here); every other status is the table's to decide."""
    if intent.status is not PaymentStatus.PROCESSING or intent.payment_method is None:
        return True
    return TYPES[store.payment_methods[intent.payment_method].type].cancels_while_processing
