"""``sim.three_d_secure``: play the customer's part in 3-D Secure (pmsim's own, not Stripe's API).

In Stripe, a SetupIntent or PaymentIntent in ``requires_action`` waits for the customer to
authenticate in Stripe.js. pmsim has no browser, so the outcome is chosen here: from Python,
from a scenario step (``three_d_secure.complete``) or from the server's control prefix
(``POST /_pmsim/three_d_secure/complete``), never inside ``/v1``.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> cus = sim.customers.create()
>>> seti = sim.setup_intents.create(customer=cus.id, confirm=True,
...                                 payment_method="pm_card_authenticationRequired",
...                                 return_url="https://example.com/return")
>>> seti.status.value
'requires_action'
>>> sim.three_d_secure.complete(seti.id, outcome="succeed").status.value
'succeeded'
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from pmsim.domain import errors, params
from pmsim.domain.inputs import ThreeDSecureOutcome
from pmsim.domain.intents import IntentError
from pmsim.domain.messages import intents as messages
from pmsim.domain.messages import lookups
from pmsim.domain.models import PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.domain.setup_intents import SetupIntent
from pmsim.engine import charging
from pmsim.engine.intents import IntentT
from pmsim.engine.setup_outcomes import failed, succeed

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel

OUTCOMES = ("succeed", "fail")


class ThreeDSecure:
    """The customer's side of 3-D Secure for intents waiting in ``requires_action``."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def complete(
        self, intent: str, *, outcome: ThreeDSecureOutcome = "succeed"
    ) -> SetupIntent | PaymentIntent:
        """The customer authenticates (``succeed``) or fails to (``fail``); the intent moves on.

        ``succeed`` carries on as the confirmation would have: a SetupIntent saves the card
        (``payment_method.attached``, ``setup_intent.succeeded``); a PaymentIntent pays, which
        may still decline (``payment_intent.payment_failed``, recorded on the intent, not
        raised: this is the customer's action, not an API call). ``fail`` returns the intent to
        ``requires_payment_method`` with Stripe's authentication failure in its last error.
        """
        if outcome not in OUTCOMES:
            raise messages.unknown_outcome(outcome)
        key = params.string(intent, "intent")
        kind = "setup_intent" if key.startswith("seti_") else "payment_intent"
        if not key.startswith(("seti_", "pi_")):
            raise messages.not_an_intent(key)
        with self._kernel.operation() as op:
            table = op.store.setup_intents if kind == "setup_intent" else op.store.payment_intents
            current = table.get(key)
            if current is None:
                raise lookups.no_such(kind, key, param="intent")
            waiting = current.status.value == "requires_action"
            if not waiting or current.payment_method is None:
                raise messages.not_awaiting_authentication(key, current.status.value)
            pm = op.store.payment_methods[current.payment_method]
            if pm.card is None:  # waiting for something else (a bank account's microdeposits)
                raise messages.awaiting_microdeposits(key)
            if isinstance(current, PaymentIntent):
                return _authenticated(
                    outcome, pm,
                    # a decline is kept on the intent, not raised
                    succeed=lambda: charging.charge(op, current, pm, authenticated=True)[0],
                    fail=partial(charging.failed, op, current, charge=None),
                    failure=messages.PI_AUTHENTICATION_FAILED_MESSAGE,
                    code=messages.PI_AUTHENTICATION_FAILURE,
                )  # fmt: skip
            attempt = current.latest_attempt or op.new_id("setatt")
            return _authenticated(
                outcome, pm,
                succeed=partial(succeed, op, current, pm, attempt),
                fail=partial(failed, op, current, attempt=attempt),
                failure=messages.AUTHENTICATION_FAILED_MESSAGE,
                code=messages.AUTHENTICATION_FAILURE,
            )  # fmt: skip


def _authenticated(
    outcome: str,
    pm: PaymentMethod,
    *,
    succeed: Callable[[], IntentT],
    fail: Callable[[IntentError], IntentT],
    failure: str,
    code: str,
) -> IntentT:
    """Carry on after the customer's part: ``succeed`` as the confirmation would have (a
    refusal met then is kept on the intent), or ``fail`` with Stripe's authentication
    failure (``failure`` and ``code``) as the intent's last error."""
    if outcome == "succeed":
        try:
            return succeed()
        except errors.StripeError as err:  # the card became unusable meanwhile
            # Kept on the intent as Stripe keeps a failure: the checks (card still usable,
            # same owner, customer still there) ran before anything changed.
            return fail(IntentError.met(err.type, err, pm))
    return fail(IntentError("invalid_request_error", failure, code, payment_method=pm))
