"""The project's own checks run with the tests: ruff, mypy --strict and import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each runs a tool in a process: seconds, ten for mypy

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


#: Every folder of Python the project ships or runs.
LINTED = ("pmsim", "tests", "benchmarks", "docs_support")


def test_ruff_lint_and_format() -> None:
    lint = run(sys.executable, "-m", "ruff", "check", *LINTED)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run(sys.executable, "-m", "ruff", "format", "--check", *LINTED)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_mypy_strict() -> None:
    result = run(sys.executable, "-m", "mypy", "pmsim")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("lint-imports is missing: install the dev extra (pip install -e '.[dev]')")
    result = run(lint_imports)
    assert result.returncode == 0, result.stdout + result.stderr
