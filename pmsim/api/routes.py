"""Every simulated endpoint, as one literal table.

A route names the simulator namespace and operation it calls; path parameters are passed
positionally, and the accepted body or query parameters are the operation's own keyword
parameters (plus ``expand``), so the table and the engine cannot disagree.

>>> match("POST", "/v1/payment_methods/pm_123/attach")  # doctest: +ELLIPSIS
(Route(method='POST', template='/v1/payment_methods/{payment_method}/attach', ...), ('pm_123',))
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from functools import cached_property
from typing import Any, Final

from attrs import define, field

from pmsim.engine import NAMESPACES


@define(frozen=True)
class Route:
    method: str
    template: str
    namespace: str
    operation: str
    returns: str  # the object type answered, for checking expand before anything runs
    many: bool = False  # a list of them
    _pattern: re.Pattern[str] = field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        regex = re.sub(r"\{[a-z_]+\}", "([^/]+)", self.template)
        object.__setattr__(self, "_pattern", re.compile(f"^{regex}$"))

    @property
    def label(self) -> str:
        return f"{self.method} {self.template}"

    def path_values(self, path: str) -> tuple[str, ...] | None:
        found = self._pattern.match(path)
        return None if found is None else found.groups()

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
    # Before /v1/customers/{customer}, which would take "search" for an id: earlier wins.
    _R("GET", "/v1/customers/search", "customers", "search", "customer", many=True),
    _R("GET", "/v1/customers/{customer}", "customers", "retrieve", "customer"),
    _R("POST", "/v1/customers/{customer}", "customers", "update", "customer"),
    _R("DELETE", "/v1/customers/{customer}", "customers", "delete", "deleted_customer"),
    _R("GET", "/v1/customers/{customer}/payment_methods", "customers", "list_payment_methods",
       "payment_method", many=True),
    _R("GET", "/v1/customers/{customer}/payment_methods/{payment_method}", "customers",
       "retrieve_payment_method", "payment_method"),
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
    _R("GET", "/v1/setup_intents/{intent}", "setup_intents", "retrieve", "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}", "setup_intents", "update", "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}/confirm", "setup_intents", "confirm",
       "setup_intent"),
    _R("POST", "/v1/setup_intents/{intent}/cancel", "setup_intents", "cancel", "setup_intent"),
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
    _R("GET", "/v1/events", "events", "list", "event", many=True),
    _R("GET", "/v1/events/{id}", "events", "retrieve", "event"),
)  # fmt: skip


def _one_pattern(routes: tuple[Route, ...]) -> re.Pattern[str]:
    """One regular expression for all of a method's routes, a named group for each, so a
    path is matched in one pass in C rather than route by route."""
    return re.compile(
        "|".join(
            f"(?P<r{index}>{route._pattern.pattern.strip('^$')})"
            for index, route in enumerate(routes)
        )
    )


_BY_METHOD: Final[dict[str, tuple[tuple[Route, ...], re.Pattern[str]]]] = {
    method: (found, _one_pattern(found))
    for method in sorted({route.method for route in ROUTES})
    for found in [tuple(route for route in ROUTES if route.method == method)]
}


def match(method: str, path: str) -> tuple[Route, tuple[str, ...]] | None:
    """The route for this request and its path values, or None if pmsim does not serve it."""
    entry = _BY_METHOD.get(method)
    if entry is None:
        return None
    routes, pattern = entry
    found = pattern.fullmatch(path)
    if found is None or found.lastgroup is None:
        return None
    route = routes[int(found.lastgroup[1:])]
    values = route.path_values(path)  # the route's own groups, in its own numbering
    return None if values is None else (route, values)
