"""The version is written once, in ``pmsim/__init__.py``; the build and the CLI read it there."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pmsim

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_build_reads_the_version_from_the_package() -> None:
    config = tomllib.loads(PYPROJECT.read_text())
    assert "version" not in config["project"], "a second copy of the version in pyproject.toml"
    assert config["project"]["dynamic"] == ["version"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "pmsim.__version__"}


def test_the_version_is_a_release_number() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+((a|b|rc)\d+)?(\.dev\d+)?", pmsim.__version__)


def test_the_installed_metadata_agrees() -> None:
    # An editable install records the version when it is installed: after a bump, reinstall.
    installed = metadata.version("pmsim")
    assert installed == pmsim.__version__, (
        f"the installed pmsim says {installed}, the source {pmsim.__version__}: "
        "reinstall it (pip install -e '.[dev]')"
    )
