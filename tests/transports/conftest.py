from __future__ import annotations

import pytest
import stripe

import pmsim
from tests.support import refuse_network


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transport test runs with sockets disabled: pmsim must never touch the network."""
    refuse_network(monkeypatch)


@pytest.fixture
def client(sim: pmsim.Simulator) -> stripe.StripeClient:
    return pmsim.stripe_client(sim)
