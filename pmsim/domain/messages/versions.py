"""Stripe's answers about API versions: one it does not know, and the rules newer versions
added (``../shared/reference/stripe-versions.md``).

>>> invalid_version("2019-2-19").message
'Invalid Stripe API version: 2019-2-19'
"""

from __future__ import annotations

from pmsim.domain.errors import InvalidRequestError
from pmsim.domain.messages.parameters import shortened


def invalid_version(text: object, param: str | None = None) -> InvalidRequestError:
    """Stripe's recorded body has no code; the value is echoed as sent (cut short)."""
    return InvalidRequestError(f"Invalid Stripe API version: {shortened(str(text))}", param=param)


def older_than_simulated(
    text: str, oldest: str, newest: str, param: str | None = None
) -> InvalidRequestError:
    """pmsim's own: Stripe still answers versions back to 2011, pmsim models 2023-08-16 on."""
    return InvalidRequestError(
        f"Invalid Stripe API version: {text}. pmsim simulates API versions {oldest} to "
        f"{newest}; send one of those (docs/api-versions.md lists them).",
        param=param,
    )


def preview_not_simulated(text: str, param: str | None = None) -> InvalidRequestError:
    """pmsim's own: Stripe accepts preview versions for accounts enrolled in them."""
    return InvalidRequestError(
        f"Invalid Stripe API version: {shortened(text)}. pmsim does not simulate preview "
        "versions; send a dated or named release, such as 2026-11-18.endive.",
        param=param,
    )


def payment_method_types_removed(version: str) -> InvalidRequestError:
    """Stripe's code (endive changelog); its message is not recorded, so this one is pmsim's."""
    return InvalidRequestError(
        f"payment_method_types is no longer supported on API version {version}. Leave it "
        "out to use automatic payment methods (with automatic_payment_methods[allow_redirects]"
        "=never to accept only those that never redirect), or send an older Stripe-Version.",
        code="payment_method_types_no_longer_supported",
        param="payment_method_types",
    )


def total_count_forbidden(version: str) -> InvalidRequestError:
    """Stripe's code (basil changelog: "a 400 error with a property_forbidden error message")."""
    return InvalidRequestError(
        f"You cannot expand total_count on API version {version}: lists no longer count "
        "their objects. Page through the list with starting_after instead.",
        code="property_forbidden",
        param="expand",
    )


def total_count_forbidden_new_account(version: str) -> InvalidRequestError:
    """Before basil, for an account made after it (pmsim's wording, Stripe's code)."""
    return InvalidRequestError(
        f"You cannot expand total_count on a list: API version {version} allows it only for "
        "accounts older than 2025-03-31.basil, and this one is new. Page through the list with "
        "starting_after instead.",
        code="property_forbidden",
        param="expand",
    )


def return_url_required(intent: str) -> InvalidRequestError:
    """Recorded for PaymentIntents (stripe-versions.md §2, 2023-08-16 item 2); the SetupIntent
    wording is the same with its name, pmsim's choice. No code was recorded."""
    return InvalidRequestError(
        f"A `return_url` must be specified because this {intent} is configured to "
        "automatically accept the payment methods enabled in the Dashboard, some of which may "
        "require a full page redirect to succeed. If you do not want to accept "
        "redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` "
        "and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup "
        "Intents and Payment Intents.",
    )
