"""A MkDocs hook: docstrings' doctest examples (``>>>`` lines and their output) shown as
Python console blocks in the documentation site, not read as Markdown (where ``[x] ['y']``
would be a reference link). Loaded by ``mkdocs.yml``'s ``hooks:``; mkdocstrings renders
docstrings with the site's Markdown extensions, so this one reaches them too.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

_PROMPT = re.compile(r"^(\s*)>>> ")


class _DoctestBlocks(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fenced = False  # inside a ``` block already: leave it alone
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.lstrip().startswith("```"):
                fenced = not fenced
            match = None if fenced else _PROMPT.match(line)
            if match is None:
                out.append(line)
                i += 1
                continue
            indent = match.group(1)
            out.append(f"{indent}```pycon")
            while i < len(lines) and lines[i].strip():  # the example runs to a blank line
                out.append(lines[i])
                i += 1
            out.append(f"{indent}```")
        return out


class DoctestBlocks(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's name)
        md.preprocessors.register(_DoctestBlocks(md), "pmsim_doctest_blocks", 40)


def on_config(config: Any) -> Any:
    """Add the extension to the site's Markdown (mkdocstrings uses the same list)."""
    config.markdown_extensions.append(DoctestBlocks())
    return config
