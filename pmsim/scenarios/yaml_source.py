"""YAML text in, plain values out, with the line and column of every value kept aside.

PyYAML's ``safe_load`` forgets where things were; scenario errors must name the line and
column, so this walks PyYAML's node tree instead and records a position for each path.
Timestamps stay text (Stripe takes Unix seconds; pmsim reads ISO text where it wants a time),
and a key written twice is an error rather than a silent overwrite.

A scenario file may come from anyone, so its shape is checked on the parser's events before
any node is built: no aliases (``*name``: a few hundred bytes of nested aliases expand to
gigabytes), at most :data:`MAX_DEPTH` levels of nesting and :data:`MAX_VALUES` values, and
the text at most :data:`MAX_BYTES` long. Each refusal names its line.

>>> value, places = parse("seed: 7\\nsteps:\\n  - customers.create: {email: a@example.com}\\n")
>>> value["steps"][0]["customers.create"]["email"]
'a@example.com'
>>> places[("steps", 0, "customers.create", "email")]
Place(line=3, column=24)
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

Path = tuple[str | int, ...]

#: The longest scenario text read (8 MiB): a recorded 10,000-step session is 2 MiB.
MAX_BYTES = 8 << 20
#: The deepest nesting of mappings and lists (a step's parameters are a few levels deep).
MAX_DEPTH = 32
#: The most values (scalars, mappings and lists) in one file: a recorded session writes about
#: 13 a step, so some 37,000 steps; the worst file within it loads in a few seconds.
MAX_VALUES = 500_000

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
ABSENT_TAG = "!absent"


class Absent:
    """``!absent`` in an expectation: the field must not be there at all (``null`` is a value).

    YAML needs a space between a tag and a closing brace: ``{code: !absent }``.

    >>> parse("expect: {code: !absent }")[0]["expect"]["code"]
    !absent
    """

    def __repr__(self) -> str:
        return ABSENT_TAG


ABSENT = Absent()


@frozen
class Place:
    """A position in a file, both counted from 1 as editors show them."""

    line: int
    column: int


class YamlProblem(ValueError):
    """The text is not YAML pmsim can read; ``place`` says where, when known."""

    def __init__(self, message: str, place: Place | None) -> None:
        super().__init__(message)
        self.message = message
        self.place = place


def parse(text: str) -> tuple[Any, dict[Path, Place]]:
    """The document's value, and the place of every mapping key and list item in it."""
    import yaml  # here, not at the top: ``import pmsim`` must not import yaml

    if len(text) > MAX_BYTES:
        raise YamlProblem(f"the text is longer than {MAX_BYTES:,} characters", None)
    # libyaml's loader when PyYAML was built with it: the same nodes and marks, 2-3x faster.
    make_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = make_loader(text)
    try:
        _check_shape(yaml, make_loader(text))
        node = loader.get_single_node()
        places: dict[Path, Place] = {}
        value = None if node is None else _Builder(loader, places).value(node, ())
        return value, places
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        place = Place(mark.line + 1, mark.column + 1) if mark is not None else None
        raise YamlProblem(f"YAML syntax error: {err.problem or err.context}", place) from None
    except yaml.YAMLError as err:
        raise YamlProblem(f"YAML syntax error: {err}", None) from None
    finally:
        loader.dispose()


def _check_shape(yaml: Any, events: Any) -> None:
    """Refuse aliases, deep nesting and too many values, reading the parser's events (cheap:
    about a tenth of building the nodes), so no refused file has a node built or expanded."""
    values = 0
    starts, ends = yaml.CollectionStartEvent, yaml.CollectionEndEvent
    anchors: list[str | None] = []  # the anchor of each mapping or list still open
    try:
        while events.check_event():
            event = events.get_event()
            if isinstance(event, yaml.AliasEvent):
                holds = "an alias refers to a mapping or list that holds it; " * (
                    event.anchor in anchors
                )
                raise YamlProblem(
                    f"{holds}YAML aliases (*{event.anchor}) are not allowed in scenario files; "
                    "write the value out in full",
                    _place(event),
                )
            if isinstance(event, starts | yaml.ScalarEvent):
                values += 1
                if values > MAX_VALUES:
                    raise YamlProblem(f"more than {MAX_VALUES:,} values in one file",
                                      _place(event))  # fmt: skip
                if isinstance(event, starts):
                    anchors.append(event.anchor)
                    if len(anchors) > MAX_DEPTH:
                        raise YamlProblem(f"nested more than {MAX_DEPTH} levels deep",
                                          _place(event))  # fmt: skip
            elif isinstance(event, ends):
                anchors.pop()
    finally:
        events.dispose()


def _place(node: Any) -> Place:
    return Place(node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, loader: Any, places: dict[Path, Place]) -> None:
        import yaml

        self.loader = loader
        self.places = places
        self.nodes = yaml.nodes  # a tree: _check_shape refused aliases, so no node is shared

    def value(self, node: Any, path: Path) -> Any:
        self.places[path] = _place(node)
        if not isinstance(node, self.nodes.ScalarNode):
            return self.collection(node, path)
        return self.scalar(node)

    def collection(self, node: Any, path: Path) -> Any:
        if isinstance(node, self.nodes.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node)
                if not isinstance(key, str | int) or isinstance(key, bool):
                    raise YamlProblem(f"keys must be text, got {key!r}", _place(key_node))
                key = str(key)
                if key in result:
                    raise YamlProblem(f"{key!r} is written twice in one mapping", _place(key_node))
                result[key] = self.value(value_node, (*path, key))
                self.places[(*path, key)] = _place(key_node)  # errors point at the key
            return result
        return [self.value(item, (*path, n)) for n, item in enumerate(node.value)]

    def scalar(self, node: Any) -> Any:
        if not isinstance(node, self.nodes.ScalarNode):
            raise YamlProblem("keys must be text, not lists or mappings", _place(node))
        if node.tag == TIMESTAMP_TAG:
            return node.value  # kept as written: "2024-01-01T00:00:00Z"
        if node.tag == ABSENT_TAG:
            if node.value:
                raise YamlProblem("!absent takes no value: write `code: !absent`", _place(node))
            return ABSENT
        return self.loader.construct_object(node)
