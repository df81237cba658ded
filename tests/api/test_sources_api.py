"""Legacy card sources through ``pmsim.api.handle``: the sources sub-resource, ``source`` and
``default_source`` on customers, and ``expand[]=default_source&expand[]=sources``."""

from __future__ import annotations

from typing import Any

import pmsim
from tests.support import api_call as call


def ok(response: Any) -> Any:
    assert response.status == 200, response.body
    return response.body


def test_create_with_a_source_and_expand_both_as_dj_stripe_does(sim: pmsim.Simulator) -> None:
    cus = ok(call(sim, "POST", "/v1/customers", body="source=tok_visa"))
    assert cus["default_source"].startswith("card_") and "sources" not in cus
    query = "expand[]=default_source&expand[]=sources"
    body = ok(call(sim, "GET", f"/v1/customers/{cus['id']}", query=query))
    assert body["default_source"]["id"] == cus["default_source"]
    assert body["default_source"]["object"] == "card"
    assert body["sources"] == {
        "object": "list",
        "data": [body["default_source"]],
        "has_more": False,
        "url": f"/v1/customers/{cus['id']}/sources",
    }


def test_expand_without_sources_and_through_lists(sim: pmsim.Simulator) -> None:
    cus = ok(call(sim, "POST", "/v1/customers"))
    query = "expand[]=default_source&expand[]=sources"
    body = ok(call(sim, "GET", f"/v1/customers/{cus['id']}", query=query))
    assert body["default_source"] is None
    assert body["sources"]["data"] == []
    ok(call(sim, "POST", f"/v1/customers/{cus['id']}/sources", body="source=tok_amex"))
    page = ok(call(sim, "GET", "/v1/customers", query="expand[]=data.sources"))
    assert page["data"][0]["sources"]["data"][0]["brand"] == "American Express"
    nested = "expand[]=default_source.customer"
    body = ok(call(sim, "GET", f"/v1/customers/{cus['id']}", query=nested))
    assert body["default_source"]["customer"]["id"] == cus["id"]


def test_the_sources_sub_resource(sim: pmsim.Simulator) -> None:
    cus = ok(call(sim, "POST", "/v1/customers"))["id"]
    base = f"/v1/customers/{cus}/sources"
    first = ok(call(sim, "POST", base, body="source=tok_visa&metadata[k]=v"))
    second = ok(call(sim, "POST", base, body="source=tok_mastercard"))
    assert first["metadata"] == {"k": "v"}
    assert ok(call(sim, "GET", f"/v1/customers/{cus}"))["default_source"] == first["id"]
    listed = ok(call(sim, "GET", base, query="object=card&limit=1"))
    assert ([c["id"] for c in listed["data"]], listed["has_more"]) == ([second["id"]], True)
    assert ok(call(sim, "GET", f"{base}/{first['id']}"))["id"] == first["id"]
    updated = ok(call(sim, "POST", f"{base}/{first['id']}", body="name=Ada&address_zip=94107"))
    assert (updated["name"], updated["address_zip"]) == ("Ada", "94107")
    gone = ok(call(sim, "DELETE", f"{base}/{first['id']}"))
    assert gone == {"id": first["id"], "object": "card", "deleted": True}
    assert ok(call(sim, "GET", f"/v1/customers/{cus}"))["default_source"] == second["id"]
    missing = call(sim, "GET", f"{base}/{first['id']}")
    assert missing.status == 404
    assert missing.body["error"]["message"] == f"No such source: '{first['id']}'"


def test_update_default_source_and_the_refusals(sim: pmsim.Simulator) -> None:
    cus = ok(call(sim, "POST", "/v1/customers", body="source=tok_visa"))
    other = ok(call(sim, "POST", "/v1/customers", body="source=tok_visa"))
    refused = call(sim, "POST", f"/v1/customers/{cus['id']}",
                   body=f"default_source={other['default_source']}")  # fmt: skip
    assert refused.status == 400
    assert refused.body["error"]["param"] == "default_source"
    pm = call(sim, "POST", "/v1/customers", body="source=pm_card_visa")
    assert pm.status == 400
    assert pm.body["error"]["message"].startswith("You cannot use a PaymentMethod as a source")
    declined = call(sim, "POST", f"/v1/customers/{cus['id']}/sources",
                    body="source=tok_visa_chargeDeclined")  # fmt: skip
    assert declined.status == 402
    assert declined.body["error"]["decline_code"] == "generic_decline"
    replaced = ok(call(sim, "POST", f"/v1/customers/{cus['id']}", body="source=tok_amex"))
    assert replaced["default_source"] != cus["default_source"]
