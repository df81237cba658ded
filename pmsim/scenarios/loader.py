"""Scenario files in, ``Scenario`` records out; every mistake named by file, line and step.

Everything is checked before any step runs: the header, each step's operation and parameter
names (with the nearest valid names when one is misspelt), the expectations, and every
``${name}`` reference, which must name the ``as:`` of an earlier step.

>>> scenario = loads('''
... name: Ada signs up
... steps:
...   - customers.create: {email: ada@example.com}
...     as: ada
... ''')
>>> scenario.steps[0].op, scenario.steps[0].name
('customers.create', 'ada')
>>> try:
...     loads("name: x\\nsteps:\\n  - customers.craete: {}\\n", source="x.yaml")
... except ScenarioError as err:
...     print(err)
x.yaml:3:5: step 1: unknown operation 'customers.craete'; did you mean customers.create?
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pmsim.clock import DEFAULT_START, to_timestamp
from pmsim.domain import versions
from pmsim.domain.errors import InvalidRequestError
from pmsim.domain.versions import ApiVersion
from pmsim.scenarios import references
from pmsim.scenarios.model import CHECK, ERROR_FIELDS, Scenario, ScenarioError, Step
from pmsim.scenarios.verbs import VERBS, closest
from pmsim.scenarios.yaml_source import ABSENT, MAX_BYTES, Place, YamlProblem, parse

HEADER_KEYS = ("name", "description", "seed", "start_time", "api_version", "steps")
STEP_KEYS = ("as", "expect", "expect_error", "expect_events")
STEP_VERBS = (*VERBS, CHECK)  # what a step can name: a verb, or check
_DATED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # a version before the named releases


def load_scenario(path: str | Path) -> Scenario:
    """Read and check a scenario file.

    >>> load_scenario("scenarios/01-happy-path.yaml").name
    'The happy path: save a card and make it the default'
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)  # no more: the file may be endless (/dev/zero)
        if len(raw) > MAX_BYTES:
            raise ScenarioError(f"the file is larger than {MAX_BYTES:,} bytes", file=str(path))
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"cannot read the file: {err}", file=str(path)) from None
    return loads(text, source=str(path))


def loads(text: str, source: str = "") -> Scenario:
    """Check scenario text (YAML) and return it as a ``Scenario``."""
    try:
        document, places = parse(text)
    except YamlProblem as err:
        line, column = (err.place.line, err.place.column) if err.place else (None, None)
        raise ScenarioError(err.message, file=source, line=line, column=column) from None
    return _Checker(source, places).scenario(document)


def _escapes(value: Any) -> bool:
    if isinstance(value, str):
        return references.ESCAPED in value
    if isinstance(value, Mapping):
        return any(_escapes(item) for item in value.values())
    return isinstance(value, list | tuple) and any(_escapes(item) for item in value)


def _holds_absent(value: Any) -> bool:
    if value is ABSENT:
        return True
    if isinstance(value, Mapping):
        return any(_holds_absent(item) for item in value.values())
    return isinstance(value, list) and any(_holds_absent(item) for item in value)


class _Checker:
    def __init__(self, source: str, places: dict[Any, Place]) -> None:
        self.source = source
        self.places = places
        self.step: int | None = None

    def fail(self, message: str, path: tuple[Any, ...] = ()) -> ScenarioError:
        """The error for ``path``, placed at the nearest position the file gives."""
        while path not in self.places and path:
            path = path[:-1]
        place = self.places.get(path)
        return ScenarioError(
            message,
            file=self.source,
            line=place.line if place else None,
            column=place.column if place else None,
            step=self.step,
        )

    def scenario(self, document: Any) -> Scenario:
        if not isinstance(document, Mapping):
            raise self.fail("a scenario is a mapping with a name and steps, such as:\n"
                            "name: Ada saves a card\nsteps:\n  - customers.create: {}")  # fmt: skip
        for key in document:
            if key not in HEADER_KEYS:
                raise self.fail(self._unknown("key", key, HEADER_KEYS), (key,))
        name = document.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.fail("the scenario needs a name: a line of text", ("name",))
        description = document.get("description", "")
        if not isinstance(description, str):
            raise self.fail("description must be text", ("description",))
        seed = document.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
            raise self.fail(f"seed must be a whole number, 0 or more; got {seed!r}", ("seed",))
        start_time = self._start_time(document.get("start_time", DEFAULT_START))
        api_version = (
            self._api_version(document["api_version"]) if "api_version" in document else None
        )
        raw_steps = document.get("steps")
        if not isinstance(raw_steps, list):
            raise self.fail("steps must be a list of steps (an empty one is [])", ("steps",))
        defined: dict[str, int] = {}
        steps = tuple(
            self._step(number, raw, defined) for number, raw in enumerate(raw_steps, start=1)
        )
        return Scenario(name, steps, description, seed, start_time, self.source, api_version)

    def _start_time(self, value: Any) -> int:
        try:
            return to_timestamp(value)
        except (TypeError, ValueError) as err:
            raise self.fail(
                f"start_time must be ISO 8601 text such as 2024-01-01T00:00:00Z or Unix "
                f"seconds; {err}",
                ("start_time",),
            ) from None

    def _api_version(self, value: Any) -> ApiVersion:
        """The header's Stripe API version: one pmsim simulates, by its name."""
        span = f"from {versions.OLDEST} to {versions.NEWEST}"
        if not isinstance(value, str):
            raise self.fail(f"api_version is the name of a Stripe API version, such as "
                            f"2024-06-20 ({span}); got {value!r}", ("api_version",))  # fmt: skip
        try:
            return versions.parse(value)
        except InvalidRequestError:
            pass
        if value.endswith(".preview"):
            why = "pmsim does not simulate preview versions"
        elif _DATED.fullmatch(value) and value < versions.OLDEST.name:
            why = f"older than {versions.OLDEST}, the oldest version pmsim simulates"
        else:
            near = closest(value, versions.BY_NAME)
            hint = f"; did you mean {' or '.join(near)}?" if near else ""
            why = f"not a Stripe API version pmsim simulates ({span}){hint}"
        raise self.fail(f"api_version {value!r}: {why}", ("api_version",))

    @staticmethod
    def _unknown(kind: str, word: str, choices: Any) -> str:
        near = closest(str(word), choices)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        return f"unknown {kind} {word!r}{hint}"

    def _step(self, number: int, raw: Any, defined: dict[str, int]) -> Step:
        self.step = number
        at: tuple[Any, ...] = ("steps", number - 1)
        if not isinstance(raw, Mapping):
            raise self.fail("a step is a mapping such as `- customers.create: {email: ...}`", at)
        verbs = [key for key in raw if key in STEP_VERBS]
        others = [key for key in raw if key not in STEP_VERBS and key not in STEP_KEYS]
        if others:
            choices = STEP_KEYS if verbs else STEP_VERBS
            kind = "step key" if verbs else "operation"
            raise self.fail(self._unknown(kind, others[0], choices), (*at, others[0]))
        if len(verbs) != 1:
            raise self.fail(
                "a step names one operation; this one names "
                + (" and ".join(verbs) if verbs else "none"),
                at,
            )
        (op,) = verbs
        params = self._params(op, raw[op], (*at, op))
        name = self._name(raw.get("as"), defined, (*at, "as"))
        expect = self._mapping(raw, "expect", at)
        expect_error = self._mapping(raw, "expect_error", at)
        if expect_error is not None:
            for key in expect_error:
                if key not in ERROR_FIELDS:
                    raise self.fail(self._unknown("error field", key, ERROR_FIELDS),
                                    (*at, "expect_error", key))  # fmt: skip
            if expect is not None:
                raise self.fail("a step expects a result or an error, not both", at)
            if name is not None:
                raise self.fail("`as` names a result, and a step expecting an error has none", at)
        expect_events = raw.get("expect_events")
        if expect_events is not None:
            if not isinstance(expect_events, list) or not all(
                isinstance(item, str | Mapping) for item in expect_events
            ):
                raise self.fail("expect_events is a list of event types or partial events",
                                (*at, "expect_events"))  # fmt: skip
            expect_events = tuple(expect_events)
        fields = {"params": params, "expect": expect, "expect_error": expect_error,
                  "expect_events": expect_events}  # fmt: skip
        referring = frozenset(
            key
            for key, value in fields.items()
            if self._check_references(value, defined, (*at, op if key == "params" else key))
        )
        if name is not None:
            defined[name] = number
        line = self.places[at].line if at in self.places else 0
        ready = references.prepared  # read each reference once, here, not at every replay
        return Step(number, line, op, ready(params), name, ready(expect), ready(expect_error),
                    ready(expect_events), referring)  # fmt: skip

    def _params(self, op: str, value: Any, at: tuple[Any, ...]) -> dict[str, Any]:
        if op == CHECK:
            if not isinstance(value, str):
                raise self.fail("check takes an object: a reference such as ${ada} or an id", at)
            return {"object": value}
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise self.fail(f"{op} takes a mapping of parameters, such as {{email: ...}}", at)
        if _holds_absent(value):
            raise self.fail("!absent is for expectations (expect, expect_error), not parameters",
                            at)  # fmt: skip
        verb = VERBS[op]
        for key in value:
            if key not in verb.parameters:
                message = self._unknown(f"parameter of {op}", key, verb.parameters)
                raise self.fail(f"{message} (it takes {', '.join(verb.parameters)})",
                                (*at, key))  # fmt: skip
        for needed in verb.required:
            if needed not in value:
                raise self.fail(f"{op} needs {needed}", at)
        return dict(value)

    def _name(self, value: Any, defined: dict[str, int], at: tuple[Any, ...]) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not references.NAME.fullmatch(value):
            raise self.fail(f"`as` takes a name of letters, digits and _, got {value!r}", at)
        if value in defined:
            raise self.fail(f"{value!r} is already the name of step {defined[value]}", at)
        return value

    def _mapping(self, raw: Mapping[str, Any], key: str, at: tuple[Any, ...]) -> Any:
        value = raw.get(key)
        if value is not None and not isinstance(value, Mapping):
            raise self.fail(f"{key} is a mapping of fields, such as {{email: ...}}", (*at, key))
        return value

    def _check_references(self, value: Any, defined: dict[str, int], at: tuple[Any, ...]) -> bool:
        """Refuse references to names not defined yet; whether ``value`` holds any (or any
        ``$${`` to unescape: replay has to look at it either way)."""
        try:
            found = list(references.references(value, at))
        except references.BadReference as err:
            raise self.fail(str(err), err.path or at) from None
        for path, reference in found:
            if reference.name not in defined:
                later = "" if not defined else f" (names so far: {', '.join(defined)})"
                raise self.fail(
                    f"{reference} refers to {reference.name!r}, which no earlier step defines "
                    f"with `as: {reference.name}`{later}",
                    path,
                )
        return bool(found) or _escapes(value)
