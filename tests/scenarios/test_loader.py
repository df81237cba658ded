"""Bad scenario files: one clear message naming the file, line, column and step, never a
traceback, and nothing run before the whole file is checked."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import pmsim
from pmsim.scenarios import ScenarioError, loads

HEADER = "name: A story\nsteps:\n"


def error_of(text: str, source: str = "story.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as caught:
        loads(text, source=source)
    return caught.value


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        # YAML syntax, at the place the parser stopped
        (HEADER + "  - customers.create: {email: [a\n", (4, 1), "YAML syntax error"),
        ("name: x\nname: y\nsteps: []\n", (2, 1), "'name' is written twice"),
        # the header
        ("steps:\n  - customers.create: {}\n", (1, 1), "the scenario needs a name"),
        ("name: x\nsteps: {}\n", (2, 1), "steps must be a list of steps"),
        ("name: x\nseed: -1\nsteps: [{customers.create: {}}]\n", (2, 1), "seed must be"),
        ("name: x\nseed: yes\nsteps: [{customers.create: {}}]\n", (2, 1), "seed must be"),
        ("name: x\nstart_time: soon\nsteps: [{customers.create: {}}]\n", (2, 1), "start_time"),
        ("name: x\nstep:\n  - customers.create: {}\n", (2, 1),
         "unknown key 'step'; did you mean steps?"),
        ("- customers.create: {}\n", (1, 1), "a scenario is a mapping"),
        # operations and parameters, with the nearest valid names
        (HEADER + "  - customers.craete: {}\n", (3, 5),
         "step 1: unknown operation 'customers.craete'; did you mean customers.create?"),
        (HEADER + "  - customers.create: {emial: a@example.com}\n", (3, 24),
         "unknown parameter of customers.create 'emial'; did you mean email?"),
        (HEADER + "  - payment_methods.attach: {customer: cus_1}\n", (3, 5),
         "payment_methods.attach needs payment_method"),
        (HEADER + "  - customers.create: [email]\n", (3, 5), "takes a mapping of parameters"),
        (HEADER + "  - customers.create: {}\n    customers.delete: {customer: x}\n", (3, 5),
         "a step names one operation; this one names customers.create and customers.delete"),
        (HEADER + "  - {}\n", (3, 5), "this one names none"),
        (HEADER + "  - customers.create\n", (3, 5), "a step is a mapping"),
        (HEADER + "  - customers.create: {}\n    expekt: {}\n", (4, 5),
         "unknown step key 'expekt'; did you mean expect?"),
        # expectations
        (HEADER + "  - customers.create: {}\n    expect: 3\n", (4, 5), "expect is a mapping"),
        (HEADER + "  - customers.create: {}\n    expect_error: {kode: x}\n", (4, 20),
         "unknown error field 'kode'; did you mean code?"),
        (HEADER + "  - customers.create: {}\n    expect: {}\n    expect_error: {}\n", (3, 5),
         "a step expects a result or an error, not both"),
        (HEADER + "  - customers.create: {}\n    as: ada\n    expect_error: {}\n", (3, 5),
         "a step expecting an error has none"),
        (HEADER + "  - customers.create: {}\n    expect_events: customer.created\n", (4, 5),
         "expect_events is a list"),
        # names and references
        (HEADER + "  - customers.create: {}\n    as: 2ada\n", (4, 5), "`as` takes a name"),
        (HEADER + "  - customers.create: {}\n    as: ada\n  - customers.create: {}\n    as: ada\n",
         (6, 5), "step 2: 'ada' is already the name of step 1"),
        (HEADER + "  - customers.retrieve: {customer: '${ada}'}\n", (3, 26),
         "${ada} refers to 'ada', which no earlier step defines with `as: ada`"),
        (HEADER + "  - customers.create: {}\n    as: ada\n"
         "  - customers.retrieve: {customer: 'x${ada'}\n", (5, 26),
         "has a ${ that starts no reference"),
        (HEADER + "  - customers.create: {}\n    expect: {id: '${ada.id}'}\n    as: ada\n",
         (4, 14), "which no earlier step defines"),
        (HEADER + "  - check: {object: x}\n", (3, 5), "check takes an object"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_file_gets_one_placed_message(
    text: str, where: tuple[int, int], says: str
) -> None:
    err = error_of(text)
    assert says in str(err), str(err)
    assert (err.file, err.line, err.column) == ("story.yaml", *where), str(err)
    assert str(err).startswith(f"story.yaml:{where[0]}:{where[1]}: ")


def test_the_step_number_is_in_the_message() -> None:
    err = error_of(HEADER + "  - customers.create: {}\n  - customers.nope: {}\n")
    assert err.step == 2
    assert "story.yaml:4:5: step 2: unknown operation 'customers.nope'" in str(err)


def test_a_missing_or_unreadable_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"nowhere\.yaml: cannot read the file"):
        pmsim.load_scenario(tmp_path / "nowhere.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(ScenarioError, match=r"binary\.yaml: cannot read the file"):
        pmsim.load_scenario(binary)


def test_an_empty_file_says_what_a_scenario_looks_like() -> None:
    assert "a scenario is a mapping with a name and steps" in str(error_of(""))


def test_recursive_aliases_are_refused_not_followed_forever() -> None:
    assert "an alias refers to a mapping or list that holds it" in str(
        error_of(HEADER + "  - &a {customers.create: {metadata: *a}}\n")
    )


def test_nothing_runs_until_the_whole_file_is_checked(tmp_path: Path) -> None:
    # Step 1 is fine, step 2 is not: loading fails, so step 1 never creates a customer.
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEADER + "  - customers.create: {}\n  - customers.create: {nope: 1}\n")
    sim = pmsim.Simulator()
    with pytest.raises(ScenarioError):
        pmsim.replay(pmsim.load_scenario(bad), sim)
    assert sim.snapshot().to_dict()["customers"] == []


def test_a_good_file_gives_frozen_records_with_lines() -> None:
    scenario = loads(
        "name: Ada\nseed: 3\nstart_time: 2024-02-01T00:00:00Z\nsteps:\n"
        "  - customers.create: {email: a@example.com}\n    as: ada\n"
        "  - payment_methods.attach: {payment_method: pm_card_visa, customer: '${ada}'}\n",
        source="ada.yaml",
    )
    assert (scenario.name, scenario.seed, scenario.start_time) == ("Ada", 3, 1706745600)
    first, second = scenario.steps
    assert (first.number, first.line, first.op, first.name) == (1, 5, "customers.create", "ada")
    assert (second.line, dict(second.params)) == (
        7, {"payment_method": "pm_card_visa", "customer": "${ada}"}
    )  # fmt: skip
    with pytest.raises(AttributeError):
        first.name = "bob"  # type: ignore[misc]


def test_a_step_without_parameters_may_leave_them_empty() -> None:
    scenario = loads(HEADER + "  - customers.list:\n  - customers.create: {}\n")
    assert [dict(step.params) for step in scenario.steps] == [{}, {}]


def billion_laughs(levels: int, width: int = 9) -> str:
    """Nested aliases: a few hundred bytes that expand to ``width ** levels`` values."""
    lines = ["a: &a [" + ", ".join(["lol"] * width) + "]"]
    for previous, name in zip("abcdefghij", "bcdefghijk"[: levels - 1], strict=False):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * width) + "]")
    return HEADER + "  - customers.create: {}\n" + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_its_first_alias_before_anything_expands() -> None:
    text = billion_laughs(9)  # 9**9 = 387 million "lol"s if the aliases were followed
    assert len(text) < 600
    started = time.perf_counter()
    err = error_of(text, source="bomb.yaml")
    assert time.perf_counter() - started < 1
    assert (err.file, err.line, err.column) == ("bomb.yaml", 5, 8)
    assert "YAML aliases (*a) are not allowed in scenario files" in str(err)
    assert "\n" not in str(err)


@pytest.mark.parametrize(
    ("text", "says", "line"),
    [
        (
            HEADER + "  - customers.create: {metadata: &m {a: b}}\n  - customers.create: "
            "{metadata: *m}\n",
            "YAML aliases (*m) are not allowed",
            4,
        ),
        (
            HEADER + "  - customers.create: {metadata: {a: b}}\n" + "x: " + "[" * 40 + "]" * 40,
            "nested more than 32 levels deep",
            4,
        ),
        (HEADER + "x: [" + "1, " * 500_001 + "]\n", "more than 500,000 values in one file", 3),
    ],
)
def test_costly_shapes_are_refused_with_their_line(text: str, says: str, line: int) -> None:
    err = error_of(text)
    assert says in str(err) and err.line == line, str(err)


def test_a_file_larger_than_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(HEADER + "# " + "x" * (8 << 20) + "\n")
    with pytest.raises(ScenarioError, match=r"big\.yaml: the file is larger than 8,388,608"):
        pmsim.load_scenario(big)
    assert "longer than 8,388,608 characters" in str(error_of(big.read_text()))
