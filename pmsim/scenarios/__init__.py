"""Scenario files: YAML stories that drive a simulator step by step and replay byte for byte.

>>> import pmsim
>>> scenario = pmsim.load_scenario("scenarios/01-happy-path.yaml")
>>> pmsim.replay(scenario).passed
True
"""

from __future__ import annotations

from pmsim.scenarios.loader import load_scenario, loads
from pmsim.scenarios.model import Scenario, ScenarioError, Step
from pmsim.scenarios.recording import Recording, record
from pmsim.scenarios.replay import replay
from pmsim.scenarios.transcript import Transcript

__all__ = [
    "Recording",
    "Scenario",
    "ScenarioError",
    "Step",
    "Transcript",
    "load_scenario",
    "loads",
    "record",
    "replay",
]
