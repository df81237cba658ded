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
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable

from attrs import field, frozen

from pmsim.clock import to_timestamp
from pmsim.domain.events import Event
from pmsim.domain.models import Customer, PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.domain.setup_intents import SetupIntent
from pmsim.domain.test_clocks import TestClock
from pmsim.domain.webhooks import WebhookEndpoint
from pmsim.ids import IdFactory
from pmsim.store import Store

if TYPE_CHECKING:
    from pmsim.engine.simulator import Simulator


#: The simulator's tables, by the name a snapshot (and a state file) gives them, with the
#: record type each holds, in the order they are restored. The one list of them: snapshots,
#: state files and their codec all read it.
TABLES: Final[Mapping[str, type]] = MappingProxyType(
    {
        "customers": Customer,
        "payment_methods": PaymentMethod,
        "setup_intents": SetupIntent,
        "payment_intents": PaymentIntent,
        "test_clocks": TestClock,
        "webhook_endpoints": WebhookEndpoint,
        "events": Event,
    }
)


@runtime_checkable
class Copyable(Protocol):
    """What the API layer's per-simulator memory offers so snapshots can keep it
    (the engine never looks inside it)."""

    def copy(self) -> Copyable: ...


@frozen
class Snapshot:
    """Everything a simulator holds at one moment: records in creation order, the clock,
    and how many ids were made (so a restored simulator makes the same ids next).

    Two snapshots are equal when the simulators held the same things; the API layer's memory
    (request ids, idempotent responses) travels along in memory but is not compared and is
    not saved to files. ``to_dict()`` is the state as plain, JSON-ready Stripe data.

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
    test_clocks: tuple[TestClock, ...] = ()
    webhook_endpoints: tuple[WebhookEndpoint, ...] = ()
    events: tuple[Event, ...] = ()
    api_state: Copyable | None = field(default=None, eq=False, repr=False)

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
        ['customers', 'events', 'payment_intents', 'payment_methods', 'setup_intents',
         'test_clocks', 'time', 'webhook_endpoints']
        """
        return {
            "time": self.time,
            "customers": [c.to_dict() | {"deleted": c.deleted} for c in self.customers],
            "payment_methods": [
                pm.to_dict() | {"state": pm.state.value} for pm in self.payment_methods
            ],
            "setup_intents": [intent.to_dict() for intent in self.setup_intents],
            "payment_intents": [intent.to_dict() for intent in self.payment_intents],
            "test_clocks": [clock.to_dict() for clock in self.test_clocks],
            "webhook_endpoints": [endpoint.to_dict() for endpoint in self.webhook_endpoints],
            "events": [event.to_dict() for event in self.events],
        }


def take(sim: Simulator) -> Snapshot:
    """A snapshot of ``sim`` (hold its lock: an operation must not commit halfway through)."""
    store = sim._store
    api_state = sim._api_state
    return Snapshot(
        seed=sim.seed,
        time=sim.clock.now(),
        id_count=sim._ids.checkpoint(),
        customers=tuple(map(store.customers.__getitem__, store.customer_ids())),
        payment_methods=tuple(store.payment_methods.values()),
        setup_intents=tuple(store.setup_intents.values()),
        payment_intents=tuple(store.payment_intents.values()),
        test_clocks=tuple(store.test_clocks.values()),
        webhook_endpoints=tuple(store.webhook_endpoints.values()),
        events=tuple(store.events),
        api_state=api_state.copy() if isinstance(api_state, Copyable) else None,
    )


def put_back(sim: Simulator, snapshot: Snapshot) -> None:
    """Make ``sim`` hold exactly what ``snapshot`` holds (hold its lock). Everything is built
    and checked first and assigned last, so a snapshot that fails leaves ``sim`` as it was."""
    time = to_timestamp(snapshot.time)  # ValueError for a time out of range, before any change
    store = Store()
    # In creation order, so the store's positions (and so every list's order) come back.
    records = [record for table in TABLES if table != "events"
               for record in getattr(snapshot, table)]  # fmt: skip
    store.commit(records, snapshot.events)
    ids = IdFactory(snapshot.seed)
    ids.restore(snapshot.id_count)
    sim.clock.restore(time)
    sim.seed = snapshot.seed
    sim._ids = ids
    sim._store = store
    api_state = snapshot.api_state
    # Each restore gets its own copy: the snapshot can be restored again later, unchanged.
    sim._api_state = api_state.copy() if api_state is not None else None
