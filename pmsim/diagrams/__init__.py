"""Pictures of the lifecycles, generated from the engine's own transition tables.

``diagram("setup_intent")`` shows the picture in a notebook; ``render(machine, format)`` gives
the text (``markdown``, ``mermaid``, ``dot`` or ``svg``); ``pmsim diagram`` prints it.
This package reads only :mod:`pmsim.domain`, so a picture can never disagree with the rules.

>>> import pmsim.diagrams
>>> sorted(pmsim.diagrams.MACHINES), sorted(pmsim.diagrams.FORMATS)
(['bank_account', 'mandate', 'payment_intent', 'payment_method', 'setup_intent'], [...])
"""

from __future__ import annotations

from pmsim.diagrams.machines import Machine, RefusedMove, Transition
from pmsim.diagrams.markers import refresh, refresh_file
from pmsim.diagrams.render import FORMATS, Diagram, diagram, render
from pmsim.diagrams.tables import MACHINES, build

__all__ = [
    "FORMATS",
    "MACHINES",
    "Diagram",
    "Machine",
    "RefusedMove",
    "Transition",
    "build",
    "diagram",
    "refresh",
    "refresh_file",
    "render",
]
