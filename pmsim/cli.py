"""The ``pmsim`` command: parses, delegates to the library, returns an exit code.

>>> main(["diagram", "--format", "mermaid"])  # doctest: +ELLIPSIS
stateDiagram-v2
...
0
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from pmsim.domain import lifecycle

RENDERERS: dict[str, Callable[[], str]] = {
    "markdown": lifecycle.as_markdown,
    "mermaid": lifecycle.as_mermaid,
}


def diagram(args: argparse.Namespace) -> int:
    """Print the PaymentMethod lifecycle table, generated from the engine's own table."""
    print(RENDERERS[args.format]())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmsim",
        description="A deterministic, in-memory simulator of Stripe's Customer and "
        "PaymentMethod lifecycle.",
        epilog="The Python API is the main entry point: import pmsim; pmsim.Simulator(seed=7).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    show = commands.add_parser("diagram", help="print the payment method lifecycle table")
    show.add_argument("--format", choices=sorted(RENDERERS), default="markdown")
    show.set_defaults(handler=diagram)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)
