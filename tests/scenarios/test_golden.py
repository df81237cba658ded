"""Every shipped scenario passes and replays to its golden transcript, byte for byte.

After a deliberate change to what pmsim answers, rewrite the golden files with
``PMSIM_UPDATE_GOLDEN=1 python -m pytest tests/scenarios/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import pmsim
from pmsim.domain.versions import NEWEST

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("golden")
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
UPDATE = os.environ.get("PMSIM_UPDATE_GOLDEN") == "1"


def golden_path(scenario: Path) -> Path:
    return GOLDEN / f"{scenario.stem}.jsonl"


def test_the_library_has_a_dozen_stories() -> None:
    assert len(SHIPPED) >= 12


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_each_scenario_passes_and_matches_its_golden_transcript(path: Path) -> None:
    transcript = pmsim.replay(pmsim.load_scenario(path))
    assert transcript.passed, transcript.failed_step
    text = transcript.to_jsonl()
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        golden_path(path).write_text(text, encoding="utf-8")
    assert golden_path(path).read_text(encoding="utf-8") == text


def test_every_golden_file_has_its_scenario() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.jsonl")) == [p.stem for p in SHIPPED]


@pytest.mark.slow
@pytest.mark.parametrize("hash_seed", ["1", "4242"])
def test_another_process_prints_the_same_bytes(hash_seed: str) -> None:
    # A fresh interpreter with another hash seed: nothing may depend on set or dict order
    # that varies between runs, nor on the working directory.
    scenario = SHIPPED[0]
    done = subprocess.run(
        [sys.executable, "-m", "pmsim", "run", "--json", str(scenario)],
        capture_output=True, check=False, cwd=scenario.parent,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == golden_path(scenario).read_text(encoding="utf-8")


def test_the_readme_indexes_every_scenario_in_order() -> None:
    readme = (ROOT / "scenarios" / "README.md").read_text(encoding="utf-8")
    positions = [readme.find(f"]({path.name})") for path in SHIPPED]
    assert -1 not in positions, [
        p.name for p, at in zip(SHIPPED, positions, strict=True) if at == -1
    ]
    assert positions == sorted(positions)


def test_every_scenario_holds_with_another_seed() -> None:
    # Expectations name objects through references, never through ids fixed by one seed.
    for path in SHIPPED:
        scenario = pmsim.load_scenario(path)
        # As `pmsim run --seed` does: another seed, the scenario's start and API version.
        version = scenario.api_version or NEWEST
        sim = pmsim.Simulator(scenario.seed + 1000, scenario.start_time, version)
        transcript = pmsim.replay(scenario, sim)
        assert transcript.passed, (path.name, transcript.failed_step)
