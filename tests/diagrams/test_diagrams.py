"""The pictures are drawn from the engine's own tables, in every format, the same every time."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import MappingProxyType

import pytest

import pmsim.diagrams
from pmsim.cli import main
from pmsim.diagrams import FORMATS, MACHINES, build, render
from pmsim.diagrams.markers import blocks, fenced
from pmsim.domain import bank_account_states as accounts
from pmsim.domain import lifecycle, payment_intents, setup_intents
from pmsim.domain.messages import bank_debits as debit_messages
from pmsim.domain.messages import intents as intent_messages
from pmsim.domain.messages import microdeposits as microdeposit_messages
from pmsim.domain.messages.payment_methods import attached_to_another_customer

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: Where the pictures are shown: the README and the documentation pages.
PAGES = (README, *sorted((ROOT / "docs").glob("*.md")))
SVG = "{http://www.w3.org/2000/svg}"
PICTURES = ("mermaid", "dot", "svg")

#: Each machine's table, read straight from the domain: what every picture must show.
TABLES = {
    "payment_method": (lifecycle.PMState, lifecycle.Action),
    "setup_intent": (setup_intents.SetupStatus, setup_intents.SetupAction),
    "payment_intent": (payment_intents.PaymentStatus, payment_intents.PaymentAction),
    "bank_account": (accounts.AccountState, accounts.AccountAction),
    "mandate": (accounts.MANDATE_STATES, accounts.MandateAction),
}


def expected_errors(machine: str) -> tuple[set[str], set[str]]:
    """The codes and the messages of the machine's refusals, found from the domain's own error
    functions rather than from pmsim.diagrams. The lifecycle's errors carry no code (as
    Stripe's do not), so its pictures name their type instead."""
    if machine == "payment_method":
        found = [factory() for factory in lifecycle.REFUSAL_ERRORS.values()]
        found.append(attached_to_another_customer())
        assert {error.code for error in found} == {None}
        return {error.type for error in found}, {error.message for error in found}
    if machine == "setup_intent":
        return {intent_messages.UNEXPECTED_STATE}, set(intent_messages.REFUSALS.values())
    if machine == "bank_account":
        found = [
            microdeposit_messages.not_verified("pm_…"),
            microdeposit_messages.not_waiting("SetupIntent", "seti_…", "…"),
            microdeposit_messages.already_verified(),
        ]
        return {error.code or error.type for error in found}, {error.message for error in found}
    if machine == "mandate":
        inactive = debit_messages.mandate_inactive("mandate_…")
        return {inactive.type}, {inactive.message}
    cancel = intent_messages.pi_unexpected_state(payment_intents.PaymentAction.CANCEL, "succeeded")
    return {intent_messages.PI_UNEXPECTED_STATE}, {cancel.message}


def svg_text(picture: str) -> str:
    """All the words an SVG shows, wrapped lines joined again."""
    root = ET.fromstring(picture)
    return " ".join(" ".join(node.itertext()) for node in root.iter(SVG + "text"))


def rectangles(picture: str, selector: str) -> list[tuple[float, float, float, float]]:
    root = ET.fromstring(picture)
    if selector == "state":
        found = [rect for g in root.iter(SVG + "g") if g.get("class") == "state"
                 for rect in g.iter(SVG + "rect")]  # fmt: skip
    else:
        found = [rect for rect in root.iter(SVG + "rect") if rect.get("class") == selector]
    return [
        (float(r.get("x", 0)), float(r.get("y", 0)), float(r.get("width")), float(r.get("height")))
        for r in found
    ]


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


# --- The README shows what the code draws ---------------------------------------------------


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_readme_diagrams_are_fresh(machine: str) -> None:
    """Each machine is drawn on one page at least (the README or docs/), and every drawing
    of it is what the tables draw now."""
    drawn = {page: blocks(page.read_text(encoding="utf-8")) for page in PAGES}
    showing = [page for page, shown in drawn.items() if machine in shown]
    assert showing, f"no page has a <!-- diagram:{machine}:start --> block"
    for page in showing:
        assert drawn[page][machine] == fenced(machine), (
            f"{page.name}'s {machine} diagram is out of date with the tables. "
            f"Refresh it with: pmsim diagram --refresh {page.relative_to(ROOT)}"
        )


#: The table `pmsim diagram` prints, written out so that any change to it shows (issue 13
#: added the set_up state and action: a card set up without a customer is attachable once).
PAYMENT_METHOD_TABLE = "\n".join(
    (
        "| state | attach | detach | update | use | set_up |",
        "|---|---|---|---|---|---|",
        "| new | → attached | refused: not attached | refused: not saved | → consumed | → set_up |",
        "| set_up | → attached | refused: not attached | refused: not saved"
        " | refused: attach first | refused: attach first |",
        "| attached | → attached | → detached | → attached | → attached | → attached |",
        "| detached | refused: not reusable | refused: not attached | refused: not saved"
        " | refused: not reusable | refused: not reusable |",
        "| consumed | refused: not reusable | refused: not attached | refused: not saved"
        " | refused: not reusable | refused: not reusable |",
    )
)


def test_markdown_is_the_lifecycle_table_pmsim_always_printed() -> None:
    assert render("payment_method", "markdown") == PAYMENT_METHOD_TABLE


# --- Every format shows the whole table -----------------------------------------------------


@pytest.mark.parametrize("format", sorted(FORMATS))
@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_every_state_action_and_code_is_shown(machine: str, format: str) -> None:
    text = render(machine, format)
    states, actions = TABLES[machine]
    for state in states:
        assert state.value in text, f"{machine} {format} lacks the state {state.value}"
    for action in actions:
        assert action.value in text, f"{machine} {format} lacks the action {action.value}"
    if format == "markdown" and machine in ("payment_method", "bank_account", "mandate"):
        return  # pmsim diagram's table names these refusals by reason ("refused: not saved")
    codes, _ = expected_errors(machine)
    for code in codes:
        assert code in text, f"{machine} {format} lacks the error {code}"


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_the_svg_and_dot_carry_every_refusal_message(machine: str) -> None:
    _, messages = expected_errors(machine)
    shown = svg_text(render(machine, "svg"))
    dot = render(machine, "dot")
    for message in messages:
        assert message in shown, message
        assert message.replace('"', '\\"') in dot, message


def test_the_another_customer_rule_is_drawn_beside_the_table() -> None:
    assert "attach (another customer)" in render("payment_method", "mermaid")
    assert '"attached" -> "attached"' in render("payment_method", "dot")
    assert attached_to_another_customer().message in svg_text(render("payment_method", "svg"))


def test_changing_a_table_changes_the_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    before = {format: render("payment_method", format) for format in FORMATS}
    changed = dict(lifecycle.TRANSITIONS)
    changed[lifecycle.PMState.DETACHED, lifecycle.Action.ATTACH] = lifecycle.PMState.ATTACHED
    monkeypatch.setattr(lifecycle, "TRANSITIONS", MappingProxyType(changed))
    after = {format: render("payment_method", format) for format in FORMATS}
    assert all(after[format] != before[format] for format in FORMATS)
    assert "    detached --> attached: attach" in after["mermaid"]
    assert '"detached" -> "attached" [label="attach"]' in after["dot"]


def test_changing_an_intent_table_changes_its_pictures(monkeypatch: pytest.MonkeyPatch) -> None:
    before = render("setup_intent", "svg")
    S, A = setup_intents.SetupStatus, setup_intents.SetupAction  # noqa: N806
    changed = dict(setup_intents.TRANSITIONS)
    changed[S.SUCCEEDED, A.CANCEL] = frozenset({S.CANCELED})
    monkeypatch.setattr(setup_intents, "TRANSITIONS", MappingProxyType(changed))
    assert "    succeeded --> canceled: cancel" in render("setup_intent", "mermaid")
    after = render("setup_intent", "svg")
    assert after != before
    assert intent_messages.REFUSALS[A.CANCEL, S.SUCCEEDED] not in svg_text(after)


# --- The SVG is a readable picture ----------------------------------------------------------


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_svg_is_well_formed_and_nothing_overlaps(machine: str) -> None:
    picture = render(machine, "svg")
    root = ET.fromstring(picture)
    assert root.tag == SVG + "svg"
    x, y, width, height = (float(n) for n in root.get("viewBox", "").split())
    assert (x, y) == (0, 0) and width > 0 and height > 0
    boxes = rectangles(picture, "state")
    assert len(boxes) == len(TABLES[machine][0])
    labels = rectangles(picture, "label")
    for i, box in enumerate(boxes):
        bx, by, bw, bh = box
        assert bx >= 0 and bx + bw <= width and by >= 0 and by + bh <= height
        assert not any(overlap(box, other) for other in boxes[i + 1 :]), box
        assert not any(overlap(box, label) for label in labels), box
    for i, label in enumerate(labels):
        assert not any(overlap(label, other) for other in labels[i + 1 :]), label


def test_svg_draws_arrows_loops_and_the_initial_state() -> None:
    picture = render("payment_method", "svg")
    machine = build("payment_method")
    arrows = [t for t in machine.transitions if t.source != t.target]
    assert picture.count('class="move"') == len(arrows)
    assert "↻ attach, update, use" in picture  # attached's self-loop
    assert "<circle" in picture


@pytest.mark.parametrize("format", sorted(FORMATS))
@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_output_is_the_same_on_every_run(machine: str, format: str) -> None:
    assert render(machine, format) == render(machine, format)


@pytest.mark.slow
def test_output_is_the_same_in_another_process() -> None:
    command = [sys.executable, "-m", "pmsim", "diagram", "--machine", "setup_intent"]
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONUTF8": "1"}
        run = subprocess.run(
            [*command, "--format", "svg"], capture_output=True, env=env, check=True
        )
        assert run.stdout.decode() == render("setup_intent", "svg") + "\n"


# --- DOT and Mermaid are well formed --------------------------------------------------------


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_dot_is_structurally_sane(machine: str) -> None:
    text = render(machine, "dot")
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # strings may hold any brace
    assert bare.count("{") == bare.count("}") == 1
    assert text.startswith(f"digraph {machine} {{\n") and text.endswith("\n}")
    nodes = set(re.findall(r'^ {4}"(\w+)"(?: \[[^\n]*\])?;$', text, flags=re.MULTILINE))
    assert {state.value for state in TABLES[machine][0]} <= nodes
    for source, target in re.findall(r'^ {4}"(\w+)" -> "(\w+)"', text, flags=re.MULTILINE):
        assert source in nodes and target in nodes


@pytest.mark.parametrize("machine", sorted(MACHINES))
def test_mermaid_is_a_state_diagram(machine: str) -> None:
    lines = render(machine, "mermaid").splitlines()
    assert lines[0] == "stateDiagram-v2"
    first = next(iter(TABLES[machine][0]))  # each enum starts with where an object is created
    assert lines[1] == f"    [*] --> {first.value}"
    assert lines.count("    end note") == sum(
        line.startswith("    note right of ") for line in lines
    )


# --- The notebook object and the command line -----------------------------------------------


def test_a_diagram_shows_itself_as_svg_in_a_notebook() -> None:
    picture = pmsim.diagrams.diagram("setup_intent")
    assert picture._repr_svg_() == picture.svg == render("setup_intent", "svg")
    assert picture.mermaid == render("setup_intent", "mermaid")
    assert picture.dot == render("setup_intent", "dot")
    assert picture.markdown == render("setup_intent", "markdown")


def test_cli_machine_and_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "--machine", "payment_intent", "--format", "dot"]) == 0
    assert capsys.readouterr().out == render("payment_intent", "dot") + "\n"
    assert main(["diagram", "--format", "mermaid"]) == 0
    assert capsys.readouterr().out == render("payment_method", "mermaid") + "\n"


def test_cli_output_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "lifecycle.svg"
    assert main(["diagram", "--format", "svg", "--output", str(target)]) == 0
    assert capsys.readouterr().out == ""
    assert target.read_text(encoding="utf-8") == render("payment_method", "svg") + "\n"


def test_cli_refresh_redraws_marked_blocks(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n<!-- diagram:setup_intent:start -->\nstale\n<!-- diagram:setup_intent:end -->\n"
    )
    assert main(["diagram", "--refresh", str(page)]) == 0
    assert blocks(page.read_text()) == {"setup_intent": fenced("setup_intent")}
    assert page.read_text().startswith("# Title\n")


def test_cli_unknown_machine_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["diagram", "--machine", "charge"])
    assert exited.value.code == 2
    assert "invalid choice: 'charge'" in capsys.readouterr().err


def test_the_library_names_the_machines_it_knows() -> None:
    with pytest.raises(pmsim.PmsimUsageError, match="payment_method, setup_intent"):
        pmsim.diagrams.diagram("charge")
    with pytest.raises(pmsim.PmsimUsageError, match="markdown, mermaid, dot, svg"):
        render("payment_method", "png")
