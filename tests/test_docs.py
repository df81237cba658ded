"""The README and the documentation pages say what is true: every Python block runs as
pasted, every code block names its language, and the copies of generated text are current.

Each Python block runs in a fresh namespace, from the repository's root, so a block never
leans on an earlier one (a reader may paste any of them alone). What they print is checked
against what the pages say it prints, page by page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
PAGES = [README, *sorted(DOCS.glob("*.md"))]
FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```", flags=re.DOTALL | re.MULTILINE)

#: What some pages' examples print, in order: a line of each must appear in what they print.
PRINTED = {
    "README.md": [
        "2026-11-18.endive\n",
        "already been attached to a customer",
        "'decline_code': 'generic_decline'",
    ],
    "intents.md": [
        "requires_action redirect_to_url\nsucceeded True\n",
        "succeeded succeeded 1500\n",
    ],
    "money.md": [
        "succeeded True 3000\n",
        "greater than unrefunded amount on charge ($20.00)\n3000 True\n",
        "pending\nsucceeded\n",
        "succeeded 3500 1500\ncanceled automatic\n",
        "succeeded active\nprocessing pending\nsucceeded\n",
        "requires_action\nsucceeded True\nprocessing succeeded\n",
    ],
    "testing.md": ["ada@example.com\nada@example.com\nada@example.com\n"],
    "webhooks.md": ["webhook: payment_method.attached\n"],
    "python-api.md": ["This PaymentMethod was previously used"],
}


def blocks(page: Path) -> list[tuple[str, str]]:
    """The page's fenced code blocks: (language, code)."""
    return FENCE.findall(page.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_code_block_names_its_language(page: Path) -> None:
    untagged = [code.splitlines()[0] if code else "" for language, code in blocks(page)
                if not language]  # fmt: skip
    assert not untagged, f"{page.name}: code blocks without a language, starting {untagged}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_python_block_runs_as_pasted(
    page: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    import stripe

    for name in ("api_key", "api_base", "default_http_client", "max_network_retries"):
        # A page may configure the stripe module (integrations.md does): put it back after.
        monkeypatch.setattr(stripe, name, getattr(stripe, name))
    for language, code in blocks(page):
        if language == "python":
            exec(compile(code, str(page), "exec"), {"__name__": f"docs_{page.stem}"})
    out = capsys.readouterr().out
    for expected in PRINTED.get(page.name, []):
        assert expected in out, f"{page.name}'s examples no longer print {expected!r}"


@pytest.mark.slow  # runs pytest in a subprocess
def test_every_test_on_a_page_passes_under_pytest(pytester: pytest.Pytester) -> None:
    """A block that defines tests (``def test_...``) is a test file a reader pastes into their
    project: each runs as one, in a fresh pytest with pmsim's plugin from its entry point,
    and every test in it passes."""
    files: dict[str, str] = {}
    for page in PAGES:
        for number, (language, code) in enumerate(blocks(page)):
            if language == "python" and re.search(r"^def test_", code, flags=re.MULTILINE):
                files[f"test_{page.stem.replace('-', '_')}_{number}"] = code
    assert len(files) >= 3, sorted(files)  # testing, troubleshooting, experiments
    pytester.makepyfile(**files)
    expected = sum(
        len(re.findall(r"^def test_", code, flags=re.MULTILINE)) for code in files.values()
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=expected)


def test_the_pages_that_promise_output_have_examples() -> None:
    for name in PRINTED:
        page = README if name == "README.md" else DOCS / name
        assert any(language == "python" for language, _ in blocks(page)), name


def test_the_lifecycle_table_is_the_generated_one() -> None:
    from pmsim.diagrams import render

    assert render("payment_method", "markdown") in (DOCS / "lifecycle.md").read_text()


def test_the_reference_documents_every_public_name() -> None:
    import pmsim

    reference = (DOCS / "reference.md").read_text(encoding="utf-8")
    missing = [name for name in pmsim.__all__ if f"::: pmsim.{name}\n" not in reference]
    assert not missing, f"docs/reference.md has no '::: pmsim.NAME' for {missing}"


def test_scenario_examples_replay_and_pass() -> None:
    import pmsim

    for page in (DOCS / "scenarios.md", ROOT / "scenarios" / "README.md"):
        examples = [code for language, code in blocks(page) if language == "yaml"]
        assert examples, f"{page} lost its scenario example"
        for example in examples:
            transcript = pmsim.replay(pmsim.scenarios.loads(example, source=f"{page.name} example"))
            assert transcript.passed, transcript.failed_step


def test_doctest_examples_render_as_code_on_the_site() -> None:
    """The site's hook (docs_support/doctest_blocks.py) shows ``>>>`` examples as code, so a
    docstring's ``[x] ['y']`` is not read as a Markdown reference link."""
    import markdown

    from docs_support.doctest_blocks import DoctestBlocks

    page = "Events:\n\n>>> [e.type for e in events]\n['customer.created']\n\nDone."
    html = markdown.markdown(page, extensions=["fenced_code", DoctestBlocks()])
    assert (
        "<code" in html
        and "[&#x27;customer.created&#x27;]" in html
        or ("['customer.created']" in html and "<code" in html)
    )
    assert "<a" not in html


def test_the_site_draws_its_diagrams_itself() -> None:
    """Material draws a ```mermaid block with mermaid.js fetched from a CDN when the page is
    viewed; the site's hook (docs_support/diagrams.py) puts pmsim's own SVG in each marked
    block's place instead, so no page is left with one, and the theme fetches no font."""
    import doctest

    import yaml

    from docs_support import diagrams

    assert doctest.testmod(diagrams).failed == 0
    for page in sorted(DOCS.glob("*.md")):
        shown = diagrams.pictured(page.read_text(encoding="utf-8"))
        assert "```mermaid" not in shown, f"{page.name}: a Mermaid block outside the markers"
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False
    assert "docs_support/diagrams.py" in config["hooks"]


#: What a page of the site may load from elsewhere when viewed: nothing.
EXTERNAL = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=["'](?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//""",
    flags=re.IGNORECASE,
)


@pytest.mark.slow  # starts mkdocs
def test_the_built_site_fetches_nothing_when_viewed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    site = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert build.returncode == 0, build.stdout + build.stderr
    pages = [*site.rglob("*.html"), *site.rglob("*.css")]
    assert len(pages) > len(PAGES) - 1  # every page of docs/ (the README is not one)
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not EXTERNAL.search(text), f"{page.relative_to(site)} loads {EXTERNAL.search(text)}"
        assert 'class="mermaid"' not in text, f"{page.relative_to(site)}: Material would fetch it"
    assert "pmsim-diagram" in (site / "lifecycle" / "index.html").read_text(encoding="utf-8")
