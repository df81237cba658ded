"""What the conformance tests share: the two backends and a field-by-field error check.

The ``backend`` fixture itself lives in ``conftest.py``; the classes and helpers live here
because test modules import them, and a ``conftest.py`` is not meant to be imported (pytest
loads each one under the bare name ``conftest``, so an import would get whichever was loaded
last).

Two backends answer every conformance test:

* ``pmsim``: ``pmsim.stripe_client(pmsim.Simulator())``, in-process, with network access
  refused. It always runs.
* ``stripe``: Stripe's real API in test mode, only when asked to. Otherwise it is skipped
  with the reason, so a run without the variables below (CI included) never touches the
  network.

Running against real Stripe (a test-mode secret key only; any other key is refused)::

    PMSIM_VERIFY_AGAINST_STRIPE=1 STRIPE_TEST_KEY=sk_test_... \\
        python -m pytest tests/conformance -v -p no:randomly

Against Stripe, the tests create customers and payment methods in the test account, using
stripe-python's pinned API version, and delete those customers afterwards. Payment methods
cannot be deleted; deleting their customer detaches them. Never point the tests at a live
account.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import stripe

OPT_IN = "PMSIM_VERIFY_AGAINST_STRIPE"
KEY = "STRIPE_TEST_KEY"

# Every customer the tests make carries this, so stray test data in a Stripe account (a run
# killed before its clean-up) is recognisable and can be removed by hand.
TAG = {"pmsim_conformance": "1"}

# Stripe's ``type`` for each exception class a test expects (stripe-python picks the class by
# the HTTP status, in stripe/_api_requestor.py; the type is in the body).
ERROR_TYPES: dict[type[stripe.StripeError], str] = {
    stripe.InvalidRequestError: "invalid_request_error",
    stripe.CardError: "card_error",
    stripe.IdempotencyError: "idempotency_error",
    stripe.AuthenticationError: "invalid_request_error",
}


def real_stripe_client(api_key: str | None = None) -> stripe.StripeClient:
    """A client for Stripe's test mode, or a skip saying how to get one.

    With ``api_key``, the client sends that key instead of the configured one (still only
    once the run has opted in), for tests of Stripe's answer to a bad key.
    """
    how = f"set {OPT_IN}=1 and {KEY}=sk_test_... to check these rules against real Stripe"
    if os.environ.get(OPT_IN) != "1":
        pytest.skip(f"real Stripe not requested: {how}")
    key = os.environ.get(KEY, "")
    if not key:
        pytest.skip(f"{OPT_IN}=1 but {KEY} is empty or unset: {how}")
    if not key.startswith("sk_test_"):
        # No traceback, so the key is never printed (not even with --showlocals).
        refusal = f"refusing to run: {KEY} is not a test-mode secret key (sk_test_...)"
        pytest.fail(refusal, pytrace=False)
    return stripe.StripeClient(key if api_key is None else api_key, max_network_retries=2)


def unique(prefix: str) -> str:
    """A value no earlier run used: Stripe keeps customers and idempotency keys between runs."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def unique_email() -> str:
    """An address only this test's customers have, so ``customers.list(email=...)`` sees only
    them, even in a Stripe account full of other data."""
    return f"{unique('pmsim-conformance')}@example.com"


@dataclass
class Backend:
    """A ``stripe.StripeClient`` plus the customers a test made on it, for clean-up.

    ``with_key`` builds another client that talks to the same place (the same simulator, or
    Stripe's API) with another API key.
    """

    name: str
    client: stripe.StripeClient
    with_key: Callable[[str], stripe.StripeClient]
    customer_ids: list[str] = field(default_factory=list)

    def customer(
        self,
        email: str | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        options: stripe.RequestOptions | None = None,
    ) -> stripe.Customer:
        """A new customer, tagged (``TAG`` joins any metadata given) and deleted afterwards."""
        body: dict[str, Any] = dict(params or {})
        body["metadata"] = {**TAG, **body.get("metadata", {})}
        if email is not None:
            body["email"] = email
        cus = self.client.v1.customers.create(body, options or {})  # type: ignore[arg-type]
        if cus.id not in self.customer_ids:
            self.customer_ids.append(cus.id)
        return cus

    def default_payment_method(self, customer_id: str) -> object:
        settings = self.client.v1.customers.retrieve(customer_id).invoice_settings
        assert settings is not None
        return settings.default_payment_method


def unattached_card(backend: Backend) -> stripe.PaymentMethod:
    """A card that belongs to no customer (not deleted with them: Stripe keeps such cards)."""
    return backend.client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}})


def expect_error(
    call: Callable[[], object],
    cls: type[stripe.StripeError] = stripe.InvalidRequestError,
    *,
    status: int = 400,
    message: str,
    code: str | None = None,
    param: str | None = None,
    decline_code: str | None = None,
) -> stripe.StripeError:
    """Run ``call`` and expect exactly this Stripe error, field by field."""
    err = expect_error_class(call, cls, status=status)
    assert err.error is not None
    got = {
        "code": err.error.code,
        "param": err.error.param,
        "decline_code": err.error.decline_code,
        "message": err.error.message,
    }
    want = {"code": code, "param": param, "decline_code": decline_code, "message": message}
    assert got == want
    assert err.request_id and err.request_id.startswith("req_")
    return err


def expect_error_class(
    call: Callable[[], object],
    cls: type[stripe.StripeError] = stripe.InvalidRequestError,
    *,
    status: int = 400,
) -> stripe.StripeError:
    """Run ``call`` and expect an error of this class, ``type`` and HTTP status only.

    For the cases where Stripe's message was never recorded: asserting pmsim's own wording here
    would fail against Stripe for no reason worth knowing about.
    """
    with pytest.raises(stripe.StripeError) as caught:
        call()
    err = caught.value
    assert type(err) is cls, repr(err)
    assert err.error is not None, f"no error object in the response: {err.json_body!r}"
    assert (err.error.type, err.http_status) == (ERROR_TYPES[cls], status), repr(err)
    return err


def response_header(obj: stripe.StripeObject, name: str) -> str | None:
    """A header of the response that brought ``obj``, whatever its case.

    stripe-python keeps the HTTP client's headers as they came: a case-insensitive mapping
    from ``requests`` (real Stripe), a plain dict with lowercase keys from pmsim.
    """
    response = obj.last_response
    assert response is not None, "stripe-python kept no response for this object"
    found = {key.lower(): value for key, value in response.headers.items()}
    return found.get(name.lower())
