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
    _R("GET", "/v1/events", "events", "list", "event", many=True),
    _R("GET", "/v1/events/{id}", "events", "retrieve", "event"),
)  # fmt: skip


_BY_METHOD: Final[dict[str, tuple[Route, ...]]] = {
    method: tuple(route for route in ROUTES if route.method == method)
    for method in {route.method for route in ROUTES}
}


def match(method: str, path: str) -> tuple[Route, tuple[str, ...]] | None:
    """The route for this request and its path values, or None if pmsim does not serve it."""
    for route in _BY_METHOD.get(method, ()):
        values = route.path_values(path)
        if values is not None:
            return route, values
    return None
