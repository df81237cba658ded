"""The calls a recording writes down: what ``pmsim.record`` collects and the writer turns
into YAML, and the names each result gets in the scenario.

>>> call = Call("customers.create", {}, {"id": "cus_1", "object": "customer"}, None, ())
>>> list(names_for([call]))
[(0, 'customer_1', 'cus_1')]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from attrs import frozen

#: The error type of a call that raised something other than a Stripe or usage error.
CRASH = "python_exception"
#: The stem of the name each kind of result gets in a written scenario (``card_1``, ...).
NAME_STEMS = {
    "customer": "customer",
    "payment_method": "card",
    "setup_intent": "setup",
    "payment_intent": "payment",
    "test_helpers.test_clock": "clock",
    "webhook_endpoint": "endpoint",
    "event": "event",
}


@frozen
class Call:
    """One recorded call: its operation, parameters and what came of it."""

    op: str
    params: Mapping[str, Any]
    result: Any
    error: Mapping[str, Any] | None
    events: tuple[Mapping[str, Any], ...]
    #: The error's teaching hint and the event it is about; the transcript names its step.
    hint: tuple[str, str | None] | None = None


def names_for(calls: Sequence[Call]) -> Iterator[tuple[int, str, str]]:
    """(step index, name, id) for every result with an id, the first step that gave it."""
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for index, call in enumerate(calls):
        result = call.result
        if not isinstance(result, Mapping) or not isinstance(result.get("id"), str):
            continue
        if result["id"] in seen or result.get("object") not in NAME_STEMS:
            continue
        seen.add(result["id"])
        stem = NAME_STEMS[str(result["object"])]
        counts[stem] = counts.get(stem, 0) + 1
        yield index, f"{stem}_{counts[stem]}", result["id"]
