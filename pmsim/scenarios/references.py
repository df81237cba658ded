"""References: ``${ada}`` and ``${ada.invoice_settings.default_payment_method}``.

A step's ``as: ada`` names its result. Later, ``${ada}`` stands for that object's id (as
passing the object does in the Python API) and ``${ada.field.sub}`` for one of its fields;
list items are numbered from 0 (``${cards.data.0.id}``). A reference that is a whole value
gives the value itself (a number stays a number); inside text it gives its text, so messages
can name ids: ``"No such customer: '${ada}'"``. Text that really holds ``${`` writes it
``$${``: ``"$${ada}"`` is the text ``${ada}``.

>>> resolve({"customer": "${ada}"}, {"ada": {"id": "cus_1", "email": "a@example.com"}})
{'customer': 'cus_1'}
>>> resolve("${ada.email} is ${ada}", {"ada": {"id": "cus_1", "email": "a@example.com"}})
'a@example.com is cus_1'
>>> resolve("$${ada}", {}), escape("${ada}")
('${ada}', '$${ada}')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from attrs import frozen

# In text: an escaped "${", a reference, or a "${" that starts nothing valid.
_TOKEN = re.compile(r"(\$\$\{)|\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}|(\$\{)")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPENER = "${"
ESCAPED = "$${"


@frozen
class Reference:
    name: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return "${" + ".".join((self.name, *self.fields)) + "}"


class BadReference(ValueError):
    """A reference that cannot be read or resolved; the message says which and why."""

    path: tuple[str | int, ...] = ()  # where in a step it was found, when known


def split(text: str) -> list[str | Reference]:
    """``text`` as pieces of plain text and references; malformed ones raise BadReference."""
    if OPENER not in text:
        return [text]
    pieces: list[str | Reference] = []
    done = 0
    for token in _TOKEN.finditer(text):
        escaped, dotted, broken = token.groups()
        if broken:
            raise BadReference(
                f"{text!r} has a ${{ that starts no reference: write references as ${{ada}} "
                "or ${ada.invoice_settings.default_payment_method}, and $${ for a ${ that is "
                "just text"
            )
        pieces.append(text[done : token.start()])
        if escaped:
            pieces.append(OPENER)
        else:
            name, *fields = dotted.split(".")
            pieces.append(Reference(name, tuple(fields)))
        done = token.end()
    pieces.append(text[done:])
    return [piece for piece in pieces if piece != ""]


def parse(text: str) -> Reference | None:
    """The reference ``text`` is as a whole value, or None."""
    pieces = split(text)
    return pieces[0] if len(pieces) == 1 and isinstance(pieces[0], Reference) else None


def references(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[Any, Reference]]:
    """Every reference inside ``value``, with the path to it (for error positions)."""
    if isinstance(value, str):
        try:
            pieces = split(value)
        except BadReference as err:
            err.path = path
            raise
        for piece in pieces:
            if isinstance(piece, Reference):
                yield path, piece
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from references(item, (*path, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from references(item, (*path, index))


def resolve(value: Any, names: Mapping[str, Any]) -> Any:
    """``value`` with every reference replaced by what it names (see the module docstring)."""
    if isinstance(value, str):
        pieces = split(value)
        if len(pieces) == 1 and isinstance(pieces[0], Reference):
            return lookup(pieces[0], names)
        return "".join(_text(piece, names) for piece in pieces)
    if isinstance(value, Mapping):
        return {key: resolve(item, names) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(item, names) for item in value]
    return value


def _text(piece: str | Reference, names: Mapping[str, Any]) -> str:
    if isinstance(piece, str):
        return piece
    value = lookup(piece, names)
    if isinstance(value, Mapping | list):
        raise BadReference(f"{piece} is inside text, so it must name text or a number")
    return (
        "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    )


def escape(text: str) -> str:
    """Text as a scenario writes it so that it reads back as itself (``${`` becomes ``$${``)."""
    return text.replace(OPENER, ESCAPED)


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
