"""A machine as Graphviz DOT text (``dot -Tsvg``, or any of the online viewers, draws it).

Allowed moves are solid arrows labelled with their actions; each state that refuses something
has one dashed red self-loop, a line per error: the refused actions and Stripe's code, with
Stripe's messages as the tooltip.

>>> from pmsim.diagrams.tables import build
>>> lines = render(build("payment_method")).splitlines()
>>> lines[0], lines[12], lines[-1]
('digraph payment_method {', '    "new" -> "attached" [label="attach"];', '}')
>>> loop = next(line for line in lines if "another customer" in line)
>>> print(loop.split(", tooltip")[0].split("label=")[1])
"✗ attach (another customer): invalid_request_error (already attached)"
"""

from __future__ import annotations

from collections.abc import Iterable

from pmsim.diagrams.machines import Machine, RefusedMove

INDENT = "    "
REFUSED = "#b3261e"  # the red of a refusal, the same in the SVG
START = "__start__"  # the dot the initial arrow leaves from: not a state, so no state name


def quoted(text: str) -> str:
    r"""``text`` as a DOT string; lines are joined with DOT's own ``\n``.

    >>> print(quoted('say "hi"\nthen go'))
    "say \"hi\"\nthen go"
    """
    lines = (line.replace("\\", "\\\\").replace('"', '\\"') for line in text.split("\n"))
    return '"' + "\\n".join(lines) + '"'


def _attributes(pairs: Iterable[tuple[str, str]]) -> str:
    return " [" + ", ".join(f"{key}={value}" for key, value in pairs) + "]"


def _refused(groups: list[tuple[str, tuple[RefusedMove, ...]]]) -> str:
    """The attributes of a state's one refusal loop: a line per error, the messages as tooltip."""
    label: list[str] = []
    said: dict[str, list[str]] = {}  # message -> the actions that get it
    for error, refusals in groups:
        label.append(f"✗ {', '.join(refusal.action for refusal in refusals)}: {error}")
        for refusal in refusals:
            said.setdefault(refusal.message, []).append(refusal.action)
    tooltip = [f"{', '.join(actions)}: {message}" for message, actions in said.items()]
    return _attributes(
        [
            ("label", quoted("\n".join(label))),
            ("tooltip", quoted("\n".join(tooltip))),
            ("style", "dashed"),
            ("color", quoted(REFUSED)),
            ("fontcolor", quoted(REFUSED)),
        ]
    )


def render(machine: Machine) -> str:
    """The whole ``digraph``: header, one node per state, then the arrows.

    >>> from pmsim.diagrams.tables import build
    >>> render(build("setup_intent")).count("style=dashed")  # one per state that refuses
    5
    """
    caption = f"{machine.title}, generated from {machine.source}"
    lines = [
        f"digraph {machine.name} {{",
        f"{INDENT}graph [label={quoted(caption)}, labelloc=t, rankdir=LR, fontname=Helvetica];",
        f"{INDENT}node [shape=box, style=rounded, fontname=Helvetica];",
        f"{INDENT}edge [fontname=Helvetica, fontsize=10];",
        f'{INDENT}{quoted(START)} [shape=point, width=0.15, label=""];',
    ]
    lines += [f"{INDENT}{quoted(state)};" for state in machine.states]
    lines.append(f"{INDENT}{quoted(START)} -> {quoted(machine.initial)};")
    for move in machine.transitions:
        edge = f"{quoted(move.source)} -> {quoted(move.target)}"
        lines.append(f"{INDENT}{edge}{_attributes([('label', quoted(move.label))])};")
    for state in machine.states:
        groups = machine.refusals_in(state)
        if groups:
            lines.append(f"{INDENT}{quoted(state)} -> {quoted(state)}{_refused(groups)};")
    lines.append("}")
    return "\n".join(lines)
