"""References: ``${ada}`` and ``${ada.invoice_settings.default_payment_method}``.

A step's ``as: ada`` names its result. Later, ``${ada}`` stands for that object's id (as
passing the object does in the Python API) and ``${ada.field.sub}`` for one of its fields;
list items are numbered from 0 (``${cards.data.0.id}``). A reference is always a whole value:
``"x${ada}"`` is refused, so that nothing is ever half-substituted.

>>> resolve({"customer": "${ada}"}, {"ada": {"id": "cus_1", "email": "a@example.com"}})
{'customer': 'cus_1'}
>>> resolve("${ada.email}", {"ada": {"id": "cus_1", "email": "a@example.com"}})
'a@example.com'
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen

_WHOLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)\}")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPENER = "${"


@frozen
class Reference:
    name: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return "${" + ".".join((self.name, *self.fields)) + "}"


class BadReference(ValueError):
    """A reference that cannot be read or resolved; the message says which and why."""

    path: tuple[str | int, ...] = ()  # where in a step it was found, when known


def parse(text: str) -> Reference | None:
    """The reference ``text`` is, or None for plain text; malformed ones raise BadReference."""
    if OPENER not in text:
        return None
    found = _WHOLE.fullmatch(text)
    if found is None:
        raise BadReference(
            f"{text!r} is not a reference: write a reference as a whole value, such as "
            "${ada} or ${ada.invoice_settings.default_payment_method}"
        )
    name, rest = found.groups()
    return Reference(name, tuple(rest.split(".")[1:]))


def references(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, Reference]]:
    """Every reference inside ``value``, with the path to it (for error positions)."""
    if isinstance(value, str):
        try:
            found = parse(value)
        except BadReference as err:
            err.path = path
            raise
        if found is not None:
            yield path, found
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from references(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from references(item, (*path, index))


def resolve(value: Any, names: Mapping[str, Any]) -> Any:
    """``value`` with every reference replaced by what it names (see the module docstring)."""
    if isinstance(value, str):
        found = parse(value)
        return value if found is None else lookup(found, names)
    if isinstance(value, Mapping):
        return {key: resolve(item, names) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(item, names) for item in value]
    return value


def lookup(reference: Reference, names: Mapping[str, Any]) -> Any:
    """What one reference names right now."""
    if reference.name not in names:
        raise BadReference(f"{reference} names {reference.name!r}, which has no value yet")
    value = names[reference.name]
    if not reference.fields:
        return value["id"] if isinstance(value, Mapping) and "id" in value else value
    for depth, key in enumerate(reference.fields):
        so_far = "${" + ".".join((reference.name, *reference.fields[:depth])) + "}"
        if isinstance(value, Mapping) and key in value:
            value = value[key]
        elif isinstance(value, list) and key.isdigit() and int(key) < len(value):
            value = value[int(key)]
        else:
            has = f"fields {', '.join(map(str, value))}" if isinstance(value, Mapping) else None
            has = has or (f"{len(value)} items" if isinstance(value, list) else repr(value))
            raise BadReference(f"{reference}: {so_far} has no {key!r} (it has {has})")
    return value
