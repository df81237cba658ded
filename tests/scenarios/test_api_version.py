"""A scenario's ``api_version:``: the version its steps answer as, checked when the file is
loaded, recorded in its transcript, and written by a recording on an older version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import pmsim
from pmsim.domain.versions import NEWEST, VERSIONS
from pmsim.scenarios import ScenarioError, loads
from pmsim.scenarios.runner import run_files
from pmsim.scenarios.schema import build_schema

# Step 2 names payment_method_types: taken on 2024-06-20, refused from 2026-09-30.endive.
STEPS = """\
steps:
  - customers.create: {email: ada@example.com}
    as: ada
  - payment_intents.create:
      amount: 2000
      currency: eur
      customer: ${ada}
      payment_method: pm_card_visa
      payment_method_types: [card]
      confirm: true
    expect:
      status: succeeded
      payment_method_types: [card]
      automatic_payment_methods: null
      invoice: null
    expect_events: [payment_intent.created, charge.succeeded, payment_intent.succeeded]
  - setup_intents.create: {customer: "${ada}", payment_method_types: [card]}
    expect: {payment_method_types: [card]}
"""
PINNED = "name: Pinned\nseed: 6\napi_version: 2024-06-20\n" + STEPS
UNPINNED = "name: Pinned\nseed: 6\n" + STEPS


def header(transcript: pmsim.Transcript) -> dict[str, object]:
    first: dict[str, object] = json.loads(transcript.to_jsonl().splitlines()[0])
    return first


def test_a_scenario_on_2024_06_20_takes_payment_method_types() -> None:
    scenario = loads(PINNED, source="pinned.yaml")
    assert str(scenario.api_version) == "2024-06-20"
    transcript = pmsim.replay(scenario)
    assert transcript.passed, transcript.failed_step
    assert transcript.api_version == "2024-06-20"
    # The steps ran on a simulator of that version: its events say so.
    assert {event["api_version"] for step in transcript.steps for event in step.events} == {
        "2024-06-20"
    }


def test_without_api_version_the_newest_refuses_it_at_that_step() -> None:
    scenario = loads(UNPINNED, source="unpinned.yaml")
    assert scenario.api_version is None
    transcript = pmsim.replay(scenario)
    assert not transcript.passed
    assert transcript.api_version == NEWEST.name
    failed = transcript.failed_step
    assert failed is not None and (failed.number, failed.line) == (2, 6)
    assert failed.op == "payment_intents.create" and failed.error is not None
    assert failed.error["code"] == "payment_method_types_no_longer_supported"
    assert failed.error["param"] == "payment_method_types"
    assert failed.error["http_status"] == 400
    assert len(transcript.steps) == 2  # replay stopped there


def test_the_transcript_header_records_the_version() -> None:
    assert header(pmsim.replay(loads(PINNED))) == {
        "format": 2, "scenario": "Pinned", "source": "", "seed": 6, "start_time": 1704067200,
        "api_version": "2024-06-20",
    }  # fmt: skip
    assert header(pmsim.replay(loads(UNPINNED)))["api_version"] == "2026-11-18.endive"


def test_results_are_shown_as_the_version_shows_them() -> None:
    # PaymentIntent.invoice is gone from 2025-03-31.basil: shown (null) before, absent after.
    text = "name: x\n{}steps:\n  - payment_intents.create: {{amount: 500, currency: usd}}\n"
    older = pmsim.replay(loads(text.format("api_version: 2025-02-24.acacia\n")))
    newer = pmsim.replay(loads(text.format("api_version: 2025-03-31.basil\n")))
    assert older.steps[0].result["invoice"] is None
    assert "invoice" not in newer.steps[0].result
    assert older.steps[0].result["capture_method"] == "automatic_async"
    oldest = pmsim.replay(loads(text.format("api_version: 2023-10-16\n")))
    assert oldest.steps[0].result["capture_method"] == "automatic"  # before 2024-04-10


def test_two_runs_are_byte_identical() -> None:
    first = pmsim.replay(loads(PINNED, source="pinned.yaml")).to_jsonl()
    assert pmsim.replay(loads(PINNED, source="pinned.yaml")).to_jsonl() == first
    assert '"api_version":"2024-06-20"' in first.splitlines()[0]


@pytest.mark.slow
def test_another_process_prints_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "pinned.yaml"
    path.write_text(PINNED, encoding="utf-8")
    expected = pmsim.replay(pmsim.load_scenario(path)).to_jsonl()
    for hash_seed in ("1", "4242"):
        done = subprocess.run(
            [sys.executable, "-m", "pmsim", "run", "--json", "pinned.yaml"],
            capture_output=True, check=False, cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode("utf-8") == expected


def test_the_named_version_answers_on_a_simulator_of_another_version() -> None:
    # The steps answer as the scenario's version; events keep the simulator's own, as Stripe
    # renders events in the account's version whatever a request's Stripe-Version says.
    sim = pmsim.Simulator(seed=6)
    transcript = pmsim.replay(loads(PINNED), sim)
    assert transcript.passed, transcript.failed_step
    assert transcript.api_version == "2024-06-20"
    assert transcript.steps[0].events[0]["api_version"] == NEWEST.name
    # ...and the caller's own version comes back afterwards.
    assert str(sim.api_version) == NEWEST.name
    with pytest.raises(pmsim.InvalidRequestError, match="payment_method_types"):
        sim.payment_intents.create(amount=500, currency="usd", payment_method_types=["card"])


def test_a_scenario_without_one_answers_as_the_simulator_s_own() -> None:
    sim = pmsim.Simulator(seed=6, api_version="2024-06-20")
    with sim.with_version("2026-11-18.endive"):  # a caller's scope does not leak in
        transcript = pmsim.replay(loads(UNPINNED), sim)
    assert transcript.passed, transcript.failed_step
    assert transcript.api_version == "2024-06-20"


def test_pmsim_run_uses_the_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pinned.yaml").write_text(PINNED, encoding="utf-8")
    (tmp_path / "unpinned.yaml").write_text(UNPINNED, encoding="utf-8")
    assert run_files([tmp_path / "pinned.yaml"]) == 0
    assert run_files([tmp_path / "pinned.yaml"], seed=99) == 0  # another seed, same version
    assert run_files([tmp_path / "unpinned.yaml"]) == 1
    out = capsys.readouterr().out
    assert "pinned.yaml: Pinned (API version 2024-06-20)\n" in out
    assert "unpinned.yaml: Pinned\n" in out  # the newest goes without saying


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2024-06-2", "api_version '2024-06-2': not a Stripe API version pmsim simulates "
         "(from 2023-08-16 to 2026-11-18.endive); did you mean 2024-06-20?"),
        ("2025-09-30.acacia", "did you mean 2024-09-30.acacia?"),
        ("banana", "api_version 'banana': not a Stripe API version pmsim simulates"),
        ("2022-11-15", "api_version '2022-11-15': older than 2023-08-16, the oldest version "
         "pmsim simulates"),
        ("2026-11-18.preview", "pmsim does not simulate preview versions"),
        ("20240620", "api_version is the name of a Stripe API version, such as 2024-06-20 "
         "(from 2023-08-16 to 2026-11-18.endive); got 20240620"),
        ("", "got None"),
        ("[2024-06-20]", "got ['2024-06-20']"),
    ],
)  # fmt: skip
def test_a_bad_api_version_is_an_error_naming_file_and_line(value: str, says: str) -> None:
    text = f"name: x\nseed: 1\napi_version: {value}\n" + STEPS
    with pytest.raises(ScenarioError) as caught:
        loads(text, source="story.yaml")
    err = caught.value
    assert (err.file, err.line, err.column, err.step) == ("story.yaml", 3, 1, None)
    assert str(err).startswith("story.yaml:3:1: ")
    assert says in str(err), str(err)


def test_every_version_pmsim_simulates_loads() -> None:
    for version in VERSIONS:
        scenario = loads(f"name: x\napi_version: {version}\nsteps: []\n")
        assert scenario.api_version == version


def test_the_schema_lists_the_versions() -> None:
    validator = jsonschema.Draft202012Validator(build_schema())
    assert validator.is_valid({"name": "x", "api_version": "2024-06-20", "steps": []})
    assert not validator.is_valid({"name": "x", "api_version": "2024-06-2", "steps": []})
    assert not validator.is_valid({"name": "x", "api_version": 2024, "steps": []})


def test_a_recording_on_an_older_version_writes_it_and_replays_identically() -> None:
    sim = pmsim.Simulator(seed=8, api_version="2024-06-20")
    with pmsim.record(sim) as recording:
        ada = sim.customers.create(email="ada@example.com")
        sim.payment_intents.create(
            amount=2000, currency="eur", customer=ada.id, payment_method="pm_card_visa",
            payment_method_types=["card"], confirm=True,
        )  # fmt: skip
    text = recording.to_yaml(name="Pinned session")
    assert "\napi_version: 2024-06-20\n" in text
    scenario = loads(text)
    assert str(scenario.api_version) == "2024-06-20"
    transcript = pmsim.replay(scenario)
    assert transcript.passed, transcript.failed_step
    assert transcript.to_jsonl() == recording.transcript(name="Pinned session").to_jsonl()
    assert transcript.steps[1].result["invoice"] is None  # shown as 2024-06-20 shows it


def test_a_recording_on_the_newest_writes_no_version() -> None:
    sim = pmsim.Simulator(seed=8)
    with pmsim.record(sim) as recording:
        sim.customers.create(email="ada@example.com")
    text = recording.to_yaml()
    assert "api_version" not in text
    assert recording.transcript().api_version == NEWEST.name
    assert pmsim.replay(loads(text)).to_jsonl() == recording.transcript().to_jsonl()
