"""The Simulator: one explicit object that owns the store, the clock, the ids and the events.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> cus = sim.customers.create(email="ada@example.com")
>>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
>>> cus = sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm.id})
>>> cus.invoice_settings.default_payment_method == pm.id
True
>>> [event.type for event in sim.events.list()]
['customer.updated', 'payment_method.attached', 'customer.created']
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import Any

from pmsim.clock import DEFAULT_START, ManualClock, StartTime
from pmsim.domain.errors import PmsimUsageError, StripeError
from pmsim.domain.events import Event, frozen_copy
from pmsim.domain.models import StripeObject
from pmsim.engine import intent_hints, snapshots
from pmsim.engine.customers import Customers
from pmsim.engine.events import Events
from pmsim.engine.payment_intents import PaymentIntents
from pmsim.engine.payment_methods import PaymentMethods
from pmsim.engine.setup_intents import SetupIntents
from pmsim.engine.snapshots import Snapshot
from pmsim.engine.test_clocks import TestClocks
from pmsim.engine.three_d_secure import ThreeDSecure
from pmsim.engine.webhook_endpoints import WebhookEndpoints
from pmsim.ids import IdFactory
from pmsim.store import Record, Store

#: The resource namespaces every simulator has, by attribute name. The API's route table and
#: the scenario vocabulary both read their operations and parameters from these classes.
NAMESPACES: Mapping[str, type] = MappingProxyType(
    {
        "customers": Customers,
        "payment_methods": PaymentMethods,
        "setup_intents": SetupIntents,
        "payment_intents": PaymentIntents,
        "events": Events,
        "test_clocks": TestClocks,  # Stripe's test_helpers.test_clocks
        "webhook_endpoints": WebhookEndpoints,
        "three_d_secure": ThreeDSecure,  # pmsim's own: the customer's side of 3-D Secure
    }
)


class Simulator:
    """A deterministic, in-memory Stripe account in test mode.

    Everything lives on the instance; a fresh ``Simulator()`` is a clean slate. The same seed
    and the same calls always give the same ids, timestamps, objects and events.

    Args:
        seed: Chooses the ids. Two simulators with one seed make identical objects.
        start_time: Where the clock starts (a datetime, Unix seconds or ISO 8601 text);
            by default 2024-01-01T00:00:00Z. Time moves only through ``sim.clock.advance``.

    >>> Simulator(seed=1).customers.create().id == Simulator(seed=1).customers.create().id
    True
    """

    def __init__(self, seed: int = 0, start_time: StartTime = DEFAULT_START) -> None:
        self.seed = seed
        self.clock = ManualClock(start_time)
        self._ids = IdFactory(seed)
        self._store = Store()
        # Re-entrant so one operation can call helpers that take the lock again.
        self._lock = threading.RLock()
        # The API request being answered on this thread, for events' "request" field.
        self._request = threading.local()
        self.customers = Customers(self)
        self.payment_methods = PaymentMethods(self)
        self.setup_intents = SetupIntents(self)
        self.payment_intents = PaymentIntents(self)
        self.events = Events(self)
        self.test_clocks = TestClocks(self)
        self.webhook_endpoints = WebhookEndpoints(self)
        self.three_d_secure = ThreeDSecure(self)
        # Owned by pmsim.api (request ids, idempotent responses); the engine never reads it.
        self._api_state: object | None = None
        # Called with each committed operation's events, in order, after the lock is let go
        # (pmsim.transports.webhooks delivers them); the engine itself never reads them.
        self._listeners: list[Callable[[tuple[Event, ...]], None]] = []
        # Why restore() is refused right now, if it is (pmsim.record sets it while recording:
        # a scenario cannot rewind); the engine only reads it.
        self._restore_refused: str | None = None

    def __repr__(self) -> str:
        return (
            f"<Simulator seed={self.seed} at {self.clock.isoformat()}: "
            f"{self._store.customer_count()} customers, "
            f"{len(self._store.payment_methods)} payment methods, "
            f"{len(self._store.events)} events>"
        )

    def _repr_html_(self) -> str:
        from pmsim.display.simulator import simulator_html  # lazy: the renderer sits above

        return simulator_html(self)

    def _answer(self, request: tuple[str, str | None] | None) -> None:
        """Name the API request (id, idempotency key) this thread is answering, or None when
        done: events emitted meanwhile carry it, as Stripe's ``event.request`` does. (Plain
        calls rather than a context manager: this runs on every API request.)"""
        self._request.value = request

    def _operation(self) -> Operation:
        """``with sim._operation() as op:``: a call that either commits whole or not at all."""
        return Operation(self)

    @property
    def event_count(self) -> int:
        """How many events the simulator has emitted so far (a mark for ``events_since``)."""
        return len(self._store.events)

    def events_since(self, count: int) -> tuple[Event, ...]:
        """The events emitted after the first ``count``, oldest first.

        >>> sim = Simulator()
        >>> mark = sim.event_count
        >>> _ = sim.customers.create()
        >>> [event.type for event in sim.events_since(mark)]
        ['customer.created']
        """
        with self._lock:
            return tuple(self._store.events[count:])

    def snapshot(self) -> Snapshot:
        """Everything the simulator holds now, as a frozen :class:`Snapshot` (cheap: records
        are frozen, so it keeps references, not copies). ``snapshot().to_dict()`` shows its
        objects as plain Stripe JSON for reading (the snapshot itself also holds the seed, the
        id count and pmsim's private fields, which ``sim.save`` writes).

        Two simulators given the same seed and calls have equal snapshots; a call that fails
        leaves the snapshot unchanged.

        >>> sim = Simulator(seed=7)
        >>> before = sim.snapshot()
        >>> _ = sim.customers.create()
        >>> sim.snapshot() == before
        False
        """
        with self._lock:
            return snapshots.take(self)

    def restore(self, snapshot: Snapshot) -> None:
        """Go back to ``snapshot``: its objects, events, clock and the ids it would make next,
        so the same calls afterwards give the same results as they did the first time.

        Event ids are rewound too, so a subscriber that has seen events made after the
        snapshot sees their ids again, on other events. Refused while ``pmsim.record`` records.

        >>> sim = Simulator(seed=7)
        >>> start = sim.snapshot()
        >>> first = sim.customers.create().id
        >>> sim.restore(start)
        >>> sim.customers.create().id == first
        True
        """
        if self._restore_refused is not None:
            raise PmsimUsageError(self._restore_refused)
        if not isinstance(snapshot, Snapshot):
            raise TypeError(
                f"restore() takes a pmsim Snapshot (from sim.snapshot()), not "
                f"{type(snapshot).__name__}; to read a saved file use pmsim.Simulator.load(path)"
            )
        with self._lock:
            snapshots.put_back(self, snapshot)

    def fork(self) -> Simulator:
        """An independent copy for what-if experiments: changes to either never reach the
        other. Subscriptions (``pmsim.subscribe``) stay with the original.

        >>> sim = Simulator(seed=7)
        >>> cus = sim.customers.create()
        >>> what_if = sim.fork()
        >>> _ = what_if.customers.delete(cus.id)
        >>> sim.customers.retrieve(cus.id).deleted, what_if.customers.retrieve(cus.id).deleted
        (False, True)
        """
        copy = Simulator(seed=self.seed)
        copy.restore(self.snapshot())
        return copy

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole state to a JSON file, atomically: a crash or an error midway leaves
        any file already at ``path`` as it was. ``Simulator.load(path)`` reads it back.

        Idempotency keys and request ids (the API layer's memory) are not saved.
        """
        from pmsim.engine import state_files  # json and tempfile: only for those who save

        state_files.save(self.snapshot(), path)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Simulator:
        """A simulator holding what ``sim.save(path)`` wrote; a file that is not JSON, not a
        pmsim state file, or damaged raises :class:`~pmsim.StateFileError` saying which, and
        is left untouched.

        >>> import tempfile, pathlib
        >>> sim = Simulator(seed=7)
        >>> cus = sim.customers.create(email="ada@example.com")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "state.json"
        >>> sim.save(path)
        >>> Simulator.load(path).customers.retrieve(cus.id).email
        'ada@example.com'
        """
        from pmsim.engine import state_files

        snapshot = state_files.load(path)
        sim = cls(seed=snapshot.seed)
        sim.restore(snapshot)
        return sim


class Operation:
    """Collects an operation's new records and events, and commits them only on success.

    Ids made during a failed operation are handed back, so a failed call leaves no trace:
    not in the store, not in the events, not in the ids the next call gets.
    """

    __slots__ = ("_checkpoint", "_events", "_records", "_request", "_sim", "now")

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._records: list[Record] = []
        self._request: tuple[str | None, str | None] = (None, None)
        self._events: list[Event] = []
        self._checkpoint = 0
        self.now = 0

    def __enter__(self) -> Operation:
        self._sim._lock.acquire()
        self._checkpoint = self._sim._ids.checkpoint()
        self.now = self._sim.clock.now()
        self._request = getattr(self._sim._request, "value", None) or (None, None)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._sim._store.commit(self._records, self._events)
            else:
                self._sim._ids.restore(self._checkpoint)
                if isinstance(exc, StripeError):
                    intent_hints.at_failure(exc, self._sim._store)
        finally:
            self._sim._lock.release()
        if exc_type is None and self._events and self._sim._listeners:
            events = tuple(self._events)
            for listener in list(self._sim._listeners):
                listener(events)

    @property
    def store(self) -> Store:
        return self._sim._store

    def advance_clock(self, seconds: int) -> None:
        """Move the simulator's clock within this operation; events emitted afterwards carry
        the new time (a test clock's ``ready`` event does)."""
        self._sim.clock.advance(seconds=seconds)
        self.now = self._sim.clock.now()

    def new_id(self, prefix: str) -> str:
        return self._sim._ids.new(prefix)

    def put(self, *records: Record) -> None:
        self._records.extend(records)

    def emit(
        self,
        type: str,
        obj: StripeObject,
        previous_attributes: Mapping[str, Any] | None = None,
    ) -> None:
        previous = previous_attributes
        if previous is not None and not isinstance(previous, MappingProxyType):
            previous = frozen_copy(previous)  # a mapping proxy here is already frozen
        event_id = self._sim._ids.new("evt")
        self._events.append(Event(event_id, type, self.now, obj, previous, *self._request))
