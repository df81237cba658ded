"""``sim.payment_intents``: card payments, and saving the card with ``setup_future_usage``.

A successful payment with a customer and ``setup_future_usage`` attaches the card
(``payment_method.attached`` before ``payment_intent.succeeded``); any other successful
payment with a card that is not the customer's uses the card up, so it can never be attached.
As for SetupIntents, a declined payment is recorded on the intent (``requires_payment_method``,
``last_payment_error``, ``payment_intent.payment_failed``) and answers a 402 afterwards.
With ``capture_method=manual`` a payment is authorized and captured later (``engine/captures.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import evolve

from pmsim.domain import automatic_methods, params, pm_params
from pmsim.domain.amounts import checked_amount, checked_currency
from pmsim.domain.events import (
    PAYMENT_INTENT_CANCELED,
    PAYMENT_INTENT_CREATED,
)
from pmsim.domain.inputs import (
    AutomaticMethodsParams,
    CaptureMethod,
    MandateDataParams,
    MetadataParams,
    PaymentCancellationReason,
    PaymentMethodOptionsParams,
    SimulatedTypes,
    Unset,
    Usage,
)
from pmsim.domain.messages import bank_debits as debit_messages
from pmsim.domain.messages import intents as messages
from pmsim.domain.messages import parameters
from pmsim.domain.payment_intents import (
    PaymentAction,
    PaymentIntent,
    PaymentStatus,
    allowed,
)
from pmsim.engine import bank_debits, captures, method_options, microdeposits, payments, rules
from pmsim.engine import intents as shared
from pmsim.engine.payment_intent_reads import PaymentIntentReads

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel

FUTURE_USAGES = ("off_session", "on_session")
CANCELLATION_REASONS = ("abandoned", "duplicate", "fraudulent", "requested_by_customer")
#: What only an open intent may change; description, metadata and receipt_email always can.
PAYMENT_FIELDS = frozenset(
    {"amount", "currency", "customer", "payment_method", "payment_method_types",
     "setup_future_usage", "capture_method", "payment_method_options"}
)  # fmt: skip
_S = PaymentStatus
_NAME = "Payment Intent"  # as the return_url message names it


class PaymentIntents(captures.Captures, PaymentIntentReads, microdeposits.PaymentVerifications):
    """Stripe's PaymentIntent operations for card payments (``capture``: ``Captures``).

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> pi = sim.payment_intents.create(amount=2000, currency="eur", customer=cus.id,
    ...     payment_method="pm_card_visa", setup_future_usage="off_session", confirm=True,
    ...     return_url="https://example.com/return")
    >>> pi.status.value, sim.payment_methods.retrieve(pi.payment_method).customer == cus.id
    ('succeeded', True)
    >>> pi.automatic_payment_methods.to_dict()  # the default: a confirmation needs a return_url
    {'allow_redirects': 'always', 'enabled': True}
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
        payment_method_options: PaymentMethodOptionsParams | None = None,
        payment_method_types: SimulatedTypes | None = None,
        automatic_payment_methods: AutomaticMethodsParams | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        receipt_email: str | None = None,
        return_url: str | None = None,
        mandate_data: MandateDataParams | None = None,
        mandate: str | None = None,
    ) -> PaymentIntent:
        """Create a PaymentIntent; ``confirm=True`` pays in the same call (with a
        ``return_url`` unless ``off_session``, when it uses automatic payment methods, and
        for a bank debit ``mandate_data``, or the ``mandate`` to debit under)."""
        for name, value in (("amount", amount), ("currency", currency)):
            if value is None:
                raise parameters.missing_param(name)
        code = checked_currency(currency)
        total = checked_amount(amount, "amount", currency=code)
        confirming = confirm is not None and params.boolean(confirm, "confirm")
        unattended = off_session is not None and params.boolean(off_session, "off_session")
        if off_session is not None and not confirming:
            raise messages.off_session_needs_confirm()
        sent: dict[str, object] = {"mandate": mandate, "mandate_data": mandate_data}
        for name, mandate_param in sent.items():
            if mandate_param is not None and not confirming:
                raise debit_messages.needs_confirm(name, "PaymentIntent")
        version = self._kernel.answering_version()
        capture = captures.capture_method(capture_method, version)
        chosen_options = method_options.options(payment_method_options, "payment_intent")
        types, automatic = automatic_methods.accepted(
            payment_method_types, automatic_payment_methods, version
        )
        payments.check_currency(types, code)
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        with self._kernel.operation() as op:
            fields, pm = shared.opening(
                op, "pi", _S, customer=customer, payment_method=payment_method
            )
            intent = PaymentIntent(
                **fields,
                amount=total,
                currency=code,
                setup_future_usage=_future_usage(setup_future_usage),
                **shared.described(description, metadata),
                capture_method=capture,
                **chosen_options,
                receipt_email=None if receipt_email in (None, "") else params.email(
                    receipt_email, "receipt_email"
                ),
                payment_method_types=types,
                automatic_payment_methods=automatic,
            )  # fmt: skip
            outcome: shared.Outcome[PaymentIntent] = (
                shared.moved(op, intent, PAYMENT_INTENT_CREATED),
                None,
            )
            if confirming:
                if pm is None:  # the intent is not kept either, so the error names none
                    raise messages.pi_missing_payment_method(intent.customer)
                automatic_methods.check_return_url(automatic, return_url, unattended, _NAME)
                intent = evolve(intent, return_url=return_url or None)
                outcome = payments.confirm(op, intent, pm, unattended, mandate_data, mandate)
        return shared.settled(outcome)

    def retrieve(self, intent: str) -> PaymentIntent:
        """The PaymentIntent."""
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
        payment_method_types: SimulatedTypes | None = None,
        capture_method: CaptureMethod | None = None,
        payment_method_options: PaymentMethodOptionsParams | None = None,
    ) -> PaymentIntent:
        """Change what is sent; the payment itself (amount, currency, customer, card, future
        usage, types) only while the intent is open, and a new card needs confirming.

        Any update clears ``last_payment_error``, as Stripe documents.
        """
        automatic_methods.refuse_types_sent(payment_method_types, self._kernel.answering_version())
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.payment_intents, intent, "payment_intent")
            sent = rules.sent(
                amount=amount, currency=currency, customer=customer,
                payment_method=payment_method, setup_future_usage=setup_future_usage,
                description=description, metadata=metadata, receipt_email=receipt_email,
                payment_method_types=payment_method_types, capture_method=capture_method,
                payment_method_options=payment_method_options,
            )  # fmt: skip
            if not sent:
                return current
            locked = [key for key in sent if key in PAYMENT_FIELDS]
            if locked and not allowed(current.status, PaymentAction.UPDATE):
                raise messages.pi_unexpected_state(
                    PaymentAction.UPDATE, current.status, current, field=locked[0]
                )
            code = checked_currency(currency) if currency is not None else current.currency
            changes: dict[str, Any] = {"last_payment_error": None, "currency": code}
            if amount is not None or currency is not None:
                changes["amount"] = checked_amount(
                    current.amount if amount is None else amount, "amount", currency=code
                )
            changes |= shared.card_changes(op, _S, customer, payment_method)
            if setup_future_usage is not None:
                changes["setup_future_usage"] = _future_usage(setup_future_usage)
            if capture_method is not None:
                changes["capture_method"] = captures.capture_method(capture_method, op.version)
            changes |= method_options.options(payment_method_options, "payment_intent")
            if payment_method_types is not None:
                changes["payment_method_types"] = pm_params.intent_types(payment_method_types)
                changes["automatic_payment_methods"] = None
            changes |= shared.text_changes(current, description, metadata)
            if receipt_email is not None:
                changes["receipt_email"] = (
                    None if receipt_email == "" else params.email(receipt_email, "receipt_email")
                )
            return shared.updated(op, current, changes)

    def confirm(
        self,
        intent: str,
        *,
        payment_method: str | None = None,
        off_session: bool | None = None,
        setup_future_usage: Usage | Unset | None = None,
        return_url: str | None = None,
        payment_method_types: SimulatedTypes | None = None,
        mandate_data: MandateDataParams | None = None,
        capture_method: CaptureMethod | None = None,
        payment_method_options: PaymentMethodOptionsParams | None = None,
        mandate: str | None = None,
    ) -> PaymentIntent:
        """Pay: the card is checked, 3-D Secure asked for if the bank wants it, and the
        card saved (``setup_future_usage`` with a customer) or used up; a bank debit is
        submitted under a mandate (``mandate_data``, the ``mandate`` named, or its newest
        active one) and answered later.
        An intent with automatic payment methods needs a ``return_url`` unless
        ``off_session``."""
        unattended = off_session is not None and params.boolean(off_session, "off_session")
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        automatic_methods.refuse_types_sent(payment_method_types, self._kernel.answering_version())
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.payment_intents, intent, "payment_intent")
            chosen = payment_method if payment_method is not None else current.payment_method
            if not allowed(current.status, PaymentAction.CONFIRM):
                raise messages.pi_unexpected_state(PaymentAction.CONFIRM, current.status, current)
            if chosen is None:  # checked after the status, unlike a SetupIntent's
                raise messages.pi_missing_payment_method(current.customer, current)
            if payment_method_types is not None:  # the types this confirmation accepts
                current = evolve(
                    current,
                    payment_method_types=pm_params.intent_types(payment_method_types),
                    automatic_payment_methods=None,
                )
            if setup_future_usage is not None:
                current = evolve(current, setup_future_usage=_future_usage(setup_future_usage))
            if capture_method is not None:
                current = evolve(current, capture_method=captures.capture_method(
                    capture_method, op.version))  # fmt: skip
            current = evolve(
                current, **method_options.options(payment_method_options, "payment_intent")
            )
            pm = rules.stored_pm(op, chosen)
            automatic_methods.check_return_url(
                current.automatic_payment_methods, return_url, unattended, _NAME
            )
            # confirming again starts over: microdeposits already sent no longer apply
            current = evolve(current, return_url=return_url or None, microdeposits=None)
            outcome = payments.confirm(op, current, pm, unattended, mandate_data, mandate)
        return shared.settled(outcome)

    def cancel(
        self, intent: str, *, cancellation_reason: PaymentCancellationReason | None = None
    ) -> PaymentIntent:
        """Cancel an intent that has not succeeded (releasing what it holds, if authorized)."""
        reason = shared.reason(cancellation_reason, CANCELLATION_REASONS)
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.payment_intents, intent, "payment_intent")
            cancelable = payments.cancelable(op.store, current)  # a processing debit is not
            if not allowed(current.status, PaymentAction.CANCEL) or not cancelable:
                raise messages.pi_unexpected_state(PaymentAction.CANCEL, current.status, current)
            bank_debits.canceled_while_processing(op, current)  # its charge's event first
            return shared.moved(
                op, current, PAYMENT_INTENT_CANCELED, status=_S.CANCELED,
                cancellation_reason=reason, canceled_at=op.now,
                **captures.released_by_cancel(op, current),  # its charge's events come first
            )  # fmt: skip


def _future_usage(value: object) -> str | None:
    if value is None or value == "":
        return None
    return params.choice(value, "setup_future_usage", FUTURE_USAGES)
