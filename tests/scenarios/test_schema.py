"""The JSON Schema shipped for editors: generated from the verb table, never stale, and
in agreement with the loader on the shipped scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from pmsim.scenarios.schema import SCHEMA_FILE, build_schema, schema_text
from pmsim.scenarios.yaml_source import parse

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(build_schema())


def test_the_shipped_file_is_what_the_code_generates() -> None:
    # After adding a verb: python -m pmsim schema > pmsim/scenarios/scenario.schema.json
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_text()))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_scenario_validates(path: Path) -> None:
    document, _ = parse(path.read_text(encoding="utf-8"))
    VALIDATOR.validate(document)


@pytest.mark.parametrize(
    "document",
    [
        {"steps": [{"customers.create": {}}]},
        {"name": "x", "steps": {}},
        {"name": "x", "steps": [{"customers.craete": {}}]},
        {"name": "x", "steps": [{"customers.create": {"emial": "a"}}]},
        {"name": "x", "steps": [{"payment_methods.attach": {"customer": "cus_1"}}]},
        {"name": "x", "steps": [{"customers.create": {}, "customers.list": {}}]},
        {"name": "x", "steps": [{"customers.create": {}, "as": "2x"}]},
        {"name": "x", "steps": [{"customers.create": {}, "expect_error": {"kode": 1}}]},
        {"name": "x", "steps": [{"check": "${a}", "expekt": {}}]},
        {"name": "x", "extra": 1, "steps": [{"customers.create": {}}]},
        {"name": "x", "api_version": "2024-06-2", "steps": [{"customers.create": {}}]},
    ],
)
def test_what_the_loader_refuses_the_schema_refuses_too(document: object) -> None:
    assert not VALIDATOR.is_valid(document)


def test_the_readme_points_editors_at_the_schema() -> None:
    readme = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    assert "scenario.schema.json" in readme
