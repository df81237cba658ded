"""``pmsim serve``: the simulated Stripe API over HTTP, for any client in any language.

A standard-library threading HTTP server over ``pmsim.api.handle``. Each API key gets its own
simulator, so parallel test workers can share one server without seeing each other's data.
Anything pmsim-specific lives under ``/_pmsim/``, never under ``/v1``.
"""

from __future__ import annotations

import ipaddress
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from pmsim.api import ApiRequest, ApiResponse, api_key, handle
from pmsim.domain import errors
from pmsim.engine import Simulator

CONTROL_PREFIX = "/_pmsim/"
TIME_UNITS = ("days", "hours", "minutes", "seconds")


class SimulatorPool:
    """One simulator per API key, made on first use with the server's seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._sims: dict[str, Simulator] = {}
        self._lock = threading.Lock()
        self.anonymous = Simulator(seed)  # answers requests whose key is refused

    def get(self, key: str) -> Simulator:
        with self._lock:
            sim = self._sims.get(key)
            if sim is None:
                sim = self._sims[key] = Simulator(self.seed)
            return sim

    def reset(self, key: str) -> Simulator:
        with self._lock:
            sim = self._sims[key] = Simulator(self.seed)
            return sim


def control(pool: SimulatorPool, key: str, request: ApiRequest) -> ApiResponse:
    """``POST /_pmsim/reset`` and ``POST /_pmsim/clock/advance?seconds=N`` (or days, hours,
    minutes); ``GET /_pmsim/clock``. They act on the simulator of the request's key."""
    action = request.path[len(CONTROL_PREFIX) :]
    headers = {"content-type": "application/json"}
    if (request.method, action) == ("POST", "reset"):
        sim = pool.reset(key)
    elif (request.method, action) == ("POST", "clock/advance"):
        sim = pool.get(key)
        fields = dict(parse_qsl(request.query or request.body))
        try:
            step = timedelta(**{unit: float(fields.get(unit, 0)) for unit in TIME_UNITS})
            sim.clock.advance(step)
        except (ValueError, OverflowError) as err:
            body = {"error": {"type": "invalid_request_error", "message": str(err)}}
            return ApiResponse(400, headers, body)
    elif (request.method, action) == ("GET", "clock"):
        sim = pool.get(key)
    else:
        body = {"error": {"type": "invalid_request_error", "message": (
            f"Unknown pmsim control endpoint {request.method} {request.path}. Control endpoints: "
            "POST /_pmsim/reset, POST /_pmsim/clock/advance?seconds=N, GET /_pmsim/clock."
        )}}  # fmt: skip
        return ApiResponse(404, headers, body)
    return ApiResponse(200, headers, {"seed": sim.seed, "time": sim.clock.now()})


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


def make_server(host: str = "127.0.0.1", port: int = 12111, seed: int = 0) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` (``port=0`` picks a free port); call ``serve_forever``."""
    server = ThreadingHTTPServer((host, port), make_handler(SimulatorPool(seed)))
    server.daemon_threads = True
    return server
