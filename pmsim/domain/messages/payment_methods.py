"""What Stripe answers about payment methods: the attach lifecycle's refusals, a default that
is not the customer's, card details it cannot take, and how each test card declines.

>>> not_attached_for_detach().message
'The payment method you provided is not attached to a customer so detachment is impossible.'
>>> INSUFFICIENT_FUNDS.error().decline_code
'insufficient_funds'
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from pmsim.domain.errors import CardError, InvalidRequestError, PmsimUsageError

TESTING_URL = "https://stripe.com/docs/testing"

# --- The attach lifecycle ------------------------------------------------------------------


def attached_to_another_customer() -> InvalidRequestError:
    """Attaching a card that another customer owns: a 400 with no code and no param."""
    return InvalidRequestError(
        "The payment method you provided has already been attached to a customer."
    )


def not_reusable() -> InvalidRequestError:
    """A detached card, or one a payment used without saving it to a customer: never usable
    again. Stripe's older wording, which pmsim keeps."""
    return InvalidRequestError(
        "This PaymentMethod was previously used without being attached to a Customer or was "
        "detached from a Customer, and may not be used again."
    )


def attach_first() -> InvalidRequestError:
    """A card set up by a SetupIntent without a customer, used by a second intent before it
    was attached: Stripe's newer wording of the same refusal, as seahaven recorded for this
    second use (docs/fidelity.md, settled choice (g))."""
    return InvalidRequestError(
        "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
        "attachment, shared with a connected account without Customer attachment, or was "
        "detached from a Customer. It may not be used again. To use a PaymentMethod multiple "
        "times, you must attach it to a Customer first."
    )


def not_attached_for_detach() -> InvalidRequestError:
    return InvalidRequestError(
        "The payment method you provided is not attached to a customer so detachment is impossible."
    )


def must_be_attached_to_update() -> InvalidRequestError:
    """Unverified: Stripe's text is unknown; this is the wording one emulator uses."""
    return InvalidRequestError(
        "You must save this PaymentMethod to a customer before you can update it."
    )


def default_not_attached(pm_id: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"The customer does not have a payment method with the ID {pm_id}. The payment method "
        "must be attached to the customer.",
        param="invoice_settings[default_payment_method]",
    )


def customer_on_payment_method_create() -> InvalidRequestError:
    return InvalidRequestError(
        "You cannot attach a PaymentMethod to a Customer during PaymentMethod creation. Please "
        "instead create the PaymentMethod and then attach it using the attachment method of the "
        "PaymentMethods API."
    )


def details_of_another_type(sent: str, pm_type: str) -> InvalidRequestError:
    """Details of one type (``card[exp_month]``) sent for a payment method of another type.
    pmsim's wording: Stripe's answer is not recorded (docs/fidelity.md)."""
    return InvalidRequestError(
        f"You passed `{sent}` details, but this PaymentMethod's type is `{pm_type}`: send only "
        f"the details of its own type.",
        param=sent,
    )


def type_not_allowed(pm_type: str, allowed: Iterable[str], kind: str) -> InvalidRequestError:
    """A payment method of a type the intent's ``payment_method_types`` leave out. Recorded
    for a PaymentIntent (stripe-terminal-react-native#745); a SetupIntent's is assumed alike."""
    return InvalidRequestError(
        f"The PaymentMethod provided ({pm_type}) is not allowed for this {kind}. Please attach "
        f"a PaymentMethod of one of the following types: {', '.join(allowed)}. Alternatively, "
        f'update the allowed payment_method_types for this {kind} to include "{pm_type}"'
    )


# --- What pmsim does not simulate ----------------------------------------------------------


def type_not_simulated(kind: str, simulated: tuple[str, ...]) -> PmsimUsageError:
    return PmsimUsageError(
        f"pmsim simulates {', '.join(simulated)} payment methods only, not type={kind!r}. "
        "Create a card with card={'token': 'tok_visa'} or a test id like pm_card_visa, a "
        "SEPA Direct Debit with sepa_debit={'iban': 'DE89370400440532013000'}, or a US bank "
        "account with us_bank_account={'routing_number': '110000000', 'account_number': "
        "'000123456789'}."
    )


def connect_not_simulated() -> PmsimUsageError:
    return PmsimUsageError(
        "pmsim does not simulate Connect, so payment methods cannot be shared with a "
        "connected account (the payment_method parameter of PaymentMethod create)."
    )


# --- Card details at creation --------------------------------------------------------------


def invalid_token(token: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid token id: {token}", param="token")


def live_card() -> CardError:
    """A Luhn-valid number that is not one of Stripe's test cards: pmsim refuses it as Stripe
    test mode refuses a live card (raw test numbers are accepted)."""
    return CardError(
        "Your card was declined. Your request was in test mode, but used a non test (live) "
        f"card. For a list of valid test cards, visit: {TESTING_URL}.",
        code="card_declined",
        decline_code="test_mode_live_card",
    )


def incorrect_number() -> CardError:
    return CardError("Your card number is incorrect.", code="incorrect_number", param="number")


def invalid_expiry_month() -> CardError:
    return CardError(
        "Your card's expiration month is invalid.", code="invalid_expiry_month", param="exp_month"
    )


def invalid_expiry_year() -> CardError:
    return CardError(
        "Your card's expiration year is invalid.", code="invalid_expiry_year", param="exp_year"
    )


def invalid_cvc() -> CardError:
    return CardError("Your card's security code is invalid.", code="invalid_cvc", param="cvc")


# --- Declines: how the test cards (pmsim.domain.cards) refuse ------------------------------


@frozen
class Decline:
    """A card error Stripe answers for a test card: its code, decline code and message."""

    code: str
    decline_code: str | None
    message: str
    param: str | None = None

    def error(self) -> CardError:
        return CardError(
            self.message, code=self.code, decline_code=self.decline_code, param=self.param
        )


DECLINED = "Your card was declined."


def _declined(decline_code: str) -> Decline:
    return Decline("card_declined", decline_code, DECLINED)


GENERIC = _declined("generic_decline")
INSUFFICIENT_FUNDS = Decline(
    "card_declined", "insufficient_funds", "Your card has insufficient funds."
)
LOST = _declined("lost_card")
STOLEN = _declined("stolen_card")
VELOCITY = Decline(
    "card_declined",
    "card_velocity_exceeded",
    "Your card was declined for making repeated attempts too frequently or exceeding its "
    "amount limit.",
)
# Where the docs give no decline code, Stripe repeats the code (recorded); see
# docs/fidelity.md.
EXPIRED = Decline("expired_card", "expired_card", "Your card has expired.", "exp_month")
INCORRECT_CVC = Decline(
    "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.", "cvc"
)
PROCESSING = Decline(
    "processing_error",
    "processing_error",
    "An error occurred while processing your card. Try again in a little bit.",
)
FRAUD = _declined("fraudulent")
#: An off-session payment whose bank wants the customer to authenticate.
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)
