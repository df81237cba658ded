"""What the benchmark scripts share: the machine they ran on, and best/median summaries."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from typing import Any


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine_info(*packages: str) -> dict[str, Any]:
    """The interpreter, the machine, its load, and the versions of ``packages``."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "compiler": platform.python_compiler(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpus": os.cpu_count(),
        "load_average_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    } | {name: installed_version(name) for name in packages}


def summary(values: Sequence[float], *, higher_is_better: bool) -> dict[str, float]:
    """The best of several repeats (machines are noisy) and their median."""
    best = max(values) if higher_is_better else min(values)
    return {"best": best, "median": statistics.median(values)}


Say = Callable[[str], None]


def report(run: Callable[[Say], dict[str, Any]], *, as_json: bool) -> None:
    """Run a benchmark, printing its lines as it goes, or only its figures as JSON at the end."""

    def say(line: str) -> None:
        if not as_json:
            print(line, flush=True)

    started = time.perf_counter()
    results = run(say)
    results["wall_s"] = time.perf_counter() - started
    if as_json:
        print(json.dumps(results, indent=2))
    else:
        say(f"\n(took {results['wall_s']:.0f} s)")
