"""What the wheel ships: every data file under ``pmsim/`` matches a package-data pattern.

Building and installing the wheel takes a fresh virtual environment and the network, so that
runs in CI only (``.ci/wheel-smoke``, called by ``.ci/run``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pmsim"


def data_files() -> set[Path]:
    """The files under pmsim/ that are not Python (nor caches, nor hidden editor files)."""
    found = set()
    for path in PACKAGE.rglob("*"):
        inside = path.relative_to(PACKAGE)
        if (
            path.is_file()
            and path.suffix not in {".py", ".pyc"}
            and "__pycache__" not in inside.parts
            and not any(part.startswith(".") for part in inside.parts)
        ):
            found.add(inside)
    return found


def test_every_data_file_under_pmsim_ships() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["pmsim"]
    shipped = {path.relative_to(PACKAGE) for pattern in patterns for path in PACKAGE.glob(pattern)}
    missing = sorted(str(path) for path in data_files() - shipped)
    assert not missing, (
        f"these files under pmsim/ would be left out of the wheel: {', '.join(missing)}; "
        "add a pattern for them to [tool.setuptools.package-data] in pyproject.toml"
    )


def test_the_schema_and_the_typing_marker_are_data_files() -> None:
    assert {Path("py.typed"), Path("scenarios/scenario.schema.json")} <= data_files()
