"""Every engine rule reaches stripe-python as its own exception, with Stripe's fields."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import stripe

import pmsim
from tests.support import ALREADY_ATTACHED, NOT_ATTACHED, NOT_REUSABLE


def expect(
    call: Callable[[], object],
    cls: type[stripe.StripeError],
    *,
    status: int,
    message: str,
    code: str | None = None,
    param: str | None = None,
) -> stripe.StripeError:
    with pytest.raises(stripe.StripeError) as caught:
        call()
    err = caught.value
    assert type(err) is cls, repr(err)
    assert (err.http_status, err.user_message, err.code) == (status, message, code)
    assert getattr(err, "param", None) == param
    assert err.request_id and err.request_id.startswith("req_")
    return err


def test_attach_rules(client: stripe.StripeClient) -> None:
    alice = client.v1.customers.create({"email": "alice@example.com"})
    bob = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": alice.id})
    assert pm.customer == alice.id and pm.card.last4 == "4242"
    pms = client.v1.payment_methods
    expect(
        lambda: pms.attach(pm.id, {"customer": bob.id}),
        stripe.InvalidRequestError,
        status=400,
        message=ALREADY_ATTACHED,
    )
    expect(
        lambda: pms.attach(pm.id, {}),
        stripe.InvalidRequestError,
        status=400,
        message="Missing required param: customer.",
        code="parameter_missing",
        param="customer",
    )
    expect(
        lambda: pms.attach(pm.id, {"customer": "cus_nope"}),
        stripe.InvalidRequestError,
        status=400,
        message="No such customer: 'cus_nope'",
        code="resource_missing",
        param="customer",
    )
    expect(
        lambda: pms.attach("pm_nope", {"customer": bob.id}),
        stripe.InvalidRequestError,
        status=404,
        message="No such PaymentMethod: 'pm_nope'",
        code="resource_missing",
        param="payment_method",
    )
    pms.detach(pm.id)
    expect(
        lambda: pms.attach(pm.id, {"customer": alice.id}),
        stripe.InvalidRequestError,
        status=400,
        message=NOT_REUSABLE,
    )
    expect(lambda: pms.detach(pm.id), stripe.InvalidRequestError, status=400, message=NOT_ATTACHED)
    err = expect(
        lambda: pms.attach("pm_card_visa_chargeDeclined", {"customer": bob.id}),
        stripe.CardError,
        status=402,
        message="Your card was declined.",
        code="card_declined",
    )
    assert err.json_body["error"]["decline_code"] == "generic_decline"  # type: ignore[index]
    assert err.error.decline_code == "generic_decline"  # type: ignore[union-attr]


def test_default_payment_method_rules(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    stray = client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}})
    expect(
        lambda: client.v1.customers.update(
            cus.id, {"invoice_settings": {"default_payment_method": stray.id}}
        ),
        stripe.InvalidRequestError, status=400,
        message=f"The customer does not have a payment method with the ID {stray.id}. The "
        "payment method must be attached to the customer.",
        param="invoice_settings[default_payment_method]",
    )  # fmt: skip
    pm = client.v1.payment_methods.attach(stray.id, {"customer": cus.id})
    cus = client.v1.customers.update(
        cus.id, {"invoice_settings": {"default_payment_method": pm.id}}
    )
    assert cus.invoice_settings.default_payment_method == pm.id
    cus = client.v1.customers.update(cus.id, {"invoice_settings": {"footer": "Thanks"}})
    assert cus.invoice_settings.default_payment_method == pm.id  # merged, not wiped
    client.v1.payment_methods.detach(pm.id)
    assert client.v1.customers.retrieve(cus.id).invoice_settings.default_payment_method is None


def test_deleted_customer(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create(params={"payment_method": "pm_card_visa"})
    deleted = client.v1.customers.delete(cus.id)
    assert deleted.deleted is True
    assert client.v1.customers.retrieve(cus.id).deleted is True
    expect(lambda: client.v1.customers.update(cus.id, {"name": "x"}), stripe.InvalidRequestError,
           status=404, message=f"No such customer: '{cus.id}'", code="resource_missing",
           param="id")  # fmt: skip


def test_card_creation_errors(client: stripe.StripeClient) -> None:
    create = client.v1.payment_methods.create
    expect(
        lambda: create(
            {
                "type": "card",
                "card": {"number": "4111111111111111", "exp_month": 1, "exp_year": 2030},
            }
        ),
        stripe.CardError,
        status=402,
        code="card_declined",
        message="Your card was declined. Your request was in test mode, but used a non test "
        "(live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.",
    )
    expect(lambda: create({"type": "card", "card": {"token": "pm_card_visa"}}),
           stripe.InvalidRequestError, status=400, message="Invalid token id: pm_card_visa",
           param="token")  # fmt: skip


def test_metadata_and_unset(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create({"metadata": {"a": "1", "b": "2"}, "email": "a@example.com"})
    cus = client.v1.customers.update(cus.id, {"metadata": {"a": ""}, "email": ""})
    assert cus.last_response.data["metadata"] == {"b": "2"} and cus.email is None
    key = "k" * 41
    expect(lambda: client.v1.customers.update(cus.id, {"metadata": {key: "v"}}),
           stripe.InvalidRequestError, status=400,
           message=f"Invalid key: {key} must be a string under 40 characters",
           param="metadata")  # fmt: skip


def test_unknown_parameters(client: stripe.StripeClient) -> None:
    expect(lambda: client.v1.customers.create({"colour": "blue"}),  # type: ignore[typeddict-unknown-key]
           stripe.InvalidRequestError, status=400,
           message="Received unknown parameter: colour", code="parameter_unknown",
           param="colour")  # fmt: skip
    expect(lambda: client.v1.customers.create({"address": {"planet": "Mars"}}),  # type: ignore[typeddict-unknown-key]
           stripe.InvalidRequestError, status=400,
           message="Received unknown parameter: address[planet]", code="parameter_unknown",
           param="address[planet]")  # fmt: skip


def test_module_level_calls_under_mock_stripe() -> None:
    previous = (stripe.api_key, stripe.default_http_client, stripe.api_base)
    with pmsim.mock_stripe() as sim:
        cus = stripe.Customer.create(email="ada@example.com")
        pm = stripe.PaymentMethod.attach("pm_card_mastercard", customer=cus.id)
        with pytest.raises(stripe.InvalidRequestError) as caught:
            stripe.PaymentMethod.attach(pm.id, customer=stripe.Customer.create().id)
        assert caught.value.user_message == ALREADY_ATTACHED
    assert (stripe.api_key, stripe.default_http_client, stripe.api_base) == previous
    assert sim.payment_methods.retrieve(pm.id).customer == cus.id


@pmsim.mock_stripe()
def test_mock_stripe_as_a_decorator() -> None:
    assert stripe.Customer.create(name="Ada").name == "Ada"


def test_async_calls(sim: pmsim.Simulator, client: stripe.StripeClient) -> None:
    import asyncio

    async def story() -> str:
        cus = await client.v1.customers.create_async({"email": "ada@example.com"})
        pm = await client.v1.payment_methods.attach_async("pm_card_visa", {"customer": cus.id})
        return pm.customer  # type: ignore[return-value]

    customer = asyncio.run(story())
    assert sim.customers.retrieve(customer).email == "ada@example.com"
