"""Stripe's form encoding, as stripe-python and curl send it.

Nested hashes are ``a[b][c]=v``; arrays are ``a[0]=v`` (indexed, as stripe-python sends them)
or ``a[]=v`` (as curl users write them); ``""`` is kept, because it means "unset".

>>> decode("card[token]=tok_visa&expand[0]=customer&metadata[order]=")
{'card': {'token': 'tok_visa'}, 'expand': ['customer'], 'metadata': {'order': ''}}
>>> decode("expand[]=a&expand[]=b")
{'expand': ['a', 'b']}
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from pmsim.domain.messages import http

_KEY = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_INDEX = re.compile(r"[0-9]+")  # ASCII digits only: "²".isdigit() is true, but not an index
_SEGMENT = re.compile(r"\[([^\[\]]*)\]")
_HEX_BYTES = {
    high + low: bytes.fromhex(high + low)
    for high in "0123456789abcdefABCDEF"
    for low in "0123456789abcdefABCDEF"
}


#: The deepest nesting a key may have (``a[b][c]`` is 3 levels). Stripe's own parameters nest
#: 5 at most (``payment_method_options[card][mandate_options][...]``); a bound keeps the
#: decoding, and every walk over the decoded tree, far from Python's recursion limit.
MAX_DEPTH = 20


class _Array(dict[str, Any]):
    """A hash being filled from ``a[0]`` / ``a[]`` keys; turned into a list at the end."""


def decode(text: str) -> dict[str, Any]:
    """A form-encoded body or query string as nested dicts and lists of strings."""
    if not text:
        return {}
    root: dict[str, Any] = {}
    arrays = False  # whether any a[0] / a[] was seen: only then is there a list to build
    for raw_key, value in _pairs(text):
        if "[" not in raw_key and "]" not in raw_key:  # most keys: a plain name
            if not raw_key or isinstance(root.get(raw_key), dict):
                raise http.invalid_parameter_name(raw_key)  # empty, or a[b]=1 then a=2
            root[raw_key] = value
            continue
        if _one_level(root, raw_key, value):
            continue
        match = _KEY.fullmatch(raw_key)
        if match is None:
            raise http.invalid_parameter_name(raw_key)
        name, rest = match.groups()
        if rest.count("[") >= MAX_DEPTH:  # counted before anything is split
            raise http.nesting_too_deep(raw_key, MAX_DEPTH)
        segments = [name, *_SEGMENT.findall(rest)]
        arrays |= _insert(root, segments, value, raw_key)
    return _finish(root, "") if arrays else root


def _one_level(root: dict[str, Any], raw_key: str, value: str) -> bool:
    """Put ``a[b]=value`` (a hash one level deep, the commonest nested key: ``card[token]``)
    straight into ``root``; False, leaving it to ``_insert``, for anything else (an array, a
    deeper key, a clash with what is there)."""
    if not raw_key.endswith("]") or raw_key.count("[") != 1 or raw_key.count("]") != 1:
        return False
    name, _, sub = raw_key[:-1].partition("[")
    if not name or not sub or _is_index(sub):
        return False
    child = root.get(name)
    if child is None:
        root[name] = {sub: value}
        return True
    if type(child) is not dict or isinstance(child.get(sub), dict):
        return False
    child[sub] = value
    return True


def _pairs(text: str) -> list[tuple[str, str]]:
    """What ``parse_qsl(text, keep_blank_values=True)`` gives, faster: most keys and values
    need no unquoting at all."""
    pairs = []
    for part in text.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        if "%" in key or "+" in key:
            key = unquote_plus(key)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        pairs.append((key, value))
    return pairs


def unquote_plus(text: str) -> str:
    """``urllib.parse.unquote_plus``, twice as fast for the ASCII text clients send.

    >>> unquote_plus("ada%40example.com+%E2%82%AC")
    'ada@example.com €'
    """
    if "+" in text:
        text = text.replace("+", " ")
    # The escapes clients send most, a nested key's brackets (card%5Btoken%5D) and an email's
    # @, replaced as text: each is always that one character, whatever surrounds it.
    if "%5B" in text or "%5D" in text:
        text = text.replace("%5B", "[").replace("%5D", "]")
    if "%40" in text:
        text = text.replace("%40", "@")
    if "%" not in text:
        return text
    if not text.isascii():
        return unquote(text)
    head, *rest = text.split("%")
    out = [head.encode()]
    for item in rest:
        byte = _HEX_BYTES.get(item[:2])
        if byte is None:
            out.append(b"%" + item.encode())  # not an escape: kept as it is, like urllib
        else:
            out.append(byte)
            out.append(item[2:].encode())
    return b"".join(out).decode("utf-8", "replace")


def _insert(node: dict[str, Any], segments: list[str], value: str, raw_key: str) -> bool:
    """Put ``value`` at ``segments`` under ``node``; whether an array was started."""
    arrays = False
    for position, segment in enumerate(segments):
        last = position == len(segments) - 1
        following = None if last else segments[position + 1]
        if segment == "":
            segment = str(len(node))  # a[] appends
        if last:
            if isinstance(node.get(segment), dict):
                raise http.invalid_parameter_name(raw_key)  # a[b]=1 then a=2
            node[segment] = value
            return arrays
        child = node.get(segment)
        wants_array = following == "" or (following is not None and _is_index(following))
        if child is None:
            child = _Array() if wants_array else {}
            arrays |= wants_array
            node[segment] = child
        elif not isinstance(child, dict):
            raise http.invalid_parameter_name(raw_key)
        node = child
    return arrays


def _is_index(key: str) -> bool:
    return _INDEX.fullmatch(key) is not None


def _finish(value: Any, name: str) -> Any:
    if isinstance(value, _Array):
        # Numeric order without int(): huge indexes would be slow, and are wrong anyway.
        keys = sorted(value, key=lambda k: (not _is_index(k), len(k), k))
        expected = [str(i) for i in range(len(keys))]
        if keys != expected:
            missing = next(e for e, k in zip(expected, keys + [""], strict=False) if e != k)
            raise http.array_keys_not_sequential(name, list(value), missing)
        return [_finish(value[key], f"{name}[{key}]") for key in expected]
    if isinstance(value, dict):
        return {
            key: _finish(item, f"{name}[{key}]" if name else key) for key, item in value.items()
        }
    return value
