"""Teaching hints: why a rule fired, in this simulator's own history, and what to do instead.

Stripe's error never changes (it is what real Stripe answers); the hint rides beside it on
``error.hint`` and never reaches the API's error envelope. It names what happened earlier,
for example the event that detached a payment method, and ``error.hint_event`` holds that
event's id, so a replay can say which step it was.

One mechanism: every hint is a template of :data:`~pmsim.engine.hints.templates.TEMPLATES`,
filled in and attached by :func:`explain`. The functions below find the template and the
facts for each kind of refusal: the engine calls them where a rule fires, and the kernel
calls :func:`at_failure` once an operation has failed, for the intents' "unexpected state"
refusals (their error carries the intent, so the hint is found from the error alone).

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> cus = sim.customers.create()
>>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
>>> _ = sim.payment_methods.detach(pm.id)
>>> try:
...     sim.payment_methods.attach(pm.id, customer=cus.id)
... except pmsim.InvalidRequestError as error:
...     print(error.hint)  # doctest: +ELLIPSIS
pm_... was detached from cus_... at 2024-01-01T00:00:00Z (event evt_...). A detached ...
>>> back = "https://example.com/return"
>>> intent = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True, return_url=back)
>>> try:
...     sim.setup_intents.confirm(intent.id, return_url=back)
... except pmsim.InvalidRequestError as error:
...     print(error.hint)  # doctest: +ELLIPSIS
seti_... succeeded at 2024-01-01T00:00:00Z (event evt_...), and a succeeded SetupIntent is ...
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain.amounts import money
from pmsim.domain.cards import CARDS_BY_NAME
from pmsim.domain.charges import Charge
from pmsim.domain.errors import StripeError
from pmsim.domain.events import (
    CUSTOMER_DELETED,
    CUSTOMER_SOURCE_DELETED,
    PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED,
    PAYMENT_METHOD_ATTACHED,
    REFUND_CREATED,
    Event,
)
from pmsim.domain.lifecycle import Action, PMState
from pmsim.domain.models import PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.engine.hints import history
from pmsim.engine.hints.templates import TEMPLATES
from pmsim.store import Store

#: The kinds of intent whose "unexpected state" refusals :func:`at_failure` explains, by the
#: key their error carries the intent under.
INTENT_KINDS: Final[Mapping[str, str]] = MappingProxyType(
    {"setup_intent": "SetupIntent", "payment_intent": "PaymentIntent"}
)
UNEXPECTED_STATE_CODES: Final = ("setup_intent_unexpected_state", "payment_intent_unexpected_state")


def explain(error: StripeError, name: str, event: Event | None = None, **facts: str) -> StripeError:
    """``error`` with the hint ``name`` filled in from ``facts`` (``{when}`` from ``event``)
    and ``hint_event`` set to ``event``'s id; returned for ``raise``."""
    error.hint = TEMPLATES[name].format(when=history.when(event), **facts)
    error.hint_event = event.id if event is not None else None
    return error


#: What intents do to a card (check it, pay with it, set it up without a customer).
INTENT_ACTIONS: Final = (Action.USE, Action.SET_UP)


def _lifecycle_name(pm: PaymentMethod, action: Action) -> str:
    """A card an intent would use reads as one being attached, as the same things refuse it,
    unless its state has words of its own for intents (``<state>.use``: a set-up card, which
    an attach would take)."""
    if action not in INTENT_ACTIONS:
        return f"{pm.state.value}.{action.value}"
    own = f"{pm.state.value}.use"
    return own if own in TEMPLATES else f"{pm.state.value}.attach"


def refused(error: StripeError, store: Store, pm: PaymentMethod, action: Action) -> StripeError:
    """The hint for a lifecycle refusal: ``pm`` cannot do ``action`` in its state."""
    name = _lifecycle_name(pm, action)
    if name not in TEMPLATES:
        return error
    event, facts = history.of_payment_method(store, pm)
    return explain(error, name, event, pm=pm.id, **facts)


def another_customer(
    error: StripeError, store: Store, pm: PaymentMethod, wanted: str
) -> StripeError:
    """The hint for attaching (or using) a card that belongs to another customer."""
    event = history.event_about(store, pm.id, (PAYMENT_METHOD_ATTACHED,))
    return explain(
        error, "another_customer", event, pm=pm.id, owner=str(pm.customer), wanted=wanted
    )


def declined(
    error: StripeError, pm: PaymentMethod, *, kept: bool, recorded_on: str | None = None
) -> StripeError:
    """The hint for a test card that declines (when saved, or when charged). ``kept``: the
    card outlives the failed call (a test id's new card does not, and its id is handed
    back, so the hint does not name it); ``recorded_on``: the kind of intent that keeps
    the decline."""
    row = CARDS_BY_NAME[pm.test_row]
    card = pm.id if kept else "The card"
    if error.code == "authentication_required":
        name = f"authentication.{row.authentication.value}"
        if name in TEMPLATES:
            return explain(error, name, card=card, test_card=row.name)
    return explain(
        error,
        "declined" if recorded_on is None else "declined.recorded",
        card=card,
        test_card=row.name,
        number=f" (number {row.number})" if row.number else "",
        code=str(error.decline_code or error.code),
        intent=str(recorded_on),
    )


def named(store: Store, pm: PaymentMethod) -> str:
    """How a hint names ``pm``: its id, or what it is when a failed call does not keep it
    (a test id's new payment method, whose id is handed back)."""
    if pm.id in store.payment_methods:
        return pm.id
    return f"The new {pm.type} payment method (a test id makes one at each use)"


def not_a_default(
    error: StripeError, store: Store, pm: PaymentMethod | None, pm_id: str, customer_id: str
) -> StripeError:
    """The hint for a default that is not one of the customer's own payment methods."""
    if pm is None:  # a test id such as pm_card_visa: each use would make a new card
        return explain(error, "default.test_id", pm=pm_id, customer=customer_id)
    if pm.state is PMState.ATTACHED:
        return explain(
            error, "default.elsewhere", pm=pm_id, owner=str(pm.customer), customer=customer_id
        )
    if pm.state is PMState.NEW:
        return explain(error, "default.new", pm=pm_id, customer=customer_id)
    if pm.state is PMState.SET_UP:  # attachable: nothing is wrong with it but the owner
        event, facts = history.of_payment_method(store, pm)
        return explain(error, "default.set_up", event, pm=pm_id, customer=customer_id, **facts)
    refused(error, store, pm, Action.ATTACH)  # why it can never be attached again
    event = history.of_payment_method(store, pm)[0]
    return explain(error, "default.unusable", event, why=str(error.hint), customer=customer_id)


def missing_customer(error: StripeError, store: Store, customer_id: str) -> StripeError:
    """The hint for "No such customer": deleted earlier, or never made here."""
    if customer_id in store.customers:
        event = history.event_about(store, customer_id, (CUSTOMER_DELETED,))
        return explain(error, "customer.deleted", event, id=customer_id)
    return explain(error, "customer.never_made", id=customer_id, maker="customers.create")


def missing_payment_method(error: StripeError, pm_id: str) -> StripeError:
    """The hint for "No such PaymentMethod"."""
    return explain(error, "payment_method.never_made", id=pm_id, maker="payment_methods.create")


def source_refused(error: StripeError, store: Store, key: str, customer: str) -> StripeError:
    """The hint for a card source refused as ``key`` (a PaymentMethod, a deleted card,
    another customer's card, or an id never made) when ``customer`` asked for it."""
    if key.startswith("pm_"):
        return explain(error, "source.payment_method", pm=key)
    card = store.sources.get(key)
    if card is None:
        return explain(error, "source.never_made", id=key, maker="customers.create_source")
    if card.deleted:
        event = history.event_about(store, key, (CUSTOMER_SOURCE_DELETED,))
        return explain(error, "source.deleted", event, id=key)
    return explain(error, "source.elsewhere", id=key, owner=card.customer, customer=customer)


def refund_refused(error: StripeError, store: Store, charge: Charge) -> StripeError:
    """The hint for a refund asking more than ``charge`` has left: what it took, and which
    refunds already gave how much of it back."""
    counting = [
        r for r in store.refunds.values() if r.charge == charge.id and r.counts and not r.releases
    ]
    facts = {"charge": charge.id, "captured": money(charge.amount_captured, charge.currency)}
    if not counting:
        return explain(error, "refund.more_than_charged", None, **facts)
    last = counting[-1]
    # refund.created only from 2024-10-28.acacia: otherwise the refund's own time is told
    event = history.event_about(store, last.id, (REFUND_CREATED,))
    earlier = ", ".join(refund.id for refund in counting[:-1])
    facts["refunds"] = f"refunds {earlier} and {last.id}" if earlier else f"refund {last.id}"
    left = charge.refundable
    if left <= 0:
        return explain(error, "refund.nothing_left", event, **facts)
    refunded = money(charge.given_back, charge.currency)
    return explain(error, "refund.more_than_left", event, refunded=refunded,
                   left=money(left, charge.currency), **facts)  # fmt: skip


def authorization_held(
    error: StripeError, store: Store, intent: PaymentIntent, name: str, **facts: str
) -> StripeError:
    """The hint ``name`` for a refusal about what a manual-capture ``intent`` holds (a
    capture asking more, a refund of the uncaptured charge): when it was authorized, and how
    much it holds."""
    event = history.event_about(store, intent.id, (PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED,))
    held = money(intent.amount_capturable, intent.currency)
    return explain(error, name, event, intent=intent.id, held=held, **facts)


def at_failure(error: StripeError, store: Store) -> None:
    """Add the hint to an intent's "unexpected state" refusal, once its operation has failed
    (other errors are left alone: the lifecycle's are explained where they fire)."""
    if error.hint is not None or error.code not in UNEXPECTED_STATE_CODES:
        return
    key = next((key for key in INTENT_KINDS if key in error.objects), None)
    if key is None:
        return
    data = error.objects[key].to_dict()
    intent_id, status = data["id"], data["status"]
    name = f"intent.{status}"
    if name not in TEMPLATES:
        return
    event = history.of_intent(store, key, intent_id, status)
    declined = f": its last one declined{history.when(event)}" if event is not None else " yet"
    explain(error, name, event, intent=intent_id, kind=INTENT_KINDS[key], declined=declined)
