"""What ``sim.setup_intents`` and ``sim.payment_intents`` do alike, written once.

Each helper is one step both namespaces take in the same way: open a new intent with its
common fields, work out the changes an update sends, move an intent to a new status with its
event, record a card's decline, list intents. The namespaces still decide, each against its
own transition table, which steps an action may take and in what order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import evolve

from pmsim.domain import errors, params
from pmsim.domain.messages import payment_methods as pm_messages
from pmsim.domain.models import EMPTY_METADATA, PaymentMethod
from pmsim.domain.pages import ListObject
from pmsim.domain.payment_intents import PaymentIntent, PaymentStatus
from pmsim.domain.setup_intents import SetupIntent, SetupStatus
from pmsim.engine import hints, rules
from pmsim.engine.listing import filtered_page

if TYPE_CHECKING:
    from pmsim.domain.messages.payment_methods import Decline
    from pmsim.engine.kernel import Operation
    from pmsim.store import Table

IntentT = TypeVar("IntentT", SetupIntent, PaymentIntent)

#: What a confirmation leaves: the intent, and the decline to raise once it is committed.
Outcome = tuple[IntentT, errors.StripeError | None]

#: The name each kind of intent goes by in Stripe's messages and in pmsim's hints.
LABELS: Mapping[str, str] = {"setup_intent": "SetupIntent", "payment_intent": "PaymentIntent"}


def reason(value: object, choices: tuple[str, ...]) -> str | None:
    """A ``cancellation_reason``, checked against this kind's ``choices``; ``None`` if not sent."""
    return None if value is None else params.choice(value, "cancellation_reason", choices)


def opening(
    op: Operation,
    prefix: str,
    statuses: type[SetupStatus] | type[PaymentStatus],
    *,
    customer: object,
    payment_method: object,
) -> tuple[dict[str, Any], PaymentMethod | None]:
    """A new intent's first fields (id, created, client_secret, status, customer,
    payment_method) and its card, if one was sent.

    The customer must exist; a test id like ``pm_card_visa`` makes a new card, stored with
    the intent (it stays even if the intent is never confirmed). With a card the intent waits
    for confirmation, without one for a payment method.
    """
    owner = None if customer is None else rules.live_customer(op.store, customer).id
    pm = None if payment_method is None else rules.stored_pm(op, payment_method)
    intent_id = op.new_id(prefix)
    fields = {
        "id": intent_id,
        "created": op.now,
        "client_secret": rules.client_secret(intent_id),
        "status": (
            statuses.REQUIRES_PAYMENT_METHOD if pm is None else statuses.REQUIRES_CONFIRMATION
        ),
        "customer": owner,
        "payment_method": None if pm is None else pm.id,
    }
    return fields, pm


_LONGEST = params.MAX_INTENT_DESCRIPTION_LENGTH


def described(description: object, metadata: Any) -> dict[str, Any]:
    """A new intent's ``description`` and ``metadata``, checked (``""`` or nothing: none)."""
    return {
        "description": rules.optional_text(description, "description", _LONGEST),
        "metadata": params.metadata(EMPTY_METADATA, metadata) if metadata else EMPTY_METADATA,
    }


def card_changes(
    op: Operation,
    statuses: type[SetupStatus] | type[PaymentStatus],
    customer: object,
    payment_method: object,
) -> dict[str, Any]:
    """What an update's ``customer`` and ``payment_method`` change: a new card needs
    confirming, and unsetting the card (``""``) waits for a new one."""
    changes = rules.owner_and_card(op, customer, payment_method)
    if "payment_method" in changes:
        card = changes["payment_method"]
        changes["status"] = (
            statuses.REQUIRES_CONFIRMATION if card else statuses.REQUIRES_PAYMENT_METHOD
        )
    return changes


def text_changes(current: IntentT, description: object, metadata: Any) -> dict[str, Any]:
    """What an update's ``description`` and ``metadata`` change (metadata merges in)."""
    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = rules.optional_text(description, "description", _LONGEST)
    if metadata is not None:
        changes["metadata"] = params.metadata(current.metadata, metadata)
    return changes


def updated(op: Operation, current: IntentT, changes: Mapping[str, Any]) -> IntentT:
    """``current`` with ``changes``, stored if anything changed.

    No event: Stripe sends no ``setup_intent.updated``, and pmsim emits no
    ``payment_intent.updated``.
    """
    result = waiting_only_while_waiting(evolve(current, **changes))
    if result != current:
        op.put(result)
    return result


def moved(op: Operation, intent: IntentT, event: str, **changes: Any) -> IntentT:
    """``intent`` with ``changes`` (typically a new status), stored, and ``event`` emitted."""
    result = waiting_only_while_waiting(evolve(intent, **changes) if changes else intent)
    op.put(result)
    op.emit(event, result)
    return result


def waiting_only_while_waiting(intent: IntentT) -> IntentT:
    """``intent`` forgets its microdeposits once it no longer waits for them (canceled, or
    given another payment method): their deadline, left behind, would later move it, even
    out of ``canceled``, and name a payment method it may no longer have."""
    if intent.microdeposits is None or intent.status.value == "requires_action":
        return intent
    return evolve(intent, microdeposits=None)


def settled(outcome: Outcome[IntentT]) -> IntentT:
    """The intent a confirmation left, or, once its operation has committed, the decline it
    recorded, raised."""
    intent, error = outcome
    if error is not None:
        raise error
    return intent


def check_type(intent: IntentT, pm: PaymentMethod, kind: str) -> None:
    """``pm``'s type is one ``intent`` accepts: any pmsim simulates with automatic payment
    methods (the account enables them all), else one of its ``payment_method_types``."""
    if intent.automatic_payment_methods is None and pm.type not in intent.payment_method_types:
        raise pm_messages.type_not_allowed(pm.type, intent.payment_method_types, kind)


def decline_error(
    decline: Decline, pm: PaymentMethod, result: IntentT, kind: str
) -> errors.StripeError:
    """The 402 for a decline recorded on ``result``, carrying the card and the intent."""
    error = hints.declined(decline.error(), pm, kept=True, recorded_on=LABELS[kind])
    objects: dict[str, errors.Rendered] = {"payment_method": pm, kind: result}
    error.objects = dict(sorted(objects.items()))
    return error


def listed(
    table: Table[IntentT],
    kind: str,
    *,
    created: object,
    filters: Mapping[str, object],
    **cursors: Any,
) -> ListObject[IntentT]:
    """One page of intents, newest first (``listing.filtered_page``)."""
    return filtered_page(
        table, kind=kind, url=f"/v1/{kind}s", created=created, filters=filters, **cursors
    )
