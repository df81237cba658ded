"""A long-lived server need not keep every key: DELETE /_pmsim/simulator forgets a key's
simulator and its deliveries, and saved idempotent responses expire by the wall clock."""

from __future__ import annotations

import time
import weakref

import pytest

from pmsim.api import ApiRequest, handle
from pmsim.api.session import state_of
from pmsim.transports.control import control
from pmsim.transports.pool import SimulatorPool
from tests.support import cycle_collector_off

AUTH = {"Authorization": "Bearer sk_test_lifetime"}


def test_a_dropped_key_starts_afresh() -> None:
    pool = SimulatorPool(seed=3)
    sim = pool.get("sk_test_lifetime")
    made = handle(sim, ApiRequest("POST", "/v1/customers", headers=AUTH, body="name=Ada"))
    assert made.status == 200
    dropped = control(pool, "sk_test_lifetime", ApiRequest("DELETE", "/_pmsim/simulator"))
    assert (dropped.status, dropped.body) == (200, {"deleted": True})
    assert "sk_test_lifetime" not in pool.deliverers
    fresh = pool.get("sk_test_lifetime")
    assert fresh is not sim
    assert len(fresh.customers.list().data) == 0
    again = control(pool, "sk_test_unknown", ApiRequest("DELETE", "/_pmsim/simulator"))
    assert again.body == {"deleted": False}


def test_a_servers_simulators_expire_idempotency_keys_by_the_wall_clock() -> None:
    pool = SimulatorPool(seed=3)
    assert state_of(pool.get("sk_test_lifetime")).wall_clock is time.monotonic
    assert state_of(pool.reset("sk_test_lifetime")).wall_clock is time.monotonic


def test_a_key_unused_for_the_idle_timeout_is_forgotten() -> None:
    now = [0.0]
    pool = SimulatorPool(seed=3, idle_timeout=60, wall_clock=lambda: now[0])
    kept, idle = pool.get("sk_test_kept"), pool.get("sk_test_idle")
    now[0] = 50
    assert pool.get("sk_test_kept") is kept  # used again: its minute starts over
    now[0] = 70
    assert pool.get("sk_test_kept") is kept
    assert len(pool) == 1 and "sk_test_idle" not in pool.deliverers
    assert pool.get("sk_test_idle") is not idle  # its next request starts afresh
    pool.close()


@pytest.mark.parametrize("later", [False, True], ids=["given", "set later"])
@pytest.mark.parametrize("timeout", [0.5, 2, 60])
def test_a_key_in_steady_use_is_never_forgotten(timeout: float, later: bool) -> None:
    # Uses are noted at most once a second (a quarter of a shorter timeout): never so seldom
    # that a key called more often than its timeout looks idle, even when the timeout is set
    # on a pool already made.
    now = [0.0]
    pool = SimulatorPool(seed=3, idle_timeout=None if later else timeout,
                         wall_clock=lambda: now[0])  # fmt: skip
    if later:
        pool.idle_timeout = timeout
    sim = pool.get("sk_test_busy")
    for step in range(1, 400):
        now[0] = step * timeout * 0.45
        assert pool.get("sk_test_busy") is sim
    now[0] += timeout * 1.01
    assert pool.get("sk_test_other") is not None and len(pool) == 1  # idle at last: forgotten
    pool.close()


def test_keys_are_kept_forever_without_an_idle_timeout() -> None:
    now = [0.0]
    pool = SimulatorPool(seed=3, idle_timeout=None, wall_clock=lambda: now[0])
    sim = pool.get("sk_test_kept")
    now[0] = 10**9
    assert pool.get("sk_test_other") is not sim
    assert pool.get("sk_test_kept") is sim and len(pool) == 2
    pool.close()


def test_a_forgotten_keys_simulator_is_freed_at_once() -> None:
    # Dropped, reset or idle too long: its store goes as the pool lets go of it, by reference
    # counting alone, with no full collection walking every other key's objects.
    now = [0.0]
    pool = SimulatorPool(seed=3, idle_timeout=60, wall_clock=lambda: now[0])
    with cycle_collector_off():
        made = {}
        for key in ("sk_test_dropped", "sk_test_reset", "sk_test_idle"):
            sim = pool.get(key)
            made[key] = weakref.ref(sim.customers.create())
        del sim
        pool.drop("sk_test_dropped")
        pool.reset("sk_test_reset")
        now[0] = 61
        pool.get("sk_test_other")  # sweeps the idle ones
        assert {key: ref() for key, ref in made.items()} == dict.fromkeys(made)
    pool.close()
