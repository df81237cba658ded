"""What each step of a replay changed, worked out from the transcript alone.

A transcript says what each step returned and which events it emitted; folding over them, in
order, gives the customers (with their defaults, and whether they are deleted) and the payment
methods (with their owner and lifecycle state) as they stand after every step. The events
carry the changes (:data:`ON_EVENT`); results only introduce objects that no event announced,
such as a payment method fresh from ``payment_methods.create``. The tests check the fold's
state against the simulator's own after every step of every shipped scenario.

Each step's :class:`StateAfter` keeps only what that step created or changed, and how many
objects there are in all: a copy of everything after every step would grow with steps ×
objects. The :class:`Fold` holds the whole state as it stands, for a reader that walks the
steps with it.

>>> import pmsim
>>> story = pmsim.load_scenario("scenarios/08-delete-customer-detaches-cards.yaml")
>>> after = timeline(pmsim.replay(story))
>>> [pm.state.value for pm in after[2].changed_payment_methods], after[2].payment_method_count
(['attached'], 2)
>>> deleted = after[4]  # deleting the customer detached both its cards
>>> deleted.changed_customers[0].deleted, [pm.state.value for pm in deleted.changed_payment_methods]
(True, ['detached', 'detached'])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import evolve, frozen

from pmsim.domain import events as ev
from pmsim.domain.lifecycle import PMState
from pmsim.scenarios.transcript import StepRecord, Transcript


@frozen
class CustomerSummary:
    """A customer as the timeline shows it.

    >>> CustomerSummary("cus_1", email="a@x.co").deleted
    False
    """

    id: str
    email: str | None = None
    name: str | None = None
    default: str | None = None  # its invoice_settings.default_payment_method
    deleted: bool = False


@frozen
class PaymentMethodSummary:
    """A payment method as the timeline shows it; ``brand`` and ``last4`` are ``None`` for a
    card the transcript names only by id (one an intent made from a test id, say).

    >>> PaymentMethodSummary("pm_1").state
    <PMState.NEW: 'new'>
    """

    id: str
    state: PMState = PMState.NEW
    customer: str | None = None
    brand: str | None = None
    last4: str | None = None


Summary = CustomerSummary | PaymentMethodSummary


@frozen
class StateAfter:
    """One step's mark on the state: the customers and payment methods it created or changed,
    as they are after it (in the order the step touched them), and how many of each there are.

    >>> state = StateAfter(1, (CustomerSummary("cus_1"),), (), 1, 0)
    >>> state.changed
    frozenset({'cus_1'})
    """

    step: int
    changed_customers: tuple[CustomerSummary, ...]
    changed_payment_methods: tuple[PaymentMethodSummary, ...]
    customer_count: int
    payment_method_count: int

    @property
    def changes(self) -> tuple[Summary, ...]:
        """Everything the step created or changed: its customers, then its payment methods."""
        return (*self.changed_customers, *self.changed_payment_methods)

    @property
    def changed(self) -> frozenset[str]:
        """The ids of everything the step created or changed."""
        return frozenset(summary.id for summary in self.changes)


class Fold:
    """The state so far, as the fold builds it (dicts keep the order objects first appear).

    :meth:`step` takes one step and says what it changed; it costs what the step's events
    and result hold, however many objects came before.

    >>> fold = Fold()
    >>> fold.attached({"id": "pm_1", "customer": "cus_1", "card": {"brand": "visa"}})
    >>> fold.pms["pm_1"].state, fold.pms["pm_1"].customer
    (<PMState.ATTACHED: 'attached'>, 'cus_1')
    """

    def __init__(self) -> None:
        self.customers: dict[str, CustomerSummary] = {}
        self.pms: dict[str, PaymentMethodSummary] = {}
        # What the current step touched, as it was before (None: new); reset by step().
        self._before: dict[str, Summary | None] = {}

    def step(self, step: StepRecord) -> StateAfter:
        """Fold in one step's events, then its result; what it changed, and the counts."""
        self._before = {}
        for event in step.events:
            rule = ON_EVENT.get(event["type"])
            if rule is not None:
                rule(self, event["data"]["object"])
        self.result(step.result)
        customers: list[CustomerSummary] = []
        pms: list[PaymentMethodSummary] = []
        for key, before in self._before.items():
            customer = self.customers.get(key)
            if customer is not None:
                if customer != before:
                    customers.append(customer)
            elif self.pms[key] != before:
                pms.append(self.pms[key])
        counts = len(self.customers), len(self.pms)
        return StateAfter(step.number, tuple(customers), tuple(pms), *counts)

    def summaries(self) -> Iterator[Summary]:
        """Everything as it stands: the customers, then the payment methods, oldest first."""
        yield from self.customers.values()
        yield from self.pms.values()

    def _put_customer(self, summary: CustomerSummary) -> None:
        self._before.setdefault(summary.id, self.customers.get(summary.id))
        self.customers[summary.id] = summary

    def _put_pm(self, summary: PaymentMethodSummary) -> None:
        self._before.setdefault(summary.id, self.pms.get(summary.id))
        self.pms[summary.id] = summary

    def customer(self, obj: Mapping[str, Any]) -> None:
        """A customer as an event or a result shows it."""
        if obj.get("deleted"):  # the stub that deleting or retrieving a deleted one answers
            self.customer_deleted(obj)
            return
        settings = obj.get("invoice_settings") or {}
        before = self.customers.get(obj["id"], CustomerSummary(obj["id"]))
        self._put_customer(evolve(
            before, email=obj.get("email"), name=obj.get("name"),
            default=settings.get("default_payment_method"),
        ))  # fmt: skip

    def customer_deleted(self, obj: Mapping[str, Any]) -> None:
        # customer.deleted shows the customer as it was; the deleted one keeps no default.
        before = self.customers.get(obj["id"], CustomerSummary(obj["id"]))
        self._put_customer(evolve(before, deleted=True, default=None))

    def payment_method(self, obj: Mapping[str, Any], state: PMState | None = None) -> None:
        """A payment method as shown; ``state`` when the event says what it has become."""
        card = obj.get("card") or {}
        before = self.pms.get(obj["id"], PaymentMethodSummary(obj["id"]))
        self._put_pm(evolve(
            before, state=state or before.state, customer=obj.get("customer"),
            brand=card.get("brand"), last4=card.get("last4"),
        ))  # fmt: skip

    def attached(self, obj: Mapping[str, Any]) -> None:
        self.payment_method(obj, PMState.ATTACHED)

    def detached(self, obj: Mapping[str, Any]) -> None:
        self.payment_method(obj, PMState.DETACHED)

    def introduced(self, obj: Mapping[str, Any]) -> None:
        """A payment method seen in passing: taken in when new to the fold, else left alone."""
        if obj["id"] not in self.pms:
            self.payment_method(obj)

    def intent(self, intent: Mapping[str, Any]) -> None:
        """An intent names its card by id, and a failed one keeps the card in its error:
        either may be a card made from a test id that no event has shown yet."""
        error = intent.get("last_setup_error") or intent.get("last_payment_error") or {}
        for card in (intent.get("payment_method"), error.get("payment_method")):
            if isinstance(card, str):
                self.introduced({"id": card})
            elif isinstance(card, Mapping):
                self.introduced(card)

    def used(self, intent: Mapping[str, Any]) -> None:
        """A PaymentIntent succeeded: a card it did not save is used up.

        A card the intent saved was attached by an earlier event of the same step, and a
        PaymentIntent with ``setup_future_usage`` but no customer leaves its card attachable.
        """
        if not intent.get("setup_future_usage"):
            self._settled(intent, PMState.CONSUMED)
        else:
            self.intent(intent)

    def set_up(self, intent: Mapping[str, Any]) -> None:
        """A SetupIntent succeeded: without a customer, its card is set up, attachable once
        (with one, an earlier event of the same step attached it)."""
        self._settled(intent, PMState.SET_UP)

    def _settled(self, intent: Mapping[str, Any], unsaved: PMState) -> None:
        """The intent's card goes from ``new`` to ``unsaved``; a card already attached stays."""
        self.intent(intent)
        pm_id = intent.get("payment_method")
        if isinstance(pm_id, str) and self.pms[pm_id].state is PMState.NEW:
            self._put_pm(evolve(self.pms[pm_id], state=unsaved))

    def result(self, result: Any) -> None:
        """A step's result introduces the objects no event announced."""
        if isinstance(result, Mapping) and "id" in result:
            rule = ON_RESULT.get(result.get("object", ""))
            if rule is not None:
                rule(self, result)

    def customer_result(self, obj: Mapping[str, Any]) -> None:
        if obj.get("deleted") or obj["id"] not in self.customers:
            self.customer(obj)


Rule = Callable[[Fold, Mapping[str, Any]], None]

#: What each event type does to the state; the other types change nothing shown here.
ON_EVENT: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        ev.CUSTOMER_CREATED: Fold.customer,
        ev.CUSTOMER_UPDATED: Fold.customer,
        ev.CUSTOMER_DELETED: Fold.customer_deleted,
        ev.PAYMENT_METHOD_ATTACHED: Fold.attached,
        ev.PAYMENT_METHOD_DETACHED: Fold.detached,
        ev.PAYMENT_METHOD_UPDATED: Fold.payment_method,
        ev.SETUP_INTENT_CREATED: Fold.intent,
        ev.SETUP_INTENT_REQUIRES_ACTION: Fold.intent,
        ev.SETUP_INTENT_SETUP_FAILED: Fold.intent,
        ev.SETUP_INTENT_SUCCEEDED: Fold.set_up,
        ev.SETUP_INTENT_CANCELED: Fold.intent,
        ev.PAYMENT_INTENT_CREATED: Fold.intent,
        ev.PAYMENT_INTENT_REQUIRES_ACTION: Fold.intent,
        ev.PAYMENT_INTENT_PAYMENT_FAILED: Fold.intent,
        ev.PAYMENT_INTENT_SUCCEEDED: Fold.used,
        ev.PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED: Fold.used,  # authorized: used already
        ev.PAYMENT_INTENT_CANCELED: Fold.intent,
    }
)

#: What a step's result adds, by its ``object``: only what no event has shown already.
ON_RESULT: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        "customer": Fold.customer_result,
        "payment_method": Fold.introduced,
        "setup_intent": Fold.intent,
        "payment_intent": Fold.intent,
    }
)


def timeline(transcript: Transcript) -> tuple[StateAfter, ...]:
    """What each step that ran changed, in step order (see the module's example)."""
    fold = Fold()
    return tuple(fold.step(step) for step in transcript.steps)
