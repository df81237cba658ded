"""The scenario vocabulary: every operation of the Python API, by the name you call it with.

Built from the engine's own namespaces (``customers.create``, ``payment_methods.attach``, ...)
so that new engine operations become scenario steps with no change here; ``clock.advance``
is added by hand because the clock is not a Stripe resource.

>>> VERBS["payment_methods.attach"].positional
('payment_method',)
>>> sorted(VERBS["payment_methods.attach"].keywords)
['customer']
>>> closest("customers.craete")
['customers.create']
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import frozen

from pmsim.clock import ManualClock
from pmsim.engine import NAMESPACES, Simulator


@frozen
class Verb:
    """One step verb: where it lives on a simulator and the parameters it takes."""

    name: str
    namespace: str  # the simulator attribute: "customers", "clock", ...
    method: str
    positional: tuple[str, ...]  # ids in the URL path in Stripe's API: passed by position
    keywords: frozenset[str]  # everything else
    doc: str = ""

    @property
    def parameters(self) -> tuple[str, ...]:
        return (*self.positional, *sorted(self.keywords))

    def bound(self, sim: Simulator) -> Callable[..., Any]:
        return getattr(getattr(sim, self.namespace), self.method)  # type: ignore[no-any-return]


def _verb(namespace: str, cls: type, method: str) -> Verb:
    function = getattr(cls, method)
    parameters = list(inspect.signature(function).parameters.values())[1:]  # without self
    kinds = inspect.Parameter
    positional = tuple(p.name for p in parameters if p.kind is kinds.POSITIONAL_OR_KEYWORD)
    keywords = frozenset(p.name for p in parameters if p.kind is kinds.KEYWORD_ONLY)
    summary = (inspect.getdoc(function) or "").split("\n")[0]
    return Verb(f"{namespace}.{method}", namespace, method, positional, keywords, summary)


def _clock_advance() -> Verb:
    # The timedelta argument is left out: YAML has no timedelta; units read better anyway.
    found = _verb("clock", ManualClock, "advance")
    return Verb(found.name, "clock", "advance", (), found.keywords, found.doc)


def _table() -> Mapping[str, Verb]:
    found = [
        _verb(namespace, cls, name)
        for namespace, cls in NAMESPACES.items()
        for name, _ in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name != "receiving"  # the delivery layer's question
    ]
    found.append(_clock_advance())
    return MappingProxyType({op.name: op for op in sorted(found, key=lambda op: op.name)})


#: Every operation a scenario step can name, sorted by name.
VERBS: Mapping[str, Verb] = _table()


def closest(word: str, choices: Any = None, count: int = 3) -> list[str]:
    """The valid names nearest to a misspelt one, best first (may be empty)."""
    names = list(VERBS if choices is None else choices)
    scored = sorted(
        ((difflib.SequenceMatcher(None, word, name).ratio(), name) for name in names),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.6:
        return []
    best = scored[0][0]
    # Only the clear winners: "customers.craete" is near "customers.retrieve" too, but nearer
    # "customers.create", and a list of every customers.* name would not help.
    return [name for score, name in scored[:count] if score >= best - 0.05]
