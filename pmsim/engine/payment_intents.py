"""``sim.payment_intents``: card payments, and saving the card with ``setup_future_usage``
(reference §6, §7, §9).

A successful payment with a customer and ``setup_future_usage`` attaches the card
(``payment_method.attached`` before ``payment_intent.succeeded``); any other successful
payment with a card that is not the customer's uses the card up, so it can never be attached.
As for SetupIntents, a declined payment is recorded on the intent (``requires_payment_method``,
``last_payment_error``, ``payment_intent.payment_failed``) and answers a 402 afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import evolve

from pmsim.domain import errors, params, pm_params
from pmsim.domain.amounts import checked_amount, checked_currency
from pmsim.domain.events import (
    PAYMENT_INTENT_CANCELED,
    PAYMENT_INTENT_CREATED,
)
from pmsim.domain.inputs import (
    CaptureMethod,
    Created,
    MetadataParams,
    PaymentCancellationReason,
    SimulatedTypes,
    Unset,
    Usage,
)
from pmsim.domain.messages import intents, parameters
from pmsim.domain.models import EMPTY_METADATA, ListObject
from pmsim.domain.payment_intents import (
    PaymentAction,
    PaymentIntent,
    PaymentStatus,
    allowed,
)
from pmsim.engine import charging, rules
from pmsim.engine.listing import created_filter, table_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel

FUTURE_USAGES = ("off_session", "on_session")
CAPTURE_METHODS = ("automatic", "automatic_async", "manual")
CANCELLATION_REASONS = ("abandoned", "duplicate", "fraudulent", "requested_by_customer")
#: What only an open intent may change; description, metadata and receipt_email always can.
PAYMENT_FIELDS = frozenset(
    {"amount", "currency", "customer", "payment_method", "setup_future_usage"}
)
_S = PaymentStatus


class PaymentIntents:
    """Stripe's PaymentIntent operations for card payments.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> pi = sim.payment_intents.create(amount=2000, currency="eur", customer=cus.id,
    ...     payment_method="pm_card_visa", setup_future_usage="off_session", confirm=True)
    >>> pi.status.value, sim.payment_methods.retrieve(pi.payment_method).customer == cus.id
    ('succeeded', True)
    """

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(
        self,
        *,
        amount: int | None = None,
        currency: str | None = None,
        customer: str | None = None,
        payment_method: str | None = None,
        confirm: bool | None = None,
        off_session: bool | None = None,
        setup_future_usage: Usage | Unset | None = None,
        capture_method: CaptureMethod | None = None,
        payment_method_types: SimulatedTypes | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        receipt_email: str | None = None,
        return_url: str | None = None,
    ) -> PaymentIntent:
        """Create a PaymentIntent; ``confirm=True`` pays in the same call (§6.1)."""
        for name, value in (("amount", amount), ("currency", currency)):
            if value is None:
                raise parameters.missing_param(name)
        code = checked_currency(currency)
        total = checked_amount(amount, "amount", currency=code)
        confirming = confirm is not None and params.boolean(confirm, "confirm")
        unattended = off_session is not None and params.boolean(off_session, "off_session")
        if off_session is not None and not confirming:
            raise intents.off_session_needs_confirm()
        capture = _capture_method(capture_method)
        types = pm_params.intent_types(payment_method_types)
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        error: errors.StripeError | None = None
        with self._kernel.operation() as op:
            owner = None if customer is None else rules.live_customer(op.store, customer).id
            pm = None if payment_method is None else rules.stored_pm(op, payment_method)
            intent_id = op.new_id("pi")
            intent = PaymentIntent(
                id=intent_id,
                created=op.now,
                client_secret=rules.client_secret(intent_id),
                amount=total,
                currency=code,
                status=_S.REQUIRES_PAYMENT_METHOD if pm is None else _S.REQUIRES_CONFIRMATION,
                customer=owner,
                payment_method=None if pm is None else pm.id,
                setup_future_usage=_future_usage(setup_future_usage),
                description=rules.optional_text(description, "description"),
                metadata=params.metadata(EMPTY_METADATA, metadata) if metadata else EMPTY_METADATA,
                capture_method=capture,
                receipt_email=None if receipt_email in (None, "") else params.email(
                    receipt_email, "receipt_email"
                ),
                payment_method_types=types,
            )  # fmt: skip
            op.put(intent)
            op.emit(PAYMENT_INTENT_CREATED, intent)
            if confirming:
                if pm is None:  # the intent is not kept either, so the error names none
                    raise intents.pi_missing_payment_method(owner)
                intent, error = charging.confirm(op, intent, pm, off_session=unattended)
        if error is not None:
            raise error
        return intent

    def retrieve(self, intent: str) -> PaymentIntent:
        """The PaymentIntent (§6.3)."""
        with self._kernel.lock:
            return rules.find_intent(self._kernel.store.payment_intents, intent, "payment_intent")

    def update(
        self,
        intent: str,
        *,
        amount: int | None = None,
        currency: str | None = None,
        customer: str | None = None,
        payment_method: str | None = None,
        setup_future_usage: Usage | Unset | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        receipt_email: str | None = None,
    ) -> PaymentIntent:
        """Change what is sent; the payment itself (amount, currency, customer, card, future
        usage) only while the intent is open, and a new card needs confirming (§6.3).

        Any update clears ``last_payment_error``, as Stripe documents.
        """
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.payment_intents, intent, "payment_intent")
            sent = {
                "amount": amount, "currency": currency, "customer": customer,
                "payment_method": payment_method, "setup_future_usage": setup_future_usage,
                "description": description, "metadata": metadata, "receipt_email": receipt_email,
            }  # fmt: skip
            sent = {key: value for key, value in sent.items() if value is not None}
            if not sent:
                return current
            locked = [key for key in sent if key in PAYMENT_FIELDS]
            if locked and not allowed(current.status, PaymentAction.UPDATE):
                raise intents.pi_unexpected_state(
                    PaymentAction.UPDATE, current.status, current, field=locked[0]
                )
            code = checked_currency(currency) if currency is not None else current.currency
            changes: dict[str, Any] = {"last_payment_error": None, "currency": code}
            if amount is not None or currency is not None:
                changes["amount"] = checked_amount(
                    current.amount if amount is None else amount, "amount", currency=code
                )
            changes |= rules.owner_and_card(op, customer, payment_method)
            if "payment_method" in changes:  # a new card needs confirming again
                card = changes["payment_method"]
                changes["status"] = _S.REQUIRES_CONFIRMATION if card else _S.REQUIRES_PAYMENT_METHOD
            if setup_future_usage is not None:
                changes["setup_future_usage"] = _future_usage(setup_future_usage)
            if description is not None:
                changes["description"] = rules.optional_text(description, "description")
            if metadata is not None:
                changes["metadata"] = params.metadata(current.metadata, metadata)
            if receipt_email is not None:
                changes["receipt_email"] = (
                    None if receipt_email == "" else params.email(receipt_email, "receipt_email")
                )
            updated = evolve(current, **changes)
            if updated != current:
                op.put(updated)  # no payment_intent.updated in the events pmsim emits (§10.2)
        return updated

    def confirm(
        self,
        intent: str,
        *,
        payment_method: str | None = None,
        off_session: bool | None = None,
        setup_future_usage: Usage | Unset | None = None,
        return_url: str | None = None,
    ) -> PaymentIntent:
        """Pay: the card is checked, 3-D Secure asked for if the bank wants it, and the
        card saved (``setup_future_usage`` with a customer) or used up (§6.2)."""
        unattended = off_session is not None and params.boolean(off_session, "off_session")
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        error: errors.StripeError | None = None
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.payment_intents, intent, "payment_intent")
            chosen = payment_method if payment_method is not None else current.payment_method
            if not allowed(current.status, PaymentAction.CONFIRM):
                raise intents.pi_unexpected_state(PaymentAction.CONFIRM, current.status, current)
            if chosen is None:
                raise intents.pi_missing_payment_method(current.customer, current)
            if setup_future_usage is not None:
                current = evolve(current, setup_future_usage=_future_usage(setup_future_usage))
            pm = rules.stored_pm(op, chosen)
            result, error = charging.confirm(op, current, pm, off_session=unattended)
        if error is not None:
            raise error
        return result

    def cancel(
        self, intent: str, *, cancellation_reason: PaymentCancellationReason | None = None
    ) -> PaymentIntent:
        """Cancel an intent that has not succeeded (§6.3)."""
        reason = None
        if cancellation_reason is not None:
            reason = params.choice(cancellation_reason, "cancellation_reason", CANCELLATION_REASONS)
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.payment_intents, intent, "payment_intent")
            if not allowed(current.status, PaymentAction.CANCEL):
                raise intents.pi_unexpected_state(PaymentAction.CANCEL, current.status, current)
            canceled = evolve(
                current, status=_S.CANCELED, cancellation_reason=reason, canceled_at=op.now
            )
            op.put(canceled)
            op.emit(PAYMENT_INTENT_CANCELED, canceled)
        return canceled

    def list(
        self,
        *,
        customer: str | None = None,
        created: Created | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[PaymentIntent]:
        """PaymentIntents, newest first, optionally of one customer."""
        when = created_filter(created)
        wanted = None if customer is None else params.string(customer, "customer")

        def keep(found: PaymentIntent) -> bool:
            mine = wanted is None or found.customer == wanted
            return mine and (when is None or when(found.created))

        with self._kernel.lock:
            return table_page(
                self._kernel.store.payment_intents, kind="payment_intent",
                url="/v1/payment_intents",
                keep=None if wanted is None and when is None else keep,
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip


def _future_usage(value: object) -> str | None:
    if value is None or value == "":
        return None
    return params.choice(value, "setup_future_usage", FUTURE_USAGES)


def _capture_method(value: object) -> str:
    if value is None:
        return "automatic"
    method = params.choice(value, "capture_method", CAPTURE_METHODS)
    if method == "manual":
        raise intents.manual_capture_not_simulated()
    return method
