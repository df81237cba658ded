"""The public surface: a sorted, complete ``__all__`` with a docstring on every name."""

from __future__ import annotations

import inspect

import pytest

import pmsim
from tests.support import run_python


def test_all_is_sorted_and_complete() -> None:
    # dir(), not vars(): the scenario names load on first use.
    public = [
        name
        for name in dir(pmsim)
        if not name.startswith("_")
        and name != "annotations"
        and not inspect.ismodule(getattr(pmsim, name))
    ]
    assert pmsim.__all__ == sorted(public)


def test_every_exported_name_has_a_docstring_with_an_example() -> None:
    for name in pmsim.__all__:
        doc = inspect.getdoc(getattr(pmsim, name)) or ""
        assert doc, f"pmsim.{name} has no docstring"
    for name in ("Simulator", "StripeError", "InvalidRequestError", "CardError"):
        assert ">>>" in (inspect.getdoc(getattr(pmsim, name)) or ""), name


@pytest.mark.slow
def test_import_pmsim_pulls_in_no_optional_dependency() -> None:
    code = (
        "import sys, pmsim; "
        "print(sorted(m for m in ('stripe', 'yaml', 'faker', 'pytest', 'hypothesis', 'uvicorn') "
        "if m in sys.modules))"
    )
    assert run_python(code).strip() == "[]"


@pytest.mark.slow
def test_scenario_names_load_on_first_use() -> None:
    code = (
        "import sys, pmsim; before = 'pmsim.scenarios' in sys.modules; "
        "pmsim.replay; print(before, 'pmsim.scenarios' in sys.modules, 'yaml' in sys.modules)"
    )
    assert run_python(code).split() == ["False", "True", "False"]
    code = "import pmsim; print(pmsim.scenarios.loads.__name__)"  # the package, first
    assert run_python(code).split() == ["loads"]
