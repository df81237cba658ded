"""Every simulated endpoint, as one literal table, and the rule that tells an id from a word.

A route names the simulator namespace and operation it calls; path parameters are passed
positionally, and the accepted body or query parameters are the operation's own keyword
parameters (plus ``expand``), so the table and the engine cannot disagree.

>>> match("POST", "/v1/payment_methods/pm_123/attach")  # doctest: +ELLIPSIS
(Route(method='POST', template='/v1/payment_methods/{payment_method}/attach', ...), ('pm_123',))

A path segment where an id could stand is not an id when some route under the same resource
uses that segment as a literal word (``search`` in ``/v1/customers/search``): Stripe's ids
never are such words, so ``GET /v1/customers/search`` is never a lookup of customer
"search" (see :data:`WORDS`).

>>> match("POST", "/v1/customers/search") is None
True
"""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import cached_property
from typing import Any, Final

from attrs import frozen

from pmsim.engine import NAMESPACES

_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


# eq=False: routes are the table's singletons, so identity is their equality, and hashing one
# (routes key several tables, looked up on every request) is the C identity hash.
@frozen(eq=False)
class Route:
    method: str
    template: str
    namespace: str
    operation: str
    returns: str  # the object type answered, for checking expand before anything runs
    many: bool = False  # a list of them

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"

    @cached_property
    def placeholders(self) -> tuple[str, ...]:
        """The names of the path's placeholders, in order (``("customer", "payment_method")``)."""
        return tuple(name.strip("{}") for name in _PLACEHOLDER.findall(self.template))

    @property
    def searches(self) -> bool:
        """Answers a ``search_result``, whose ``total_count`` can be expanded."""
        return self.operation == "search"

    @cached_property
    def parameters(self) -> frozenset[str]:
        """The body or query parameters the operation takes (its keyword-only parameters)."""
        function: Callable[..., Any] = getattr(NAMESPACES[self.namespace], self.operation)
        return frozenset(
            name
            for name, parameter in inspect.signature(function).parameters.items()
            if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        )


_R = Route

ROUTES: Final[tuple[Route, ...]] = (
    _R("GET", "/v1/customers", "customers", "list", "customer", many=True),
    _R("POST", "/v1/customers", "customers", "create", "customer"),
    _R("GET", "/v1/customers/search", "customers", "search", "customer", many=True),
    _R("GET", "/v1/customers/{customer}", "customers", "retrieve", "customer"),
    _R("POST", "/v1/customers/{customer}", "customers", "update", "customer"),
    _R("DELETE", "/v1/customers/{customer}", "customers", "delete", "deleted_customer"),
    _R("GET", "/v1/customers/{customer}/payment_methods", "customers", "list_payment_methods",
       "payment_method", many=True),
    _R("GET", "/v1/customers/{customer}/payment_methods/{payment_method}", "customers",
       "retrieve_payment_method", "payment_method"),
    _R("GET", "/v1/customers/{customer}/sources", "customers", "list_sources", "card",
       many=True),
    _R("POST", "/v1/customers/{customer}/sources", "customers", "create_source", "card"),
    _R("GET", "/v1/customers/{customer}/sources/{source}", "customers", "retrieve_source",
       "card"),
    _R("POST", "/v1/customers/{customer}/sources/{source}", "customers", "update_source",
       "card"),
    _R("DELETE", "/v1/customers/{customer}/sources/{source}", "customers", "delete_source",
       "deleted_card"),
    _R("GET", "/v1/payment_methods", "payment_methods", "list", "payment_method", many=True),
    _R("POST", "/v1/payment_methods", "payment_methods", "create", "payment_method"),
    _R("GET", "/v1/payment_methods/{payment_method}", "payment_methods", "retrieve",
       "payment_method"),
    _R("POST", "/v1/payment_methods/{payment_method}", "payment_methods", "update",
       "payment_method"),
    _R("POST", "/v1/payment_methods/{payment_method}/attach", "payment_methods", "attach",
       "payment_method"),
    _R("POST", "/v1/payment_methods/{payment_method}/detach", "payment_methods", "detach",
       "payment_method"),
    _R("GET", "/v1/setup_intents", "setup_intents", "list", "setup_intent", many=True),
    _R("POST", "/v1/setup_intents", "setup_intents", "create", "setup_intent"),
    _R("GET", "/v1/setup_attempts", "setup_attempts", "list", "setup_attempt", many=True),
    _R("GET", "/v1/setup_intents/{intent}", "setup_intents", "retrieve", "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}", "setup_intents", "update", "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}/confirm", "setup_intents", "confirm",
       "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}/cancel", "setup_intents", "cancel", "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}/verify_microdeposits", "setup_intents",
       "verify_microdeposits", "setup_intent"),
    _R("POST", "/v1/payment_intents/{intent}/verify_microdeposits", "payment_intents",
       "verify_microdeposits", "payment_intent"),
    _R("GET", "/v1/payment_intents", "payment_intents", "list", "payment_intent", many=True),
    _R("POST", "/v1/payment_intents", "payment_intents", "create", "payment_intent"),
    _R("GET", "/v1/payment_intents/search", "payment_intents", "search", "payment_intent",
       many=True),
    _R("GET", "/v1/payment_intents/{intent}", "payment_intents", "retrieve", "payment_intent"),
    _R("POST", "/v1/payment_intents/{intent}", "payment_intents", "update", "payment_intent"),
    _R("POST", "/v1/payment_intents/{intent}/confirm", "payment_intents", "confirm",
       "payment_intent"),
    _R("POST", "/v1/payment_intents/{intent}/cancel", "payment_intents", "cancel",
       "payment_intent"),
    _R("POST", "/v1/payment_intents/{intent}/capture", "payment_intents", "capture",
       "payment_intent"),
    _R("GET", "/v1/charges", "charges", "list", "charge", many=True),
    _R("GET", "/v1/charges/{charge}", "charges", "retrieve", "charge"),
    _R("POST", "/v1/charges/{charge}", "charges", "update", "charge"),
    _R("GET", "/v1/charges/{charge}/refunds", "charges", "list_refunds", "refund", many=True),
    _R("GET", "/v1/refunds", "refunds", "list", "refund", many=True),
    _R("POST", "/v1/refunds", "refunds", "create", "refund"),
    _R("GET", "/v1/refunds/{refund}", "refunds", "retrieve", "refund"),
    _R("POST", "/v1/refunds/{refund}", "refunds", "update", "refund"),
    _R("POST", "/v1/refunds/{refund}/cancel", "refunds", "cancel", "refund"),
    _R("GET", "/v1/mandates/{mandate}", "mandates", "retrieve", "mandate"),
    _R("GET", "/v1/test_helpers/test_clocks", "test_clocks", "list", "test_helpers.test_clock",
       many=True),
    _R("POST", "/v1/test_helpers/test_clocks", "test_clocks", "create",
       "test_helpers.test_clock"),
    _R("GET", "/v1/test_helpers/test_clocks/{test_clock}", "test_clocks", "retrieve",
       "test_helpers.test_clock"),
    _R("DELETE", "/v1/test_helpers/test_clocks/{test_clock}", "test_clocks", "delete",
       "deleted_test_helpers.test_clock"),
    _R("POST", "/v1/test_helpers/test_clocks/{test_clock}/advance", "test_clocks", "advance",
       "test_helpers.test_clock"),
    _R("GET", "/v1/webhook_endpoints", "webhook_endpoints", "list", "webhook_endpoint",
       many=True),
    _R("POST", "/v1/webhook_endpoints", "webhook_endpoints", "create", "webhook_endpoint"),
    _R("GET", "/v1/webhook_endpoints/{webhook_endpoint}", "webhook_endpoints", "retrieve",
       "webhook_endpoint"),
    _R("POST", "/v1/webhook_endpoints/{webhook_endpoint}", "webhook_endpoints", "update",
       "webhook_endpoint"),
    _R("DELETE", "/v1/webhook_endpoints/{webhook_endpoint}", "webhook_endpoints", "delete",
       "webhook_endpoint"),
    _R("GET", "/v1/account", "accounts", "retrieve", "account"),
    _R("GET", "/v1/accounts", "accounts", "list", "account", many=True),
    _R("GET", "/v1/accounts/{account}", "accounts", "retrieve", "account"),
    _R("GET", "/v1/events", "events", "list", "event", many=True),
    _R("GET", "/v1/events/{id}", "events", "retrieve", "event"),
)  # fmt: skip


def _shape(template: str) -> tuple[str, ...]:
    """A template's segments, every placeholder written ``{}``."""
    return tuple(_PLACEHOLDER.sub("{}", segment) for segment in template.strip("/").split("/"))


def reserved_words(templates: Iterable[str]) -> Mapping[tuple[str, ...], frozenset[str]]:
    """For each place a path segment can follow (the segments before it, placeholders as
    ``{}``), the literal words the templates put there.

    >>> reserved_words(["/v1/customers/search", "/v1/customers/{customer}"])[("v1", "customers")]
    frozenset({'search'})
    """
    words: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    for template in templates:
        shape = _shape(template)
        for index, segment in enumerate(shape):
            if segment != "{}":
                words[shape[:index]].add(segment)
    return {place: frozenset(found) for place, found in words.items()}


#: The rule that tells an id from a word: a placeholder does not match a literal word that any
#: route puts at the same place, under the same resource. Stripe's ids are never such words,
#: and a word pmsim does not serve with that method must be "Unrecognized request URL", never
#: "No such customer: 'search'".
WORDS: Final = reserved_words([route.template for route in ROUTES])


def _regex(template: str) -> str:
    """The template as a regular expression, one group per placeholder; a placeholder takes
    any segment but the words reserved at its place."""
    shape = _shape(template)
    parts = []
    for index, segment in enumerate(shape):
        if segment != "{}":
            parts.append(re.escape(segment))
            continue
        words = sorted(WORDS.get(shape[:index], ()))
        exclude = f"(?!(?:{'|'.join(map(re.escape, words))})(?:/|$))" if words else ""
        parts.append(f"({exclude}[^/]+)")
    return "/" + "/".join(parts)


def _one_pattern(routes: tuple[Route, ...]) -> re.Pattern[str]:
    """One regular expression for all of a method's routes, a named group for each, so a
    path is matched in one pass in C rather than route by route."""
    return re.compile(
        "|".join(f"(?P<r{index}>{_regex(route.template)})" for index, route in enumerate(routes))
    )


#: A route, and the span of ``groups()`` holding its path values.
Found = tuple[Route, int, int]


def _by_group(routes: tuple[Route, ...], pattern: re.Pattern[str]) -> dict[str, Found]:
    """Each route by its group's name in ``pattern`` (``r3``), with where its path values sit
    in ``groups()``: right after the route's own group (group ``n`` is ``groups()[n - 1]``),
    one per placeholder."""
    found = {}
    for name, number in pattern.groupindex.items():
        route = routes[int(name[1:])]
        found[name] = (route, number, number + len(route.placeholders))
    return found


#: Each method's one expression, and its routes by group name.
_BY_METHOD: Final[dict[str, tuple[re.Pattern[str], dict[str, Found]]]] = {
    method: (pattern, _by_group(found, pattern))
    for method in sorted({route.method for route in ROUTES})
    for found in [tuple(route for route in ROUTES if route.method == method)]
    for pattern in [_one_pattern(found)]
}


def match(method: str, path: str) -> tuple[Route, tuple[str, ...]] | None:
    """The route for this request and its path values, or None if pmsim does not serve it."""
    static = _STATIC.get((method, path))
    if static is not None:
        return static, ()
    return _match(method, path)


def _match(method: str, path: str) -> tuple[Route, tuple[str, ...]] | None:
    entry = _BY_METHOD.get(method)
    if entry is None:
        return None
    pattern, by_group = entry
    found = pattern.fullmatch(path)
    if found is None or found.lastgroup is None:
        return None
    route, first, after = by_group[found.lastgroup]
    return route, found.groups()[first:after]


#: The routes with no id in their path (every create and list), found by a dict lookup: each
#: the route the expressions above would find for it.
_STATIC: Final[dict[tuple[str, str], Route]] = {
    (route.method, route.template): route
    for route in ROUTES
    if "{" not in route.template and _match(route.method, route.template) == (route, ())
}
