"""``pmsim.api.handle`` called directly: auth, headers, routing, parameters and idempotency.

These tests speak the seam's own records (``ApiRequest`` in, ``ApiResponse`` out), with the
requests curl or any HTTP client would send, so no transport stands between them and pmsim.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

import pmsim
from pmsim.api import ApiResponse
from tests.support import BEARER
from tests.support import TEST_KEY as KEY
from tests.support import api_call as call

API_VERSION = "2026-11-18.endive"  # pmsim's default Stripe-Version: the newest

NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization "
    "header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See "
    "https://stripe.com/docs/api#authentication for details, or we can help at "
    "https://support.stripe.com/."
)
PARAMS_DIFFER = (
    "Keys for idempotent requests can only be used with the same parameters they were first "
    "used with. Try using a key other than '{key}' if you meant to execute a different request."
)
ENDPOINT_DIFFERS = (
    "Keys for idempotent requests can only be used for the same endpoint they were first used "
    "for ('{first}' vs '{now}'). Try using a key other than '{key}' if you meant to execute a "
    "different request."
)


def basic(user: str, password: str = "") -> dict[str, str]:
    """What ``curl -u user:password`` sends."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def error_of(response: ApiResponse, status: int, error_type: str = "invalid_request_error") -> Any:
    assert response.status == status, response.body
    error = response.body["error"]
    assert error["type"] == error_type
    assert response.headers["content-type"] == "application/json"
    json.dumps(response.body)
    return error


@pytest.fixture
def cus_id(sim: pmsim.Simulator) -> str:
    return sim.customers.create(email="ada@example.com").id


@pytest.fixture
def pm_id(sim: pmsim.Simulator, cus_id: str) -> str:
    return sim.payment_methods.attach("pm_card_visa", customer=cus_id).id


# --- Authentication -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        BEARER,
        {"authorization": f"bearer {KEY}"},  # header name and scheme in any case
        {"AUTHORIZATION": f"BEARER  {KEY} "},
        basic(KEY),  # curl -u sk_test_...:
        basic(KEY, "ignored"),
        {"Authorization": "Basic " + base64.b64encode(KEY.encode()).decode()},  # no colon
        {"Authorization": "Bearer rk_test_restricted"},
    ],
    ids=["bearer", "lower", "upper-padded", "curl-u", "curl-u-password", "basic-no-colon", "rk"],
)
def test_accepted_keys(sim: pmsim.Simulator, headers: dict[str, str]) -> None:
    response = call(sim, "GET", "/v1/customers", headers=headers)
    assert response.status == 200, response.body
    assert response.body["object"] == "list"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer   "},
        {"Authorization": "Basic"},
        basic(""),  # curl -u :
        {"Authorization": f"Token {KEY}"},
        {"Authorization": KEY},
    ],
    ids=[
        "none",
        "empty",
        "bearer-only",
        "bearer-blank",
        "basic-only",
        "basic-blank",
        "token",
        "bare",
    ],
)
def test_missing_key(sim: pmsim.Simulator, headers: dict[str, str]) -> None:
    error = error_of(call(sim, "POST", "/v1/customers", body="name=x", headers=headers), 401)
    assert error == {"message": NO_KEY, "type": "invalid_request_error"}
    assert sim.snapshot().to_dict()["customers"] == []


@pytest.mark.parametrize("key", ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_live_abcdefghijklmnop"])
@pytest.mark.parametrize("scheme", ["bearer", "basic"])
def test_live_keys_are_refused(sim: pmsim.Simulator, key: str, scheme: str) -> None:
    headers = basic(key) if scheme == "basic" else {"Authorization": f"Bearer {key}"}
    error = error_of(call(sim, "POST", "/v1/customers", body="name=x", headers=headers), 401)
    assert error["message"] == (
        f"pmsim only accepts test-mode keys (sk_test_... or rk_test_...), and refuses live keys "
        f"such as {key[:8]}...: it simulates Stripe test mode, and a live key does not belong "
        "in a test. Use any key that starts with sk_test_."
    )
    assert key not in error["message"]  # the secret itself is never echoed
    assert sim.snapshot().to_dict()["customers"] == []


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("pk_test_1234567890abcdef", "pk_test_************cdef"),
        ("whsec_abc", "whsec_abc"),
    ],
)
def test_invalid_keys(sim: pmsim.Simulator, key: str, shown: str) -> None:
    error = error_of(
        call(sim, "GET", "/v1/customers", headers={"Authorization": f"Bearer {key}"}), 401
    )
    assert error == {
        "message": f"Invalid API Key provided: {shown}",
        "type": "invalid_request_error",
    }


@pytest.mark.parametrize(
    "credentials",
    [
        "!!!",
        "\u00e9",
        "c2tfdGVzdF94Og==\u00e9",
        "\u2603\u2603\u2603\u2603",
        base64.b64encode(b"\xff\xfe:").decode(),
    ],
    ids=["not-base64", "non-ascii", "trailing-non-ascii", "snowman", "not-utf8"],
)
def test_garbled_basic_credentials_are_a_401(sim: pmsim.Simulator, credentials: str) -> None:
    response = call(sim, "GET", "/v1/customers", headers={"Authorization": f"Basic {credentials}"})
    error_of(response, 401)


def test_authentication_comes_before_routing(sim: pmsim.Simulator) -> None:
    error_of(call(sim, "GET", "/v1/nothing_here", headers={}), 401)


# --- Headers ----------------------------------------------------------------------------------


def test_stripe_version_is_echoed(sim: pmsim.Simulator) -> None:
    headers = {**BEARER, "Stripe-Version": "2024-06-20"}
    assert call(sim, "GET", "/v1/customers", headers=headers).headers["stripe-version"] == (
        "2024-06-20"
    )
    # echoed on errors too
    response = call(sim, "GET", "/v1/customers/cus_nope", headers=headers)
    assert (response.status, response.headers["stripe-version"]) == (404, "2024-06-20")


def test_stripe_version_defaults_when_absent(sim: pmsim.Simulator) -> None:
    assert call(sim, "GET", "/v1/customers").headers["stripe-version"] == API_VERSION
    assert call(sim, "GET", "/v1/customers", headers={}).headers["stripe-version"] == API_VERSION


def test_every_response_is_json_with_a_request_id(sim: pmsim.Simulator) -> None:
    responses = [
        call(sim, "GET", "/v1/customers"),
        call(sim, "GET", "/v1/customers", headers={}),
        call(sim, "GET", "/v1/nothing"),
        call(sim, "POST", "/v1/payment_methods", body="type=card&card[number]=4242424242424241"
             "&card[exp_month]=12&card[exp_year]=2030"),
    ]  # fmt: skip
    assert [r.status for r in responses] == [200, 401, 404, 402]
    ids = [r.headers["request-id"] for r in responses]
    for response in responses:
        assert response.headers["content-type"] == "application/json"
        assert json.loads(response.json_text()) == response.body
    assert all(i.startswith("req_") and len(i) == len("req_") + 14 for i in ids), ids
    assert len(set(ids)) == len(ids)


def _request_ids(seed: int) -> list[str]:
    sim = pmsim.Simulator(seed=seed)
    return [
        call(sim, "POST", "/v1/customers", body="name=a").headers["request-id"],
        call(sim, "GET", "/v1/customers/cus_nope").headers["request-id"],
        call(sim, "GET", "/v1/customers", headers={}).headers["request-id"],
    ]


def test_request_ids_are_deterministic_per_seed() -> None:
    assert _request_ids(3) == _request_ids(3)
    assert _request_ids(3) != _request_ids(4)


# --- Parameters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "in_body"),
    [
        ("GET", "/v1/customers", False),
        ("POST", "/v1/customers", True),
        ("GET", "/v1/customers/{cus}", False),
        ("POST", "/v1/customers/{cus}", True),
        ("DELETE", "/v1/customers/{cus}", False),
        ("GET", "/v1/customers/{cus}/payment_methods", False),
        ("GET", "/v1/customers/{cus}/payment_methods/{pm}", False),
        ("GET", "/v1/payment_methods", False),
        ("POST", "/v1/payment_methods", True),
        ("GET", "/v1/payment_methods/{pm}", False),
        ("POST", "/v1/payment_methods/{pm}", True),
        ("POST", "/v1/payment_methods/{pm}/attach", True),
        ("POST", "/v1/payment_methods/{pm}/detach", True),
        ("GET", "/v1/events", False),
        ("GET", "/v1/events/{evt}", False),
    ],
)
def test_unknown_top_level_parameter(
    sim: pmsim.Simulator, cus_id: str, pm_id: str, method: str, path: str, in_body: bool
) -> None:
    evt_id = sim.events.list().data[0].id
    path = path.format(cus=cus_id, pm=pm_id, evt=evt_id)
    text = "bogus_param=1"
    before = sim.snapshot()
    response = call(sim, method, path, **{"body" if in_body else "query": text})  # type: ignore[arg-type]
    error = error_of(response, 400)
    assert error == {
        "code": "parameter_unknown",
        "doc_url": "https://stripe.com/docs/error-codes/parameter-unknown",
        "message": "Received unknown parameter: bogus_param",
        "param": "bogus_param",
        "type": "invalid_request_error",
    }
    assert sim.snapshot() == before


def test_unknown_nested_parameter(sim: pmsim.Simulator) -> None:
    error = error_of(call(sim, "POST", "/v1/customers", body="invoice_settings[bogus]=1"), 400)
    assert (error["code"], error["param"]) == ("parameter_unknown", "invoice_settings[bogus]")


@pytest.mark.parametrize(
    ("method", "path", "field", "text"),
    [
        ("GET", "/v1/customers/{cus}", "query", "expand=invoice_settings.default_payment_method"),
        ("POST", "/v1/customers", "body", "expand=invoice_settings.default_payment_method"),
        ("POST", "/v1/customers", "body", "expand[a]=invoice_settings.default_payment_method"),
        ("GET", "/v1/payment_methods/{pm}", "query", "expand=customer"),
    ],
)
def test_expand_must_be_a_list(
    sim: pmsim.Simulator, cus_id: str, pm_id: str, method: str, path: str, field: str, text: str
) -> None:
    before = sim.snapshot()
    path = path.format(cus=cus_id, pm=pm_id)
    error = error_of(call(sim, method, path, **{field: text}), 400)  # type: ignore[arg-type]
    assert error == {"message": "Invalid array", "param": "expand", "type": "invalid_request_error"}
    assert sim.snapshot() == before


def test_expand_as_a_list_works(sim: pmsim.Simulator, cus_id: str, pm_id: str) -> None:
    curl = call(sim, "GET", f"/v1/payment_methods/{pm_id}", query="expand[]=customer")
    indexed = call(sim, "GET", f"/v1/payment_methods/{pm_id}", query="expand[0]=customer")
    assert curl.body == indexed.body
    assert curl.body["customer"]["id"] == cus_id


@pytest.mark.parametrize("expand", ["bogus", "customer.bogus", "a.b.c.d.e"])
def test_a_refused_expand_on_create_creates_nothing(sim: pmsim.Simulator, expand: str) -> None:
    before = sim.snapshot()
    response = call(sim, "POST", "/v1/customers", body=f"name=Ada&expand[0]={expand}")
    error = error_of(response, 400)
    assert error["param"] == "expand"
    assert sim.snapshot() == before, "a 400 left a customer behind"


def test_a_refused_expand_on_attach_attaches_nothing(sim: pmsim.Simulator, cus_id: str) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    before = sim.snapshot()
    path = f"/v1/payment_methods/{pm.id}/attach"
    error = error_of(call(sim, "POST", path, body=f"customer={cus_id}&expand[0]=bogus"), 400)
    assert error["param"] == "expand"
    assert sim.snapshot() == before, "a 400 attached the payment method anyway"


def test_get_reads_the_query_and_ignores_a_body(sim: pmsim.Simulator) -> None:
    for name in "abc":
        sim.customers.create(name=name)
    response = call(sim, "GET", "/v1/customers", query="limit=2", body="limit=nope&bogus=1")
    assert response.status == 200, response.body
    assert [c["name"] for c in response.body["data"]] == ["c", "b"]
    assert response.body["has_more"] is True


def test_delete_reads_the_query_and_ignores_a_body(sim: pmsim.Simulator, cus_id: str) -> None:
    response = call(sim, "DELETE", f"/v1/customers/{cus_id}", body="bogus=1")
    assert response.status == 200, response.body
    assert response.body == {"id": cus_id, "object": "customer", "deleted": True}


def test_post_reads_the_body(sim: pmsim.Simulator) -> None:
    response = call(sim, "POST", "/v1/customers", body="name=Ada&metadata[plan]=pro")
    assert response.status == 200, response.body
    assert (response.body["name"], response.body["metadata"]) == ("Ada", {"plan": "pro"})


@pytest.mark.parametrize("body", ["a]b=1", "a[b=1", "expand[1]=customer", "name=x&=1"])
def test_malformed_forms_are_400s(sim: pmsim.Simulator, body: str) -> None:
    before = sim.snapshot()
    error_of(call(sim, "POST", "/v1/customers", body=body), 400)
    assert sim.snapshot() == before


@pytest.mark.parametrize(
    "query",
    ["a[\u00b2]=1", "expand[" + "9" * 5000 + "]=x"],
    ids=["a superscript index", "a 5000-digit index"],
)
def test_odd_array_indexes_are_400s_not_exceptions(sim: pmsim.Simulator, query: str) -> None:
    error_of(call(sim, "GET", "/v1/customers", query=query), 400)


# --- Routing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/invoices"),
        ("POST", "/v1/charges"),  # charges are read, not made, through the API
        ("GET", "/"),
        ("GET", "/v1"),
        ("GET", "/v1/"),
        ("GET", "/v1/customers/"),  # a trailing slash is another URL
        ("GET", "/v2/customers"),
        ("GET", "/v1/customers/cus_x/payment_methods/pm_x/extra"),
        ("DELETE", "/v1/payment_methods/pm_x"),  # a known path, the wrong method
        ("PUT", "/v1/customers/cus_x"),
        ("PATCH", "/v1/customers/cus_x"),
        ("DELETE", "/v1/customers"),
        ("POST", "/v1/events"),
        ("GET", "/v1/payment_methods/pm_x/attach"),
        ("get", "/V1/CUSTOMERS"),
    ],
)
def test_unknown_urls_are_json_404s(sim: pmsim.Simulator, method: str, path: str) -> None:
    before = sim.snapshot()
    error = error_of(call(sim, method, path), 404)
    assert set(error) == {"message", "type"}
    assert error["message"].startswith(
        f"Unrecognized request URL ({method.upper()}: {path}). pmsim does not simulate this "
        "endpoint. Simulated endpoints: GET /v1/customers, POST /v1/customers, "
    )
    assert "POST /v1/payment_methods/{payment_method}/attach" in error["message"]
    assert sim.snapshot() == before


def test_unknown_ids_in_the_path_are_404s(sim: pmsim.Simulator) -> None:
    error = error_of(call(sim, "GET", "/v1/payment_methods/pm_nope"), 404)
    assert error["message"] == "No such PaymentMethod: 'pm_nope'"
    assert error["code"] == "resource_missing"
    error = error_of(call(sim, "GET", "/v1/customers/cus_nope"), 404)
    assert (error["message"], error["param"]) == ("No such customer: 'cus_nope'", "id")


def test_an_unsimulated_payment_method_type_is_a_400(sim: pmsim.Simulator) -> None:
    before = sim.snapshot()
    response = call(sim, "POST", "/v1/payment_methods", body="type=ideal")
    error = error_of(response, 400)
    assert set(error) == {"message", "type"}
    assert (
        "simulates card, sepa_debit, us_bank_account payment methods only, not type='ideal'"
        in error["message"]
    )
    assert sim.snapshot() == before


# --- Idempotency -----------------------------------------------------------------------------


def with_key(key: str) -> dict[str, str]:
    return {**BEARER, "Idempotency-Key": key}


def test_same_key_and_params_replays_the_same_body(sim: pmsim.Simulator) -> None:
    body = "email=ada%40example.com&metadata[plan]=pro"
    first = call(sim, "POST", "/v1/customers", body=body, headers=with_key("k1"))
    after_first = sim.snapshot()
    again = call(sim, "POST", "/v1/customers", body=body, headers=with_key("k1"))
    assert (first.status, again.status) == (200, 200)
    assert again.body == first.body
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["request-id"] != first.headers["request-id"]
    assert sim.snapshot() == after_first
    assert len(after_first.customers) == 1


def test_the_same_params_in_another_order_replay(sim: pmsim.Simulator) -> None:
    first = call(sim, "POST", "/v1/customers", body="name=a&email=a%40b.co", headers=with_key("k"))
    again = call(sim, "POST", "/v1/customers", body="email=a%40b.co&name=a", headers=with_key("k"))
    assert again.body == first.body
    assert again.headers["idempotent-replayed"] == "true"


def test_same_key_different_params_is_an_idempotency_error(sim: pmsim.Simulator) -> None:
    call(sim, "POST", "/v1/customers", body="name=a", headers=with_key("k2"))
    before = sim.snapshot()
    response = call(sim, "POST", "/v1/customers", body="name=b", headers=with_key("k2"))
    error = error_of(response, 400, "idempotency_error")
    assert error == {"message": PARAMS_DIFFER.format(key="k2"), "type": "idempotency_error"}
    assert "idempotent-replayed" not in response.headers
    assert sim.snapshot() == before


def test_same_key_different_path_is_an_idempotency_error(sim: pmsim.Simulator, cus_id: str) -> None:
    call(sim, "POST", "/v1/customers", body="name=a", headers=with_key("k3"))
    before = sim.snapshot()
    path = f"/v1/customers/{cus_id}"
    response = call(sim, "POST", path, body="name=a", headers=with_key("k3"))
    error = error_of(response, 400, "idempotency_error")
    assert error["message"] == ENDPOINT_DIFFERS.format(first="/v1/customers", now=path, key="k3")
    assert sim.snapshot() == before


def test_a_validation_error_is_not_saved(sim: pmsim.Simulator) -> None:
    bad = call(sim, "POST", "/v1/customers", body="email=not-an-email", headers=with_key("k4"))
    error_of(bad, 400)
    assert sim.snapshot().to_dict()["customers"] == []
    good = call(sim, "POST", "/v1/customers", body="email=a%40b.co", headers=with_key("k4"))
    assert good.status == 200, good.body
    assert "idempotent-replayed" not in good.headers
    assert good.body["email"] == "a@b.co"
    again = call(sim, "POST", "/v1/customers", body="email=a%40b.co", headers=with_key("k4"))
    assert again.headers["idempotent-replayed"] == "true"
    assert len(sim.snapshot().to_dict()["customers"]) == 1


def test_an_unknown_parameter_with_a_key_is_not_saved(sim: pmsim.Simulator) -> None:
    error_of(call(sim, "POST", "/v1/customers", body="bogus=1", headers=with_key("k5")), 400)
    good = call(sim, "POST", "/v1/customers", body="name=x", headers=with_key("k5"))
    assert good.status == 200, good.body


def test_a_card_error_is_saved_and_replayed(sim: pmsim.Simulator) -> None:
    body = "type=card&card[number]=4242424242424241&card[exp_month]=12&card[exp_year]=2030"
    first = call(sim, "POST", "/v1/payment_methods", body=body, headers=with_key("k6"))
    error_of(first, 402, "card_error")
    again = call(sim, "POST", "/v1/payment_methods", body=body, headers=with_key("k6"))
    assert (again.status, again.body) == (402, first.body)
    assert again.headers["idempotent-replayed"] == "true"


def test_keys_are_per_simulator(sim: pmsim.Simulator) -> None:
    other = pmsim.Simulator(seed=1)
    call(sim, "POST", "/v1/customers", body="name=a", headers=with_key("shared"))
    response = call(other, "POST", "/v1/customers", body="name=b", headers=with_key("shared"))
    assert response.status == 200
    assert "idempotent-replayed" not in response.headers


def test_keys_have_no_effect_on_get(sim: pmsim.Simulator, cus_id: str) -> None:
    first = call(sim, "GET", "/v1/customers", headers=with_key("k7"))
    other = call(sim, "GET", f"/v1/customers/{cus_id}", headers=with_key("k7"))
    assert (first.status, other.status) == (200, 200)
    assert "idempotent-replayed" not in other.headers
    created = call(sim, "POST", "/v1/customers", body="name=z", headers=with_key("k7"))
    assert created.status == 200 and "idempotent-replayed" not in created.headers
