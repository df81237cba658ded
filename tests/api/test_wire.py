"""``ApiRequest.from_wire``: the path and query of whatever URL a client hands over."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pmsim.api import ApiRequest, wire
from pmsim.api.wire import encode

PIECES = st.text(alphabet="/?#=&:.a1", max_size=12)


@given(st.sampled_from(["https://pmsim.invalid", "http://127.0.0.1:12111", "http://h", ""]), PIECES)
@example(base="", rest="/://")  # a path that merely contains "://"
def test_path_and_query_are_what_urlsplit_finds(base: str, rest: str) -> None:
    url = base + rest
    request = ApiRequest.from_wire("get", url, {})
    parts = urlsplit(url)
    # Without a base, clients send a path: "/" and then anything but a second "/".
    if base or (rest.startswith("/") and not rest.startswith("//")):
        assert (request.path, request.query) == (parts.path or "/", parts.query)


def test_header_names_are_lower_case_and_the_method_upper_case() -> None:
    request = ApiRequest.from_wire("post", "/v1/customers", {"Idempotency-Key": "k"}, b"a=1")
    assert (request.method, request.headers, request.body) == (
        "POST",
        {"idempotency-key": "k"},
        "a=1",
    )


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(st.text(), JSON_VALUES, max_size=6))
def test_encode_writes_the_same_json_with_or_without_orjson(body: dict[str, object]) -> None:
    # orjson writes non-ASCII as UTF-8 and 1e16 for 1e+16: the same JSON, other bytes. Without
    # it, the prebuilt C encoder and the pure-Python one write what the standard library does.
    assert json.loads(encode(body)) == body
    expected = json.dumps(body, separators=(",", ":"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(wire, "orjson", None)
        assert encode(body) == expected
        patch.setattr(wire, "_C_ENCODER", None)
        assert encode(body) == expected


def test_encode_falls_back_for_what_orjson_refuses() -> None:
    # An integer over 64 bits (a client's huge amount echoed in an error) is still JSON.
    assert encode({"amount": 2**70}) == '{"amount":1180591620717411303424}'


def test_encode_refuses_what_is_not_json() -> None:
    with pytest.raises(TypeError, match="object is not JSON serializable"):
        encode({"a": object()})
