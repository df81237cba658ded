"""pmsim serve posts webhooks only where it may: loopback, or public hosts it was told about;
never a private or link-local address, and never where a redirect points."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import pmsim
from pmsim.cli import build_parser
from pmsim.transports.endpoint_delivery import Deliverer
from pmsim.transports.pool import SimulatorPool
from pmsim.transports.webhook_hosts import HostPolicy, HostRefused

NAMES = {
    "localhost": ["127.0.0.1", "::1"],
    "hooks.example.com": ["93.184.216.34"],
    "db.example.com": ["10.0.0.7"],
    "metadata.example.com": ["169.254.169.254"],
    "split.example.com": ["93.184.216.34", "192.168.1.9"],
}


def resolver(host: str, port: int) -> list[str]:
    if host in NAMES:
        return NAMES[host]
    if host[0].isdigit() or ":" in host:
        return [host]
    raise OSError("unknown host")


ALLOWING = ("hooks.example.com", "db.example.com", "metadata.example.com", "split.example.com")


@pytest.mark.parametrize(
    "url", ["http://localhost:9000/hook", "http://127.0.0.1/x", "https://[::1]:8443/hook"]
)
def test_loopback_is_always_allowed(url: str) -> None:
    assert HostPolicy(resolve=resolver).address(url) in {"127.0.0.1", "::1"}


def test_a_public_host_needs_naming() -> None:
    with pytest.raises(HostRefused, match="--allow-webhook-host hooks.example.com"):
        HostPolicy(resolve=resolver).address("https://hooks.example.com/stripe")
    allowed = HostPolicy(frozenset({"HOOKS.example.com"}), resolve=resolver)
    assert allowed.address("https://hooks.example.com/stripe") == "93.184.216.34"


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://10.0.0.7/",
        "http://db.example.com/",  # an allowed name that resolves to a private address
        "http://metadata.example.com/",
        "http://split.example.com/",  # one public address, one private
        "http://[fe80::1]/",
    ],
)
def test_private_and_link_local_addresses_are_refused_even_when_allowed(url: str) -> None:
    policy = HostPolicy(frozenset({*ALLOWING, "169.254.169.254", "10.0.0.7", "fe80::1"}),
                        resolve=resolver)  # fmt: skip
    with pytest.raises(HostRefused):
        policy.address(url)


@pytest.mark.parametrize("url", ["ftp://localhost/x", "http:///nohost", "http://nowhere.test/"])
def test_urls_without_a_reachable_http_host_are_refused(url: str) -> None:
    with pytest.raises(HostRefused):
        HostPolicy(resolve=resolver).address(url)


class Local:
    """A local app: ``/redirect`` answers 302 to ``/target``; it notes every path it serves."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        seen = self.paths

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                seen.append(self.path)
                self.rfile.read(int(self.headers["Content-Length"]))
                redirect = self.path == "/redirect"
                self.send_response(302 if redirect else 200)
                if redirect:
                    self.send_header("Location", "/target")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def settled(deliverer: Deliverer, count: int) -> list[dict]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        listing = deliverer.listing()
        if len(listing) >= count and all(d["status"] != "pending" for d in listing):
            return listing
        time.sleep(0.01)
    raise AssertionError(f"deliveries did not settle: {deliverer.listing()}")


def delivering_to(url: str) -> Callable[[], list[dict]]:
    sim = pmsim.Simulator()
    deliverer = Deliverer(sim, retry_delays=(0.01,))
    sim.webhook_endpoints.create(url=url, enabled_events=["customer.created"])
    sim.customers.create()

    def listing() -> list[dict]:
        try:
            return settled(deliverer, 1)
        finally:
            deliverer.close()

    return listing


def test_a_refused_endpoint_is_failed_at_once_and_never_contacted() -> None:
    [delivery] = delivering_to("http://169.254.169.254/latest/meta-data/")()
    assert delivery["status"] == "failed"
    assert len(delivery["answers"]) == 1  # no retries: the rule will not change
    assert delivery["answers"][0]["error"].startswith("refused: 169.254.169.254 resolves to")


def test_a_redirect_is_never_followed() -> None:
    app = Local()
    [delivery] = delivering_to(app.base + "/redirect")()
    assert delivery["status"] == "failed"
    assert [answer["status"] for answer in delivery["answers"]] == [302, 302]
    assert app.paths == ["/redirect", "/redirect"]
    app.server.shutdown()
    app.server.server_close()


def test_serve_takes_the_hosts_it_may_post_to() -> None:
    args = build_parser().parse_args(
        ["serve", "--allow-webhook-host", "hooks.example.com", "--allow-webhook-host", "b.io"]
    )
    assert args.allow_webhook_host == ["hooks.example.com", "b.io"]
    pool = SimulatorPool(0, hosts=HostPolicy(frozenset(args.allow_webhook_host)))
    assert pool.deliverer("sk_test_a").hosts.allowed == {"hooks.example.com", "b.io"}
    assert SimulatorPool(0).deliverer("sk_test_a").hosts.allowed == frozenset()
