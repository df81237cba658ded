"""Saved idempotent responses are bounded: at most ``cap`` per simulator, oldest forgotten
first, and in the server they also expire after 24 hours of wall time, even when the
simulated clock never moves."""

from __future__ import annotations

import pmsim
from pmsim.api import ApiRequest, ApiResponse, handle
from pmsim.api.session import IDEMPOTENCY_TTL, MAX_SAVED, state_of


def create(sim: pmsim.Simulator, key: str) -> ApiResponse:
    headers = {"Authorization": "Bearer sk_test_limits", "Idempotency-Key": key}
    return handle(sim, ApiRequest("POST", "/v1/customers", headers=headers, body="name=Ada"))


def test_past_the_cap_the_oldest_key_is_forgotten() -> None:
    sim = pmsim.Simulator()
    state_of(sim).cap = 3
    first = create(sim, "k0").body["id"]
    for n in range(1, 5):
        create(sim, f"k{n}")
    assert list(state_of(sim).idempotent) == ["k2", "k3", "k4"]
    assert create(sim, "k4").headers.get("idempotent-replayed") == "true"
    assert create(sim, "k0").body["id"] != first  # forgotten: it runs again


def test_the_default_cap_is_documented_and_large() -> None:
    assert MAX_SAVED == state_of(pmsim.Simulator()).cap == 10_000


def test_in_the_server_keys_expire_by_wall_time_too() -> None:
    sim = pmsim.Simulator()
    wall = [1_000.0]
    state_of(sim, wall_clock=lambda: wall[0])
    first = create(sim, "daily").body["id"]
    wall[0] += IDEMPOTENCY_TTL - 1
    assert create(sim, "daily").body["id"] == first
    wall[0] += 1
    assert create(sim, "daily").body["id"] != first  # a day later, the simulated clock unmoved
    assert len(state_of(sim).idempotent) == 1


def test_forks_keep_the_limits() -> None:
    sim = pmsim.Simulator()
    state = state_of(sim, wall_clock=lambda: 5.0)
    state.cap = 7
    copy = state_of(sim.fork())
    assert (copy.cap, copy.wall_clock) == (7, state.wall_clock)
