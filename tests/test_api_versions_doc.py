"""docs/api-versions.md lists every supported version and every gate from the table in
``pmsim/domain/versions.py``, so the page cannot drift from the code (issue 14)."""

from __future__ import annotations

from pathlib import Path

from pmsim.domain import versions

DOC = Path(__file__).resolve().parents[1] / "docs" / "api-versions.md"
CONFIDENCE = {"C": "Stripe's docs", "S": "recorded or Stripe's SDKs", "U": "inferred"}


def gates_table() -> str:
    """The gates as docs/api-versions.md shows them (paste this when a gate changes)."""
    rows = ["| Gate | From | What changes | Source | Confidence |", "|---|---|---|---|---|"]
    rows += [
        f"| `{gate.name}` | {gate.starts} | {gate.what} | {gate.source} | "
        f"{CONFIDENCE[gate.confidence]} |"
        for gate in versions.GATES
    ]
    return "\n".join(rows)


def versions_list() -> str:
    return ", ".join(f"`{version}`" for version in versions.VERSIONS)


def test_the_page_lists_every_gate_as_the_table_has_it() -> None:
    assert gates_table() in DOC.read_text(), (
        "docs/api-versions.md's gate table differs from pmsim/domain/versions.py; paste:\n"
        + gates_table()
    )


def test_the_page_lists_every_supported_version() -> None:
    assert versions_list() in DOC.read_text(), (
        "docs/api-versions.md's version list differs; paste:\n" + versions_list()
    )
