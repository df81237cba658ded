"""Turning what a caller sends (a token, a ``pm_card_*`` id, or a raw number) into a Card.

Pure functions of their input and the simulated date: no ids, no store.

>>> new = from_token("tok_mastercard", today=(2024, 1))
>>> new.card.brand, new.card.last4, (new.card.exp_month, new.card.exp_year), new.row.name
('mastercard', '4444', (1, 2025), 'mastercard')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache

from attrs import frozen

from pmsim.domain import params
from pmsim.domain.cards import (
    CARDS_BY_NUMBER,
    CARDS_BY_TEST_PM,
    CARDS_BY_TOKEN,
    TestCard,
    luhn_valid,
)
from pmsim.domain.digests import base62_digest
from pmsim.domain.messages import parameters, payment_methods
from pmsim.domain.parts import Card, CardChecks

#: (year, month) of the simulated clock, for expiry checks and test-card expiry dates.
YearMonth = tuple[int, int]

CARD_NUMBER_PARAMS = ("number", "exp_month", "exp_year", "cvc")
_DIGITS = re.compile(r"[0-9]{12,19}")
_CVC = re.compile(r"[0-9]{3,4}")
_UNCHECKED = CardChecks(cvc_check="unchecked")
_NOT_CHECKED = CardChecks()


@frozen
class NewCard:
    """A card as a caller described it: what Stripe shows, its test-card row, and whether a
    CVC came with it (which decides the CVC check)."""

    card: Card
    row: TestCard
    cvc_given: bool


@cache
def fingerprint(row: TestCard) -> str:
    """Stripe's fingerprint: the same for every payment method made from one card number."""
    return _fingerprint(row.number or row.name)


@cache  # one digest per test card, looked up by its text (hashing a whole row costs more)
def _fingerprint(number_or_name: str) -> str:
    return base62_digest(f"fingerprint:{number_or_name}", 16)


def _new_card(row: TestCard, exp_month: int, exp_year: int, *, cvc_given: bool) -> NewCard:
    return NewCard(card_of(row, exp_month, exp_year, cvc_given), row, cvc_given)


@lru_cache(maxsize=1024)  # frozen, and a test suite makes the same few cards over and over
def card_of(row: TestCard, exp_month: int, exp_year: int, cvc_given: bool) -> Card:
    """What Stripe shows of the test card ``row`` with this expiry."""
    return Card(
        row.brand,
        exp_month,
        exp_year,
        fingerprint(row),
        row.funding,
        row.last4,
        row.country,
        # A CVC is checked when the card is attached; until then Stripe says "unchecked".
        _UNCHECKED if cvc_given else _NOT_CHECKED,
        row.three_d_secure_supported,
    )


def test_expiry(today: YearMonth) -> tuple[int, int]:
    """Test tokens and ids expire this month next year (docs/fidelity.md)."""
    year, month = today
    return month, year + 1


def from_token(token: str, *, today: YearMonth) -> NewCard:
    """``card[token]=tok_visa``. A ``pm_card_*`` name here is Stripe's "Invalid token id".

    Test tokens stand for cards entered with a CVC (docs/fidelity.md).
    """
    row = CARDS_BY_TOKEN.get(token)
    if row is None:
        raise payment_methods.invalid_token(token)
    return _new_card(row, *test_expiry(today), cvc_given=True)


def from_test_pm(name: str, *, today: YearMonth) -> NewCard | None:
    """The card behind a test id such as ``pm_card_visa``, or None if it is not one."""
    row = CARDS_BY_TEST_PM.get(name)
    if row is None:
        return None
    return _new_card(row, *test_expiry(today), cvc_given=True)


def from_number(fields: Mapping[str, object], *, today: YearMonth) -> NewCard:
    """``card[number]=…&card[exp_month]=…&card[exp_year]=…&card[cvc]=…``.

    Raw test numbers are accepted; any other valid number is refused as a live card
    (docs/fidelity.md, 'Test cards').
    """
    for required in ("number", "exp_month", "exp_year"):
        if fields.get(required) in (None, ""):
            raise parameters.missing_param(f"card[{required}]")
    number = params.string(fields["number"], "card[number]").replace(" ", "")
    if not _DIGITS.fullmatch(number) or not luhn_valid(number):
        raise payment_methods.incorrect_number()
    exp_month = params.integer(fields["exp_month"], "card[exp_month]")
    exp_year = check_expiry(
        exp_month, params.integer(fields["exp_year"], "card[exp_year]"), today=today
    )
    cvc = fields.get("cvc")
    cvc_given = cvc not in (None, "")
    if cvc_given and not _CVC.fullmatch(params.string(cvc, "card[cvc]")):
        raise payment_methods.invalid_cvc()
    row = CARDS_BY_NUMBER.get(number)
    if row is None:
        raise payment_methods.live_card()
    return _new_card(row, exp_month, exp_year, cvc_given=cvc_given)


def from_hash(value: object, *, today: YearMonth) -> NewCard:
    """``card`` on create: ``card[token]=tok_…`` or ``card[number]`` with its expiry and CVC,
    never both."""
    if value is None:
        raise parameters.missing_param("card")
    fields = params.hash_of(value, "card", ("token", *CARD_NUMBER_PARAMS))
    if "token" not in fields:
        return from_number(fields, today=today)
    # A token stands alone: card details beside it are parameters the token variant lacks.
    for detail in CARD_NUMBER_PARAMS:
        if detail in fields:
            raise parameters.unknown_parameter(f"card[{detail}]")
    return from_token(params.string(fields["token"], "card[token]"), today=today)


def check_expiry(exp_month: int, exp_year: int, *, today: YearMonth) -> int:
    """The four-digit expiry year (two-digit years mean 20xx), or a card error for a month
    outside 1–12, a date in the past, or a year over 50 years ahead.

    >>> check_expiry(12, 30, today=(2024, 1))
    2030
    """
    if not 1 <= exp_month <= 12:
        raise payment_methods.invalid_expiry_month()
    year = exp_year + 2000 if 0 <= exp_year < 100 else exp_year
    this_year, this_month = today
    if not this_year <= year <= this_year + 50:
        raise payment_methods.invalid_expiry_year()
    if year == this_year and exp_month < this_month:
        raise payment_methods.invalid_expiry_month()
    return year


@cache
def checks_on_attach(row: TestCard, cvc_given: bool, line1: bool, postal: bool) -> CardChecks:
    """The CVC and address checks run at attach: ``pass`` or the row's failure, ``None`` when
    there was nothing to check. Cached: the records are frozen, so one per outcome is enough."""
    return CardChecks(
        address_line1_check=row.line1_check if line1 else None,
        address_postal_code_check=row.postal_code_check if postal else None,
        cvc_check=row.cvc_check if cvc_given else None,
    )
