"""uvicorn's HTTP protocol with what a long-lived shared server needs and uvicorn leaves out.

- A request uvicorn cannot parse (a Content-Length that is not a number, a broken request
  line) gets Stripe's 400 envelope, not uvicorn's plain-text "Invalid HTTP request".
- Each request has a deadline (``REQUEST_TIMEOUT``) from its first byte: a client that opens a
  connection and sends nothing, or half a request, is answered 408 and cut off, where uvicorn
  would wait forever. Between requests, uvicorn's keep-alive timeout closes idle connections.
- A request whose connection ends before it is whole is answered 400, never processed.
- Request line and headers are at most ``MAX_HEADER_BYTES`` (431); bodies are limited by the
  ASGI app (``asgi.py``), since uvicorn pauses reading while the app has not taken a body.

The protocol is configured (``uvicorn.Config(http=...)``), not patched: a subclass of the
protocol uvicorn would pick (httptools where it is installed, else h11) that extends the
asyncio protocol methods and two hooks both uvicorn protocols have (``on_response_complete``
and ``send_400_response``). What it reads of uvicorn's request cycle it reads defensively.
"""

from __future__ import annotations

import asyncio
from http import HTTPStatus
from typing import Any

from pmsim.api import ApiResponse, refuse
from pmsim.domain import errors
from pmsim.domain.messages import http
from pmsim.engine import Simulator

#: Seconds a request may take to arrive whole, from its first byte (or from the connection's
#: opening, for its first request).
REQUEST_TIMEOUT = 10.0
#: The most bytes of request line and headers read for one request (Stripe's clients send ~1 KB).
MAX_HEADER_BYTES = 64 * 1024
#: Seconds a refused connection is read (and dropped) before it closes.
LINGER = 1.0


def raw_response(response: ApiResponse) -> bytes:
    """``response`` as the bytes of an HTTP/1.1 answer that closes the connection.

    >>> raw_response(ApiResponse(408, {"content-type": "application/json"}, {}))[:26]
    b'HTTP/1.1 408 Request Timeo'
    """
    payload = response.json_bytes()
    lines = [f"HTTP/1.1 {response.status} {HTTPStatus(response.status).phrase}"]
    lines += [f"{name}: {value}" for name, value in response.headers.items()]
    lines += [f"content-length: {len(payload)}", "connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1") + payload


def uvicorn_protocol() -> type[asyncio.Protocol]:
    """The protocol class uvicorn's ``http="auto"`` would choose."""
    try:
        import httptools  # noqa: F401
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        return HttpToolsProtocol
    except ImportError:
        from uvicorn.protocols.http.h11_impl import H11Protocol

        return H11Protocol


def stripe_protocol(
    anonymous: Simulator,
    base: type[asyncio.Protocol] | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> type[asyncio.Protocol]:
    """A subclass of ``base`` (uvicorn's choice by default) with the rules above; refusals
    take their request ids from ``anonymous``."""
    parent: Any = uvicorn_protocol() if base is None else base

    class StripeProtocol(parent):  # type: ignore[misc]
        _deadline: asyncio.TimerHandle | None = None
        _unanswered = 0  # bytes received since the last answer
        _refused = False

        def connection_made(self, transport: asyncio.Transport) -> None:
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self._refused:
                return  # read and dropped, so that closing does not reset the connection
            if self._deadline is None:
                self._arm()
            self._unanswered += len(data)
            super().data_received(data)
            # Still no request after this many bytes: its line and headers are too long.
            if self._unanswered > MAX_HEADER_BYTES and not self._in_app():
                self._refuse(http.headers_too_large(MAX_HEADER_BYTES))

        def on_response_complete(self) -> None:
            self._disarm()
            self._unanswered = 0
            super().on_response_complete()

        def eof_received(self) -> bool | None:
            # The client stopped sending: a request it left unfinished is answered, not kept.
            if not self._refused and self._unfinished():
                self._refuse(http.request_incomplete())
            return None

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            self._refuse(http.request_unparsable())

        def _arm(self) -> None:
            loop = asyncio.get_running_loop()
            self._deadline = loop.call_later(timeout, self._late)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None

        def _late(self) -> None:
            self._deadline = None
            if self._answering():
                self.transport.close()  # an answer the client does not read: let it go
            else:
                self._refuse(http.request_timeout(timeout))

        def _cycle(self) -> Any:
            """uvicorn's cycle for the request in progress, or None between requests."""
            cycle = getattr(self, "cycle", None)
            return None if getattr(cycle, "response_complete", True) else cycle

        def _in_app(self) -> bool:
            return self._cycle() is not None

        def _answering(self) -> bool:
            return bool(getattr(self._cycle(), "response_started", False))

        def _unfinished(self) -> bool:
            cycle = self._cycle()
            if cycle is None:
                return self._unanswered > 0  # the request line or headers were cut off
            return bool(getattr(cycle, "more_body", False)) and not self._answering()

        def _refuse(self, err: errors.StripeError) -> None:
            self._disarm()
            if self.transport.is_closing():
                return
            cycle = self._cycle()
            if cycle is not None:
                cycle.disconnected = True  # the app's answer, if it comes, goes nowhere
            self.transport.write(raw_response(refuse(anonymous, err)))
            # A "lingering close": stop writing, drop what the client still sends for a
            # moment, then close. Closing with unread bytes would reset the connection, and
            # the client could lose the answer before reading it.
            self._refused = True
            if self.transport.can_write_eof():
                self.transport.write_eof()
            asyncio.get_running_loop().call_later(LINGER, self.transport.close)

    return StripeProtocol
