"""The simulator's tables, kept in memory, with the indexes that keep lookups cheap.

The store holds every object and event, and :meth:`Store.commit` is its writer: an
operation works out every new record and event first, then commits them together, so a
failed call never leaves half its changes behind. (The one other change, an event's webhook
delivered, is :meth:`Store.settle_event`: it cannot fail either.)

>>> store = Store()
>>> store.customer_count()
0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

import attrs

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
from pmsim.domain.webhooks import WebhookEndpoint

Record = (
    Customer
    | PaymentMethod
    | SetupIntent
    | PaymentIntent
    | TestClock
    | WebhookEndpoint
    | CardSource
    | Charge
    | Refund
    | Mandate
    | SetupAttempt
)
R = TypeVar(
    "R",
    SetupIntent,
    PaymentIntent,
    TestClock,
    WebhookEndpoint,
    CardSource,
    Charge,
    Refund,
    Mandate,
    SetupAttempt,
)


class Table(dict[str, R], Generic[R]):
    """Records by id, with their ids in creation order and each one's place in that order,
    so lists page from a cursor without scanning."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.position: dict[str, int] = {}

    def put(self, record: R) -> None:
        if record.id not in self:
            self.position[record.id] = len(self.ids)
            self.ids.append(record.id)
        self[record.id] = record


class Store:
    """Customers, payment methods and events, with creation order and per-customer indexes."""

    __slots__ = (
        "_customer_order",
        "_customer_position",
        "_event_ids",
        "_event_position",
        "_pm_position",
        "customers",
        "events",
        "payment_methods",
        "payment_intents",
        "pms_by_customer",
        "setup_intents",
        "sources",
        "sources_by_customer",
        "test_clocks",
        "webhook_endpoints",
        "_tables",
        "charges",
        "refunds",
        "mandates",
        "mandates_by_pm",
        "setup_attempts",
    )

    def __init__(self) -> None:
        self.customers: dict[str, Customer] = {}
        self.payment_methods: dict[str, PaymentMethod] = {}
        self.events: list[Event] = []
        # Each customer's attached payment methods, so listing them never scans the store.
        self.pms_by_customer: dict[str, dict[str, None]] = {}
        self._customer_order: list[str] = []
        self._customer_position: dict[str, int] = {}
        self._pm_position: dict[str, int] = {}
        self._event_ids: list[str] = []
        self._event_position: dict[str, int] = {}
        self.setup_intents: Table[SetupIntent] = Table()
        self.setup_attempts: Table[SetupAttempt] = Table()
        self.charges: Table[Charge] = Table()
        self.refunds: Table[Refund] = Table()
        self.mandates: Table[Mandate] = Table()
        # Each payment method's mandates, so a detach finds them without a scan.
        self.mandates_by_pm: dict[str, dict[str, None]] = {}
        self.payment_intents: Table[PaymentIntent] = Table()
        self.test_clocks: Table[TestClock] = Table()
        self.webhook_endpoints: Table[WebhookEndpoint] = Table()
        # Legacy card sources; deleted ones stay (flagged), left out of their customer's index.
        self.sources: Table[CardSource] = Table()
        self.sources_by_customer: dict[str, dict[str, None]] = {}
        self._tables: dict[type, Table[Any]] = {
            SetupIntent: self.setup_intents,
            SetupAttempt: self.setup_attempts,
            PaymentIntent: self.payment_intents,
            Charge: self.charges,
            Refund: self.refunds,
            TestClock: self.test_clocks,
            WebhookEndpoint: self.webhook_endpoints,
        }

    def commit(self, records: Iterable[Record], events: Sequence[Event] = ()) -> None:
        """Store new versions of records and append events; nothing here can fail halfway."""
        for record in records:
            if isinstance(record, Customer):
                self._put_customer(record)
            elif isinstance(record, PaymentMethod):
                self._put_payment_method(record)
            elif isinstance(record, CardSource):
                self._put_source(record)
            elif isinstance(record, Mandate):
                self.mandates.put(record)
                self.mandates_by_pm.setdefault(record.payment_method, {})[record.id] = None
            else:  # the objects kept in a plain Table, by their type
                self._tables[type(record)].put(record)
        positions, ids, log = self._event_position, self._event_ids, self.events
        for event in events:
            positions[event.id] = len(log)
            ids.append(event.id)
            log.append(event)

    def settle_event(self, event_id: str, endpoint_id: str) -> None:
        """Note that ``endpoint_id`` received ``event_id``: the one change an event sees
        after it happened (its ``pending_webhooks`` count goes down)."""
        position = self._event_position.get(event_id)
        if position is None:
            return
        event = self.events[position]
        if endpoint_id in event.owed:
            owed = tuple(owed for owed in event.owed if owed != endpoint_id)
            self.events[position] = attrs.evolve(event, owed=owed)

    def _put_customer(self, customer: Customer) -> None:
        if customer.id not in self.customers:
            self._customer_position[customer.id] = len(self._customer_order)
            self._customer_order.append(customer.id)
        self.customers[customer.id] = customer

    def _put_payment_method(self, pm: PaymentMethod) -> None:
        before = self.payment_methods.get(pm.id)
        if before is None:
            self._pm_position[pm.id] = len(self._pm_position)
        elif before.customer is not None and before.customer != pm.customer:
            self.pms_by_customer[before.customer].pop(pm.id, None)
        if pm.customer is not None:
            self.pms_by_customer.setdefault(pm.customer, {})[pm.id] = None
        self.payment_methods[pm.id] = pm

    def _put_source(self, source: CardSource) -> None:
        self.sources.put(source)
        held = self.sources_by_customer.setdefault(source.customer, {})
        if source.deleted:
            held.pop(source.id, None)
        else:
            held[source.id] = None

    def mandates_of(self, pm_id: str) -> list[Mandate]:
        """A payment method's mandates, oldest first."""
        return [self.mandates[key] for key in self.mandates_by_pm.get(pm_id, ())]

    def source_ids(self, customer_id: str) -> list[str]:
        """A customer's card sources (not deleted), oldest first by creation."""
        return sorted(self.sources_by_customer.get(customer_id, ()),
                      key=self.sources.position.__getitem__)  # fmt: skip

    # --- ordered views, oldest first (lists reverse them) -----------------------------

    def customer_ids(self) -> Sequence[str]:
        return self._customer_order

    def customer_position(self, customer_id: str) -> int | None:
        return self._customer_position.get(customer_id)

    def customer_count(self) -> int:
        return len(self._customer_order)

    def attached_pm_ids(self, customer_id: str) -> list[str]:
        """A customer's payment methods, oldest first by creation."""
        return sorted(self.pms_by_customer.get(customer_id, ()), key=self._pm_position.__getitem__)

    def event_ids(self) -> Sequence[str]:
        return self._event_ids

    def event_position(self, event_id: str) -> int | None:
        return self._event_position.get(event_id)

    def event(self, event_id: str) -> Event | None:
        position = self._event_position.get(event_id)
        return None if position is None else self.events[position]
