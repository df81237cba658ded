"""Stripe's errors as data, and every message pmsim answers with, in one place.

Two kinds of error live apart:

* :class:`StripeError` and its subclasses are *simulated Stripe errors*: what Stripe itself
  would answer, with its ``type``, ``code``, ``param``, message and HTTP status. The API layer
  turns them into Stripe's ``{"error": {...}}`` envelope.
* :class:`PmsimUsageError` is for the developer: pmsim was asked for something it does not
  simulate, or was driven wrongly. It says plainly what to do instead.

The functions below are the only place message text is written; sources and confidence are in
``shared/reference/stripe-behavior.md`` (section numbers are given with each).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

DOC_URL = "https://stripe.com/docs/error-codes/{}"
TESTING_URL = "https://stripe.com/docs/testing"


class PmsimUsageError(Exception):
    """pmsim was used in a way it does not support; the message says what to do instead.

    >>> raise PmsimUsageError("pmsim does not simulate POST /v1/charges")
    Traceback (most recent call last):
    pmsim.domain.errors.PmsimUsageError: pmsim does not simulate POST /v1/charges
    """


class StateFileError(PmsimUsageError):
    """A file given to ``Simulator.load`` is not a pmsim state file or is damaged, or
    ``sim.save`` cannot write where it was told.

    The file is never changed (``pmsim/engine/state_files.py``). ``path`` is the file; the
    message says what is wrong and, for a damaged file, where
    (``customers[3].created: expected an integer, got text``).

    >>> import pmsim
    >>> pmsim.Simulator.load("gone.json")
    Traceback (most recent call last):
    pmsim.domain.errors.StateFileError: gone.json: no such file; save one with sim.save(path)
    """

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        super().__init__(f"{os.fspath(path)}: {problem}")
        self.path = os.fspath(path)


class Rendered(Protocol):
    """An object that renders as Stripe JSON (a record; errors cannot import the models)."""

    def to_dict(self) -> dict[str, Any]: ...


class StripeError(Exception):
    """An error real Stripe would answer, carried as data.

    >>> err = InvalidRequestError("Missing required param: customer.",
    ...                           code="parameter_missing", param="customer")
    >>> err.http_status, err.type, err.code
    (400, 'invalid_request_error', 'parameter_missing')
    >>> err.to_dict()["error"]["doc_url"]
    'https://stripe.com/docs/error-codes/parameter-missing'
    """

    type: ClassVar[str] = "api_error"
    default_status: ClassVar[int] = 500

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        decline_code: str | None = None,
        http_status: int | None = None,
        objects: Mapping[str, Rendered] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.http_status = http_status or self.default_status
        #: Objects the envelope carries whole, by key: the intent a confirmation failed on and
        #: its payment method (§5.3, §6.2).
        self.objects: Mapping[str, Rendered] = objects or {}
        #: pmsim's explanation of why the rule fired in this simulator's history, and what
        #: to do instead (set by the engine; never part of Stripe's envelope).
        self.hint: str | None = None
        #: The id of the earlier event the hint is about, if any (a replay names its step).
        self.hint_event: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Stripe's error envelope; keys without a value are left out, as Stripe does (§11.1)."""
        body: dict[str, Any] = {}
        if self.code is not None:
            body["code"] = self.code
        if self.decline_code is not None:
            body["decline_code"] = self.decline_code
        if self.code is not None:
            body["doc_url"] = DOC_URL.format(self.code.replace("_", "-"))
        body["message"] = self.message
        if self.param is not None:
            body["param"] = self.param
        body["type"] = self.type
        if self.objects:
            body |= {key: obj.to_dict() for key, obj in self.objects.items()}
            body = dict(sorted(body.items()))
        return {"error": body}

    def __repr__(self) -> str:
        fields = [repr(self.message)]
        fields += [
            f"{name}={value!r}"
            for name in ("code", "param", "decline_code")
            if (value := getattr(self, name)) is not None
        ]
        fields.append(f"http_status={self.http_status}")
        return f"{type(self).__name__}({', '.join(fields)})"


class InvalidRequestError(StripeError):
    """Stripe's ``invalid_request_error`` (400, or 404 for an id in the URL path).

    >>> no_such_customer("cus_x", param="id", in_path=True).http_status
    404
    """

    type = "invalid_request_error"
    default_status = 400


class CardError(StripeError):
    """Stripe's ``card_error`` (402): a declined card, an invalid number or expiry.

    >>> err = CardError("Your card was declined.", code="card_declined",
    ...                 decline_code="generic_decline")
    >>> err.http_status
    402
    """

    type = "card_error"
    default_status = 402


class IdempotencyError(StripeError):
    """Stripe's ``idempotency_error`` (400): a key reused with other parameters.

    >>> IdempotencyError("Keys for idempotent requests ...").type
    'idempotency_error'
    """

    type = "idempotency_error"
    default_status = 400


class AuthenticationError(StripeError):
    """A missing or unacceptable API key (401). Stripe sends these as ``invalid_request_error``.

    >>> AuthenticationError("No valid API key provided.").http_status
    401
    """

    type = "invalid_request_error"
    default_status = 401


# --- Lookups (§2) --------------------------------------------------------------------------

#: How "No such ..." names each object (§2).
OBJECT_NAMES = {
    "customer": "customer",
    "payment_method": "PaymentMethod",
    "event": "event",
    "setup_intent": "setupintent",
    "payment_intent": "payment_intent",
    "test_clock": "test_clock",
    "webhook_endpoint": "webhook_endpoint",
}


def no_such(kind: str, object_id: str, *, param: str, in_path: bool = False) -> InvalidRequestError:
    """``No such <name>: '<id>'``: 404 for an id in the URL path, 400 for one in a parameter."""
    return InvalidRequestError(
        f"No such {OBJECT_NAMES[kind]}: '{object_id}'",
        code="resource_missing",
        param=param,
        http_status=404 if in_path else 400,
    )


def no_such_customer(
    customer_id: str, *, param: str = "customer", in_path: bool = False
) -> InvalidRequestError:
    """Decision (e): 404 ``param: id`` in the URL path, 400 ``param: customer`` in the body."""
    return no_such("customer", customer_id, param=param, in_path=in_path)


def no_such_payment_method(
    pm_id: str, *, param: str = "payment_method", in_path: bool = False
) -> InvalidRequestError:
    return no_such("payment_method", pm_id, param=param, in_path=in_path)


def missing_param(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Missing required param: {param}.", code="parameter_missing", param=param
    )


# --- The attach lifecycle (§3.3, §4.3–4.5) -----------------------------------------------


def attached_to_another_customer() -> InvalidRequestError:
    """Simulator decision (c): no code, no param."""
    return InvalidRequestError(
        "The payment method you provided has already been attached to a customer."
    )


def not_reusable() -> InvalidRequestError:
    """Simulator decision (g): detached, or used once without being saved to a customer."""
    return InvalidRequestError(
        "This PaymentMethod was previously used without being attached to a Customer or was "
        "detached from a Customer, and may not be used again."
    )


def not_attached_for_detach() -> InvalidRequestError:
    return InvalidRequestError(
        "The payment method you provided is not attached to a customer so detachment is impossible."
    )


def must_be_attached_to_update() -> InvalidRequestError:
    """Stripe's text is unknown (§4.3, [U]); this is the wording one emulator uses."""
    return InvalidRequestError(
        "You must save this PaymentMethod to a customer before you can update it."
    )


def default_not_attached(pm_id: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"The customer does not have a payment method with the ID {pm_id}. The payment method "
        "must be attached to the customer.",
        param="invoice_settings[default_payment_method]",
    )


def invalid_token(token: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid token id: {token}", param="token")


def customer_on_payment_method_create() -> InvalidRequestError:
    return InvalidRequestError(
        "You cannot attach a PaymentMethod to a Customer during PaymentMethod creation. Please "
        "instead create the PaymentMethod and then attach it using the attachment method of the "
        "PaymentMethods API."
    )


# --- Card errors at creation (§4.1, §7.2) -----------------------------------------------


def live_card() -> CardError:
    """Simulator decision (h): a Luhn-valid number that is not one of Stripe's test cards."""
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


# --- Parameters, metadata and lists (§11.6, §11.8) --------------------------------------


def metadata_key_too_long(key: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid key: {key} must be a string under 40 characters", param="metadata"
    )


def metadata_key_has_brackets(key: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid key: {key} must not contain square brackets ('[' or ']')", param="metadata"
    )


def metadata_value_too_long(value: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid val: {value} must be a string under 500 characters", param="metadata"
    )


def metadata_too_many_keys(count: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"Metadata can have up to 50 keys, but you've set {count}. Email us at "
        "support+metadata@stripe.com for more information.",
        param="metadata",
    )


def unknown_parameter(param: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Received unknown parameter: {param}", code="parameter_unknown", param=param
    )


def invalid_integer(param: str, value: object) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid integer: {value}", code="parameter_invalid_integer", param=param
    )


def invalid_boolean(param: str, value: object) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid boolean: {value}", param=param)


def invalid_string(param: str, value: object) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid string: {value}", param=param)


def invalid_hash(param: str) -> InvalidRequestError:
    return InvalidRequestError("Invalid hash", param=param)


def invalid_array(param: str) -> InvalidRequestError:
    return InvalidRequestError("Invalid array", param=param)


def invalid_choice(param: str, choices: tuple[str, ...]) -> InvalidRequestError:
    """Stripe lists the choices in its own order: "must be one of none, reverse, or exempt"."""
    listed = ", ".join(choices[:-1]) + f", or {choices[-1]}" if len(choices) > 1 else choices[0]
    return InvalidRequestError(f"Invalid {param}: must be one of {listed}", param=param)


def invalid_email(value: str, param: str = "email") -> InvalidRequestError:
    return InvalidRequestError(f"Invalid email address: {value}", param=param)


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


def cannot_expand(path: str) -> InvalidRequestError:
    return InvalidRequestError(f"This property cannot be expanded ({path}).", param="expand")


def invalid_parameter_name(name: str) -> InvalidRequestError:
    return InvalidRequestError(f"Invalid parameter name: {name}")


def array_keys_not_sequential(param: str, keys: list[str], missing: str) -> InvalidRequestError:
    return InvalidRequestError(
        "If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array "
        "(e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. You "
        f"passed the keys `{', '.join(keys)}`, we expected to have a key with the value "
        f"`{missing}`.",
        param=param,
    )


# --- The HTTP surface (§11.4, §11.5) ----------------------------------------------------


def unrecognized_url(method: str, path: str, simulated: list[str]) -> InvalidRequestError:
    return InvalidRequestError(
        f"Unrecognized request URL ({method}: {path}). pmsim does not simulate this endpoint. "
        f"Simulated endpoints: {', '.join(simulated)}.",
        http_status=404,
    )


def no_api_key() -> AuthenticationError:
    return AuthenticationError(
        "You did not provide an API key. You need to provide your API key in the Authorization "
        "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
        "https://stripe.com/docs/api#authentication for details, or we can help at "
        "https://support.stripe.com/."
    )


def invalid_api_key(key: str) -> AuthenticationError:
    masked = key[:8] + "*" * max(len(key) - 12, 0) + key[-4:] if len(key) > 12 else key
    return AuthenticationError(f"Invalid API Key provided: {masked}")


def live_api_key(key: str) -> AuthenticationError:
    return AuthenticationError(
        f"pmsim only accepts test-mode keys (sk_test_... or rk_test_...), and refuses live keys "
        f"such as {key[:8]}...: it simulates Stripe test mode, and a live key does not belong "
        "in a test. Use any key that starts with sk_test_."
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
