"""What a card does to a payment: declines, 3-D Secure, and saving or using up the card.
Shared by ``sim.payment_intents`` and ``sim.three_d_secure``.

A payment the network approves is paid at once, or, with manual capture, authorized: the
card is saved or used up all the same, the charge holds the money uncaptured, and the intent
waits in ``requires_capture`` (``engine/captures.py`` captures or releases it).

A declined payment is recorded on the intent and handed back as the error to raise once the
operation has committed; every other refusal raises at once and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from pmsim.domain import errors
from pmsim.domain.cards import CARDS_BY_NAME
from pmsim.domain.charges import Charge, ChargeStatus, Outcome
from pmsim.domain.delays import AUTHORIZATION_EXPIRES
from pmsim.domain.events import (
    CHARGE_FAILED,
    CHARGE_SUCCEEDED,
    PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED,
    PAYMENT_INTENT_PAYMENT_FAILED,
    PAYMENT_INTENT_REQUIRES_ACTION,
    PAYMENT_INTENT_SUCCEEDED,
)
from pmsim.domain.intents import IntentError
from pmsim.domain.lifecycle import Action, PMState, apply
from pmsim.domain.messages.payment_methods import Decline
from pmsim.domain.models import PaymentMethod
from pmsim.domain.payment_intents import (
    PaymentIntent,
    PaymentStatus,
    needs_authentication,
    off_session_refusal,
)
from pmsim.engine import intents as shared
from pmsim.engine import rules
from pmsim.engine.captures import MANUAL

if TYPE_CHECKING:
    from pmsim.engine.kernel import Operation

_S = PaymentStatus
_PAID_AT_ONCE = (PAYMENT_INTENT_SUCCEEDED, _S.SUCCEEDED, "amount_received")
#: What a payment the network approves becomes, by its capture method: its event, its status
#: and the amount field that takes the whole amount. Manual capture only authorizes: the
#: intent waits to be captured or released (``engine/captures.py``).
APPROVED: Final[Mapping[str, tuple[str, PaymentStatus, str]]] = MappingProxyType(
    {
        "automatic": _PAID_AT_ONCE,
        "automatic_async": _PAID_AT_ONCE,  # cards alike: no balance transaction to wait for
        MANUAL: (
            PAYMENT_INTENT_AMOUNT_CAPTURABLE_UPDATED,
            _S.REQUIRES_CAPTURE,
            "amount_capturable",
        ),
    }
)


def charge(
    op: Operation, intent: PaymentIntent, pm: PaymentMethod, *, authenticated: bool = False
) -> tuple[PaymentIntent, errors.StripeError | None]:
    """The payment itself, once no authentication is pending (``authenticated``: the
    customer went through 3-D Secure for it): it declines or succeeds."""
    rules.check_intent_card(op.store, pm, intent.customer, "PaymentIntent")
    decline = rules.decline_of(pm) or CARDS_BY_NAME[pm.test_row].charge_decline
    if decline is not None:
        return declined(op, intent, pm, decline, authenticated=authenticated)
    made = new_charge(op, intent, pm, None, authenticated)
    if intent.customer is not None and intent.setup_future_usage is not None:
        rules.save_to(op, pm, intent.customer)
    elif pm.state is not PMState.ATTACHED and intent.setup_future_usage is None:
        # Used once, not saved: never attachable again. With setup_future_usage but no
        # customer, "the payment method can still be attached to a Customer" (OpenAPI).
        op.put(pm.with_state(apply(pm.state, Action.USE), None))
    event, status, amount_field = APPROVED[intent.captures("card")]
    paid = shared.moved(
        op, intent, event, status=status, payment_method=pm.id, last_payment_error=None,
        latest_charge=made.id, **{amount_field: intent.amount},
    )  # fmt: skip
    return paid, None


def declined(
    op: Operation,
    intent: PaymentIntent,
    pm: PaymentMethod,
    decline: Decline,
    *,
    authenticated: bool = False,
) -> tuple[PaymentIntent, errors.StripeError]:
    """A failed charge, and the intent back to ``requires_payment_method`` with the decline
    recorded; the 402 to raise, naming the charge."""
    made = new_charge(op, intent, pm, decline, authenticated)
    result = failed(op, intent, IntentError.declined(decline, pm, made.id), made.id)
    error = shared.decline_error(decline, pm, result, "payment_intent")
    error.charge = made.id
    return result, error


def new_charge(
    op: Operation,
    intent: PaymentIntent,
    pm: PaymentMethod,
    decline: Decline | None,
    authenticated: bool,
) -> Charge:
    """The charge a payment that reached the network made (``decline``: it failed), kept and
    announced before the PaymentIntent's own event. With manual capture an approved one is
    only authorized: ``captured: false`` until ``capture_before``."""
    held = decline is None and intent.captures("card") == MANUAL
    captured = decline is None and not held
    made = Charge(
        id=op.new_id("ch"), created=op.now, amount=intent.amount, currency=intent.currency,
        payment_intent=intent.id, payment_method=pm.id, card=pm.card,
        billing_details=pm.billing_details, outcome=Outcome.of(pm.test_row, decline),
        status=ChargeStatus.FAILED if decline else ChargeStatus.SUCCEEDED,
        customer=intent.customer, description=intent.description, metadata=intent.metadata,
        receipt_email=intent.receipt_email,
        amount_captured=intent.amount if captured else 0,
        captured=captured,
        capture_before=op.now + AUTHORIZATION_EXPIRES.seconds if held else None,
        failure_code=decline.code if decline else None,
        failure_message=decline.message if decline else None,
        authenticated=authenticated,
    )  # fmt: skip
    op.put(made)
    op.emit(CHARGE_FAILED if decline else CHARGE_SUCCEEDED, made)
    return made


def failed(
    op: Operation, intent: PaymentIntent, error: IntentError, charge: str | None
) -> PaymentIntent:
    """Back to ``requires_payment_method`` with the error recorded (and the failed
    ``charge``, if one was attempted)."""
    return shared.moved(
        op, intent, PAYMENT_INTENT_PAYMENT_FAILED, status=_S.REQUIRES_PAYMENT_METHOD,
        payment_method=None, last_payment_error=error,
        latest_charge=charge or intent.latest_charge,
    )  # fmt: skip


def confirm(
    op: Operation, intent: PaymentIntent, pm: PaymentMethod, *, off_session: bool
) -> tuple[PaymentIntent, errors.StripeError | None]:
    """Run a payment's confirmation: the card's checks, then an off-session refusal or
    3-D Secure if the bank wants the customer, then the charge itself."""
    rules.check_intent_card(op.store, pm, intent.customer, "PaymentIntent")
    card = CARDS_BY_NAME[pm.test_row]
    attach_decline = rules.decline_of(pm)
    if attach_decline is not None:  # the card declines whatever the bank thinks of 3DS
        return declined(op, intent, pm, attach_decline)
    if off_session:
        refusal = off_session_refusal(card, saved=pm.state is PMState.ATTACHED)
        if refusal is not None:
            return declined(op, intent, pm, refusal)
    elif needs_authentication(card, off_session=off_session):
        waiting = shared.moved(
            op, intent, PAYMENT_INTENT_REQUIRES_ACTION, status=_S.REQUIRES_ACTION,
            payment_method=pm.id, last_payment_error=None,
        )  # fmt: skip
        return waiting, None
    return charge(op, intent, pm)
