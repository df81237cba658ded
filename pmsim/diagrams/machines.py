"""One description of a state machine, whichever of the engine's tables it is read from.

The three tables have two shapes (``state × action → state | lifecycle.Refusal`` for
payment methods, ``state × action → frozenset of states`` for the intents); :func:`from_table`
reads either into a :class:`Machine`, and every renderer reads only that, so each picture is
drawn the same way. :mod:`pmsim.diagrams.tables` says which table is which machine.

>>> from pmsim.diagrams.tables import build
>>> machine = build("payment_method")
>>> machine.initial, machine.states
('new', ('new', 'set_up', 'attached', 'detached', 'consumed'))
>>> machine.transitions[1]
Transition(source='new', target='attached', actions=('attach',))
>>> machine.refusals[0].action, machine.refusals[0].states, machine.refusals[0].label
('attach', ('detached', 'consumed'), 'invalid_request_error (not reusable)')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from pmsim.domain.errors import StripeError

#: What a table says about one (state, action): the states it can lead to, or the error that
#: refuses it and a short reason to show where the error has no code.
Outcome = frozenset[Any] | tuple[Exception, str | None]


@dataclass(frozen=True)
class Transition:
    """An allowed move; the actions that make it share one arrow.

    >>> Transition("new", "attached", ("attach",)).label
    'attach'
    """

    source: str
    target: str
    actions: tuple[str, ...]

    @property
    def label(self) -> str:
        return ", ".join(self.actions)


@dataclass(frozen=True)
class RefusedMove:
    """A move a picture draws as refused: an action refused in some states, and the error
    each of those refusals answers with. (Not :class:`pmsim.domain.lifecycle.Refusal`, the
    payment-method table's own name for why it refuses.)

    ``error_type`` is Stripe's ``type`` (``PmsimUsageError`` for pmsim's own controls, which
    Stripe has no equivalent of); ``reason`` is a short name where the error has no code.

    >>> from pmsim.domain.messages.payment_methods import not_reusable
    >>> RefusedMove.from_error("attach", ("detached",), not_reusable(), "not reusable").label
    'invalid_request_error (not reusable)'
    """

    action: str
    states: tuple[str, ...]
    error_type: str
    code: str | None
    message: str
    reason: str | None = None

    @classmethod
    def from_error(
        cls, action: str, states: tuple[str, ...], error: Exception, reason: str | None = None
    ) -> RefusedMove:
        """The refusal that answers with ``error`` (a Stripe error, or a pmsim usage error)."""
        if isinstance(error, StripeError):
            return cls(action, states, error.type, error.code, error.message, reason)
        return cls(action, states, type(error).__name__, None, str(error), reason)

    @property
    def error(self) -> str:
        """The code when Stripe sends one, else the error's type."""
        return self.code or self.error_type

    @property
    def label(self) -> str:
        """What a picture writes on the refused action."""
        return f"{self.error} ({self.reason})" if self.reason else self.error


@dataclass(frozen=True)
class Machine:
    """A state machine as the renderers see it: names only, in the tables' own order.

    >>> from pmsim.diagrams.tables import build
    >>> build("payment_intent").title
    'PaymentIntent statuses'
    """

    name: str
    title: str
    source: str  # where the table lives, for the picture's caption
    states: tuple[str, ...]
    initial: str
    actions: tuple[str, ...]
    transitions: tuple[Transition, ...]
    refusals: tuple[RefusedMove, ...]

    def outcome(self, state: str, action: str) -> tuple[str, ...] | RefusedMove | None:
        """Where ``action`` leads from ``state``: the target states, or the refusal.

        >>> from pmsim.diagrams.tables import build
        >>> build("setup_intent").outcome("requires_action", "authenticate")
        ('requires_payment_method', 'succeeded')
        >>> build("payment_method").outcome("detached", "attach").reason
        'not reusable'
        """
        moved = [t.target for t in self.transitions if t.source == state and action in t.actions]
        if moved:
            return tuple(moved)  # transitions are in the table's state order
        for refusal in self.refusals:
            if refusal.action == action and state in refusal.states:
                return refusal
        return None

    def refusals_in(self, state: str) -> list[tuple[str, tuple[RefusedMove, ...]]]:
        """The refusals met in ``state``, grouped by label (one line or arrow each).

        >>> from pmsim.diagrams.tables import build
        >>> for label, group in build("payment_method").refusals_in("detached"):
        ...     print(label, [refusal.action for refusal in group])
        invalid_request_error (not reusable) ['attach', 'use', 'set_up']
        invalid_request_error (not attached) ['detach']
        invalid_request_error (not saved) ['update']
        """
        groups: dict[str, list[RefusedMove]] = {}
        for refusal in self.refusals:
            if state in refusal.states:
                groups.setdefault(refusal.label, []).append(refusal)
        return [(label, tuple(group)) for label, group in groups.items()]


def from_table(
    name: str,
    title: str,
    source: str,
    states: Iterable[Enum],
    actions: Iterable[Enum],
    outcome: Callable[[Any, Any], Outcome],
    extra: Iterable[RefusedMove] = (),
) -> Machine:
    """Read a table, one (state, action) at a time through ``outcome``, into a Machine.

    ``extra`` adds refusals the table cannot hold (rules about who, not about the state).

    >>> from pmsim.domain.setup_intents import TRANSITIONS, SetupAction, SetupStatus
    >>> def outcome(status, action):
    ...     return TRANSITIONS[status, action] or (ValueError("no"), "refused")
    >>> machine = from_table("seti", "SetupIntent", "a test", SetupStatus, SetupAction, outcome)
    >>> [(refusal.action, len(refusal.states)) for refusal in machine.refusals]
    [('update_payment_method', 3), ('confirm', 3), ('authenticate', 5), ('cancel', 3)]
    """
    state_list, action_list = list(states), list(actions)
    moves: dict[tuple[str, str], list[str]] = {}
    refused: dict[RefusedMove, list[str]] = {}  # the refusal, without its states -> its states
    for state in state_list:
        for action in action_list:
            result = outcome(state, action)
            if isinstance(result, frozenset):
                for target in (s for s in state_list if s in result):  # the enum's order
                    moves.setdefault((state.value, target.value), []).append(action.value)
            else:
                refusal = RefusedMove.from_error(action.value, (), *result)
                refused.setdefault(refusal, []).append(state.value)
    names = tuple(state.value for state in state_list)
    order = {action.value: index for index, action in enumerate(action_list)}
    arrows = sorted(moves, key=lambda move: (names.index(move[0]), names.index(move[1])))
    refusals = [replace(refusal, states=tuple(where)) for refusal, where in refused.items()]
    return Machine(
        name=name,
        title=title,
        source=source,
        states=names,
        initial=names[0],  # each enum lists first the state an object is created in
        actions=tuple(order),
        transitions=tuple(Transition(s, t, tuple(moves[s, t])) for s, t in arrows),
        refusals=tuple(sorted(refusals, key=lambda r: order[r.action])) + tuple(extra),
    )
