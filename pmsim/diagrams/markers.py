"""Keep the diagrams in a Markdown file current: each sits between two HTML comments.

A block opened by ``<!-- diagram:setup_intent:start -->`` and closed by
``<!-- diagram:setup_intent:end -->`` holds the machine's Mermaid diagram in a ```mermaid
fence; :func:`refresh` rewrites every such block from the tables as they are now.

>>> start, end = "<!-- diagram:payment_method:start -->", "<!-- diagram:payment_method:end -->"
>>> print(refresh(f"Intro\\n{start}\\nold\\n{end}\\n"))  # doctest: +ELLIPSIS
Intro
<!-- diagram:payment_method:start -->
```mermaid
stateDiagram-v2
...
```
<!-- diagram:payment_method:end -->
<BLANKLINE>
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from pmsim.diagrams.render import render

#: One marked block: group 1 is the machine's name, group 2 what the block holds now.
BLOCK: Final = re.compile(
    r"<!-- diagram:(\w+):start -->\n(.*?)<!-- diagram:\1:end -->", flags=re.DOTALL
)


def fenced(machine: str) -> str:
    """What a marked block holds: the machine's Mermaid diagram in a fence.

    >>> fenced("payment_method").splitlines()[:2]
    ['```mermaid', 'stateDiagram-v2']
    """
    return f"```mermaid\n{render(machine, 'mermaid')}\n```\n"


def blocks(text: str) -> dict[str, str]:
    """Each marked block's machine and what it holds now.

    >>> blocks("<!-- diagram:x:start -->\\nhi\\n<!-- diagram:x:end -->")
    {'x': 'hi\\n'}
    """
    return {match[1]: match[2] for match in BLOCK.finditer(text)}


def refresh(text: str) -> str:
    """``text`` with every marked block drawn again."""
    return BLOCK.sub(
        lambda match: (
            f"<!-- diagram:{match[1]}:start -->\n{fenced(match[1])}<!-- diagram:{match[1]}:end -->"
        ),
        text,
    )


def refresh_file(path: str | Path) -> int:
    """Rewrite the marked blocks of the Markdown file at ``path``; returns how many there are.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = Path(folder, "page.md")
    ...     marks = "<!-- diagram:setup_intent:start -->\\n<!-- diagram:setup_intent:end -->"
    ...     _ = page.write_text(marks)
    ...     refresh_file(page), "requires_action" in page.read_text()
    (1, True)
    """
    page = Path(path)
    text = page.read_text(encoding="utf-8")
    page.write_text(refresh(text), encoding="utf-8")
    return len(blocks(text))
