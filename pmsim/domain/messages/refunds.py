"""Stripe's answers about refunds: the recorded ones word for word, pmsim's own where Stripe's
are not recorded (``../shared/reference/stripe-charges-refunds-debits.md`` §2.5).

>>> already_refunded("ch_1").message
'Charge ch_1 has already been refunded.'
"""

from __future__ import annotations

from pmsim.domain.errors import InvalidRequestError, PmsimUsageError


def already_refunded(charge: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Charge {charge} has already been refunded.", code="charge_already_refunded"
    )


def more_than_charged(asked: str, charged: str) -> InvalidRequestError:
    """Recorded without a code."""
    return InvalidRequestError(
        f"Refund amount ({asked}) is greater than charge amount ({charged})", param="amount"
    )


def more_than_left(asked: str, left: str) -> InvalidRequestError:
    """Recorded (weakly) without a code, after earlier partial refunds."""
    return InvalidRequestError(
        f"Refund amount ({asked}) is greater than unrefunded amount on charge ({left})",
        param="amount",
    )


def uncaptured(intent: str) -> InvalidRequestError:
    """Recorded (woocommerce-gateway-stripe#1081, 2019) without a code or param; Stripe's
    refunds guide gives the rule: such a charge "can't be refunded directly"."""
    return InvalidRequestError(
        f"This uncaptured Charge was created by a PaymentIntent ({intent}). You must cancel "
        "the PaymentIntent to reverse the authorization instead of refunding the Charge "
        "directly. For more information, see https://stripe.com/docs/payments/payment-intents/"
        "creating-payment-intents#separate-auth-capture"
    )


def nothing_to_refund(charge: str, status: str) -> InvalidRequestError:
    """pmsim's wording: a failed charge moved no money."""
    return InvalidRequestError(
        f"Charge {charge} cannot be refunded because its status is {status}: only a "
        "succeeded charge has money to give back.",
        param="charge",
    )


def intent_not_charged(intent: str, status: str) -> InvalidRequestError:
    """pmsim's wording: a PaymentIntent refunds through its succeeded charge."""
    return InvalidRequestError(
        f"PaymentIntent {intent} has no succeeded charge to refund (its status is {status}).",
        param="payment_intent",
    )


def cannot_cancel(refund: str, status: str) -> InvalidRequestError:
    """pmsim's wording of Stripe's rule: "Cancels a refund with a status of requires_action"."""
    return InvalidRequestError(
        f"You cannot cancel refund {refund} because it has a status of {status}. Only a refund "
        "with a status of requires_action can be canceled (card refunds never need an action).",
    )  # no code: Stripe's is not recorded


def not_refundable() -> InvalidRequestError:
    """Stripe's description of ``charge_not_refundable`` (its error-code list); the message
    a refund past its window gets is not recorded."""
    return InvalidRequestError(
        "Attempt to refund a charge was unsuccessful because the charge is no longer refundable.",
        code="charge_not_refundable",
    )


def charge_param_not_simulated(name: str) -> PmsimUsageError:
    """A charge update's parameter pmsim does not simulate (Stripe takes it)."""
    return PmsimUsageError(
        f"pmsim does not simulate {name} on a charge update yet: a charge's description, "
        "metadata and receipt_email can be changed. Leave it out, or test it against Stripe."
    )
