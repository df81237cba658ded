"""Whatever the bytes, ``handle`` and the stripe-python transport answer (issue 12).

Below the form-level fuzzing of ``test_handle_fuzz.py``: arbitrary bytes for the body (or a
str with lone surrogates, as bytes that were not UTF-8 become), arbitrary header names and
values (``Stripe-Version``, ``Idempotency-Key`` and ``Authorization`` among them), keys nested
up to hundreds deep, runs of ``%`` escapes. Every answer is a 2xx or a 4xx; a 4xx carries
Stripe's JSON error envelope; no response header holds a CR or LF; nothing raises.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import strategies as st

import pmsim
from pmsim.api import ApiRequest, ApiResponse, handle
from pmsim.transports.stripe_python import PmsimHTTPClient
from tests.support import more_examples

KEY = "sk_test_bytes"
PATHS = st.sampled_from(
    ["/v1/customers", "/v1/payment_methods", "/v1/setup_intents", "/v1/payment_intents",
     "/v1/webhook_endpoints", "/v1/test_helpers/test_clocks", "/v1/events", "/v1/nowhere"]
)  # fmt: skip
NAMES = st.sampled_from(
    ["email", "name", "description", "metadata", "card", "expand", "url", "type", "amount"]
)
ESCAPES = st.sampled_from(["%", "%%", "%2", "%E2%82", "%FF", "%00", "%0D%0A", "+", "%5B", "%5D"])


@st.composite
def nested_keys(draw: st.DrawFn) -> str:
    """A real parameter name with 0 to 400 levels of ``[...]``."""
    depth = draw(st.one_of(st.integers(0, 4), st.integers(15, 25), st.integers(100, 400)))
    segment = draw(st.sampled_from(["a", "", "0", "token", "%5B"]))
    return draw(NAMES) + f"[{segment}]" * depth


@st.composite
def bodies(draw: st.DrawFn) -> str | bytes:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        text = draw(st.binary(max_size=60)).decode("utf-8", "surrogateescape")
        return draw(NAMES) + "=" + text
    if kind == 2:
        key = draw(nested_keys())
        return f"{key}={draw(st.text(max_size=10))}&expand[]=customer"
    pieces = draw(st.lists(st.one_of(ESCAPES, st.text(max_size=4)), max_size=30))
    return draw(NAMES) + "=" + "".join(pieces)


HEADER_TEXT = st.one_of(
    st.text(max_size=30),
    st.binary(max_size=20).map(lambda raw: raw.decode("utf-8", "surrogateescape")),
    st.sampled_from(["2024-06-20\r\nSet-Cookie: x=1", "\x00", "2024-06-20", "é"]),
)


@st.composite
def header_sets(draw: st.DrawFn) -> dict[str, str]:
    headers = draw(st.dictionaries(st.text(max_size=20), HEADER_TEXT, max_size=3))
    for name in ("Stripe-Version", "Idempotency-Key"):
        if draw(st.booleans()):
            headers[name] = draw(HEADER_TEXT)
    if draw(st.integers(0, 4)):  # mostly a good key, so requests get past auth
        headers["Authorization"] = f"Bearer {KEY}"
    else:
        headers["Authorization"] = draw(HEADER_TEXT)
    return headers


def check(status: int, headers: Mapping[str, str], body: Mapping[str, Any]) -> None:
    assert 200 <= status < 300 or 400 <= status < 500, (status, body)
    for name, value in headers.items():
        assert "\r" not in value and "\n" not in value, (name, value)
        value.encode("latin-1")  # what http.server writes headers in
    if status >= 400:
        error = body["error"]
        assert isinstance(error["message"], str)
        assert error["type"] in {"invalid_request_error", "card_error", "idempotency_error"}


@more_examples(5, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["GET", "POST", "DELETE"]), PATHS, header_sets(), bodies())
def test_handle_answers_any_bytes(
    method: str, path: str, headers: dict[str, str], body: str | bytes
) -> None:
    sim = pmsim.Simulator(seed=2)
    query = body.decode("utf-8", "surrogateescape") if isinstance(body, bytes) else body
    request = ApiRequest(method, path, query if method != "POST" else "", headers, body)
    response = handle(sim, request)
    assert isinstance(response, ApiResponse)
    check(response.status, response.headers, json.loads(response.json_text()))


@more_examples(5, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["get", "post", "delete"]), PATHS, header_sets(), bodies())
def test_the_stripe_python_transport_answers_any_bytes(
    method: str, path: str, headers: dict[str, str], body: str | bytes
) -> None:
    client = PmsimHTTPClient(pmsim.Simulator(seed=2))
    text, status, response_headers = client.request(
        method, "https://pmsim.invalid" + path, headers, body
    )
    check(status, response_headers, json.loads(text))
