"""The server's pmsim-only endpoints, under ``/_pmsim/`` and never under ``/v1``.

Each acts on the simulator of the request's API key. One table maps (method, action) to its
handler, and the 404 for anything else lists the table, so the two cannot disagree.

    POST /_pmsim/reset                                   a fresh simulator for this key
    DELETE /_pmsim/simulator                             forget this key's simulator (memory)
    POST /_pmsim/clock/advance?seconds=N                 (or days, hours, minutes)
    GET  /_pmsim/clock                                   the seed and the simulated time
    POST /_pmsim/three_d_secure/complete?intent=seti_… or pi_…&outcome=succeed|fail
    GET  /_pmsim/webhook_deliveries                      what was posted to the endpoints
    POST /_pmsim/webhook_deliveries/redeliver            post the failed ones again
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Final, cast
from urllib.parse import parse_qsl

from pmsim.api import ApiRequest, ApiResponse
from pmsim.api.session import state_of
from pmsim.domain import errors
from pmsim.engine import Simulator
from pmsim.transports.endpoint_delivery import RETRY_DELAYS, Deliverer
from pmsim.transports.scheduler import Scheduler
from pmsim.transports.webhook_hosts import LOOPBACK_ONLY, HostPolicy
from pmsim.types import ThreeDSecureOutcome

CONTROL_PREFIX = "/_pmsim/"
TIME_UNITS = ("days", "hours", "minutes", "seconds")
HEADERS: Final[Mapping[str, str]] = MappingProxyType({"content-type": "application/json"})


class SimulatorPool:
    """One simulator per API key, made on first use with the server's seed, each with the
    ``Deliverer`` that posts its events to its webhook endpoints. One ``Scheduler`` (a timer
    thread and a few posting threads) serves every key; a reset key's deliveries go with its
    old simulator."""

    def __init__(
        self,
        seed: int,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        hosts: HostPolicy = LOOPBACK_ONLY,
    ) -> None:
        self.seed = seed
        self.retry_delays = retry_delays
        self.hosts = hosts
        self._sims: dict[str, Simulator] = {}
        self.deliverers: dict[str, Deliverer] = {}
        self.scheduler = Scheduler()
        self._lock = threading.Lock()
        self.anonymous = Simulator(seed)  # answers requests whose key is refused

    def get(self, key: str) -> Simulator:
        with self._lock:
            sim = self._sims.get(key)
            return self._fresh(key) if sim is None else sim

    def reset(self, key: str) -> Simulator:
        with self._lock:
            return self._fresh(key)

    def _fresh(self, key: str) -> Simulator:
        old = self.deliverers.pop(key, None)
        if old is not None:
            old.close()
        sim = self._sims[key] = Simulator(self.seed)
        # A server's simulated clock may never move: saved idempotent responses also expire
        # by the wall clock.
        state_of(sim, wall_clock=time.monotonic)
        self.deliverers[key] = Deliverer(
            sim, retry_delays=self.retry_delays, hosts=self.hosts, scheduler=self.scheduler
        )
        return sim

    def deliverer(self, key: str) -> Deliverer:
        self.get(key)
        return self.deliverers[key]

    def drop(self, key: str) -> bool:
        """Forget ``key``'s simulator and its deliveries; whether it had one. The key's next
        request starts a fresh simulator, so a long-lived server need not keep every key."""
        with self._lock:
            known = self._sims.pop(key, None) is not None
            deliverer = self.deliverers.pop(key, None)
        if deliverer is not None:
            deliverer.close()
        return known


Handler = Callable[[SimulatorPool, str, dict[str, str]], ApiResponse]


def _state(sim: Simulator) -> ApiResponse:
    return ApiResponse(200, dict(HEADERS), {"seed": sim.seed, "time": sim.clock.now()})


def _reset(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    return _state(pool.reset(key))


def _drop(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    return ApiResponse(200, dict(HEADERS), {"deleted": pool.drop(key)})


def _clock(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    return _state(pool.get(key))


def _advance(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    sim = pool.get(key)
    try:
        step = timedelta(**{unit: float(fields.get(unit, 0)) for unit in TIME_UNITS})
        sim.clock.advance(step)
    except (ValueError, OverflowError) as err:
        return _usage_error(str(err))
    return _state(sim)


def _three_d_secure(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    sim = pool.get(key)
    if "intent" not in fields:
        return _usage_error(
            "Say which intent: POST /_pmsim/three_d_secure/complete?intent=seti_… (or pi_…)"
        )
    try:
        intent = sim.three_d_secure.complete(
            fields["intent"], outcome=cast(ThreeDSecureOutcome, fields.get("outcome", "succeed"))
        )
    except errors.StripeError as err:
        return ApiResponse(err.http_status, dict(HEADERS), err.to_dict())
    except errors.PmsimUsageError as err:
        return _usage_error(str(err))
    return ApiResponse(200, dict(HEADERS), intent.to_dict())


def _deliveries(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    listing = pool.deliverer(key).listing()
    return ApiResponse(200, dict(HEADERS), {"object": "list", "data": listing[::-1]})


def _redeliver(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    queued = pool.deliverer(key).redeliver()
    return ApiResponse(200, dict(HEADERS), {"redelivering": queued})


#: Every control endpoint: (method, path after the prefix) → handler.
ENDPOINTS: Final[Mapping[tuple[str, str], Handler]] = MappingProxyType(
    {
        ("POST", "reset"): _reset,
        ("DELETE", "simulator"): _drop,
        ("POST", "clock/advance"): _advance,
        ("GET", "clock"): _clock,
        ("POST", "three_d_secure/complete"): _three_d_secure,
        ("GET", "webhook_deliveries"): _deliveries,
        ("POST", "webhook_deliveries/redeliver"): _redeliver,
    }
)


def control(pool: SimulatorPool, key: str, request: ApiRequest) -> ApiResponse:
    """Answer a request under ``/_pmsim/`` for the simulator of ``key``."""
    handler = ENDPOINTS.get((request.method, request.path[len(CONTROL_PREFIX) :]))
    if handler is None:
        known = ", ".join(f"{method} {CONTROL_PREFIX}{path}" for method, path in ENDPOINTS)
        body = {"error": {"type": "invalid_request_error", "message": (
            f"Unknown pmsim control endpoint {request.method} {request.path}. "
            f"Control endpoints: {known}."
        )}}  # fmt: skip
        return ApiResponse(404, dict(HEADERS), body)
    fields = dict(parse_qsl(request.query)) | dict(parse_qsl(request.body))
    return handler(pool, key, fields)


def _usage_error(message: str) -> ApiResponse:
    body = {"error": {"type": "invalid_request_error", "message": message}}
    return ApiResponse(400, dict(HEADERS), body)
