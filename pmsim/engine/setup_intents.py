"""``sim.setup_intents``: save a card for later, the way Stripe recommends.

Every status change goes through :data:`pmsim.domain.setup_intents.TRANSITIONS`. A declined
card is the one failure that changes state: Stripe records the decline on the intent
(``requires_payment_method`` with ``last_setup_error``, and ``setup_intent.setup_failed``)
and answers a 402, so the operation commits first and raises afterwards. Every other refusal
changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from attrs import evolve

from pmsim.domain import automatic_methods, errors, params, pm_params
from pmsim.domain.cards import CARDS_BY_NAME
from pmsim.domain.events import (
    SETUP_INTENT_CANCELED,
    SETUP_INTENT_CREATED,
    SETUP_INTENT_REQUIRES_ACTION,
)
from pmsim.domain.inputs import (
    AutomaticMethodsParams,
    Created,
    MandateDataParams,
    MetadataParams,
    SetupCancellationReason,
    SetupMethodOptionsParams,
    SimulatedTypes,
    Unset,
    Usage,
)
from pmsim.domain.intents import IntentError
from pmsim.domain.mandates import CustomerAcceptance, customer_acceptance
from pmsim.domain.messages import bank_debits as debit_messages
from pmsim.domain.messages import intents as messages
from pmsim.domain.models import PaymentMethod
from pmsim.domain.pages import ListObject
from pmsim.domain.setup_attempts import AttemptStatus
from pmsim.domain.setup_intents import (
    SetupAction,
    SetupIntent,
    SetupStatus,
    allowed,
    confirm_outcome,
)
from pmsim.engine import bank_debits, method_options, microdeposits, rules
from pmsim.engine import intents as shared
from pmsim.engine.setup_outcomes import attempted, failed, succeed

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation

USAGES = ("off_session", "on_session")
CANCELLATION_REASONS = ("abandoned", "duplicate", "requested_by_customer")
_S = SetupStatus
_NAME = "Setup Intent"  # as the return_url message names it
#: A type's setup: the operation, the intent, its payment method, and the mandate the
#: confirmation brought, if any.
SetUp = Callable[
    ["Operation", SetupIntent, PaymentMethod, CustomerAcceptance | None],
    tuple[SetupIntent, errors.StripeError | None],
]


class SetupIntents(microdeposits.SetupVerifications):
    """Stripe's SetupIntent operations for cards.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> seti = sim.setup_intents.create(customer=cus.id, payment_method="pm_card_visa")
    >>> seti.status.value
    'requires_confirmation'
    >>> seti = sim.setup_intents.confirm(seti.id, return_url="https://example.com/return")
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
        automatic_payment_methods: AutomaticMethodsParams | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        return_url: str | None = None,
        mandate_data: MandateDataParams | None = None,
        payment_method_options: SetupMethodOptionsParams | None = None,
    ) -> SetupIntent:
        """Create a SetupIntent; ``confirm=True`` confirms it in the same call (with a
        ``return_url``, when it uses automatic payment methods, and ``mandate_data`` for a
        bank debit)."""
        confirming = confirm is not None and params.boolean(confirm, "confirm")
        if mandate_data is not None and not confirming:
            raise debit_messages.needs_confirm("mandate_data", "SetupIntent")
        types, automatic = automatic_methods.accepted(
            payment_method_types, automatic_payment_methods, self._kernel.answering_version()
        )
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        chosen_options = method_options.options(payment_method_options, "setup_intent")
        with self._kernel.operation() as op:
            fields, pm = shared.opening(
                op, "seti", _S, customer=customer, payment_method=payment_method
            )
            intent = SetupIntent(
                **fields,
                usage="off_session" if usage is None else params.choice(usage, "usage", USAGES),
                **shared.described(description, metadata),
                payment_method_types=types,
                automatic_payment_methods=automatic,
                **chosen_options,
            )
            outcome: shared.Outcome[SetupIntent] = (
                shared.moved(op, intent, SETUP_INTENT_CREATED),
                None,
            )
            if confirming:
                if pm is None:
                    raise messages.missing_payment_method()
                automatic_methods.check_return_url(automatic, return_url, False, _NAME)
                intent = evolve(intent, return_url=return_url or None)
                outcome = _confirm(op, intent, pm, mandate_data)
        return shared.settled(outcome)

    def retrieve(self, intent: str) -> SetupIntent:
        """The SetupIntent."""
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
        payment_method_types: SimulatedTypes | None = None,
        payment_method_options: SetupMethodOptionsParams | None = None,
    ) -> SetupIntent:
        """Change what is sent; a new payment method must be confirmed again."""
        automatic_methods.refuse_types_sent(payment_method_types, self._kernel.answering_version())
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            card_fields = (payment_method, customer, payment_method_types, payment_method_options)
            changing = any(sent is not None for sent in card_fields)
            if changing and not allowed(current.status, SetupAction.UPDATE_PAYMENT_METHOD):
                raise messages.unexpected_state(
                    SetupAction.UPDATE_PAYMENT_METHOD, current.status, current
                )
            changes = shared.card_changes(op, _S, customer, payment_method)
            changes |= method_options.options(payment_method_options, "setup_intent")
            if payment_method_types is not None:  # the types, no longer automatic
                changes["payment_method_types"] = pm_params.intent_types(payment_method_types)
                changes["automatic_payment_methods"] = None
            if changes.get("payment_method"):  # a new card: the last error no longer applies
                changes["last_setup_error"] = None
            changes |= shared.text_changes(current, description, metadata)
            return shared.updated(op, current, changes)

    def confirm(
        self,
        intent: str,
        *,
        payment_method: str | None = None,
        return_url: str | None = None,
        mandate_data: MandateDataParams | None = None,
        payment_method_options: SetupMethodOptionsParams | None = None,
    ) -> SetupIntent:
        """Confirm: the card is checked (a bank debit needs ``mandate_data``, and gets a
        mandate), then attached to the customer (or set up, if none)."""
        rules.optional_text(return_url, "return_url")  # checked; only redirects would use it
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            chosen = payment_method if payment_method is not None else current.payment_method
            if chosen is None:  # checked before the status, as Stripe does
                raise messages.missing_payment_method(current)
            if not allowed(current.status, SetupAction.CONFIRM):
                raise messages.unexpected_state(SetupAction.CONFIRM, current.status, current)
            pm = rules.stored_pm(op, chosen)
            automatic_methods.check_return_url(
                current.automatic_payment_methods, return_url, False, _NAME
            )
            # confirming again starts over: microdeposits already sent no longer apply
            current = evolve(
                current, return_url=return_url or None, microdeposits=None,
                **method_options.options(payment_method_options, "setup_intent"),
            )  # fmt: skip
            outcome = _confirm(op, current, pm, mandate_data)
        return shared.settled(outcome)

    def cancel(
        self, intent: str, *, cancellation_reason: SetupCancellationReason | None = None
    ) -> SetupIntent:
        """Cancel an intent that has not succeeded."""
        reason = shared.reason(cancellation_reason, CANCELLATION_REASONS)
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            if not allowed(current.status, SetupAction.CANCEL):
                raise messages.unexpected_state(SetupAction.CANCEL, current.status, current)
            return shared.moved(
                op, current, SETUP_INTENT_CANCELED, status=_S.CANCELED, cancellation_reason=reason
            )

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
        with self._kernel.lock:
            return shared.listed(
                self._kernel.store.setup_intents, "setup_intent", created=created,
                filters={"customer": customer, "payment_method": payment_method},
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip


def _confirm(
    op: Operation, intent: SetupIntent, pm: PaymentMethod, mandate_data: object
) -> tuple[SetupIntent, errors.StripeError | None]:
    """Run a confirmation, as the payment method's type does it."""
    shared.check_type(intent, pm, "SetupIntent")
    acceptance = None if mandate_data is None else customer_acceptance(mandate_data, now=op.now)
    return SETUPS[pm.type](op, intent, pm, acceptance)


def _set_up_bank_debit(
    op: Operation, intent: SetupIntent, pm: PaymentMethod, acceptance: CustomerAcceptance | None
) -> tuple[SetupIntent, errors.StripeError | None]:
    """A bank debit is saved under a new mandate (``mandate``), and never declines here."""
    attempt = op.new_id("setatt")
    mandate = bank_debits.set_up(op, intent, pm, acceptance)
    return succeed(op, evolve(intent, mandate=mandate.id), pm, attempt), None


def _set_up_card(
    op: Operation, intent: SetupIntent, pm: PaymentMethod, acceptance: CustomerAcceptance | None
) -> tuple[SetupIntent, errors.StripeError | None]:
    """A card is checked (it may decline, or ask for 3-D Secure); a decline comes back as the
    error to raise after committing. ``mandate_data`` means nothing to a card."""
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    attempt = op.new_id("setatt")
    decline = rules.decline_of(pm)
    if decline is not None:
        result = failed(op, intent, IntentError.declined(decline, pm), attempt)
        return result, shared.decline_error(decline, pm, result, "setup_intent")
    if confirm_outcome(CARDS_BY_NAME[pm.test_row]) is _S.REQUIRES_ACTION:
        attempted(op, intent, pm, attempt, AttemptStatus.REQUIRES_ACTION)
        waiting = shared.moved(
            op, intent, SETUP_INTENT_REQUIRES_ACTION, status=_S.REQUIRES_ACTION,
            payment_method=pm.id, last_setup_error=None, latest_attempt=attempt,
        )  # fmt: skip
        return waiting, None
    return succeed(op, intent, pm, attempt), None


#: How each type is set up, by Stripe's name for the type.
SETUPS: Final[Mapping[str, SetUp]] = MappingProxyType(
    {
        "card": _set_up_card,
        "sepa_debit": _set_up_bank_debit,
        "us_bank_account": microdeposits.set_up,
    }
)
