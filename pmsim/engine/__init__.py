"""The engine: the Simulator and its resource namespaces, the only writers of state."""

from __future__ import annotations

from pmsim.engine.simulator import NAMESPACES, Simulator

__all__ = ["NAMESPACES", "Simulator"]
