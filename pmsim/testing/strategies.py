"""Hypothesis strategies for property tests of your own billing code against pmsim.

Needs hypothesis (``pip install 'pmsim[hypothesis]'``); ``import pmsim`` and
``import pmsim.testing`` never load it. Every value is one the simulator accepts; cards come
from pmsim's test-card catalogue (``pmsim.domain.cards.TEST_CARDS``).

>>> import pmsim
>>> from hypothesis import given, settings
>>> from pmsim.testing import strategies
>>> @settings(max_examples=10)
... @given(strategies.customers(), strategies.card_params(behaviour="attaches"))
... def test_signup(params, card):
...     sim = pmsim.Simulator()
...     customer = sim.customers.create(**params)
...     pm = sim.payment_methods.create(type="card", card=card)
...     assert sim.payment_methods.attach(pm.id, customer=customer.id).customer == customer.id
>>> test_signup()
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, TypeVar

from pmsim.clock import DEFAULT_START
from pmsim.domain.cards import CARDS_BY_TOKEN, TEST_CARDS, TestCard
from pmsim.domain.customer_params import ADDRESS_FIELDS, TAX_EXEMPT
from pmsim.domain.errors import PmsimUsageError
from pmsim.domain.payment_intents import ON_SESSION_AUTHENTICATION
from pmsim.testing.actions import (
    AdvanceClock,
    Attach,
    CreateCustomer,
    CreatePaymentMethod,
    DeleteCustomer,
    Detach,
    LifecycleAction,
    Outcome,
    SetDefault,
    apply_actions,
)

try:
    from hypothesis import strategies as st
except ImportError as err:  # an optional dependency: say how to get it
    raise PmsimUsageError(
        "pmsim.testing.strategies needs hypothesis: pip install 'pmsim[hypothesis]'"
    ) from err

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy


__all__ = [  # the action records are re-exported: strategies and actions go together
    "BEHAVIOURS", "AdvanceClock", "Attach", "Behaviour", "CreateCustomer", "CreatePaymentMethod",
    "DeleteCustomer", "Detach", "LifecycleAction", "Outcome", "SetDefault", "apply_actions",
    "card_params", "cards_that", "customers", "lifecycle_actions", "test_cards",
    "test_payment_method_ids",
]  # fmt: skip

F = TypeVar("F", bound=Callable[..., Any])

#: The simulator's default start year: raw card numbers expire 1 to 10 years after it.
DEFAULT_YEAR: Final = datetime.fromtimestamp(DEFAULT_START, UTC).year


class Behaviour(StrEnum):
    """What a test card does, by the catalogue; ``BEHAVIOURS`` holds the test for each.

    >>> Behaviour("declines_on_attach") is Behaviour.DECLINES_ON_ATTACH
    True
    """

    ATTACHES = "attaches"  # a bare attach (or a SetupIntent without 3-D Secure) succeeds
    SUCCEEDS = "succeeds"  # attaches, and payments succeed with no 3-D Secure step
    DECLINES_ON_ATTACH = "declines_on_attach"  # 402 card_error at attach
    DECLINES_ON_CHARGE = "declines_on_charge"  # attaches, but payments decline
    NEEDS_AUTHENTICATION = "needs_authentication"  # on-session payments ask for 3-D Secure


#: Which catalogue rows show each behaviour.
BEHAVIOURS: Final[Mapping[Behaviour, Callable[[TestCard], bool]]] = MappingProxyType({
    Behaviour.ATTACHES: lambda card: card.attach_decline is None,
    Behaviour.SUCCEEDS: lambda card: (
        card.attach_decline is None and card.charge_decline is None
        and card.authentication not in ON_SESSION_AUTHENTICATION
    ),
    Behaviour.DECLINES_ON_ATTACH: lambda card: card.attach_decline is not None,
    Behaviour.DECLINES_ON_CHARGE: lambda card: (
        card.attach_decline is None and card.charge_decline is not None
    ),
    Behaviour.NEEDS_AUTHENTICATION: lambda card: card.authentication in ON_SESSION_AUTHENTICATION,
})  # fmt: skip


def cards_that(behaviour: Behaviour | str | None) -> tuple[TestCard, ...]:
    """The catalogue rows with this behaviour (every row for None), in catalogue order.

    >>> [card.name for card in cards_that("declines_on_attach")][:3]
    ['generic_decline', 'insufficient_funds', 'debit_insufficient_funds']
    """
    if behaviour is None:
        return TEST_CARDS
    try:
        test = BEHAVIOURS[Behaviour(behaviour)]
    except ValueError:
        raise PmsimUsageError(
            f"behaviour={behaviour!r} is not one pmsim knows; use one of "
            + ", ".join(repr(known.value) for known in Behaviour)
        ) from None
    return tuple(card for card in TEST_CARDS if test(card))


def _not_a_test(function: F) -> F:
    """Users import these into their test files, where pytest collects ``test_*`` names."""
    function.__test__ = False  # type: ignore[attr-defined]
    return function


@_not_a_test
def test_cards(behaviour: Behaviour | str | None = None) -> SearchStrategy[TestCard]:
    """Rows of the test-card catalogue, all or those with one behaviour.

    ``incorrect_cvc`` declines only when a CVC is sent (tokens and test ids count as sent).

    >>> import pmsim
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(test_cards(behaviour=Behaviour.DECLINES_ON_ATTACH))
    ... def check(card):
    ...     assert card.attach_decline is not None
    >>> check()
    """
    return st.sampled_from(cards_that(behaviour))


def card_params(
    behaviour: Behaviour | str | None = None, *, year: int = DEFAULT_YEAR
) -> SearchStrategy[dict[str, Any]]:
    """``card=`` for ``sim.payment_methods.create(type="card", card=...)``: a test token, or
    a test card's raw number with an expiry 1 to 10 years after ``year`` (pass a later year
    for a simulator that starts later) and, mostly, a CVC.

    >>> import pmsim
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(card_params())
    ... def check(card):
    ...     assert pmsim.Simulator().payment_methods.create(type="card", card=card).card.last4
    >>> check()
    """
    return test_cards(behaviour).flatmap(partial(_card_forms, year=year))


def _card_forms(card: TestCard, *, year: int) -> SearchStrategy[dict[str, Any]]:
    forms: list[SearchStrategy[dict[str, Any]]] = []
    if card.tokens:
        forms.append(st.sampled_from(card.tokens).map(lambda token: {"token": token}))
    if card.number is not None:
        number = card.number
        spaced = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
        cvc = st.text("0123456789", min_size=4 if card.brand == "amex" else 3, max_size=4)
        fields = {
            "number": st.sampled_from([number, spaced]),
            "exp_month": st.integers(1, 12),
            "exp_year": st.integers(year + 1, year + 10).flatmap(_year_forms),
        }
        # This card declines only when a CVC is sent (Stripe checks no CVC it is not given),
        # so it always gets one.
        always = card.attach_decline is not None and card.attach_decline.code == "incorrect_cvc"
        required, optional = (fields | {"cvc": cvc}, {}) if always else (fields, {"cvc": cvc})
        forms.append(st.fixed_dictionaries(required, optional=optional))
    return st.one_of(forms)


def _year_forms(year: int) -> SearchStrategy[int | str]:
    # 2030, 30 and "2030" all work, but two digits always mean 20xx: 2105 is not 5.
    two_digits = [year % 100] if 2000 <= year <= 2099 else []
    return st.sampled_from([year, *two_digits, str(year)])


@_not_a_test
def test_payment_method_ids(behaviour: Behaviour | str | None = None) -> SearchStrategy[str]:
    """Test ids such as ``pm_card_visa``, for ``payment_methods.attach``, intents and
    ``customers.create(payment_method=...)`` (``payment_methods.create`` takes tokens).

    >>> import pmsim
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(test_payment_method_ids("succeeds"))
    ... def check(test_id):
    ...     sim = pmsim.Simulator()
    ...     sim.payment_methods.attach(test_id, customer=sim.customers.create().id)
    >>> check()
    """
    return st.sampled_from([pm for card in cards_that(behaviour) for pm in card.test_pms])


_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
_METADATA_KEYS = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="[]"), min_size=1, max_size=40
)
_COUNTRIES = ("US", "GB", "DE", "FR", "IE", "JP", "AU", "BR")
_LOCALES = ("en", "en-US", "fr", "de", "es", "ja")


def customers() -> SearchStrategy[dict[str, Any]]:
    """Keyword arguments for ``sim.customers.create``: any mix of email, name, phone,
    description, address, metadata, balance, preferred locales and tax status.

    >>> import pmsim
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(customers())
    ... def check(params):
    ...     assert pmsim.Simulator().customers.create(**params).id.startswith("cus_")
    >>> check()
    """
    address = st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(ADDRESS_FIELDS, _TEXT) | {"country": st.sampled_from(_COUNTRIES)},
    )
    return st.fixed_dictionaries(
        {},
        optional={
            "email": st.emails(),
            "name": _TEXT,
            "phone": st.from_regex(r"\+[1-9][0-9]{7,13}", fullmatch=True),
            "description": _TEXT,
            "address": address,
            "metadata": st.dictionaries(_METADATA_KEYS, _TEXT, max_size=5),
            "balance": st.integers(-100_000, 100_000),
            "preferred_locales": st.lists(st.sampled_from(_LOCALES), max_size=3, unique=True),
            "tax_exempt": st.sampled_from(TAX_EXEMPT),
        },
    )


# --- sequences of lifecycle actions (the records live in pmsim.testing.actions) ---------------

_POSITIONS = st.integers(0, 5)


def lifecycle_actions(*, max_size: int = 20) -> SearchStrategy[list[LifecycleAction]]:
    """Lists of lifecycle actions for ``apply_actions``: customers, cards (some declining),
    attaches (some to another customer's card), detaches, defaults, deletes, time passing.

    >>> import pmsim
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=10)
    ... @given(lifecycle_actions())
    ... def check(actions):
    ...     assert len(apply_actions(pmsim.Simulator(), actions)) == len(actions)
    >>> check()
    """
    test_ids = test_payment_method_ids()
    action: SearchStrategy[LifecycleAction] = st.one_of(
        st.builds(
            CreateCustomer, email=st.none() | st.emails(), payment_method=st.none() | test_ids
        ),
        st.builds(CreatePaymentMethod, token=st.sampled_from(tuple(CARDS_BY_TOKEN))),
        st.builds(Attach, payment_method=_POSITIONS | test_ids, customer=_POSITIONS),
        st.builds(Detach, payment_method=_POSITIONS),
        st.builds(SetDefault, customer=_POSITIONS, payment_method=st.none() | _POSITIONS),
        st.builds(DeleteCustomer, customer=_POSITIONS),
        st.builds(AdvanceClock, days=st.integers(1, 400)),
    )
    return st.lists(action, max_size=max_size)
