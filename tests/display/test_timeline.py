"""The timeline's fold over a transcript agrees with the simulator after every step."""

from __future__ import annotations

from pathlib import Path

import pytest

import pmsim
from pmsim.domain.lifecycle import PMState
from pmsim.scenarios.replay import run_step
from pmsim.scenarios.timeline import StateAfter, timeline
from pmsim.scenarios.transcript import Transcript
from pmsim.store import Store

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def folded(state: StateAfter) -> tuple[dict, dict]:
    customers = {c.id: (c.deleted, c.default, c.email) for c in state.customers}
    pms = {pm.id: (pm.state, pm.customer) for pm in state.payment_methods}
    return customers, pms


def stored(store: Store) -> tuple[dict, dict]:
    customers = {
        c.id: (c.deleted, c.invoice_settings.default_payment_method, c.email)
        for c in store.customers.values()
    }
    pms = {pm.id: (pm.state, pm.customer) for pm in store.payment_methods.values()}
    return customers, pms


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_the_fold_matches_the_simulator_after_every_step(path: Path) -> None:
    scenario = pmsim.load_scenario(path)
    sim = pmsim.Simulator(scenario.seed, scenario.start_time)
    start, names, records = sim.clock.now(), {}, []
    for step in scenario.steps:
        records.append(run_step(sim, step, names))
        transcript = Transcript(
            scenario.name, scenario.source, sim.seed, start, len(scenario.steps), tuple(records)
        )
        assert folded(timeline(transcript)[-1]) == stored(sim._store), f"after step {step.number}"


STORY = """\
name: A card used once and a card saved
steps:
  - customers.create: {email: ada@example.com}
    as: ada
  - payment_methods.create: {type: card, card: {token: tok_visa}}
    as: visa
  - setup_intents.create: {payment_method: pm_card_mastercard, confirm: true}
  - payment_methods.attach: {payment_method: "${visa}", customer: "${ada}"}
  - customers.update: {customer: "${ada}", invoice_settings: {default_payment_method: "${visa}"}}
  - payment_methods.detach: {payment_method: "${visa}"}
"""


def test_one_state_per_step_with_what_changed() -> None:
    transcript = pmsim.replay(pmsim.scenarios.loads(STORY))
    states = timeline(transcript)
    assert [state.step for state in states] == [1, 2, 3, 4, 5, 6]
    ada = transcript.names["ada"]["id"]
    visa = transcript.names["visa"]["id"]

    assert states[0].changed == {ada} and states[0].payment_methods == ()
    assert [(pm.id, pm.state) for pm in states[1].payment_methods] == [(visa, PMState.NEW)]
    used = states[2].payment_methods[1]
    assert (used.state, used.customer, used.brand) == (PMState.CONSUMED, None, None)
    assert states[2].changed == {used.id}
    assert (states[3].payment_methods[0].state, states[3].payment_methods[0].customer) == (
        PMState.ATTACHED,
        ada,
    )
    assert states[4].customers[0].default == visa and states[4].changed == {ada}
    last = states[5]
    assert last.customers[0].default is None
    assert (last.payment_methods[0].state, last.payment_methods[0].customer) == (
        PMState.DETACHED,
        None,
    )
    assert last.changed == {ada, visa}


def test_a_failed_step_changes_nothing() -> None:
    text = STORY + '  - payment_methods.attach: {payment_method: "${visa}", customer: "${ada}"}\n'
    transcript = pmsim.replay(pmsim.scenarios.loads(text))
    assert not transcript.passed
    before, after = timeline(transcript)[-2:]
    assert after.changed == frozenset()
    assert (after.customers, after.payment_methods) == (before.customers, before.payment_methods)
