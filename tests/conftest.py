from __future__ import annotations

import pytest

import pmsim


@pytest.fixture
def sim() -> pmsim.Simulator:
    return pmsim.Simulator(seed=0)


pytest_plugins = ["pytester"]
