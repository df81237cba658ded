"""The simulated Stripe API as an ASGI application: ``pmsim serve`` runs it on uvicorn, and any
ASGI client (``httpx.ASGITransport``, Starlette's test client) can call it in-process.

A thin adapter over ``pmsim.api.handle``, framework-free: it reads the body (at most
``MAX_BODY_BYTES``), builds an ``ApiRequest``, gives it to the simulator of the request's API
key, and writes the ``ApiResponse`` back. Anything under ``/_pmsim/`` goes to ``control.py``.

>>> import asyncio, httpx
>>> async def create() -> str:
...     transport = httpx.ASGITransport(app=app(SimulatorPool(seed=1)))
...     async with httpx.AsyncClient(transport=transport, base_url="http://pmsim") as http:
...         answer = await http.post("/v1/customers", data={"email": "ada@example.com"},
...                                  auth=("sk_test_123", ""))
...         return str(answer.json()["email"])
>>> asyncio.run(create())
'ada@example.com'
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pmsim.api import READ_METHODS, ApiRequest, ApiResponse, api_key, handle, refuse
from pmsim.api.wire import MAX_BODY_BYTES, LowerCaseHeaders, header_text
from pmsim.domain import errors, versions
from pmsim.domain.messages import http
from pmsim.transports import dashboard
from pmsim.transports.control import CONTROL_PREFIX, control
from pmsim.transports.pool import SimulatorPool

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
#: Where ``--log`` lines go: one call per answered request.
Log = Callable[[str], None]


#: The header names Stripe's clients send, as uvicorn passes them (lower-case), decoded once.
_COMMON_NAMES: dict[bytes, str] = {
    name.encode(): name
    for name in (
        "host", "authorization", "content-type", "content-length", "user-agent", "accept",
        "accept-encoding", "connection", "stripe-version", "idempotency-key", "stripe-account",
        "x-stripe-client-user-agent", "x-stripe-client-telemetry",
    )
}  # fmt: skip

#: The header names every API response has, and the values most repeat (its content type, an
#: API version's name), encoded once.
_RESPONSE_NAMES = {name: name.encode() for name in ("content-type", "request-id", "stripe-version")}
_RESPONSE_VALUES = {value: value.encode() for value in ("application/json", *versions.BY_NAME)}


class Disconnected(Exception):
    """The client went away before its request was whole: there is no one to answer."""


def app(pool: SimulatorPool | None = None, log: Log | None = None) -> Application:
    """The ASGI application answering for ``pool``'s simulators (one per API key; by default
    a new pool with seed 0). ``log`` receives one line per request when given."""
    return Application(SimulatorPool(seed=0) if pool is None else pool, log)


class Application:
    """An ASGI 3 application over a ``SimulatorPool``. On lifespan shutdown it stops the
    pool's webhook deliveries."""

    def __init__(self, pool: SimulatorPool, log: Log | None = None) -> None:
        self.pool = pool
        self.log = log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter() if self.log is not None else 0.0
        headers = LowerCaseHeaders()
        for name, value in scope["headers"]:
            text = _COMMON_NAMES.get(name) or name.decode("latin-1").lower()
            headers[text] = value.decode("latin-1")
        close = False
        key: str | None = None
        try:
            try:
                body = await _body(scope["method"], headers, receive)
            except errors.StripeError as err:
                # The body was not read (or not whole): the connection ends after the answer.
                close = True
                response = refuse(self.pool.anonymous, err)
            else:
                query = scope.get("query_string", b"").decode("latin-1")
                request = ApiRequest(scope["method"], _path(scope), query, headers, body)
                key, response = self._answer(request)
            payload = response.json_bytes()  # a body that is not JSON fails here
        except Disconnected:
            return
        except Exception as err:  # a bug in pmsim: still an answer, never a closed socket
            close = True
            response = _failure(err)
            payload = response.json_bytes()
        await send(_start(response, payload, close))
        await send({"type": "http.response.body", "body": payload})
        if self.log is not None:
            self.log(_log_line(scope, response.status, started, key))

    def _answer(self, request: ApiRequest) -> tuple[str | None, ApiResponse]:
        if request.path.startswith("/_pmsim") and (shown := dashboard.page(request)):
            return None, shown  # the dashboard's page holds no data: no key needed
        try:
            key = api_key(request)
        except errors.StripeError:
            return None, handle(self.pool.anonymous, request)  # Stripe's 401 for this key
        if request.path.startswith(CONTROL_PREFIX):
            return key, control(self.pool, key, request)
        sim = self.pool.get(key)
        response = handle(sim, request)
        if response.status >= 400:
            dashboard.note(sim, request, response)  # the refusal the dashboard explains
        return key, response


async def _body(method: str, headers: dict[str, str], receive: Receive) -> bytes:
    """The whole body, refused unread when its Content-Length says it is over the limit; a
    body sent in chunks that grows over the limit is read to its end, kept no further, and
    refused. A read (GET, DELETE) with neither Content-Length nor Transfer-Encoding has none
    in HTTP/1.1 (RFC 9112, section 6.3), so nothing is received for it (a read's body is not
    used anyway)."""
    announced = headers.get("content-length")
    if announced is None and method in READ_METHODS and "transfer-encoding" not in headers:
        return b""
    if announced is not None:
        text = announced.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 19:
            raise http.bad_content_length(announced)
        if int(text) > MAX_BODY_BYTES:
            raise http.body_too_large(int(text), MAX_BODY_BYTES)
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        part = message.get("body", b"")
        size += len(part)
        if size <= MAX_BODY_BYTES:
            parts.append(part)
        elif parts:
            parts.clear()  # over the limit: the rest is read and dropped, then refused
        if not message.get("more_body", False):
            if size > MAX_BODY_BYTES:
                # Read to its end (within the request deadline) so the answer is not lost
                # to a connection reset.
                raise http.body_too_large(size, MAX_BODY_BYTES)
            return b"".join(parts)


def _path(scope: Scope) -> str:
    # As sent (percent-escapes kept), like the path stripe-python's transport receives.
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if raw else scope["path"]
    return str(path).partition("?")[0]


def _start(response: ApiResponse, payload: bytes, close: bool) -> Message:
    """The ``http.response.start`` message for ``response`` with its body ``payload``."""
    headers = [(b"content-length", b"%d" % len(payload))]
    for name, value in response.headers.items():
        encoded = _RESPONSE_NAMES.get(name) or name.encode("latin-1")
        headers.append((encoded, _RESPONSE_VALUES.get(value) or value.encode("latin-1")))
    if close:
        headers.append((b"connection", b"close"))
    return {"type": "http.response.start", "status": response.status, "headers": headers}


def _failure(err: Exception) -> ApiResponse:
    body = {"error": {"type": "api_error", "message": f"pmsim failed: {err!r:.200}"}}
    return ApiResponse(500, {"content-type": "application/json"}, body)


def _log_line(scope: Scope, status: int, started: float, key: str | None) -> str:
    """``POST /v1/customers 200 0.4ms key …x7Qa``: the last four characters of the API key say
    which test worker called, without printing the key."""
    took = (time.perf_counter() - started) * 1000
    who = f"key …{key[-4:]}" if key else "no key"
    path = header_text(_path(scope)[:200])  # never a control character in the log
    return f"{scope['method']} {path} {status} {took:.1f}ms {who}"
