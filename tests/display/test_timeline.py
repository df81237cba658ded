"""The timeline's fold over a transcript agrees with the simulator after every step, and each
step's state holds only what that step changed."""

from __future__ import annotations

from pathlib import Path

import pytest

import pmsim
from pmsim.display.timeline import Fold, timeline
from pmsim.domain.lifecycle import PMState
from pmsim.scenarios.replay import run_step
from tests.support import many_customers_each_with_a_card

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def folded(fold: Fold) -> tuple[dict, dict]:
    customers = {c.id: (c.deleted, c.default, c.email) for c in fold.customers.values()}
    pms = {pm.id: (pm.state, pm.customer) for pm in fold.pms.values()}
    return customers, pms


def stored(state: pmsim.Snapshot) -> tuple[dict, dict]:
    customers = {
        c.id: (c.deleted, c.invoice_settings.default_payment_method, c.email)
        for c in state.customers
    }
    pms = {pm.id: (pm.state, pm.customer) for pm in state.payment_methods}
    return customers, pms


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_the_fold_matches_the_simulator_after_every_step(path: Path) -> None:
    scenario = pmsim.load_scenario(path)
    sim = pmsim.Simulator(scenario.seed, scenario.start_time)
    fold, names = Fold(), {}
    for step in scenario.steps:
        fold.step(run_step(sim, step, names))
        assert folded(fold) == stored(sim.snapshot()), f"after step {step.number}"


@pytest.mark.parametrize("path", SHIPPED, ids=[path.stem for path in SHIPPED])
def test_each_steps_changes_add_up_to_the_whole_state(path: Path) -> None:
    transcript = pmsim.replay(pmsim.load_scenario(path))
    fold, seen = Fold(), {}
    for step in transcript.steps:
        state = fold.step(step)
        seen.update((summary.id, summary) for summary in state.changes)
        assert seen == {**fold.customers, **fold.pms}, f"after step {step.number}"
        assert (state.customer_count, state.payment_method_count) == (
            len(fold.customers),
            len(fold.pms),
        )


STORY = """\
name: A card set up without a customer, one used up, and one saved
steps:
  - customers.create: {email: ada@example.com}
    as: ada
  - payment_methods.create: {type: card, card: {token: tok_visa}}
    as: visa
  - setup_intents.create: {payment_method: pm_card_mastercard, confirm: true,
                           return_url: "https://example.com/return"}
  - payment_methods.attach: {payment_method: "${visa}", customer: "${ada}"}
  - customers.update: {customer: "${ada}", invoice_settings: {default_payment_method: "${visa}"}}
  - payment_methods.detach: {payment_method: "${visa}"}
  - payment_intents.create: {amount: 500, currency: usd, payment_method: pm_card_amex,
                            confirm: true, return_url: "https://example.com/return"}
"""


def test_one_state_per_step_with_what_changed() -> None:
    transcript = pmsim.replay(pmsim.scenarios.loads(STORY))
    states = timeline(transcript)
    assert [state.step for state in states] == [1, 2, 3, 4, 5, 6, 7]
    assert [(s.customer_count, s.payment_method_count) for s in states] == [
        (1, 0), (1, 1), (1, 2), (1, 2), (1, 2), (1, 2), (1, 3),
    ]  # fmt: skip
    ada = transcript.names["ada"]["id"]
    visa = transcript.names["visa"]["id"]

    assert states[0].changed == {ada} and states[0].changed_payment_methods == ()
    assert [(pm.id, pm.state) for pm in states[1].changed_payment_methods] == [(visa, PMState.NEW)]
    (set_up,) = states[2].changed_payment_methods
    assert (set_up.state, set_up.customer, set_up.brand) == (PMState.SET_UP, None, None)
    assert states[2].changed == {set_up.id}
    (attached,) = states[3].changed_payment_methods
    assert (attached.id, attached.state, attached.customer) == (visa, PMState.ATTACHED, ada)
    assert states[4].changed_customers[0].default == visa and states[4].changed == {ada}
    last = states[5]
    assert last.changed_customers[0].default is None
    (detached,) = last.changed_payment_methods
    assert (detached.state, detached.customer) == (PMState.DETACHED, None)
    assert last.changed == {ada, visa}
    (used,) = states[6].changed_payment_methods  # a payment without a customer uses it up
    assert (used.state, used.customer) == (PMState.CONSUMED, None)


def test_a_failed_step_changes_nothing() -> None:
    text = STORY + '  - payment_methods.attach: {payment_method: "${visa}", customer: "${ada}"}\n'
    transcript = pmsim.replay(pmsim.scenarios.loads(text))
    assert not transcript.passed
    before, after = timeline(transcript)[-2:]
    assert after.changed == frozenset()
    assert (after.customer_count, after.payment_method_count) == (
        before.customer_count,
        before.payment_method_count,
    )


def test_a_long_timeline_keeps_only_what_each_step_changed() -> None:
    # A copy of every object after every step would hold 1,000 * 2,000 summaries here.
    states = timeline(pmsim.replay(many_customers_each_with_a_card(1000)))
    held = sum(len(state.changes) for state in states)
    assert len(states) == 2000 and held == 2000
    assert (states[-1].customer_count, states[-1].payment_method_count) == (1000, 1000)
