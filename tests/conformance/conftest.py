"""The ``backend`` fixture: every conformance test runs on pmsim and, on request, real Stripe.

See ``backends.py`` for what the two backends are and how to run against Stripe.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
import stripe

import pmsim
from tests.conformance.backends import Backend, real_stripe_client
from tests.support import refuse_network


@pytest.fixture(params=["pmsim", "stripe"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    if request.param == "pmsim":
        refuse_network(monkeypatch)
        sim = pmsim.Simulator()
        client = pmsim.stripe_client(sim)

        def with_key(api_key: str) -> stripe.StripeClient:
            return pmsim.stripe_client(sim, api_key=api_key)

    else:
        client = real_stripe_client()

        def with_key(api_key: str) -> stripe.StripeClient:
            return real_stripe_client(api_key)

    backend = Backend(request.param, client, with_key)
    yield backend
    for cus_id in backend.customer_ids:
        # A test may have deleted its own customer already: Stripe then answers 404.
        with contextlib.suppress(stripe.StripeError):
            client.v1.customers.delete(cus_id)
