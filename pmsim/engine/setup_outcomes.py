"""How a SetupIntent ends a confirmation, whatever the payment method's type: saved
(``succeed``) or back to ``requires_payment_method`` with the error it met (``failed``).
Shared by the SetupIntents namespace, 3-D Secure and microdeposit verification.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain.events import SETUP_INTENT_SETUP_FAILED, SETUP_INTENT_SUCCEEDED
from pmsim.domain.intents import IntentError
from pmsim.domain.lifecycle import Action, apply
from pmsim.domain.models import PaymentMethod
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
    return shared.moved(
        op, intent, SETUP_INTENT_SETUP_FAILED, status=_S.REQUIRES_PAYMENT_METHOD,
        payment_method=None, last_setup_error=error, latest_attempt=attempt,
    )  # fmt: skip
