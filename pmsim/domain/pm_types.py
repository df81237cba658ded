"""The payment method types pmsim simulates, as one table: how each is made from what a
caller sends or from a test id, and which test table decides how it behaves.

Adding a type is a row here, its details record (``domain/parts.py``, in the ``Details``
union) and a field of the type's name on ``PaymentMethod`` (and ``Charge``). What a type does
at a payment or a setup lives with the engine's payments (``engine/payments.py``).

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

from pmsim.domain import card_input, ibans, params, us_bank_accounts
from pmsim.domain.card_input import NewCard, YearMonth
from pmsim.domain.cards import CARDS_BY_NAME, CARDS_BY_TEST_PM
from pmsim.domain.delays import DebitOutcome
from pmsim.domain.ibans import TestIban
from pmsim.domain.messages import parameters
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
    #: The currencies a payment with it can be in (None: any).
    currencies: tuple[str, ...] | None = None
    #: Whether a payment with it can be authorized now and captured later.
    manual_capture: bool = True
    #: Whether a payment with it can be canceled while it is processing.
    cancels_while_processing: bool = False
    #: A bank debit's answer by its test row (None: the bank never answers); None for a
    #: type that is not a bank debit.
    debit_outcome: Callable[[str], DebitOutcome | None] | None = None


def _card(new: NewCard) -> NewMethod:
    return NewMethod("card", new.card, new.row.name, new.cvc_given)


def _card_from_test_id(key: str, today: YearMonth) -> NewMethod:
    row = CARDS_BY_TEST_PM[key]  # made without a NewCard: attaching a test id is hot
    card = card_input.card_of(row, *card_input.test_expiry(today), True)
    return NewMethod("card", card, row.name, True)  # test ids stand for a card with its CVC


def _card_from_params(value: object, today: YearMonth) -> NewMethod:
    return _card(card_input.from_hash(value, today=today))


def _sepa_debit(row: TestIban, iban: str) -> NewMethod:
    return NewMethod("sepa_debit", ibans.sepa_debit_of(iban), row.name)


def _sepa_debit_from_test_id(key: str, today: YearMonth) -> NewMethod:
    row = ibans.IBANS_BY_TEST_PM[key]
    return _sepa_debit(row, str(row.iban))


def _sepa_debit_from_params(value: object, today: YearMonth) -> NewMethod:
    """``sepa_debit[iban]``: a valid IBAN of a SEPA country, a test one or any other."""
    if value is None:
        raise parameters.missing_param("sepa_debit")
    fields = params.hash_of(value, "sepa_debit", ("iban",))
    if fields.get("iban") in (None, ""):
        raise parameters.missing_param("sepa_debit[iban]")
    iban = ibans.checked_iban(params.string(fields["iban"], "sepa_debit[iban]"))
    return _sepa_debit(ibans.row_of(iban), iban)


def _us_bank_account_from_test_id(key: str, today: YearMonth) -> NewMethod:
    row = us_bank_accounts.ACCOUNTS_BY_TEST_PM[key]
    account = us_bank_accounts.account_of(us_bank_accounts.TEST_ROUTING_NUMBER, row.account_number)
    return NewMethod("us_bank_account", account, row.name)


def _us_bank_account_from_params(value: object, today: YearMonth) -> NewMethod:
    row, account = us_bank_accounts.from_hash(value)
    return NewMethod("us_bank_account", account, row.name)


#: Every type pmsim simulates, by Stripe's name for it.
TYPES: Final[Mapping[str, MethodType]] = MappingProxyType(
    {
        "card": MethodType(
            "card", CARDS_BY_NAME, CARDS_BY_TEST_PM, _card_from_test_id, _card_from_params
        ),
        # SEPA Direct Debit: "Supported currencies: eur", "Manual capture support: No", and
        # "Including the account holder's name ... is required" (Stripe's SEPA docs).
        "sepa_debit": MethodType(
            "sepa_debit",
            ibans.IBANS_BY_NAME,
            ibans.IBANS_BY_TEST_PM,
            _sepa_debit_from_test_id,
            _sepa_debit_from_params,
            needs_name=True,
            currencies=("eur",),
            manual_capture=False,
            debit_outcome=lambda row: ibans.IBANS_BY_NAME[row].outcome,
        ),
        # ACH Direct Debit: "Including the account holder's name in the billing_details
        # parameter is required", usd only, no manual capture (Stripe's ACH docs).
        "us_bank_account": MethodType(
            "us_bank_account",
            us_bank_accounts.ACCOUNTS_BY_NAME,
            us_bank_accounts.ACCOUNTS_BY_TEST_PM,
            _us_bank_account_from_test_id,
            _us_bank_account_from_params,
            needs_name=True,
            currencies=("usd",),
            manual_capture=False,
            cancels_while_processing=True,
            debit_outcome=lambda row: us_bank_accounts.ACCOUNTS_BY_NAME[row].outcome,
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
