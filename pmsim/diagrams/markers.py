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
from pmsim.diagrams.tables import MACHINES
from pmsim.domain.errors import PmsimUsageError

#: One marked block: group 1 is the machine's name, group 2 what the block holds now.
BLOCK: Final = re.compile(
    r"<!-- diagram:(\w+):start -->\n(.*?)<!-- diagram:\1:end -->", flags=re.DOTALL
)
#: An opening marker on a line of its own, closed or not: BLOCK would skip an unclosed one
#: silently. (A marker quoted inside a sentence is not one.)
START: Final = re.compile(r"^<!-- diagram:(\w+):start -->$", flags=re.MULTILINE)


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


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def redraw(text: str) -> tuple[str, int, int]:
    """``text`` with every marked block drawn again, how many blocks it has, and how many of
    them changed.

    >>> mark = "<!-- diagram:payment_method:start -->\\nold\\n<!-- diagram:payment_method:end -->"
    >>> fresh, found, changed = redraw(mark + "\\n" + mark)
    >>> found, changed, redraw(fresh)[1:]
    (2, 2, (2, 0))
    >>> redraw("<!-- diagram:charge:start -->\\n<!-- diagram:charge:end -->")
    Traceback (most recent call last):
    pmsim.domain.errors.PmsimUsageError: line 1: <!-- diagram:charge:start --> names no ...
    """
    found = list(BLOCK.finditer(text))
    for match in found:
        if match[1] not in MACHINES:
            raise PmsimUsageError(
                f"line {_line(text, match.start())}: <!-- diagram:{match[1]}:start --> names "
                f"no state machine. Name one of: {', '.join(MACHINES)}."
            )
    opened = {match.start() for match in found}
    for opening in START.finditer(text):
        if opening.start() not in opened:
            raise PmsimUsageError(
                f"line {_line(text, opening.start())}: {opening[0]} is never closed. Put "
                f"<!-- diagram:{opening[1]}:end --> on a line of its own after the diagram."
            )
    changed = 0

    def draw(match: re.Match[str]) -> str:
        nonlocal changed
        drawing = fenced(match[1])
        changed += drawing != match[2]
        return f"<!-- diagram:{match[1]}:start -->\n{drawing}<!-- diagram:{match[1]}:end -->"

    return BLOCK.sub(draw, text), len(found), changed


def refresh(text: str) -> str:
    """``text`` with every marked block drawn again from the tables as they are now.

    >>> mark = "<!-- diagram:setup_intent:start -->\\n<!-- diagram:setup_intent:end -->"
    >>> refresh(mark).splitlines()[1:3]
    ['```mermaid', 'stateDiagram-v2']
    >>> refresh(mark) == refresh(refresh(mark)), refresh("no markers") == "no markers"
    (True, True)
    """
    return redraw(text)[0]


def refresh_file(path: str | Path) -> int:
    """Redraw the marked blocks of the Markdown file at ``path``; returns how many blocks
    changed. The file is written only when one did, so 0 means it was already current.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = Path(folder, "page.md")
    ...     marks = "<!-- diagram:setup_intent:start -->\\n<!-- diagram:setup_intent:end -->"
    ...     _ = page.write_text(marks)
    ...     refresh_file(page), refresh_file(page), "requires_action" in page.read_text()
    (1, 0, True)

    A file with no marked block is refused, since it is most likely the wrong file.
    """
    page = Path(path)
    text = page.read_text(encoding="utf-8")
    try:
        fresh, found, changed = redraw(text)
    except PmsimUsageError as problem:
        raise PmsimUsageError(f"{page}, {problem}") from None
    if not found:
        raise PmsimUsageError(
            f"{page} has no diagram to redraw. Mark one with <!-- diagram:payment_method:start -->"
            " and <!-- diagram:payment_method:end --> on lines of their own."
        )
    if changed:
        page.write_text(fresh, encoding="utf-8")
    return changed
