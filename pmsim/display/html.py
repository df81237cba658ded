"""Small HTML fragments for notebooks, from which every display in :mod:`pmsim.display` is built.

Jupyter displays an object's ``_repr_html_()`` when it has one. The fragments here are
self-contained: every value goes through :func:`html.escape`, styles are inline, there are no
scripts, and nothing paints a background of its own (borders are a translucent grey), so they
read in light and dark themes alike. Colour is kept for what it means: lifecycle states,
statuses and failures, through the one :data:`COLOURS` table. The records' panels
(:mod:`pmsim.display.records`), the simulator's page and the transcript's timeline all use them.

>>> print(badge("attached"))  # doctest: +ELLIPSIS
<span style="...color:#2e9e5b...">attached</span>
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from html import escape
from types import MappingProxyType
from typing import Any, Final

from pmsim.domain import times
from pmsim.domain.events import plain_copy

#: The colour of each state, status or verdict a badge can show; anything else is grey.
COLOURS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "new": "#3b82c4",
        "attached": "#2e9e5b",
        "detached": "#c77d1a",
        "consumed": "#8a63d2",
        "set_up": "#1f9aa6",
        "deleted": "#d9534f",
        "passed": "#2e9e5b",
        "held": "#2e9e5b",
        "failed": "#d9534f",
        "error": "#d9534f",
        "succeeded": "#2e9e5b",
        "canceled": "#888888",
        "processing": "#3b82c4",
        "requires_payment_method": "#c77d1a",
        "requires_confirmation": "#3b82c4",
        "requires_action": "#c77d1a",
        "requires_capture": "#1f9aa6",
    }
)
GREY = "#888888"
#: A failure's row: a translucent tint, so it reads on white and on black.
FAILED_ROW = "background:rgba(217,83,79,.13)"
MONO = "font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px"
BORDER = "border:1px solid rgba(127,127,127,.35)"
# Jupyter's own stylesheet right-aligns table cells; every cell says otherwise inline.
CELL = f"{BORDER};padding:2px 8px;text-align:left;vertical-align:top"
TABLE = "border-collapse:collapse;margin:4px 0;font-size:13px"
CAPTION = "caption-side:top;text-align:left;padding:2px 0;font-weight:600"
DEFAULT_MARK = "★"  # the customer's default payment method


def esc(value: object) -> str:
    """Any value as HTML text; ``None`` as a grey dash.

    >>> esc("<script>alert(1)</script>")
    '&lt;script&gt;alert(1)&lt;/script&gt;'
    """
    if value is None:
        return f'<span style="color:{GREY}">–</span>'
    return escape(str(value))


def code(value: object) -> str:
    """An id or other machine text, in a monospace font.

    >>> code("pm_1")  # doctest: +ELLIPSIS
    '<code style="...">pm_1</code>'
    """
    return esc(None) if value is None else f'<code style="{MONO}">{escape(str(value))}</code>'


def badge(label: str) -> str:
    """A state or verdict in its colour (:data:`COLOURS`), outlined rather than filled.

    >>> badge("<new>")  # doctest: +ELLIPSIS
    '<span style="color:#888888;...">&lt;new&gt;</span>'
    """
    colour = COLOURS.get(label, GREY)
    style = f"color:{colour};border:1px solid {colour};border-radius:3px;padding:0 4px"
    return f'<span style="{style}">{escape(label)}</span>'


def coloured(text: str, label: str) -> str:
    """``text`` (escaped) in the colour of ``label``.

    >>> coloured("✗ expect", "failed")
    '<span style="color:#d9534f">✗ expect</span>'
    """
    return f'<span style="color:{COLOURS.get(label, GREY)}">{escape(text)}</span>'


def lines(items: Sequence[str]) -> str:
    """HTML fragments one under another (``<div>`` each: no void tags such as ``<br>``).

    >>> lines(["a", "b"])
    '<div>a</div><div>b</div>'
    """
    return "".join(f"<div>{item}</div>" for item in items)


def table(
    rows: Sequence[Sequence[str]],
    header: Sequence[str] = (),
    *,
    caption: str = "",
    marked: Collection[int] = (),
) -> str:
    """A bordered table of HTML cells; ``header`` and ``caption`` are plain text, and the
    rows whose index is in ``marked`` are tinted as failures.

    >>> table([["<b>1</b>"]], ["n"])  # doctest: +ELLIPSIS
    '<table ...><tr><th ...>n</th></tr><tr><td ...><b>1</b></td></tr></table>'
    """
    parts = [f'<table style="{TABLE}">']
    if caption:
        parts.append(f'<caption style="{CAPTION}">{escape(caption)}</caption>')
    if header:
        parts.append("<tr>" + "".join(f'<th style="{CELL}">{escape(h)}</th>' for h in header))
        parts.append("</tr>")
    for index, row in enumerate(rows):
        tint = f' style="{FAILED_ROW}"' if index in marked else ""
        parts.append(f"<tr{tint}>" + "".join(f'<td style="{CELL}">{c}</td>' for c in row))
        parts.append("</tr>")
    parts.append("</table>")
    return "".join(parts)


def panel(kind: str, ident: str, pairs: Sequence[tuple[str, str]]) -> str:
    """One record as a panel, a small two-column table: its kind and id above, then label /
    HTML value.

    >>> html = panel("Customer", "cus_1", [("email", esc("a@x.co"))])
    >>> html.count("<tr>"), "<th " in html, "a@x.co</td>" in html
    (1, True, True)
    """
    rows = "".join(f'<tr><th style="{CELL}">{escape(k)}</th><td style="{CELL}">{v}</td></tr>'
                   for k, v in pairs)  # fmt: skip
    title = f'<caption style="{CAPTION}">{escape(kind)} {code(ident)}</caption>'
    return f'<table style="{TABLE}">{title}{rows}</table>'


def iso(timestamp: int) -> str:
    """Unix seconds as ISO 8601 text in UTC.

    >>> iso(1704067200)
    '2024-01-01T00:00:00Z'
    """
    return times.iso(timestamp)


def brief(value: Any, limit: int = 80) -> str:
    """Plain data as compact JSON text, cut to ``limit`` characters with "…" (not escaped).

    >>> brief({"customer": "cus_1", "metadata": {"k": "v"}})
    '{"customer": "cus_1", "metadata": {"k": "v"}}'
    >>> brief("x" * 100, limit=5)
    '"xxx…'
    """
    text = json.dumps(plain_copy(value), ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
