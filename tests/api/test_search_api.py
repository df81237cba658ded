"""``GET /v1/customers/search`` and ``GET /v1/payment_intents/search`` through ``handle``:
routing before the id routes, the ``search_result`` body (checked against the OpenAPI
subset), ``expand[]=total_count`` and ``data.*``, and the 400s."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from openapi_schemas import assert_response, require_spec

import pmsim
from pmsim.api import ApiResponse
from tests.api.test_handle import call, error_of

CUSTOMERS = "/v1/customers/search"
INTENTS = "/v1/payment_intents/search"


def search(sim: pmsim.Simulator, path: str, **params: Any) -> ApiResponse:
    return call(sim, "GET", path, query=urlencode(params, doseq=True))


@pytest.fixture
def people(sim: pmsim.Simulator) -> list[str]:
    made = []
    for i in range(3):
        made.append(sim.customers.create(email=f"c{i}@example.com", name=f"Ada {i}").id)
        sim.clock.advance(seconds=1)
    return made


def test_customers_search_is_not_a_customer_id(sim: pmsim.Simulator, people: list[str]) -> None:
    response = search(sim, CUSTOMERS, query="name~'ada'", limit=2)
    assert response.status == 200, response.body
    body = response.body
    assert list(body) == ["object", "data", "has_more", "next_page", "url"]
    assert (body["object"], body["url"], body["has_more"]) == ("search_result", CUSTOMERS, True)
    assert [c["id"] for c in body["data"]] == people[::-1][:2]
    rest = search(sim, CUSTOMERS, query="name~'ada'", page=body["next_page"]).body
    assert ([c["id"] for c in rest["data"]], rest["next_page"]) == ([people[0]], None)
    # The id routes still answer ids.
    assert call(sim, "GET", f"/v1/customers/{people[0]}").body["id"] == people[0]
    missing = error_of(call(sim, "GET", "/v1/customers/cus_search"), 404)
    assert missing["message"] == "No such customer: 'cus_search'"


def test_total_count_only_when_expanded(sim: pmsim.Simulator, people: list[str]) -> None:
    plain = search(sim, CUSTOMERS, query="created>0", limit=1).body
    assert "total_count" not in plain
    counted = search(
        sim, CUSTOMERS, **{"query": "created>0", "limit": 1, "expand[]": "total_count"}
    )
    assert counted.body["total_count"] == 3 and len(counted.body["data"]) == 1


def test_expanding_data(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="ada@example.com")
    sim.payment_intents.create(amount=1000, currency="usd", customer=cus.id)
    params = {
        "query": f"customer:'{cus.id}'",
        "expand[0]": "data.customer",
        "expand[1]": "total_count",
    }
    body = search(sim, INTENTS, **params).body
    assert body["data"][0]["customer"]["email"] == "ada@example.com"
    assert body["total_count"] == 1


@pytest.mark.parametrize(
    ("path", "params", "message", "param"),
    [
        (CUSTOMERS, {}, "Missing required param: query.", "query"),
        (CUSTOMERS, {"query": "colour:'red'", "limit": 1}, None, "query"),
        (CUSTOMERS, {"query": "created>0", "limit": 0},
         "This value must be greater than or equal to 1.", "limit"),
        (CUSTOMERS, {"query": "created>0", "starting_after": "cus_1"},
         "Received unknown parameter: starting_after", "starting_after"),
        (CUSTOMERS, {"query": "created>0", "expand[]": "customer"},
         "This property cannot be expanded (customer).", "expand"),
        (INTENTS, {"query": "amount~'100'"}, None, "query"),
        (INTENTS, {"query": "amount>0", "page": "nope"}, None, "page"),
    ],
)  # fmt: skip
def test_refusals(
    sim: pmsim.Simulator, path: str, params: dict[str, Any], message: str | None, param: str
) -> None:
    error = error_of(search(sim, path, **params), 400)
    assert error["param"] == param
    if message is not None:
        assert error["message"] == message


def test_total_count_is_no_expansion_elsewhere(sim: pmsim.Simulator) -> None:
    error = error_of(call(sim, "GET", "/v1/customers/cus_x", query="expand[]=total_count"), 400)
    assert error["message"] == "This property cannot be expanded (total_count)."


def test_total_count_on_a_list_is_forbidden_from_basil(sim: pmsim.Simulator) -> None:
    # "Attempting to expand total_count returns a 400 error with a property_forbidden error"
    error = error_of(call(sim, "GET", "/v1/customers", query="expand[]=total_count"), 400)
    assert (error["code"], error["param"]) == ("property_forbidden", "expand")
    assert "API version 2026-11-18.endive" in error["message"]


def test_total_count_on_a_list_before_basil_is_forbidden_to_a_new_account(
    sim: pmsim.Simulator,
) -> None:
    # "New users can't expand total_count on earlier Stripe versions" (basil changelog).
    headers = {"Authorization": "Bearer sk_test_1", "Stripe-Version": "2025-02-24.acacia"}
    response = call(sim, "GET", "/v1/customers", query="expand[]=total_count", headers=headers)
    error = error_of(response, 400)
    assert (error["code"], error["param"]) == ("property_forbidden", "expand")
    assert "accounts older than 2025-03-31.basil" in error["message"]


def test_search_results_match_the_openapi_subset(sim: pmsim.Simulator) -> None:
    require_spec()
    cus = sim.customers.create(email="ada@example.com", metadata={"plan": "pro"})
    sim.payment_intents.create(amount=1000, currency="usd", customer=cus.id)
    sim.payment_intents.create(amount=2000, currency="usd")
    asked: list[tuple[str, str, dict[str, str]]] = [
        (CUSTOMERS, 'metadata["plan"]:"pro"', {}),
        (CUSTOMERS, "created>0", {"limit": "1"}),
        (CUSTOMERS, "created>0", {"expand[]": "total_count"}),
        (INTENTS, "amount>0", {"limit": "1", "expand[]": "total_count"}),
        (INTENTS, "amount>0", {"expand[]": "data.customer"}),
    ]
    for path, query, params in asked:
        response = search(sim, path, query=query, **params)
        assert response.status == 200, response.body
        assert_response(response.body, "get", path, label=f"{path} {params}")
