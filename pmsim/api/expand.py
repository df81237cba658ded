"""``expand[]``: ids in a response become the objects they name.

Paths use dots (``invoice_settings.default_payment_method``), lists take a ``data.`` prefix,
and expansions nest up to four levels. What can be expanded is a table per object type.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> cus = sim.customers.create(payment_method="pm_card_visa")
>>> pm = sim.customers.list_payment_methods(cus.id).data[0]
>>> expand(sim, pm.to_dict(), ["customer"])["customer"]["object"]
'customer'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final

from pmsim.domain.errors import PmsimUsageError
from pmsim.domain.messages import http
from pmsim.engine import Simulator

MAX_DEPTH = 4
#: The pages of many objects, whose expansions take a ``data.`` prefix.
PAGES: Final = ("list", "search_result")
#: A search result's count, the one expansion that is not an id: Stripe leaves it out unless
#: asked (https://docs.stripe.com/api/pagination/search).
TOTAL_COUNT: Final = "total_count"

Fetch = Callable[[Simulator, str], dict[str, Any]]

#: How to fetch each kind of object an id can name.
FETCH: Final[dict[str, Fetch]] = {
    "customer": lambda sim, key: sim.customers.retrieve(key).to_dict(),
    "payment_method": lambda sim, key: sim.payment_methods.retrieve(key).to_dict(),
    "test_clock": lambda sim, key: sim.test_clocks.retrieve(key).to_dict(),
    "payment_intent": lambda sim, key: sim.payment_intents.retrieve(key).to_dict(),
    "charge": lambda sim, key: sim.charges.retrieve(key).to_dict(),
    "mandate": lambda sim, key: sim.mandates.retrieve(key).to_dict(),
    # Objects pmsim never makes, so their fields are always null, and expanding null gives
    # null as at Stripe (dj-stripe asks for a charge's balance_transaction); never fetched.
    "unsimulated": lambda sim, key: _never_made(key),
}


def _never_made(key: str) -> dict[str, Any]:
    raise PmsimUsageError(f"pmsim does not simulate the object {key} names, so cannot expand it")


#: Fields fetched through the object that holds them (its id first): a customer's legacy
#: cards are found through the customer, and ``sources`` is absent until expanded.
Owned = Callable[[Simulator, str, Any], Any]
OWNED: Final[dict[str, dict[str, Owned]]] = {
    "customer": {
        "default_source": lambda sim, cus, card: (
            None if card is None else sim.customers.retrieve_source(cus, card).to_dict()
        ),
        "sources": lambda sim, cus, _: sim.customers.list_sources(cus).to_dict(),
    },
}

#: For each object type, the fields that hold an id, and the type of object the id names.
EXPANDABLE: Final[dict[str, dict[str, str]]] = {
    "customer": {
        "invoice_settings.default_payment_method": "payment_method",
        "test_clock": "test_clock",
        "default_source": "card",
        "sources": "card_list",
    },
    "card": {"customer": "customer"},
    "card_list": {"data.customer": "customer"},
    "payment_method": {"customer": "customer"},
    "setup_intent": {
        "customer": "customer",
        "payment_method": "payment_method",
        "mandate": "mandate",
    },
    "mandate": {"payment_method": "payment_method"},
    "payment_intent": {
        "customer": "customer",
        "payment_method": "payment_method",
        "latest_charge": "charge",
        "invoice": "unsimulated",
        "review": "unsimulated",
    },
    "refund": {"charge": "charge", "payment_intent": "payment_intent"},
    "charge": {
        "customer": "customer",
        "payment_intent": "payment_intent",
        "payment_method": "payment_method",
        "balance_transaction": "unsimulated",
        "failure_balance_transaction": "unsimulated",
        "invoice": "unsimulated",
        "review": "unsimulated",
    },
}


def check(returns: str, many: bool, paths: Sequence[str], *, counted: bool = False) -> None:
    """Refuse paths that cannot be expanded on this kind of result, before anything runs;
    ``counted``: a search result, which also takes ``total_count``."""
    for path in paths:
        if counted and path == TOTAL_COUNT:
            continue
        parts = path.split(".")
        if many:
            if parts[0] != "data" or len(parts) < 2:
                raise http.cannot_expand(path)
            parts = parts[1:]
        if len(parts) > MAX_DEPTH:
            raise http.cannot_expand(path)
        kind = returns
        while parts:
            table = EXPANDABLE.get(kind, {})
            length = next((n for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in table), 0)
            if length == 0:
                raise http.cannot_expand(path)
            kind, parts = table[".".join(parts[:length])], parts[length:]


def expand(sim: Simulator, body: dict[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """``body`` with every path in ``paths`` expanded (``body`` itself is not changed)."""
    result = body
    for path in paths:
        parts = path.split(".")
        if len(parts) > MAX_DEPTH + (1 if body.get("object") in PAGES else 0):
            raise http.cannot_expand(path)
        result = _expand(sim, result, parts, path)
    return result


def _expand(sim: Simulator, node: dict[str, Any], parts: list[str], path: str) -> dict[str, Any]:
    if node.get("object") in PAGES:
        if parts[0] != "data" or len(parts) < 2:
            raise http.cannot_expand(path)
        return node | {"data": [_expand(sim, item, parts[1:], path) for item in node["data"]]}
    owned = OWNED.get(str(node.get("object")), {}).get(parts[0])
    if owned is not None:
        if node.get("deleted"):
            return node  # a deleted customer's stub has nothing to expand
        value, rest = node.get(parts[0]), parts[1:]
        if not isinstance(value, dict):
            value = owned(sim, node["id"], value)
        return node | {parts[0]: _expand(sim, value, rest, path) if rest and value else value}
    table = EXPANDABLE.get(str(node.get("object")), {})
    for length in range(len(parts), 0, -1):
        kind = table.get(".".join(parts[:length]))
        if kind is not None:
            field, rest = parts[:length], parts[length:]
            return _replace(node, field, _fetcher(sim, FETCH[kind], rest, path))
    raise http.cannot_expand(path)


def _fetcher(sim: Simulator, fetch: Fetch, rest: list[str], path: str) -> Callable[[Any], Any]:
    return lambda value: _fetched(sim, fetch, value, rest, path)


def _fetched(sim: Simulator, fetch: Fetch, value: Any, rest: list[str], path: str) -> Any:
    if isinstance(value, dict):  # already expanded by an earlier path
        return _expand(sim, value, rest, path) if rest else value
    if value is None:
        return None
    expanded = fetch(sim, value)
    return _expand(sim, expanded, rest, path) if rest else expanded


def _replace(node: dict[str, Any], keys: list[str], change: Callable[[Any], Any]) -> dict[str, Any]:
    head, *tail = keys
    if not tail:
        return node | {head: change(node.get(head))}
    return node | {head: _replace(node.get(head) or {}, tail, change)}
