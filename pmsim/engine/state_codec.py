"""Records to plain JSON and back, for state files: every field, pmsim's own flags included.

Stripe JSON (``to_dict()``) leaves out what pmsim keeps privately (a card's test-card row, a
payment method's lifecycle state, an endpoint's secret), so it cannot be read back. State
files instead write each record's attrs fields, and read them back by the field types, so a
field added to a record is saved and loaded with no change here (a test round-trips every
record type). This is pmsim's own file format; Stripe's JSON is still written by hand.

>>> from pmsim.domain.parts import Address
>>> encode(Address(city="Paris"))["city"]
'Paris'
>>> decode(Address, {"city": "Paris"}, "address")
Address(city='Paris', country=None, line1=None, line2=None, postal_code=None, state=None)
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from enum import Enum
from functools import cache
from typing import Any

import attrs

from pmsim.domain import versions
from pmsim.domain.events import Event, frozen_copy
from pmsim.domain.models import StripeObject
from pmsim.domain.versions import ApiVersion
from pmsim.engine.snapshots import TABLES

#: The records an event can carry (every table's but the events'), by the name a state file
#: tags them with.
EVENT_OBJECTS: Mapping[str, type] = types.MappingProxyType(
    {kind.__name__: kind for name, kind in TABLES.items() if name != "events"}
)


class DecodeError(ValueError):
    """A value in a state file is not what its field holds; ``path`` says where."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem

    def under(self, outer: str) -> DecodeError:
        """The same problem, seen from the value that holds this one (``outer`` + path)."""
        inner = self.path if not self.path or self.path.startswith("[") else "." + self.path
        return DecodeError(outer + inner, self.problem)


#: Reads one value; raises DecodeError with the path *within* the value, so that paths are
#: only spelled out when something is wrong (built while the error travels outwards).
Decoder = Callable[[Any], Any]


def encode(value: Any) -> Any:
    """A record (or anything inside one) as plain JSON data."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value  # the leaves first: a state file is mostly leaves
    if isinstance(value, Enum):
        return value.value
    if kind is ApiVersion:
        return value.name
    if isinstance(value, Mapping):
        return {key: encode(item) for key, item in value.items()}
    if kind is tuple or kind is list:
        return [encode(item) for item in value]
    return {name: encode(getattr(value, name)) for name in _field_names(kind)}


def _field_names(kind: type) -> tuple[str, ...]:
    """A record type's field names (``attrs.fields`` refuses anything that is not a record)."""
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in attrs.fields(kind))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # per record type; types never change


def encode_event(event: Event) -> dict[str, Any]:
    """An event, with its object tagged by record type so it can be read back."""
    data: dict[str, Any] = encode(event)
    data["object"] = {"record": type(event.object).__name__, "fields": data["object"]}
    return data


def decode(kind: type, data: Any, path: str) -> Any:
    """A ``kind`` record from what :func:`encode` wrote; :class:`DecodeError` if it is not one."""
    try:
        return _decoder(kind)(data)
    except DecodeError as error:
        raise error.under(path) from None


def _record_decoder(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind)
    plan = tuple((f.name, _plain_types(hints[f.name]), _decoder(hints[f.name]),
                  f.default is attrs.NOTHING) for f in attrs.fields(kind))  # fmt: skip
    # A renamed field reads its old name too (``field(metadata={"formerly": old})``), so the
    # files older pmsims wrote still load.
    formerly = {
        f.metadata["formerly"]: f.name for f in attrs.fields(kind) if "formerly" in f.metadata
    }
    names = {name for name, *_ in plan} | formerly.keys()

    def read(data: Any) -> Any:
        if not isinstance(data, dict):
            raise DecodeError("", f"expected a {kind.__name__} object, got {_kind(data)}")
        if formerly and not formerly.keys().isdisjoint(data):  # the new name wins over the old
            data = {formerly.get(key, key): value for key, value in data.items()
                    if formerly.get(key) not in data}  # fmt: skip
        if not names >= data.keys():
            unknown = sorted(data.keys() - names)[0]
            raise DecodeError("", f"{kind.__name__} has no field {unknown!r}")
        values = {}
        for name, plain, read_field, required in plan:
            if name in data:
                value = data[name]
                if type(value) in plain:  # most fields: text, a number or null, kept as is
                    values[name] = value
                    continue
                try:
                    values[name] = read_field(value)
                except DecodeError as error:
                    raise error.under(name) from None
            elif required:
                raise DecodeError("", f"the {kind.__name__} has no {name!r}")
        return kind(**values)

    return read


def _plain_types(hint: Any) -> tuple[type, ...]:
    """The JSON types a field of type ``hint`` keeps unchanged, so reading them is a type
    check (``str | None``: text and null); anything else goes through the field's decoder."""
    if hint in (str, int, bool):
        return (hint,)
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (types.UnionType, typing.Union) and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        return (type(None), *_plain_types(inner))
    return ()


def _event_object(data: Any) -> Any:
    if not isinstance(data, dict) or data.keys() != {"record", "fields"}:
        raise DecodeError("", 'expected {"record": <type>, "fields": {...}}')
    record = data["record"]
    kind = EVENT_OBJECTS.get(record) if type(record) is str else None  # a list is unhashable
    if kind is None:
        known = ", ".join(EVENT_OBJECTS)
        raise DecodeError("record", f"{data['record']!r} is not one of {known}")
    return decode(kind, data["fields"], "fields")


def _api_version(data: Any) -> ApiVersion:
    """A version by its name (``"2024-06-20"``), one pmsim simulates."""
    if type(data) is not str or data not in versions.BY_NAME:
        raise DecodeError("", f"{_kind(data)} is not an API version pmsim simulates")
    return versions.BY_NAME[data]


def _scalar(kind: type) -> Decoder:
    words = {str: "text", int: "an integer", bool: "true or false"}[kind]

    def read(data: Any) -> Any:
        if type(data) is not kind:  # not isinstance: True is not an integer here
            raise DecodeError("", f"expected {words}, got {_kind(data)}")
        return data

    return read


def _optional(inner: Decoder) -> Decoder:
    return lambda data: None if data is None else inner(data)


def _tuple_of(inner: Decoder) -> Decoder:
    def read(data: Any) -> Any:
        if not isinstance(data, list):
            raise DecodeError("", f"expected a list, got {_kind(data)}")
        try:
            return tuple(map(inner, data))
        except DecodeError as error:  # find which item, now that something is wrong
            index = next(i for i, item in enumerate(data) if _fails(inner, item))
            raise error.under(f"[{index}]") from None

    return read


def _mapping_of(inner: Decoder) -> Decoder:
    def read(data: Any) -> Any:
        if not isinstance(data, dict):
            raise DecodeError("", f"expected an object, got {_kind(data)}")
        values = {}
        for key, item in data.items():
            try:
                values[key] = inner(item)
            except DecodeError as error:
                raise error.under(key) from None
        return types.MappingProxyType(values)

    return read


def _fails(read: Decoder, data: Any) -> bool:
    try:
        read(data)
    except DecodeError:
        return True
    return False


def _enum(kind: type[Enum]) -> Decoder:
    def read(data: Any) -> Any:
        try:
            return kind(data)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)
            raise DecodeError("", f"{data!r} is not one of {allowed}") from None

    return read


def _any(data: Any) -> Any:
    return frozen_copy(data)  # free-form JSON (previous_attributes): frozen, as events keep it


@cache
def _decoder(hint: Any) -> Decoder:
    """How to read one field type; built once per type."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in (str, int, bool):
        return _scalar(hint)
    if hint is Any:
        return _any
    if hint is StripeObject:
        return _event_object
    if hint is ApiVersion:
        return _api_version
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        (inner,) = (arg for arg in args if arg is not type(None))
        return _optional(_decoder(inner))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_of(_decoder(args[0]))
    if origin is Mapping:
        return _mapping_of(_decoder(args[1]))
    if isinstance(hint, type) and issubclass(hint, Enum):
        return _enum(hint)
    if isinstance(hint, type) and attrs.has(hint):
        return _record_decoder(hint)
    raise TypeError(f"state files cannot hold a field of type {hint!r}; teach state_codec.py")


def _kind(data: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "a boolean",
             int: "an integer", float: "a number", type(None): "null"}  # fmt: skip
    return f"{names.get(type(data), type(data).__name__)} ({str(data)[:40]!r})"
