"""The parameters dj-stripe and stripe-node send, as form fields through ``handle``: each was
refused as unknown before."""

from __future__ import annotations

import pmsim
from tests.support import api_call as call

HOOK = "url=https%3A%2F%2Fexample.com%2Fhook&enabled_events[]=*"


def test_webhook_endpoints_take_connect(sim: pmsim.Simulator) -> None:
    for flag in ("false", "true"):  # dj-stripe's admin form always sends connect
        response = call(sim, "POST", "/v1/webhook_endpoints", body=f"{HOOK}&connect={flag}")
        assert response.status == 200, response.body
        assert response.body["application"] is None and "connect" not in response.body
    refused = call(sim, "POST", "/v1/webhook_endpoints", body=f"{HOOK}&connect=maybe")
    assert refused.status == 400
    assert refused.body["error"]["message"] == "Invalid boolean: maybe"
    updated = call(sim, "POST", f"/v1/webhook_endpoints/{response.body['id']}", body="connect=true")
    assert updated.body["error"]["message"] == "Received unknown parameter: connect"


def test_events_take_delivery_success(sim: pmsim.Simulator) -> None:
    sim.customers.create()
    call(sim, "POST", "/v1/webhook_endpoints", body=HOOK)
    owed = sim.customers.create()
    pending = call(sim, "GET", "/v1/events", query="delivery_success=false")
    assert pending.status == 200
    assert [e["data"]["object"]["id"] for e in pending.body["data"]] == [owed.id]
    assert all(e["pending_webhooks"] == 1 for e in pending.body["data"])
    delivered = call(sim, "GET", "/v1/events", query="delivery_success=true")
    assert [e["pending_webhooks"] for e in delivered.body["data"]] == [0]


def test_payment_methods_take_allow_redisplay(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    made = call(
        sim, "POST", "/v1/payment_methods",
        body="type=card&card[token]=tok_visa&allow_redisplay=always",
    )  # fmt: skip
    assert made.status == 200 and made.body["allow_redisplay"] == "always"
    pm = made.body["id"]
    call(sim, "POST", f"/v1/payment_methods/{pm}/attach", body=f"customer={cus.id}")
    other = sim.payment_methods.attach("pm_card_mastercard", customer=cus.id).id
    updated = call(sim, "POST", f"/v1/payment_methods/{other}", body="allow_redisplay=limited")
    assert updated.body["allow_redisplay"] == "limited"
    lists = [
        (f"/v1/customers/{cus.id}/payment_methods", "allow_redisplay=always"),
        ("/v1/payment_methods", f"allow_redisplay=always&customer={cus.id}"),
    ]
    for path, query in lists:
        listed = call(sim, "GET", path, query=query)
        assert [p["id"] for p in listed.body["data"]] == [pm], listed.body
    bad = call(sim, "GET", f"/v1/customers/{cus.id}/payment_methods", query="allow_redisplay=x")
    assert bad.status == 400
    assert bad.body["error"] == {
        "message": "Invalid allow_redisplay: must be one of always, limited, or unspecified",
        "param": "allow_redisplay",
        "type": "invalid_request_error",
    }


def test_enabled_events_outside_stripes_types_are_refused(sim: pmsim.Simulator) -> None:
    body = "url=https%3A%2F%2Fexample.com%2Fhook&enabled_events[0]=customer.created"
    response = call(sim, "POST", "/v1/webhook_endpoints", body=body + "&enabled_events[1]=nope.x")
    assert response.status == 400
    error = response.body["error"]
    assert error["param"] == "enabled_events[1]"
    assert error["message"].startswith("Invalid enabled_events[1]: must be one of *, ")
    assert error["message"].endswith(", or treasury.received_debit.created")
    assert sim.webhook_endpoints.list().data == ()
