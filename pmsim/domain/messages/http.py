"""Stripe's answers about the request itself rather than its values: an unknown URL, an API
key, an idempotency key reused, a form it cannot decode, an ``expand`` it cannot follow.

>>> invalid_api_key("sk_test_1234567890abcd").message
'Invalid API Key provided: sk_test_**********abcd'
"""

from __future__ import annotations

from pmsim.domain.errors import (
    AuthenticationError,
    IdempotencyError,
    InvalidRequestError,
    PermissionDeniedError,
)
from pmsim.domain.messages.parameters import shortened


def unrecognized_url(method: str, path: str, simulated: list[str]) -> InvalidRequestError:
    """Stripe's first sentence; pmsim adds what it does simulate."""
    return InvalidRequestError(
        f"Unrecognized request URL ({shortened(method, 20)}: {shortened(path)}). "
        "pmsim does not simulate this endpoint. "
        f"Simulated endpoints: {', '.join(simulated)}.",
        http_status=404,
    )


# --- API keys ------------------------------------------------------------------------------


def no_api_key() -> AuthenticationError:
    return AuthenticationError(
        "You did not provide an API key. You need to provide your API key in the Authorization "
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
        "https://stripe.com/docs/api#authentication for details, or we can help at "
        "https://support.stripe.com/."
    )


def masked_key(key: str) -> str:
    """A key as Stripe's errors show it: its first 8 and last 4 characters, stars between
    (a key of 12 characters or fewer whole).

    >>> masked_key("sk_test_1234567890abcd")
    'sk_test_**********abcd'
    """
    return key[:8] + "*" * max(len(key) - 12, 0) + key[-4:] if len(key) > 12 else key


def invalid_api_key(key: str) -> AuthenticationError:
    return AuthenticationError(f"Invalid API Key provided: {masked_key(key)}")


def live_api_key(key: str) -> AuthenticationError:
    """pmsim's own: Stripe would take a live key, pmsim simulates test mode only."""
    return AuthenticationError(
        f"pmsim only accepts test-mode keys (sk_test_... or rk_test_...), and refuses live keys "
        f"such as {key[:8]}...: it simulates Stripe test mode, and a live key does not belong "
        "in a test. Use any key that starts with sk_test_."
    )


# --- Accounts -----------------------------------------------------------------------------


def no_access_to_account(account: str, key: str | None = None) -> PermissionDeniedError:
    """A ``Stripe-Account`` header, or ``/v1/accounts/{account}``, naming an account other than
    the key's own: recorded for an unknown account in 2017 (stripe-ruby-mock#422, a 403 that
    stripe-ruby raised as ``PermissionError``); ``account_invalid`` is Stripe's documented code
    for an invalid ``Stripe-Account``. Without a key (the Python API) the key is not named.

    >>> no_access_to_account("acct_x").message[:57]
    "The provided key does not have access to account 'acct_x'"
    """
    who = "The provided key" if key is None else f"The provided key '{masked_key(key)}'"
    return PermissionDeniedError(
        f"{who} does not have access to account '{shortened(account)}' (or that account does "
        "not exist). Application access may have been revoked.",
        code="account_invalid",
    )


# --- Idempotency ---------------------------------------------------------------------------


def idempotency_key_too_long(length: int, limit: int) -> InvalidRequestError:
    """Stripe documents the limit ("Idempotency keys are up to 255 characters long"), not its
    answer; the wording is pmsim's."""
    return InvalidRequestError(
        f"The Idempotency-Key header is {length} characters long; idempotency keys are up to "
        f"{limit} characters long."
    )


def idempotency_params_differ(key: str) -> IdempotencyError:
    return IdempotencyError(
        "Keys for idempotent requests can only be used with the same parameters they were first "
        f"used with. Try using a key other than '{key}' if you meant to execute a different "
        "request."
    )


def idempotency_endpoint_differs(key: str, first: str, now: str) -> IdempotencyError:
    return IdempotencyError(
        "Keys for idempotent requests can only be used for the same endpoint they were first "
        f"used for ('{first}' vs '{now}'). Try using a key other than '{key}' if you meant to "
        "execute a different request."
    )


# --- The request itself (pmsim's wording: Stripe's is not documented) ---------------------


def body_too_large(size: int, limit: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"The request body is {size} bytes; pmsim accepts at most {limit} bytes (1 MiB). "
        "Send fewer or shorter parameters.",
        http_status=413,
    )


def body_not_utf8() -> InvalidRequestError:
    return InvalidRequestError(
        "The request body is not valid UTF-8. Encode the form as UTF-8 and percent-escape it "
        "(application/x-www-form-urlencoded), as Stripe's libraries do."
    )


def bad_content_length(value: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid Content-Length header: {value[:40]!r}. Send the body's length in bytes, "
        "a whole number from 0."
    )


def request_unparsable() -> InvalidRequestError:
    return InvalidRequestError(
        "pmsim could not read this HTTP request: its request line or headers are malformed "
        "(a Content-Length must be a whole number of bytes, from 0). Nothing was done."
    )


def request_incomplete() -> InvalidRequestError:
    return InvalidRequestError(
        "The connection ended before the request was whole (its headers cut off, or its body "
        "shorter than its Content-Length); nothing was done."
    )


def request_timeout(seconds: float) -> InvalidRequestError:
    return InvalidRequestError(
        f"The request did not arrive whole within {seconds:g} seconds; nothing was done. "
        "Send the headers and the whole body at once.",
        http_status=408,
    )


def headers_too_large(limit: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"The request's line and headers are over {limit} bytes; pmsim reads at most that. "
        "Send fewer or shorter headers.",
        http_status=431,
    )


def invalid_stripe_version_header(example: str) -> InvalidRequestError:
    return InvalidRequestError(
        "Invalid Stripe-Version header: it holds control or non-ASCII characters. Send an API "
        f"version such as {example}."
    )


def nesting_too_deep(name: str, limit: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid parameter name: {shortened(name)} is nested more than {limit} levels deep; "
        "Stripe's parameters nest a few levels at most."
    )


# --- Form encoding and expand --------------------------------------------------------------


def invalid_parameter_name(name: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid parameter name: {shortened(name)}")


def array_keys_not_sequential(param: str, keys: list[str], missing: str) -> InvalidRequestError:
    return InvalidRequestError(
        "If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array "
        "(e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. You "
        f"passed the keys `{', '.join(keys)}`, we expected to have a key with the value "
        f"`{missing}`.",
        param=param,
    )


def cannot_expand(path: str) -> InvalidRequestError:
    return InvalidRequestError(f"This property cannot be expanded ({path}).", param="expand")
