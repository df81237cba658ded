"""The test IBAN table: every row a valid IBAN of its country, named as Stripe names it."""

from __future__ import annotations

import pytest

from pmsim.domain import ibans
from pmsim.domain.cards import unique_index

ROWS = [row for row in ibans.TEST_IBANS if row.iban]


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_every_test_iban_is_valid_and_of_its_country(row: ibans.TestIban) -> None:
    iban = str(row.iban)
    assert ibans.checked_iban(iban) == iban and ibans.mod97_valid(iban)
    assert iban[:2] == row.country and len(iban) == ibans.IBAN_LENGTHS[row.country]
    assert row.scenario in ibans.SCENARIOS and ibans.row_of(iban) is row
    assert row.test_pm == f"pm_sepaDebit_{row.scenario}_{row.country.lower()}"


def test_the_table_covers_every_scenario_for_austria_and_germany() -> None:
    for country in ("AT", "DE"):
        assert {row.scenario for row in ROWS if row.country == country} == set(ibans.SCENARIOS)
    assert ibans.row_of("IT60X0542811101000000123456") is ibans.OTHER_IBAN


def test_a_key_twice_in_a_test_table_is_refused_at_import() -> None:
    with pytest.raises(ValueError, match="'k' appears twice in TEST_IBANS"):
        unique_index([("k", 1), ("k", 2)], "TEST_IBANS")
