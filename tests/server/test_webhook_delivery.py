"""pmsim serve posts events to webhook endpoints: signed, in order, retried, never lost."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import stripe

from pmsim.transports.server import Server

pytestmark = pytest.mark.slow  # each starts pmsim's server and a receiving app


class Receiver:
    """A local app that answers its first ``failures`` posts with 500, then 200."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[str, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                failing = receiver.failures > 0
                receiver.failures -= 1
                if not failing:
                    receiver.received.append((body, self.headers["Stripe-Signature"]))
                self.send_response(500 if failing else 200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"no" if failing else b"ok")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/stripe/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def api() -> Iterator[str]:
    server = Server("127.0.0.1", 0, seed=5, webhook_retry_delays=(0.05, 0.05, 0.05))
    with server.running():
        yield server.url


def deliveries(api: str, key: str, count: int) -> list[dict]:
    """The server's delivery listing, once ``count`` deliveries have settled (or 10 s)."""
    deadline = time.monotonic() + 10
    while True:
        request = urllib.request.Request(f"{api}/_pmsim/webhook_deliveries")
        request.add_header("Authorization", f"Bearer {key}")
        with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback only
            found = json.loads(answer.read())["data"]
        settled = [d for d in found if d["status"] != "pending"]
        if len(settled) >= count or time.monotonic() > deadline:
            return found


def test_events_are_posted_signed_and_in_order(api: str) -> None:
    app = Receiver()
    client = stripe.StripeClient("sk_test_hooks", base_addresses={"api": api})
    hook = client.v1.webhook_endpoints.create({"url": app.url, "enabled_events": ["*"]})
    cus = client.v1.customers.create()
    pm = client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    client.v1.payment_methods.detach(pm.id)
    listing = deliveries(api, "sk_test_hooks", 3)
    assert [d["status"] for d in listing] == ["delivered"] * 3
    assert [d["payload"] for d in listing[::-1]] == [body for body, _ in app.received]
    events = [
        stripe.Webhook.construct_event(body, signature, hook.secret)
        for body, signature in app.received
    ]
    assert [e.type for e in events] == [
        "customer.created", "payment_method.attached", "payment_method.detached",
    ]  # fmt: skip
    assert events[0]["request"]["idempotency_key"]  # stripe-python's key, as Stripe keeps it


def test_failures_are_retried_and_a_lost_endpoint_keeps_its_events(api: str) -> None:
    app = Receiver(failures=2)
    client = stripe.StripeClient("sk_test_retry", base_addresses={"api": api})
    client.v1.webhook_endpoints.create({"url": app.url, "enabled_events": ["customer.created"]})
    client.v1.customers.create()
    (delivery,) = deliveries(api, "sk_test_retry", 1)
    assert (delivery["status"], delivery["attempts"]) == ("delivered", 3)
    assert [a["status"] for a in delivery["answers"]] == [500, 500, 200]
    assert len(app.received) == 1

    down = Receiver(failures=100)
    client.v1.webhook_endpoints.create({"url": down.url, "enabled_events": ["customer.created"]})
    client.v1.customers.create()
    listing = deliveries(api, "sk_test_retry", 3)
    failed = [d for d in listing if d["url"] == down.url]
    assert [(d["status"], d["attempts"]) for d in failed] == [("failed", 4)]
    # pending_webhooks counts the endpoints still owed each event.
    pending = [e.pending_webhooks for e in client.v1.events.list().data]
    assert pending == [1, 0]  # the second customer's event: owed to the endpoint that is down
    down.failures = 0
    request = urllib.request.Request(
        f"{api}/_pmsim/webhook_deliveries/redeliver", data=b"", method="POST"
    )
    request.add_header("Authorization", "Bearer sk_test_retry")
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback only
        assert json.loads(answer.read()) == {"redelivering": 1}
    deadline = time.monotonic() + 10
    while not down.received and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(down.received) == 1
    deadline = time.monotonic() + 10  # the receiver has it; pmsim notes its 200 next
    while (pending := [e.pending_webhooks for e in client.v1.events.list().data]) != [0, 0]:
        assert time.monotonic() < deadline, pending
        time.sleep(0.02)


def test_a_dead_endpoint_does_not_hold_back_a_healthy_one() -> None:
    server = Server("127.0.0.1", 0, seed=5, webhook_retry_delays=(0.3, 0.3))
    with server.running():
        api = server.url
        app = Receiver()
        client = stripe.StripeClient("sk_test_lanes", base_addresses={"api": api})
        with socket.socket() as probe:  # a loopback port nobody listens on
            probe.bind(("127.0.0.1", 0))
            dead = f"http://127.0.0.1:{probe.getsockname()[1]}/hooks"
        client.v1.webhook_endpoints.create({"url": dead, "enabled_events": ["customer.created"]})
        client.v1.webhook_endpoints.create({"url": app.url, "enabled_events": ["customer.created"]})
        started = time.monotonic()
        ids = [client.v1.customers.create().id for _ in range(3)]
        deadline = time.monotonic() + 10
        while len(app.received) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        received = [json.loads(body)["data"]["object"]["id"] for body, _ in app.received]
        assert received == ids
        assert time.monotonic() - started < 0.6  # the dead endpoint spends 0.6 s on each event
        listing = deliveries(api, "sk_test_lanes", 6)
        failed = [d for d in listing if d["url"] == dead]
        assert [(d["status"], d["attempts"]) for d in failed] == [("failed", 3)] * 3
        request = urllib.request.Request(
            f"{api}/_pmsim/webhook_deliveries/redeliver", data=b"", method="POST"
        )
        request.add_header("Authorization", "Bearer sk_test_lanes")
        with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback only
            assert json.loads(answer.read()) == {"redelivering": 3}
        again = [d for d in deliveries(api, "sk_test_lanes", 6) if d["url"] == dead]
        assert all(d["redelivered"] for d in again)
        assert {d["event"] for d in again} == {d["event"] for d in failed}
