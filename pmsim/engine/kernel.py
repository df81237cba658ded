"""The kernel: what every resource namespace shares, and the commit-or-nothing ``Operation``.

A simulator is a facade (``engine/simulator.py``) over one :class:`Kernel`: the store, the
seeded ids, the clock and the lock live here, and each namespace (``sim.customers``,
``sim.payment_methods``, ...) is given the kernel, never the simulator, so the namespaces and
the facade do not import each other.

>>> kernel = Kernel(seed=7)
>>> with kernel.operation() as op:
...     op.new_id("cus")  # doctest: +ELLIPSIS
'cus_...'
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType, TracebackType
from typing import Any, Protocol

from attrs import frozen

from pmsim.clock import DEFAULT_START, ManualClock, StartTime
from pmsim.domain import versions
from pmsim.domain.errors import StripeError
from pmsim.domain.events import Event, frozen_copy
from pmsim.domain.models import StripeObject
from pmsim.domain.versions import ApiVersion
from pmsim.engine import hints
from pmsim.ids import IdFactory
from pmsim.store import Record, Store

#: Called with each committed operation's events, oldest first.
CommitListener = Callable[[tuple[Event, ...]], None]

#: The API request being answered: its id and idempotency key, as events record them.
RequestTag = tuple[str | None, str | None]


@frozen
class Due:
    """A change Stripe makes on its own, fallen due at ``at`` (Unix seconds): ``fire(op)``
    makes it, in an operation whose events carry that time."""

    at: int
    fire: Callable[[Operation], None]


#: Finds the changes that have fallen due by a time (``engine/timers.py`` holds the table):
#: yields them in creation order, so ties go to the oldest record.
Timer = Callable[[Store, int], Iterator[Due]]


class Extension(Protocol):
    """State an outer layer keeps per simulator (the API layer's request ids and idempotent
    responses). Snapshots and forks keep a copy of it; state files do not save it."""

    def copy(self) -> Extension: ...


class VersionScope:
    """The API version one thread's calls answer as, until ``reset()`` or the ``with`` block
    ends (then the one before comes back)."""

    __slots__ = ("_before", "_local")

    def __init__(self, local: threading.local, version: ApiVersion | None) -> None:
        self._local = local
        self._before = getattr(local, "value", None)
        local.value = version

    def reset(self) -> None:
        self._local.value = self._before

    def __enter__(self) -> VersionScope:
        return self

    def __exit__(self, *exc: object) -> None:
        self.reset()


def _while_alive(method: Callable[[], None]) -> Callable[[], None]:
    """``method``, held weakly. The clock calls its kernel back through this, so the two make
    no reference cycle: a simulator no one holds (a server's forgotten key) is freed by
    reference counting at once, not by a full collection that walks every object."""
    ref = weakref.WeakMethod(method)

    def call() -> None:
        bound = ref()
        if bound is not None:
            bound()

    return call


class Kernel:
    """The store, the ids, the clock and the lock of one simulator, with what outer layers
    hang on it (commit listeners, extensions, a refusal of ``restore``).

    Its attributes are public for the engine's namespaces; code outside ``pmsim.engine``
    uses the simulator's seam (``sim.on_commit``, ``sim.extension``, ...) instead.
    """

    __slots__ = (
        "__weakref__",
        "clock",
        "delivering",
        "delivery_lock",
        "extensions",
        "ids",
        "api_version",
        "lasting",
        "listeners",
        "lock",
        "owed_listeners",
        "pending",
        "request",
        "version",
        "restore_refusals",
        "seed",
        "store",
        "timers",
    )

    def __init__(
        self,
        seed: int = 0,
        start_time: StartTime = DEFAULT_START,
        api_version: ApiVersion = versions.NEWEST,
    ) -> None:
        self.seed = seed
        # The account's default API version: events are rendered in it, and calls that name
        # none answer as it. ``version.value``, when set, is the version this thread's call
        # answers as (a request's Stripe-Version, or ``sim.with_version``).
        self.api_version = api_version
        self.version = threading.local()
        self.clock = ManualClock(start_time, after_advance=_while_alive(self.settle))
        # What falls due as the clock moves; the simulator fills it in (engine/timers.py).
        self.timers: tuple[Timer, ...] = ()
        self.ids = IdFactory(seed)
        self.store = Store()
        # Re-entrant so one operation can call helpers that take the lock again.
        self.lock = threading.RLock()
        # The API request being answered on this thread, for events' "request" field.
        self.request = threading.local()
        self.listeners: list[CommitListener] = []
        # Listeners only for commits with an event some webhook endpoint is owed (a server's
        # deliverer): most commits owe none, and then queue nothing for them.
        self.owed_listeners: list[CommitListener] = []
        # Committed events not yet handed to the listeners, in commit order, each with the
        # listeners subscribed when it committed; one thread at a time hands them out.
        self.pending: deque[tuple[tuple[Event, ...], tuple[CommitListener, ...]]] = deque()
        self.delivery_lock = threading.Lock()
        self.delivering = False
        self.extensions: dict[str, Extension] = {}
        # Extensions that outlive restore() and are not copied into snapshots or forks.
        self.lasting: dict[str, object] = {}
        # Why restore() is refused, one entry per refusal still in force (oldest first).
        self.restore_refusals: list[str] = []

    def answering_version(self) -> ApiVersion:
        """The API version this thread's call answers as."""
        return getattr(self.version, "value", None) or self.api_version

    def operation(self) -> Operation:
        """``with kernel.operation() as op:``: a call that either commits whole or not at all."""
        return Operation(self)

    def settle(self) -> None:
        """Make every change that has fallen due by now, earliest first, each as its own
        operation (one change may schedule the next: a pending refund then settling).

        Called after the clock advances. A change is found and made under one hold of the
        lock, so two threads settling at once never make one twice.
        """
        while True:
            with self.operation() as op:
                due = self._next_due(op.now)
                if due is None:
                    return
                op.now = due.at
                due.fire(op)

    def _next_due(self, now: int) -> Due | None:
        earliest = None
        for timer in self.timers:  # a scan: only a clock's advance pays for it
            for due in timer(self.store, now):
                if earliest is None or due.at < earliest.at:
                    earliest = due
        return earliest

    def deliver(self) -> None:
        """Hand the pending events to their listeners, oldest commit first.

        Listeners run outside the simulator's lock (so one may call the simulator back), and
        so several threads may finish operations at once: one of them becomes the deliverer
        and hands out everything pending, its own and the others', in commit order; the rest
        return at once. A listener's own calls queue their events behind the ones it is
        being given, so listeners always see the event log's order.
        """
        with self.delivery_lock:
            if self.delivering:
                return
            self.delivering = True
        try:
            while True:
                with self.delivery_lock:
                    if not self.pending:
                        self.delivering = False
                        return
                    events, listeners = self.pending.popleft()
                for listener in listeners:
                    listener(events)
        except BaseException:
            with self.delivery_lock:
                self.delivering = False  # the next commit delivers what is left
            raise


class Operation:
    """Collects an operation's new records and events, and commits them only on success.

    Ids made during a failed operation are handed back, so a failed call leaves no trace:
    not in the store, not in the events, not in the ids the next call gets.
    """

    __slots__ = (
        "_checkpoint", "_events", "_kernel", "_owed", "_records", "_request", "now", "version",
    )  # fmt: skip

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel
        self._records: list[Record] = []
        self._request: RequestTag = (None, None)
        self._events: list[Event] = []
        self._owed = False  # whether an event is owed to a webhook endpoint
        self._checkpoint = 0
        self.now = 0
        self.version = kernel.api_version

    def __enter__(self) -> Operation:
        kernel = self._kernel
        kernel.lock.acquire()
        self._checkpoint = kernel.ids.checkpoint()
        self.now = kernel.clock.now()
        self._request = getattr(kernel.request, "value", None) or (None, None)
        # The version the call answers as: its rules (gates) are this version's.
        self.version = kernel.answering_version()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        kernel = self._kernel
        queued = False
        try:
            if exc_type is None:
                kernel.store.commit(self._records, self._events)
                listeners = kernel.listeners
                if self._owed and kernel.owed_listeners:
                    listeners = listeners + kernel.owed_listeners
                if self._events and listeners:  # queued under the lock: commit order
                    kernel.pending.append((tuple(self._events), tuple(listeners)))
                    queued = True
            else:
                kernel.ids.restore(self._checkpoint)
                if isinstance(exc, StripeError):
                    hints.at_failure(exc, kernel.store)
        finally:
            kernel.lock.release()
        if queued:
            kernel.deliver()

    @property
    def store(self) -> Store:
        return self._kernel.store

    @property
    def account_version(self) -> ApiVersion:
        """The account's default API version: which events a change sends is its rule."""
        return self._kernel.api_version

    def advance_clock(self, seconds: int) -> None:
        """Move the simulator's clock within this operation; events emitted afterwards carry
        the new time. What falls due meanwhile is left for the caller's ``kernel.settle()``
        once this operation has committed."""
        self.now = self._kernel.clock._move(seconds)  # quietly: the caller settles

    def new_id(self, prefix: str) -> str:
        return self._kernel.ids.new(prefix)

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
        event_id = self._kernel.ids.new("evt")
        endpoints = self._kernel.store.webhook_endpoints
        owed: tuple[str, ...] = ()
        if endpoints:
            owed = tuple(endpoint.id for endpoint in endpoints.values() if endpoint.wants(type))
            self._owed = self._owed or bool(owed)
        event = Event(
            event_id, type, self.now, obj, previous, *self._request, owed=owed,
            api_version=self._kernel.api_version,
        )  # fmt: skip
        self._events.append(event)
