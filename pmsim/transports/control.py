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
    GET  /_pmsim/dashboard/state                         what the dashboard shows (dashboard.py)
    GET  /_pmsim/dashboard/diagram?machine=payment_method   a lifecycle picture, as SVG text
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from types import MappingProxyType
from typing import Final, cast
from urllib.parse import parse_qsl

from pmsim.api import ApiRequest, ApiResponse
from pmsim.domain import errors
from pmsim.engine import Simulator
from pmsim.transports import dashboard
from pmsim.transports.pool import SimulatorPool
from pmsim.types import ThreeDSecureOutcome

CONTROL_PREFIX = "/_pmsim/"
TIME_UNITS = ("days", "hours", "minutes", "seconds")
HEADERS: Final[Mapping[str, str]] = MappingProxyType({"content-type": "application/json"})
#: The dashboard's views hold a key's data and change with every call: never cached.
VIEW_HEADERS: Final[Mapping[str, str]] = MappingProxyType(
    {"content-type": "application/json", "cache-control": "no-store"}
)


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


def _dashboard_state(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    view = dashboard.state_view(pool.get(key), pool.deliverer(key).listing())
    return ApiResponse(200, dict(VIEW_HEADERS), view)


def _dashboard_diagram(pool: SimulatorPool, key: str, fields: dict[str, str]) -> ApiResponse:
    machine = fields.get("machine", "payment_method")
    view = dashboard.diagram_view(machine)
    if view is None:
        return _usage_error(f"No state machine called {machine[:100]!r}.")
    return ApiResponse(200, dict(VIEW_HEADERS), view)


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
        ("GET", "dashboard/state"): _dashboard_state,
        ("GET", "dashboard/diagram"): _dashboard_diagram,
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
