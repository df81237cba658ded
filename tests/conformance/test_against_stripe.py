"""Conformance: the attach-lifecycle rules, checked against pmsim and, on request, real Stripe.

Every test takes the ``backend`` fixture (``conftest.py``), which has two params: ``pmsim``
always runs, in-process with network access refused; ``stripe`` talks to Stripe's real API in
test mode, only when asked to, and is skipped otherwise (``backends.py`` says how to ask).

Each test writes out the outcome expected of Stripe for one rule: the exception class, and the
error's ``type``, ``code``, ``param``, ``decline_code``, HTTP status and message. Both backends
must meet the same expectations, so a difference between pmsim and Stripe shows up as a failure
on the ``stripe`` param (and a pmsim regression as a failure on both).

The return_url rule of automatic payment methods (the default since API version 2023-08-16) is
here too: the attach-lifecycle tests confirm intents on-session, as checkout pages do, so they
send a ``return_url``.

The rest of the REST surface (customers, errors, lists, expand, idempotency, keys) is in
``test_rest_against_stripe.py``.
"""

from __future__ import annotations

import stripe

from tests.conformance.backends import Backend, expect_error, expect_error_class, unattached_card
from tests.support import ALREADY_ATTACHED, ATTACH_FIRST, NOT_ATTACHED, NOT_REUSABLE

BACK = "https://example.com/return"
#: Stripe's recorded 400 (stripe-versions.md, 2023-08-16 item 2); its code was not recorded.
PI_NO_RETURN_URL = (
    "A `return_url` must be specified because this Payment Intent is configured to automatically "
    "accept the payment methods enabled in the Dashboard, some of which may require a full page "
    "redirect to succeed. If you do not want to accept redirect-based payment methods, set "
    "`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods"
    "[allow_redirects]` to `never` when creating Setup Intents and Payment Intents."
)


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


def test_a_card_set_up_without_a_customer_is_attachable_once(backend: Backend) -> None:
    """Reference §5.3: not used up. A second intent before the attach gets (g)'s newer
    wording; the attach works, once."""
    intents, pms = backend.client.v1.setup_intents, backend.client.v1.payment_methods
    seti = intents.create({"payment_method": "pm_card_visa", "confirm": True, "return_url": BACK})
    pm = str(seti.payment_method)
    expect_error(
        lambda: intents.create({"payment_method": pm, "confirm": True, "return_url": BACK}),
        message=ATTACH_FIRST,
    )
    alice, bob = backend.customer(), backend.customer()
    assert pms.attach(pm, {"customer": alice.id}).customer == alice.id
    expect_error(lambda: pms.attach(pm, {"customer": bob.id}), message=ALREADY_ATTACHED)


def test_confirming_a_payment_intent_on_session_needs_a_return_url(backend: Backend) -> None:
    """Automatic payment methods allow redirects, so even a card that never redirects needs a
    return_url on an on-session confirmation; the refused call leaves the intent as it was."""
    intents = backend.client.v1.payment_intents
    pi = intents.create({"amount": 1099, "currency": "usd", "payment_method": "pm_card_visa"})
    assert pi.automatic_payment_methods is not None
    assert (pi.automatic_payment_methods.enabled, pi.automatic_payment_methods.allow_redirects) == (
        True, "always",
    )  # fmt: skip
    err = expect_error_class(lambda: intents.confirm(pi.id))
    assert err.error is not None
    assert (err.error.message, err.error.param) == (PI_NO_RETURN_URL, None)
    assert intents.retrieve(pi.id).status == "requires_confirmation"
    assert intents.confirm(pi.id, {"return_url": BACK}).status == "succeeded"
