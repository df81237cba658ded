"""Partial matching of what a step expected against what happened, with every difference.

Mappings match when each expected key matches (other keys are ignored), and a key expected
``!absent`` must not be there; lists match item by item and must have the same length;
anything else must be equal. Numbers compare as numbers (``1 == 1.0``) but never as booleans
(``True`` is not ``1``).

>>> mismatches({"email": "a@x.co", "invoice_settings": {"footer": None}},
...            {"email": "b@x.co", "invoice_settings": {"footer": None}, "id": "cus_1"})
[Mismatch(path='email', expected='a@x.co', actual='b@x.co')]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import frozen

from pmsim.scenarios.yaml_source import ABSENT

#: How a missing field, or an expectation that one be missing, is shown and serialised.
ABSENT_TEXT = "<absent>"


@frozen
class Mismatch:
    path: str  # dotted, as references write it: "invoice_settings.default_payment_method"
    expected: Any
    actual: Any

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "expected": _shown(self.expected), "actual": self.actual}


def mismatches(expected: Any, actual: Any, path: str = "") -> list[Mismatch]:
    """Every place where ``actual`` does not match ``expected``; empty when it matches."""
    if isinstance(expected, Mapping):
        if not isinstance(actual, Mapping):
            return [Mismatch(path, expected, actual)]
        found: list[Mismatch] = []
        for key, want in expected.items():
            if want is ABSENT:
                if key in actual:
                    found.append(Mismatch(_join(path, key), ABSENT_TEXT, actual[key]))
            elif key not in actual:
                found.append(Mismatch(_join(path, key), want, ABSENT_TEXT))
            else:
                got = actual[key]
                if isinstance(want, str) and want == got:
                    continue  # the usual case, without building the path
                found.extend(mismatches(want, got, _join(path, key)))
        return found
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list | tuple) or len(actual) != len(expected):
            return [Mismatch(path, list(expected), actual)]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found.extend(mismatches(want, got, _join(path, index)))
        return found
    if _same(expected, actual):
        return []
    return [Mismatch(path, expected, actual)]


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _shown(value: Any) -> Any:
    """``value`` as JSON can hold it, with ``!absent`` markers as text."""
    if value is ABSENT:
        return ABSENT_TEXT
    if isinstance(value, Mapping):
        return {key: _shown(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_shown(item) for item in value]
    return value


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    return bool(expected == actual)
