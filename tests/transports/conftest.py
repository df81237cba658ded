from __future__ import annotations

import os

import pytest
import stripe

import pmsim
from tests.support import refuse_network


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transport test runs with sockets disabled: pmsim must never touch the network."""
    refuse_network(monkeypatch)


#: The API version the tests' client sends instead of the one it pins (``.ci/stripe-versions``
#: runs the transport tests once per version the stripe-python majors pin).
STRIPE_VERSION = os.environ.get("PMSIM_STRIPE_VERSION") or None


@pytest.fixture
def client(sim: pmsim.Simulator) -> stripe.StripeClient:
    if STRIPE_VERSION is None:
        return pmsim.stripe_client(sim)
    return pmsim.stripe_client(sim, stripe_version=STRIPE_VERSION)
