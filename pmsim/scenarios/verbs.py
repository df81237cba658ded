"""The scenario vocabulary: the verbs a step can name, and the method each one calls.

Which methods are verbs is the literal table ``VERB_NAMES``, one line per verb; a verb's
parameters are read from its method's signature, so they cannot drift from the engine. A new
public engine method is not a verb until it is added to the table, or to ``NOT_VERBS`` with the
reason it is left out (``tests/scenarios/test_verbs.py`` fails until one of the two says so).

>>> VERBS["payment_methods.attach"].positional
('payment_method',)
>>> sorted(VERBS["payment_methods.attach"].keywords)
['customer', 'customer_account']
>>> closest("customers.craete")
['customers.create']
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from attrs import frozen

from pmsim.clock import ManualClock
from pmsim.engine import NAMESPACES, Simulator

#: Every scenario verb, as "namespace.method": the simulator attribute, then its method.
VERB_NAMES: Final[tuple[str, ...]] = (
    "accounts.list",
    "accounts.retrieve",
    "charges.list",
    "charges.list_refunds",
    "charges.retrieve",
    "charges.update",
    "clock.advance",  # the simulator's own clock, not a Stripe resource
    "customers.create",
    "customers.create_source",
    "customers.delete",
    "customers.delete_source",
    "customers.list",
    "customers.list_payment_methods",
    "customers.list_sources",
    "customers.retrieve",
    "customers.retrieve_payment_method",
    "customers.retrieve_source",
    "customers.search",
    "customers.update",
    "customers.update_source",
    "events.list",
    "events.retrieve",
    "mandates.retrieve",
    "payment_intents.cancel",
    "payment_intents.capture",
    "payment_intents.verify_microdeposits",
    "payment_intents.confirm",
    "payment_intents.create",
    "payment_intents.list",
    "payment_intents.retrieve",
    "payment_intents.search",
    "payment_intents.update",
    "payment_methods.attach",
    "payment_methods.create",
    "payment_methods.detach",
    "payment_methods.list",
    "payment_methods.retrieve",
    "payment_methods.update",
    "refunds.cancel",
    "refunds.create",
    "refunds.list",
    "refunds.retrieve",
    "refunds.update",
    "setup_attempts.list",
    "setup_intents.cancel",
    "setup_intents.confirm",
    "setup_intents.create",
    "setup_intents.list",
    "setup_intents.retrieve",
    "setup_intents.update",
    "setup_intents.verify_microdeposits",
    "test_clocks.advance",
    "test_clocks.create",
    "test_clocks.delete",
    "test_clocks.list",
    "test_clocks.retrieve",
    "three_d_secure.complete",
    "webhook_endpoints.create",
    "webhook_endpoints.delete",
    "webhook_endpoints.list",
    "webhook_endpoints.retrieve",
    "webhook_endpoints.update",
)

#: Public methods of the namespaces a step can reach that are deliberately not verbs, each
#: with the reason. A recording passes calls to them through without writing a step.
NOT_VERBS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "clock.now": "reads the simulated time, changing nothing (clock.advance's result shows it)",
        "clock.datetime": "the same read, as a datetime",
        "clock.isoformat": "the same read, as ISO 8601 text",
        "clock.restore": "moves time backwards, which only restoring a snapshot does",
        "webhook_endpoints.receiving": "pmsim's own question for the delivery layer, not Stripe's",
        "webhook_endpoints.delivered": "the delivery layer's note of a 2xx answer, not Stripe's",
    }
)


@frozen
class Verb:
    """One step verb: where it lives on a simulator and the parameters it takes."""

    name: str
    namespace: str  # the simulator attribute: "customers", "clock", ...
    method: str
    positional: tuple[str, ...]  # ids in the URL path in Stripe's API: passed by position
    keywords: frozenset[str]  # everything else
    doc: str = ""
    #: Positional parameters a step may leave out (``accounts.retrieve`` without an id);
    #: they come last, so the ones given keep their places.
    optional: frozenset[str] = frozenset()

    @property
    def required(self) -> tuple[str, ...]:
        """The positional parameters a step must give."""
        return tuple(name for name in self.positional if name not in self.optional)

    @property
    def parameters(self) -> tuple[str, ...]:
        return (*self.positional, *sorted(self.keywords))

    def bound(self, sim: Simulator) -> Callable[..., Any]:
        return getattr(getattr(sim, self.namespace), self.method)  # type: ignore[no-any-return]


#: The class of each namespace a step can name: the engine's, and the simulator's clock.
REACHABLE: Final[Mapping[str, type]] = MappingProxyType({**NAMESPACES, "clock": ManualClock})


def _verb(name: str) -> Verb:
    namespace, _, method = name.partition(".")
    function = getattr(REACHABLE[namespace], method)
    parameters = list(inspect.signature(function).parameters.values())[1:]  # without self
    kinds = inspect.Parameter
    positional = tuple(p.name for p in parameters if p.kind is kinds.POSITIONAL_OR_KEYWORD)
    optional = frozenset(
        p.name for p in parameters if p.name in positional and p.default is not kinds.empty
    )
    keywords = frozenset(p.name for p in parameters if p.kind is kinds.KEYWORD_ONLY)
    if name == "clock.advance":
        # The timedelta argument is left out: YAML has no timedelta; units read better anyway.
        positional, optional = (), frozenset()
    # The first paragraph, whole: its first line alone may stop mid-sentence.
    summary = " ".join((inspect.getdoc(function) or "").split("\n\n")[0].split())
    return Verb(name, namespace, method, positional, keywords, summary, optional)


#: Every verb a scenario step can name, sorted by name.
VERBS: Mapping[str, Verb] = MappingProxyType({name: _verb(name) for name in sorted(VERB_NAMES)})


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
