"""The command line: ``pmsim diagram`` and ``python -m pmsim``."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pmsim.cli import main
from pmsim.diagrams import render
from pmsim.domain.lifecycle import as_markdown


def test_diagram_prints_the_generated_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram"]) == 0
    assert capsys.readouterr().out == as_markdown() + "\n"
    assert main(["diagram", "--format", "mermaid"]) == 0
    assert capsys.readouterr().out == render("payment_method", "mermaid") + "\n"  # with refusals


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["charge"])
    assert exited.value.code == 2
    assert "invalid choice: 'charge'" in capsys.readouterr().err


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pmsim", "--help"], capture_output=True, text=True, check=True
    )
    assert "diagram" in out.stdout
