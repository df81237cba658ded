"""The live dashboard of ``pmsim serve``: a page at ``/_pmsim/`` that shows what one API key's
simulator holds, refreshed as calls arrive.

The page itself (``dashboard_files/``: plain HTML, CSS and JavaScript, no build step, nothing
fetched from elsewhere) holds no data, so it is served without a key. It asks for the key on
the page or reads it from the URL's fragment (``/_pmsim/#key=sk_test_...``, which browsers
never send), and then reads only through control endpoints that need the key like any other
(``control.py``): ``GET /_pmsim/dashboard/state``, the JSON view below, and
``GET /_pmsim/dashboard/diagram?machine=payment_method``, a lifecycle picture drawn from the
transition tables. Everything in the view is capped, so it stays small however big the
simulator grows.

The server notes the last refused ``/v1`` call of each key (:func:`note`), with its teaching
hint, on the simulator, where the view finds it; it is forgotten with the simulator.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> ada = sim.customers.create(email="ada@example.com")
>>> view = state_view(sim, deliveries=[])
>>> view["customers"][0]["email"], view["last_refusal"]
('ada@example.com', None)
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Final

from pmsim.api import ApiRequest, ApiResponse
from pmsim.diagrams import MACHINES, render
from pmsim.display.simulator import (
    SHOWN_CUSTOMERS,
    SHOWN_PER_CUSTOMER,
    SHOWN_UNOWNED,
    attached_pms,
    unowned_pms,
)
from pmsim.domain.models import PaymentMethod
from pmsim.engine import Simulator

#: The page's files, by the path after ``/_pmsim/``: (file, content type).
FILES: Final = {
    "": ("index.html", "text/html; charset=utf-8"),
    "dashboard/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "dashboard/style.css": ("style.css", "text/css; charset=utf-8"),
}
#: The page may load only its own files and call only this server. The SVG pictures come
#: inline and style themselves with attributes, so no inline style or script is allowed;
#: ``data:`` is the empty icon that spares the browser a request for /favicon.ico.
POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SHOWN_INTENTS: Final = 20
SHOWN_EVENTS: Final = 50
SHOWN_DELIVERIES: Final = 50
_EXTENSION = "pmsim.transports.dashboard"


def page(request: ApiRequest) -> ApiResponse | None:
    """The page's file that ``request`` asks for (``GET /_pmsim/`` and its two files), or
    None when it asks for something else."""
    if request.method != "GET":
        return None
    path = request.path
    if path == "/_pmsim":
        path = "/_pmsim/"
    found = FILES.get(path[len("/_pmsim/") :]) if path.startswith("/_pmsim/") else None
    if found is None:
        return None
    name, kind = found
    headers = {
        "content-type": kind,
        "cache-control": "no-store",
        "content-security-policy": POLICY,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
    }
    return ApiResponse(200, headers, {}, text=_read(name))


@cache
def _read(name: str) -> str:
    return (resources.files("pmsim.transports") / "dashboard_files" / name).read_text("utf-8")


class LastRefusal:
    """The last refused ``/v1`` call of one key: method, path, status, Stripe's error and
    pmsim's hint. About the simulator's life, so snapshots leave it out."""

    def __init__(self) -> None:
        self.seen: dict[str, Any] | None = None

    def copy(self) -> LastRefusal:  # the extension protocol's; never called with rewinds=False
        return self


def note(sim: Simulator, request: ApiRequest, response: ApiResponse) -> None:
    """Keep ``response`` as ``sim``'s last refused call when it refuses (a 4xx)."""
    if not 400 <= response.status < 500:
        return
    error = response.body.get("error") if isinstance(response.body, dict) else None
    last = sim.extension(_EXTENSION, LastRefusal, rewinds=False)
    last.seen = {
        "method": request.method,
        "path": request.path[:200],
        "status": response.status,
        "error": error,
        "hint": response.headers.get("pmsim-hint"),
        "time": sim.clock.now(),
    }


def state_view(sim: Simulator, deliveries: list[dict[str, Any]]) -> dict[str, Any]:
    """What the page shows: customers (newest first) with their payment methods, the payment
    methods of nobody by lifecycle state, the intents, the events newest first, the webhook
    deliveries (newest first) and the last refused call."""
    state = sim.snapshot()
    newest = state.customers[max(0, len(state.customers) - SHOWN_CUSTOMERS) :][::-1]
    owned = attached_pms(state.payment_methods, {customer.id for customer in newest})
    return {
        "seed": state.seed,
        "time": state.time,
        "api_version": str(sim.api_version),
        "counts": {
            "customers": len(state.customers),
            "payment_methods": len(state.payment_methods),
            "setup_intents": len(state.setup_intents),
            "payment_intents": len(state.payment_intents),
            "events": len(state.events),
        },  # fmt: skip
        "customers": [
            {
                "id": customer.id,
                "email": customer.email,
                "name": customer.name,
                "deleted": customer.deleted,
                "default_payment_method": customer.invoice_settings.default_payment_method,
                "payment_methods": [
                    _pm(pm) for pm in owned.get(customer.id, [])[:SHOWN_PER_CUSTOMER]
                ],
            }  # fmt: skip
            for customer in newest
        ],
        "unowned": [_pm(pm) for pm in unowned_pms(state.payment_methods, SHOWN_UNOWNED)],
        "setup_intents": [_intent(i) for i in state.setup_intents[-SHOWN_INTENTS:][::-1]],
        "payment_intents": [_intent(i) for i in state.payment_intents[-SHOWN_INTENTS:][::-1]],
        "events": [event.to_dict() for event in state.events[-SHOWN_EVENTS:][::-1]],
        "deliveries": deliveries[::-1][:SHOWN_DELIVERIES],
        "last_refusal": sim.extension(_EXTENSION, LastRefusal, rewinds=False).seen,
    }


def _pm(pm: PaymentMethod) -> dict[str, Any]:
    return {"id": pm.id, "type": pm.type, "label": pm.details.label, "state": pm.state.value,
            "customer": pm.customer}  # fmt: skip


def _intent(intent: Any) -> dict[str, Any]:
    shown = intent.to_dict()
    return {key: shown.get(key) for key in ("id", "object", "status", "customer",
                                            "payment_method", "amount", "currency")}  # fmt: skip


def diagram_view(machine: str) -> dict[str, Any] | None:
    """The lifecycle picture of ``machine`` as SVG text (None: no such machine)."""
    if machine not in MACHINES:
        return None
    return {"machine": machine, "svg": render(machine, "svg")}
