"""The lifecycle table is complete, and every refusal answers Stripe's error."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.diagrams import render
from pmsim.domain import lifecycle
from pmsim.domain.lifecycle import Action, PMState, Refusal
from tests.support import ATTACH_FIRST, NOT_ATTACHED, NOT_REUSABLE

UNSAVED_UPDATE = "You must save this PaymentMethod to a customer before you can update it."


def test_every_state_and_action_has_an_entry() -> None:
    assert set(lifecycle.TRANSITIONS) == {(s, a) for s in PMState for a in Action}


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        (PMState.NEW, Action.ATTACH, PMState.ATTACHED),
        (PMState.NEW, Action.USE, PMState.CONSUMED),
        (PMState.NEW, Action.SET_UP, PMState.SET_UP),
        (PMState.SET_UP, Action.ATTACH, PMState.ATTACHED),
        (PMState.ATTACHED, Action.ATTACH, PMState.ATTACHED),
        (PMState.ATTACHED, Action.DETACH, PMState.DETACHED),
        (PMState.ATTACHED, Action.UPDATE, PMState.ATTACHED),
        (PMState.ATTACHED, Action.USE, PMState.ATTACHED),
    ],
)
def test_allowed_transitions(state: PMState, action: Action, after: PMState) -> None:
    assert lifecycle.apply(state, action) is after


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (PMState.DETACHED, Action.ATTACH, NOT_REUSABLE),
        (PMState.CONSUMED, Action.ATTACH, NOT_REUSABLE),
        (PMState.DETACHED, Action.USE, NOT_REUSABLE),
        (PMState.CONSUMED, Action.USE, NOT_REUSABLE),
        (PMState.DETACHED, Action.SET_UP, NOT_REUSABLE),
        (PMState.CONSUMED, Action.SET_UP, NOT_REUSABLE),
        (PMState.SET_UP, Action.USE, ATTACH_FIRST),
        (PMState.SET_UP, Action.SET_UP, ATTACH_FIRST),
        (PMState.SET_UP, Action.DETACH, NOT_ATTACHED),
        (PMState.NEW, Action.DETACH, NOT_ATTACHED),
        (PMState.DETACHED, Action.DETACH, NOT_ATTACHED),
        (PMState.CONSUMED, Action.DETACH, NOT_ATTACHED),
        *[
            (state, Action.UPDATE, UNSAVED_UPDATE)
            for state in (PMState.NEW, PMState.SET_UP, PMState.DETACHED, PMState.CONSUMED)
        ],
    ],
)
def test_refusals_answer_stripe_errors(state: PMState, action: Action, message: str) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        lifecycle.apply(state, action)
    assert (caught.value.message, caught.value.http_status, caught.value.code) == (
        message,
        400,
        None,
    )


def test_a_set_up_card_leads_only_to_attached() -> None:
    """Set up without a customer: attachable (once: attached, the owner rule refuses anyone
    else), and nothing else it can become; the same refusals as a new card otherwise."""
    moves = {
        action: outcome
        for (state, action), outcome in lifecycle.TRANSITIONS.items()
        if state is PMState.SET_UP
    }
    assert {a: o for a, o in moves.items() if isinstance(o, PMState)} == {
        Action.ATTACH: PMState.ATTACHED
    }
    for action in (Action.DETACH, Action.UPDATE):
        assert moves[action] is lifecycle.TRANSITIONS[PMState.NEW, action]
    assert lifecycle.usable(PMState.SET_UP)


def test_dead_states_never_come_back() -> None:
    for dead in (PMState.DETACHED, PMState.CONSUMED):
        reachable = {
            outcome
            for (state, _), outcome in lifecycle.TRANSITIONS.items()
            if state is dead and isinstance(outcome, PMState)
        }
        assert reachable == set(), f"{dead} must not lead anywhere"
        assert not lifecycle.usable(dead)


def test_every_refusal_has_an_error() -> None:
    assert set(lifecycle.REFUSAL_ERRORS) == set(Refusal)


def test_renderings_come_from_the_table() -> None:
    markdown = render("payment_method", "markdown")
    assert markdown.count("\n") == len(PMState) + 1
    mermaid = render("payment_method", "mermaid")
    allowed = {k: v for k, v in lifecycle.TRANSITIONS.items() if isinstance(v, PMState)}
    # One arrow per move (the actions that make the same move share it), and the start.
    arrows = {line.strip() for line in mermaid.splitlines() if " --> " in line}
    assert len(arrows) == len({(s, after) for (s, _), after in allowed.items()}) + 1
    for (state, action), after in allowed.items():
        assert any(
            arrow.startswith(f"{state.value} --> {after.value}: ")
            and action.value in arrow.split(": ", 1)[1].split(", ")
            for arrow in arrows
        ), f"{state.value} --{action.value}--> {after.value} is not drawn"
    assert "detached --> " not in mermaid and "consumed --> " not in mermaid
