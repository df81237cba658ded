"""Realistic populations for experiments: many customers with names, emails, addresses and a
mix of test cards, made through the simulator's public API so that every rule holds.

Needs the ``populate`` extra (``pip install 'pmsim[populate]'``): faker for the people, tqdm
for the progress bar. Both are imported when ``populate`` runs, never by ``import pmsim``.

>>> import pmsim
>>> from pmsim.testing import populate
>>> sim = pmsim.Simulator(seed=3)
>>> population = populate(sim, customers=50)
>>> first = sim.customers.retrieve(population.customer_ids[0])
>>> first.name, first.email, first.address.city
('Edward Johnson', 'edwardjohnson@hotmail.com', 'Danielland')
>>> population.outcomes["attached"], population.outcomes["card_declined/generic_decline"]
(71, 2)
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from collections import Counter
from collections.abc import Callable, Mapping
from difflib import get_close_matches
from itertools import accumulate
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Final, TypeVar

from attrs import frozen

from pmsim.domain.cards import CARDS_BY_NAME, TestCard
from pmsim.domain.errors import PmsimUsageError, StripeError
from pmsim.testing.emails import Emails
from pmsim.testing.population import Population, Tally, failure_reason
from pmsim.types import AddressParams, BillingDetailsParams, CardParams

if TYPE_CHECKING:
    from faker import Faker

    from pmsim.engine import Simulator

T = TypeVar("T")
INSTALL_HINT: Final = "pip install 'pmsim[populate]'"
#: Faker takes 5-150 µs a value, too slow for 100,000 customers, so each field is drawn this
#: many times once and the seeded ``random.Random`` combines them: 500 first names times 500
#: last names give 250,000 names.
POOL_SIZE: Final = 500
PHONE_SHARE: Final = 0.6  # customers who give a phone number
TOKEN_SHARE: Final = 0.7  # cards sent as a token (as Stripe.js does) rather than a raw number
ATTACHED: Final = "attached"  # the outcome of an attach that succeeded

#: How often each test card is tried, by its name in ``pmsim.domain.cards.TEST_CARDS``: mostly
#: cards that attach, in rough market shares; 4.4 % decline at attach, 2 % ask for 3-D Secure,
#: 1 % attach but decline payments.
DEFAULT_CARDS: Final[Mapping[str, float]] = MappingProxyType({
    "visa": 44.0, "mastercard": 24.0, "amex": 10.0, "visa_debit": 6.0,
    "mastercard_debit": 3.0, "discover": 3.0, "mastercard_prepaid": 1.0, "jcb": 0.5,
    "unionpay": 0.5, "diners": 0.5,
    "authentication_required_on_setup": 1.5, "three_d_secure_2_required": 0.5,
    "charge_customer_fail": 1.0,
    "generic_decline": 1.2, "insufficient_funds": 1.2, "expired_card": 0.8,
    "incorrect_cvc": 0.4, "lost_card": 0.2, "stolen_card": 0.2, "processing_error": 0.2,
    "velocity_limit": 0.1, "fraudulent": 0.1,
})  # fmt: skip


def _require(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError as err:
        top = module.partition(".")[0]
        raise PmsimUsageError(
            f"pmsim.testing.populate needs {top}, which is not installed: {INSTALL_HINT} "
            "(faker makes the people, tqdm draws the progress bar)"
        ) from err


def _progress_bar(total: int) -> Any:
    # tqdm.auto draws a widget in a notebook, but without ipywidgets it warns and falls back
    # to tqdm.std; choosing tqdm.std ourselves gives the same text bar without the warning.
    module = "tqdm.auto" if importlib.util.find_spec("ipywidgets") else "tqdm.std"
    return _require(module).tqdm(total=total, desc="populate", unit=" customers")


@frozen
class _Pools:
    """Values drawn once from the seeded Faker, for the seeded Random to combine."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    streets: tuple[str, ...]
    places: tuple[tuple[str, str | None, str], ...]  # city, state, postal code
    phones: tuple[str, ...]
    domains: tuple[str, ...]
    country: str

    @classmethod
    def draw(cls, fake: Faker, size: int) -> _Pools:
        # Not every locale has state abbreviations; a missing state is left out.
        state = getattr(fake, "state_abbr", lambda: None)
        return cls(
            tuple(fake.first_name() for _ in range(size)),
            tuple(fake.last_name() for _ in range(size)),
            tuple(fake.street_address() for _ in range(size)),
            tuple((fake.city(), state(), fake.postcode()) for _ in range(size)),
            tuple(fake.phone_number() for _ in range(size)),
            tuple(sorted({fake.free_email_domain() for _ in range(20)})),
            fake.current_country_code(),
        )


def _card_table(weights: Mapping[str, float]) -> tuple[tuple[TestCard, ...], list[float]]:
    """The test cards to draw from and their cumulative weights, for ``Random.choices``."""
    unknown = [name for name in weights if name not in CARDS_BY_NAME]
    if unknown:
        close = get_close_matches(unknown[0], CARDS_BY_NAME, n=3)
        raise PmsimUsageError(
            f"cards={{{unknown[0]!r}: ...}} is not a test card name"
            + (f"; did you mean {', '.join(close)}?" if close else "")
            + " The names are those of pmsim.domain.cards.TEST_CARDS."
        )
    if not weights or min(weights.values()) < 0 or sum(weights.values()) <= 0:
        raise PmsimUsageError("cards= needs at least one test card with a positive weight")
    return tuple(CARDS_BY_NAME[name] for name in weights), list(accumulate(weights.values()))


class _Populator:
    """Makes customers one by one, drawing every choice from the seeded Random, and keeps
    what it made and each attach outcome."""

    def __init__(
        self, sim: Simulator, rng: random.Random, pools: _Pools, cards: Mapping[str, float],
        count: tuple[int, int], default_share: float,
    ) -> None:  # fmt: skip
        self.sim, self.rng, self.pools, self.count = sim, rng, pools, count
        self.rows, self.cumulative = _card_table(cards)
        self.default_share, self.year = default_share, sim.clock.datetime().year
        self.emails = Emails(rng, pools.domains)
        self.customer_ids: list[str] = []
        self.attached: list[str] = []
        self.declined: list[str] = []
        self.defaults = 0
        self.tally: Counter[str] = Counter()

    def customer(self) -> None:
        """A customer signs up with their first card (mostly making it the default); the other
        cards are attached later. A declined card is counted and the customer signs up without
        it; then the next card that attaches becomes the default instead."""
        sim, rng = self.sim, self.rng
        person, billing = self.person()
        count, wants_default = rng.randint(*self.count), rng.random() < self.default_share
        create_pm = sim.payment_methods.create
        # Cards drawn from the catalogue are valid input: failing to create one is a bug to
        # see, not an outcome to count.
        pm_ids = [
            create_pm(type="card", card=self.card(), billing_details=billing).id
            for _ in range(count)
        ]
        default = pm_ids[0] if pm_ids and wants_default else None
        customer = None
        if pm_ids:
            settings = None if default is None else {"default_payment_method": default}
            customer = self.attach(
                pm_ids[0], sim.customers.create, **person,
                payment_method=pm_ids[0], invoice_settings=settings,
            )  # fmt: skip
        if customer is None:
            default, customer = None, sim.customers.create(**person)
        for pm_id in pm_ids[1:]:
            attached = self.attach(pm_id, sim.payment_methods.attach, pm_id, customer=customer.id)
            if attached is not None and wants_default and default is None:
                default = pm_id
                sim.customers.update(
                    customer.id, invoice_settings={"default_payment_method": default}
                )
        self.customer_ids.append(customer.id)
        self.defaults += default is not None

    def attach(self, pm_id: str, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``call`` attaches ``pm_id``: count its outcome. A refusal changes nothing, so the
        population carries on without that card."""
        try:
            result = call(*args, **kwargs)
        except StripeError as err:
            self.tally[failure_reason(err)] += 1
            self.declined.append(pm_id)
            return None
        self.tally[ATTACHED] += 1
        self.attached.append(pm_id)
        return result

    def person(self) -> tuple[dict[str, Any], BillingDetailsParams]:
        """``customers.create`` parameters, and the billing details a card form would send."""
        rng, pools = self.rng, self.pools
        first, last = rng.choice(pools.first), rng.choice(pools.last)
        city, state, postal_code = rng.choice(pools.places)
        name, email = f"{first} {last}", self.emails.make(first, last)
        address = {
            "line1": rng.choice(pools.streets), "city": city, "state": state,
            "postal_code": postal_code, "country": pools.country,
        }  # fmt: skip
        person = {"name": name, "email": email, "address": address}
        if rng.random() < PHONE_SHARE:
            person["phone"] = rng.choice(pools.phones)
        # What Stripe's card element collects besides the card: the postal code and country.
        where: AddressParams = {"postal_code": postal_code, "country": pools.country}
        return person, {"name": name, "email": email, "address": where}

    def card(self) -> CardParams:
        """``card=`` for ``payment_methods.create``: a token, or the raw number with expiry."""
        rng = self.rng
        row = rng.choices(self.rows, cum_weights=self.cumulative)[0]
        if row.number is None or (row.tokens and rng.random() < TOKEN_SHARE):
            return {"token": row.tokens[0]}
        return {
            "number": row.number, "exp_month": rng.randint(1, 12),
            "exp_year": self.year + rng.randint(1, 6),
            "cvc": "1234" if row.brand == "amex" else "123",
        }  # fmt: skip


def populate(
    sim: Simulator,
    customers: int = 100,
    *,
    seed: int | None = None,
    payment_methods: int | tuple[int, int] = (1, 2),
    with_default: float = 0.8,
    cards: Mapping[str, float] = DEFAULT_CARDS,
    locale: str = "en_US",
    progress: bool | None = None,
    progress_threshold: int = 10_000,
) -> Population:
    """Add ``customers`` realistic customers to ``sim``, each trying some test cards.

    Args:
        sim: The simulator to fill; everything goes through its public API.
        customers: How many customers to make.
        seed: Chooses the people and cards; by default the simulator's seed. The same seed,
            simulator and faker version give the same population, byte for byte.
        payment_methods: Cards each customer tries: a count, or a ``(fewest, most)`` range.
        with_default: The share of customers who make a card their default.
        cards: Weights by test-card name (``pmsim.domain.cards.TEST_CARDS``); by default
            ``DEFAULT_CARDS``, which includes cards that decline at attach.
        locale: Faker's locale for names, addresses and phone numbers.
        progress: Show a progress bar on stderr (a widget in notebooks with ipywidgets);
            ``None`` shows one when ``customers >= progress_threshold``.

    Declines and other refusals are counted by reason in ``outcomes``, not raised.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> populate(sim, 10, cards={"lost_card": 1}, payment_methods=1).outcomes
    Tally({'card_declined/lost_card': 10})
    """
    low, high = (payment_methods,) * 2 if isinstance(payment_methods, int) else payment_methods
    if customers < 0 or not 0 <= low <= high or not 0 <= with_default <= 1:
        raise PmsimUsageError(
            f"populate(customers={customers}, payment_methods={payment_methods!r}, "
            f"with_default={with_default}): give 0 or more customers, a count or a (fewest, "
            "most) pair of cards each, and a share between 0 and 1 for with_default"
        )
    seed = sim.seed if seed is None else seed
    fake = _require("faker").Faker(locale)
    fake.seed_instance(seed)
    pools = _Pools.draw(fake, min(customers, POOL_SIZE))
    run = _Populator(sim, random.Random(seed), pools, cards, (low, high), with_default)
    show = customers >= progress_threshold if progress is None else progress
    bar = _progress_bar(customers) if show else None
    try:
        for _ in range(customers):
            run.customer()
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return Population(
        seed, tuple(run.customer_ids), tuple(run.attached), tuple(run.declined), run.defaults,
        Tally(run.tally),
    )  # fmt: skip
