"""Stripe's test US bank accounts (ACH Direct Debit) and their microdeposits, as tables
(``../shared/reference/stripe-charges-refunds-debits.md`` §4.2).

A row is an account number at Stripe's test routing number ``110000000`` with the
``pm_usBankAccount_*`` test id that names it, and what a payment from it does. Accounts are
entered by hand and verified with microdeposits; instant verification (Financial Connections)
is not simulated.

>>> ACCOUNTS_BY_NUMBER["000123456789"].name
'success'
>>> ACCOUNTS_BY_TEST_PM["pm_usBankAccount_insufficientFunds"].failure_code
'insufficient_funds'
>>> routing_number_valid("110000000"), routing_number_valid("110000001")
(True, False)
>>> MICRODEPOSITS_BY_CODE["SM11AA"].outcome is Verification.VERIFIED
True
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Final

from attrs import frozen

from pmsim.domain import params
from pmsim.domain.delays import DAY, DEBIT_SETTLES, DebitOutcome
from pmsim.domain.digests import base62_digest
from pmsim.domain.mandates import CustomerAcceptance
from pmsim.domain.messages import microdeposits as messages
from pmsim.domain.messages import parameters
from pmsim.domain.parts import UsBankAccount

#: Stripe's test routing number (STRIPE TEST BANK).
TEST_ROUTING_NUMBER: Final = "110000000"
TEST_BANK_NAME: Final = "STRIPE TEST BANK"


@frozen
class TestBankAccount:
    """One of Stripe's test US bank accounts and what a debit from it does."""

    __test__ = False  # not a pytest test class

    name: str
    account_number: str
    #: The charge's failure code when a debit fails (None: the debit succeeds).
    failure_code: str | None = None
    #: Sending the microdeposits fails: the account can never be verified.
    microdeposits_fail: bool = False
    #: A debit stays ``processing`` until canceled (Stripe's "processing" account).
    stays_processing: bool = False
    #: Radar blocks it before the bank sees it.
    blocked: bool = False

    @property
    def test_pm(self) -> str:
        return f"pm_usBankAccount_{self.name}"

    @property
    def outcome(self) -> DebitOutcome | None:
        """What the bank answers to a debit from it, a minute on (None: never, it stays
        processing). The failure messages are pmsim's: Stripe's are not recorded."""
        if self.stays_processing:
            return None
        if self.failure_code is None:
            return DebitOutcome(True, DEBIT_SETTLES)
        return DebitOutcome(False, DEBIT_SETTLES, self.failure_code, FAILURES[self.failure_code])


#: The failure messages of the failing test accounts (pmsim's words).
FAILURES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "account_closed": "The customer's bank account has been closed.",
        "highest_risk_level": "This payment was blocked by Radar as too risky.",
        "no_account": "The customer's bank account could not be located.",
        "insufficient_funds": (
            "The customer's account has insufficient funds to cover this payment."
        ),
        "debit_not_authorized": (
            "The customer has notified their bank that this payment was unauthorized."
        ),
        "invalid_currency": "The bank account cannot accept payments in this currency.",
        "charge_exceeds_weekly_limit": (
            "This payment would exceed the weekly volume limit of this account."
        ),
    }
)

_A = TestBankAccount
TEST_BANK_ACCOUNTS: Final = (
    _A("success", "000123456789"),
    _A("accountClosed", "000111111113", failure_code="account_closed"),
    _A("riskLevelHighest", "000000004954", failure_code="highest_risk_level", blocked=True),
    _A("noAccount", "000111111116", failure_code="no_account"),
    _A("insufficientFunds", "000222222227", failure_code="insufficient_funds"),
    _A("debitNotAuthorized", "000333333335", failure_code="debit_not_authorized"),
    _A("invalidCurrency", "000444444440", failure_code="invalid_currency"),
    _A("failMicrodeposits", "000666666661", microdeposits_fail=True),
    _A("dispute", "000555555559"),  # succeeds; the dispute it triggers is not simulated
    _A("processing", "000000000009", stays_processing=True),
    _A("weeklyLimitExceeded", "000777777771", failure_code="charge_exceeds_weekly_limit"),
)
ACCOUNTS_BY_NUMBER: Final[Mapping[str, TestBankAccount]] = MappingProxyType(
    {account.account_number: account for account in TEST_BANK_ACCOUNTS}
)
ACCOUNTS_BY_TEST_PM: Final[Mapping[str, TestBankAccount]] = MappingProxyType(
    {account.test_pm: account for account in TEST_BANK_ACCOUNTS}
)
#: Any other account number at a valid routing number: an ordinary account.
ORDINARY: Final = _A("ordinary", "")
#: Every row by name (a payment method's ``test_row``), the ordinary one included.
ACCOUNTS_BY_NAME: Final[Mapping[str, TestBankAccount]] = MappingProxyType(
    {account.name: account for account in (*TEST_BANK_ACCOUNTS, ORDINARY)}
)


def routing_number_valid(routing: str) -> bool:
    """Nine digits whose ABA checksum (weights 3, 7, 1) is a multiple of ten."""
    if len(routing) != 9 or not (routing.isascii() and routing.isdigit()):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(routing, (3, 7, 1) * 3, strict=True))
    return total % 10 == 0


class Verification(Enum):
    """What entering a test microdeposit value does (Stripe's testing docs)."""

    VERIFIED = "verified"
    ATTEMPTS_EXCEEDED = "attempts_exceeded"
    TIMEOUT = "timeout"


@frozen
class TestMicrodeposit:
    """A test microdeposit: the two amounts (cents) and the descriptor code that mean the
    same thing, and what entering them does."""

    __test__ = False  # not a pytest test class

    amounts: tuple[int, int]
    descriptor_code: str
    outcome: Verification


TEST_MICRODEPOSITS: Final = (
    TestMicrodeposit((32, 45), "SM11AA", Verification.VERIFIED),
    TestMicrodeposit((10, 11), "SM33CC", Verification.ATTEMPTS_EXCEEDED),
    TestMicrodeposit((40, 41), "SM44DD", Verification.TIMEOUT),
)
MICRODEPOSITS_BY_CODE: Final[Mapping[str, TestMicrodeposit]] = MappingProxyType(
    {deposit.descriptor_code: deposit for deposit in TEST_MICRODEPOSITS}
)
MICRODEPOSITS_BY_AMOUNTS: Final[Mapping[tuple[int, int], TestMicrodeposit]] = MappingProxyType(
    {deposit.amounts: deposit for deposit in TEST_MICRODEPOSITS}
)
#: Failed verification attempts allowed before the intent needs a new payment method
#: ("a limit of ten failures for descriptor-based microdeposits and three for amount-based").
ATTEMPTS: Final[Mapping[str, int]] = MappingProxyType({"descriptor_code": 10, "amounts": 3})


HOLDER_TYPES: Final = ("individual", "company")
ACCOUNT_TYPES: Final = ("checking", "savings")
FIELDS: Final = ("account_number", "routing_number", "account_holder_type", "account_type",
                 "financial_connections_account")  # fmt: skip


def account_of(
    routing: str, number: str, holder: str = "individual", kind: str = "checking"
) -> UsBankAccount:
    """What Stripe shows of an account: the last four digits, a fingerprint that is the same
    for the same account, and the test bank's name at the test routing number (None
    elsewhere: pmsim has no directory of banks)."""
    return UsBankAccount(
        account_holder_type=holder, account_type=kind,
        bank_name=TEST_BANK_NAME if routing == TEST_ROUTING_NUMBER else None,
        fingerprint=base62_digest(f"us_bank_account:{routing}:{number}", 16),
        last4=number[-4:], routing_number=routing,
    )  # fmt: skip


def from_hash(value: object) -> tuple[TestBankAccount, UsBankAccount]:
    """``us_bank_account[...]`` on create, checked: a valid routing number, an account
    number of 4 to 17 digits; the test row its number names (any other behaves as an
    ordinary account)."""
    if value is None:
        raise parameters.missing_param("us_bank_account")
    fields = params.hash_of(value, "us_bank_account", FIELDS)
    if fields.get("financial_connections_account") is not None:
        raise messages.instant_verification_not_simulated()
    for name in ("account_number", "routing_number"):
        if fields.get(name) in (None, ""):
            raise parameters.missing_param(f"us_bank_account[{name}]")
    routing = params.string(fields["routing_number"], "us_bank_account[routing_number]")
    if not routing_number_valid(routing):
        raise messages.routing_number_invalid()
    number = params.string(fields["account_number"], "us_bank_account[account_number]")
    if not (4 <= len(number) <= 17 and number.isascii() and number.isdigit()):
        raise messages.account_number_invalid()
    holder = fields.get("account_holder_type")
    holder = (
        "individual"
        if holder is None
        else params.choice(holder, "us_bank_account[account_holder_type]", HOLDER_TYPES)
    )
    kind = fields.get("account_type")
    kind = (
        "checking"
        if kind is None
        else params.choice(kind, "us_bank_account[account_type]", ACCOUNT_TYPES)
    )
    return ACCOUNTS_BY_NUMBER.get(number, ORDINARY), account_of(routing, number, holder, kind)


#: When the microdeposits arrive: pmsim's choice of one day (Stripe: "1-2 business days").
ARRIVAL: Final = DAY


@frozen
class Microdeposits:
    """The microdeposits a SetupIntent waits for the customer to read back: when they arrive,
    which kind was sent, how many wrong answers so far, and the mandate the customer accepted
    at confirmation (made once the account is verified). The deadline is ``expires_at``
    (``domain/delays.py``, ``microdeposits_expire``)."""

    sent_at: int
    expires_at: int
    acceptance: CustomerAcceptance
    kind: str = "descriptor_code"
    failures: int = 0

    def next_action(self, intent_id: str) -> dict[str, object]:
        """``next_action.verify_with_microdeposits`` as Stripe shows it."""
        return {
            "type": "verify_with_microdeposits",
            "verify_with_microdeposits": {
                "arrival_date": self.sent_at + ARRIVAL,
                "hosted_verification_url": (
                    f"https://payments.stripe.com/microdeposit/sacs_test_{intent_id}"
                ),
                "microdeposit_type": self.kind,
            },
        }
