"""Stripe's test cards as one data table, and how each one behaves.

A row is a card number (or, for the few token-only cards, a name) with every way Stripe lets
you name it: the raw number, ``pm_card_*`` test ids and ``tok_*`` tokens. Behaviour is data
too: what happens at attach, at a charge, and whether 3-D Secure is needed.

>>> CARDS_BY_TEST_PM["pm_card_visa"].last4
'4242'
>>> CARDS_BY_TOKEN["tok_visa_chargeDeclined"].attach_decline.decline_code
'generic_decline'
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Final, TypeVar

from attrs import frozen

from pmsim.domain.messages.payment_methods import (  # how the test cards decline
    EXPIRED,
    FRAUD,
    GENERIC,
    INCORRECT_CVC,
    INSUFFICIENT_FUNDS,
    LOST,
    PROCESSING,
    STOLEN,
    VELOCITY,
    Decline,
)


class Authentication(Enum):
    """What 3-D Secure asks of a card; used by SetupIntents and PaymentIntents."""

    SUPPORTED = "supported"  # 3DS supported, not enrolled: proceeds without a challenge
    NOT_SUPPORTED = "not_supported"
    OPTIONAL = "optional"
    REQUIRED = "required"  # on every transaction
    REQUIRED_ON_SETUP = "required_on_setup"  # until set up for future payments
    SETUP_FOR_OFF_SESSION = "setup_for_off_session"  # already set up: off-session succeeds


@frozen(cache_hash=True)  # a key of the caches that make cards: hashed once, not per call
class TestCard:
    """One of Stripe's test cards and everything pmsim knows about it."""

    __test__ = False  # not a pytest test class

    name: str
    number: str | None
    brand: str
    funding: str = "credit"
    country: str = "US"
    test_pms: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    attach_decline: Decline | None = None  # cannot be attached
    charge_decline: Decline | None = None  # attaches, but charges fail
    authentication: Authentication = Authentication.SUPPORTED
    cvc_check: str = "pass"  # the CVC check's result when a CVC is given
    line1_check: str = "pass"  # the address checks' results when an address is given
    postal_code_check: str = "pass"
    last4_override: str | None = None  # token-only cards have no number to take it from

    @property
    def last4(self) -> str:
        return self.last4_override or (self.number or "")[-4:]

    @property
    def three_d_secure_supported(self) -> bool:
        return self.authentication is not Authentication.NOT_SUPPORTED


_A = Authentication
_C = TestCard

#: Every test card pmsim knows. Numbers, ``pm_card_*`` ids and tokens are from Stripe's
#: testing docs (https://docs.stripe.com/testing).
TEST_CARDS: Final[tuple[TestCard, ...]] = (
    # cards that succeed
    _C("visa", "4242424242424242", "visa", test_pms=("pm_card_visa",), tokens=("tok_visa",)),
    _C("visa_debit", "4000056655665556", "visa", "debit",
       test_pms=("pm_card_visa_debit",), tokens=("tok_visa_debit",)),
    _C("mastercard", "5555555555554444", "mastercard",
       test_pms=("pm_card_mastercard",), tokens=("tok_mastercard",)),
    _C("mastercard_debit", "5200828282828210", "mastercard", "debit",
       test_pms=("pm_card_mastercard_debit",), tokens=("tok_mastercard_debit",)),
    _C("mastercard_prepaid", "5105105105105100", "mastercard", "prepaid",
       test_pms=("pm_card_mastercard_prepaid",), tokens=("tok_mastercard_prepaid",)),
    _C("amex", "378282246310005", "amex", authentication=_A.NOT_SUPPORTED,
       test_pms=("pm_card_amex", "pm_card_amex_threeDSecureNotSupported"),
       tokens=("tok_amex",)),
    _C("discover", "6011111111111117", "discover",
       test_pms=("pm_card_discover",), tokens=("tok_discover",)),
    _C("diners", "3056930009020004", "diners",
       test_pms=("pm_card_diners",), tokens=("tok_diners",)),
    _C("jcb", "3566002020360505", "jcb", country="JP",
       test_pms=("pm_card_jcb",), tokens=("tok_jcb",)),
    _C("unionpay", "6200000000000005", "unionpay", country="CN",
       test_pms=("pm_card_unionpay",), tokens=("tok_unionpay",)),
    _C("mastercard_2series", "2223003122003222", "mastercard"),
    _C("amex_2", "371449635398431", "amex", authentication=_A.NOT_SUPPORTED),
    _C("discover_2", "6011000990139424", "discover"),
    _C("discover_debit", "6011981111111113", "discover", "debit"),
    _C("diners_14", "36227206271667", "diners"),
    _C("bccard_dinacard", "6555900000604105", "discover"),
    _C("unionpay_debit", "6200000000000047", "unionpay", "debit", country="CN"),
    _C("unionpay_19", "6205500000000000004", "unionpay", country="CN"),
    # declines: created fine, refused at attach
    _C("generic_decline", "4000000000000002", "visa", attach_decline=GENERIC,
       test_pms=("pm_card_visa_chargeDeclined",), tokens=("tok_visa_chargeDeclined",)),
    _C("insufficient_funds", "4000000000009995", "visa", attach_decline=INSUFFICIENT_FUNDS,
       test_pms=("pm_card_visa_chargeDeclinedInsufficientFunds",),
       tokens=("tok_visa_chargeDeclinedInsufficientFunds",)),
    _C("debit_insufficient_funds", None, "visa", "debit", attach_decline=INSUFFICIENT_FUNDS,
       tokens=("tok_visa_debit_chargeDeclinedInsufficientFunds",), last4_override="9995"),
    _C("lost_card", "4000000000009987", "visa", attach_decline=LOST,
       test_pms=("pm_card_visa_chargeDeclinedLostCard",),
       tokens=("tok_visa_chargeDeclinedLostCard",)),
    _C("stolen_card", "4000000000009979", "visa", attach_decline=STOLEN,
       test_pms=("pm_card_visa_chargeDeclinedStolenCard",),
       tokens=("tok_visa_chargeDeclinedStolenCard",)),
    _C("expired_card", "4000000000000069", "visa", attach_decline=EXPIRED,
       test_pms=("pm_card_chargeDeclinedExpiredCard",),
       tokens=("tok_chargeDeclinedExpiredCard", "tok_visa_chargeDeclinedExpiredCard")),
    _C("incorrect_cvc", "4000000000000127", "visa", attach_decline=INCORRECT_CVC,
       cvc_check="fail", test_pms=("pm_card_chargeDeclinedIncorrectCvc",),
       tokens=("tok_chargeDeclinedIncorrectCvc", "tok_visa_chargeDeclinedIncorrectCvc")),
    _C("processing_error", "4000000000000119", "visa", attach_decline=PROCESSING,
       test_pms=("pm_card_chargeDeclinedProcessingError",),
       tokens=("tok_chargeDeclinedProcessingError", "tok_visa_chargeDeclinedProcessingError")),
    _C("velocity_limit", "4000000000006975", "visa", attach_decline=VELOCITY,
       test_pms=("pm_card_visa_chargeDeclinedVelocityLimitExceeded",),
       tokens=("tok_visa_chargeDeclinedVelocityLimitExceeded",)),
    # "expired_card (sic, as documented)" for the fraudulent token, in the testing docs
    _C("fraudulent", None, "visa", attach_decline=EXPIRED,
       tokens=("tok_visa_chargeDeclinedFraudulent",), last4_override="0019"),
    # attach, then charges fail
    _C("charge_customer_fail", "4000000000000341", "visa", charge_decline=GENERIC,
       test_pms=("pm_card_chargeCustomerFail",),
       tokens=("tok_chargeCustomerFail", "tok_visa_chargeCustomerFail")),
    _C("charge_customer_fail_lost", None, "visa", charge_decline=LOST,
       tokens=("tok_visa_chargeCustomerFailLostCard",), last4_override="9987"),
    _C("charge_customer_fail_stolen", None, "visa", charge_decline=STOLEN,
       tokens=("tok_visa_chargeCustomerFailStolenCard",), last4_override="9979"),
    # 3-D Secure and authentication
    _C("authentication_required_on_setup", "4000002500003155", "visa",
       authentication=_A.REQUIRED_ON_SETUP, test_pms=("pm_card_authenticationRequiredOnSetup",)),
    _C("authentication_required", "4000002760003184", "visa",
       authentication=_A.REQUIRED, test_pms=("pm_card_authenticationRequired",)),
    _C("authentication_setup_for_off_session", "4000003800000446", "visa",
       authentication=_A.SETUP_FOR_OFF_SESSION,
       test_pms=("pm_card_authenticationRequiredSetupForOffSession",)),
    _C("authentication_required_insufficient_funds", "4000008260003178", "visa",
       authentication=_A.REQUIRED, charge_decline=INSUFFICIENT_FUNDS,
       test_pms=("pm_card_authenticationRequiredChargeDeclinedInsufficientFunds",)),
    _C("three_d_secure_2_required", "4000000000003220", "visa",
       authentication=_A.REQUIRED, test_pms=("pm_card_threeDSecure2Required",)),
    _C("three_d_secure_required_declined", "4000008400001629", "visa",
       authentication=_A.REQUIRED, charge_decline=GENERIC,
       test_pms=("pm_card_threeDSecureRequiredChargeDeclined",)),
    _C("three_d_secure_required_processing_error", "4000008400001280", "visa",
       authentication=_A.REQUIRED, charge_decline=GENERIC,
       test_pms=("pm_card_threeDSecureRequiredProcessingError",)),
    _C("three_d_secure_optional", "4000000000003055", "visa",
       authentication=_A.OPTIONAL, test_pms=("pm_card_threeDSecureOptional",)),
    _C("three_d_secure_optional_processing_error", "4000000000003097", "visa",
       authentication=_A.OPTIONAL, charge_decline=PROCESSING,
       test_pms=("pm_card_threeDSecureOptionalProcessingError",)),
    # Radar: blocks happen at a charge, never at attach (docs/fidelity.md)
    _C("radar_block", "4100000000000019", "visa", charge_decline=FRAUD,
       test_pms=("pm_card_radarBlock",), tokens=("tok_radarBlock",)),
    _C("risk_level_highest", "4000000000004954", "visa", charge_decline=FRAUD,
       test_pms=("pm_card_riskLevelHighest",), tokens=("tok_riskLevelHighest",)),
    _C("risk_level_elevated", "4000000000009235", "visa",
       test_pms=("pm_card_riskLevelElevated",), tokens=("tok_riskLevelElevated",)),
    _C("cvc_check_fail", "4000000000000101", "visa", cvc_check="fail",
       test_pms=("pm_card_cvcCheckFail",), tokens=("tok_cvcCheckFail",)),
    _C("avs_zip_fail", "4000000000000036", "visa", postal_code_check="fail",
       test_pms=("pm_card_avsZipFail",), tokens=("tok_avsZipFail",)),
    _C("avs_line1_fail", "4000000000000028", "visa", line1_check="fail",
       test_pms=("pm_card_avsLine1Fail",), tokens=("tok_avsLine1Fail",)),
    _C("avs_fail", "4000000000000010", "visa", line1_check="fail", postal_code_check="fail",
       test_pms=("pm_card_avsFail",), tokens=("tok_avsFail",)),
    _C("avs_unchecked", "4000000000000044", "visa", line1_check="unavailable",
       postal_code_check="unavailable",
       test_pms=("pm_card_avsUnchecked",), tokens=("tok_avsUnchecked",)),
    # disputes and refunds: they attach and charge like any card here
    _C("create_dispute", "4000000000000259", "visa",
       test_pms=("pm_card_createDispute",), tokens=("tok_createDispute",)),
    _C("create_dispute_product_not_received", "4000000000002685", "visa",
       test_pms=("pm_card_createDisputeProductNotReceived",),
       tokens=("tok_createDisputeProductNotReceived",)),
    _C("create_dispute_inquiry", "4000000000001976", "visa",
       test_pms=("pm_card_createDisputeInquiry",), tokens=("tok_createDisputeInquiry",)),
    _C("pending_refund", "4000000000007726", "visa",
       test_pms=("pm_card_pendingRefund",), tokens=("tok_pendingRefund",)),
    _C("refund_fail", "4000000000005126", "visa",
       test_pms=("pm_card_refundFail",), tokens=("tok_refundFail",)),
    _C("bypass_pending", "4000000000000077", "visa",
       test_pms=("pm_card_bypassPending",), tokens=("tok_bypassPending",)),
)  # fmt: skip


Row = TypeVar("Row")


def unique_index(pairs: list[tuple[str, Row]], table: str) -> Mapping[str, Row]:
    """A test table's rows by a key (number, test id, token, name), each key once."""
    index: dict[str, Row] = {}
    for key, row in pairs:
        if key in index:
            raise ValueError(f"test key {key!r} appears twice in {table}")
        index[key] = row
    return MappingProxyType(index)


def _index(pairs: list[tuple[str, TestCard]]) -> Mapping[str, TestCard]:
    return unique_index(pairs, "TEST_CARDS")


CARDS_BY_NUMBER: Final = _index([(c.number, c) for c in TEST_CARDS if c.number])
CARDS_BY_TEST_PM: Final = _index([(pm, c) for c in TEST_CARDS for pm in c.test_pms])
CARDS_BY_TOKEN: Final = _index([(tok, c) for c in TEST_CARDS for tok in c.tokens])
CARDS_BY_NAME: Final = _index([(c.name, c) for c in TEST_CARDS])


def luhn_valid(number: str) -> bool:
    """Whether ``number`` passes the Luhn checksum every card number carries.

    >>> luhn_valid("4242424242424242"), luhn_valid("4242424242424241")
    (True, False)
    """
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
