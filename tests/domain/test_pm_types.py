"""The table of payment method types: each type is a row, a details record and a field."""

from __future__ import annotations

import attrs
import pytest

from pmsim.domain import pm_params, pm_types
from pmsim.domain.charges import Charge
from pmsim.domain.models import PaymentMethod


@pytest.mark.parametrize("kind", pm_types.TYPES)
def test_each_type_is_a_field_of_payment_methods_and_charges(kind: str) -> None:
    """A payment method (and a charge) keeps a type's details under the type's name."""
    assert kind in attrs.fields_dict(PaymentMethod)
    assert kind in attrs.fields_dict(Charge)
    assert attrs.fields_dict(PaymentMethod)[kind].default is None


@pytest.mark.parametrize("key", sorted(pm_types.TEST_IDS))
def test_every_test_id_makes_its_type_from_one_of_its_rows(key: str) -> None:
    new = pm_types.from_test_id(key, today=(2024, 1))
    assert new is not None
    kind = pm_types.TEST_IDS[key]
    assert new.type == kind.name and pm_types.known_row(kind.name, new.test_row)
    assert new.details.label  # every type's details say themselves in words


def test_no_test_id_belongs_to_two_types() -> None:
    assert sum(len(kind.test_ids) for kind in pm_types.TYPES.values()) == len(pm_types.TEST_IDS)


def test_the_types_create_accepts_are_the_tables() -> None:
    assert tuple(pm_types.TYPES) == pm_params.SIMULATED_TYPES
    assert not pm_types.known_row("paypal", "visa")
