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

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

# In text: an escaped "${", a reference, or a "${" that starts nothing valid.
_TOKEN = re.compile(r"(\$\$\{)|\$\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\}|(\$\{)")
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OPENER = "${"
ESCAPED = "$${"


class Reference(str):
    """One reference: its text (``"${ada.email}"``, so it equals what the file says) and its
    parts. The loader puts these in place of whole-value references, so replay need not read
    the text again at every step.

    >>> ref = Reference.of("ada", ("email",))
    >>> ref == "${ada.email}", ref.name, ref.fields
    (True, 'ada', ('email',))
    """

    name: str
    fields: tuple[str, ...]

    @classmethod
    def of(cls, name: str, fields: tuple[str, ...]) -> Reference:
        made = cls("${" + ".".join((name, *fields)) + "}")
        made.name, made.fields = name, fields
        return made


class BadReference(ValueError):
    """A reference that cannot be read or resolved; the message says which and why."""

    path: tuple[str | int, ...] = ()  # where in a step it was found, when known


@functools.lru_cache(maxsize=4096)  # a scenario says "${ada}" many times over
def split(text: str) -> tuple[str | Reference, ...]:
    """``text`` as pieces of plain text and references; malformed ones raise BadReference."""
    if OPENER not in text:
        return (text,)
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
            pieces.append(Reference.of(name, tuple(fields)))
        done = token.end()
    pieces.append(text[done:])
    return tuple(piece for piece in pieces if piece != "")


def parse(text: str) -> Reference | None:
    """The reference ``text`` is as a whole value, or None."""
    pieces = split(text)
    return pieces[0] if len(pieces) == 1 and isinstance(pieces[0], Reference) else None


def prepared(value: Any) -> Any:
    """``value`` with each whole-value reference text replaced by its ``Reference`` (equal to
    the text it replaces); the same object when there is none."""
    if isinstance(value, str):
        found = parse(value) if type(value) is str else None
        return value if found is None else found
    if isinstance(value, Mapping):
        items = {key: prepared(item) for key, item in value.items()}
        same = all(items[key] is item for key, item in value.items())
        return value if same else items
    if isinstance(value, list | tuple):
        listed = [prepared(item) for item in value]
        same = all(new is old for new, old in zip(listed, value, strict=True))
        return value if same else type(value)(listed)
    return value


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
    """``value`` with every reference replaced by what it names (see the module docstring).

    Parts without references come back as the very same objects, not copies.
    """
    if type(value) is Reference:
        return lookup(value, names)
    if isinstance(value, str):
        return value if OPENER not in value else _resolve_text(value, names)
    if type(value) is dict:  # the usual case, spelt out: replay resolves every step's params
        changed: dict[str, Any] | None = None
        for key, item in value.items():
            if type(item) is str:
                if OPENER not in item:
                    continue
                new = _resolve_text(item, names)
            elif type(item) is Reference:
                new = lookup(item, names)
            else:
                new = resolve(item, names)
            if new is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = new
        return value if changed is None else changed
    if isinstance(value, Mapping):
        return resolve(dict(value), names)
    if isinstance(value, list | tuple):
        items = [resolve(item, names) for item in value]
        unchanged = all(new is old for new, old in zip(items, value, strict=True))
        return value if unchanged else items
    return value


def _resolve_text(text: str, names: Mapping[str, Any]) -> Any:
    pieces = split(text)
    if len(pieces) == 1 and type(pieces[0]) is Reference:
        return lookup(pieces[0], names)
    return "".join(_text(piece, names) for piece in pieces)


def _text(piece: str | Reference, names: Mapping[str, Any]) -> str:
    if type(piece) is not Reference:  # plain text (a Reference is text too)
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
    """What one reference names right now. Named results may be records (with ``id`` and
    ``to_dict()``) or plain data."""
    if reference.name not in names:
        raise BadReference(f"{reference} names {reference.name!r}, which has no value yet")
    value = names[reference.name]
    if not reference.fields:
        found_id = getattr(value, "id", None)
        if isinstance(found_id, str):
            return found_id
        return value["id"] if isinstance(value, Mapping) and "id" in value else value
    to_dict = getattr(value, "to_dict", None)
    value = value if to_dict is None else to_dict()
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
