"""The official ``stripe`` package, answered in-process: an ``HTTPClient`` over ``handle``.

Nothing here opens a socket, and retries never fire: every call goes straight to
``pmsim.api.handle`` and its answer goes straight back to stripe-python, which then builds
its own objects and raises its own exceptions (``stripe.CardError`` for a 402, and so on).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import stripe

from pmsim.api import ApiRequest, handle
from pmsim.engine import Simulator

#: A base URL that cannot resolve, so a request that somehow escaped pmsim would fail loudly.
OFFLINE_BASE = "https://pmsim.invalid"


class PmsimHTTPClient(stripe.HTTPClient):
    """A ``stripe.HTTPClient`` whose every request is answered by a simulator.

    >>> import pmsim, stripe
    >>> client = stripe.StripeClient("sk_test_x", http_client=PmsimHTTPClient(pmsim.Simulator()))
    >>> client.v1.customers.create({"email": "ada@example.com"}).email
    'ada@example.com'
    """

    name = "pmsim"

    def __init__(self, sim: Simulator) -> None:
        super().__init__()
        self.sim = sim

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        response = handle(self.sim, ApiRequest.from_wire(method, url, headers, post_data))
        return response.json_text(), response.status, response.headers

    def request_with_retries(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        post_data: Any = None,
        max_network_retries: int | None = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        # No network, so nothing to retry: one request, one answer.
        return self.request(method, url, headers, post_data)

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        body, status, response_headers = self.request(method, url, headers, post_data)
        return body.encode("utf-8"), status, response_headers

    async def request_with_retries_async(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        post_data: Any = None,
        max_network_retries: int | None = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[Any, int, Any]:
        return await self.request_async(method, url, headers, post_data)

    def close(self) -> None:
        """Nothing to close: no connections are ever opened."""

    async def close_async(self) -> None:
        """Nothing to close: no connections are ever opened."""


def stripe_client(
    sim: Simulator, api_key: str = "sk_test_pmsim", **options: Any
) -> stripe.StripeClient:
    """A real ``stripe.StripeClient`` answered by ``sim``, with retries off; ``options``
    (``stripe_version``, ``stripe_account``, ...) go to the client as they are."""
    settings: dict[str, Any] = {
        "http_client": PmsimHTTPClient(sim),
        "base_addresses": {"api": OFFLINE_BASE},
        "max_network_retries": 0,
    }
    return stripe.StripeClient(api_key, **(settings | options))


_GLOBALS = ("api_key", "api_base", "default_http_client", "max_network_retries")


class MockStripe:
    """Routes module-level ``stripe.*`` calls to a simulator; restores the settings after."""

    def __init__(self, sim: Simulator | None, api_key: str) -> None:
        self.sim = sim if sim is not None else Simulator()
        self._api_key = api_key
        self._saved: list[dict[str, Any]] = []

    def __enter__(self) -> Simulator:
        self._saved.append({name: getattr(stripe, name) for name in _GLOBALS})
        stripe.api_key = self._api_key
        stripe.api_base = OFFLINE_BASE
        stripe.default_http_client = PmsimHTTPClient(self.sim)
        stripe.max_network_retries = 0
        return self.sim

    def __exit__(self, *exc_info: object) -> None:
        for name, value in self._saved.pop().items():
            setattr(stripe, name, value)
