"""Every request gets Stripe's envelope, however bad: bytes that are not UTF-8, keys nested
hundreds deep, bodies over the limit, header values with CR/LF, strings over Stripe's lengths,
and inputs the validators must refuse in linear time (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from pmsim.api import ApiRequest, ApiResponse, handle
from pmsim.api.forms import MAX_DEPTH
from pmsim.api.routes import ROUTES
from pmsim.api.wire import MAX_BODY_BYTES
from pmsim.domain.messages.parameters import MAX_ECHOED_NAME
from pmsim.domain.versions import NEWEST

AUTH = {"Authorization": "Bearer sk_test_bad"}
MEGABYTE = 1_000_000


def post(
    path: str, body: str | bytes, headers: dict[str, str] | None = None
) -> tuple[pmsim.Simulator, ApiResponse]:
    sim = pmsim.Simulator(seed=1)
    return sim, handle(sim, ApiRequest("POST", path, body=body, headers=AUTH | (headers or {})))


def error_of(response: ApiResponse, status: int = 400) -> dict[str, Any]:
    assert response.status == status, response.body
    error = response.body["error"]
    assert error["type"] == "invalid_request_error"
    return error  # type: ignore[no-any-return]


@pytest.mark.parametrize("body", [b"email=\xff\xfe", b"name=caf\xe9", "name=caf\udce9"])
def test_a_body_that_is_not_utf8_is_a_400(body: str | bytes) -> None:
    sim, response = post("/v1/customers", body)
    assert "not valid UTF-8" in error_of(response)["message"]
    assert not sim.customers.list().data


def test_bytes_that_are_utf8_are_read_as_text() -> None:
    _, response = post("/v1/customers", b"name=Zo\xc3\xab&email=z%40example.com")
    assert response.status == 200
    assert response.body["name"] == "Zoë"


def test_the_transport_decodes_bytes_without_raising() -> None:
    request = ApiRequest.from_wire("post", "/v1/customers", AUTH, b"name=\xff")
    assert error_of(handle(pmsim.Simulator(), request))["message"].startswith("The request body")


def test_keys_nested_hundreds_deep_are_a_400_not_a_recursion_error() -> None:
    _, response = post("/v1/customers", "metadata" + "[a]" * 500 + "=1")
    message = error_of(response)["message"]
    assert f"nested more than {MAX_DEPTH} levels deep" in message
    assert len(message) < 300  # the key is cut short, not echoed whole


def test_nesting_up_to_the_limit_is_still_decoded() -> None:
    key = "metadata" + "[a]" * (MAX_DEPTH - 1)
    _, response = post("/v1/customers", key + "=1")
    assert "nested" not in error_of(response)["message"]  # refused for what it is, not depth


@pytest.mark.parametrize(
    "body",
    ["name=%", "name=%%%%", "name=%zz%E2%82", "%E2%82=1", "name=" + "%FF" * 1000, "%=%&=&&"],
)
def test_absurd_percent_encoding_gets_an_answer(body: str) -> None:
    _, response = post("/v1/customers", body)
    assert response.status in (200, 400), response.body


def test_a_body_over_the_limit_is_a_413_in_stripes_envelope() -> None:
    sim, response = post("/v1/customers", "name=" + "x" * MAX_BODY_BYTES)
    assert "at most 1048576 bytes" in error_of(response, 413)["message"]
    assert not sim.customers.list().data
    _, response = post("/v1/customers", b"name=" + b"\xc3\xa9" * (MAX_BODY_BYTES // 2))
    error_of(response, 413)  # counted in bytes, not characters


def test_a_query_over_the_limit_is_a_413() -> None:
    sim = pmsim.Simulator()
    request = ApiRequest("GET", "/v1/customers", "limit=" + "9" * MAX_BODY_BYTES, AUTH)
    error_of(handle(sim, request), 413)


def test_an_unknown_parameter_name_is_echoed_cut_short() -> None:
    _, response = post("/v1/customers", "x" * MEGABYTE + "=1")
    error = error_of(response)
    assert error["message"] == f"Received unknown parameter: {'x' * MAX_ECHOED_NAME}…"
    assert error["param"] == "x" * MAX_ECHOED_NAME + "…"


def test_an_unknown_url_is_echoed_cut_short() -> None:
    sim = pmsim.Simulator()
    response = handle(sim, ApiRequest("GET", "/v1/" + "y" * MEGABYTE, headers=AUTH))
    # The path is cut to 100 characters; the rest is the list of simulated endpoints.
    listing = ", ".join(route.label for route in ROUTES)
    assert len(error_of(response, 404)["message"]) < len(listing) + 200


@pytest.mark.parametrize(
    ("param", "limit"),
    [("description", 5000), ("name", 256), ("email", 512), ("invoice_settings[footer]", 5000)],
)
def test_customer_strings_over_stripes_length_are_refused(param: str, limit: int) -> None:
    value = "a" * (limit - 12) + "@example.com" if param == "email" else "a" * limit
    _, response = post("/v1/customers", f"{param}={value}")
    assert response.status in (200, 400)  # at the limit: not refused for its length
    assert "must be at most" not in str(response.body)
    sim, response = post("/v1/customers", f"{param}=b{value}")
    error = error_of(response)
    assert error["message"].endswith(f"; must be at most {limit} characters")
    assert error["message"].startswith("Invalid string: ")
    assert error["param"] == param
    assert not sim.customers.list().data


def test_an_intents_description_is_at_most_1000_characters() -> None:
    sim = pmsim.Simulator()
    with pytest.raises(pmsim.InvalidRequestError, match="at most 1000 characters"):
        sim.setup_intents.create(description="d" * 1001)
    with pytest.raises(pmsim.InvalidRequestError, match="at most 1000 characters"):
        sim.payment_intents.create(amount=100, currency="usd", description="d" * 1001)


def test_a_test_clock_name_is_at_most_300_characters() -> None:
    sim = pmsim.Simulator()
    with pytest.raises(pmsim.InvalidRequestError, match="at most 300 characters"):
        sim.test_clocks.create(frozen_time=sim.clock.now(), name="n" * 301)


@pytest.mark.parametrize(
    "version", ["2024-06-20\r\nSet-Cookie: a=1", "2024\n", "v\x00", "v\x7f", "vé"]
)
def test_a_stripe_version_with_control_characters_is_refused_not_echoed(version: str) -> None:
    _, response = post("/v1/customers", "", {"Stripe-Version": version})
    assert "Stripe-Version" in error_of(response)["message"]
    assert all(
        "\r" not in value and "\n" not in value and value.isascii()
        for value in response.headers.values()
    )
    assert response.headers["stripe-version"] == NEWEST.name


def test_an_idempotency_key_over_255_characters_is_refused() -> None:
    sim, response = post("/v1/customers", "name=x", {"Idempotency-Key": "k" * 256})
    assert "up to 255 characters" in error_of(response)["message"]
    assert not sim.customers.list().data
    _, response = post("/v1/customers", "name=x", {"Idempotency-Key": "k" * 255})
    assert response.status == 200


def test_a_plain_stripe_version_is_still_echoed() -> None:
    _, response = post("/v1/customers", "", {"Stripe-Version": "2024-06-20"})
    assert response.status == 200
    assert response.headers["stripe-version"] == "2024-06-20"


def test_a_hint_header_never_holds_cr_or_lf() -> None:
    sim = pmsim.Simulator()
    body = "customer=cus_%0D%0ASet-Cookie:%20a%3D1"
    response = handle(
        sim, ApiRequest("POST", "/v1/payment_methods/pm_card_visa/attach", "", AUTH, body)
    )
    assert response.status >= 400
    for value in response.headers.values():
        assert "\r" not in value and "\n" not in value


# --- Linear-time validation ------------------------------------------------------------------
# A megabyte field is refused for its length before any pattern runs; the patterns themselves
# are linear (no two runs that can trade characters: see params.email and webhook_endpoints).


def test_a_megabyte_email_is_refused() -> None:
    _, response = post("/v1/customers", "email=" + "a" * MEGABYTE + "@x.co%20")
    assert error_of(response)["message"].endswith("must be at most 512 characters")
    _, response = post("/v1/customers", "email=" + "a." * (MEGABYTE // 2) + "%20")
    assert error_of(response)["param"] == "email"


def test_a_long_email_at_the_limit_is_checked_in_one_pass() -> None:
    """What used to backtrack (a dotted domain ending in a space) is refused at the limit."""
    with pytest.raises(pmsim.InvalidRequestError, match="Invalid email address"):
        pmsim.Simulator().customers.create(email="a@" + "b." * 254 + " ")


@pytest.mark.parametrize("field", ["receipt_email"])
def test_a_megabyte_receipt_email_is_refused(field: str) -> None:
    sim = pmsim.Simulator()
    with pytest.raises(pmsim.InvalidRequestError, match="at most 512 characters"):
        sim.payment_intents.create(amount=100, currency="usd", receipt_email="a" * MEGABYTE)


def test_a_megabyte_webhook_url_is_refused() -> None:
    _, response = post(
        "/v1/webhook_endpoints",
        "enabled_events[]=*&url=https://" + "a" * MEGABYTE + "%20",
    )
    error = error_of(response)
    assert error["message"].endswith("must be at most 5000 characters")
    assert error["param"] == "url"


def test_a_webhook_url_at_the_limit_that_would_backtrack_is_refused_plainly() -> None:
    sim = pmsim.Simulator()
    with pytest.raises(pmsim.InvalidRequestError, match="Invalid URL"):
        sim.webhook_endpoints.create(url="https://" + "a" * 4980 + " ", enabled_events=["*"])
