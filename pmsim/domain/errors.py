"""Stripe's errors as data: the classes, apart from their words.

Two kinds of error live apart:

* :class:`StripeError` and its subclasses are *simulated Stripe errors*: what Stripe itself
  would answer, with its ``type``, ``code``, ``param``, message and HTTP status. The API layer
  turns them into Stripe's ``{"error": {...}}`` envelope.
* :class:`PmsimUsageError` is for the developer: pmsim was asked for something it does not
  simulate, or was driven wrongly. It says plainly what to do instead.

The classes hold data only. Every message text, and the functions that make an error from
one, are in :mod:`pmsim.domain.messages`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar, Protocol

DOC_URL = "https://stripe.com/docs/error-codes/{}"


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
        charge: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        self.http_status = http_status or self.default_status
        #: Objects the envelope carries whole, by key: the intent a confirmation failed on and
        #: its payment method, as Stripe sends them with a failed confirmation.
        self.objects: Mapping[str, Rendered] = objects or {}
        #: "For card errors, the ID of the failed charge" (a declined payment's).
        self.charge = charge
        #: pmsim's explanation of why the rule fired in this simulator's history, and what
        #: to do instead (set by the engine; never part of Stripe's envelope).
        self.hint: str | None = None
        #: The id of the earlier event the hint is about, if any (a replay names its step).
        self.hint_event: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Stripe's error envelope; keys without a value are left out, as Stripe does."""
        body: dict[str, Any] = {}
        if self.charge is not None:
            body["charge"] = self.charge
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

    >>> InvalidRequestError("No such customer: 'cus_x'", http_status=404).http_status
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


class PermissionDeniedError(StripeError):
    """A key asking for an account it cannot reach (403); stripe-python raises its
    ``PermissionError``. Stripe sends these as ``invalid_request_error``.

    >>> PermissionDeniedError("The provided key ...", code="account_invalid").http_status
    403
    """

    type = "invalid_request_error"
    default_status = 403
