"""How a SetupIntent ends a confirmation, whatever the payment method's type: saved
(``succeed``) or back to ``requires_payment_method`` with the error it met (``failed``),
each with its SetupAttempt (``attempted``, also for an attempt that waits). Shared by the
SetupIntents namespace, 3-D Secure and microdeposit verification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain.events import SETUP_INTENT_SETUP_FAILED, SETUP_INTENT_SUCCEEDED
from pmsim.domain.intents import IntentError
from pmsim.domain.lifecycle import Action, apply
from pmsim.domain.models import PaymentMethod
from pmsim.domain.setup_attempts import AttemptStatus, SetupAttempt
from pmsim.domain.setup_intents import SetupIntent
from pmsim.domain.setup_intents import SetupStatus as _S
from pmsim.engine import intents as shared
from pmsim.engine import rules

if TYPE_CHECKING:
    from pmsim.engine.kernel import Operation


def succeed(op: Operation, intent: SetupIntent, pm: PaymentMethod, attempt: str) -> SetupIntent:
    """Save the card: attach it to the intent's customer, or, without one, leave it set up:
    attachable once, to one customer, and refused by any other intent until then
    (docs/fidelity.md, 'Attach and detach').

    Order as Stripe's: ``payment_method.attached`` before ``setup_intent.succeeded``.
    """
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    attempted(op, intent, pm, attempt, AttemptStatus.SUCCEEDED)
    if intent.customer is not None:
        rules.save_to(op, pm, intent.customer)
    else:
        op.put(pm.with_state(apply(pm.state, Action.SET_UP), None))
    return shared.moved(
        op, intent, SETUP_INTENT_SUCCEEDED, status=_S.SUCCEEDED, payment_method=pm.id,
        last_setup_error=None, latest_attempt=attempt,
    )  # fmt: skip


def failed(op: Operation, intent: SetupIntent, error: IntentError, attempt: str) -> SetupIntent:
    """Back to ``requires_payment_method`` with the error recorded."""
    pm = error.payment_method or op.store.payment_methods.get(intent.payment_method or "")
    if pm is not None:  # every failure names its payment method; kept safe all the same
        attempted(op, intent, pm, attempt, AttemptStatus.FAILED, error)
    return shared.moved(
        op, intent, SETUP_INTENT_SETUP_FAILED, status=_S.REQUIRES_PAYMENT_METHOD,
        payment_method=None, last_setup_error=error, latest_attempt=attempt,
    )  # fmt: skip


def attempted(
    op: Operation,
    intent: SetupIntent,
    pm: PaymentMethod,
    attempt: str,
    status: AttemptStatus,
    error: IntentError | None = None,
) -> None:
    """Record the SetupAttempt ``attempt`` as it stands now (made at the confirmation, and
    keeping that time as it moves on)."""
    before = op.store.setup_attempts.get(attempt)
    op.put(SetupAttempt(
        id=attempt, created=op.now if before is None else before.created,
        setup_intent=intent.id, payment_method=pm.id, payment_method_type=pm.type,
        status=status, usage=intent.usage, customer=intent.customer, setup_error=error,
        card=pm.card,
    ))  # fmt: skip
