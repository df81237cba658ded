"""A machine as an SVG picture, drawn in pure Python: no Graphviz, no browser, no font files.

The states are rounded boxes in one row (:mod:`pmsim.diagrams.layout` says where), the allowed
moves labelled arrows, and under the picture a table lists every refusal: the action, the
states it is refused in, Stripe's code (or type) and Stripe's message. The same machine gives
the same bytes on every run and every machine.

>>> from pmsim.diagrams.tables import build
>>> picture = render(build("payment_method"))
>>> picture.startswith('<svg xmlns="http://www.w3.org/2000/svg"'), "not reusable" in picture
(True, True)
"""

from __future__ import annotations

import textwrap
from xml.sax.saxutils import escape, quoteattr

from pmsim.diagrams.dot import REFUSED
from pmsim.diagrams.layout import (
    BOX_HEIGHT,
    CHAR,
    LABEL_SIZE,
    LINE,
    LOOP,
    MARGIN,
    NAME_SIZE,
    Arc,
    Box,
    arrange,
    text_width,
)
from pmsim.diagrams.machines import Machine, RefusedMove

FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace"
INK, BOX_FILL, HALO, RULE = "#27324a", "#eef2f8", "#ffffff", "#c9d1de"
_STROKE = f'fill="none" stroke="{INK}" stroke-width="1.2"'
TITLE_HEIGHT = 44
#: The legend's columns: heading, and the most characters a line of it may hold (None: the rest).
COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("action", 26),
    ("refused in", 26),
    ("error", 46),
    ("message", None),
)


def number(value: float) -> str:
    """A coordinate as SVG text: at most one decimal, no trailing zero.

    >>> number(12.0), number(3.14159), number(-0.01)
    ('12', '3.1', '0')
    """
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _text(x: float, y: float, content: str, size: float, **attributes: str) -> str:
    extra = "".join(f" {key.replace('_', '-')}={quoteattr(v)}" for key, v in attributes.items())
    return (
        f'<text x="{number(x)}" y="{number(y)}" font-size="{number(size)}"{extra}>'
        f"{escape(content)}</text>"
    )


def _box(box: Box, initial: bool, arrow: str) -> list[str]:
    middle = box.middle
    name_y = box.y + (19 if box.loop else 29)
    parts = [
        f'<g class="state" data-state={quoteattr(box.state)}>',
        f'<rect x="{number(box.x)}" y="{number(box.y)}" width="{number(box.width)}" '
        f'height="{BOX_HEIGHT}" rx="10" fill="{BOX_FILL}" stroke="{INK}" '
        f'stroke-width="{2 if initial else 1.2}"/>',
        _text(middle, name_y, box.state, NAME_SIZE, text_anchor="middle", font_weight="bold"),
    ]
    if box.loop:
        right, mid = box.x + box.width, box.y + BOX_HEIGHT / 2
        loop = (
            f"M{number(right)},{number(mid - 8)} C{number(right + LOOP + 8)},{number(mid - 26)} "
            f"{number(right + LOOP + 8)},{number(mid + 26)} {number(right + 1)},{number(mid + 8)}"
        )
        parts.append(f'<path d="{loop}" {_STROKE} marker-end="url(#{arrow})"/>')
        parts.append(_text(middle, box.y + 37, box.loop, LABEL_SIZE, text_anchor="middle"))
    parts.append("</g>")
    return parts


def _arc(arc: Arc, arrow: str) -> list[str]:
    (x1, y), (x2, _) = arc.start, arc.end
    c = y + arc.bend
    curve = f"M{number(x1)},{number(y)} C{number(x1)},{number(c)} {number(x2)},{number(c)} "
    curve += f"{number(x2)},{number(y)}"
    lx, ly = arc.label_at
    wide = max(text_width(line, LABEL_SIZE) for line in arc.lines) + 8
    high = len(arc.lines) * LINE + 4
    parts = [
        f'<path class="move" d="{curve}" {_STROKE} marker-end="url(#{arrow})"/>',
        f'<rect x="{number(lx - wide / 2)}" y="{number(ly - high / 2)}" width="{number(wide)}" '
        f'height="{number(high)}" rx="3" class="label" fill="{HALO}" fill-opacity="0.9"/>',
    ]
    first = ly - high / 2 + 2 + LINE - 3
    for n, line in enumerate(arc.lines):
        parts.append(_text(lx, first + n * LINE, line, LABEL_SIZE, text_anchor="middle"))
    return parts


def _cells(refusal: RefusedMove) -> tuple[str, str, str, str]:
    return refusal.action, ", ".join(refusal.states), refusal.label, refusal.message


def _columns(refusals: tuple[RefusedMove, ...], width: float) -> list[int]:
    """How many characters each column holds: its longest cell, up to its limit; the last
    column takes what is left."""
    chars = []
    for column, (name, limit) in enumerate(COLUMNS[:-1]):
        longest = max([len(name)] + [len(_cells(refusal)[column]) for refusal in refusals])
        chars.append(min(longest, limit or longest))
    used = sum(chars) + 2 * len(chars)  # two characters of space after each column
    chars.append(max(int(width / (LABEL_SIZE * CHAR)) - used - 4, 30))
    return chars


def _rows(refusals: tuple[RefusedMove, ...], chars: list[int]) -> list[list[list[str]]]:
    """Each refusal's cells, each wrapped to its column's width."""
    return [
        [textwrap.wrap(text, limit) or [""] for text, limit in zip(_cells(r), chars, strict=True)]
        for r in refusals
    ]


def _legend(machine: Machine, top: float, width: float) -> tuple[list[str], float]:
    """The refusal table under the picture, and where it ends."""
    x0 = MARGIN
    heading = "Refused: each action, the states it is refused in, and the error it answers with"
    parts = [_text(x0, top + 14, heading, NAME_SIZE, font_weight="bold")]
    chars = _columns(machine.refusals, width)
    rows = _rows(machine.refusals, chars)
    column_x: list[float] = [x0]
    for size in chars[:-1]:
        column_x.append(round(column_x[-1] + (size + 2) * LABEL_SIZE * CHAR, 1))
    y = top + 24
    header = [[name] for name, _ in COLUMNS]
    for index, cells in enumerate([header, *rows]):
        high = max(len(cell) for cell in cells) * LINE + 8
        fill = "#f6f7f9" if index == 0 else HALO
        parts.append(
            f'<rect x="{number(x0)}" y="{number(y)}" width="{number(width)}" '
            f'height="{number(high)}" fill="{fill}" stroke="{RULE}" stroke-width="0.8"/>'
        )
        for column, cell in enumerate(cells):
            color = REFUSED if column == 2 and index else INK
            weight = "bold" if index == 0 else "normal"
            for n, line in enumerate(cell):
                parts.append(
                    _text(column_x[column] + 6, y + 4 + LINE * (n + 1) - 3, line, LABEL_SIZE,
                          fill=color, font_weight=weight)
                )  # fmt: skip
        y += high
    return parts, y


def render(machine: Machine) -> str:
    """The whole picture: title, states and arrows, then the refusals.

    >>> from pmsim.diagrams.tables import build
    >>> render(build("setup_intent")).count('class="state"')
    6
    """
    layout = arrange(machine, top=TITLE_HEIGHT)
    marker = f"pmsim-{machine.name}-arrow"  # its own id, so pictures side by side in one page
    table_width = max(layout.width - 2 * MARGIN, 960.0)
    width = table_width + 2 * MARGIN
    legend, bottom = _legend(machine, layout.height, table_width)
    height = bottom + MARGIN
    first = layout.boxes[0]  # the initial state: the row starts with it
    dot_x, dot_y = first.x - 30, first.y + BOX_HEIGHT / 2
    body = [
        f'<rect width="{number(width)}" height="{number(height)}" fill="{HALO}"/>',
        _text(MARGIN, 26, machine.title, 16, font_weight="bold"),
        _text(MARGIN, 40, f"generated from {machine.source}", LABEL_SIZE, fill="#5b6478"),
        f'<circle cx="{number(dot_x)}" cy="{number(dot_y)}" r="6" fill="{INK}"/>',
        f'<path d="M{number(dot_x + 6)},{number(dot_y)} H{number(first.x - 1)}" {_STROKE} '
        f'marker-end="url(#{marker})"/>',
    ]
    for arc in layout.arcs:
        body += _arc(arc, marker)
    for box in layout.boxes:
        body += _box(box, box.state == machine.initial, marker)
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{number(width)}" '
        f'height="{number(height)}" viewBox="0 0 {number(width)} {number(height)}" '
        f'font-family="{FONT}" fill="{INK}" role="img" aria-label={quoteattr(machine.title)}>',
        f"<title>{escape(machine.title)}</title>",
        f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{INK}"/></marker></defs>',
        *body,
        *legend,
        "</svg>",
    ]
    return "\n".join(lines)
