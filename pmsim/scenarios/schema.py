"""The JSON Schema of scenario files, generated from the verb table.

Editors that speak JSON Schema (VS Code's YAML extension, JetBrains IDEs) validate and complete
scenario files with it: put ``# yaml-language-server: $schema=<path to scenario.schema.json>``
on a file's first line. The shipped ``scenario.schema.json`` is this function's output, and a
test keeps the two equal; ``pmsim schema`` prints it.

>>> schema = build_schema()
>>> schema["required"], "customers.create" in schema["$defs"]["operations"]["properties"]
(['name', 'steps'], True)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pmsim.domain import versions
from pmsim.scenarios.model import CHECK, ERROR_FIELDS
from pmsim.scenarios.verbs import VERBS

SCHEMA_FILE = Path(__file__).with_name("scenario.schema.json")
REFERENCE_PATTERN = r"^\$\{[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*\}$"


def build_schema() -> dict[str, Any]:
    """The schema, as a JSON-ready dict."""
    steps = [_verb_step(name) for name in VERBS]
    steps.append(_check_step())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "pmsim scenario",
        "description": "A story that drives a pmsim simulator step by step; `pmsim run` "
        "replays it and checks every expectation.",
        "type": "object",
        "required": ["name", "steps"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "One line: the story."},
            "description": {"type": "string", "description": "What the scenario teaches."},
            "seed": {"type": "integer", "minimum": 0, "description": "Chooses the ids."},
            "start_time": {
                "type": ["string", "integer"],
                "description": "Where the clock starts: ISO 8601 text such as "
                "2024-01-01T00:00:00Z, or Unix seconds.",
            },
            "api_version": {
                "type": "string",
                "enum": [version.name for version in versions.VERSIONS],
                "description": "The Stripe API version the steps answer as; without it, the "
                f"newest pmsim simulates ({versions.NEWEST}).",
            },
            "steps": {"type": "array", "items": {"oneOf": steps}},
        },
        "$defs": {
            "operations": {
                "description": "Every operation a step can name, with its parameters.",
                "type": "object",
                "properties": {name: _parameters(name) for name in VERBS},
            },
            "reference": {
                "type": "string",
                "pattern": REFERENCE_PATTERN,
                "description": "${name} is the id of the result a step named with `as`; "
                "${name.field.sub} is one of its fields.",
            },
        },
    }


def _parameters(name: str) -> dict[str, Any]:
    verb = VERBS[name]
    return {
        "description": verb.doc,
        "type": ["object", "null"],
        "properties": {parameter: {} for parameter in verb.parameters},
        "required": list(verb.required),
        "additionalProperties": False,
    }


def _expectations() -> dict[str, Any]:
    return {
        "as": {"type": "string", "pattern": r"^[A-Za-z_][A-Za-z0-9_]*$",
               "description": "A name for the result, for ${name} in later steps."},
        "expect": {"type": "object", "description": "Fields the result must have."},
        "expect_error": {
            "type": "object",
            "description": "Fields the error must have; the call must fail.",
            "properties": {field: {} for field in ERROR_FIELDS},
            "additionalProperties": False,
        },
        "expect_events": {
            "type": "array",
            "description": "The events the step emits, in order: types or partial events.",
            "items": {"type": ["string", "object"]},
        },
    }  # fmt: skip


def _verb_step(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [name],
        "properties": {name: {"$ref": f"#/$defs/operations/properties/{name}"}} | _expectations(),
        "additionalProperties": False,
    }


def _check_step() -> dict[str, Any]:
    what = "Re-read an object (a reference such as ${ada}, or an id) and check its fields."
    return {
        "type": "object",
        "required": [CHECK],
        "properties": {CHECK: {"type": "string", "description": what}} | _expectations(),
        "additionalProperties": False,
    }


def schema_text() -> str:
    """The schema as the shipped file spells it."""
    return json.dumps(build_schema(), indent=2, sort_keys=True) + "\n"
