"""Marked blocks in Markdown files: found one by one, redrawn, and written only when stale."""

from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest

import pmsim.diagrams
from pmsim.diagrams import Diagram, refresh, refresh_file
from pmsim.diagrams.markers import blocks, fenced, redraw
from pmsim.domain.errors import PmsimUsageError


def mark(machine: str, inside: str = "stale\n") -> str:
    return f"<!-- diagram:{machine}:start -->\n{inside}<!-- diagram:{machine}:end -->\n"


def test_refresh_file_counts_blocks_not_machine_names(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# Two pictures of one machine\n" + mark("setup_intent") * 2)
    assert refresh_file(page) == 2
    assert page.read_text().count(fenced("setup_intent")) == 2


def test_refresh_file_counts_only_the_blocks_that_changed(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(mark("payment_method", fenced("payment_method")) + mark("payment_intent"))
    assert redraw(page.read_text())[1:] == (2, 1)
    assert refresh_file(page) == 1
    assert blocks(page.read_text()) == {
        "payment_method": fenced("payment_method"),
        "payment_intent": fenced("payment_intent"),
    }


def test_a_current_file_is_not_written(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(mark("setup_intent"))
    assert refresh_file(page) == 1
    os.utime(page, (1_000_000_000, 1_000_000_000))
    assert refresh_file(page) == 0
    assert page.stat().st_mtime == 1_000_000_000


def test_an_unknown_machine_names_the_file_line_and_choices(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    before = "# Title\n\n" + mark("charge")
    page.write_text(before)
    with pytest.raises(PmsimUsageError) as raised:
        refresh_file(page)
    assert str(raised.value) == (
        f"{page}, line 3: <!-- diagram:charge:start --> names no state machine. "
        "Name one of: payment_method, setup_intent, payment_intent, bank_account, mandate."
    )
    assert page.read_text() == before


def test_a_block_that_is_never_closed_is_refused() -> None:
    text = mark("setup_intent") + "\n<!-- diagram:payment_method:start -->\nold\n"
    with pytest.raises(PmsimUsageError, match="line 5: .* is never closed. Put <!-- diagram:pay"):
        refresh(text)


def test_a_marker_quoted_in_a_sentence_is_not_a_block() -> None:
    text = "Mark it with `<!-- diagram:NAME:start -->` and an end marker.\n"
    assert refresh(text) == text


def test_a_file_without_blocks_is_probably_the_wrong_file(tmp_path: Path) -> None:
    page = tmp_path / "notes.md"
    page.write_text("no diagrams here\n")
    with pytest.raises(PmsimUsageError, match=r"notes.md has no diagram to redraw\. Mark one"):
        refresh_file(page)


@pytest.mark.parametrize("name", pmsim.diagrams.__all__)
def test_every_public_name_has_an_example(name: str) -> None:
    found = getattr(pmsim.diagrams, name)
    if callable(found):  # the two tables are documented where they are defined
        assert ">>>" in (inspect.getdoc(found) or ""), f"pmsim.diagrams.{name} has no example"


@pytest.mark.parametrize("format", ["markdown", "mermaid", "dot", "svg"])
def test_every_format_property_has_an_example(format: str) -> None:
    assert ">>>" in (inspect.getdoc(getattr(Diagram, format)) or ""), f"Diagram.{format}"
