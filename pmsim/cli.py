"""The ``pmsim`` command: parses, delegates to the library, returns an exit code.

>>> main(["diagram", "--format", "mermaid"])  # doctest: +ELLIPSIS
stateDiagram-v2
...
0
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pmsim import __version__, diagrams
from pmsim.domain import errors, versions
from pmsim.domain.errors import PmsimUsageError


def diagram(args: argparse.Namespace) -> int:
    """Print a lifecycle diagram generated from the engine's own tables (or write it to
    --output); --refresh redraws the marked diagrams of a Markdown file instead."""
    if args.refresh is not None:
        given = [
            f"--{name}"
            for name in ("machine", "format", "output")
            if getattr(args, name) is not None
        ]
        if given:
            args.usage_error(
                f"argument --refresh: not allowed with {', '.join(given)} (--refresh redraws "
                "each marked block as Mermaid, for the machine its marker names)"
            )
        return _refresh(args.refresh)
    # --machine and --format default to None, so that --refresh can tell they were not given.
    text = diagrams.render(args.machine or "payment_method", args.format or "markdown") + "\n"
    if args.output is None:
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    try:
        target.write_text(text, encoding="utf-8")
    except FileNotFoundError:
        return _diagram_error(
            f"cannot write {target}: the folder {target.parent} does not exist (create it first)"
        )
    except OSError as problem:
        return _diagram_error(f"cannot write {target}: {problem.strerror or problem}")
    return 0


def _refresh(path: str) -> int:
    try:
        changed = diagrams.refresh_file(path)
    except FileNotFoundError:
        return _diagram_error(f"cannot refresh {path}: there is no such file")
    except OSError as problem:
        return _diagram_error(f"cannot refresh {path}: {problem.strerror or problem}")
    except UnicodeDecodeError:
        return _diagram_error(f"cannot refresh {path}: it is not UTF-8 text")
    except PmsimUsageError as problem:
        return _diagram_error(str(problem))
    if changed:
        print(f"{path}: redrew {changed} diagram{'s' if changed > 1 else ''}")
    else:
        print(f"{path}: every diagram was already current; the file is unchanged")
    return 0


def _diagram_error(message: str) -> int:
    # One line and exit code 2, as ``pmsim run`` does for an invalid file: not a traceback.
    print(f"pmsim diagram: {message}", file=sys.stderr)
    return 2


def _retry_delays(text: str) -> tuple[float, ...]:
    from pmsim.transports.endpoint_delivery import parse_delays

    try:
        return parse_delays(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not seconds separated by commas: {err}") from None


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"not a number of seconds from 0: {text!r}")
    return seconds


def _api_version(text: str) -> versions.ApiVersion:
    try:
        return versions.parse(text)
    except errors.StripeError as err:
        raise argparse.ArgumentTypeError(err.message) from None


def serve(args: argparse.Namespace) -> int:
    """Serve the simulated API until Ctrl-C or SIGTERM; exit 2 with one line when it cannot
    start (a port in use, a bad host)."""
    from pmsim.transports.endpoint_delivery import RETRY_DELAYS
    from pmsim.transports.server import Server, StartupError, exposure_warning, tune_gc

    warning = exposure_warning(args.host)
    if warning:
        print(warning, file=sys.stderr)
    given = args.webhook_retry_delays
    try:
        server = Server(
            args.host,
            args.port,
            args.seed,
            webhook_retry_delays=RETRY_DELAYS if given is None else given,
            webhook_hosts=args.allow_webhook_host or (),
            log=_log_line if args.log else None,
            idle_key_timeout=args.forget_idle_keys or None,
            api_version=args.api_version,
        )
    except StartupError as err:
        print(f"pmsim serve: {err}", file=sys.stderr)
        return 2
    print(
        f"pmsim serving the Stripe API at {server.url} (seed {args.seed}, API version "
        f"{args.api_version} unless a request sends Stripe-Version)",
        flush=True,
    )
    # uvicorn stops on Ctrl-C and SIGTERM, then raises the signal again for the handler
    # it found: this one, so that SIGTERM ends as Ctrl-C does (exit 0), not killed.
    signal.signal(signal.SIGTERM, _stop)
    tune_gc()
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    print("pmsim stopped", flush=True)
    return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the server the way Ctrl-C does


def _log_line(line: str) -> None:
    print(line, flush=True)


def run(args: argparse.Namespace) -> int:
    """Replay scenario files: 0 when every expectation holds, 1 when one fails, 2 when a file
    is invalid."""
    from pmsim.scenarios.runner import choose_color, run_files

    color = choose_color(args.color, sys.stdout)
    return run_files(args.paths, seed=args.seed, as_json=args.json, color=color)


def schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of scenario files (the same text as the shipped file)."""
    from pmsim.scenarios.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmsim",
        description="A deterministic, in-memory simulator of Stripe's Customer and "
        "PaymentMethod lifecycle.",
        epilog="The Python API is the main entry point: import pmsim; pmsim.Simulator(seed=7).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    show = commands.add_parser("diagram", help="draw a lifecycle from the engine's own tables")
    show.add_argument("--machine", choices=list(diagrams.MACHINES),
                      help="the lifecycle to draw (default: payment_method)")  # fmt: skip
    show.add_argument("--format", choices=list(diagrams.FORMATS),
                      help="how to draw it (default: markdown)")  # fmt: skip
    show.add_argument("--output", metavar="FILE", help="write the diagram to FILE")
    show.add_argument("--refresh", metavar="MARKDOWN",
                      help="redraw the <!-- diagram:NAME:start --> blocks of MARKDOWN, "
                      "writing it only if one changed (takes no other option)")  # fmt: skip
    # The handler checks which options came together (argparse cannot say that --refresh
    # excludes three options that go fine with each other), so it gets the subcommand's error.
    show.set_defaults(handler=diagram, usage_error=show.error)
    play = commands.add_parser("run", help="replay scenario files and check their expectations")
    play.add_argument("paths", nargs="+", metavar="FILE_OR_FOLDER",
                      help="scenario files, or folders of them (*.yaml, *.yml)")  # fmt: skip
    play.add_argument("--json", action="store_true", help="print the transcripts as JSON Lines")
    play.add_argument("--seed", type=int, default=None, help="replace each scenario's seed")
    play.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the report (auto: on a terminal, unless NO_COLOR is set)",
    )
    play.set_defaults(handler=run)
    shape = commands.add_parser("schema", help="print the JSON Schema of scenario files")
    shape.set_defaults(handler=schema)
    serve_cmd = commands.add_parser("serve", help="serve the simulated Stripe API over HTTP")
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
    )
    serve_cmd.add_argument(
        "--port", type=int, default=12111, help="port (default 12111; 0 picks a free one)"
    )
    serve_cmd.add_argument("--seed", type=int, default=0, help="seed of every key's simulator")
    serve_cmd.add_argument(
        "--allow-webhook-host", action="append", metavar="HOST",
        help="also post webhooks to this public host (repeatable; loopback is always allowed,"
        " private and link-local addresses never)",
    )  # fmt: skip
    serve_cmd.add_argument(
        "--webhook-retry-delays", type=_retry_delays, default=None, metavar="S,S,...",
        help="seconds before each retry of a failed webhook post (default 1,2,4,8,16,32:"
        " Stripe's three days of doubling waits, about 4,000 times faster; '' for none)",
    )  # fmt: skip
    serve_cmd.add_argument(
        "--forget-idle-keys", type=_seconds, default=24 * 60 * 60, metavar="SECONDS",
        help="forget the simulator of a key unused this long (default a day; 0: never)",
    )  # fmt: skip
    serve_cmd.add_argument(
        "--api-version", type=_api_version, default=versions.NEWEST, metavar="VERSION",
        help="what requests without a Stripe-Version header answer as, and events are rendered"
        f" in (default the newest, {versions.NEWEST}; docs/api-versions.md lists them)",
    )  # fmt: skip
    serve_cmd.add_argument(
        "--log", action="store_true",
        help="print one line per request: method, path, status, milliseconds, key suffix",
    )  # fmt: skip
    serve_cmd.set_defaults(handler=serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader went away (pmsim run scenarios/ | head): stop quietly, as Unix tools do,
        # and keep Python from complaining again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
