"""``GET /v1/account``, ``/v1/accounts`` and the ``Stripe-Account`` header, through ``handle``."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.api import ApiResponse
from tests.support import BEARER
from tests.support import api_call as call

NO_ACCESS = (
    "The provided key 'sk_test_********************p7dc' does not have access to account '{}' "
    "(or that account does not exist). Application access may have been revoked."
)


def assert_no_access(response: ApiResponse, account: str) -> None:
    assert response.status == 403, response.body
    assert response.body == {
        "error": {
            "code": "account_invalid",
            "doc_url": "https://stripe.com/docs/error-codes/account-invalid",
            "message": NO_ACCESS.format(account),
            "type": "invalid_request_error",
        }
    }


def test_get_account_is_the_simulators_own(sim: pmsim.Simulator) -> None:
    response = call(sim, "GET", "/v1/account")
    assert response.status == 200
    assert response.body == sim.accounts.retrieve().to_dict()
    assert response.body["id"].startswith("acct_1")


def test_get_accounts_by_id_answers_only_its_own(sim: pmsim.Simulator) -> None:
    own = sim.accounts.platform_id
    response = call(sim, "GET", f"/v1/accounts/{own}")
    assert (response.status, response.body["id"]) == (200, own)
    assert_no_access(call(sim, "GET", "/v1/accounts/acct_1SomeoneElse0"), "acct_1SomeoneElse0")


def test_list_accounts_is_empty(sim: pmsim.Simulator) -> None:
    response = call(sim, "GET", "/v1/accounts", query="limit=3")
    assert response.status == 200
    assert response.body == {"object": "list", "data": [], "has_more": False, "url": "/v1/accounts"}


@pytest.mark.parametrize("path", ["/v1/account", "/v1/accounts"])
def test_unknown_parameters_are_refused(sim: pmsim.Simulator, path: str) -> None:
    response = call(sim, "GET", path, query="account=acct_1x")
    assert response.status == 400
    assert response.body["error"]["message"] == "Received unknown parameter: account"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1/account", ""),
        ("GET", "/v1/customers", ""),
        ("POST", "/v1/customers", "email=ada%40example.com"),
        ("GET", "/v1/charges", ""),  # refused before the URL is looked at
    ],
)
def test_a_stripe_account_header_naming_another_account_is_refused(
    sim: pmsim.Simulator, method: str, path: str, body: str
) -> None:
    before = sim.snapshot()
    headers = BEARER | {"Stripe-Account": "acct_1NotConnected00"}
    assert_no_access(call(sim, method, path, body=body, headers=headers), "acct_1NotConnected00")
    assert sim.snapshot() == before


def test_a_stripe_account_header_naming_the_platform_is_accepted(sim: pmsim.Simulator) -> None:
    headers = BEARER | {"Stripe-Account": sim.accounts.platform_id}
    created = call(sim, "POST", "/v1/customers", body="email=ada%40example.com", headers=headers)
    assert created.status == 200
    listed = call(sim, "GET", "/v1/customers", headers=headers)
    assert [c["id"] for c in listed.body["data"]] == [created.body["id"]]
    assert call(sim, "GET", "/v1/account", headers=headers).status == 200


def test_another_simulators_account_is_another_account() -> None:
    sim, other = pmsim.Simulator(seed=1), pmsim.Simulator(seed=2)
    foreign = other.accounts.platform_id
    headers = BEARER | {"Stripe-Account": foreign}
    assert_no_access(call(sim, "GET", "/v1/customers", headers=headers), foreign)


def test_a_huge_account_header_is_echoed_cut_short(sim: pmsim.Simulator) -> None:
    headers = BEARER | {"Stripe-Account": "acct_" + "x" * 10_000}
    response = call(sim, "GET", "/v1/customers", headers=headers)
    assert response.status == 403
    assert len(response.body["error"]["message"]) < 300
