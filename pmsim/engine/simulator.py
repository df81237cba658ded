"""The Simulator: the facade a user holds. It owns one :class:`~pmsim.engine.kernel.Kernel`
(the store, the clock, the ids, the lock) and the resource namespaces built over it, and offers
outer layers a small seam (``lock``, ``answering``, ``on_commit``, ``extension``,
``refuse_restore``) so that none of them reaches into the kernel.

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

import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from pmsim.clock import DEFAULT_START, StartTime
from pmsim.domain import versions
from pmsim.domain.events import Event
from pmsim.domain.versions import ApiVersion
from pmsim.engine.accounts import Accounts
from pmsim.engine.charges import Charges
from pmsim.engine.customers import Customers
from pmsim.engine.events import Events
from pmsim.engine.kernel import CommitListener, Extension, Kernel, RequestTag, VersionScope
from pmsim.engine.mandates import Mandates
from pmsim.engine.payment_intents import PaymentIntents
from pmsim.engine.payment_methods import PaymentMethods
from pmsim.engine.persistence import Persistent
from pmsim.engine.refunds import Refunds
from pmsim.engine.setup_attempts import SetupAttempts
from pmsim.engine.setup_intents import SetupIntents
from pmsim.engine.test_clocks import TestClocks
from pmsim.engine.three_d_secure import ThreeDSecure
from pmsim.engine.timers import TIMERS
from pmsim.engine.webhook_endpoints import WebhookEndpoints

E = TypeVar("E", bound=Extension)

#: The resource namespaces every simulator has, by attribute name. The API's route table and
#: the scenario verbs (``scenarios/verbs.py``, an explicit table) read their parameters from
#: these classes' signatures.
NAMESPACES: Mapping[str, type] = MappingProxyType(
    {
        "customers": Customers,
        "payment_methods": PaymentMethods,
        "setup_intents": SetupIntents,
        "setup_attempts": SetupAttempts,
        "payment_intents": PaymentIntents,
        "charges": Charges,
        "refunds": Refunds,
        "mandates": Mandates,
        "events": Events,
        "test_clocks": TestClocks,  # Stripe's test_helpers.test_clocks
        "webhook_endpoints": WebhookEndpoints,
        "three_d_secure": ThreeDSecure,  # pmsim's own: the customer's side of 3-D Secure
        "accounts": Accounts,  # the simulator's own account; no connected accounts
    }
)


class Simulator(Persistent):
    """A deterministic, in-memory Stripe account in test mode.

    Everything lives on the instance; a fresh ``Simulator()`` is a clean slate. The same seed
    and the same calls always give the same ids, timestamps, objects and events.

    Args:
        seed: Chooses the ids. Two simulators with one seed make identical objects.
        start_time: Where the clock starts (a datetime, Unix seconds or ISO 8601 text);
            by default 2024-01-01T00:00:00Z. Time moves only through ``sim.clock.advance``
            (or a test clock's advance), which also makes what Stripe does later on its own
            once its time comes (``engine/timers.py``).
        api_version: The account's default API version (by default the newest pmsim knows):
            calls answer as it unless they name another (``with_version``, or a request's
            ``Stripe-Version``), and events are rendered in it.

    >>> Simulator(seed=1).customers.create().id == Simulator(seed=1).customers.create().id
    True
    """

    def __init__(
        self,
        seed: int = 0,
        start_time: StartTime = DEFAULT_START,
        api_version: str | ApiVersion = versions.NEWEST,
    ) -> None:
        self._kernel = kernel = Kernel(seed, start_time, versions.parse(api_version))
        kernel.timers = TIMERS
        self.clock = kernel.clock
        self.customers = Customers(kernel)
        self.payment_methods = PaymentMethods(kernel)
        self.setup_intents = SetupIntents(kernel)
        self.setup_attempts = SetupAttempts(kernel)
        self.payment_intents = PaymentIntents(kernel)
        self.charges = Charges(kernel)
        self.refunds = Refunds(kernel)
        self.mandates = Mandates(kernel)
        self.events = Events(kernel)
        self.test_clocks = TestClocks(kernel)
        self.webhook_endpoints = WebhookEndpoints(kernel)
        self.three_d_secure = ThreeDSecure(kernel)
        self.accounts = Accounts(kernel)

    @property
    def seed(self) -> int:
        """The seed the ids come from (a restored snapshot brings its own)."""
        return self._kernel.seed

    def __repr__(self) -> str:
        store = self._kernel.store
        return (
            f"<Simulator seed={self.seed} at {self.clock.isoformat()}: "
            f"{store.customer_count()} customers, "
            f"{len(store.payment_methods)} payment methods, "
            f"{len(store.events)} events>"
        )

    def _repr_html_(self) -> str:
        from pmsim.display.simulator import simulator_html  # lazy: the renderer sits above

        return simulator_html(self)

    @property
    def api_version(self) -> ApiVersion:
        """The account's default API version (``str()`` gives its name).

        >>> str(Simulator(api_version="2024-06-20").api_version)
        '2024-06-20'
        """
        return self._kernel.api_version

    def with_version(self, version: str | ApiVersion | None) -> VersionScope:
        """Answer as ``version`` (``None``: the account's default) on this thread, in a
        ``with`` block or until ``reset()`` on what it returns: what a request's
        ``Stripe-Version`` does for one call.

        >>> sim = Simulator()
        >>> with sim.with_version("2024-06-20"):
        ...     sim.payment_intents.create(amount=500, currency="usd").capture_method
        'automatic_async'
        >>> with sim.with_version("2023-10-16"):
        ...     sim.payment_intents.create(amount=500, currency="usd").capture_method
        'automatic'
        """
        # An ApiVersion (every API request's) is taken as it is, without a call to parse.
        if version is None or isinstance(version, ApiVersion):
            return VersionScope(self._kernel.version, version)
        return VersionScope(self._kernel.version, versions.parse(version))

    # --- the seam for outer layers (api, transports, scenarios, display) -----------------

    @property
    def lock(self) -> threading.RLock:
        """The lock every operation holds while it works. Hold it to make several calls that
        no other thread's operation may come between (the API layer does, so an idempotent
        retry never runs twice); it is re-entrant.

        >>> sim = Simulator()
        >>> with sim.lock:
        ...     sim.customers.create().id[:4]
        'cus_'
        """
        return self._kernel.lock

    def answering(self, request: RequestTag | None) -> None:
        """Name the API request (id, idempotency key) this thread is answering, or None when
        done: events emitted meanwhile carry it, as Stripe's ``event.request`` does. (Plain
        calls rather than a context manager: the API layer makes them on every request.)

        >>> sim = Simulator()
        >>> sim.answering(("req_1", "key-1"))
        >>> _ = sim.customers.create()
        >>> sim.answering(None)
        >>> sim.events.list().data[0].to_dict()["request"]
        {'id': 'req_1', 'idempotency_key': 'key-1'}
        """
        self._kernel.request.value = request

    def on_commit(self, listener: CommitListener, *, owed_only: bool = False) -> Callable[[], None]:
        """Call ``listener(events)`` after each operation that commits events, once the
        simulator's lock is let go, always in the event log's order (even with many threads
        calling, or a listener calling the simulator back). Returns a function that
        unsubscribes. Forks and restored snapshots do not carry listeners.

        With ``owed_only``, only after the operations with an event some webhook endpoint is
        owed (``event.owed``), as a webhook deliverer needs: the other commits, most of them,
        then cost it nothing.

        >>> sim = Simulator()
        >>> seen = []
        >>> stop = sim.on_commit(lambda events: seen.extend(e.type for e in events))
        >>> _ = sim.customers.create()
        >>> stop()
        >>> _ = sim.customers.create()
        >>> seen
        ['customer.created']
        """
        kernel = self._kernel
        chosen = kernel.owed_listeners if owed_only else kernel.listeners
        with kernel.lock:
            chosen.append(listener)

        held = [listener]

        def unsubscribe() -> None:
            with kernel.lock:  # two threads may close one subscription at once
                if held and held[0] in chosen:
                    chosen.remove(held[0])
                # Let go of the listener: a subscriber that keeps this function (a server's
                # deliverer) then makes no cycle with it, and is freed as soon as it is let go.
                held.clear()

        return unsubscribe

    def extension(self, name: str, make: Callable[[], E], *, rewinds: bool = True) -> E:
        """The state an outer layer keeps on this simulator under ``name``, made by ``make()``
        on first use. Snapshots and forks keep a copy of it (its ``copy()``), and
        ``restore()`` puts the snapshot's copy in its place, so ask for it again rather than
        keep the object across a restore. State files do not save it.

        With ``rewinds=False`` it is about the simulator's life rather than its state (a count
        of subscriptions, which outlive a restore): snapshots and forks leave it out, and
        ``restore()`` leaves it as it is.

        >>> class Counter:
        ...     def __init__(self, n=0): self.n = n
        ...     def copy(self): return Counter(self.n)
        >>> sim = Simulator()
        >>> sim.extension("counter", Counter).n += 1
        >>> sim.fork().extension("counter", Counter).n
        1
        """
        # Every API request asks: one made already is read without the lock (a dict read is
        # atomic, and restore() swaps the whole dict).
        kernel = self._kernel
        held: dict[str, Any] = kernel.extensions if rewinds else kernel.lasting
        found: E | None = held.get(name)
        if found is not None:
            return found
        with kernel.lock:
            # Read again under the lock: a restore() meanwhile put another dict in its place.
            current: dict[str, Any] = kernel.extensions if rewinds else kernel.lasting
            found = current.get(name)  # each name has one maker, so one type
            if found is None:
                found = current[name] = make()
            return found

    def refuse_restore(self, reason: str) -> Callable[[], None]:
        """Refuse ``restore()`` with ``reason`` until the returned function is called
        (``pmsim.record`` does, while it records: a scenario cannot rewind).

        >>> sim = Simulator()
        >>> allow = sim.refuse_restore("not now")
        >>> sim.restore(sim.snapshot())
        Traceback (most recent call last):
        pmsim.domain.errors.PmsimUsageError: not now
        >>> allow()
        >>> sim.restore(sim.snapshot())
        """
        kernel = self._kernel
        with kernel.lock:
            kernel.restore_refusals.append(reason)
        lifted = False

        def allow() -> None:
            nonlocal lifted
            with kernel.lock:
                if not lifted:  # each refusal is lifted once, whoever else refused too
                    lifted = True
                    kernel.restore_refusals.remove(reason)

        return allow

    @property
    def event_count(self) -> int:
        """How many events the simulator has emitted so far (a mark for ``events_since``)."""
        return len(self._kernel.store.events)

    def events_since(self, count: int) -> tuple[Event, ...]:
        """The events emitted after the first ``count``, oldest first.

        >>> sim = Simulator()
        >>> mark = sim.event_count
        >>> _ = sim.customers.create()
        >>> [event.type for event in sim.events_since(mark)]
        ['customer.created']
        """
        with self._kernel.lock:
            return tuple(self._kernel.store.events[count:])
