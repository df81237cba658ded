"""What the benchmark scripts share: the machine they ran on, best/median summaries, and
pmsim's hotspots under cProfile."""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
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


def say_machine(say: Callable[[str], None], machine: dict[str, Any], *packages: str) -> None:
    """The header every benchmark prints: versions, interpreter, machine and its load."""
    versions = ", ".join(f"{name} {machine[name]}" for name in packages)
    say(
        f"{versions} on Python {machine['python']} "
        f"({machine['implementation']}, {machine['compiler']})"
    )
    load = machine["load_average_1m"]
    say(
        f"{machine['platform']}, {machine['machine']}, {machine['cpus']} CPUs"
        + ("" if load is None else f", load average {load:.2f} at start")
    )
    say("")


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


def hotspots(profiler: cProfile.Profile, per: int, top: int = 20) -> dict[str, Any]:
    """pmsim's costliest functions in a profile, by their own time, per unit of work.

    ``per`` is how many units (calls, steps) the profiled run made; every figure is divided
    by it. Returns the whole run's time, pmsim's own share, pmsim's share by file and the
    ``top`` functions.
    """
    import pmsim  # here: the scripts put the checkout on sys.path before importing this

    stats = pstats.Stats(profiler)
    pmsim_dir = str(Path(pmsim.__file__).resolve().parent)
    rows = []
    by_file: dict[str, float] = {}
    for (filename, line, function), entry in stats.stats.items():  # type: ignore[attr-defined]
        _, ncalls, tottime, cumtime, _ = entry
        if not filename.startswith(pmsim_dir):
            continue
        where = Path(filename).relative_to(pmsim_dir).as_posix()
        by_file[where] = by_file.get(where, 0.0) + tottime / per * 1e6
        rows.append(
            {
                "function": f"{where}:{line}({function})",
                "calls": ncalls / per,
                "self_us": tottime / per * 1e6,
                "cumulative_us": cumtime / per * 1e6,
            }
        )
    rows.sort(key=lambda row: row["self_us"], reverse=True)
    return {
        "total_us": stats.total_tt / per * 1e6,  # type: ignore[attr-defined]
        "pmsim_self_us": sum(row["self_us"] for row in rows),
        "self_us_by_file": dict(sorted(by_file.items(), key=lambda item: -item[1])),
        "functions": rows[:top],
    }


def say_hotspots(say: Say, found: dict[str, Any], unit: str) -> None:
    """Print ``hotspots()``'s functions, one line each, figures per ``unit``."""
    say(f"pmsim's costliest functions (self time, us per {unit}):")
    for row in found["functions"]:
        say(
            f"  {row['self_us']:6.1f} self {row['cumulative_us']:7.1f}"
            f" cum {row['calls']:5.1f}x  {row['function']}"
        )


def arguments(doc: str | None, quick_help: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: ``--quick`` (a smaller run) and ``--json``."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=quick_help)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def callgrind_count(script: str, *args: str) -> int:
    """Instructions that ``python script args...`` executes, counted by valgrind's callgrind."""
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, script, *args,
    ]  # fmt: skip
    # A fixed hash seed: dict and set layouts, and so the instructions, are the same each run.
    env = os.environ | {"PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed ({' '.join(command)}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def callgrind_per_call(script: str, name: str, calls: int) -> float:
    """Instructions per call of ``script --child name calls``: a run with ``calls`` measured
    calls less one with none (the two are independent processes, run side by side)."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        base, full = pool.map(
            lambda n: callgrind_count(script, "--child", name, str(n)), (0, calls)
        )
    return (full - base) / calls


def callgrind_main(
    doc: str | None, script: str, names: Sequence[str], child: Callable[[str, int], None],
    *, what: str,
) -> None:  # fmt: skip
    """The command line of a benchmark counting instructions per call of each of ``names``:
    ``--calls``, ``--json``, and ``--child NAME CALLS`` (what callgrind runs: ``child``)."""
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=(doc or "").split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="measured calls per figure")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = {name: callgrind_per_call(script, name, args.calls) for name in names}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"Instructions per {what} (callgrind, {args.calls} measured):")
    for name, value in figures.items():
        print(f"  {name:20} {value:>12,.0f}")
