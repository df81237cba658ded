"""The HTTP server through the official client, curl-style requests and a real process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
import stripe

from pmsim.transports.server import Server, exposure_warning
from tests.support import race

#: Where the customer comes back to after 3-D Secure: intents use automatic payment methods
#: (the default since API version 2023-08-16), so on-session confirmations send one.
BACK = "https://example.com/return"


@pytest.fixture
def url() -> Iterator[str]:
    with Server("127.0.0.1", 0, seed=3).running() as server:
        yield server.url


def client_for(url: str, key: str = "sk_test_server") -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)


def raw(url: str, method: str, path: str, body: str = "", key: str | None = "sk_test_raw"):
    request = urllib.request.Request(url + path, data=body.encode() or None, method=method)
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback only
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.slow
def test_the_official_client_works_against_the_server(url: str) -> None:
    client = client_for(url)
    cus = client.v1.customers.create({"email": "ada@example.com"})
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    other = client.v1.customers.create()
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_methods.attach(pm.id, {"customer": other.id})
    assert caught.value.http_status == 400
    with pytest.raises(stripe.CardError) as declined:
        client.v1.payment_methods.attach("pm_card_visa_chargeDeclined", {"customer": cus.id})
    assert declined.value.code == "card_declined"
    assert [p.id for p in client.v1.customers.payment_methods.list(cus.id)] == [pm.id]


@pytest.mark.slow
def test_module_level_api_base(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(stripe, "api_key", "sk_test_module")
    monkeypatch.setattr(stripe, "api_base", url)
    monkeypatch.setattr(stripe, "max_network_retries", 0)
    assert stripe.Customer.create(name="Ada").name == "Ada"


@pytest.mark.slow
def test_each_key_has_its_own_simulator(url: str) -> None:
    client_for(url, "sk_test_a").v1.customers.create()
    assert len(client_for(url, "sk_test_a").v1.customers.list().data) == 1
    assert len(client_for(url, "sk_test_b").v1.customers.list().data) == 0


@pytest.mark.slow
def test_curl_style_requests(url: str) -> None:
    status, body = raw(url, "POST", "/v1/customers", "email=a%40example.com&metadata[k]=v")
    assert status == 200 and body["metadata"] == {"k": "v"}
    status, body = raw(
        url, "GET", f"/v1/customers/{body['id']}?expand[]=invoice_settings.default_payment_method"
    )
    assert status == 200
    status, body = raw(url, "GET", "/v1/customers", key=None)
    assert status == 401 and body["error"]["message"].startswith("You did not provide an API key")
    status, body = raw(url, "GET", "/v1/customers", key="sk_live_123456789")
    assert status == 401 and "only accepts test-mode keys" in body["error"]["message"]
    status, body = raw(url, "GET", "/v1/nothing_here")
    assert status == 404 and "pmsim does not simulate" in body["error"]["message"]


@pytest.mark.slow
def test_control_prefix(url: str) -> None:
    raw(url, "POST", "/v1/customers")
    status, clock = raw(url, "POST", "/_pmsim/clock/advance?days=1")
    assert status == 200 and clock["time"] == 1_704_067_200 + 86_400
    status, _ = raw(url, "POST", "/_pmsim/reset")
    assert status == 200
    assert raw(url, "GET", "/v1/customers")[1]["data"] == []
    assert raw(url, "GET", "/_pmsim/clock")[1]["time"] == 1_704_067_200
    assert raw(url, "POST", "/_pmsim/clock/advance?days=x")[0] == 400
    status, unknown = raw(url, "GET", "/_pmsim/nope")
    assert status == 404 and "POST /_pmsim/three_d_secure/complete" in unknown["error"]["message"]


@pytest.mark.slow
def test_three_d_secure_is_completed_through_the_control_prefix(url: str) -> None:
    client = client_for(url, "sk_test_raw")  # raw() uses the same key, so the same simulator
    cus = client.v1.customers.create()
    seti = client.v1.setup_intents.create(
        {"customer": cus.id, "payment_method": "pm_card_authenticationRequired", "confirm": True,
         "return_url": BACK}
    )  # fmt: skip
    assert (seti.status, seti.next_action.type) == ("requires_action", "redirect_to_url")
    assert seti.next_action.redirect_to_url.return_url == BACK
    path = f"/_pmsim/three_d_secure/complete?intent={seti.id}&outcome=fail"
    status, body = raw(url, "POST", path)
    assert status == 200
    assert body["last_setup_error"]["code"] == "setup_intent_authentication_failure"
    retried = client.v1.setup_intents.confirm(
        seti.id, {"payment_method": "pm_card_authenticationRequired", "return_url": BACK}
    )
    status, body = raw(url, "POST", "/_pmsim/three_d_secure/complete", f"intent={retried.id}")
    assert (status, body["status"]) == (200, "succeeded")
    assert client.v1.payment_methods.retrieve(body["payment_method"]).customer == cus.id
    # Not waiting for 3-D Secure any more, an unknown intent, a missing one: clear errors.
    again = raw(url, "POST", f"/_pmsim/three_d_secure/complete?intent={seti.id}")
    assert again[0] == 400 and "not requires_action" in again[1]["error"]["message"]
    missing = raw(url, "POST", "/_pmsim/three_d_secure/complete?intent=seti_nope")
    assert missing[0] == 400 and missing[1]["error"]["code"] == "resource_missing"
    assert raw(url, "POST", "/_pmsim/three_d_secure/complete")[0] == 400
    # Never inside /v1: Stripe's own paths do not know it.
    assert raw(url, "POST", f"/v1/setup_intents/{seti.id}/three_d_secure")[0] == 404


@pytest.mark.slow
def test_a_payment_waits_for_three_d_secure_over_http(url: str) -> None:
    client = client_for(url, "sk_test_raw")
    cus = client.v1.customers.create()
    pi = client.v1.payment_intents.create(
        {"amount": 1099, "currency": "usd", "customer": cus.id, "confirm": True,
         "payment_method": "pm_card_authenticationRequired", "setup_future_usage": "on_session",
         "return_url": BACK}
    )  # fmt: skip
    assert pi.status == "requires_action"
    status, body = raw(url, "POST", "/_pmsim/three_d_secure/complete", f"intent={pi.id}")
    assert (status, body["status"], body["amount_received"]) == (200, "succeeded", 1099)
    assert client.v1.payment_methods.retrieve(body["payment_method"]).customer == cus.id


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sent", "answered", "capture", "invoice"),
    [(None, "2026-11-18.endive", "automatic_async", False),  # the account's default: newest
     ("2024-06-20", "2024-06-20", "automatic_async", True),
     ("2023-10-16", "2023-10-16", "automatic", True)],
)  # fmt: skip
def test_a_request_is_answered_as_its_stripe_version_header_or_the_newest(
    url: str, sent: str | None, answered: str, capture: str, invoice: bool
) -> None:
    """curl sends no Stripe-Version, so the account's default (the newest) answers it; a
    header picks the version, and the response says which one answered."""
    request = urllib.request.Request(
        url + "/v1/payment_intents", data=b"amount=1099&currency=usd", method="POST"
    )
    request.add_header("Authorization", "Bearer sk_test_versions")
    if sent is not None:
        request.add_header("Stripe-Version", sent)
    with urllib.request.urlopen(request) as response:  # noqa: S310 - loopback only
        version, body = response.headers["Stripe-Version"], json.loads(response.read())
    assert (version, body["capture_method"], "invoice" in body) == (answered, capture, invoice)
    assert body["automatic_payment_methods"] == {"allow_redirects": "always", "enabled": True}


@pytest.mark.slow
def test_an_unknown_stripe_version_header_is_a_400(url: str) -> None:
    request = urllib.request.Request(url + "/v1/customers", method="GET")
    request.add_header("Authorization", "Bearer sk_test_versions")
    request.add_header("Stripe-Version", "2019-2-19")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)  # noqa: S310 - loopback only
    body = json.loads(caught.value.read())
    assert (caught.value.code, body) == (
        400,
        {"error": {"message": "Invalid Stripe API version: 2019-2-19",
                   "type": "invalid_request_error"}},
    )  # fmt: skip


@pytest.mark.slow
def test_concurrent_clients_keep_the_laws(url: str) -> None:
    client = client_for(url, "sk_test_race")
    pm = client.v1.payment_methods.create({"type": "card", "card": {"token": "tok_visa"}}).id
    customers = [client.v1.customers.create().id for _ in range(8)]
    winners = race(
        lambda customer: client_for(url, "sk_test_race").v1.payment_methods.attach(
            pm, {"customer": customer}
        ),
        customers,
        lost=stripe.InvalidRequestError,
    )
    assert len(winners) == 1
    assert client.v1.payment_methods.retrieve(pm).customer == winners[0]
    lists = [len(client.v1.customers.payment_methods.list(c).data) for c in customers]
    assert sorted(lists) == [0] * 7 + [1]


@pytest.mark.slow
def test_pmsim_serve_process_starts_prints_its_url_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "pmsim", "serve", "--port", "0", "--seed", "5", "--log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "pmsim serving the Stripe API at http://127.0.0.1:" in line
        url = line.split(" at ")[1].split()[0]
        assert client_for(url).v1.customers.create().object == "customer"
        logged = process.stdout.readline()
        assert logged.startswith("POST /v1/customers 200 ")
        assert logged.rstrip().endswith(" key …rver")  # sk_test_server
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "pmsim stopped" in out


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com"])
def test_hosts_beyond_loopback_get_a_warning(host: str) -> None:
    assert "not a loopback address" in (exposure_warning(host) or "")


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_hosts_do_not(host: str) -> None:
    assert exposure_warning(host) is None


@pytest.mark.slow
def test_a_refusal_carries_pmsims_hint_in_a_header_beside_stripes_envelope(url: str) -> None:
    client = client_for(url, "sk_test_hint")
    cus = client.v1.customers.create({"email": "ada@example.com"})
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    client.v1.payment_methods.detach(pm.id)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.payment_methods.attach(pm.id, {"customer": cus.id})
    hint = caught.value.headers["pmsim-hint"]
    assert hint.startswith(f"{pm.id} was detached from {cus.id} at ")
    assert "hint" not in (caught.value.json_body or {})["error"]
