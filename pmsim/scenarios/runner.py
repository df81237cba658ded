"""``pmsim run``: replay many scenario files, print what happened, and say how it went.

Exit codes: 0 when every expectation of every file holds, 1 when one does not, 2 when a file
cannot be replayed at all (a bad path, a YAML error, an unknown operation...). Invalid files
are reported and skipped, so one typo does not hide the other files' results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from pmsim.domain.versions import NEWEST
from pmsim.engine import Simulator
from pmsim.scenarios.loader import load_scenario
from pmsim.scenarios.model import ScenarioError
from pmsim.scenarios.replay import replay
from pmsim.scenarios.report import render

SUFFIXES = (".yaml", ".yml")
PASSED, FAILED, INVALID = 0, 1, 2


def scenario_files(paths: Iterable[str | Path]) -> list[Path | ScenarioError]:
    """The files to run, in order: folders give their YAML files, searched recursively and
    sorted by path; a path that does not exist gives an error in its place."""
    found: list[Path | ScenarioError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
            found.extend(inside or [ScenarioError("no scenario files (*.yaml, *.yml) in this "
                                                  "folder", file=str(path))])  # fmt: skip
        elif path.exists():
            found.append(path)
        else:
            found.append(ScenarioError("no such file or folder", file=str(path)))
    return found


def run_files(
    paths: Iterable[str | Path],
    *,
    seed: int | None = None,
    as_json: bool = False,
    color: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Replay every scenario under ``paths``; print reports (or JSON Lines); the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    counts = {PASSED: 0, FAILED: 0, INVALID: 0}
    for found in scenario_files(paths):
        try:
            if isinstance(found, ScenarioError):
                raise found
            scenario = load_scenario(found)
        except ScenarioError as problem:
            counts[INVALID] += 1
            print(f"invalid scenario: {problem}", file=err)
            continue
        sim = Simulator(
            scenario.seed if seed is None else seed,
            scenario.start_time,
            scenario.api_version or NEWEST,
        )
        transcript = replay(scenario, sim)
        counts[PASSED if transcript.passed else FAILED] += 1
        if as_json:
            out.write(transcript.to_jsonl())
        else:
            print(render(transcript, color=color), file=out)
    if not as_json:
        print(_summary(counts), file=out)
    return INVALID if counts[INVALID] else FAILED if counts[FAILED] else PASSED


def _summary(counts: Mapping[int, int]) -> str:
    total = sum(counts.values())
    parts = [f"{counts[PASSED]} passed", f"{counts[FAILED]} failed"]
    if counts[INVALID]:
        parts.append(f"{counts[INVALID]} invalid")
    noun = "scenario" if total == 1 else "scenarios"
    return f"{total} {noun}: {', '.join(parts)}"


def choose_color(mode: str, stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour for ``always``; for ``auto``, on a terminal unless NO_COLOR is set (FORCE_COLOR
    forces it on); never for ``never``.

    >>> import io
    >>> choose_color("auto", io.StringIO(), {}), choose_color("always", io.StringIO(), {})
    (False, True)
    """
    environ = os.environ if environ is None else environ
    if mode != "auto":
        return mode == "always"
    if environ.get("FORCE_COLOR"):
        return True
    return stream.isatty() and not environ.get("NO_COLOR")
