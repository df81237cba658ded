"""A machine as a Mermaid ``stateDiagram-v2``, which GitHub draws in a ```mermaid block.

Allowed moves are arrows labelled with their actions; refusals are a note on each state that
has any, one line per error: the refused actions and Stripe's code (or, where Stripe sends no
code, the error type and a short reason). The messages are in the SVG's legend.

>>> from pmsim.diagrams.tables import build
>>> print(render(build("payment_method")))  # doctest: +ELLIPSIS
stateDiagram-v2
    [*] --> new
    new --> set_up: set_up
    ...
    note right of detached
        ✗ attach, use, set_up: invalid_request_error (not reusable)
        ✗ detach: invalid_request_error (not attached)
        ✗ update: invalid_request_error (not saved)
    end note
...
"""

from __future__ import annotations

from pmsim.diagrams.machines import Machine

INDENT = "    "


def render(machine: Machine) -> str:
    """The diagram's text, one statement a line.

    >>> from pmsim.diagrams.tables import build
    >>> render(build("setup_intent")).splitlines()[17]  # no arrow reaches or leaves it
    '    processing'
    """
    lines = ["stateDiagram-v2", f"{INDENT}[*] --> {machine.initial}"]
    lines += [f"{INDENT}{t.source} --> {t.target}: {t.label}" for t in machine.transitions]
    linked = {t.source for t in machine.transitions} | {t.target for t in machine.transitions}
    # A state no arrow touches is declared by its bare name, so that it is drawn at all.
    lines += [INDENT + state for state in machine.states if state not in linked | {machine.initial}]
    for state in machine.states:
        groups = machine.refusals_in(state)
        if not groups:
            continue
        lines.append(f"{INDENT}note right of {state}")
        for label, refusals in groups:
            actions = ", ".join(refusal.action for refusal in refusals)
            lines.append(f"{INDENT * 2}✗ {actions}: {label}")
        lines.append(f"{INDENT}end note")
    return "\n".join(lines)
