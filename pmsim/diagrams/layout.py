"""Where the SVG puts things: an arc diagram, laid out the same way on every run.

The states stand in one row, ordered so that most arrows point right: a depth-first walk from
the initial state drops the arrows that close a cycle, the longest path over what remains gives
each state a rank, and states the initial one never reaches come last. Arrows that point right
arc above the row, arrows that point left arc below it, each the higher the farther it goes, so
that two labels never share a height unless they are a whole column apart; an arrow from a
state to itself is a small loop on the box's right side, its actions written inside the box.
Nothing depends on a font being measured: the text is monospaced and sized by its length.

>>> from pmsim.diagrams.tables import build
>>> [box.state for box in arrange(build("payment_method")).boxes]
['new', 'set_up', 'consumed', 'attached', 'detached']
"""

from __future__ import annotations

from dataclasses import dataclass

from pmsim.diagrams.machines import Machine, Transition

CHAR = 0.6  # the advance of a monospaced glyph, in ems
NAME_SIZE, LABEL_SIZE = 13, 11  # font sizes, px
LINE = 14  # the height of one label line, px
PAD, GAP, MARGIN = 12, 48, 24  # inside a box, between boxes, around everything
LOOP = 26  # how far a self-loop reaches right of its box
BOX_HEIGHT = 48


def text_width(text: str, size: float) -> float:
    """The width of ``text`` set in a monospaced font of ``size`` px.

    >>> text_width("attach", 10)
    36.0
    """
    return round(len(text) * size * CHAR, 1)


@dataclass(frozen=True)
class Box:
    """A state's box; ``loop`` is the label of its self-loop, if it has one."""

    state: str
    x: float
    y: float
    width: float
    loop: str | None

    @property
    def middle(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Arc:
    """An arrow between two boxes: a cubic curve from ``start`` to ``end``, both on the row's
    top edge (above) or bottom edge (below), its control points ``bend`` away from it."""

    start: tuple[float, float]
    end: tuple[float, float]
    bend: float  # the control points' offset from the row: negative above, positive below
    lines: tuple[str, ...]  # the label, one action a line
    label_at: tuple[float, float]  # the label's centre, on the apex


@dataclass(frozen=True)
class Layout:
    """Everything the SVG draws above its legend; ``height`` ends below the lowest arc."""

    boxes: tuple[Box, ...]
    arcs: tuple[Arc, ...]
    width: float
    height: float


def order(machine: Machine) -> list[str]:
    """The row's order: by rank along the arrows, unreachable states last."""
    after = {s: [t.target for t in machine.transitions if t.source == s] for s in machine.states}
    seen: dict[str, bool] = {}  # state -> still on the walk's path
    forward: list[tuple[str, str]] = []

    def walk(state: str) -> None:
        seen[state] = True
        for target in after[state]:
            if target not in seen:
                forward.append((state, target))
                walk(target)
            elif not seen[target]:  # finished already: a cross or forward arrow, no cycle
                forward.append((state, target))
        seen[state] = False

    walk(machine.initial)
    rank = dict.fromkeys(seen, 0)
    for _ in machine.states:  # longest path: at most one pass per state
        for source, target in forward:
            rank[target] = max(rank[target], rank[source] + 1)
    ranked = sorted(rank, key=lambda s: (rank[s], machine.states.index(s)))
    return ranked + [s for s in machine.states if s not in rank]


def _slots(box: Box, spans: list[int], right: bool) -> list[float]:
    """Where arrows of these spans meet one half of a box edge: the longest nearest the middle,
    so that nested arcs never cross where they land."""
    half = box.width / 2
    step = half / (len(spans) + 1)
    nearest = sorted(range(len(spans)), key=lambda i: -spans[i])
    places = [0.0] * len(spans)
    for slot, index in enumerate(nearest, start=1):
        offset = slot * step
        places[index] = round(box.middle + offset if right else box.middle - offset, 1)
    return places


def _tallest(arrows: list[Transition], up: list[bool], rising: bool) -> float:
    """The height of the tallest label on one side of the row (a line per action)."""
    lines = [len(t.actions) for t, u in zip(arrows, up, strict=True) if u is rising]
    return max(lines, default=1) * LINE + 6


def arrange(machine: Machine, top: float = 0) -> Layout:
    """The layout of ``machine``, its top edge at ``top``.

    >>> from pmsim.diagrams.tables import build
    >>> layout = arrange(build("setup_intent"))
    >>> len(layout.boxes), len(layout.arcs), layout.boxes[0].loop
    (6, 12, '↻ update_payment_method, confirm')
    """
    states = order(machine)
    loops = {t.source: "↻ " + t.label for t in machine.transitions if t.source == t.target}
    arrows = [t for t in machine.transitions if t.source != t.target]
    texts = [text_width(s, NAME_SIZE) for s in states]
    texts += [text_width(loop, LABEL_SIZE) for loop in loops.values()]
    texts += [text_width(a, LABEL_SIZE) for t in arrows for a in t.actions]
    width = max(texts) + 2 * PAD
    pitch = width + GAP  # every column alike, so a label never outgrows its column
    spans = [abs(states.index(t.target) - states.index(t.source)) for t in arrows]
    up = [states.index(t.target) > states.index(t.source) for t in arrows]
    tallest = {rising: _tallest(arrows, up, rising) for rising in (True, False)}

    def height(span: int, rising: bool) -> float:
        # One more column of span lifts an arc by a whole label, so labels never stack.
        return 12 + tallest[rising] / 2 + (span - 1) * (tallest[rising] + 10)

    def room(rising: bool) -> float:
        reach = max((n for n, u in zip(spans, up, strict=True) if u is rising), default=0)
        return height(reach, rising) + tallest[rising] / 2 if reach else 0

    row = top + MARGIN + room(True)
    x0 = MARGIN + 36  # room for the initial dot and its arrow
    boxes = [
        Box(s, round(x0 + i * pitch, 1), row, width, loops.get(s)) for i, s in enumerate(states)
    ]
    place: dict[tuple[int, bool], float] = {}  # (arrow, its start?) -> x where it meets a box
    for box in boxes:
        # Above the row, arrows leave from the right half and land on the left; below, the
        # other way round. Each (half, end) gets its own slots.
        for starts in (True, False):
            for rising in (True, False):
                mine = [
                    i
                    for i, t in enumerate(arrows)
                    if up[i] is rising and (t.source if starts else t.target) == box.state
                ]
                slots = _slots(box, [spans[i] for i in mine], right=starts is rising)
                place |= {(i, starts): x for i, x in zip(mine, slots, strict=True)}
    arcs = []
    for i, t in enumerate(arrows):
        y = row if up[i] else row + BOX_HEIGHT
        lift = -height(spans[i], True) if up[i] else height(spans[i], False)
        start, end = (place[i, True], y), (place[i, False], y)
        apex = (round((start[0] + end[0]) / 2, 1), round(y + lift, 1))
        arcs.append(Arc(start, end, round(lift * 4 / 3, 1), t.actions, apex))
    right_edge = boxes[-1].x + width + LOOP + MARGIN
    bottom = row + BOX_HEIGHT + room(False) + MARGIN
    return Layout(tuple(boxes), tuple(arcs), round(right_edge, 1), round(bottom, 1))
