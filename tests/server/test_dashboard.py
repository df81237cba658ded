"""The dashboard's page and its JSON views (issue 16), through the ASGI app: the page holds no
data and is served without a key, with a policy that lets it load only its own files; the
views need a test key like any call, and show what the key's simulator holds, including the
last refused call with its teaching hint."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from pmsim.transports.asgi import app
from pmsim.transports.dashboard import SHOWN_EVENTS
from pmsim.transports.pool import SimulatorPool

KEY = ("sk_test_dashboard", "")


def calls(*steps: tuple[str, str, dict[str, Any]], auth: Any = KEY) -> list[httpx.Response]:
    """Run ``(method, path, params)`` steps in order against one fresh app."""

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app(SimulatorPool(seed=16)))
        async with httpx.AsyncClient(transport=transport, base_url="http://pmsim") as http:
            answers = []
            for method, path, params in steps:
                sent = {"data": params} if method == "POST" else {"params": params}
                answers.append(await http.request(method, path, auth=auth, **sent))
            return answers

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/_pmsim/", "text/html"),
        ("/_pmsim", "text/html"),
        ("/_pmsim/dashboard/app.js", "text/javascript"),
        ("/_pmsim/dashboard/style.css", "text/css"),
    ],
)
def test_the_page_is_served_without_a_key(path: str, kind: str) -> None:
    (answer,) = calls(("GET", path, {}), auth=None)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "style-src 'self';" in policy and "unsafe" not in policy  # nothing inline
    assert answer.headers["cache-control"] == "no-store"
    if kind == "text/html":
        assert '<script src="/_pmsim/dashboard/app.js"' in answer.text
        assert "http" not in answer.text.replace('lang="en"', "")  # nothing fetched elsewhere


@pytest.mark.parametrize("auth", [None, ("sk_live_dashboard", "")])
def test_the_views_need_a_test_key(auth: Any) -> None:
    state, diagram = calls(("GET", "/_pmsim/dashboard/state", {}),
                           ("GET", "/_pmsim/dashboard/diagram", {}), auth=auth)  # fmt: skip
    for answer in (state, diagram):
        assert answer.status_code in (401, 403) and "error" in answer.json()


def test_the_state_shows_customers_their_cards_and_the_default() -> None:
    *_, answer = calls(
        ("POST", "/v1/customers", {"email": "ada@example.com", "payment_method": "pm_card_visa",
                                   "invoice_settings[default_payment_method]": ""}),
        ("POST", "/v1/payment_methods", {"type": "card", "card[token]": "tok_mastercard"}),
        ("GET", "/_pmsim/dashboard/state", {}),
    )  # fmt: skip
    assert answer.headers["cache-control"] == "no-store"  # a key's data
    view = answer.json()
    (ada,) = view["customers"]
    assert ada["email"] == "ada@example.com"
    (card,) = ada["payment_methods"]
    assert (card["state"], card["customer"]) == ("attached", ada["id"])
    assert [pm["state"] for pm in view["unowned"]] == ["new"]
    assert view["counts"]["customers"] == 1 and view["api_version"] == "2026-11-18.endive"
    assert view["events"][0]["type"] == "payment_method.attached"  # newest first
    assert view["last_refusal"] is None and view["deliveries"] == []


def test_the_last_refused_call_is_shown_with_its_hint() -> None:
    created, _, refused, answer = calls(
        ("POST", "/v1/customers", {}),
        ("POST", "/v1/customers", {"email": "bob@example.com"}),
        ("POST", "/v1/payment_methods/pm_card_visa_chargeDeclined/attach",
         {"customer": "cus_missing"}),
        ("GET", "/_pmsim/dashboard/state", {}),
    )  # fmt: skip
    assert created.status_code == 200 and refused.status_code >= 400
    last = answer.json()["last_refusal"]
    assert last["path"] == "/v1/payment_methods/pm_card_visa_chargeDeclined/attach"
    assert last["status"] == refused.status_code
    assert last["error"] == refused.json()["error"]
    assert last["hint"] == refused.headers["pmsim-hint"]


def test_a_later_success_keeps_the_refusal_and_a_reset_forgets_it() -> None:
    refused, _, kept, _, forgotten = calls(
        ("POST", "/v1/payment_methods/pm_card_visa/detach", {}),
        ("POST", "/v1/customers", {}),
        ("GET", "/_pmsim/dashboard/state", {}),
        ("POST", "/_pmsim/reset", {}),
        ("GET", "/_pmsim/dashboard/state", {}),
    )
    assert kept.json()["last_refusal"]["error"] == refused.json()["error"]
    assert forgotten.json()["last_refusal"] is None


def test_the_events_shown_are_capped_newest_first() -> None:
    steps = [("POST", "/v1/customers", {"email": f"c{n}@example.com"})
             for n in range(SHOWN_EVENTS + 5)]  # fmt: skip
    *_, answer = calls(*steps, ("GET", "/_pmsim/dashboard/state", {}))
    view = answer.json()
    assert len(view["events"]) == SHOWN_EVENTS and view["counts"]["events"] == SHOWN_EVENTS + 5
    assert view["events"][0]["data"]["object"]["email"] == f"c{SHOWN_EVENTS + 4}@example.com"


def test_the_diagram_is_drawn_from_the_tables() -> None:
    good, other, bad = calls(
        ("GET", "/_pmsim/dashboard/diagram", {}),
        ("GET", "/_pmsim/dashboard/diagram", {"machine": "bank_account"}),
        ("GET", "/_pmsim/dashboard/diagram", {"machine": "<script>"}),
    )
    assert good.headers["cache-control"] == "no-store"
    assert good.json()["svg"].count('class="state"') == 5  # new, set_up, attached, ...
    assert "style=" not in good.json()["svg"]  # the page's policy allows no inline style
    assert 'data-state="verification_pending"' in other.json()["svg"]
    assert bad.status_code == 400 and "No state machine" in bad.json()["error"]["message"]
