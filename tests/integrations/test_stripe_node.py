"""stripe-node, unchanged (configured only: host, port, protocol), drives the payment-method
lifecycle against ``pmsim serve``: ``node/lifecycle.mjs`` (issue 13).

Its one dependency is installed by ``npm ci --prefix tests/integrations/node`` (the README's
install command, and ``.ci/run``). Without it the test is skipped locally and fails in CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pmsim.transports.server import Server

pytestmark = pytest.mark.slow  # starts a server and a Node process

NODE_DIR = Path(__file__).parent / "node"
INSTALL = "npm ci --prefix tests/integrations/node"


def node_or_skip() -> str:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "Node.js is not installed"
    elif not (NODE_DIR / "node_modules" / "stripe").is_dir():
        missing = f"stripe-node is not installed: run {INSTALL}"
    if missing is not None:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} (CI runs every integration)")
        pytest.skip(missing)
    assert node is not None
    return node


def test_stripe_node_runs_the_lifecycle_unchanged() -> None:
    node = node_or_skip()
    with Server("127.0.0.1", 0, seed=13, webhook_retry_delays=(0.05,)).running() as server:
        finished = subprocess.run(
            [node, "lifecycle.mjs"],
            cwd=NODE_DIR,
            env=os.environ | {"PMSIM_URL": server.url, "PMSIM_KEY": "sk_test_node"},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "all 17 steps passed" in finished.stdout
