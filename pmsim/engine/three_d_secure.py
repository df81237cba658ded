"""``sim.three_d_secure``: play the customer's part in 3-D Secure (pmsim's own, not Stripe's API).

In Stripe, a SetupIntent in ``requires_action`` waits for the customer to authenticate in
Stripe.js. pmsim has no browser, so the outcome is chosen here: from Python, from a scenario
step (``three_d_secure.complete``) or from the server's control prefix
(``POST /_pmsim/three_d_secure/complete``), never inside ``/v1``.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> cus = sim.customers.create()
>>> seti = sim.setup_intents.create(customer=cus.id, confirm=True,
...                                 payment_method="pm_card_authenticationRequired")
>>> seti.status.value
'requires_action'
>>> sim.three_d_secure.complete(seti.id, outcome="succeed").status.value
'succeeded'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain import errors, params
from pmsim.domain import intent_errors as intent_err
from pmsim.domain.setup_intents import IntentError, SetupIntent, SetupStatus
from pmsim.engine.setup_intents import failed, succeed

if TYPE_CHECKING:
    from pmsim.engine.simulator import Simulator

OUTCOMES = ("succeed", "fail")


class ThreeDSecure:
    """The customer's side of 3-D Secure for intents waiting in ``requires_action``."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def complete(self, intent: str, *, outcome: str = "succeed") -> SetupIntent:
        """The customer authenticates (``succeed``) or fails to (``fail``); the intent moves on.

        ``succeed`` saves the card as a confirmation would have (``payment_method.attached``,
        ``setup_intent.succeeded``); ``fail`` returns the intent to ``requires_payment_method``
        with Stripe's ``setup_intent_authentication_failure`` in ``last_setup_error``.
        """
        if outcome not in OUTCOMES:
            raise intent_err.unknown_outcome(outcome)
        key = params.string(intent, "intent")
        if not key.startswith("seti_"):
            raise errors.PmsimUsageError(
                f"{key} is not a SetupIntent id (seti_...): pmsim simulates 3-D Secure for "
                "SetupIntents."
            )
        with self._sim._operation() as op:
            current = op.store.setup_intents.get(key)
            if current is None:
                raise errors.no_such("setup_intent", key, param="intent")
            if current.status is not SetupStatus.REQUIRES_ACTION or current.payment_method is None:
                raise intent_err.not_awaiting_authentication(key, current.status.value)
            pm = op.store.payment_methods[current.payment_method]
            attempt = current.latest_attempt or op.new_id("setatt")
            if outcome == "succeed":
                return succeed(op, current, pm, attempt)
            error = IntentError(
                "invalid_request_error",
                intent_err.AUTHENTICATION_FAILED_MESSAGE,
                intent_err.AUTHENTICATION_FAILURE,
                payment_method=pm,
            )
            return failed(op, current, error, attempt)
