"""Stripe's answers about verifying a US bank account with microdeposits, word for word from
its ACH guide and error-code list (``../shared/reference/stripe-charges-refunds-debits.md``
§4.2.3), pmsim's own where Stripe's are not recorded.

>>> amounts_mismatch(2).message
"The amounts provided don't match the amounts that were sent to the bank account. You have 2 verification attempts remaining."
"""  # noqa: E501

from __future__ import annotations

from pmsim.domain.errors import InvalidRequestError, PmsimUsageError

#: The error the intent records when verification ends badly (``last_setup_error`` /
#: ``last_payment_error``); each code's message is Stripe's.
EXCEEDED_CODE = "payment_method_microdeposit_verification_attempts_exceeded"
EXCEEDED = "You have exceeded the number of allowed verification attempts."
TIMEOUT_CODE = "payment_method_microdeposit_verification_timeout"
TIMEOUT = (
    "Microdeposit timeout. Customer hasn't verified their bank account within the required "
    "10 day period."
)
FAILED_CODE = "payment_method_microdeposit_failed"
FAILED = "Microdeposits failed. Please check the account, institution and transit numbers provided"


def amounts_mismatch(remaining: int) -> InvalidRequestError:
    """The ACH guide's table wording (its JSON example reads "do not match")."""
    return InvalidRequestError(
        "The amounts provided don't match the amounts that were sent to the bank account. "
        f"You have {remaining} verification attempts remaining.",
        code="payment_method_microdeposit_verification_amounts_mismatch",
    )


def descriptor_code_mismatch(remaining: int) -> InvalidRequestError:
    """Stripe's error-code text; the attempts left are pmsim's addition, as for amounts."""
    return InvalidRequestError(
        "The verification code provided does not match the one sent to the bank account. "
        f"You have {remaining} verification attempts remaining.",
        code="payment_method_microdeposit_verification_descriptor_code_mismatch",
    )


def attempts_exceeded() -> InvalidRequestError:
    return InvalidRequestError(EXCEEDED, code=EXCEEDED_CODE)


def amounts_invalid() -> InvalidRequestError:
    return InvalidRequestError(
        "You must provide exactly two microdeposit amounts.",
        code="payment_method_microdeposit_verification_amounts_invalid",
        param="amounts",
    )


def already_verified() -> InvalidRequestError:
    return InvalidRequestError(
        "This bank account has already been verified.",
        code="payment_method_bank_account_already_verified",
    )


def amounts_or_code() -> InvalidRequestError:
    """pmsim's wording of the API reference's rule ("Provide either a descriptor_code OR
    amounts, not both")."""
    return InvalidRequestError(
        "Provide either descriptor_code or amounts to verify the microdeposits, not both "
        "(and not neither)."
    )


def instant_verification_not_simulated() -> PmsimUsageError:
    """Financial Connections is out of pmsim's scope: said plainly."""
    return PmsimUsageError(
        "pmsim does not simulate instant verification of US bank accounts (Financial "
        "Connections). Use payment_method_options[us_bank_account][verification_method]="
        "microdeposits (or automatic, which falls back to them), and verify with "
        "microdeposits (test code SM11AA, or amounts 32 and 45)."
    )


def bank_option_not_simulated(name: str) -> PmsimUsageError:
    """A ``payment_method_options[us_bank_account]`` option pmsim does not simulate."""
    return PmsimUsageError(
        f"pmsim does not simulate payment_method_options[us_bank_account][{name}] yet; of the "
        "US bank account options it simulates verification_method (automatic or "
        "microdeposits, both verified by microdeposits) only. Leave it out, or test it "
        "against Stripe."
    )


def routing_number_invalid() -> InvalidRequestError:
    """Stripe's description of ``routing_number_invalid`` (its error-code list)."""
    return InvalidRequestError(
        "The bank routing number provided is invalid.",
        code="routing_number_invalid",
        param="us_bank_account[routing_number]",
    )


def account_number_invalid() -> InvalidRequestError:
    """Stripe's description of ``account_number_invalid`` (its error-code list)."""
    return InvalidRequestError(
        "The bank account number provided is invalid (e.g., missing digits). Bank account "
        "information varies from country to country. We recommend creating validations in "
        "your entry forms based on the bank account formats we provide.",
        code="account_number_invalid",
        param="us_bank_account[account_number]",
    )


def not_verified(pm: str) -> InvalidRequestError:
    """pmsim's wording: Stripe's answer to attaching an unverified account is not recorded."""
    return InvalidRequestError(
        f"The PaymentMethod {pm} is a US bank account that has not been verified, and an "
        "unverified bank account cannot be attached to a customer. Save it with a "
        "SetupIntent (with mandate_data), which verifies it with microdeposits and attaches "
        "it.",
        param="payment_method",
    )


def not_waiting(kind: str, intent: str, status: str) -> InvalidRequestError:
    """pmsim's wording: Stripe's answer to verifying an intent that sent no microdeposits is
    not recorded (``kind``: SetupIntent or PaymentIntent)."""
    code = (
        "setup_intent_unexpected_state"
        if kind == "SetupIntent"
        else ("payment_intent_unexpected_state")
    )
    return InvalidRequestError(
        f"{kind} {intent} is not waiting for microdeposits to be verified (its status is "
        f"{status}): only a {kind} confirmed with an unverified US bank account is.",
        code=code,
    )
