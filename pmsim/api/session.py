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

#: Stripe may prune keys after 24 hours; pmsim forgets them then, by the simulated clock.
IDEMPOTENCY_TTL = 24 * 60 * 60


@frozen
class Sent:
    """A POST carrying an idempotency key: where it went and the parameters it sent."""

    path: str
    params: Any
    key: str


@frozen
class Saved:
    """The first response to an idempotency key, with what it was sent to and when."""

    path: str
    params: Any
    response: ApiResponse
    time: int


@define
class ApiState:
    request_ids: IdFactory
    idempotent: dict[str, Saved] = field(factory=dict)

    def lookup(self, key: str, now: int) -> Saved | None:
        """The saved response for ``key``, unless it is over 24 hours old."""
        saved = self.idempotent.get(key)
        if saved is not None and now - saved.time >= IDEMPOTENCY_TTL:
            del self.idempotent[key]
            return None
        return saved

    def save(self, key: str, saved: Saved) -> None:
        """Save, and forget the oldest responses that have expired (they are saved in order)."""
        self.idempotent[key] = saved
        while True:
            oldest = next(iter(self.idempotent.values()))
            if saved.time - oldest.time < IDEMPOTENCY_TTL:
                return
            del self.idempotent[next(iter(self.idempotent))]


def state_of(sim: Simulator) -> ApiState:
    """The simulator's API state, made on first use."""
    with sim._lock:
        state = sim._api_state
        if not isinstance(state, ApiState):
            state = ApiState(IdFactory(sim.seed))
            sim._api_state = state
        return state
