"""What Stripe answers about bank debits (SEPA Direct Debit): IBANs it cannot take, mandates
it needs, currencies and capture methods a bank debit cannot have, and the failure a debit
records later. Stripe's texts where recorded (``../shared/reference/
stripe-charges-refunds-debits.md`` §4.1), pmsim's otherwise (``docs/fidelity.md``).

>>> future_usage_needs_mandate_data().message
'When confirming a PaymentIntent with a `sepa_debit` PaymentMethod and `setup_future_usage`, \
`mandate_data` is required.'
"""

from __future__ import annotations

from collections.abc import Iterable

from pmsim.domain.errors import InvalidRequestError

IBAN_PARAM = "sepa_debit[iban]"
#: Stripe's code for an IBAN it cannot take (documented for Sources; pmsim uses it here too).
INVALID_IBAN = "invalid_bank_account_iban"


def invalid_iban() -> InvalidRequestError:
    """A malformed IBAN, or one whose check digits fail. The words are what Stripe's client
    libraries show for ``invalid_bank_account_iban``; the API's own text is not recorded."""
    return InvalidRequestError(
        "The IBAN you entered is invalid.", code=INVALID_IBAN, param=IBAN_PARAM
    )


def iban_country_not_supported(country: str) -> InvalidRequestError:
    """An IBAN of a country outside SEPA, in the words of Stripe's client libraries."""
    return InvalidRequestError(
        f'The IBAN you entered is invalid, "{country}" is not a supported country code.',
        code=INVALID_IBAN,
        param=IBAN_PARAM,
    )


def future_usage_needs_mandate_data() -> InvalidRequestError:
    """Saving a bank debit with a payment needs the customer's mandate. Recorded text
    (laravel/cashier-stripe#1515); the code and param are pmsim's guess, as on a SetupIntent."""
    return InvalidRequestError(
        "When confirming a PaymentIntent with a `sepa_debit` PaymentMethod and "
        "`setup_future_usage`, `mandate_data` is required.",
        code="parameter_missing",
        param="mandate_data",
    )


def currency_not_supported(
    currency: str, pm_type: str, allowed: Iterable[str]
) -> InvalidRequestError:
    """A payment in a currency the type cannot take. Recorded text (woocommerce-payments#3232);
    no code or param was recorded."""
    return InvalidRequestError(
        f"The currency provided ({currency}) is invalid for one or more payment method types "
        f"on this PaymentIntent. The payment method type {pm_type} only supports the following "
        f"currencies: {', '.join(allowed)}. Either correct the provided currency, or use a "
        "different PaymentIntent to accept this payment method type."
    )


def needs_confirm(param: str, kind: str) -> InvalidRequestError:
    """``mandate`` or ``mandate_data`` on create without ``confirm=true``. Stripe's recorded
    words for ``mandate`` on a PaymentIntent (opencollective-api#9603); the others are
    pmsim's, in the same words."""
    return InvalidRequestError(
        f"The parameter `{param}` cannot be passed when creating a {kind} unless "
        "`confirm` is set to true",
        param=param,
    )


def mandate_and_mandate_data() -> InvalidRequestError:
    """Both an existing mandate and a new one's ``mandate_data``. pmsim's words: Stripe's
    answer is not recorded (``docs/fidelity.md``)."""
    return InvalidRequestError(
        "You cannot pass both `mandate` and `mandate_data`: pass `mandate` to debit under a "
        "mandate the customer already gave, or `mandate_data` to record a new one.",
        param="mandate",
    )


def mandate_not_for(mandate: str, pm: str) -> InvalidRequestError:
    """A ``mandate`` made for another payment method. pmsim's words (not recorded)."""
    return InvalidRequestError(
        f"The mandate {mandate} was not given for the PaymentMethod {pm}. Pass a mandate of "
        "this PaymentMethod, or `mandate_data` to record a new one.",
        param="mandate",
    )


def mandate_inactive(mandate: str) -> InvalidRequestError:
    """A ``mandate`` that has ended (its payment method was detached). pmsim's words."""
    return InvalidRequestError(
        f"The mandate {mandate} is inactive, so it cannot be used for new payments. Pass "
        "`mandate_data` to record a new mandate with the customer's acceptance.",
        param="mandate",
    )


def manual_capture_not_supported(pm_type: str) -> InvalidRequestError:
    """``capture_method=manual`` with a type Stripe captures only automatically ("Manual
    capture support: No", Stripe's SEPA Direct Debit docs). pmsim's wording."""
    return InvalidRequestError(
        f"The payment method type {pm_type} does not support manual capture: confirm this "
        "PaymentIntent with capture_method=automatic, or use a card.",
        param="capture_method",
    )


#: ``last_payment_error`` of a debit that failed after it was submitted (recorded).
PAYMENT_FAILED_CODE = "payment_intent_payment_attempt_failed"
PAYMENT_FAILED_MESSAGE = "The payment failed."
#: A processing debit's charge when its PaymentIntent is canceled (pmsim's words).
CANCELED_WHILE_PROCESSING = "The payment was canceled before the bank answered."
