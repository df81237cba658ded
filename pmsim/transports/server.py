"""``pmsim serve``: the simulated Stripe API over HTTP, for any client in any language.

A standard-library threading HTTP server over ``pmsim.api.handle``. Each API key gets its own
simulator, so parallel test workers can share one server without seeing each other's data.
Anything pmsim-specific lives under ``/_pmsim/``, never under ``/v1`` (see ``control.py``).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from pmsim.api import ApiRequest, api_key, handle
from pmsim.domain import errors
from pmsim.transports.control import CONTROL_PREFIX, SimulatorPool, control
from pmsim.transports.endpoint_delivery import RETRY_DELAYS
from pmsim.transports.webhook_hosts import HostPolicy


def make_handler(pool: SimulatorPool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; without this the body waits ~40 ms for the
        # client's delayed ACK (Nagle's algorithm), capping a connection at ~22 calls/s.
        disable_nagle_algorithm = True
        server_version = "pmsim"

        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            url = urlsplit(self.path)
            request = ApiRequest(self.command, url.path, url.query, dict(self.headers), body)
            try:
                key = api_key(request)
            except errors.StripeError:
                response = handle(pool.anonymous, request)  # Stripe's 401 for this key
            else:
                if request.path.startswith(CONTROL_PREFIX):
                    response = control(pool, key, request)
                else:
                    response = handle(pool.get(key), request)
            payload = response.json_text().encode("utf-8")
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: a test server that prints every request drowns the test output."""

    return Handler


def exposure_warning(host: str) -> str | None:
    """What to say when binding beyond this machine; None for a loopback address.

    >>> exposure_warning("127.0.0.1") is None, exposure_warning("0.0.0.0") is not None
    (True, True)
    """
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: it may resolve anywhere
    return (
        f"warning: {host} is not a loopback address, so other machines can reach this "
        "simulator, and it checks no real credentials. Use 127.0.0.1 unless you mean it."
    )


def make_server(
    host: str = "127.0.0.1",
    port: int = 12111,
    seed: int = 0,
    webhook_retry_delays: tuple[float, ...] = RETRY_DELAYS,
    webhook_hosts: Iterable[str] = (),
) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` (``port=0`` picks a free port); call ``serve_forever``.

    Events are posted to the webhook endpoints of each key's simulator; a failed post is
    retried after each of ``webhook_retry_delays`` (seconds). Endpoints may be on loopback
    addresses, or on the public ``webhook_hosts`` (see ``webhook_hosts.HostPolicy``)."""
    pool = SimulatorPool(seed, webhook_retry_delays, HostPolicy(frozenset(webhook_hosts)))
    server = ThreadingHTTPServer((host, port), make_handler(pool))
    server.daemon_threads = True
    return server
