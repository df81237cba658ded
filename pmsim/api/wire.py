"""The seam's two records: what comes in (``ApiRequest``) and what goes out (``ApiResponse``),
and ``encode``, the JSON text a body travels as.

Framework-free: transports build an ``ApiRequest`` from whatever they received and write an
``ApiResponse`` back, and nothing else in pmsim knows about HTTP.

>>> request = ApiRequest.from_wire("get", "https://api.stripe.com/v1/customers?limit=3", {})
>>> request.method, request.path, request.query
('GET', '/v1/customers', 'limit=3')
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any

from attrs import field, frozen

try:
    import orjson
except ImportError:  # not on PyPy: the standard library's encoder answers
    orjson = None  # type: ignore[assignment]


class LowerCaseHeaders(dict[str, str]):
    """Headers whose names a transport has already lower-cased (as it read them), so
    ``ApiRequest`` keeps them as they are rather than copying them again."""


def _lower_keys(headers: Mapping[str, str]) -> Mapping[str, str]:
    if type(headers) is LowerCaseHeaders:
        return headers
    return {key.lower(): value for key, value in headers.items()}


#: An absolute URL's scheme and host (if any: "://" with no "/" before it), then the path up to
#: "?" or "#", then the query up to "#"; one pass in C, as it runs on every request.
_URL = re.compile(r"(?:[^/]*?://[^/?#]*)?([^?#]*)\??([^#]*)")


def _upper(method: str) -> str:
    return method.upper()


#: The largest request body (or query string) pmsim reads: 1 MiB. Stripe refuses large bodies
#: too, at a limit it does not document; a larger one is answered 413 in Stripe's envelope.
MAX_BODY_BYTES = 1 << 20


def _text(body: str | bytes | None) -> str:
    """A body as text. Bytes that are not UTF-8 are kept as lone surrogates
    (``surrogateescape``), so ``handle`` can refuse them with a 400 rather than fail here."""
    if type(body) is str:  # the commonest cases first: no isinstance over a union
        return body
    if type(body) is bytes:
        return body.decode("utf-8", "surrogateescape")
    if isinstance(body, bytes | bytearray | memoryview):
        return bytes(body).decode("utf-8", "surrogateescape")
    return body or ""


def is_utf8(text: str) -> bool:
    r"""Whether ``text`` can be sent as UTF-8: no lone surrogates (bytes that were not UTF-8).

    >>> is_utf8("café"), is_utf8(b"caf\xe9".decode("utf-8", "surrogateescape"))
    (True, False)
    """
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def size_in_bytes(text: str) -> int:
    """How many bytes ``text`` took on the wire (lone surrogates count as the byte they were)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogateescape"))


#: What a header value may hold: printable ASCII and tabs. Anything else (CR, LF, other
#: control characters, non-ASCII) is never written into a response header.
_HEADER_SAFE = re.compile(r"[\t\x20-\x7e]*")
_HEADER_UNSAFE = re.compile(r"[^\t\x20-\x7e]")


def header_safe(value: str) -> bool:
    r"""Whether ``value`` can be echoed in a response header as it is.

    >>> header_safe("2024-06-20"), header_safe("2024-06-20\r\nSet-Cookie: x=1")
    (True, False)
    """
    return _HEADER_SAFE.fullmatch(value) is not None


def header_text(value: str) -> str:
    r"""``value`` with every character a header may not hold replaced by ``?``.

    >>> header_text("No such customer: 'cus_\r\nX' \u2014 check")
    "No such customer: 'cus_??X' ? check"
    """
    return value if header_safe(value) else _HEADER_UNSAFE.sub("?", value)


@frozen
class ApiRequest:
    """One HTTP request to the simulated Stripe API. Header names are kept lower-case.

    >>> ApiRequest("POST", "/v1/customers", body="email=a%40example.com").body
    'email=a%40example.com'
    """

    method: str = field(converter=_upper)
    path: str
    query: str = ""
    headers: Mapping[str, str] = field(factory=dict, converter=_lower_keys)
    #: The body as text; bytes given here are decoded (see ``_text``).
    body: str = field(default="", converter=_text)

    @classmethod
    def from_wire(
        cls,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        body: str | bytes | None = None,
    ) -> ApiRequest:
        """From an absolute or relative URL, as stripe-python's ``HTTPClient`` receives it."""
        path, query = _URL.match(url).groups()  # type: ignore[union-attr]  # always matches
        return cls(method, path or "/", query, headers or {}, _text(body))

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


def _not_json(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


#: Bodies are trees made by ``to_dict()``, never cyclic, so the encoder skips its cycle check,
#: which costs as much again as the encoding itself; compact, as whitespace helps no client.
_ENCODER = json.JSONEncoder(check_circular=False, separators=(",", ":"))
#: The C encoder that ``_ENCODER.encode`` builds afresh on every call, built once (it runs on
#: every response); ``None`` where CPython's ``_json`` accelerator is missing.
_C_ENCODER = (
    None
    if c_make_encoder is None
    else c_make_encoder(
        None, _not_json, encode_basestring_ascii, None, ":", ",", False, False, True
    )  # markers, default, string encoder, indent, separators, sort_keys, skipkeys, allow_nan
)


def encode(body: Mapping[str, Any]) -> str:
    """A response body as JSON text: compact, with orjson where it is installed (a tenth of
    the time of the standard library's encoder, which encodes what orjson refuses).

    >>> encode({"id": "cus_1", "object": "customer"})
    '{"id":"cus_1","object":"customer"}'
    """
    return encode_bytes(body).decode("utf-8")


def encode_bytes(body: Mapping[str, Any]) -> bytes:
    """``encode(body)`` as UTF-8, what a server writes: orjson makes bytes, so they are not
    decoded and encoded again."""
    if orjson is not None:
        try:
            return orjson.dumps(body)
        except TypeError:  # orjson.JSONEncodeError: an int over 64 bits, a type it lacks
            pass
    text = _ENCODER.encode(body) if _C_ENCODER is None else "".join(_C_ENCODER(body, 0))
    return text.encode("utf-8")


@frozen
class ApiResponse:
    """Status, lower-case headers and a JSON body, with its JSON text once it is made.

    >>> ApiResponse(200, {"request-id": "req_1"}, {"ok": True}).json_text()
    '{"ok":true}'
    """

    status: int
    headers: Mapping[str, str]
    body: Mapping[str, Any]
    #: The body as JSON, when it is already made (a saved idempotent response keeps only this).
    text: str | None = field(default=None, repr=False, eq=False)

    def json_text(self) -> str:
        return encode(self.body) if self.text is None else self.text

    def json_bytes(self) -> bytes:
        """``json_text()`` in UTF-8, for a server to write."""
        return encode_bytes(self.body) if self.text is None else self.text.encode("utf-8")
