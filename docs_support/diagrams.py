"""A MkDocs hook: on the site, each marked diagram block of a page is pmsim's own SVG picture.

The Markdown pages keep a Mermaid copy of each state machine between
``<!-- diagram:NAME:start -->`` and ``<!-- diagram:NAME:end -->`` (GitHub draws it, and
``python -m pmsim diagram --refresh FILE`` keeps it current; see ``pmsim.diagrams.markers``).
Material would draw a Mermaid block with mermaid.js fetched from a CDN when the page is viewed,
so the site would need the network. Instead this hook puts the SVG that ``pmsim diagram
--format svg`` draws (pure Python, from the same tables) in the block's place, inline, so the
site shows the picture offline and with every refusal's message under it.
"""

from __future__ import annotations

import re
from typing import Any

from pmsim.diagrams import render
from pmsim.diagrams.markers import BLOCK


def pictured(markdown: str) -> str:
    """``markdown`` with every marked diagram block replaced by its machine's SVG picture, in a
    raw HTML block that scrolls sideways when the picture is wider than the page.

    >>> page = "Intro\\n<!-- diagram:mandate:start -->\\nold\\n<!-- diagram:mandate:end -->\\nEnd"
    >>> lines = pictured(page).splitlines()
    >>> lines[0], lines[1]
    ('Intro', '<div class="pmsim-diagram" style="overflow-x: auto">')
    >>> lines[2][:4], lines[-3:]
    ('<svg', ['</div>', '', 'End'])
    """

    def picture(match: re.Match[str]) -> str:
        svg = "\n".join(line for line in render(match[1], "svg").splitlines() if line.strip())
        # Drawn at its own size (the theme would shrink it to the column, too small to read).
        svg = svg.replace("<svg ", '<svg style="max-width: none; height: auto" ', 1)
        return f'<div class="pmsim-diagram" style="overflow-x: auto">\n{svg}\n</div>\n'

    return BLOCK.sub(picture, markdown)


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs calls this with each page's Markdown before converting it to HTML."""
    return pictured(markdown)
