"""Amounts and currencies as PaymentIntents take them: the smallest unit, within Stripe's limits.

pmsim knows the currencies in :data:`MINIMUMS` (Stripe's minimum charge for each, in the
smallest unit); any other three-letter code is refused as Stripe refuses an unknown one.

>>> checked_amount("1099", "amount"), checked_currency("USD")
(1099, 'usd')
>>> checked_amount(10, "amount", currency="usd")
Traceback (most recent call last):
pmsim.domain.errors.InvalidRequestError: Amount must be at least $0.50 usd
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain import params
from pmsim.domain.messages import parameters

#: Stripe's minimum charge amounts (docs: "Minimum and maximum charge amounts"), smallest unit.
MINIMUMS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "usd": 50, "aud": 50, "brl": 50, "cad": 50, "chf": 50, "dkk": 250, "eur": 50,
        "gbp": 30, "hkd": 400, "jpy": 50, "mxn": 1000, "nok": 300, "nzd": 50, "pln": 200,
        "sek": 300, "sgd": 50,
    }
)  # fmt: skip
ZERO_DECIMAL: Final = frozenset({"jpy"})
SYMBOLS: Final[Mapping[str, str]] = MappingProxyType(
    {"usd": "$", "aud": "$", "cad": "$", "nzd": "$", "sgd": "$", "hkd": "$", "mxn": "$",
     "eur": "€", "gbp": "£", "jpy": "¥"}
)  # fmt: skip
MAXIMUM = 99_999_999  # Stripe: amounts up to eight digits


def checked_currency(value: object) -> str:
    """A currency pmsim knows, lower-cased as Stripe returns it."""
    code = params.string(value, "currency").lower()
    if code not in MINIMUMS:
        raise parameters.unknown_currency(code, MINIMUMS)
    return code


def checked_amount(value: object, param: str, *, currency: str | None = None) -> int:
    """A positive integer amount within Stripe's limits for ``currency``."""
    amount = params.integer(value, param)
    minimum = MINIMUMS.get(currency or "", 1)
    if amount < minimum:
        raise parameters.amount_too_small(
            param, _money(minimum, currency or "usd"), currency or "usd"
        )
    if amount > MAXIMUM:
        raise parameters.amount_too_large(param, _money(MAXIMUM, currency or "usd"))
    return amount


def money(amount: int, currency: str) -> str:
    """An amount as Stripe writes money in messages.

    >>> money(501, "gbp"), money(1500, "jpy")
    ('£5.01', '¥1,500')
    """
    return _money(amount, currency)


def _money(amount: int, currency: str) -> str:
    symbol = SYMBOLS.get(currency, "")
    if currency in ZERO_DECIMAL:
        return f"{symbol}{amount:,}"
    return f"{symbol}{amount / 100:,.2f}"
