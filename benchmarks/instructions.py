"""The in-process transport against its floor, in CPU instructions: a figure that noise cannot move.

Run from the repository root, with ``stripe`` installed and valgrind on the PATH::

    python benchmarks/instructions.py            # about three minutes
    python benchmarks/instructions.py --calls 100 # quicker, as exact
    python benchmarks/instructions.py --json

``benchmarks/transport.py`` times the same three operations (``customers.create``, an
attach+detach cycle, ``customers.retrieve``) through ``pmsim.stripe_client`` and through the
floor (the same stripe-python calls answered with a canned body); on a shared machine its
ratios move by a tenth or more from run to run. This script runs the very same loops (it
imports them from ``transport.py``) in a child process under valgrind's callgrind, which counts
the instructions executed, and subtracts a run that does everything but the measured calls.
The counts are the same on every run of a given machine and Python, so they show whether a
change made pmsim do more or less work, and the ratio pmsim/floor is the issue's aim (under
1.20) counted in work rather than in time.

Instructions are not time: stripe-python's C-heavy work (JSON parsing) runs more instructions
per nanosecond than pmsim's Python, so the time ratio runs higher than this one; both are
quoted in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench_common import callgrind_count

HERE = Path(__file__).resolve().parent
AIM = 1.20
SUBJECTS = ("pmsim", "floor")


def child(subject: str, operation: str, calls: int) -> None:
    """Inside valgrind: set up, warm up, then run ``calls`` measured calls (or none)."""
    sys.path.insert(0, str(HERE))
    import transport  # the same subjects and loops the timed benchmark uses

    made = transport.pmsim_subject() if subject == "pmsim" else transport.floor_subject()
    timer = transport.OPERATIONS[operation]
    timer(made, 50)  # warm-up: caches, first-use imports, the simulator's lazily made state
    if calls:
        timer(made, calls)


def count(subject: str, operation: str, calls: int) -> int:
    """Instructions that one run of the child executes, by callgrind."""
    return callgrind_count(__file__, "--child", subject, operation, str(calls))


def per_call(subject: str, operation: str, calls: int) -> float:
    with ThreadPoolExecutor(max_workers=2) as pool:  # the two runs are independent processes
        base, full = pool.map(lambda n: count(subject, operation, n), (0, calls))
    return (full - base) / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=400, help="measured calls (cycles) per run")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        subject, operation, calls = args.child
        child(subject, operation, int(calls))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed; on Debian or Ubuntu: apt install valgrind")
    sys.path.insert(0, str(HERE))
    from transport import OPERATIONS

    results: dict[str, Any] = {"calls": args.calls, "python": sys.version.split()[0]}
    if not args.json:
        print(f"Instructions per call (callgrind, {args.calls} calls after 50 to warm up):")
        print(f"  {'operation':<20} {'pmsim':>12} {'floor':>12}  pmsim/floor  (aim: under {AIM})")
    for operation in OPERATIONS:
        ours, floor = (per_call(subject, operation, args.calls) for subject in SUBJECTS)
        results[operation] = {"pmsim": ours, "floor": floor, "ratio": ours / floor}
        if not args.json:
            print(f"  {operation:<20} {ours:>12,.0f} {floor:>12,.0f}  {ours / floor:.3f}")
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
