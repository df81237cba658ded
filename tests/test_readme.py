"""The README's examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_examples_run(capsys) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert blocks, "the README lost its example"
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})
    out = capsys.readouterr().out
    assert out.startswith("2026-11-18.endive\n")  # the first example says its API version
    assert "ada@example.com" in out
    assert "already been attached to a customer" in out
    assert "'decline_code': 'generic_decline'" in out
    assert "requires_action redirect_to_url\nsucceeded True\n" in out
    assert "succeeded succeeded 1500\n" in out
    assert "webhook: payment_method.attached\n" in out


def test_readme_lifecycle_table_is_the_generated_one() -> None:
    from pmsim.diagrams import render

    assert render("payment_method", "markdown") in README.read_text()


def test_readme_scenario_examples_replay_and_pass() -> None:
    import pmsim

    for folder in (README.parent, README.parent / "scenarios"):
        text = (folder / "README.md").read_text()
        blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
        assert blocks, f"{folder / 'README.md'} lost its scenario example"
        for block in blocks:
            transcript = pmsim.replay(pmsim.scenarios.loads(block, source="README example"))
            assert transcript.passed, transcript.failed_step
