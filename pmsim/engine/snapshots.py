"""Snapshots: a simulator's whole state at one moment, kept as its own frozen records.

Records never change (each change stores a new version), so a snapshot only has to keep
references to the records that are current: taking one costs a pass over the tables and no
copying, and restoring one rebuilds the indexes. ``sim.fork()`` is a new simulator restored
from a snapshot of this one.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> cus = sim.customers.create(email="ada@example.com")
>>> before = sim.snapshot()
>>> _ = sim.customers.delete(cus.id)
>>> sim.restore(before)
>>> sim.customers.retrieve(cus.id).email
'ada@example.com'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import field, frozen

from pmsim.clock import to_timestamp
from pmsim.domain import versions
from pmsim.domain.charges import Charge
from pmsim.domain.events import Event
from pmsim.domain.mandates import Mandate
from pmsim.domain.models import Customer, PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.domain.refunds import Refund
from pmsim.domain.setup_attempts import SetupAttempt
from pmsim.domain.setup_intents import SetupIntent
from pmsim.domain.sources import CardSource
from pmsim.domain.test_clocks import TestClock
from pmsim.domain.versions import ApiVersion
from pmsim.domain.webhooks import WebhookEndpoint
from pmsim.engine.kernel import Extension, Kernel
from pmsim.ids import IdFactory
from pmsim.store import Store

#: The simulator's tables, by the name a snapshot (and a state file) gives them, with the
#: record type each holds, in the order they are restored. The one list of them: snapshots,
#: state files and their codec all read it.
TABLES: Final[Mapping[str, type]] = MappingProxyType(
    {
        "customers": Customer,
        "payment_methods": PaymentMethod,
        "setup_intents": SetupIntent,
        "setup_attempts": SetupAttempt,
        "payment_intents": PaymentIntent,
        "charges": Charge,
        "refunds": Refund,
        "mandates": Mandate,
        "test_clocks": TestClock,
        "webhook_endpoints": WebhookEndpoint,
        "sources": CardSource,
        "events": Event,
    }
)


@frozen
class Snapshot:
    """Everything a simulator holds at one moment: records in creation order, the clock,
    and how many ids were made (so a restored simulator makes the same ids next).

    Two snapshots are equal when the simulators held the same things; the outer layers'
    extensions (the API layer's request ids and idempotent responses) travel along but are
    not compared. ``to_dict()`` is the state as plain, JSON-ready Stripe data.

    >>> import pmsim
    >>> sim = pmsim.Simulator(seed=7)
    >>> _ = sim.customers.create()
    >>> sim.snapshot()
    <Snapshot seed=7 at 1704067200: 1 customers, 0 payment methods, 1 events>
    """

    seed: int
    time: int
    id_count: int
    customers: tuple[Customer, ...] = ()
    payment_methods: tuple[PaymentMethod, ...] = ()
    setup_intents: tuple[SetupIntent, ...] = ()
    payment_intents: tuple[PaymentIntent, ...] = ()
    charges: tuple[Charge, ...] = ()
    refunds: tuple[Refund, ...] = ()
    mandates: tuple[Mandate, ...] = ()
    setup_attempts: tuple[SetupAttempt, ...] = ()
    test_clocks: tuple[TestClock, ...] = ()
    webhook_endpoints: tuple[WebhookEndpoint, ...] = ()
    sources: tuple[CardSource, ...] = ()
    events: tuple[Event, ...] = ()
    #: The account's default API version.
    api_version: ApiVersion = versions.NEWEST
    #: A copy of each extension, by name.
    extensions: Mapping[str, Extension] = field(factory=dict, eq=False, repr=False)

    def __repr__(self) -> str:
        return (
            f"<Snapshot seed={self.seed} at {self.time}: {len(self.customers)} customers, "
            f"{len(self.payment_methods)} payment methods, {len(self.events)} events>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The state as plain data: each object's Stripe JSON, oldest first, with pmsim's own
        flags (a customer's ``deleted``, a payment method's lifecycle ``state``).

        >>> import pmsim
        >>> sorted(pmsim.Simulator().snapshot().to_dict())  # doctest: +NORMALIZE_WHITESPACE
        ['api_version', 'charges', 'customers', 'events', 'mandates', 'payment_intents',
         'payment_methods', 'refunds', 'setup_attempts', 'setup_intents', 'sources',
         'test_clocks', 'time', 'webhook_endpoints']
        """
        return {
            "api_version": self.api_version.name,
            "time": self.time,
            "customers": [c.to_dict() | {"deleted": c.deleted} for c in self.customers],
            "payment_methods": [
                pm.to_dict() | {"state": pm.state.value} for pm in self.payment_methods
            ],
            "setup_intents": [intent.to_dict() for intent in self.setup_intents],
            "setup_attempts": [attempt.to_dict() for attempt in self.setup_attempts],
            "payment_intents": [intent.to_dict() for intent in self.payment_intents],
            "charges": [charge.to_dict() for charge in self.charges],
            "refunds": [refund.to_dict() for refund in self.refunds],
            "mandates": [mandate.to_dict() for mandate in self.mandates],
            "test_clocks": [clock.to_dict() for clock in self.test_clocks],
            "webhook_endpoints": [endpoint.to_dict() for endpoint in self.webhook_endpoints],
            "sources": [card.to_dict() | {"deleted": card.deleted} for card in self.sources],
            "events": [event.to_dict() for event in self.events],
        }


def take(kernel: Kernel) -> Snapshot:
    """A snapshot of ``kernel`` (hold its lock: an operation must not commit halfway through)."""
    store = kernel.store
    return Snapshot(
        seed=kernel.seed,
        time=kernel.clock.now(),
        id_count=kernel.ids.checkpoint(),
        customers=tuple(map(store.customers.__getitem__, store.customer_ids())),
        payment_methods=tuple(store.payment_methods.values()),
        setup_intents=tuple(store.setup_intents.values()),
        setup_attempts=tuple(store.setup_attempts.values()),
        payment_intents=tuple(store.payment_intents.values()),
        charges=tuple(store.charges.values()),
        refunds=tuple(store.refunds.values()),
        mandates=tuple(store.mandates.values()),
        test_clocks=tuple(store.test_clocks.values()),
        webhook_endpoints=tuple(store.webhook_endpoints.values()),
        sources=tuple(store.sources.values()),
        events=tuple(store.events),
        api_version=kernel.api_version,
        extensions=MappingProxyType(_copies(kernel.extensions)),
    )


def put_back(kernel: Kernel, snapshot: Snapshot) -> None:
    """Make ``kernel`` hold exactly what ``snapshot`` holds (hold its lock). Everything is
    built and checked first and assigned last, so a snapshot that fails leaves it as it was."""
    time = to_timestamp(snapshot.time)  # ValueError for a time out of range, before any change
    store = Store()
    # In creation order, so the store's positions (and so every list's order) come back.
    records = [record for table in TABLES if table != "events"
               for record in getattr(snapshot, table)]  # fmt: skip
    store.commit(records, snapshot.events)
    ids = IdFactory(snapshot.seed)
    ids.restore(snapshot.id_count)
    # Each restore gets its own copies: the snapshot can be restored again later, unchanged.
    extensions = _copies(snapshot.extensions)
    kernel.clock.restore(time)
    kernel.seed = snapshot.seed
    kernel.api_version = snapshot.api_version
    kernel.ids = ids
    kernel.store = store
    kernel.extensions = extensions


def _copies(extensions: Mapping[str, Extension]) -> dict[str, Extension]:
    return {name: extension.copy() for name, extension in extensions.items()}
