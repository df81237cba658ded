"""Pick a machine and a format, get the text: the one entry point for notebooks and the CLI.

In a notebook, ``pmsim.diagrams.diagram("setup_intent")`` as a cell's last line shows the SVG
picture; ``.mermaid``, ``.dot``, ``.markdown`` and ``.svg`` are the texts.

>>> picture = diagram("setup_intent")
>>> picture.mermaid.splitlines()[:2]
['stateDiagram-v2', '    [*] --> requires_payment_method']
>>> render("payment_method", "dot").splitlines()[0]
'digraph payment_method {'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from pmsim.diagrams import dot, markdown, mermaid, svg
from pmsim.diagrams.machines import Machine
from pmsim.diagrams.tables import build
from pmsim.domain.errors import PmsimUsageError

#: Every format, by the name ``--format`` and :func:`render` take.
FORMATS: Final[Mapping[str, Callable[[Machine], str]]] = MappingProxyType(
    {
        "markdown": markdown.render,
        "mermaid": mermaid.render,
        "dot": dot.render,
        "svg": svg.render,
    }
)


def _formatted(machine: Machine, format: str) -> str:
    try:
        renderer = FORMATS[format]
    except KeyError:
        raise PmsimUsageError(
            f"No diagram format called {format!r}. Use one of: {', '.join(FORMATS)}."
        ) from None
    return renderer(machine)


@dataclass(frozen=True)
class Diagram:
    """One machine, read from its table when the diagram was made, in every format.

    Jupyter shows it as the SVG picture. There is deliberately no ``_repr_markdown_``:
    Jupyter prefers Markdown to SVG, and would show Mermaid source where it cannot draw it.

    >>> picture = diagram("payment_method")
    >>> picture._repr_svg_() == picture.svg, picture.machine.initial
    (True, 'new')
    """

    machine: Machine

    def __repr__(self) -> str:
        return f"<Diagram {self.machine.name}: {len(self.machine.states)} states>"

    def render(self, format: str) -> str:
        """The diagram in ``format`` (one of :data:`FORMATS`)."""
        return _formatted(self.machine, format)

    @property
    def markdown(self) -> str:
        """The transition table as a Markdown table: states down, actions across.

        >>> diagram("payment_method").markdown.splitlines()[0]  # doctest: +ELLIPSIS
        '| state | ...'
        """
        return self.render("markdown")

    @property
    def mermaid(self) -> str:
        """Mermaid ``stateDiagram-v2`` source, as GitHub draws it in a ```mermaid fence.

        >>> diagram("payment_method").mermaid.splitlines()[0]
        'stateDiagram-v2'
        """
        return self.render("mermaid")

    @property
    def dot(self) -> str:
        """Graphviz DOT source, for ``dot -Tpng``.

        >>> diagram("payment_method").dot.splitlines()[0]
        'digraph payment_method {'
        """
        return self.render("dot")

    @property
    def svg(self) -> str:
        """A standalone SVG picture, drawn in pure Python (what Jupyter shows).

        >>> diagram("payment_method").svg.startswith("<svg")
        True
        """
        return self.render("svg")

    def _repr_svg_(self) -> str:
        return self.svg


def diagram(machine: str = "payment_method") -> Diagram:
    """The diagram of ``machine``: ``payment_method``, ``setup_intent``, ``payment_intent``,
    ``bank_account`` or ``mandate`` (the names in ``pmsim.diagrams.MACHINES``).

    >>> diagram("payment_intent").machine.title
    'PaymentIntent statuses'
    """
    return Diagram(build(machine))


def render(machine: str = "payment_method", format: str = "markdown") -> str:
    """``machine`` drawn in ``format``; ``render()`` is what ``pmsim diagram`` prints.

    >>> print(render("payment_method", "mermaid").splitlines()[2])
        new --> set_up: set_up
    >>> render(format="png")
    Traceback (most recent call last):
    pmsim.domain.errors.PmsimUsageError: No diagram format called 'png'. Use one of: ...
    """
    return _formatted(build(machine), format)
