"""Lists, expand, idempotency and auth, as stripe-python sees them."""

from __future__ import annotations

import socket
import urllib.request

import pytest
import stripe

import pmsim
from pmsim.api.session import state_of


def test_the_socket_guard_works() -> None:
    with pytest.raises(AssertionError, match="network"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(AssertionError):
        urllib.request.urlopen("http://127.0.0.1:9/")  # noqa: S310


def test_auto_paging_walks_every_item_once(client: stripe.StripeClient) -> None:
    made = [client.v1.customers.create({"email": f"c{i}@example.com"}).id for i in range(23)]
    page = client.v1.customers.list({"limit": 5})
    assert page.object == "list" and page.url == "/v1/customers" and page.has_more
    walked = [cus.id for cus in page.auto_paging_iter()]
    assert walked == made[::-1]


def test_customer_payment_method_list(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    made = [client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id}).id
            for _ in range(4)]  # fmt: skip
    page = client.v1.customers.payment_methods.list(cus.id, {"limit": 3})
    assert [pm.id for pm in page.auto_paging_iter()] == made[::-1]
    one = client.v1.customers.payment_methods.retrieve(cus.id, made[0])
    assert one.id == made[0]


def test_expand(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create(
        {"payment_method": "pm_card_visa",
         "invoice_settings": {"default_payment_method": "pm_card_visa"}},
    )  # fmt: skip
    full = client.v1.customers.retrieve(
        cus.id, {"expand": ["invoice_settings.default_payment_method.customer"]}
    )
    default = full.invoice_settings.default_payment_method
    assert default.object == "payment_method" and default.customer.id == cus.id  # type: ignore[union-attr]
    listed = client.v1.payment_methods.list({"customer": cus.id, "expand": ["data.customer"]})
    assert listed.data[0].customer.email is None  # type: ignore[union-attr]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.retrieve(cus.id, {"expand": ["email"]})
    assert caught.value.user_message == "This property cannot be expanded (email)."


def test_idempotent_retry_replays_and_changes_nothing(sim: pmsim.Simulator) -> None:
    client = pmsim.stripe_client(sim)
    options: stripe.RequestOptions = {"idempotency_key": "order-1"}
    first = client.v1.customers.create({"email": "a@example.com"}, options)
    again = client.v1.customers.create({"email": "a@example.com"}, options)
    assert again.id == first.id
    assert again.last_response.headers["idempotent-replayed"] == "true"  # type: ignore[union-attr]
    assert len(sim.customers.list()) == 1
    with pytest.raises(stripe.IdempotencyError) as caught:
        client.v1.customers.create({"email": "b@example.com"}, options)
    assert caught.value.user_message.startswith(
        "Keys for idempotent requests can only be used with the same parameters"
    )
    with pytest.raises(stripe.IdempotencyError, match="same endpoint"):
        client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}}, options)


def test_a_card_decline_is_replayed_but_a_validation_error_is_not(sim: pmsim.Simulator) -> None:
    client = pmsim.stripe_client(sim)
    cus = client.v1.customers.create()
    declined: stripe.RequestOptions = {"idempotency_key": "decline"}
    for _ in range(2):
        with pytest.raises(stripe.CardError):
            client.v1.payment_methods.attach(
                "pm_card_visa_chargeDeclined", {"customer": cus.id}, declined
            )
    invalid: stripe.RequestOptions = {"idempotency_key": "fix-and-retry"}
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.customers.update(cus.id, {"email": "nope"}, invalid)
    assert client.v1.customers.update(cus.id, {"email": "a@example.com"}, invalid).email


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("sk_live_abcdefghijkl", "pmsim only accepts test-mode keys"),
        ("rk_live_abcdefghijkl", "pmsim only accepts test-mode keys"),
        ("pk_test_abcdefghijkl", "Invalid API Key provided: pk_test_********ijkl"),
    ],
)
def test_keys(sim: pmsim.Simulator, key: str, fragment: str) -> None:
    with pytest.raises(stripe.AuthenticationError) as caught:
        pmsim.stripe_client(sim, api_key=key).v1.customers.list()
    assert caught.value.http_status == 401
    assert fragment in caught.value.user_message  # type: ignore[operator]


def test_unsupported_endpoint_is_a_json_404(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.charges.create({"amount": 100, "currency": "usd"})
    assert caught.value.http_status == 404
    assert "Unrecognized request URL (POST: /v1/charges)" in caught.value.user_message  # type: ignore[operator]
    assert "pmsim does not simulate this endpoint" in caught.value.user_message  # type: ignore[operator]


def test_request_ids_are_deterministic() -> None:
    ids = []
    for _ in range(2):
        client = pmsim.stripe_client(pmsim.Simulator(seed=4))
        ids.append(client.v1.customers.create().last_response.request_id)  # type: ignore[union-attr]
    assert ids[0] == ids[1] and ids[0].startswith("req_")


def test_events_name_the_request_that_caused_them(sim: pmsim.Simulator) -> None:
    client = pmsim.stripe_client(sim)
    cus = client.v1.customers.create({"email": "a@example.com"}, {"idempotency_key": "signup-1"})
    event = client.v1.events.list({"limit": 1}).data[0]
    assert event.type == "customer.created"
    assert event["request"]["id"] == cus.last_response.request_id
    assert event["request"]["idempotency_key"] == "signup-1"
    sim.customers.create()  # straight through the Python API: no request
    assert sim.events.list().data[0].to_dict()["request"] == {"id": None, "idempotency_key": None}


def test_idempotency_keys_expire_after_a_simulated_day(sim: pmsim.Simulator) -> None:
    client = pmsim.stripe_client(sim)
    options: stripe.RequestOptions = {"idempotency_key": "daily"}
    first = client.v1.customers.create({"email": "a@example.com"}, options)
    sim.clock.advance(hours=23)
    assert client.v1.customers.create({"email": "a@example.com"}, options).id == first.id
    sim.clock.advance(hours=1)
    assert client.v1.customers.create({"email": "b@example.com"}, options).id != first.id
    assert len(state_of(sim).idempotent) == 1
