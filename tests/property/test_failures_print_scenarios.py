"""A failing state-machine run is printed as a scenario file that replays the same calls."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import invariant, run_state_machine_as_test

import pmsim
from pmsim.scenarios import loads
from tests.property.test_lifecycle_machine import LifecycleMachine


class BrokenLaw(LifecycleMachine):
    """The real machine plus a law that is false: "nobody ever has two customers"."""

    @invariant()
    def at_most_one_customer(self) -> None:
        assert len(self.cus) < 2, "two customers"


def test_the_failing_run_is_printed_as_a_replayable_scenario() -> None:
    with pytest.raises(AssertionError, match="two customers") as caught:
        run_state_machine_as_test(
            BrokenLaw,
            settings=settings(
                stateful_step_count=10, database=None,
                phases=[Phase.generate, Phase.shrink], derandomize=True,
                suppress_health_check=list(HealthCheck),
            ),
        )  # fmt: skip
    notes = getattr(caught.value, "__notes__", [])
    assert any("The failing run as a scenario" in n for n in notes)
    # One note holds the whole file; on CI hypothesis adds a reproduce_failure note after it.
    (text,) = [n for n in notes if n.startswith("# Recorded with pmsim.record()")]
    scenario = loads(text)
    # Shrunk to the two customer creations that break the law, and it replays cleanly.
    assert [step.op for step in scenario.steps].count("customers.create") == 2
    transcript = pmsim.replay(scenario)
    assert transcript.passed
    creates = [s for s in transcript.steps if s.op == "customers.create" and s.error is None]
    assert len(creates) == 2
