"""Replay: expectations hold or fail for the right reason, and failures stop the story."""

from __future__ import annotations

import json

import pytest

import pmsim
from pmsim.scenarios import loads
from pmsim.scenarios.transcript import Transcript
from tests.support import ALREADY_ATTACHED

HEADER = "name: A story\nseed: 4\nsteps:\n"
ADA = "  - customers.create: {email: ada@example.com}\n    as: ada\n"


def run(steps: str) -> Transcript:
    return pmsim.replay(loads(HEADER + steps, source="story.yaml"))


def kinds(transcript: Transcript, number: int) -> dict[str, bool]:
    return {check.kind: check.held for check in transcript.steps[number - 1].checks}


def test_results_and_events_are_recorded_with_references_resolved() -> None:
    transcript = run(ADA + "  - customers.update: {customer: '${ada}', name: Ada}\n")
    assert transcript.passed
    create, update = transcript.steps
    assert update.params == {"customer": create.result["id"], "name": "Ada"}
    assert update.result["name"] == "Ada"
    assert [event["type"] for event in update.events] == ["customer.updated"]


def test_an_expectation_that_fails_names_each_difference() -> None:
    transcript = run(ADA + "    expect: {email: bob@example.com, invoice_settings: {footer: hi}}\n")
    assert not transcript.passed
    (check,) = [c for c in transcript.steps[0].checks if c.kind == "expect"]
    assert [(m.path, m.expected, m.actual) for m in check.mismatches] == [
        ("email", "bob@example.com", "ada@example.com"),
        ("invoice_settings.footer", "hi", None),
    ]


def test_a_call_that_fails_without_expect_error_fails_the_step() -> None:
    transcript = run("  - customers.retrieve: {customer: cus_missing}\n")
    assert kinds(transcript, 1) == {"succeeds": False}
    assert transcript.steps[0].error["code"] == "resource_missing"
    assert (
        "the call failed: No such customer: 'cus_missing'" in transcript.steps[0].checks[0].message
    )


def test_expect_error_matches_stripe_s_fields_and_status() -> None:
    steps = ADA + (
        "  - payment_methods.attach: {payment_method: pm_card_visa, customer: '${ada}'}\n"
        "    as: visa\n"
        "  - customers.create: {}\n    as: bob\n"
        "  - payment_methods.attach: {payment_method: '${visa}', customer: '${bob}'}\n"
        "    expect_error:\n"
        "      type: invalid_request_error\n      http_status: 400\n"
        f"      message: {ALREADY_ATTACHED!r}\n"
        "    expect_events: []\n"
    )
    transcript = run(steps)
    assert transcript.passed, transcript.steps[-1].checks
    assert kinds(transcript, 4) == {"expect_error": True, "expect_events": True}


def test_an_expected_error_that_does_not_come_fails_the_step() -> None:
    transcript = run(ADA.replace("    as: ada\n", "") + "    expect_error: {type: card_error}\n")
    (check,) = transcript.steps[0].checks
    assert (check.kind, check.held) == ("expect_error", False)
    assert check.message == "the call succeeded; an error was expected"


def test_a_wrong_error_field_is_a_mismatch() -> None:
    transcript = run(
        "  - customers.retrieve: {customer: nope}\n    expect_error: {http_status: 400}\n"
    )
    (check,) = transcript.steps[0].checks
    assert [(m.path, m.expected, m.actual) for m in check.mismatches] == [("http_status", 400, 404)]


def test_expect_events_compares_types_in_order_and_partial_events() -> None:
    good = run(
        "  - customers.create: {payment_method: pm_card_visa, "
        "invoice_settings: {default_payment_method: pm_card_visa}}\n"
        "    expect_events: [customer.created, {type: payment_method.attached, "
        "data: {object: {card: {brand: visa}}}}]\n"
    )
    assert good.passed, good.steps[0].checks
    bad = run("  - customers.create: {}\n    expect_events: [customer.updated]\n")
    (mismatch,) = bad.steps[0].checks[-1].mismatches
    assert (mismatch.path, mismatch.expected, mismatch.actual) == (
        "0.type", "customer.updated", "customer.created"
    )  # fmt: skip
    missing = run("  - customers.create: {}\n    expect_events: []\n")
    (mismatch,) = missing.steps[0].checks[-1].mismatches
    assert (mismatch.expected, mismatch.actual) == ([], ["customer.created"])


def test_replay_stops_at_the_first_failed_step() -> None:
    transcript = run(
        "  - customers.retrieve: {customer: nope}\n" + ADA + "  - customers.list: {}\n"
    )
    assert len(transcript.steps) == 1 and transcript.total_steps == 3
    summary = transcript.lines()[-1]["summary"]
    assert summary == {"steps": 3, "ran": 1, "passed": False, "failed_step": 1}


def test_a_reference_to_a_missing_field_fails_its_step_with_what_is_there() -> None:
    transcript = run(ADA + "  - customers.retrieve: {customer: '${ada.emial}'}\n")
    (check,) = transcript.steps[1].checks
    assert check.kind == "references" and not check.held
    assert "${ada.emial}: ${ada} has no 'emial' (it has fields id, object," in check.message


def test_list_items_are_reached_by_index() -> None:
    transcript = run(
        ADA + "  - customers.list: {}\n    as: page\n"
        "  - customers.retrieve: {customer: '${page.data.0.id}'}\n"
        "    expect: {email: ada@example.com}\n"
        "  - customers.retrieve: {customer: '${page.data.1.id}'}\n"
    )
    assert [step.passed for step in transcript.steps] == [True, True, True, False]
    assert "${page.data} has no '1' (it has 1 items)" in transcript.steps[3].checks[0].message


def test_check_rereads_the_object_as_it_is_now() -> None:
    transcript = run(
        ADA + "  - payment_methods.attach: {payment_method: pm_card_visa, customer: '${ada}'}\n"
        "    as: visa\n"
        "  - payment_methods.detach: {payment_method: '${visa}'}\n"
        "  - check: ${visa}\n    expect: {customer: null}\n"
        "  - check: ${ada}\n    expect: {email: ada@example.com}\n"
        "  - check: sub_123\n"
    )
    assert [step.passed for step in transcript.steps] == [True] * 5 + [False]
    assert transcript.steps[1].result["customer"] is not None  # the name keeps the old view
    assert transcript.steps[5].error["type"] == "pmsim_usage_error"
    assert (
        "check reads objects by id (cus_..., pm_..., evt_..., seti_..., pi_..., ch_..., re_..., "
        "clock_..., we_...)" in transcript.steps[5].error["message"]
    )


def test_the_clock_moves_and_later_objects_are_created_then() -> None:
    transcript = run(
        "  - clock.advance: {days: 1, hours: 2}\n"
        "    expect: {datetime: '2024-01-02T02:00:00Z'}\n"
        "  - customers.create: {}\n    expect: {created: 1704160800}\n"
        "  - clock.advance: {days: -1}\n    expect_error: {type: pmsim_usage_error}\n"
    )
    assert transcript.passed, [step.checks for step in transcript.steps]


def test_a_failed_step_changes_nothing() -> None:
    sim = pmsim.Simulator(seed=4)
    scenario = loads(HEADER + ADA + "  - customers.update: {customer: '${ada}', balance: lots}\n")
    transcript = pmsim.replay(scenario, sim)
    assert transcript.steps[1].error["param"] == "balance"
    assert transcript.steps[1].events == ()
    assert sim.snapshot().to_dict()["customers"][0]["balance"] == 0


@pytest.mark.parametrize("seed", [0, 7])
def test_a_simulator_given_to_replay_keeps_its_own_seed(seed: int) -> None:
    scenario = loads(HEADER + ADA)
    transcript = pmsim.replay(scenario, pmsim.Simulator(seed=seed))
    assert transcript.seed == seed
    assert transcript.steps[0].result["id"] == pmsim.Simulator(seed).customers.create().id


def test_the_transcript_is_json_lines_with_sorted_keys_and_no_spaces() -> None:
    text = run(ADA).to_jsonl()
    lines = text.splitlines()
    assert len(lines) == 3 and text.endswith("\n")
    header = json.loads(lines[0])
    assert header == {"format": 2, "scenario": "A story", "source": "story.yaml", "seed": 4,
                      "start_time": 1704067200, "api_version": "2026-11-18.endive"}  # fmt: skip
    assert lines[0] == json.dumps(header, sort_keys=True, separators=(",", ":"))
    step = json.loads(lines[1])
    assert (step["step"], step["line"], step["op"], step["as"]) == (1, 4, "customers.create", "ada")
    assert step["checks"] == [{"held": True, "kind": "succeeds"}]


def test_absent_expects_a_field_not_to_be_there() -> None:
    transcript = run(
        "  - customers.retrieve: {customer: nope}\n"
        "    expect_error: {code: resource_missing, decline_code: !absent }\n"
        "  - customers.create: {metadata: {a: '1'}}\n    as: ada\n"
        "  - customers.update: {customer: '${ada}', metadata: {a: ''}}\n"
        "    expect:\n      metadata:\n        a: !absent\n"
        "  - customers.update: {customer: '${ada}', metadata: {b: '2'}}\n"
        "    expect: {metadata: {b: !absent }}\n"
    )
    assert [step.passed for step in transcript.steps] == [True, True, True, False]
    (mismatch,) = transcript.steps[3].checks[-1].mismatches
    assert mismatch.to_dict() == {"path": "metadata.b", "expected": "<absent>", "actual": "2"}


def test_absent_is_refused_in_parameters() -> None:
    with pytest.raises(pmsim.ScenarioError, match="!absent is for expectations"):
        loads(HEADER + "  - customers.create: {email: !absent }\n")
    with pytest.raises(pmsim.ScenarioError, match="!absent takes no value"):
        loads(HEADER + "  - customers.create: {}\n    expect: {email: !absent x}\n")


def test_the_account_steps_take_their_id_or_none() -> None:
    own = pmsim.Simulator(seed=4).accounts.platform_id
    transcript = run(
        "  - accounts.retrieve: {}\n    expect: {object: account, country: US}\n"
        f"  - accounts.retrieve: {{account: {own}}}\n"
        "  - accounts.retrieve: {account: acct_1Other}\n"
        "    expect_error: {code: account_invalid, http_status: 403}\n"
        "  - accounts.list: {limit: 3}\n    expect: {data: []}\n"
    )
    assert transcript.passed, transcript
    assert transcript.steps[0].result["id"] == transcript.steps[1].result["id"] == own
