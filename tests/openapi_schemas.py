"""Validating pmsim's objects against Stripe's OpenAPI subset (read in place, never copied).

The spec lives beside the repository, in ``../shared/stripe-openapi/spec-subset.json``
(``PMSIM_STRIPE_OPENAPI`` may name another folder). Tests that need it call
:func:`require_spec`, which skips them with the path it looked at when the file is absent.

Schemas are OpenAPI 3.0, checked with ``openapi_schema_validator.OAS30Validator``. The whole
spec is one ``referencing`` resource, so a schema is just a ``$ref`` into it
(``#/components/schemas/customer`` or a path's inline response schema) and every nested
``$ref`` resolves inside the same file, with no network.

One adjustment: Stripe writes an optional nested object as ``{"anyOf": [{"$ref": ...}],
"nullable": true}`` and means "that object or null". OpenAPI 3.0.3 later said ``nullable``
only qualifies a ``type`` in the same schema object, and openapi-schema-validator follows
that reading, so it would reject every ``null`` address or expandable field. The validator
here lets ``nullable: true`` admit ``null`` beside ``anyOf``/``oneOf``/``allOf`` as well;
``null`` stays an error wherever the spec does not say ``nullable``. The same goes for
``enum`` beside ``nullable: true`` (``cancellation_reason``, ``payment_method_options.card.
network``): Stripe answers ``null`` there, and the enum lists only the non-null values.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from jsonschema.validators import extend
from openapi_schema_validator import OAS30Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from pmsim.domain import versions
from pmsim.domain.version_shapes import render

ENV_VAR = "PMSIM_STRIPE_OPENAPI"
SPEC_NAME = "spec-subset.json"
#: The base URI the spec is registered under; nothing is ever fetched from it.
SPEC_URI = "https://pmsim.invalid/stripe-openapi/spec-subset.json"
REPO_ROOT = Path(__file__).resolve().parents[1]

Keyword = Callable[[Any, Any, Any, Mapping[str, Any]], Iterator[ValidationError]]


def spec_path() -> Path:
    """Where the spec should be: ``$PMSIM_STRIPE_OPENAPI`` or ``../shared/stripe-openapi``."""
    folder = os.environ.get(ENV_VAR)
    if folder:
        given = Path(folder).expanduser()
        return given if given.suffix == ".json" else given / SPEC_NAME
    return REPO_ROOT.parent / "shared" / "stripe-openapi" / SPEC_NAME


@functools.cache
def _load(path: Path) -> Mapping[str, Any]:
    with path.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return spec


def require_spec() -> Mapping[str, Any]:
    """The loaded spec (read once per path), or skip the calling test if it is absent."""
    path = spec_path()
    if not path.is_file():
        pytest.skip(
            f"Stripe OpenAPI subset not found at {path}; put shared/stripe-openapi/ beside "
            f"the repository or set {ENV_VAR} to the folder that holds {SPEC_NAME}"
        )
    return _load(path)


def _nullable(keyword: Keyword) -> Keyword:
    def check(
        validator: Any, value: Any, instance: Any, schema: Mapping[str, Any]
    ) -> Iterator[ValidationError]:
        if instance is None and schema.get("nullable") is True:
            return
        yield from keyword(validator, value, instance, schema)

    return check


StripeOAS30Validator: type[Validator] = extend(
    OAS30Validator,
    {
        name: _nullable(OAS30Validator.VALIDATORS[name])
        for name in ("allOf", "anyOf", "oneOf", "enum")
    },
)


@functools.cache
def _registry(path: Path) -> Registry[Any]:
    return Registry().with_resource(SPEC_URI, DRAFT4.create_resource(_load(path)))


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def component_pointer(name: str) -> str:
    """``#/components/schemas/<name>``, as a JSON pointer into the spec."""
    return f"/components/schemas/{_escape(name)}"


def response_pointer(method: str, path: str, status: str = "200") -> str:
    """The JSON pointer to an operation's inline ``application/json`` response schema."""
    segments = ("paths", path, method.lower(), "responses", status, "content", "application/json")
    return "/" + "/".join(_escape(segment) for segment in (*segments, "schema"))


@functools.cache
def _validator(path: Path, pointer: str) -> Validator:
    return StripeOAS30Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"},
        registry=_registry(path),
        format_checker=OAS30Validator.FORMAT_CHECKER,
    )


def schema_at(pointer: str) -> Any:
    """The raw schema (or any node) of the spec at ``pointer``; skips if the spec is absent."""
    node: Any = require_spec()
    for segment in pointer.strip("/").split("/"):
        node = node[segment.replace("~1", "/").replace("~0", "~")]
    return node


def errors(instance: Any, pointer: str) -> list[str]:
    """Every way ``instance`` breaks the schema at ``pointer``, one line each, sorted."""
    require_spec()
    validator = _validator(spec_path(), pointer)
    return sorted(_describe(error) for error in validator.iter_errors(instance))


def _describe(error: ValidationError) -> str:
    where = "".join(f"[{part!r}]" for part in error.absolute_path) or "<root>"
    lines = [f"{where}: {error.message[:300]}"]
    # anyOf/oneOf failures hide the reason in their branches; show the closest ones.
    for sub in sorted(error.context or (), key=lambda e: (len(e.absolute_path), e.message))[:4]:
        sub_where = "".join(f"[{part!r}]" for part in sub.absolute_path) or "<root>"
        lines.append(f"    branch {list(sub.schema_path)}: {sub_where}: {sub.message[:200]}")
    return "\n".join(lines)


def assert_valid(instance: Any, pointer: str, *, label: str = "") -> None:
    """Fail with every violation listed if ``instance`` does not match the schema, as pmsim
    writes it (the newest version's shape) or as the spec's own version shows it."""
    oldest = render(instance, versions.OLDEST)
    found = errors(instance, pointer) + (errors(oldest, pointer) if oldest != instance else [])
    if found:
        name = label or (instance.get("id") if isinstance(instance, Mapping) else None) or "value"
        listing = "\n".join(found)
        pytest.fail(f"{name} does not match {pointer}:\n{listing}", pytrace=False)


def assert_component(instance: Any, name: str, *, label: str = "") -> None:
    """``instance`` matches ``#/components/schemas/<name>``."""
    assert_valid(instance, component_pointer(name), label=label)


def assert_response(instance: Any, method: str, path: str, *, label: str = "") -> None:
    """``instance`` matches the 200 response schema of ``METHOD path`` (e.g. a list wrapper)."""
    assert_valid(instance, response_pointer(method, path), label=label)
