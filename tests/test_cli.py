"""The command line: ``pmsim diagram`` and ``python -m pmsim``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import pmsim
from pmsim.cli import main
from pmsim.diagrams import render
from pmsim.diagrams.markers import fenced


def test_diagram_prints_the_generated_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram"]) == 0
    assert capsys.readouterr().out == render("payment_method", "markdown") + "\n"
    assert main(["diagram", "--format", "mermaid"]) == 0
    assert capsys.readouterr().out == render("payment_method", "mermaid") + "\n"  # with refusals


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["charge"])
    assert exited.value.code == 2
    assert "invalid choice: 'charge'" in capsys.readouterr().err


@pytest.mark.slow
def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pmsim", "--help"], capture_output=True, text=True, check=True
    )
    assert "diagram" in out.stdout


# --- pmsim diagram --refresh and --output: a one-line message and exit code 2, never a traceback


def marked(machine: str) -> str:
    return f"<!-- diagram:{machine}:start -->\nold\n<!-- diagram:{machine}:end -->\n"


def test_refresh_says_what_it_redrew_and_then_leaves_the_file_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text(marked("setup_intent") * 2)
    assert main(["diagram", "--refresh", str(page)]) == 0
    assert capsys.readouterr().out == f"{page}: redrew 2 diagrams\n"
    assert (
        page.read_text()
        == (
            "<!-- diagram:setup_intent:start -->\n"
            + fenced("setup_intent")
            + "<!-- diagram:setup_intent:end -->\n"
        )
        * 2
    )
    os.utime(page, (1_000_000_000, 1_000_000_000))
    assert main(["diagram", "--refresh", str(page)]) == 0
    assert capsys.readouterr().out == (
        f"{page}: every diagram was already current; the file is unchanged\n"
    )
    assert page.stat().st_mtime == 1_000_000_000


def test_refresh_of_an_unknown_machine_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text(marked("charge"))
    assert main(["diagram", "--refresh", str(page)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"pmsim diagram: {page}, line 1: <!-- diagram:charge:start --> names no state machine. "
        "Name one of: payment_method, setup_intent, payment_intent, bank_account, mandate.\n"
    )
    assert page.read_text() == marked("charge")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.md", None, "cannot refresh {page}: there is no such file"),
        ("notes.md", "no markers\n", "{page} has no diagram to redraw. Mark one with"),
        (
            "open.md",
            "<!-- diagram:setup_intent:start -->\n",
            "{page}, line 1: <!-- diagram:setup_intent:start --> is never closed.",
        ),
        ("binary.md", b"\xff\xfe", "cannot refresh {page}: it is not UTF-8 text"),
    ],
)
def test_refresh_of_an_unusable_file_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | bytes | None,
    message: str,
) -> None:
    page = tmp_path / name
    if isinstance(content, bytes):
        page.write_bytes(content)
    elif content is not None:
        page.write_text(content)
    assert main(["diagram", "--refresh", str(page)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pmsim diagram: " + message.format(page=page))
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "options",
    [["--format", "dot"], ["--machine", "setup_intent"], ["--output", "x.md"]],
)
def test_refresh_takes_no_other_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text(marked("setup_intent"))
    with pytest.raises(SystemExit) as exited:
        main(["diagram", "--refresh", str(page), *options])
    assert exited.value.code == 2
    assert f"argument --refresh: not allowed with {options[0]}" in capsys.readouterr().err
    assert page.read_text() == marked("setup_intent")
    assert not (tmp_path / "x.md").exists()


def test_output_into_a_missing_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nowhere" / "lifecycle.svg"
    assert main(["diagram", "--format", "svg", "--output", str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"pmsim diagram: cannot write {target}: the folder {target.parent} does not exist "
        "(create it first)\n"
    )


def test_output_onto_a_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diagram", "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"pmsim diagram: cannot write {tmp_path}: ")


def test_version_is_the_package_s(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"pmsim {pmsim.__version__}\n"
