"""A machine as a Markdown table: one row per state, one column per action.

For the PaymentMethod lifecycle this is the table ``pmsim diagram`` has always printed, byte
for byte (a test keeps it so), and the one docs/lifecycle.md shows.

>>> from pmsim.diagrams.tables import build
>>> print(render(build("payment_method")).splitlines()[2])
| new | → attached | refused: not attached | refused: not saved | → consumed | → set_up |
"""

from __future__ import annotations

from pmsim.diagrams.machines import Machine, RefusedMove


def cell(machine: Machine, state: str, action: str) -> str:
    """What ``action`` does in ``state``, in a few words.

    >>> from pmsim.diagrams.tables import build
    >>> cell(build("payment_method"), "new", "detach")
    'refused: not attached'
    """
    outcome = machine.outcome(state, action)
    if outcome is None:
        return ""
    if isinstance(outcome, RefusedMove):
        return "refused: " + (outcome.reason or outcome.error)
    return "→ " + ", ".join(outcome)


def render(machine: Machine) -> str:
    """The table, without the messages (the SVG's legend and the DOT tooltips carry those).

    >>> from pmsim.diagrams.tables import build
    >>> print(render(build("payment_method")).splitlines()[0])
    | state | attach | detach | update | use | set_up |
    """
    rows = [
        "| state | " + " | ".join(machine.actions) + " |",
        "|" + "---|" * (len(machine.actions) + 1),
    ]
    for state in machine.states:
        cells = [cell(machine, state, action) for action in machine.actions]
        rows.append(f"| {state} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
