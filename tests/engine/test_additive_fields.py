"""Fields Stripe added after 2023-08-16 are in every version, as Stripe adds them (issue 14):
a card's ``display_brand`` and ``regulated_status``, ``customer_account`` and the intents'
``excluded_payment_method_types`` and ``payment_method_configuration_details``."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain import versions
from pmsim.domain.cards import TEST_CARDS
from pmsim.domain.parts import DISPLAY_BRANDS
from pmsim.domain.version_shapes import render

EVERY_BRAND = sorted({card.brand for card in TEST_CARDS})


@pytest.mark.parametrize("brand", EVERY_BRAND)
def test_every_test_card_brand_has_a_display_brand_from_stripes_list(brand: str) -> None:
    stripes = {"american_express", "cartes_bancaires", "diners_club", "discover",
               "eftpos_australia", "interac", "jcb", "mastercard", "union_pay", "visa"}  # fmt: skip
    assert DISPLAY_BRANDS[brand] in stripes


@pytest.mark.parametrize("version", [versions.OLDEST, versions.NEWEST])
def test_the_added_fields_are_in_the_oldest_and_the_newest_version(
    version: versions.ApiVersion,
) -> None:
    sim = pmsim.Simulator()
    pm = render(sim.payment_methods.create(type="card", card={"token": "tok_amex"}).to_dict(),
                version)  # fmt: skip
    assert pm["card"]["display_brand"] == "american_express"
    assert pm["card"]["regulated_status"] is None
    assert pm["customer_account"] is None
    for intent in (sim.payment_intents.create(amount=500, currency="usd"),
                   sim.setup_intents.create()):  # fmt: skip
        shown = render(intent.to_dict(), version)
        assert shown["excluded_payment_method_types"] is None
        assert shown["payment_method_configuration_details"] is None
        assert shown["automatic_payment_methods"] == {"allow_redirects": "always", "enabled": True}
