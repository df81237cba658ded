"""What SetupIntents and PaymentIntents answer with, and pmsim's words about 3-D Secure.

An intent refuses an action its status does not allow with "unexpected state"; the message
for each refused (action, status) comes from one table per kind of intent (:data:`REFUSALS`,
:data:`PAYMENT_REFUSALS`), so the state machines in :mod:`pmsim.domain.setup_intents` and
:mod:`pmsim.domain.payment_intents` and their messages cannot drift apart.

>>> unexpected_state(SetupAction.CONFIRM, SetupStatus.SUCCEEDED).message
'You cannot confirm this SetupIntent because it has already succeeded.'
>>> pi_unexpected_state(PaymentAction.UPDATE, PaymentStatus.SUCCEEDED, field="amount").param
'amount'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain.errors import InvalidRequestError, PmsimUsageError, Rendered
from pmsim.domain.payment_intents import PaymentAction, PaymentStatus
from pmsim.domain.setup_intents import SetupAction, SetupStatus

# --- SetupIntents --------------------------------------------------------------------------

UNEXPECTED_STATE = "setup_intent_unexpected_state"
AUTHENTICATION_FAILURE = "setup_intent_authentication_failure"

_A, _S = SetupAction, SetupStatus
_CANCELABLE = (
    "Only a SetupIntent with one of the following statuses may be canceled: "
    "`requires_payment_method`, `requires_confirmation`, or `requires_action`."
)

#: Stripe's message for each refused (action, status); recorded unless noted.
REFUSALS: Final[Mapping[tuple[SetupAction, SetupStatus], str]] = MappingProxyType(
    {
        (_A.CONFIRM, _S.SUCCEEDED): (
            "You cannot confirm this SetupIntent because it has already succeeded."
        ),
        (_A.CONFIRM, _S.CANCELED): (
            "You cannot confirm this SetupIntent because it has been canceled."
        ),
        (_A.CONFIRM, _S.PROCESSING): (  # unverified: cards never reach processing
            "You cannot confirm this SetupIntent because it is processing."
        ),
        (_A.CANCEL, _S.SUCCEEDED): (
            "You cannot cancel this SetupIntent because it has a status of succeeded. "
            + _CANCELABLE
        ),
        (
            _A.CANCEL,
            _S.CANCELED,
        ): "You cannot cancel this SetupIntent because it is already canceled.",
        (_A.CANCEL, _S.PROCESSING): (  # unverified
            "You cannot cancel this SetupIntent because it has a status of processing. "
            + _CANCELABLE
        ),
        (_A.UPDATE_PAYMENT_METHOD, _S.SUCCEEDED): (
            "You cannot update this SetupIntent because it has already succeeded."
        ),
        (_A.UPDATE_PAYMENT_METHOD, _S.CANCELED): (  # unverified: chosen to match the one above
            "You cannot update this SetupIntent because it has been canceled."
        ),
        (_A.UPDATE_PAYMENT_METHOD, _S.PROCESSING): (  # unverified
            "You cannot update this SetupIntent because it is processing."
        ),
    }
)


def unexpected_state(
    action: SetupAction, status: SetupStatus, intent: Rendered | None = None
) -> InvalidRequestError:
    """``setup_intent_unexpected_state``, carrying the intent as Stripe does."""
    return InvalidRequestError(
        REFUSALS[action, status],
        code=UNEXPECTED_STATE,
        objects={"setup_intent": intent} if intent is not None else None,
    )


def missing_payment_method(intent: Rendered | None = None) -> InvalidRequestError:
    return InvalidRequestError(
        "You cannot confirm this SetupIntent because it's missing a payment method. You can "
        "either update the SetupIntent with a payment method and then confirm it again, or "
        "confirm it again directly with a payment method or ConfirmationToken.",
        code=UNEXPECTED_STATE,
        objects={"setup_intent": intent} if intent is not None else None,
    )


def payment_method_of_another_customer(pm_id: str, customer_id: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"The PaymentMethod {pm_id} does not belong to the Customer you supplied {customer_id}. "
        "Please use this PaymentMethod with the Customer that it belongs to instead.",
        param="payment_method",
    )


def payment_method_needs_customer(
    pm_id: str, owner_id: str, intent: str = "SetupIntent"
) -> InvalidRequestError:
    """Recorded for SetupIntents; PaymentIntents get the same words with their own name
    (unverified)."""
    return InvalidRequestError(
        f"The payment method supplied ({pm_id}) belongs to the Customer {owner_id}. Please "
        f"include the Customer in the `customer` parameter on the {intent}.",
        param="payment_method",
    )


AUTHENTICATION_FAILED_MESSAGE = (
    "The provided payment method has failed authentication. Provide a new payment method to "
    "attempt to fulfill this SetupIntent again."
)

# --- PaymentIntents ------------------------------------------------------------------------

PI_UNEXPECTED_STATE = "payment_intent_unexpected_state"
PI_AUTHENTICATION_FAILURE = "payment_intent_authentication_failure"
_PA, _PS = PaymentAction, PaymentStatus
_CLOSED = (_PS.PROCESSING, _PS.REQUIRES_CAPTURE, _PS.SUCCEEDED, _PS.CANCELED)
#: Recorded first sentence; ``{field}`` is the first locked field the update sent.
_NOT_UPDATABLE = (
    "This PaymentIntent's {field} could not be updated because it has a status of "
    "{status}. You may only update the {field} of a PaymentIntent with one of the "
    "following statuses: requires_payment_method, requires_confirmation, requires_action."
)
_NOT_CANCELABLE = (
    "You cannot cancel this PaymentIntent because it has a status of {status}. "
    "Only a PaymentIntent with one of the following statuses may be canceled: "
    "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
    "processing."
)

#: Stripe's message for each refused (action, status), a template of ``{status}`` and
#: ``{field}``.
PAYMENT_REFUSALS: Final[Mapping[tuple[PaymentAction, PaymentStatus], str]] = MappingProxyType(
    {
        **{(_PA.UPDATE, status): _NOT_UPDATABLE for status in _CLOSED},
        **{
            (_PA.CONFIRM, status): (
                "You cannot confirm this PaymentIntent because it has a status of {status}."
            )
            for status in (_PS.PROCESSING, _PS.REQUIRES_CAPTURE)
        },
        (_PA.CONFIRM, _PS.SUCCEEDED): (
            "You cannot confirm this PaymentIntent because it has already succeeded "
            "after being previously confirmed."
        ),
        # Recorded: Stripe answers as if the payment method were being updated, without a param.
        (_PA.CONFIRM, _PS.CANCELED): _NOT_UPDATABLE,
        (_PA.CANCEL, _PS.SUCCEEDED): _NOT_CANCELABLE,
        # Stripe cancels a processing payment of a US bank account only (its refunds guide);
        # the table allows it, a SEPA debit refuses it (engine/payments.py).
        (_PA.CANCEL, _PS.PROCESSING): _NOT_CANCELABLE,
        (_PA.CANCEL, _PS.CANCELED): _NOT_CANCELABLE,
        # Recorded: a Stripe employee's answer (cartalyst/stripe#211), for requires_action.
        **{
            (_PA.CAPTURE, status): (
                "This PaymentIntent could not be captured because it has a status of "
                "{status}. Only a PaymentIntent with one of the following statuses may be "
                "captured: requires_capture."
            )
            for status in _PS
            if status not in (_PS.REQUIRES_CAPTURE, _PS.SUCCEEDED)
        },
        # Recorded (stripe/stripe-php#818, cartalyst/stripe#211; the final stop as one
        # of them has it), for any succeeded intent, whichever way it was captured.
        (_PA.CAPTURE, _PS.SUCCEEDED): (
            "This PaymentIntent could not be captured because it has already been captured."
        ),
    }
)


def pi_unexpected_state(
    action: PaymentAction,
    status: str,
    intent: Rendered | None = None,
    *,
    field: str = "payment_method",
) -> InvalidRequestError:
    """``payment_intent_unexpected_state``, carrying the intent; an update names the first
    locked ``field`` it sent, in the message and as the ``param``."""
    return InvalidRequestError(
        PAYMENT_REFUSALS[action, PaymentStatus(status)].format(status=status, field=field),
        code=PI_UNEXPECTED_STATE,
        param=field if action is PaymentAction.UPDATE else None,
        objects={"payment_intent": intent} if intent is not None else None,
    )


def pi_missing_payment_method(
    customer: str | None, intent: Rendered | None = None
) -> InvalidRequestError:
    message = "You cannot confirm this PaymentIntent because it's missing a payment method."
    if customer is not None:
        message += (
            f" To confirm the PaymentIntent with {customer}, specify a payment method attached "
            "to this customer along with the customer ID."
        )
    objects: dict[str, Rendered] | None = None if intent is None else {"payment_intent": intent}
    return InvalidRequestError(message, code=PI_UNEXPECTED_STATE, objects=objects)


def pi_payment_method_of_another_customer(pm_id: str, customer_id: str) -> InvalidRequestError:
    """Unverified: one emulator's wording."""
    return InvalidRequestError(
        f"The provided PaymentMethod {pm_id} does not belong to Customer {customer_id}.",
        param="payment_method",
    )


PI_AUTHENTICATION_FAILED_MESSAGE = (
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data "
    "or a new PaymentMethod to attempt to fulfill this PaymentIntent again."
)


def off_session_needs_confirm() -> InvalidRequestError:
    return InvalidRequestError(
        "You can only set `off_session` when `confirm` is set to `true`.", param="off_session"
    )


def capture_too_large() -> InvalidRequestError:
    """Recorded (2023, WooPayments): code-level, the message as shown to merchants, which
    drops a final "contact us" sentence; the ``param`` is pmsim's guess."""
    return InvalidRequestError(
        "The payment could not be captured because the requested capture amount is greater "
        "than the amount you can capture for this charge.",
        code="amount_too_large",
        param="amount_to_capture",
    )


#: The "another customer's card" refusal of each kind of intent (their wordings differ:
#: recorded for SetupIntents, unverified for PaymentIntents).
ANOTHER_CUSTOMER = MappingProxyType(
    {
        "SetupIntent": payment_method_of_another_customer,
        "PaymentIntent": pi_payment_method_of_another_customer,
    }
)

# --- 3-D Secure, pmsim's own control -------------------------------------------------------


def not_an_intent(key: str) -> PmsimUsageError:
    return PmsimUsageError(
        f"{key} is not an intent id: 3-D Secure is completed for a SetupIntent "
        "(seti_...) or a PaymentIntent (pi_...)."
    )


def not_awaiting_authentication(intent_id: str, status: str) -> PmsimUsageError:
    return PmsimUsageError(
        f"{intent_id} is {status}, not requires_action: only an intent waiting for 3-D Secure "
        "can be authenticated. Confirm it with a card that asks for authentication first "
        "(for example pm_card_authenticationRequired)."
    )


def awaiting_microdeposits(intent_id: str) -> PmsimUsageError:
    return PmsimUsageError(
        f"{intent_id} is waiting for its US bank account's microdeposits, not for 3-D Secure: "
        "verify them with setup_intents.verify_microdeposits (test code SM11AA, or amounts "
        "32 and 45)."
    )


def not_processing(intent_id: str, status: str) -> PmsimUsageError:
    """Never raised: only a processing bank debit settles (on the clock), as the PaymentIntent
    diagram shows beside the table's other refusals."""
    return PmsimUsageError(
        f"{intent_id} is {status}, not processing: only a bank debit that is processing "
        "settles, when the simulator's clock passes its time (sim.clock.advance)."
    )


def unknown_outcome(outcome: object) -> PmsimUsageError:
    return PmsimUsageError(
        f"Unknown 3-D Secure outcome {outcome!r}: use 'succeed' (the customer authenticates) or "
        "'fail' (authentication fails)."
    )


def setup_card_options_not_simulated() -> PmsimUsageError:
    return PmsimUsageError(
        "pmsim does not simulate payment_method_options[card] on a SetupIntent yet (a card's "
        "3-D Secure follows its test card). Leave it out, or test it against Stripe."
    )


def card_option_not_simulated(name: str) -> PmsimUsageError:
    return PmsimUsageError(
        f"pmsim does not simulate payment_method_options[card][{name}] yet; of the card "
        "options it simulates capture_method only. Leave it out, or test it against Stripe."
    )
