"""The event types pmsim emits, and how ``previous_attributes`` is worked out.

>>> previous_attributes({"email": "a@x", "metadata": {"k": "1"}},
...                     {"email": "b@x", "metadata": {"k": "1", "new": "2"}})
{'email': 'a@x', 'metadata': {'new': None}}
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import frozen

from pmsim.domain import versions
from pmsim.domain.models import StripeObject
from pmsim.domain.version_shapes import render
from pmsim.domain.versions import ApiVersion

CUSTOMER_CREATED = "customer.created"
CUSTOMER_UPDATED = "customer.updated"
CUSTOMER_DELETED = "customer.deleted"
CUSTOMER_SOURCE_CREATED = "customer.source.created"
CUSTOMER_SOURCE_UPDATED = "customer.source.updated"
CUSTOMER_SOURCE_DELETED = "customer.source.deleted"
PAYMENT_METHOD_ATTACHED = "payment_method.attached"
PAYMENT_METHOD_DETACHED = "payment_method.detached"
PAYMENT_METHOD_UPDATED = "payment_method.updated"
SETUP_INTENT_CREATED = "setup_intent.created"
SETUP_INTENT_REQUIRES_ACTION = "setup_intent.requires_action"
SETUP_INTENT_SETUP_FAILED = "setup_intent.setup_failed"
SETUP_INTENT_SUCCEEDED = "setup_intent.succeeded"
SETUP_INTENT_CANCELED = "setup_intent.canceled"
PAYMENT_INTENT_CREATED = "payment_intent.created"
PAYMENT_INTENT_PROCESSING = "payment_intent.processing"
PAYMENT_INTENT_REQUIRES_ACTION = "payment_intent.requires_action"
PAYMENT_INTENT_PAYMENT_FAILED = "payment_intent.payment_failed"
PAYMENT_INTENT_SUCCEEDED = "payment_intent.succeeded"
PAYMENT_INTENT_CANCELED = "payment_intent.canceled"
PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED = "payment_intent.amount_capturable_updated"
CHARGE_SUCCEEDED = "charge.succeeded"
CHARGE_FAILED = "charge.failed"
CHARGE_CAPTURED = "charge.captured"
CHARGE_EXPIRED = "charge.expired"
CHARGE_REFUNDED = "charge.refunded"
CHARGE_UPDATED = "charge.updated"
CHARGE_REFUND_UPDATED = "charge.refund.updated"
REFUND_CREATED = "refund.created"
REFUND_UPDATED = "refund.updated"
REFUND_FAILED = "refund.failed"
MANDATE_UPDATED = "mandate.updated"
TEST_CLOCK_CREATED = "test_helpers.test_clock.created"
TEST_CLOCK_ADVANCING = "test_helpers.test_clock.advancing"
TEST_CLOCK_READY = "test_helpers.test_clock.ready"
TEST_CLOCK_DELETED = "test_helpers.test_clock.deleted"

#: Every event type pmsim emits, with when it happens.
EVENT_TYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        CUSTOMER_CREATED: "a customer is created",
        CUSTOMER_UPDATED: "a customer changes, including its default being cleared by a detach",
        CUSTOMER_DELETED: "a customer is deleted (after its payment methods are detached)",
        CUSTOMER_SOURCE_CREATED: "a legacy card source is added to a customer",
        CUSTOMER_SOURCE_UPDATED: "a legacy card source's name, address, expiry or metadata change",
        CUSTOMER_SOURCE_DELETED: "a legacy card source is deleted (or replaced, or its customer)",
        PAYMENT_METHOD_ATTACHED: "a payment method is attached to a customer",
        PAYMENT_METHOD_DETACHED: "a payment method is detached from a customer",
        PAYMENT_METHOD_UPDATED: "a payment method is updated through the update API",
        SETUP_INTENT_CREATED: "a SetupIntent is created",
        SETUP_INTENT_REQUIRES_ACTION: "a SetupIntent's card asks for 3-D Secure",
        SETUP_INTENT_SETUP_FAILED: "a SetupIntent's card declines or fails 3-D Secure",
        SETUP_INTENT_SUCCEEDED: "a SetupIntent succeeds (after its card is attached, if it is)",
        SETUP_INTENT_CANCELED: "a SetupIntent is canceled",
        PAYMENT_INTENT_CREATED: "a PaymentIntent is created",
        PAYMENT_INTENT_REQUIRES_ACTION: "a PaymentIntent's card asks for 3-D Secure",
        PAYMENT_INTENT_PROCESSING: "a bank debit is submitted; it succeeds or fails later",
        PAYMENT_INTENT_PAYMENT_FAILED: "a payment declines, fails 3-D Secure, or its debit fails",
        PAYMENT_INTENT_SUCCEEDED: "a payment succeeds (after its card is saved, if it is)",
        PAYMENT_INTENT_CANCELED: (
            "a PaymentIntent is canceled (by a call, or when its authorization expires)"
        ),
        PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED: (
            "a manual-capture payment is authorized and waits to be captured"
        ),
        CHARGE_SUCCEEDED: (
            "a payment's charge succeeds, or is authorized for manual capture (before the "
            "PaymentIntent's event)"
        ),
        CHARGE_FAILED: (
            "a payment's charge declines or its debit fails (before the intent's event)"
        ),
        CHARGE_CAPTURED: "an authorized charge is captured, in part or whole",
        CHARGE_EXPIRED: "an authorized charge is not captured in time and is released",
        CHARGE_REFUNDED: (
            "a charge is refunded, in part or in full, or its authorization released by a cancel"
        ),
        CHARGE_REFUND_UPDATED: "a charge's refund changes status later (a refund test card)",
        CHARGE_UPDATED: "a charge's description, metadata or receipt_email is updated",
        REFUND_CREATED: "a refund is made (on accounts from API version 2024-10-28.acacia)",
        REFUND_UPDATED: "a refund changes status later (on accounts from 2024-10-28.acacia)",
        REFUND_FAILED: "a refund fails later (on accounts from 2024-10-28.acacia)",
        MANDATE_UPDATED: "a mandate becomes inactive (its payment method is detached)",
        TEST_CLOCK_CREATED: "a test clock is created",
        TEST_CLOCK_ADVANCING: "a test clock starts advancing",
        TEST_CLOCK_READY: "a test clock has advanced (at once, in pmsim)",
        TEST_CLOCK_DELETED: "a test clock is deleted, with its customers",
    }
)


def previous_attributes(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The old values of what changed between two renderings of one object.

    Nested hashes report only their changed keys (a key that did not exist before reports
    ``None``); a changed list or a hash that appeared or vanished reports its whole old value,
    as Stripe's event docs describe for ``data.previous_attributes``.
    """
    changed: dict[str, Any] = {}
    for key, new_value in new.items():
        old_value = old.get(key)
        if old_value == new_value:
            continue
        if isinstance(old_value, Mapping) and isinstance(new_value, Mapping):
            changed[key] = previous_attributes(old_value, new_value) | {
                gone: value for gone, value in old_value.items() if gone not in new_value
            }
        else:
            changed[key] = old_value
    return changed


def frozen_copy(value: Any) -> Any:
    """A read-only deep copy: hashes become mapping proxies and lists tuples, so an event's
    ``previous_attributes`` cannot be changed through the object the API hands out."""
    kind = type(value)
    if value is None or kind is str or kind is int or kind is bool:
        return value  # the common leaves first: every event passes through here
    if isinstance(value, Mapping):
        return MappingProxyType({key: frozen_copy(item) for key, item in value.items()})
    if isinstance(value, list | tuple):
        return tuple(frozen_copy(item) for item in value)
    return value


def plain_copy(value: Any) -> Any:
    """The JSON-ready twin of :func:`frozen_copy`: dicts and lists, freshly made."""
    if isinstance(value, Mapping):
        return {key: plain_copy(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [plain_copy(item) for item in value]
    return value


@frozen(repr=False)
class Event:
    """A Stripe Event; ``data.object`` is the object as it was when the event happened.

    >>> sim = __import__("pmsim").Simulator()
    >>> _ = sim.customers.create()
    >>> sim.events.list().data[0].type
    'customer.created'
    >>> sim.events.list().data[0]
    <Event evt_1lvfnJ8xT6gRG9yFNCEs5N8r customer.created cus_vzhSd13HEAQ3so>
    """

    id: str
    type: str
    created: int
    object: StripeObject
    previous_attributes: Mapping[str, Any] | None = None  # read-only: see frozen_copy
    request_id: str | None = None
    idempotency_key: str | None = None
    #: The webhook endpoints still owed this event (subscribed when it happened, not yet
    #: answered 2xx): ``pending_webhooks`` counts them. In-process nothing posts to endpoints,
    #: so they stay owed; ``pmsim serve`` settles each one its post succeeds.
    owed: tuple[str, ...] = ()
    #: The account's default API version when it happened: ``data`` is rendered in it.
    api_version: ApiVersion = versions.NEWEST

    @property
    def data(self) -> dict[str, Any]:
        """``data`` as Stripe sends it: ``object`` and, where present, ``previous_attributes``."""
        data: dict[str, Any] = {"object": self.object.to_dict()}
        if self.previous_attributes is not None:
            data["previous_attributes"] = plain_copy(self.previous_attributes)
        return data

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.type} {self.object.id}>"

    def _repr_html_(self) -> str:
        from pmsim.display.records import event_html  # lazy: the renderer sits above

        return event_html(self)

    def to_dict(self, version: ApiVersion | None = None) -> dict[str, Any]:
        """Stripe's JSON, ``data`` rendered in the event's version, or in ``version`` (a
        webhook endpoint's own)."""
        shown = self.api_version if version is None else version
        return {
            "id": self.id,
            "object": "event",
            "api_version": shown.name,
            "created": self.created,
            "data": render(self.data, shown),
            "livemode": False,
            "pending_webhooks": len(self.owed),
            "request": {"id": self.request_id, "idempotency_key": self.idempotency_key},
            "type": self.type,
        }
