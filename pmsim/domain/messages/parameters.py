"""Stripe's answers to parameter values it cannot take: missing, unknown, of the wrong kind,
out of range; metadata and list cursors; amounts and currencies; webhook endpoints and test
clocks. Stripe's texts unless noted.

>>> missing_param("customer").message
'Missing required param: customer.'
>>> invalid_choice("tax_exempt", ("none", "reverse", "exempt")).message
'Invalid tax_exempt: must be one of none, reverse, or exempt'
"""

from __future__ import annotations

from collections.abc import Iterable

from pmsim.domain.errors import InvalidRequestError

# --- Values --------------------------------------------------------------------------------


def missing_param(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Missing required param: {param}.", code="parameter_missing", param=param
    )


#: How much of a name a client sent is echoed back: a 100 MB parameter name must not make a
#: 200 MB answer (pmsim's choice; Stripe's own cut is not documented).
MAX_ECHOED_NAME = 100


def shortened(text: str, limit: int = MAX_ECHOED_NAME) -> str:
    """``text``, cut to its first ``limit`` characters and "…" when longer.

    >>> shortened("a" * 120)[-3:], len(shortened("a" * 120))
    ('aa…', 101)
    """
    return text if len(text) <= limit else text[:limit] + "…"


def unknown_parameter(param: str) -> InvalidRequestError:
    name = shortened(param)
    return InvalidRequestError(
        f"Received unknown parameter: {name}", code="parameter_unknown", param=name
    )


def invalid_integer(param: str, value: object) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid integer: {value}", code="parameter_invalid_integer", param=param
    )


def invalid_boolean(param: str, value: object) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid boolean: {value}", param=param)


def invalid_string(param: str, value: object) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid string: {shortened(str(value))}", param=param)


def invalid_hash(param: str) -> InvalidRequestError:
    return InvalidRequestError("Invalid hash", param=param)


def invalid_array(param: str) -> InvalidRequestError:
    return InvalidRequestError("Invalid array", param=param)


def invalid_choice(param: str, choices: tuple[str, ...]) -> InvalidRequestError:
    """Stripe lists the choices in its own order: "must be one of none, reverse, or exempt"."""
    listed = ", ".join(choices[:-1]) + f", or {choices[-1]}" if len(choices) > 1 else choices[0]
    return InvalidRequestError(f"Invalid {param}: must be one of {listed}", param=param)


def invalid_email(value: str, param: str = "email") -> InvalidRequestError:
    return InvalidRequestError(f"Invalid email address: {shortened(value)}", param=param)


def string_too_long(param: str, value: str, maximum: int) -> InvalidRequestError:
    """Stripe's wording, as its errors show it: the value's first and last ten characters.

    >>> string_too_long("name", "x" * 30, 20).message
    'Invalid string: xxxxxxxxxx...xxxxxxxxxx; must be at most 20 characters'
    """
    return InvalidRequestError(
        f"Invalid string: {value[:10]}...{value[-10:]}; must be at most {maximum} characters",
        param=param,
    )


def cannot_unset(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"You passed an empty string for '{param}'. We assume empty values are an attempt to "
        f"unset a parameter; however '{param}' cannot be unset. You should remove '{param}' "
        "from your request or supply a non-empty value.",
        code="parameter_invalid_empty",
        param=param,
    )


def too_small(param: str, minimum: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"This value must be greater than or equal to {minimum}.", param=param
    )


def too_large(param: str, maximum: int) -> InvalidRequestError:
    return InvalidRequestError(f"This value must be less than or equal to {maximum}.", param=param)


def only_one_of(*params: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"You may only specify one of these parameters: {', '.join(sorted(params))}."
    )


# --- Metadata ------------------------------------------------------------------------------


def metadata_key_too_long(key: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid key: {key} must be a string under 40 characters", param="metadata"
    )


def metadata_key_has_brackets(key: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid key: {key} must not contain square brackets ('[' or ']')",
        param="metadata",
    )


def metadata_value_too_long(value: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid val: {value} must be a string under 500 characters",
        param="metadata",
    )


def metadata_too_many_keys(count: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"Metadata can have up to 50 keys, but you've set {count}. Email us at "
        "support+metadata@stripe.com for more information.",
        param="metadata",
    )


# --- Amounts and currencies ----------------------------------------------------------------


def unknown_currency(code: str, known: Iterable[str]) -> InvalidRequestError:
    """Stripe's first sentence; the second, naming what pmsim simulates, is pmsim's."""
    return InvalidRequestError(
        f"Invalid currency: {code}. pmsim simulates these currencies: {', '.join(sorted(known))}.",
        param="currency",
    )


def amount_too_small(param: str, minimum: str, currency: str) -> InvalidRequestError:
    """``minimum`` as Stripe writes money (``$0.50``)."""
    return InvalidRequestError(
        f"Amount must be at least {minimum} {currency}", code="amount_too_small", param=param
    )


def amount_too_large(param: str, maximum: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Amount must be no more than {maximum}", code="amount_too_large", param=param
    )


# --- Webhook endpoints and test clocks (pmsim's wording) -----------------------------------


def invalid_url(url: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid URL: {shortened(url)}", param="url")


def frozen_time_out_of_range(value: int, latest: int) -> InvalidRequestError:
    """pmsim's wording: simulated time stays between 1970 and the end of 9999."""
    return InvalidRequestError(
        f"Invalid frozen_time: {value}. pmsim keeps simulated time between 0 (1970-01-01) "
        f"and {latest} (9999-12-31T23:59:59Z); give a frozen_time that moves the simulator's "
        "clock no further than that.",
        param="frozen_time",
    )


def frozen_time_not_later(current: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"The test clock's frozen_time can only move forward: give a frozen_time after {current}.",
        param="frozen_time",
    )
