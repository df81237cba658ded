"""dj-stripe, unchanged (configured only: ``STRIPE_API_HOST`` and a test key), keeps its Django
models in step with ``pmsim serve``: ``djstripe/driver.py`` (issue 13).

dj-stripe pins its own stripe-python, so it gets its own venv: ``djstripe/install.sh`` (run by
``.ci/run``). Without it the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from pmsim.transports.server import Server

pytestmark = pytest.mark.slow  # starts a server, a Django process and its webhook view

DJSTRIPE_DIR = Path(__file__).parent / "djstripe"
PYTHON = DJSTRIPE_DIR / ".venv" / "bin" / "python"
INSTALL = "tests/integrations/djstripe/install.sh"
# dj-stripe accepts only key-shaped keys: sk_test_ and 24 or more letters and digits.
KEY = "sk_test_djstripe" + "0" * 24


def python_or_skip() -> Path:
    if not PYTHON.is_file():
        missing = f"dj-stripe's venv is missing: run {INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (CI runs every integration)")
        pytest.skip(missing)
    return PYTHON


def test_djstripe_runs_the_lifecycle_unchanged(tmp_path: Path) -> None:
    python = python_or_skip()
    with Server("127.0.0.1", 0, seed=13, webhook_retry_delays=(0.05,)).running() as server:
        finished = subprocess.run(
            [str(python), "driver.py"],
            cwd=DJSTRIPE_DIR,
            env=os.environ
            | {"PMSIM_URL": server.url, "PMSIM_KEY": KEY, "PMSIM_DB": str(tmp_path / "db")},
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "all 14 steps passed" in finished.stdout
