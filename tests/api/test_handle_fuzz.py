"""``handle`` never raises, whatever a client sends: random methods, paths, queries and bodies.

Each example builds a fresh simulator with a few customers and cards, then sends it one to
three random requests: real route templates with real or random ids, ``/v1/`` junk, arbitrary
unicode with ``%`` escapes; form bodies from real parameter names, bracket soup and raw text;
usually a valid test key, sometimes none, a live key or garbage, sometimes an idempotency key.

For every request: ``handle`` returns (never raises); the status is one Stripe uses here; the
body is a JSON-ready dict; errors carry Stripe's envelope; every response has a request id;
and a request that did not succeed leaves ``sim.snapshot()`` exactly as it was, with one
exception Stripe itself makes: a card declined while confirming a SetupIntent (a 402) is
recorded on the intent, with its ``setup_intent.setup_failed`` event (docs/fidelity.md
"SetupIntents").
"""

from __future__ import annotations

import json
import re
from itertools import cycle
from typing import Any
from urllib.parse import quote

from hypothesis import HealthCheck, event, given
from hypothesis import strategies as st

import pmsim
from pmsim.api import ApiRequest, ApiResponse, handle
from pmsim.api.routes import ROUTES, Route
from tests.support import RETURN_URL, more_examples

SEED = 11
KEY = "sk_test_fuzz"
STATUSES = {200, 400, 401, 402, 403, 404}
ERROR_TYPES = {"invalid_request_error", "card_error", "idempotency_error"}


def populated() -> pmsim.Simulator:
    """Three customers (one deleted), attached cards, a default, a detached and a loose card."""
    sim = pmsim.Simulator(seed=SEED)
    ada = sim.customers.create(email="ada@example.com", name="Ada", metadata={"plan": "pro"})
    bob = sim.customers.create(email="bob@example.com")
    gone = sim.customers.create(name="Gone")
    visa = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    sim.payment_methods.attach("pm_card_mastercard", customer=ada.id)
    sim.customers.update(ada.id, invoice_settings={"default_payment_method": visa.id})
    amex = sim.payment_methods.attach("pm_card_amex", customer=bob.id)
    sim.payment_methods.detach(amex.id)
    sim.payment_methods.attach("pm_card_discover", customer=gone.id)
    sim.customers.delete(gone.id)
    sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    sim.setup_intents.create(customer=bob.id)
    sim.setup_intents.create(
        customer=ada.id, payment_method="pm_card_mastercard", confirm=True, return_url=RETURN_URL
    )
    sim.setup_intents.create(
        customer=bob.id, payment_method="pm_card_authenticationRequired", confirm=True,
        return_url=RETURN_URL,
    )  # fmt: skip
    sim.payment_intents.create(amount=1000, currency="usd", customer=ada.id)
    paid = sim.payment_intents.create(
        amount=2000, currency="eur", customer=ada.id, payment_method=visa.id, confirm=True,
        off_session=True,
    )  # fmt: skip
    sim.refunds.create(payment_intent=paid.id, amount=500)  # a charge with some money left
    sim.payment_intents.create(
        amount=500, currency="usd", payment_method="pm_card_threeDSecure2Required", confirm=True,
        return_url=RETURN_URL,
    )  # fmt: skip
    clock = sim.test_clocks.create(frozen_time=sim.clock.now(), name="Renewals")
    sim.customers.create(test_clock=clock.id, payment_method="pm_card_visa")
    sim.test_clocks.create(frozen_time=sim.clock.now())
    sim.webhook_endpoints.create(url="https://example.com/hook", enabled_events=["*"])
    cara = sim.customers.create(source="tok_visa")
    sim.customers.create_source(cara.id, source="tok_mastercard")
    offline = {"customer_acceptance": {"type": "offline"}}
    sepa = sim.setup_intents.create(
        customer=cara.id, payment_method="pm_sepaDebit_success_de", confirm=True,
        return_url=RETURN_URL, mandate_data=offline,
    ).payment_method  # fmt: skip
    # A debit left processing: its bank answers only if the clock moves.
    sim.payment_intents.create(
        amount=800, currency="eur", customer=cara.id, payment_method=sepa, confirm=True,
        off_session=True,
    )  # fmt: skip
    return sim


_TEMPLATE = populated().snapshot().to_dict()
CUSTOMER_IDS = [c["id"] for c in _TEMPLATE["customers"]]
PM_IDS = [pm["id"] for pm in _TEMPLATE["payment_methods"]]
EVENT_IDS = [e["id"] for e in _TEMPLATE["events"]]
SETI_IDS = [i["id"] for i in _TEMPLATE["setup_intents"]]
PI_IDS = [i["id"] for i in _TEMPLATE["payment_intents"]]
CLOCK_IDS = [c["id"] for c in _TEMPLATE["test_clocks"]]
HOOK_IDS = [hook["id"] for hook in _TEMPLATE["webhook_endpoints"]]
CARD_IDS = [card["id"] for card in _TEMPLATE["sources"]]
CHARGE_IDS = [charge["id"] for charge in _TEMPLATE["charges"]]
REFUND_IDS = [refund["id"] for refund in _TEMPLATE["refunds"]]
MANDATE_IDS = [mandate["id"] for mandate in _TEMPLATE["mandates"]]
ACCOUNT_IDS = [pmsim.Simulator(seed=SEED).accounts.platform_id]
KNOWN_IDS = (
    CUSTOMER_IDS
    + PM_IDS
    + EVENT_IDS
    + SETI_IDS
    + PI_IDS
    + CLOCK_IDS
    + CARD_IDS
    + CHARGE_IDS
    + REFUND_IDS
    + MANDATE_IDS
)
PARAM_NAMES = sorted({name for route in ROUTES for name in route.parameters} | {"expand"})

# --- Pieces -----------------------------------------------------------------------------------

JUNK = st.sampled_from(
    ["%", "%2", "%2F", "%5B", "%5D", "%ZZ", "%00", "%E2%82", "%FF", "/", "//", "..", "?", "#",
     "[", "]", "[]", "][", "&", "=", "+", " ", "\n", "\x00", "\u00b2", "\u0663", "\U0001f4b3"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(JUNK, st.text(max_size=4)), max_size=6).map("".join),
)
VALUES = st.one_of(
    st.sampled_from(KNOWN_IDS),
    st.sampled_from(
        ["", "card", "sepa_debit", "tok_visa", "tok_chargeDeclined", "pm_card_visa", "1", "0",
         "-1", "100", "101", "true", "none", "exempt", "a@b.co", "customer", "data.customer",
         "invoice_settings.default_payment_method", "customer.*", "4242424242424242",
         "4242424242424241", "12", "2030", "123"]
    ),
    st.integers(-(10**20), 10**20).map(str),
    TEXT,
)  # fmt: skip
SEGMENTS = st.one_of(
    st.sampled_from(
        ["", "0", "1", "2", "token", "number", "exp_month", "exp_year", "cvc",
         "default_payment_method", "city", "line1", "country", "name", "email", "address",
         "plan", "gte", "lt", "00", "01", "\u00b2"]
    ),
    TEXT,
)  # fmt: skip
PARAM_KEYS = st.builds(
    lambda name, segments: name + "".join(f"[{s}]" for s in segments),
    st.one_of(st.sampled_from(PARAM_NAMES), TEXT),
    st.lists(SEGMENTS, max_size=3),
)
KEYS = st.one_of(PARAM_KEYS, TEXT)
EXPANDS = st.sampled_from(
    ["customer", "invoice_settings.default_payment_method", "data.customer", "bogus",
     "customer.invoice_settings.default_payment_method", "a.b.c.d.e", "default_source",
     "sources", "data.sources"]
)  # fmt: skip


def pick(draw: st.DrawFn, *weighted: tuple[int, st.SearchStrategy[Any]]) -> Any:
    """Draw from one of the strategies, chosen with the given weights."""
    roll = draw(st.integers(0, sum(weight for weight, _ in weighted) - 1))
    for weight, strategy in weighted:
        if roll < weight:
            return draw(strategy)
        roll -= weight
    raise AssertionError("unreachable")


@st.composite
def ids_for(draw: st.DrawFn, placeholder: str) -> str:
    test_pms = ["pm_card_visa", "pm_card_visa_chargeDeclined"]  # attach makes a new card
    by_name = {
        "customer": CUSTOMER_IDS, "payment_method": PM_IDS + test_pms, "id": EVENT_IDS,
        "intent": SETI_IDS + PI_IDS, "test_clock": CLOCK_IDS, "webhook_endpoint": HOOK_IDS,
        "account": ACCOUNT_IDS, "source": CARD_IDS, "charge": CHARGE_IDS, "refund": REFUND_IDS,
        "mandate": MANDATE_IDS,
    }  # fmt: skip
    known = by_name[placeholder]
    others = KNOWN_IDS + ["pm_card_visa", "pm_card_visa_chargeDeclined", "cus_nope"]
    return pick(draw, (6, st.sampled_from(known)), (1, st.sampled_from(others)), (1, TEXT))


#: Bodies that usually succeed, so a batch also changes state and later requests see it.
GOOD = {
    "customers.create": ["email=z%40example.com&payment_method=pm_card_visa", "name=Z",
                         "metadata[k]=v&invoice_settings[default_payment_method]=pm_card_visa"
                         "&payment_method=pm_card_visa"],
    "customers.create_source": ["source=tok_visa", "source=tok_visa_chargeDeclined"],
    "customers.update_source": ["name=Q&address_zip=1", "exp_month=1&exp_year=2031"],
    "customers.update": [f"invoice_settings[default_payment_method]={PM_IDS[0]}", "name=Y",
                         "source=tok_amex", f"default_source={CARD_IDS[-1]}",
                         "metadata[plan]=", "invoice_settings[default_payment_method]="],
    "payment_methods.create": ["type=card&card[token]=tok_visa",
                               "type=card&card[number]=4242424242424242&card[exp_month]=12"
                               "&card[exp_year]=2030&card[cvc]=123",
                               "type=card&card[token]=tok_visa_chargeDeclined",
                               "type=card&card[number]=4242424242424241&card[exp_month]=12"
                               "&card[exp_year]=2030"],
    "payment_methods.update": ["metadata[a]=b", "billing_details[name]=Q",
                               "card[exp_month]=1&card[exp_year]=2031"],
    "payment_methods.attach": [f"customer={CUSTOMER_IDS[0]}", f"customer={CUSTOMER_IDS[1]}"],
    "customers.list": ["limit=1", "email=ada%40example.com", f"starting_after={CUSTOMER_IDS[1]}"],
    "payment_methods.list": [f"customer={CUSTOMER_IDS[0]}", "type=card&limit=2"],
    "events.list": ["type=customer.*", "types[]=customer.created&types[]=payment_method.attached"],
    "setup_intents.create": [f"customer={CUSTOMER_IDS[0]}&payment_method=pm_card_visa&confirm=true",
                             "payment_method=pm_card_visa_chargeDeclined&confirm=true",
                             "payment_method=pm_card_threeDSecure2Required&confirm=true"],
    "setup_intents.confirm": ["payment_method=pm_card_visa", "",
                              "payment_method=pm_card_visa_chargeDeclined"],
    "setup_intents.update": ["payment_method=pm_card_visa", "metadata[a]=b", "payment_method="],
    "setup_intents.cancel": ["cancellation_reason=abandoned", ""],
    "setup_intents.list": [f"customer={CUSTOMER_IDS[1]}", "limit=1"],
    "payment_intents.create": ["amount=1000&currency=usd&payment_method=pm_card_visa&confirm=true",
                               "amount=50&currency=usd&payment_method=pm_card_chargeCustomerFail"
                               "&confirm=true", "amount=1&currency=eur",
                               f"amount=700&currency=usd&customer={CUSTOMER_IDS[0]}"
                               "&payment_method=pm_card_visa&setup_future_usage=off_session"
                               "&confirm=true"],
    "payment_intents.confirm": ["payment_method=pm_card_visa", "",
                                "payment_method=pm_card_visa_chargeDeclined&off_session=true"],
    "payment_intents.update": ["amount=3000", "payment_method=pm_card_visa", "currency=gbp"],
    "payment_intents.cancel": ["cancellation_reason=duplicate", ""],
    "payment_intents.list": [f"customer={CUSTOMER_IDS[0]}", "limit=1"],
    "test_clocks.create": ["frozen_time=1704067200&name=n", "frozen_time=x"],
    "test_clocks.advance": ["frozen_time=1704153600", "frozen_time=1"],
    "webhook_endpoints.create": ["url=https%3A%2F%2Fexample.com%2Fh&enabled_events[]=*",
                                 "url=x&enabled_events[]=*"],
    "webhook_endpoints.update": ["disabled=true", "enabled_events[0]=customer.created"],
}  # fmt: skip


@st.composite
def pairs_text(draw: st.DrawFn, pairs: list[tuple[str, str]]) -> str:
    if draw(st.booleans()):
        return "&".join(f"{quote(k, safe='[]')}={quote(v, safe='')}" for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in pairs)  # raw: whatever the characters are


@st.composite
def forms(draw: st.DrawFn, route: Route | None) -> str:
    """A form body or query string: one that fits the route, random pairs, or any text."""
    parts: list[str] = []
    if route is not None and draw(st.booleans()):
        good = GOOD.get(f"{route.namespace}.{route.operation}")
        if good:
            parts.append(draw(st.sampled_from(good)))
    if route is not None and route.parameters and draw(st.booleans()):
        names = st.sampled_from(sorted(route.parameters))
        parts.append(draw(pairs_text(draw(st.lists(st.tuples(names, VALUES), max_size=2)))))
    if draw(st.integers(0, 3)) == 0:
        expands = draw(st.lists(EXPANDS, min_size=1, max_size=2))
        parts.append("&".join(f"expand[]={e}" for e in expands))
    noise = pick(
        draw,
        (5, st.just("")),
        (2, st.lists(st.tuples(KEYS, VALUES), max_size=4).flatmap(pairs_text)),
        (1, TEXT),
    )
    parts.append(noise)
    return "&".join(part for part in parts if part)


@st.composite
def paths(draw: st.DrawFn, route: Route | None) -> str:
    if route is None:
        return pick(draw, (1, TEXT.map(lambda junk: "/v1/" + junk)), (1, TEXT))
    pieces = re.split(r"\{([a-z_]+)\}", route.template)
    return "".join(
        draw(ids_for(piece)) if odd else piece for odd, piece in zip(cycle((0, 1)), pieces)
    )


GOOD_AUTH = {"Authorization": f"Bearer {KEY}"}
BAD_AUTH = st.one_of(
    st.sampled_from(
        [{}, {"Authorization": "Bearer sk_live_123456789012"},
         {"Authorization": "Basic c2tfdGVzdF9mdXp6Og=="}, {"Authorization": "Bearer pk_test_x"}]
    ),
    TEXT.map(lambda t: {"Authorization": t}),
    TEXT.map(lambda t: {"Authorization": f"Basic {t}"}),
)  # fmt: skip
OTHER_METHODS = st.sampled_from(
    ["GET", "POST", "DELETE", "PUT", "PATCH", "get", "post", "Delete", "HEAD", ""]
)


@st.composite
def requests(draw: st.DrawFn) -> ApiRequest:
    route = pick(draw, (8, st.sampled_from(ROUTES)), (2, st.none()))
    method = route.method if route is not None and draw(st.integers(0, 4)) else draw(OTHER_METHODS)
    headers: dict[str, str] = pick(draw, (9, st.just(GOOD_AUTH)), (1, BAD_AUTH))
    headers = dict(headers)
    if draw(st.integers(0, 3)) == 0:
        headers["Idempotency-Key"] = draw(st.sampled_from(["k1", "k2", ""]))
    if draw(st.integers(0, 7)) == 0:
        headers["Stripe-Version"] = draw(TEXT)
    if draw(st.integers(0, 7)) == 0:  # the platform's own account, another, or anything
        headers["Stripe-Account"] = draw(st.sampled_from([*ACCOUNT_IDS, "acct_1Other"]) | TEXT)
    form = draw(forms(route))
    other = pick(draw, (3, st.just("")), (1, forms(route)))
    query, body = (form, other) if method.upper() in ("GET", "DELETE") else (other, form)
    return ApiRequest(method, draw(paths(route)), query=query, headers=headers, body=body)


def check(response: ApiResponse) -> None:
    assert isinstance(response, ApiResponse)
    assert response.status in STATUSES, (response.status, response.body)
    assert isinstance(response.body, dict)
    json.dumps(response.body)
    request_id = response.headers["request-id"]
    assert isinstance(request_id, str) and request_id.startswith("req_")
    assert response.headers["content-type"] == "application/json"
    if response.status != 200:
        error = response.body["error"]
        assert isinstance(error, dict), response.body
        assert isinstance(error.get("type"), str) and error["type"] in ERROR_TYPES, error
        assert isinstance(error.get("message"), str) and error["message"], error
    if response.status == 401:
        assert response.body["error"]["type"] == "invalid_request_error"
    if response.status == 402:
        assert response.body["error"]["type"] == "card_error"


@more_examples(3, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(requests(), min_size=1, max_size=3))
def test_handle_never_raises_and_failures_change_nothing(batch: list[ApiRequest]) -> None:
    sim = populated()
    for request in batch:
        before = sim.snapshot()
        response = handle(sim, request)
        check(response)
        event(f"status {response.status}")
        # A retry with the same idempotency key replays the saved decline: nothing runs again.
        replayed = response.headers.get("idempotent-replayed") == "true"
        if response.status == 402 and request.path.startswith(INTENT_PATHS) and not replayed:
            recorded_decline(before.to_dict(), sim.snapshot().to_dict(), response.body)
        elif response.status != 200:
            assert sim.snapshot() == before, (request, response.status, response.body)


INTENT_PATHS = ("/v1/setup_intents", "/v1/payment_intents")
#: For each kind of intent: its error field, and the events a declined confirmation may emit.
DECLINES = {
    "setup_intent": ("last_setup_error", ["setup_intent.created", "setup_intent.setup_failed"]),
    "payment_intent": (
        "last_payment_error", ["payment_intent.created", "payment_intent.payment_failed"],
    ),
}  # fmt: skip


def recorded_decline(before: dict[str, Any], after: dict[str, Any], body: Any) -> None:
    """What a declined confirmation may change: its intent (now requires_payment_method), the
    card made from a test id, and the intent's events; customers never."""
    assert after["customers"] == before["customers"]
    kind = "setup_intent" if "setup_intent" in body["error"] else "payment_intent"
    error_field, event_types = DECLINES[kind]
    intent = body["error"][kind]
    assert intent["status"] == "requires_payment_method" and intent[error_field]
    assert intent in after[kind + "s"]
    new_events = after["events"][len(before["events"]) :]
    assert after["events"][: len(before["events"])] == before["events"]
    assert {e["type"] for e in new_events} <= set(event_types)
    assert new_events[-1]["type"] == event_types[-1]
    old_cards = {pm["id"]: pm for pm in before["payment_methods"]}
    assert all(old_cards.get(pm["id"], pm) == pm for pm in after["payment_methods"])


def test_the_template_simulator_is_deterministic() -> None:
    """The strategies draw ids from one build; every example's fresh build must match it."""
    assert populated().snapshot().to_dict() == _TEMPLATE
    assert len(CUSTOMER_IDS) == 5 and len(PM_IDS) == 10 and len(SETI_IDS) == 4
    assert len(CARD_IDS) == 2
    assert len(CLOCK_IDS) == 2
    assert len(PI_IDS) == 4 and len(MANDATE_IDS) == 1
