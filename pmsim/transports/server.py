"""``pmsim serve``: the simulated Stripe API over HTTP, for any client in any language.

A standard-library threading HTTP server over ``pmsim.api.handle``. Each API key gets its own
simulator, so parallel test workers can share one server without seeing each other's data.
Anything pmsim-specific lives under ``/_pmsim/``, never under ``/v1`` (see ``control.py``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pmsim.api import ApiRequest, ApiResponse, api_key, handle, refuse
from pmsim.api.wire import MAX_BODY_BYTES
from pmsim.domain import errors
from pmsim.domain.messages import http
from pmsim.transports.control import CONTROL_PREFIX, SimulatorPool, control
from pmsim.transports.endpoint_delivery import RETRY_DELAYS
from pmsim.transports.webhook_hosts import HostPolicy

#: A Content-Length: ASCII digits, few enough to read as an int at once (over the limit anyway).
_DIGITS = re.compile(r"[0-9]{1,19}")


def make_handler(pool: SimulatorPool) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes; without this the body waits ~40 ms for the
        # client's delayed ACK (Nagle's algorithm), capping a connection at ~22 calls/s.
        disable_nagle_algorithm = True
        server_version = "pmsim"

        def _answer(self) -> None:
            try:
                response = self._response()
            except Exception as err:  # a bug in pmsim: still an answer, never a closed socket
                self.close_connection = True
                response = ApiResponse(
                    500,
                    {"content-type": "application/json"},
                    {"error": {"type": "api_error", "message": f"pmsim failed: {err!r:.200}"}},
                )
            payload = response.json_text().encode("utf-8")
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            if self.close_connection:
                self.send_header("connection", "close")
            self.end_headers()
            self.wfile.write(payload)

        def _response(self) -> ApiResponse:
            try:
                body = self._body()
            except errors.StripeError as err:
                # The body was not read (or not whole): where the next request would start is
                # unknown, so the connection ends after this answer.
                self.close_connection = True
                return refuse(pool.anonymous, err)
            request = ApiRequest.from_wire(self.command, self.path, dict(self.headers), body)
            try:
                key = api_key(request)
            except errors.StripeError:
                return handle(pool.anonymous, request)  # Stripe's 401 for this key
            if request.path.startswith(CONTROL_PREFIX):
                return control(pool, key, request)
            return handle(pool.get(key), request)

        def _body(self) -> bytes:
            """The body, exactly Content-Length bytes of it: a length that is not a whole
            number is a 400, one over the limit a 413 (neither is read), and a body that ends
            early a 400 (never processed truncated)."""
            if self.headers.get("transfer-encoding") is not None:
                raise http.chunked_body()  # never read: the connection closes after the answer
            announced = self.headers.get("content-length")
            if announced is None:
                return b""
            text = announced.strip()
            if not _DIGITS.fullmatch(text):
                raise http.bad_content_length(announced)
            length = int(text)
            if length > MAX_BODY_BYTES:
                raise http.body_too_large(length, MAX_BODY_BYTES)
            body = self.rfile.read(length) if length else b""
            if len(body) < length:
                raise http.body_shorter_than_content_length(len(body), length)
            return body

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
