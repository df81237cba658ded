"""The payment method types pmsim simulates, as one table: how each is made from what a
caller sends or from a test id, and which test table decides how it behaves.

Adding a type is a row here, its details record (``domain/parts.py``, in the ``Details``
union) and a field of the type's name on ``PaymentMethod`` (and ``Charge``). What a type does
at a payment lives with the engine's payments (``engine/payments.py``).

>>> new = from_test_id("pm_card_visa", today=(2024, 1))
>>> new.type, new.details.last4, new.test_row
('card', '4242', 'visa')
>>> from_test_id("pm_nothing", today=(2024, 1)) is None
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from attrs import frozen

from pmsim.domain import card_input
from pmsim.domain.card_input import NewCard, YearMonth
from pmsim.domain.cards import CARDS_BY_NAME, CARDS_BY_TEST_PM
from pmsim.domain.parts import Details


@frozen
class NewMethod:
    """A payment method as a caller described it, before it has an id: its type, that type's
    details, the test row that decides how it behaves, and whether a CVC came with it."""

    type: str
    details: Details
    test_row: str
    cvc_given: bool = False


@frozen
class MethodType:
    """One payment method type pmsim simulates."""

    name: str
    #: Its test table by row name: what ``PaymentMethod.test_row`` names.
    rows: Mapping[str, object]
    #: Its test ids (``pm_card_visa``): each use makes a new payment method of the type.
    test_ids: Mapping[str, object]
    #: A new payment method of this type for one of its test ids.
    from_test_id: Callable[[str, YearMonth], NewMethod]
    #: A new payment method of this type from create's hash of the type's name.
    from_params: Callable[[object, YearMonth], NewMethod]
    #: Whether create needs ``billing_details[name]`` (a bank account holder's name).
    needs_name: bool = False


def _card(new: NewCard) -> NewMethod:
    return NewMethod("card", new.card, new.row.name, new.cvc_given)


def _card_from_test_id(key: str, today: YearMonth) -> NewMethod:
    row = CARDS_BY_TEST_PM[key]  # made without a NewCard: attaching a test id is hot
    card = card_input.card_of(row, *card_input.test_expiry(today), True)
    return NewMethod("card", card, row.name, True)  # test ids stand for a card with its CVC


def _card_from_params(value: object, today: YearMonth) -> NewMethod:
    return _card(card_input.from_hash(value, today=today))


#: Every type pmsim simulates, by Stripe's name for it.
TYPES: Final[Mapping[str, MethodType]] = MappingProxyType(
    {
        "card": MethodType(
            "card", CARDS_BY_NAME, CARDS_BY_TEST_PM, _card_from_test_id, _card_from_params
        ),
    }
)

#: Every test id of every type, to the type it makes.
TEST_IDS: Final[Mapping[str, MethodType]] = MappingProxyType(
    {key: kind for kind in TYPES.values() for key in kind.test_ids}
)


def from_test_id(key: str, *, today: YearMonth) -> NewMethod | None:
    """The new payment method a test id such as ``pm_card_visa`` stands for, or None if
    ``key`` is not a test id."""
    kind = TEST_IDS.get(key)
    return None if kind is None else kind.from_test_id(key, today)


def known_row(pm_type: str, test_row: str) -> bool:
    """Whether ``test_row`` is a row of the test table of ``pm_type`` (a type pmsim knows)."""
    kind = TYPES.get(pm_type)
    return kind is not None and test_row in kind.rows
