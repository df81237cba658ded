"""Conformance: the attach-lifecycle rules, checked against pmsim and, on request, real Stripe.

Every test takes the ``backend`` fixture, which has two params:

* ``pmsim`` always runs: ``pmsim.stripe_client(pmsim.Simulator())``, in-process, with
  network access refused.
* ``stripe`` talks to Stripe's real API in test mode, and only when asked to. Otherwise it is
  skipped with the reason, so a run without the variables below (CI included) never touches
  the network.

Each test writes out the outcome expected of Stripe for one rule: the exception class, and the
error's ``type``, ``code``, ``param``, ``decline_code``, HTTP status and message. Both backends
must meet the same expectations, so a difference between pmsim and Stripe shows up as a failure
on the ``stripe`` param (and a pmsim regression as a failure on both).

Running against real Stripe (a test-mode secret key only; any other key is refused)::

    PMSIM_VERIFY_AGAINST_STRIPE=1 STRIPE_TEST_KEY=sk_test_... \\
        python -m pytest tests/conformance -v -p no:randomly

Against Stripe, the tests create a few customers and payment methods in the test account,
using stripe-python's pinned API version, and delete those customers afterwards. Never point
them at a live account.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
import stripe

import pmsim
from tests.support import ALREADY_ATTACHED, NOT_ATTACHED, NOT_REUSABLE

OPT_IN = "PMSIM_VERIFY_AGAINST_STRIPE"
KEY = "STRIPE_TEST_KEY"


def real_stripe_client() -> stripe.StripeClient:
    """A client for Stripe's test mode, or a skip saying how to get one."""
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
    return stripe.StripeClient(key, max_network_retries=2)


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """pmsim answers in-process: any name lookup or outgoing connection is a bug."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pmsim backend attempted a network connection")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@dataclass
class Backend:
    """A ``stripe.StripeClient`` plus the customers a test made on it, for clean-up."""

    name: str
    client: stripe.StripeClient
    customer_ids: list[str] = field(default_factory=list)

    def customer(self, email: str | None = None) -> stripe.Customer:
        """A new customer, tagged so stray test data in a Stripe account is recognisable."""
        tag = {"pmsim_conformance": "1"}
        cus = self.client.v1.customers.create(
            {"email": email, "metadata": tag} if email else {"metadata": tag}
        )
        self.customer_ids.append(cus.id)
        return cus

    def default_payment_method(self, customer_id: str) -> object:
        settings = self.client.v1.customers.retrieve(customer_id).invoice_settings
        assert settings is not None
        return settings.default_payment_method


@pytest.fixture(params=["pmsim", "stripe"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    if request.param == "pmsim":
        refuse_network(monkeypatch)
        client = pmsim.stripe_client(pmsim.Simulator())
    else:
        client = real_stripe_client()
    backend = Backend(request.param, client)
    yield backend
    for cus_id in backend.customer_ids:
        with contextlib.suppress(stripe.StripeError):
            client.v1.customers.delete(cus_id)


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
    with pytest.raises(stripe.StripeError) as caught:
        call()
    err = caught.value
    assert type(err) is cls, repr(err)
    assert err.error is not None, f"no error object in the response: {err.json_body!r}"
    got = {
        "type": err.error.type,
        "code": err.error.code,
        "param": err.error.param,
        "decline_code": err.error.decline_code,
        "http_status": err.http_status,
        "message": err.error.message,
    }
    want = {
        "type": "card_error" if cls is stripe.CardError else "invalid_request_error",
        "code": code,
        "param": param,
        "decline_code": decline_code,
        "http_status": status,
        "message": message,
    }
    assert got == want
    assert err.request_id and err.request_id.startswith("req_")
    return err


def unattached_card(backend: Backend) -> stripe.PaymentMethod:
    return backend.client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}})


def test_attach_a_test_card_to_a_new_customer(backend: Backend) -> None:
    cus = backend.customer(email="ada@example.com")
    assert cus.id.startswith("cus_") and cus.email == "ada@example.com"
    pm = backend.client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    assert pm.id.startswith("pm_") and pm.id != "pm_card_visa"
    assert pm.card is not None
    assert (pm.customer, pm.type, pm.card.brand, pm.card.last4) == (cus.id, "card", "visa", "4242")
    listed = backend.client.v1.customers.payment_methods.list(cus.id)
    assert [p.id for p in listed.data] == [pm.id]


def test_a_payment_method_attached_to_one_customer_cannot_be_attached_to_another(
    backend: Backend,
) -> None:
    alice, bob = backend.customer(), backend.customer()
    pms = backend.client.v1.payment_methods
    pm = pms.attach("pm_card_visa", {"customer": alice.id})
    expect_error(lambda: pms.attach(pm.id, {"customer": bob.id}), message=ALREADY_ATTACHED)
    assert pms.retrieve(pm.id).customer == alice.id


def test_a_detached_payment_method_cannot_be_attached_again(backend: Backend) -> None:
    cus = backend.customer()
    pms = backend.client.v1.payment_methods
    pm = pms.attach("pm_card_visa", {"customer": cus.id})
    assert pms.detach(pm.id).customer is None
    expect_error(lambda: pms.attach(pm.id, {"customer": cus.id}), message=NOT_REUSABLE)
    assert pms.retrieve(pm.id).customer is None


def test_detaching_a_payment_method_that_was_never_attached_fails(backend: Backend) -> None:
    pm = unattached_card(backend)
    assert pm.customer is None
    expect_error(lambda: backend.client.v1.payment_methods.detach(pm.id), message=NOT_ATTACHED)


def test_attaching_a_declining_card_is_a_card_error(backend: Backend) -> None:
    cus = backend.customer()
    expect_error(
        lambda: backend.client.v1.payment_methods.attach(
            "pm_card_visa_chargeDeclined", {"customer": cus.id}
        ),
        stripe.CardError,
        status=402,
        message="Your card was declined.",
        code="card_declined",
        decline_code="generic_decline",
    )
    assert backend.client.v1.customers.payment_methods.list(cus.id).data == []


def test_the_default_payment_method_must_be_attached_to_the_customer(backend: Backend) -> None:
    cus = backend.customer()
    stray = unattached_card(backend)
    expect_error(
        lambda: backend.client.v1.customers.update(
            cus.id, {"invoice_settings": {"default_payment_method": stray.id}}
        ),
        message=f"The customer does not have a payment method with the ID {stray.id}. The "
        "payment method must be attached to the customer.",
        param="invoice_settings[default_payment_method]",
    )
    assert backend.default_payment_method(cus.id) is None


def test_detaching_the_default_payment_method_clears_it(backend: Backend) -> None:
    customers, pms = backend.client.v1.customers, backend.client.v1.payment_methods
    cus = backend.customer()
    pm = pms.attach("pm_card_visa", {"customer": cus.id})
    customers.update(cus.id, {"invoice_settings": {"default_payment_method": pm.id}})
    assert backend.default_payment_method(cus.id) == pm.id
    pms.detach(pm.id)
    assert backend.default_payment_method(cus.id) is None
