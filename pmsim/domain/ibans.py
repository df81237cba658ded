"""IBANs: Stripe's test IBANs as one data table, and the checks a SEPA account number passes.

A row is a test IBAN (and its ``pm_sepaDebit_<scenario>_<cc>`` test id) with the scenario
that decides what a debit from it does: whether it succeeds, after which delay, and with
which failure code (``../shared/reference/stripe-charges-refunds-debits.md`` §4.1.4).

>>> IBANS_BY_TEST_PM["pm_sepaDebit_failed_de"].iban
'DE62370400440532013001'
>>> SCENARIOS["insufficientFunds"].failure_code
'insufficient_funds'
>>> sepa_debit_of(checked_iban("at61 1904 3002 3457 3201")).bank_code
'19043'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from attrs import frozen

from pmsim.domain import delays
from pmsim.domain.cards import unique_index
from pmsim.domain.delays import DebitOutcome
from pmsim.domain.digests import base62_digest
from pmsim.domain.messages import bank_debits as messages
from pmsim.domain.parts import SepaDebit

_NOW, _LATER = delays.DEBIT_SETTLES, delays.DEBIT_SETTLES_LATE

#: Stripe's test scenarios, the same in every country (https://docs.stripe.com/testing).
#: The plain failures have no failure code: a recorded failed test debit's charge had
#: ``failure_code: null``. The failure messages are pmsim's: Stripe's are not recorded.
SCENARIOS: Final[Mapping[str, DebitOutcome]] = MappingProxyType(
    {
        "success": DebitOutcome(True, _NOW),
        "successDelayed": DebitOutcome(True, _LATER),
        "failed": DebitOutcome(False, _NOW),
        "failedDelayed": DebitOutcome(False, _LATER),
        "disputed": DebitOutcome(True, _NOW),  # succeeds; the dispute is not simulated
        "exceedsWeeklyVolumeLimit": DebitOutcome(
            False, _NOW, "charge_exceeds_source_limit",
            "This payment would exceed the weekly volume limit of this bank account.",
        ),
        "exceedsWeeklyTransactionLimit": DebitOutcome(
            False, _NOW, "charge_exceeds_weekly_limit",
            "This payment would exceed the weekly transaction limit of this bank account.",
        ),
        "insufficientFunds": DebitOutcome(
            False, _NOW, "insufficient_funds",
            "The customer's account has insufficient funds to cover this payment.",
        ),
    }
)  # fmt: skip


@frozen
class TestIban:
    """One of Stripe's test IBANs and the scenario it plays."""

    __test__ = False  # not a pytest test class

    scenario: str
    country: str
    iban: str | None  # None: any other valid IBAN

    @property
    def name(self) -> str:
        return f"{self.scenario}_{self.country.lower()}" if self.iban else "other_iban"

    @property
    def test_pm(self) -> str | None:
        return f"pm_sepaDebit_{self.name}" if self.iban else None

    @property
    def outcome(self) -> DebitOutcome:
        return SCENARIOS[self.scenario]


_T = TestIban

#: Every test IBAN pmsim knows (Stripe's testing docs: every scenario for AT and DE, success
#: and failure for five more countries), and the row any other valid IBAN plays: a success.
TEST_IBANS: Final[tuple[TestIban, ...]] = (
    _T("success", "AT", "AT611904300234573201"),
    _T("successDelayed", "AT", "AT321904300235473204"),
    _T("failed", "AT", "AT861904300235473202"),
    _T("failedDelayed", "AT", "AT051904300235473205"),
    _T("disputed", "AT", "AT591904300235473203"),
    _T("exceedsWeeklyVolumeLimit", "AT", "AT981904300000343434"),
    _T("exceedsWeeklyTransactionLimit", "AT", "AT601904300000121212"),
    _T("insufficientFunds", "AT", "AT981904300002222227"),
    _T("success", "DE", "DE89370400440532013000"),
    _T("successDelayed", "DE", "DE08370400440532013003"),
    _T("failed", "DE", "DE62370400440532013001"),
    _T("failedDelayed", "DE", "DE78370400440532013004"),
    _T("disputed", "DE", "DE35370400440532013002"),
    _T("exceedsWeeklyVolumeLimit", "DE", "DE65370400440000343434"),
    _T("exceedsWeeklyTransactionLimit", "DE", "DE27370400440000121212"),
    _T("insufficientFunds", "DE", "DE65370400440002222227"),
    _T("success", "BE", "BE62510007547061"),
    _T("failed", "BE", "BE68539007547034"),
    _T("success", "FR", "FR1420041010050500013M02606"),
    _T("failed", "FR", "FR8420041010050500013M02607"),
    _T("success", "NL", "NL39RABO0300065264"),
    _T("failed", "NL", "NL91ABNA0417164300"),
    _T("success", "ES", "ES0700120345030000067890"),
    _T("failed", "ES", "ES9121000418450200051332"),
    _T("success", "IE", "IE29AIBK93115212345678"),
    _T("failed", "IE", "IE02AIBK93115212345679"),
    _T("success", "", None),
)


def _index(pairs: list[tuple[str, TestIban]]) -> Mapping[str, TestIban]:
    return unique_index(pairs, "TEST_IBANS")


IBANS_BY_NUMBER: Final = _index([(row.iban, row) for row in TEST_IBANS if row.iban])
IBANS_BY_TEST_PM: Final = _index([(row.test_pm, row) for row in TEST_IBANS if row.test_pm])
IBANS_BY_NAME: Final = _index([(row.name, row) for row in TEST_IBANS])
OTHER_IBAN: Final = IBANS_BY_NAME["other_iban"]

#: How long an IBAN is in each country that takes part in SEPA (the IBAN registry).
IBAN_LENGTHS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
        "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27,
        "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20,
        "LV": 21, "MC": 27, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
        "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
    }
)  # fmt: skip

#: Where the bank code and the branch code sit in the account part (after the first four
#: characters), per country, as the IBAN registry lays them out; elsewhere pmsim shows none.
BANK_CODES: Final[Mapping[str, tuple[slice, slice | None]]] = MappingProxyType(
    {
        "AT": (slice(0, 5), None),
        "BE": (slice(0, 3), None),
        "DE": (slice(0, 8), None),
        "ES": (slice(0, 4), slice(4, 8)),
        "FR": (slice(0, 5), slice(5, 10)),
        "GB": (slice(0, 4), slice(4, 10)),
        "IE": (slice(0, 4), slice(4, 10)),
        "IT": (slice(1, 6), slice(6, 11)),
        "LU": (slice(0, 3), None),
        "NL": (slice(0, 4), None),
        "PT": (slice(0, 4), slice(4, 8)),
    }
)

_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+")


def checked_iban(value: str) -> str:
    """``value`` as an IBAN (spaces dropped, capitals), or Stripe's refusal: a country that
    does not take part in SEPA, the wrong length, or a failed mod-97 check."""
    iban = value.replace(" ", "").upper()
    if len(iban) < 2 or not iban[:2].isalpha():
        raise messages.invalid_iban()
    if iban[:2] not in IBAN_LENGTHS:
        raise messages.iban_country_not_supported(iban[:2])
    if len(iban) != IBAN_LENGTHS[iban[:2]] or not _SHAPE.fullmatch(iban) or not mod97_valid(iban):
        raise messages.invalid_iban()
    return iban


def mod97_valid(iban: str) -> bool:
    """The IBAN check (ISO 13616): the first four characters moved to the end, letters as
    numbers (A = 10 … Z = 35), leave 1 when divided by 97.

    >>> mod97_valid("DE89370400440532013000"), mod97_valid("DE89370400440532013001")
    (True, False)
    """
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def sepa_debit_of(iban: str) -> SepaDebit:
    """What Stripe shows of a (checked) IBAN: never the IBAN itself."""
    country, account = iban[:2], iban[4:]
    bank, branch = BANK_CODES.get(country, (None, None))
    return SepaDebit(
        bank_code=None if bank is None else account[bank],
        branch_code=None if branch is None else account[branch],
        country=country,
        fingerprint=base62_digest(f"fingerprint:{iban}", 16),
        last4=iban[-4:],
    )


def row_of(iban: str) -> TestIban:
    """The test row a (checked) IBAN plays: its own, or a success for any other IBAN."""
    return IBANS_BY_NUMBER.get(iban, OTHER_IBAN)
