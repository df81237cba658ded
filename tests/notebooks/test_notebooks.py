"""Every notebook runs top to bottom and gives the text outputs committed with it.

pmsim is deterministic, so a notebook's text outputs (printed text, reprs, HTML tables, SVG
pictures) are the same on every run; the committed outputs are what readers see on a code
host. Pictures made by matplotlib (PNG) are left out of the comparison: their bytes depend on
the matplotlib version.

Some outputs also depend on other packages' data: faker's names (notebook 3), the examples
hypothesis shrinks to (notebook 2). So each notebook records the versions its outputs were
made with; where the installed versions differ, the notebook is run twice and the two runs
must agree (pmsim's determinism still holds), instead of matching the committed outputs.
After changing a notebook, refresh its outputs with

    PMSIM_UPDATE_NOTEBOOKS=1 python -m pytest tests/notebooks
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # jupyter_core warns about paths otherwise

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SHIPPED = sorted(NOTEBOOKS.glob("*.ipynb"))
#: The outputs compared: text, and pmsim's own pictures (SVG), never matplotlib's PNGs.
COMPARED = ("text/plain", "text/html", "text/markdown", "image/svg+xml")
UPDATE = os.environ.get("PMSIM_UPDATE_NOTEBOOKS") == "1"
#: The packages whose versions can change a notebook's text outputs.
SHAPING = ("faker", "hypothesis", "stripe", "matplotlib")


def versions() -> dict[str, str]:
    """What the outputs depend on besides pmsim, as installed now."""
    found = {name: version(name) for name in SHAPING}
    return {"python": f"{sys.version_info.major}.{sys.version_info.minor}", **found}


def execute(path: Path) -> Any:
    """The notebook at ``path``, run top to bottom in a fresh kernel in its own folder."""
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        coalesce_streams=True,  # one output per stream, however the prints were timed
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    return notebook


def text_outputs(notebook: Any) -> list[list[Any]]:
    """Per code cell, its outputs as the comparison sees them (a stream's pieces joined)."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        shown: list[Any] = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                if shown and isinstance(shown[-1], tuple) and shown[-1][0] == output.name:
                    shown[-1] = (output.name, shown[-1][1] + output.text)
                else:
                    shown.append((output.name, output.text))
            elif output.output_type in ("execute_result", "display_data"):
                shown.append({k: v for k, v in output.data.items() if k in COMPARED})
        cells.append(shown)
    return cells


def test_every_notebook_is_listed_in_both_readmes() -> None:
    assert SHIPPED, "no notebooks found"
    for readme in (NOTEBOOKS / "README.md", NOTEBOOKS.parent / "README.md"):
        text = readme.read_text(encoding="utf-8")
        missing = [path.name for path in SHIPPED if path.name not in text]
        assert not missing, f"{readme} does not link {missing}"


@pytest.mark.slow
@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_the_notebook_runs_and_gives_its_committed_outputs(path: Path) -> None:
    committed = nbformat.read(path, as_version=4)
    ran = execute(path)  # a cell that raises fails here, with its traceback
    if UPDATE:
        for cell in ran.cells:  # keep the file stable: no run-dependent metadata
            cell.metadata.pop("execution", None)
        ran.metadata.pop("widgets", None)
        ran.metadata["pmsim"] = {"outputs_made_with": versions()}
        nbformat.write(ran, path)
        return
    made_with = committed.metadata.get("pmsim", {}).get("outputs_made_with")
    if made_with == versions():
        expected, what = text_outputs(committed), "the committed ones"
    else:  # other faker/hypothesis/...: the committed text may differ, but not run to run
        expected, what = text_outputs(execute(path)), "a second run's"
    assert text_outputs(ran) == expected, (
        f"{path.name} gives other outputs than {what}; if the change is meant, run "
        "PMSIM_UPDATE_NOTEBOOKS=1 python -m pytest tests/notebooks and commit the notebooks"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_the_notebook_is_committed_with_its_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count for cell in code), "run it and commit the outputs"
    assert any(cell.cell_type == "markdown" for cell in notebook.cells), "a notebook tells a story"
