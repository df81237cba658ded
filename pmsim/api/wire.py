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


def _lower_keys(headers: Mapping[str, str]) -> Mapping[str, str]:
    return {key.lower(): value for key, value in headers.items()}


#: An absolute URL's scheme and host (if any: "://" with no "/" before it), then the path up to
#: "?" or "#", then the query up to "#"; one pass in C, as it runs on every request.
_URL = re.compile(r"(?:[^/]*?://[^/?#]*)?([^?#]*)\??([^#]*)")


def _upper(method: str) -> str:
    return method.upper()


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
    body: str = ""

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
        text = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
        return cls(method, path or "/", query, headers or {}, text)

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
    """A response body as JSON text.

    >>> encode({"id": "cus_1", "object": "customer"})
    '{"id":"cus_1","object":"customer"}'
    """
    if _C_ENCODER is None:
        return _ENCODER.encode(body)
    return "".join(_C_ENCODER(body, 0))


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
