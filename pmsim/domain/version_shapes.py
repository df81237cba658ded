"""Objects as an API version shows them: ``to_dict()`` writes the newest shape, and older
versions put back what a gate later removed.

Additive fields are in every version, as at Stripe, so only removals are listed here: one
row per field, with the value older versions show and the gate that removed it.

>>> from pmsim.domain.versions import parse
>>> render({"id": "pi_1", "object": "payment_intent", "amount": 5}, parse("2024-06-20"))
{'id': 'pi_1', 'object': 'payment_intent', 'amount': 5, 'invoice': None}
>>> render({"id": "pi_1", "object": "payment_intent"}, parse("2025-03-31.basil"))
{'id': 'pi_1', 'object': 'payment_intent'}
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from pmsim.domain.versions import PAYMENT_INTENT_INVOICE_REMOVED, ApiVersion, Gate

#: By object type: the fields the newest shape lacks, what older versions show in each, and
#: the gate from which it is gone.
REMOVED: Mapping[str, tuple[tuple[str, Any, Gate], ...]] = MappingProxyType(
    {
        "payment_intent": (("invoice", None, PAYMENT_INTENT_INVOICE_REMOVED),),
        "charge": (("invoice", None, PAYMENT_INTENT_INVOICE_REMOVED),),
    }
)

B = TypeVar("B")

_GATES = tuple(gate for rows in REMOVED.values() for _, _, gate in rows)
#: The oldest version that needs nothing put back: from it on, ``render`` copies nothing.
_NEWEST_SHAPE = max(gate.starts.rank for gate in _GATES)


def render(body: B, version: ApiVersion) -> B:
    """``body`` (a ``to_dict()`` tree: objects, lists, expanded objects, events' data) as
    ``version`` shows it; the body itself is not changed."""
    if version.rank >= _NEWEST_SHAPE:
        return body
    shown: B = _walk(body, version)
    return shown


def _walk(node: Any, version: ApiVersion) -> Any:
    if isinstance(node, list):
        return [_walk(item, version) for item in node]
    if not isinstance(node, dict):
        return node
    shown = {key: _walk(value, version) for key, value in node.items()}
    kind = node.get("object")  # an event's data holds its object under "object"
    for field, value, gate in REMOVED.get(kind, ()) if isinstance(kind, str) else ():
        if not gate.holds(version) and field not in shown:
            shown[field] = value
    return shown
