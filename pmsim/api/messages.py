"""The seam's two records: what comes in (``ApiRequest``) and what goes out (``ApiResponse``).

Framework-free: transports build an ``ApiRequest`` from whatever they received and write an
``ApiResponse`` back, and nothing else in pmsim knows about HTTP.

>>> request = ApiRequest.from_wire("get", "https://api.stripe.com/v1/customers?limit=3", {})
>>> request.method, request.path, request.query
('GET', '/v1/customers', 'limit=3')
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen


def _upper(method: str) -> str:
    return method.upper()


def _lower_keys(headers: Mapping[str, str]) -> Mapping[str, str]:
    return {key.lower(): value for key, value in headers.items()}


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
        if not url.startswith("/") and "://" in url:  # absolute: drop the scheme and host
            rest = url[url.index("://") + 3 :]
            ends = [at for at in (rest.find("/"), rest.find("?"), rest.find("#")) if at >= 0]
            url = rest[min(ends) :] if ends else ""
        path, _, query = url.partition("#")[0].partition("?")
        text = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
        return cls(method, path or "/", query, headers or {}, text)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


#: Bodies are trees made by ``to_dict()``, never cyclic, so the encoder skips its cycle check,
#: which costs as much again as the encoding itself; compact, as whitespace helps no client.
_ENCODER = json.JSONEncoder(check_circular=False, separators=(",", ":"))


def encode(body: Mapping[str, Any]) -> str:
    """A response body as JSON text.

    >>> encode({"id": "cus_1", "object": "customer"})
    '{"id":"cus_1","object":"customer"}'
    """
    return _ENCODER.encode(body)


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
