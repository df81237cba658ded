"""Fixtures for every test, and the hypothesis profiles every property test runs under.

``HYPOTHESIS_PROFILE`` names the profile: ``dev`` by default, ``ci`` when ``CI=true`` (as on
CI, which runs ``.ci/run``). Tests never set their own example counts; a test that needs more
examples than others asks for a multiple of the profile's (``tests.support.more_examples``).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import pmsim

# Every count a test had before profiles, or more: the state machines 100 (they had 75 and 60)
# and the cheap tests with wide inputs a multiple of it. On top of hypothesis' own "ci" profile:
# derandomized, so a run is reproducible, with no example database and a reproduce blob on
# failure. No deadline: CI machines are shared and slow, and a slow example is not a bug here.
settings.register_profile("ci", settings.get_profile("ci"), max_examples=100, deadline=None)
# A fifth of that, for a quick local run; randomized, so repeated runs still explore.
settings.register_profile("dev", max_examples=20, deadline=None)


def _profile() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() in {"1", "true"} else "dev"


settings.load_profile(_profile())


def pytest_report_header() -> str:
    name = settings.get_current_profile_name()
    return f"hypothesis profile: {name} (HYPOTHESIS_PROFILE=dev or ci chooses)"


@pytest.fixture
def sim() -> pmsim.Simulator:
    return pmsim.Simulator(seed=0)


pytest_plugins = ["pytester"]
