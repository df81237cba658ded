"""Bank debits (SEPA Direct Debit, and ACH from a verified US bank account): mandates, and
payments that wait for the bank.

A bank debit is made under a mandate: a new one from the confirmation's ``mandate_data``, or
the payment method's active one (from an earlier SetupIntent or payment). Without either it
is refused, and so a bank debit is never saved for later without a mandate: a SetupIntent
or a payment with ``setup_future_usage`` must send ``mandate_data`` (a direct attach is
accepted, but makes no mandate, so the payment method cannot be debited until one is given).

A payment is submitted at once: its charge (``py_…``) is ``pending`` and the PaymentIntent
``processing`` (``payment_intent.processing``). The bank answers when the clock passes the
charge's ``settles_at`` (:func:`debits_due`, in ``engine/timers.py``), as the test IBAN's
scenario says (``domain/ibans.py``; ``domain/us_bank_accounts.py`` for ACH, whose
``processing`` test account never answers): ``charge.succeeded`` and ``payment_intent.succeeded``,
or ``charge.failed`` and ``payment_intent.payment_failed`` with the PaymentIntent back to
``requires_payment_method``.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=1000, currency="eur", confirm=True,
...     payment_method="pm_sepaDebit_success_de", return_url="https://example.com/return",
...     mandate_data={"customer_acceptance": {"type": "offline"}})
>>> pi.status.value, sim.charges.retrieve(pi.latest_charge).status.value
('processing', 'pending')
>>> _ = sim.clock.advance(minutes=1)
>>> sim.payment_intents.retrieve(pi.id).status.value
'succeeded'
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from attrs import evolve

from pmsim.domain import errors
from pmsim.domain.charges import BANK_DEBIT_OUTCOME, Charge, ChargeStatus
from pmsim.domain.delays import DebitOutcome
from pmsim.domain.events import (
    CHARGE_FAILED,
    CHARGE_SUCCEEDED,
    PAYMENT_INTENT_PAYMENT_FAILED,
    PAYMENT_INTENT_PROCESSING,
    PAYMENT_INTENT_SUCCEEDED,
)
from pmsim.domain.intents import IntentError
from pmsim.domain.lifecycle import Action, PMState, apply
from pmsim.domain.mandates import CustomerAcceptance, Given, Mandate
from pmsim.domain.messages import bank_debits as messages
from pmsim.domain.messages import parameters
from pmsim.domain.models import PaymentMethod
from pmsim.domain.payment_intents import TRANSITIONS, PaymentAction, PaymentIntent, PaymentStatus
from pmsim.domain.pm_types import TYPES
from pmsim.domain.setup_intents import SetupIntent
from pmsim.engine import hints, rules
from pmsim.engine import intents as shared
from pmsim.engine.kernel import Due

if TYPE_CHECKING:
    from pmsim.engine.kernel import Operation
    from pmsim.store import Store

_S = PaymentStatus


def outcome_of(pm: PaymentMethod) -> DebitOutcome | None:
    """What the bank will answer to a debit from ``pm``, by its type's test table (None: it
    never answers, the ACH ``processing`` test account)."""
    answer = TYPES[pm.type].debit_outcome
    if answer is None:  # the payments table sends only bank debits here
        raise TypeError(f"{pm.id} is not a bank debit")
    return answer(pm.test_row)


def pay(
    op: Operation,
    intent: PaymentIntent,
    pm: PaymentMethod,
    off_session: bool,
    given: Given,
) -> tuple[PaymentIntent, errors.StripeError | None]:
    """Submit the debit: a pending charge under a mandate (the one ``given``, or the newest
    active), the payment method saved (with a customer and ``setup_future_usage``) or used
    up, and the PaymentIntent ``processing``.
    ``off_session`` changes nothing: a debit's customer need not be there once a mandate is."""
    rules.check_intent_card(op.store, pm, intent.customer, "PaymentIntent")
    mandate = _mandate(op, pm, given, saving=intent.setup_future_usage is not None)
    outcome = outcome_of(pm)
    settles = None if outcome is None else op.now + outcome.delay.seconds
    charge = Charge(
        id=op.new_id("py"), created=op.now, amount=intent.amount, currency=intent.currency,
        payment_intent=intent.id, payment_method=pm.id, card=None,
        billing_details=pm.billing_details, outcome=BANK_DEBIT_OUTCOME,
        status=ChargeStatus.PENDING, customer=intent.customer, description=intent.description,
        metadata=intent.metadata, receipt_email=intent.receipt_email,
        # A submitted debit is captured, not yet paid (a recorded SEPA charge).
        captured=True, amount_captured=intent.amount,
        payment_method_type=pm.type, sepa_debit=pm.sepa_debit,
        us_bank_account=pm.us_bank_account, mandate=mandate.id,
        settles_at=settles, expected_debit_at=settles,  # the latter kept once answered
    )  # fmt: skip
    op.put(charge)  # no charge.pending: Stripe's PaymentIntent docs name processing instead
    if intent.customer is not None and intent.setup_future_usage is not None:
        rules.save_to(op, pm, intent.customer)
    elif pm.state is not PMState.ATTACHED and intent.setup_future_usage is None:
        op.put(pm.with_state(apply(pm.state, Action.USE), None))  # used once, as a card is
    processing = shared.moved(
        op, intent, PAYMENT_INTENT_PROCESSING, status=_S.PROCESSING, payment_method=pm.id,
        last_payment_error=None, latest_charge=charge.id,
    )  # fmt: skip
    return processing, None


def set_up(
    op: Operation, intent: SetupIntent, pm: PaymentMethod, acceptance: CustomerAcceptance | None
) -> Mandate:
    """The mandate a SetupIntent saves a bank debit under: always a new one, from
    ``mandate_data`` (Stripe answers ``parameter_missing`` without it)."""
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    if acceptance is None:
        error = parameters.missing_param("mandate_data")
        raise hints.explain(error, "mandate.setup", pm=hints.named(op.store, pm))
    return new_mandate(op, pm, acceptance)


def new_mandate(op: Operation, pm: PaymentMethod, acceptance: CustomerAcceptance) -> Mandate:
    """A multi-use mandate for ``pm``, active at once (test mode); Stripe sends no event."""
    mandate = Mandate(op.new_id("mandate"), op.now, pm.id, acceptance, payment_method_type=pm.type)
    op.put(mandate)
    return mandate


def _mandate(op: Operation, pm: PaymentMethod, given: Given, *, saving: bool) -> Mandate:
    """The mandate a payment debits under: a new one from ``mandate_data``, else (unless the
    payment saves the payment method, which needs a new one) the ``mandate`` named or the
    payment method's newest active one."""
    if isinstance(given, CustomerAcceptance):
        return new_mandate(op, pm, given)
    if saving:
        raise hints.explain(
            messages.future_usage_needs_mandate_data(),
            "mandate.saving",
            pm=hints.named(op.store, pm),
        )
    if given is not None:  # checked active and this payment method's (engine/mandates.py)
        return given
    active = [mandate for mandate in op.store.mandates_of(pm.id) if mandate.active]
    if not active:
        error = parameters.missing_param("mandate_data")
        raise hints.explain(error, "mandate.missing", pm=hints.named(op.store, pm))
    return active[-1]


def debits_due(store: Store, now: int) -> Iterator[Due]:
    """The pending bank debits whose bank answers by ``now`` (a timer)."""
    for charge in store.charges.values():
        if charge.settles_at is not None and charge.settles_at <= now:
            yield Due(charge.settles_at, partial(_settle, charge_id=charge.id))


def _settle(op: Operation, charge_id: str) -> None:
    """The bank's answer to a debit, as its test IBAN's scenario says, with its events:
    the charge's first, then the PaymentIntent's (as for a card)."""
    before = op.store.charges[charge_id]
    pm = op.store.payment_methods[before.payment_method]
    outcome = outcome_of(pm)
    if outcome is None:  # never: a debit that never answers has no time to settle at
        return
    if outcome.succeeds:
        charge = evolve(before, status=ChargeStatus.SUCCEEDED, settles_at=None)
    else:
        charge = evolve(
            before, status=ChargeStatus.FAILED, settles_at=None,
            failure_code=outcome.failure_code, failure_message=outcome.failure_message,
        )  # fmt: skip
    op.put(charge)
    op.emit(CHARGE_SUCCEEDED if outcome.succeeds else CHARGE_FAILED, charge)
    intent = op.store.payment_intents[before.payment_intent]
    if not TRANSITIONS[intent.status, PaymentAction.SETTLE]:  # never: no debit is canceled
        return
    if outcome.succeeds:
        shared.moved(
            op, intent, PAYMENT_INTENT_SUCCEEDED, status=_S.SUCCEEDED,
            amount_received=intent.amount,
        )  # fmt: skip
        return
    failed = IntentError(
        "invalid_request_error", messages.PAYMENT_FAILED_MESSAGE, messages.PAYMENT_FAILED_CODE,
        payment_method=pm,
    )  # fmt: skip
    shared.moved(
        op, intent, PAYMENT_INTENT_PAYMENT_FAILED, status=_S.REQUIRES_PAYMENT_METHOD,
        payment_method=None, last_payment_error=failed,
    )  # fmt: skip


def canceled_while_processing(op: Operation, intent: PaymentIntent) -> None:
    """Cancel a processing debit (Stripe allows it for a US bank account only): its pending
    charge fails and will never be answered, ``charge.failed`` before the intent's event."""
    if intent.status is not _S.PROCESSING or intent.latest_charge is None:
        return
    pending = op.store.charges[intent.latest_charge]
    failed = evolve(
        pending, status=ChargeStatus.FAILED, settles_at=None,
        failure_message=messages.CANCELED_WHILE_PROCESSING,
    )  # fmt: skip
    op.put(failed)
    op.emit(CHARGE_FAILED, failed)
