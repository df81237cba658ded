"""The ASGI app (``pmsim.transports.asgi``) in-process, as httpx's ASGITransport calls it, and
under arbitrary bytes: every request gets one answer in Stripe's envelope (issue 12)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmsim.transports.asgi import Application, app
from pmsim.transports.pool import SimulatorPool
from tests.support import more_examples

AUTH = ("sk_test_asgi1234", "")


def call(application: Application, *requests: dict[str, Any]) -> list[httpx.Response]:
    """Send ``requests`` (httpx.AsyncClient.request's arguments) one after another."""

    async def send() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://pmsim") as http:
            return [await http.request(**request) for request in requests]

    return asyncio.run(send())


def test_the_app_answers_in_process_through_httpx() -> None:
    made, fetched = call(
        app(SimulatorPool(seed=4)),
        {"method": "POST", "url": "/v1/customers", "data": {"name": "Ada"}, "auth": AUTH},
        {"method": "GET", "url": "/v1/customers", "params": {"limit": 1}, "auth": AUTH},
    )
    assert made.status_code == 200
    assert made.headers["request-id"].startswith("req_")
    assert fetched.json()["data"] == [made.json()]


def test_a_missing_key_is_stripes_401_and_control_endpoints_work() -> None:
    refused, clock = call(
        app(),
        {"method": "GET", "url": "/v1/customers"},
        {"method": "GET", "url": "/_pmsim/clock", "auth": AUTH},
    )
    assert refused.status_code == 401
    assert refused.json()["error"]["type"] == "invalid_request_error"
    assert clock.json()["seed"] == 0


def test_each_answered_request_is_one_log_line_with_the_keys_last_four_characters() -> None:
    lines: list[str] = []
    call(
        app(SimulatorPool(seed=4), log=lines.append),
        {"method": "POST", "url": "/v1/customers", "auth": AUTH},
        {"method": "GET", "url": "/v1/customers/cus_missing", "auth": AUTH},
        {"method": "GET", "url": "/v1/customers"},
    )
    assert [line.split()[:3] for line in lines] == [
        ["POST", "/v1/customers", "200"],
        ["GET", "/v1/customers/cus_missing", "404"],
        ["GET", "/v1/customers", "401"],
    ]
    assert lines[0].endswith("ms key …1234")
    assert lines[2].endswith("ms no key")
    answer("GET", b"/v1/customers/cus_\r\nX", b"", [], [], app(POOL, log=lines.append))
    assert lines[3].startswith("GET /v1/customers/cus_??X 40")  # never a line break in a log


def test_lifespan_shutdown_stops_the_webhook_scheduler() -> None:
    pool = SimulatorPool(seed=4)
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[str] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    asyncio.run(app(pool)({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert pool.scheduler.closed


# --- Arbitrary bytes -----------------------------------------------------------------------

POOL = SimulatorPool(seed=9)  # shared by the examples: state left behind is more to trip on
HEADER_NAMES = st.sampled_from(
    [b"authorization", b"content-length", b"stripe-version", b"idempotency-key",
     b"content-type", b"x-anything"]
)  # fmt: skip
HEADERS = st.lists(st.tuples(HEADER_NAMES, st.binary(max_size=40)), max_size=5)
PATHS = st.one_of(
    st.sampled_from([b"/v1/customers", b"/v1/payment_methods", b"/_pmsim/clock", b"/"]),
    st.binary(max_size=60),
)


def answer(
    method: str,
    path: bytes,
    query: bytes,
    headers: list[tuple[bytes, bytes]],
    chunks: list[bytes],
    application: Application | None = None,
) -> tuple[list[dict[str, Any]], bool]:
    """Run one request through the app; what it sent, and whether it read the whole body."""
    incoming: Iterator[dict[str, Any]] = iter(
        [{"type": "http.request", "body": chunk, "more_body": n < len(chunks) - 1}
         for n, chunk in enumerate(chunks or [b""])]
    )  # fmt: skip
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(incoming, {"type": "http.disconnect"})

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path.decode("latin-1"),
             "raw_path": path, "query_string": query, "headers": headers}  # fmt: skip
    asyncio.run((application or app(POOL))(scope, receive, send))
    return sent, next(incoming, None) is None


@more_examples(5)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "PUT", "PATCH"]),
    path=PATHS,
    query=st.binary(max_size=60),
    headers=HEADERS,
    chunks=st.lists(st.binary(max_size=80), max_size=4),
    key=st.sampled_from([b"Bearer sk_test_fuzz", b"Bearer sk_live_x", b"Basic !!", b""]),
)
def test_any_bytes_get_one_answer_in_stripes_envelope(
    method: str,
    path: bytes,
    query: bytes,
    headers: list[tuple[bytes, bytes]],
    chunks: list[bytes],
    key: bytes,
) -> None:
    sent, _ = answer(method, path, query, [(b"authorization", key), *headers], chunks)
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.body"]
    status = sent[0]["status"]
    assert 200 <= status < 500, sent
    names = [name for name, _ in sent[0]["headers"]]
    assert names.count(b"content-length") == 1
    assert all(b"\r" not in value and b"\n" not in value for _, value in sent[0]["headers"])
    body = json.loads(sent[1]["body"])
    if status >= 400:
        assert body["error"]["type"] in ("invalid_request_error", "card_error", "idempotency_error")
        assert body["error"]["message"]


def test_a_client_that_leaves_mid_body_gets_no_answer_and_changes_nothing() -> None:
    pool = SimulatorPool(seed=2)

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        raise AssertionError(f"answered a client that left: {message}")

    scope = {"type": "http", "method": "POST", "path": "/v1/customers", "query_string": b"",
             "headers": [(b"authorization", b"Bearer sk_test_gone")]}  # fmt: skip
    asyncio.run(app(pool)(scope, receive, send))
    assert len(pool) == 0


@pytest.mark.parametrize("spelled", [str.lower, str.title, str.upper])
def test_header_names_are_read_in_any_case(spelled: Any) -> None:
    # uvicorn passes names lower-case (the common ones are decoded from a table); another ASGI
    # server may not.
    def named(name: str, value: bytes) -> tuple[bytes, bytes]:
        return spelled(name).encode(), value

    headers = [
        named("Authorization", b"Bearer sk_test_case"),
        named("Stripe-Version", b"2024-06-20"),
        named("Idempotency-Key", b"k1"),
        named("X-Custom", b"1"),
    ]
    fresh = app(SimulatorPool(seed=2))
    sent, _ = answer("POST", b"/v1/customers", b"", headers, [b"name=Ada"], fresh)
    assert sent[0]["status"] == 200
    echoed = dict(sent[0]["headers"])
    assert echoed[b"stripe-version"] == b"2024-06-20"
    replayed, _ = answer("POST", b"/v1/customers", b"", headers, [b"name=Ada"], fresh)
    assert json.loads(replayed[1]["body"])["id"] == json.loads(sent[1]["body"])["id"]


@pytest.mark.parametrize(
    ("method", "headers", "reads"),
    [
        ("GET", [], False),  # HTTP/1.1: no length, no body; nothing to wait for
        ("DELETE", [], False),
        ("GET", [(b"content-length", b"0")], True),
        ("GET", [(b"transfer-encoding", b"chunked")], True),
        ("POST", [], True),  # a body may still come (an ASGI server of HTTP/2)
    ],
)
def test_a_read_without_a_body_is_answered_without_receiving_one(
    method: str, headers: list[tuple[bytes, bytes]], reads: bool
) -> None:
    calls: list[str] = []

    async def receive() -> dict[str, Any]:
        calls.append("receive")
        return {"type": "http.request", "body": b"", "more_body": False}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": "/v1/customers", "query_string": b"",
             "headers": [(b"authorization", b"Bearer sk_test_reads"), *headers]}  # fmt: skip
    asyncio.run(app(SimulatorPool(seed=2))(scope, receive, send))
    assert sent[0]["status"] in (200, 404)
    assert calls == (["receive"] if reads else [])
