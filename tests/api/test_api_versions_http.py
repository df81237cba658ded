"""Which API version answers a request, through ``pmsim.api.handle`` (issue 14): the
request's ``Stripe-Version``, else the account's default; Stripe's 400 for one it does not
know; bodies, errors and events rendered for the right version."""

from __future__ import annotations

import json

import pytest

import pmsim
from pmsim.api import ApiResponse
from pmsim.domain import versions
from tests.support import BEARER
from tests.support import api_call as call


def as_version(version: str) -> dict[str, str]:
    return {**BEARER, "Stripe-Version": version}


def error_of(response: ApiResponse) -> dict[str, object]:
    assert response.status == 400, response.body
    error: dict[str, object] = response.body["error"]
    assert error["type"] == "invalid_request_error"
    return error


@pytest.mark.parametrize("version", [v.name for v in versions.VERSIONS])
def test_every_supported_version_answers_and_is_echoed(version: str) -> None:
    response = call(pmsim.Simulator(), "GET", "/v1/customers", headers=as_version(version))
    assert (response.status, response.headers["stripe-version"]) == (200, version)


def test_without_a_header_the_account_default_answers() -> None:
    sim = pmsim.Simulator(api_version="2024-06-20")
    response = call(sim, "POST", "/v1/payment_intents", body="amount=500&currency=usd")
    assert response.headers["stripe-version"] == "2024-06-20"
    assert response.body["capture_method"] == "automatic_async"
    assert response.body["invoice"] is None


@pytest.mark.parametrize(
    "sent",
    # Recorded refusals: no zero padding, a date that was never a version, the wrong release
    # name, the header sent twice (stripe-versions.md §4.6).
    ["2019-2-19", "2022-08-02", "2025-09-30.acacia", "2019-05-16, 2019-12-03", "bogus"],
)
def test_an_unknown_version_gets_stripes_400_and_changes_nothing(sent: str) -> None:
    sim = pmsim.Simulator()
    response = call(sim, "POST", "/v1/customers", body="name=x", headers=as_version(sent))
    error = error_of(response)
    assert error["message"].startswith(f"Invalid Stripe API version: {sent}")  # type: ignore[union-attr]
    assert "code" not in error
    assert response.headers["stripe-version"] == versions.NEWEST.name
    assert not sim.customers.list().data


def test_a_preview_version_is_not_simulated_and_says_so() -> None:
    response = call(
        pmsim.Simulator(), "GET", "/v1/customers", headers=as_version("2026-11-18.preview")
    )
    assert "pmsim does not simulate preview versions" in str(error_of(response)["message"])


def test_a_version_older_than_2023_08_16_says_which_pmsim_simulates() -> None:
    response = call(pmsim.Simulator(), "GET", "/v1/customers", headers=as_version("2022-11-15"))
    message = str(error_of(response)["message"])
    assert message.startswith(
        "Invalid Stripe API version: 2022-11-15. pmsim simulates API versions"
    )


@pytest.mark.parametrize(
    "version, status", [("2025-02-24.acacia", "No such coupon: 'SUMMER'"),
                        ("2025-03-31.basil", "Received unknown parameter: coupon")],
)  # fmt: skip
def test_a_customers_coupon_follows_the_version(version: str, status: str) -> None:
    sim = pmsim.Simulator()
    response = call(sim, "POST", "/v1/customers", body="coupon=SUMMER", headers=as_version(version))
    assert error_of(response)["message"] == status


def test_a_decline_envelope_renders_its_intent_for_the_request_version() -> None:
    sim = pmsim.Simulator()
    body = (
        "amount=500&currency=usd&payment_method=pm_card_visa_chargeDeclined&confirm=true"
        "&off_session=true"
    )
    old = call(sim, "POST", "/v1/payment_intents", body=body, headers=as_version("2024-06-20"))
    new = call(sim, "POST", "/v1/payment_intents", body=body)
    assert old.status == new.status == 402
    assert old.body["error"]["payment_intent"]["invoice"] is None
    assert "invoice" not in new.body["error"]["payment_intent"]


def test_events_are_rendered_in_the_account_default_whatever_the_request_asked() -> None:
    sim = pmsim.Simulator(api_version="2024-06-20")
    call(sim, "POST", "/v1/payment_intents", body="amount=500&currency=usd",
         headers=as_version("2025-03-31.basil"))  # fmt: skip
    listed = call(sim, "GET", "/v1/events", headers=as_version("2026-11-18.endive"))
    (event,) = listed.body["data"]
    assert event["api_version"] == "2024-06-20"
    assert event["data"]["object"]["invoice"] is None  # the event's version, not the request's


def test_a_webhook_endpoint_version_is_checked_and_kept() -> None:
    sim = pmsim.Simulator()
    hook = "url=https://example.com/h&enabled_events[]=*&api_version="
    bad = call(sim, "POST", "/v1/webhook_endpoints", body=hook + "2019-2-19")
    assert error_of(bad)["param"] == "api_version"
    good = call(sim, "POST", "/v1/webhook_endpoints", body=hook + "2024-06-20")
    assert good.body["api_version"] == "2024-06-20"


def test_a_webhook_payload_is_rendered_in_its_endpoints_version() -> None:
    from pmsim.transports.endpoint_delivery import EndpointDelivery

    sim = pmsim.Simulator()
    hook = sim.webhook_endpoints.create(
        url="https://example.com/h", enabled_events=["*"], api_version="2024-06-20"
    )
    sim.payment_intents.create(amount=500, currency="usd")
    (event,) = sim.events.list().data
    payload = json.loads(EndpointDelivery(event, hook).payload)
    assert payload["api_version"] == "2024-06-20"
    assert payload["data"]["object"]["invoice"] is None
    assert event.to_dict()["api_version"] == versions.NEWEST.name
    assert "invoice" not in event.to_dict()["data"]["object"]
