"""``pmsim run``: a readable account, JSON Lines on request, and exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pmsim.cli import main

GOOD = "name: Good\nsteps:\n  - customers.create: {email: a@example.com}\n    as: a\n"
FAILING = (
    "name: Failing\nsteps:\n  - customers.create: {email: a@example.com}\n"
    "    expect: {email: b@example.com}\n  - customers.list: {}\n"
)
INVALID = "name: Invalid\nsteps:\n  - customers.craete: {}\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a-good.yaml").write_text(GOOD)
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "b-failing.yml").write_text(FAILING)
    (tmp_path / "notes.txt").write_text("not a scenario")
    return tmp_path


def test_passing_scenarios_exit_0_with_a_line_per_step(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(folder / "a-good.yaml"), "--color", "never"]) == 0
    out = capsys.readouterr().out
    assert "a-good.yaml: Good" in out
    assert "ok    1  customers.create(email='a@example.com') -> customer cus_" in out
    assert out.rstrip().endswith("1 scenario: 1 passed, 0 failed")


def test_a_failed_expectation_exits_1_and_shows_expected_against_actual(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(folder), "--color", "never"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  1  customers.create(email='a@example.com')" in out
    assert (
        "line 3: expect did not hold: email: expected 'b@example.com', got 'a@example.com'" in out
    )
    assert '- expected: "b@example.com"' in out and '+ actual:   "a@example.com"' in out
    assert "FAILED at step 1; 1 later steps not run" in out
    assert "2 scenarios: 1 passed, 1 failed" in out  # folders are searched, .txt skipped


def test_an_invalid_file_exits_2_and_the_others_still_run(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "c-invalid.yaml").write_text(INVALID)
    assert main(["run", str(folder), str(folder / "missing.yaml"), "--color", "never"]) == 2
    captured = capsys.readouterr()
    assert "c-invalid.yaml:3:5: step 1: unknown operation 'customers.craete'" in captured.err
    assert "missing.yaml: no such file or folder" in captured.err
    assert "Traceback" not in captured.err
    assert "4 scenarios: 1 passed, 1 failed, 2 invalid" in captured.out


def test_json_prints_the_transcripts(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--json", str(folder / "a-good.yaml")]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["scenario"] == "Good" and lines[-1]["summary"]["passed"] is True


def test_seed_replaces_the_scenario_s_seed(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = []
    for extra in ([], ["--seed", "9"]):
        main(["run", "--json", *extra, str(folder / "a-good.yaml")])
        runs.append([json.loads(line) for line in capsys.readouterr().out.splitlines()])
    default, seeded = runs
    assert default[0]["seed"] == 0 and seeded[0]["seed"] == 9
    assert default[1]["result"]["id"] != seeded[1]["result"]["id"]


def test_colour_marks_passes_green_and_failures_red(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["run", "--color", "always", str(folder / "nested")])
    out = capsys.readouterr().out
    assert "\033[31mFAIL\033[0m" in out
    main(["run", "--color", "always", str(folder / "a-good.yaml")])
    assert "\033[32mok  \033[0m" in capsys.readouterr().out


@pytest.mark.slow
def test_the_installed_command_runs_as_a_process(folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pmsim", "run", str(folder / "a-good.yaml")],
        capture_output=True, text=True, check=False, env={"NO_COLOR": "1", "PATH": ""},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "\033[" not in done.stdout and "1 passed" in done.stdout


@pytest.mark.slow
def test_a_closed_pipe_is_not_a_traceback() -> None:
    # pmsim run scenarios/ | head -1
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, "-m", "pmsim", "run", str(root / "scenarios")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as run:  # fmt: skip
        assert run.stdout is not None and run.stderr is not None
        run.stdout.readline()
        run.stdout.close()
        error = run.stderr.read().decode()
        run.wait(timeout=60)
    assert "Traceback" not in error and "BrokenPipeError" not in error


def test_a_folder_without_scenarios_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(tmp_path)]) == 2
    assert "no scenario files (*.yaml, *.yml) in this folder" in capsys.readouterr().err


def test_an_alias_bomb_exits_2_with_one_line_at_once(tmp_path: Path) -> None:
    # Before aliases were refused this file grew the process by gigabytes or never ended.
    lines = ["a: &a [" + ", ".join(["lol"] * 9) + "]"]
    lines += [
        f"{b}: &{b} [" + ", ".join([f"*{a}"] * 9) + "]"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    ]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("name: Bomb\nsteps: []\n" + "\n".join(lines) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "pmsim", "run", str(bomb)],
        capture_output=True, text=True, timeout=20, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"invalid scenario: {bomb}:4:8: YAML aliases (*a) are not allowed in scenario files; "
        "write the value out in full"
    ]
