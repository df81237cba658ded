"""Turning what a caller sends (a token, a ``pm_card_*`` id, or a raw number) into a Card.

Pure functions of their input and the simulated date: no ids, no store.

>>> card, row = from_token("tok_mastercard", today=(2024, 1))
>>> card.brand, card.last4, (card.exp_month, card.exp_year), row.name
('mastercard', '4444', (1, 2025), 'mastercard')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from pmsim.domain import errors, params
from pmsim.domain.cards import (
    CARDS_BY_NUMBER,
    CARDS_BY_TEST_PM,
    CARDS_BY_TOKEN,
    TestCard,
    luhn_valid,
)
from pmsim.domain.digests import base62_digest
from pmsim.domain.models import Card, CardChecks

#: (year, month) of the simulated clock, for expiry checks and test-card expiry dates.
YearMonth = tuple[int, int]

CARD_NUMBER_PARAMS = ("number", "exp_month", "exp_year", "cvc")
_DIGITS = re.compile(r"^\d{12,19}$")
_CVC = re.compile(r"^\d{3,4}$")


@cache
def fingerprint(row: TestCard) -> str:
    """Stripe's fingerprint: the same for every payment method made from one card number."""
    return base62_digest(f"fingerprint:{row.number or row.name}", 16)


def _card(row: TestCard, exp_month: int, exp_year: int) -> Card:
    return Card(
        brand=row.brand,
        exp_month=exp_month,
        exp_year=exp_year,
        fingerprint=fingerprint(row),
        funding=row.funding,
        last4=row.last4,
        country=row.country,
        three_d_secure_supported=row.three_d_secure_supported,
    )


def _test_expiry(today: YearMonth) -> tuple[int, int]:
    """Test tokens and ids expire this month next year (docs/fidelity.md)."""
    year, month = today
    return month, year + 1


def from_token(token: str, *, today: YearMonth) -> tuple[Card, TestCard]:
    """``card[token]=tok_visa``. A ``pm_card_*`` name here is Stripe's "Invalid token id"."""
    row = CARDS_BY_TOKEN.get(token)
    if row is None:
        raise errors.invalid_token(token)
    return _card(row, *_test_expiry(today)), row


def from_test_pm(name: str, *, today: YearMonth) -> tuple[Card, TestCard] | None:
    """The card behind a test id such as ``pm_card_visa``, or None if it is not one."""
    row = CARDS_BY_TEST_PM.get(name)
    if row is None:
        return None
    return _card(row, *_test_expiry(today)), row


def from_number(fields: Mapping[str, object], *, today: YearMonth) -> tuple[Card, TestCard]:
    """``card[number]=…&card[exp_month]=…&card[exp_year]=…&card[cvc]=…`` (§4.1, §7.2).

    Raw test numbers are accepted; any other valid number is refused as a live card
    (simulator decision (h)).
    """
    for required in ("number", "exp_month", "exp_year"):
        if fields.get(required) in (None, ""):
            raise errors.missing_param(f"card[{required}]")
    number = params.string(fields["number"], "card[number]").replace(" ", "")
    if not _DIGITS.match(number) or not luhn_valid(number):
        raise errors.incorrect_number()
    exp_month = params.integer(fields["exp_month"], "card[exp_month]")
    exp_year = params.integer(fields["exp_year"], "card[exp_year]")
    check_expiry(exp_month, exp_year, today=today)
    cvc = fields.get("cvc")
    if cvc is not None and not _CVC.match(params.string(cvc, "card[cvc]")):
        raise errors.invalid_cvc()
    row = CARDS_BY_NUMBER.get(number)
    if row is None:
        raise errors.live_card()
    if exp_year < 100:
        exp_year += 2000
    return _card(row, exp_month, exp_year), row


def check_expiry(exp_month: int, exp_year: int, *, today: YearMonth) -> None:
    """A month outside 1–12, a date in the past or over 50 years ahead is a card error."""
    if not 1 <= exp_month <= 12:
        raise errors.invalid_expiry_month()
    year = exp_year + 2000 if 0 <= exp_year < 100 else exp_year
    this_year, this_month = today
    if not this_year <= year <= this_year + 50:
        raise errors.invalid_expiry_year()
    if year == this_year and exp_month < this_month:
        raise errors.invalid_expiry_month()


@cache
def checks_on_attach(row: TestCard, cvc_given: bool, line1: bool, postal: bool) -> CardChecks:
    """The CVC and address checks run at attach: ``pass`` or the row's failure, ``None`` when
    there was nothing to check. Cached: the records are frozen, so one per outcome is enough."""
    return CardChecks(
        address_line1_check=row.line1_check if line1 else None,
        address_postal_code_check=row.postal_code_check if postal else None,
        cvc_check=row.cvc_check if cvc_given else None,
    )
