"""pmsim: a deterministic, in-memory simulator of Stripe's Customer and PaymentMethod lifecycle.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> cus = sim.customers.create(email="ada@example.com")
>>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
>>> pm.customer == cus.id
True
"""

from __future__ import annotations

from pmsim.domain.errors import (
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PmsimUsageError,
    StripeError,
)
from pmsim.domain.lifecycle import Action, PMState
from pmsim.engine import Simulator
from pmsim.scenarios import ScenarioError, Transcript, load_scenario, record, replay
from pmsim.transports import mock_stripe, stripe_client

__all__ = [
    "Action",
    "AuthenticationError",
    "CardError",
    "IdempotencyError",
    "InvalidRequestError",
    "PMState",
    "PmsimUsageError",
    "ScenarioError",
    "Simulator",
    "StripeError",
    "Transcript",
    "load_scenario",
    "mock_stripe",
    "record",
    "replay",
    "stripe_client",
]
