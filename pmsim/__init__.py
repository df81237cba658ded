"""pmsim: a deterministic, in-memory simulator of Stripe's Customer and PaymentMethod lifecycle.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> cus = sim.customers.create(email="ada@example.com")
>>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
>>> pm.customer == cus.id
True
"""

from __future__ import annotations

import typing

from pmsim.domain.errors import (
    AuthenticationError,
    CardError,
    IdempotencyError,
    InvalidRequestError,
    PermissionDeniedError,
    PmsimUsageError,
    StateFileError,
    StripeError,
)
from pmsim.domain.lifecycle import Action, PMState
from pmsim.engine import Simulator
from pmsim.engine.snapshots import Snapshot
from pmsim.transports import mock_stripe, stripe_client

if typing.TYPE_CHECKING:
    from pmsim.scenarios import ScenarioError, Transcript, load_scenario, record, replay
    from pmsim.transports.webhooks import subscribe

#: The one place the version is written: the build (pyproject.toml) and ``pmsim --version`` read it.
__version__ = "0.1.0"

#: Loaded on first use, so that ``import pmsim`` stays quick for those who never replay.
_SCENARIO_NAMES = ("ScenarioError", "Transcript", "load_scenario", "record", "replay")

__all__ = [
    "Action",
    "AuthenticationError",
    "CardError",
    "IdempotencyError",
    "InvalidRequestError",
    "PMState",
    "PermissionDeniedError",
    "PmsimUsageError",
    "ScenarioError",
    "Simulator",
    "Snapshot",
    "StateFileError",
    "StripeError",
    "Transcript",
    "load_scenario",
    "mock_stripe",
    "record",
    "replay",
    "stripe_client",
    "subscribe",
]


def __getattr__(name: str) -> typing.Any:
    if name == "diagrams":  # pictures of the lifecycle, for notebooks: loaded on first use
        import importlib

        module = importlib.import_module("pmsim.diagrams")
        globals()[name] = module
        return module
    if name in _SCENARIO_NAMES or name == "scenarios":
        import importlib  # not "from pmsim import scenarios": that would come back here

        scenarios = importlib.import_module("pmsim.scenarios")
        value = scenarios if name == "scenarios" else getattr(scenarios, name)
        globals()[name] = value
        return value
    if name == "subscribe":  # webhooks: loaded on first use, like the scenario names
        from pmsim.transports.webhooks import subscribe

        globals()[name] = subscribe
        return subscribe
    raise AttributeError(f"module 'pmsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SCENARIO_NAMES) | {"subscribe", "diagrams"})
