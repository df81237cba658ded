"""What the API layer remembers per simulator: request ids and idempotent responses.

It lives on the simulator (``sim._api_state``, which the engine never reads), so each
simulator, and in the server each API key, has its own.
"""

from __future__ import annotations

from typing import Any

from attrs import define, field, frozen

from pmsim.api.messages import ApiResponse
from pmsim.engine import Simulator
from pmsim.ids import IdFactory


@frozen
class Saved:
    """The first response to an idempotency key, with what it was sent to."""

    path: str
    params: Any
    response: ApiResponse


@define
class ApiState:
    request_ids: IdFactory
    idempotent: dict[str, Saved] = field(factory=dict)


def state_of(sim: Simulator) -> ApiState:
    """The simulator's API state, made on first use."""
    with sim._lock:
        state = sim._api_state
        if not isinstance(state, ApiState):
            state = ApiState(IdFactory(sim.seed))
            sim._api_state = state
        return state
