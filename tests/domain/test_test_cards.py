"""The test-card table: well-formed rows and the lookups built from it."""

from __future__ import annotations

import pytest

from pmsim.domain import cards
from pmsim.domain.card_input import fingerprint


def test_every_number_passes_luhn_and_every_row_has_four_digits() -> None:
    for row in cards.TEST_CARDS:
        if row.number:
            assert cards.luhn_valid(row.number), row.name
        assert len(row.last4) == 4 and row.last4.isdigit(), row.name


def test_names_ids_and_tokens_follow_stripes_conventions() -> None:
    for row in cards.TEST_CARDS:
        assert all(pm.startswith("pm_card_") for pm in row.test_pms), row.name
        assert all(tok.startswith("tok_") for tok in row.tokens), row.name
        assert row.number or row.tokens or row.test_pms, row.name


def test_the_reference_catalogue_is_present() -> None:
    for pm in (
        "pm_card_visa", "pm_card_visa_debit", "pm_card_mastercard", "pm_card_amex",
        "pm_card_discover", "pm_card_diners", "pm_card_jcb", "pm_card_unionpay",
        "pm_card_visa_chargeDeclined", "pm_card_chargeCustomerFail",
        "pm_card_authenticationRequired", "pm_card_threeDSecure2Required", "pm_card_radarBlock",
    ):  # fmt: skip
        assert pm in cards.CARDS_BY_TEST_PM
    for token in ("tok_visa", "tok_visa_chargeDeclinedFraudulent", "tok_chargeCustomerFail"):
        assert token in cards.CARDS_BY_TOKEN


@pytest.mark.parametrize(
    ("pm", "code", "decline_code"),
    [
        ("pm_card_visa_chargeDeclined", "card_declined", "generic_decline"),
        ("pm_card_visa_chargeDeclinedInsufficientFunds", "card_declined", "insufficient_funds"),
        ("pm_card_visa_chargeDeclinedLostCard", "card_declined", "lost_card"),
        ("pm_card_visa_chargeDeclinedStolenCard", "card_declined", "stolen_card"),
        ("pm_card_chargeDeclinedExpiredCard", "expired_card", "expired_card"),
        ("pm_card_chargeDeclinedIncorrectCvc", "incorrect_cvc", "incorrect_cvc"),
        ("pm_card_chargeDeclinedProcessingError", "processing_error", "processing_error"),
        ("pm_card_visa_chargeDeclinedVelocityLimitExceeded", "card_declined",
         "card_velocity_exceeded"),
    ],
)  # fmt: skip
def test_decline_cards_carry_their_codes(pm: str, code: str, decline_code: str) -> None:
    decline = cards.CARDS_BY_TEST_PM[pm].attach_decline
    assert decline is not None
    assert (decline.code, decline.decline_code) == (code, decline_code)


def test_cards_that_fail_charges_still_attach() -> None:
    row = cards.CARDS_BY_TEST_PM["pm_card_chargeCustomerFail"]
    assert row.attach_decline is None and row.charge_decline is not None


def test_fingerprint_is_per_card_number() -> None:
    visa = cards.CARDS_BY_TOKEN["tok_visa"]
    assert fingerprint(visa) == fingerprint(cards.CARDS_BY_NUMBER["4242424242424242"])
    assert fingerprint(visa) != fingerprint(cards.CARDS_BY_TOKEN["tok_mastercard"])
    assert len(fingerprint(visa)) == 16
