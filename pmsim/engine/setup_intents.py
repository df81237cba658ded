"""``sim.setup_intents``: save a card for later, the way Stripe recommends (reference §5, §8).

Every status change goes through :data:`pmsim.domain.setup_intents.TRANSITIONS`. A declined
card is the one failure that changes state: Stripe records the decline on the intent
(``requires_payment_method`` with ``last_setup_error``, and ``setup_intent.setup_failed``)
and answers a 402, so the operation commits first and raises afterwards. Every other refusal
changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import evolve

from pmsim.domain import errors, params, pm_params
from pmsim.domain.cards import CARDS_BY_NAME
from pmsim.domain.events import (
    SETUP_INTENT_CANCELED,
    SETUP_INTENT_CREATED,
    SETUP_INTENT_REQUIRES_ACTION,
    SETUP_INTENT_SETUP_FAILED,
    SETUP_INTENT_SUCCEEDED,
)
from pmsim.domain.inputs import (
    Created,
    MetadataParams,
    SetupCancellationReason,
    SimulatedTypes,
    Unset,
    Usage,
)
from pmsim.domain.intents import IntentError
from pmsim.domain.lifecycle import Action, apply
from pmsim.domain.messages import intents
from pmsim.domain.models import EMPTY_METADATA, ListObject, PaymentMethod
from pmsim.domain.setup_intents import (
    SetupAction,
    SetupIntent,
    SetupStatus,
    allowed,
    confirm_outcome,
)
from pmsim.engine import hints, rules
from pmsim.engine.listing import created_filter, table_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation

USAGES = ("off_session", "on_session")
CANCELLATION_REASONS = ("abandoned", "duplicate", "requested_by_customer")
_S = SetupStatus


class SetupIntents:
    """Stripe's SetupIntent operations for cards.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> seti = sim.setup_intents.create(customer=cus.id, payment_method="pm_card_visa")
    >>> seti.status.value
    'requires_confirmation'
    >>> seti = sim.setup_intents.confirm(seti.id)
    >>> seti.status.value, sim.payment_methods.retrieve(seti.payment_method).customer == cus.id
    ('succeeded', True)
    """

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(
        self,
        *,
        customer: str | None = None,
        payment_method: str | None = None,
        confirm: bool | None = None,
        usage: Usage | None = None,
        payment_method_types: SimulatedTypes | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        return_url: str | None = None,
    ) -> SetupIntent:
        """Create a SetupIntent; ``confirm=True`` confirms it in the same call (§5.1)."""
        confirming = confirm is not None and params.boolean(confirm, "confirm")
        types = pm_params.intent_types(payment_method_types)
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        error: errors.StripeError | None = None
        with self._kernel.operation() as op:
            owner = None if customer is None else rules.live_customer(op.store, customer).id
            pm = None if payment_method is None else rules.stored_pm(op, payment_method)
            intent_id = op.new_id("seti")
            intent = SetupIntent(
                id=intent_id,
                created=op.now,
                client_secret=rules.client_secret(intent_id),
                status=_S.REQUIRES_PAYMENT_METHOD if pm is None else _S.REQUIRES_CONFIRMATION,
                customer=owner,
                payment_method=None if pm is None else pm.id,
                usage="off_session" if usage is None else params.choice(usage, "usage", USAGES),
                description=rules.optional_text(description, "description"),
                metadata=params.metadata(EMPTY_METADATA, metadata) if metadata else EMPTY_METADATA,
                payment_method_types=types,
            )
            op.put(intent)
            op.emit(SETUP_INTENT_CREATED, intent)
            if confirming:
                if pm is None:
                    raise intents.missing_payment_method()
                intent, error = _confirm(op, intent, pm)
        if error is not None:
            raise error
        return intent

    def retrieve(self, intent: str) -> SetupIntent:
        """The SetupIntent (§5.2)."""
        with self._kernel.lock:
            return rules.find_intent(self._kernel.store.setup_intents, intent, "setup_intent")

    def update(
        self,
        intent: str,
        *,
        customer: str | None = None,
        payment_method: str | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
    ) -> SetupIntent:
        """Change what is sent; a new payment method must be confirmed again (§5.2)."""
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            changes: dict[str, Any] = {}
            changing = payment_method is not None or customer is not None
            if changing and not allowed(current.status, SetupAction.UPDATE_PAYMENT_METHOD):
                raise intents.unexpected_state(
                    SetupAction.UPDATE_PAYMENT_METHOD, current.status, current
                )
            changes |= rules.owner_and_card(op, customer, payment_method)
            if "payment_method" in changes:  # a new card needs confirming; no card, a new one
                card = changes["payment_method"]
                changes["status"] = _S.REQUIRES_CONFIRMATION if card else _S.REQUIRES_PAYMENT_METHOD
                if card:
                    changes["last_setup_error"] = None
            if description is not None:
                changes["description"] = rules.optional_text(description, "description")
            if metadata is not None:
                changes["metadata"] = params.metadata(current.metadata, metadata)
            updated = evolve(current, **changes)
            if updated != current:
                op.put(updated)  # Stripe sends no setup_intent.updated event (§10.2)
        return updated

    def confirm(
        self, intent: str, *, payment_method: str | None = None, return_url: str | None = None
    ) -> SetupIntent:
        """Confirm: the card is checked, then attached to the customer (or used up) (§5.3)."""
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            chosen = payment_method if payment_method is not None else current.payment_method
            if chosen is None:  # checked before the status, as Stripe does (§5.3)
                raise intents.missing_payment_method(current)
            if not allowed(current.status, SetupAction.CONFIRM):
                raise intents.unexpected_state(SetupAction.CONFIRM, current.status, current)
            result, error = _confirm(op, current, rules.stored_pm(op, chosen))
        if error is not None:
            raise error
        return result

    def cancel(
        self, intent: str, *, cancellation_reason: SetupCancellationReason | None = None
    ) -> SetupIntent:
        """Cancel an intent that has not succeeded (§5.4)."""
        reason = None
        if cancellation_reason is not None:
            reason = params.choice(cancellation_reason, "cancellation_reason", CANCELLATION_REASONS)
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            if not allowed(current.status, SetupAction.CANCEL):
                raise intents.unexpected_state(SetupAction.CANCEL, current.status, current)
            canceled = evolve(current, status=_S.CANCELED, cancellation_reason=reason)
            op.put(canceled)
            op.emit(SETUP_INTENT_CANCELED, canceled)
        return canceled

    def list(
        self,
        *,
        customer: str | None = None,
        payment_method: str | None = None,
        created: Created | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[SetupIntent]:
        """SetupIntents, newest first, optionally of one customer or payment method."""
        when = created_filter(created)
        wanted = {
            name: params.string(value, name)
            for name, value in (("customer", customer), ("payment_method", payment_method))
            if value is not None
        }

        def keep(found: SetupIntent) -> bool:
            matches = all(getattr(found, name) == value for name, value in wanted.items())
            return matches and (when is None or when(found.created))

        with self._kernel.lock:
            return table_page(
                self._kernel.store.setup_intents, kind="setup_intent", url="/v1/setup_intents",
                keep=keep if wanted or when else None,
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip


def succeed(op: Operation, intent: SetupIntent, pm: PaymentMethod, attempt: str) -> SetupIntent:
    """Save the card: attach it to the intent's customer, or use it up without one (§5.3).

    Order as Stripe's: ``payment_method.attached`` before ``setup_intent.succeeded``.
    """
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    if intent.customer is not None:
        rules.save_to(op, pm, intent.customer)
    else:  # consumed: it can never be attached afterwards (§5.3, decision (g))
        op.put(pm.with_state(apply(pm.state, Action.USE), None))
    done = evolve(
        intent, status=_S.SUCCEEDED, payment_method=pm.id, last_setup_error=None,
        latest_attempt=attempt,
    )  # fmt: skip
    op.put(done)
    op.emit(SETUP_INTENT_SUCCEEDED, done)
    return done


def failed(op: Operation, intent: SetupIntent, error: IntentError, attempt: str) -> SetupIntent:
    """Back to ``requires_payment_method`` with the error recorded (§5.3)."""
    result = evolve(
        intent, status=_S.REQUIRES_PAYMENT_METHOD, payment_method=None, last_setup_error=error,
        latest_attempt=attempt,
    )  # fmt: skip
    op.put(result)
    op.emit(SETUP_INTENT_SETUP_FAILED, result)
    return result


def _confirm(
    op: Operation, intent: SetupIntent, pm: PaymentMethod
) -> tuple[SetupIntent, errors.StripeError | None]:
    """Run a confirmation; a decline comes back as the error to raise after committing."""
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    attempt = op.new_id("setatt")
    decline = rules.decline_of(pm)
    if decline is not None:
        recorded = IntentError(
            "card_error", decline.message, decline.code, decline.decline_code, decline.param, pm
        )
        result = failed(op, intent, recorded, attempt)
        error = hints.declined(decline.error(), pm, kept=True, recorded_on="SetupIntent")
        error.objects = {"payment_method": pm, "setup_intent": result}
        return result, error
    if confirm_outcome(CARDS_BY_NAME[pm.test_card]) is _S.REQUIRES_ACTION:
        waiting = evolve(
            intent, status=_S.REQUIRES_ACTION, payment_method=pm.id, last_setup_error=None,
            latest_attempt=attempt,
        )  # fmt: skip
        op.put(waiting)
        op.emit(SETUP_INTENT_REQUIRES_ACTION, waiting)
        return waiting, None
    return succeed(op, intent, pm, attempt), None
