"""Every message the SetupIntent operations answer with, in one place (reference §5, §8).

Refusals by status come from one table keyed by (action, status), so the state machine in
:mod:`pmsim.domain.setup_intents` and its messages cannot drift apart.

>>> from pmsim.domain.setup_intents import SetupAction, SetupStatus
>>> unexpected_state(SetupAction.CONFIRM, SetupStatus.SUCCEEDED).message
'You cannot confirm this SetupIntent because it has already succeeded.'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain.errors import InvalidRequestError, PmsimUsageError, Rendered
from pmsim.domain.setup_intents import SetupAction, SetupStatus

UNEXPECTED_STATE = "setup_intent_unexpected_state"
AUTHENTICATION_FAILURE = "setup_intent_authentication_failure"

_A, _S = SetupAction, SetupStatus
_CANCELABLE = (
    "Only a SetupIntent with one of the following statuses may be canceled: "
    "`requires_payment_method`, `requires_confirmation`, or `requires_action`."
)

#: Stripe's message for each refused (action, status) (§5.2-§5.4; [S] unless noted).
REFUSALS: Final[Mapping[tuple[SetupAction, SetupStatus], str]] = MappingProxyType(
    {
        (_A.CONFIRM, _S.SUCCEEDED): (
            "You cannot confirm this SetupIntent because it has already succeeded."
        ),
        (_A.CONFIRM, _S.CANCELED): (
            "You cannot confirm this SetupIntent because it has been canceled."
        ),
        (_A.CONFIRM, _S.PROCESSING): (  # [U]: cards never reach processing
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
        (_A.CANCEL, _S.PROCESSING): (  # [U]
            "You cannot cancel this SetupIntent because it has a status of processing. "
            + _CANCELABLE
        ),
        (_A.UPDATE_PAYMENT_METHOD, _S.SUCCEEDED): (
            "You cannot update this SetupIntent because it has already succeeded."
        ),
        (_A.UPDATE_PAYMENT_METHOD, _S.CANCELED): (  # [U]: chosen to match the one above
            "You cannot update this SetupIntent because it has been canceled."
        ),
        (_A.UPDATE_PAYMENT_METHOD, _S.PROCESSING): (  # [U]
            "You cannot update this SetupIntent because it is processing."
        ),
    }
)


def unexpected_state(
    action: SetupAction, status: SetupStatus, intent: Rendered | None = None
) -> InvalidRequestError:
    """``setup_intent_unexpected_state``, carrying the intent as Stripe does (§5.3)."""
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
    """§5.3 [S]; PaymentIntents get the same words with their own name [U]."""
    return InvalidRequestError(
        f"The payment method supplied ({pm_id}) belongs to the Customer {owner_id}. Please "
        f"include the Customer in the `customer` parameter on the {intent}.",
        param="payment_method",
    )


AUTHENTICATION_FAILED_MESSAGE = (
    "The provided payment method has failed authentication. Provide a new payment method to "
    "attempt to fulfill this SetupIntent again."
)


def not_awaiting_authentication(intent_id: str, status: str) -> PmsimUsageError:
    return PmsimUsageError(
        f"{intent_id} is {status}, not requires_action: only an intent waiting for 3-D Secure "
        "can be authenticated. Confirm it with a card that asks for authentication first "
        "(for example pm_card_authenticationRequired)."
    )


def unknown_outcome(outcome: object) -> PmsimUsageError:
    return PmsimUsageError(
        f"Unknown 3-D Secure outcome {outcome!r}: use 'succeed' (the customer authenticates) or "
        "'fail' (authentication fails)."
    )


# --- PaymentIntents (§6, §9) ------------------------------------------------------------------

PI_UNEXPECTED_STATE = "payment_intent_unexpected_state"
PI_AUTHENTICATION_FAILURE = "payment_intent_authentication_failure"
_UPDATABLE = "requires_payment_method, requires_confirmation, requires_action"
_PI_CANCELABLE = (
    "Only a PaymentIntent with one of the following statuses may be canceled: "
    "requires_payment_method, requires_capture, requires_confirmation, requires_action, "
    "processing."
)


def pi_not_updatable(field: str, status: str, intent: Rendered) -> InvalidRequestError:
    """§6.3 ([S] first sentence); §6.2 records the same shape for confirming a canceled one."""
    return InvalidRequestError(
        f"This PaymentIntent's {field} could not be updated because it has a status of "
        f"{status}. You may only update the {field} of a PaymentIntent with one of the "
        f"following statuses: {_UPDATABLE}.",
        code=PI_UNEXPECTED_STATE,
        param=field,
        objects={"payment_intent": intent},
    )


def pi_cannot_confirm(status: str, intent: Rendered) -> InvalidRequestError:
    if status == "canceled":  # Stripe answers as if the payment method were being updated
        error = pi_not_updatable("payment_method", status, intent)
        error.param = None
        return error
    message = {
        "succeeded": "You cannot confirm this PaymentIntent because it has already succeeded "
        "after being previously confirmed.",
    }.get(status, f"You cannot confirm this PaymentIntent because it has a status of {status}.")
    objects: dict[str, Rendered] | None = None if intent is None else {"payment_intent": intent}
    return InvalidRequestError(message, code=PI_UNEXPECTED_STATE, objects=objects)


def pi_cannot_cancel(status: str, intent: Rendered) -> InvalidRequestError:
    return InvalidRequestError(
        f"You cannot cancel this PaymentIntent because it has a status of {status}. "
        + _PI_CANCELABLE,
        code=PI_UNEXPECTED_STATE,
        objects={"payment_intent": intent},
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
    """[U]: one emulator's wording (§6.2)."""
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


#: The "another customer's card" refusal of each kind of intent (their wordings differ, §5.3
#: [S] and §6.2 [U]).
ANOTHER_CUSTOMER = MappingProxyType(
    {
        "SetupIntent": payment_method_of_another_customer,
        "PaymentIntent": pi_payment_method_of_another_customer,
    }
)
