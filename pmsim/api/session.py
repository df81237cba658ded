"""What the API layer remembers per simulator: request ids and idempotent responses.

It lives on the simulator as its ``"api"`` extension (``sim.extension``; the engine never
looks inside it), so each simulator, and in the server each API key, has its own, and
snapshots and forks keep a copy.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from attrs import define, field, frozen

from pmsim.api.wire import ApiResponse
from pmsim.engine import Simulator
from pmsim.ids import IdFactory

#: Stripe may prune keys after 24 hours; pmsim forgets them then, by the simulated clock.
IDEMPOTENCY_TTL = 24 * 60 * 60


@frozen
class Saved:
    """The first response to an idempotency key, with what it was sent to and when.

    The body is kept as JSON text only: saved responses pile up for a simulated day, and
    text costs the garbage collector nothing, where nested dicts cost it on every pass.
    """

    path: str
    params: Any
    status: int
    headers: Mapping[str, str]
    text: str
    time: int

    def replay(self, request_id: str) -> ApiResponse:
        """The saved response again, marked as replayed, under this request's id."""
        headers = {**self.headers, "idempotent-replayed": "true", "request-id": request_id}
        return ApiResponse(self.status, headers, json.loads(self.text), self.text)


@define
class ApiState:
    request_ids: IdFactory
    idempotent: dict[str, Saved] = field(factory=dict)

    def copy(self) -> ApiState:
        """An independent copy, for snapshots and forks (saved responses are frozen)."""
        request_ids = IdFactory(self.request_ids.seed)
        request_ids.restore(self.request_ids.checkpoint())
        return ApiState(request_ids, dict(self.idempotent))

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
    return sim.extension("api", lambda: ApiState(IdFactory(sim.seed)))
