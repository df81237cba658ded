"""Benchmarks for pmsim's transports: the in-process stripe-python client and the HTTP server.

Run from the repository root, with the ``stripe`` package installed::

    python benchmarks/transport.py             # full size, about a minute
    python benchmarks/transport.py --quick     # smoke run, about 15 s
    python benchmarks/transport.py --json      # the same figures as JSON on stdout
    python benchmarks/transport.py --profile   # also list pmsim's hotspots under cProfile
    python benchmarks/transport.py --localstripe /path/to/venv/bin/localstripe
                                               # also localstripe, here (about two minutes)

It measures, and prints with the machine it ran on:

1. in-process: microseconds per call through ``pmsim.stripe_client(sim)`` for
   ``customers.create``, an attach+detach cycle of a payment method made before the clock
   starts (a detached payment method can never be attached again, so each cycle uses a fresh
   one), and ``customers.retrieve``. Each is set against its floor: the same stripe-python
   calls through a ``stripe.StripeClient`` whose ``HTTPClient`` hands back a pre-serialised
   JSON body of the right object (made by pmsim's ``to_dict`` and JSON encoder, so both
   sides hand stripe-python the same text) with status 200, so the floor is
   what stripe-python itself costs (encoding the request, decoding the answer, building its
   objects) and the difference is what pmsim adds. The issue's aim: under 20% on top of it;
2. over HTTP: ``pmsim serve --port 0`` started as its own process, as users run it, called by
   the official client (``stripe.StripeClient`` with its default HTTP
   client, keep-alive, and ``base_addresses`` pointing at the server): ``customers.create`` and
   ``customers.retrieve`` calls per second from one client thread, and in total from four
   client threads at once. Each repeat's number of calls comes from a short probe run, so that
   it lasts about a second (``--quick``: 0.3 s) within fixed bounds.

   With ``--localstripe CMD``, localstripe is started too (``CMD --from-scratch --port N`` on a
   free port, its output discarded; it is never a dependency of pmsim, so give the command of
   wherever it is installed) and measured by the same function, with the same client and the
   same loop, its repeats taking turns with pmsim's; the two sets of figures are printed side by
   side with the ratio pmsim/localstripe. The issue's aim: ``pmsim serve`` handles more calls/s
   than localstripe with the same client, which only a run on one machine can tell (the client
   itself costs much of each call, and its speed depends on the machine). Without the option,
   pmsim's figures are set against the issue's 420-690 calls/s for localstripe, which were
   measured on another machine. localstripe writes its whole store to
   ``/tmp/localstripe.pickle`` on every change, so its creates slow down as the store grows;
   each server's calls per repeat come from its own probe, so the slower one's store grows
   less.

Timed ratios move by a tenth or more between runs on a shared machine;
``benchmarks/instructions.py`` runs the in-process loops of part 1 under valgrind and counts
their instructions, which do not move.

Only the standard library, pmsim and stripe are used (localstripe runs in its own process, from
its own install); the servers are called over the loopback interface only (localstripe also
listens on the others while it runs). Every loop has a fixed count, and the servers are shut
down before the script ends, on error too. Machines are noisy, so each figure is the best (and
median) of several repeats, with pmsim's runs and the floor's (or localstripe's) interleaved so
that drift in the machine's speed hits both alike.
"""

from __future__ import annotations

import contextlib
import cProfile
import gc
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout even when pmsim is not installed

import stripe  # noqa: E402
from bench_common import (  # noqa: E402
    arguments,
    hotspots,
    machine_info,
    report,
    say_hotspots,
    say_machine,
    summary,
)

import pmsim  # noqa: E402
from pmsim.api.wire import encode  # noqa: E402
from pmsim.transports.stripe_python import PmsimHTTPClient  # noqa: E402

TOKEN_CARD: dict[str, str] = {"token": "tok_visa"}
EMAIL: Any = {"email": "bench@example.com"}  # Any: stripe types its params as TypedDicts
AIM_OVERHEAD = 0.20  # pmsim in-process: under 20% on top of the floor
LOCALSTRIPE_PER_S = (420, 690)  # localstripe with the same client, from the issue
SERVER_KEY = "sk_test_bench"
CLIENT_THREADS = 4


class Sizes:
    """How much work each measurement does, for a full run or a ``--quick`` one."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.calls = 300 if quick else 2_000  # in-process calls (or cycles) per repeat
        self.repeats = 3 if quick else 7
        self.server_seconds = 0.3 if quick else 1.0  # aimed length of one HTTP repeat
        self.server_probe_calls = 10 if quick else 20  # per thread; also the least per repeat
        self.server_max_calls = 1_000 if quick else 4_000  # all threads together, per repeat
        self.server_repeats = 2 if quick else 3
        self.profile_calls = 500 if quick else 2_000


# --- 1. in-process: pmsim against the floor ---------------------------------------------------


class CannedClient(PmsimHTTPClient):
    """pmsim's own ``HTTPClient`` with the simulator taken out: every request is answered
    with a ready-made JSON body.

    ``bodies`` maps the last segment of the request's path (``"customers"``, ``"attach"``, a
    customer id) to the JSON text to answer with; no work is done per request beyond that look
    up. It keeps pmsim's ``request_with_retries`` (one request, no retries), so the floor and
    pmsim differ only in what answers: a client over it costs what stripe-python costs alone.
    """

    name = "canned"

    def __init__(self, bodies: Mapping[str, str]) -> None:
        stripe.HTTPClient.__init__(self)
        self.bodies = dict(bodies)
        self.headers = {"request-id": "req_x"}

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        return self.bodies[url.rpartition("/")[2].partition("?")[0]], 200, self.headers


class Subject:
    """One client (pmsim's, or the floor's) with what it needs to run the three operations."""

    def __init__(self, client: stripe.StripeClient, sim: pmsim.Simulator, cus_id: str) -> None:
        self.client = client
        self.sim = sim
        self.cus_id = cus_id

    def payment_methods(self, count: int) -> list[str]:
        """``count`` fresh card payment methods, made directly in the simulator."""
        create = self.sim.payment_methods.create
        return [create(type="card", card=TOKEN_CARD).id for _ in range(count)]


def pmsim_subject() -> Subject:
    sim = pmsim.Simulator()
    return Subject(pmsim.stripe_client(sim), sim, sim.customers.create(**EMAIL).id)


def floor_subject() -> Subject:
    """The floor's client, answering with bodies pmsim itself made for the same objects."""
    sim = pmsim.Simulator()
    cus = sim.customers.create(**EMAIL)
    pm_id = sim.payment_methods.create(type="card", card=TOKEN_CARD).id
    attached = sim.payment_methods.attach(pm_id, customer=cus.id).to_dict()
    detached = sim.payment_methods.detach(pm_id).to_dict()
    bodies = {
        # pmsim's own JSON spelling, so that stripe-python parses the same text in both
        "customers": encode(sim.customers.create(**EMAIL).to_dict()),
        cus.id: encode(cus.to_dict()),
        "attach": encode(attached),
        "detach": encode(detached),
    }
    client = stripe.StripeClient(
        "sk_test_floor", http_client=CannedClient(bodies), max_network_retries=0
    )
    return Subject(client, sim, cus.id)


def time_create(subject: Subject, calls: int) -> float:
    """Microseconds per ``customers.create`` call."""
    create = subject.client.v1.customers.create
    gc.collect()
    start = time.perf_counter()
    for _ in range(calls):
        create(EMAIL)
    return (time.perf_counter() - start) / calls * 1e6


def time_attach_detach(subject: Subject, calls: int) -> float:
    """Microseconds per attach+detach cycle (two calls); payment methods made beforehand."""
    pm_ids = subject.payment_methods(calls)
    attach = subject.client.v1.payment_methods.attach
    detach = subject.client.v1.payment_methods.detach
    params: Any = {"customer": subject.cus_id}
    gc.collect()
    start = time.perf_counter()
    for pm_id in pm_ids:
        attach(pm_id, params)
        detach(pm_id)
    return (time.perf_counter() - start) / calls * 1e6


def time_retrieve(subject: Subject, calls: int) -> float:
    """Microseconds per ``customers.retrieve`` call, of one customer."""
    retrieve, cus_id = subject.client.v1.customers.retrieve, subject.cus_id
    gc.collect()
    start = time.perf_counter()
    for _ in range(calls):
        retrieve(cus_id)
    return (time.perf_counter() - start) / calls * 1e6


OPERATIONS: dict[str, Callable[[Subject, int], float]] = {
    "customers.create": time_create,
    "attach+detach": time_attach_detach,
    "customers.retrieve": time_retrieve,
}


def _check_answers(ours: Subject, floor: Subject) -> None:
    """Both clients answer with the same kind of objects, so the comparison is like for like."""
    for subject in (ours, floor):
        v1 = subject.client.v1
        assert v1.customers.create(EMAIL).email == EMAIL["email"]
        assert v1.customers.retrieve(subject.cus_id).id == subject.cus_id
        (pm_id,) = subject.payment_methods(1)
        assert v1.payment_methods.attach(pm_id, {"customer": subject.cus_id}).customer
        assert v1.payment_methods.detach(pm_id).customer is None


def bench_in_process(sizes: Sizes) -> dict[str, Any]:
    ours, floor = pmsim_subject(), floor_subject()
    _check_answers(ours, floor)
    results: dict[str, Any] = {}
    for name, timer in OPERATIONS.items():
        for subject in (ours, floor):
            timer(subject, min(200, sizes.calls))  # warm-up
        pmsim_us: list[float] = []
        floor_us: list[float] = []
        for _ in range(sizes.repeats):
            pmsim_us.append(timer(ours, sizes.calls))
            floor_us.append(timer(floor, sizes.calls))
        p = summary(pmsim_us, higher_is_better=False)
        f = summary(floor_us, higher_is_better=False)
        results[name] = {
            "calls_per_repeat": sizes.calls,
            "repeats": sizes.repeats,
            "pmsim_us": p,
            "floor_us": f,
            "added_us": p["best"] - f["best"],
            "ratio": p["best"] / f["best"],
            "median_ratio": p["median"] / f["median"],
        }
    return results


# --- 2. over HTTP -----------------------------------------------------------------------------


def _server_client(url: str) -> stripe.StripeClient:
    return stripe.StripeClient(SERVER_KEY, base_addresses={"api": url}, max_network_retries=0)


def _server_worker(url: str, operation: str, calls: int, cus_id: str) -> Callable[[], None]:
    client = _server_client(url)
    customers = client.v1.customers
    customers.retrieve(cus_id)  # opens this thread's keep-alive connection before timing

    if operation == "customers.create":

        def work() -> None:
            for _ in range(calls):
                customers.create(EMAIL)

    else:

        def work() -> None:
            for _ in range(calls):
                customers.retrieve(cus_id)

    return work


def server_rate(url: str, operation: str, calls: int, threads: int, cus_id: str) -> float:
    """Calls per second, in total, from ``threads`` client threads making ``calls`` each."""
    errors: list[BaseException] = []
    ready = threading.Barrier(threads + 1)

    def run() -> None:
        # The connection is made in the thread that uses it: stripe-python's default client
        # (requests) keeps one session per thread.
        try:
            work = _server_worker(url, operation, calls, cus_id)
        except BaseException as err:  # report it, and still meet the others at the barrier
            errors.append(err)
            ready.wait()
            return
        ready.wait()
        try:
            work()
        except BaseException as err:
            errors.append(err)

    workers = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    gc.collect()
    ready.wait()
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return calls * threads / elapsed


def _calls_per_thread(url: str, operation: str, threads: int, cus_id: str, sizes: Sizes) -> int:
    """Calls per thread for a repeat of about ``sizes.server_seconds``, within fixed bounds.

    A short probe run (not counted) sets the pace, so a server stalled by some fixed delay per
    call is measured in seconds rather than minutes, and a fast one gets enough calls.
    """
    probe = server_rate(url, operation, sizes.server_probe_calls, threads, cus_id)
    wanted = int(probe * sizes.server_seconds / threads)
    return max(sizes.server_probe_calls, min(wanted, sizes.server_max_calls // threads))


def bench_servers(urls: Mapping[str, str], sizes: Sizes) -> dict[str, dict[str, Any]]:
    """Calls per second against each server of ``urls`` (a name to its base URL).

    Every server gets the same client and the same loop: for each operation and number of
    client threads, its own probe sets its calls per repeat, and the repeats take turns between
    the servers, so that drift in the machine's speed hits them all alike.
    """
    cus_ids = {
        name: _server_client(url).v1.customers.create(EMAIL).id for name, url in urls.items()
    }
    customers = dict.fromkeys(urls, 1)  # how many each server holds (localstripe slows with it)
    results: dict[str, dict[str, Any]] = {name: {} for name in urls}
    for operation in ("customers.create", "customers.retrieve"):
        for threads in (1, CLIENT_THREADS):
            before = dict(customers)
            calls = {
                name: _calls_per_thread(url, operation, threads, cus_ids[name], sizes)
                for name, url in urls.items()
            }
            rates: dict[str, list[float]] = {name: [] for name in urls}
            for _ in range(sizes.server_repeats):
                for name, url in urls.items():
                    rates[name].append(
                        server_rate(url, operation, calls[name], threads, cus_ids[name])
                    )
            for name in urls:
                if operation == "customers.create":
                    customers[name] += (
                        sizes.server_probe_calls + calls[name] * sizes.server_repeats
                    ) * threads
                results[name][f"{operation} x{threads}"] = {
                    "operation": operation,
                    "client_threads": threads,
                    "calls_per_repeat": calls[name] * threads,
                    "repeats": sizes.server_repeats,
                    "customers_before": before[name],  # in the server's store, as the row began
                    "customers_after": customers[name],
                } | summary(rates[name], higher_is_better=True)
    return results


class ServerError(RuntimeError):
    """A server the benchmark needs did not start, or did not answer."""


def _stop(server: subprocess.Popen[Any], timeout: float = 10) -> None:
    """Ask ``server`` to end (SIGTERM), and kill it if it has not within ``timeout`` seconds."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
    try:
        server.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()


@contextlib.contextmanager
def pmsim_server() -> Iterator[str]:
    """``pmsim serve --port 0`` run as its own process, as users run it; yields its base URL."""
    server = subprocess.Popen(
        [sys.executable, "-m", "pmsim", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if " at " not in line:
            raise ServerError(f"pmsim serve did not say where it listens (it said {line!r})")
        yield line.split(" at ")[1].split()[0]
    finally:
        _stop(server)


def free_port() -> int:
    """A TCP port free on the loopback interface just now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def localstripe_server(command: str, wait_s: float = 30) -> Iterator[str]:
    """localstripe, started by ``command`` on a free port with an empty store; its base URL.

    Its output (a line per request) goes to /dev/null. It is polled with connects until it
    answers, for at most ``wait_s`` seconds, and ended (killed if need be) on the way out.
    """
    port = free_port()
    argv = [*shlex.split(command), "--from-scratch", "--port", str(port)]
    try:
        server = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as err:
        raise ServerError(f"could not start localstripe with {command!r}: {err}") from err
    try:
        deadline = time.monotonic() + wait_s
        while True:
            if server.poll() is not None:
                raise ServerError(
                    f"localstripe ({' '.join(argv)}) ended with code {server.returncode} "
                    "before it answered"
                )
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"localstripe ({' '.join(argv)}) did not answer on port {port} "
                        f"within {wait_s:.0f} s"
                    ) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(server)


def localstripe_versions(command: str) -> dict[str, str | None]:
    """localstripe's version and its Python's, asked of the interpreter in its script's ``#!``.

    Best effort: ``None`` for what cannot be told (a command that is not such a script).
    """
    found: dict[str, str | None] = {"localstripe": None, "python": None}
    try:
        script = shutil.which(shlex.split(command)[0])
        if script is None:
            return found
        with open(script, "rb") as file:
            first = file.readline()
        if not first.startswith(b"#!"):
            return found
        interpreter = shlex.split(first[2:].decode())
        code = (
            "import platform; from importlib.metadata import version; "
            "print(version('localstripe'), platform.python_version())"
        )
        out = subprocess.run(
            [*interpreter, "-c", code], capture_output=True, text=True, timeout=30, check=True
        ).stdout.split()
    except (OSError, ValueError, subprocess.SubprocessError):
        return found
    if len(out) == 2:
        found["localstripe"], found["python"] = out
    return found


def bench_server(sizes: Sizes, localstripe: str | None = None) -> dict[str, dict[str, Any]]:
    """Calls per second against ``pmsim serve``, and against localstripe if its command is given.

    Both servers run at once (each in its own process, idle while the other is called), so that
    their repeats can take turns; only the loopback interface is used to reach them.
    """
    with contextlib.ExitStack() as stack:
        urls = {"pmsim": stack.enter_context(pmsim_server())}
        if localstripe is not None:
            urls["localstripe"] = stack.enter_context(localstripe_server(localstripe))
        return bench_servers(urls, sizes)


# --- profile ----------------------------------------------------------------------------------


def profile_create(calls: int, top: int = 15) -> dict[str, Any]:
    """cProfile ``customers.create`` through ``pmsim.stripe_client``; pmsim's costliest
    functions per call of the client (``bench_common.hotspots``)."""
    ours = pmsim_subject()
    time_create(ours, min(200, calls))  # warm-up
    profiler = cProfile.Profile()
    create = ours.client.v1.customers.create
    profiler.enable()
    for _ in range(calls):
        create(EMAIL)
    profiler.disable()
    return hotspots(profiler, calls, top)


# --- report -----------------------------------------------------------------------------------


def _server_label(row: Mapping[str, Any]) -> str:
    threads = row["client_threads"]
    return f"{row['operation']}, {threads} client thread" + ("s" if threads > 1 else "")


def run(
    sizes: Sizes,
    say: Callable[[str], None],
    *,
    profile: bool,
    localstripe: str | None = None,
) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine_info("pmsim", "stripe"), "quick": sizes.quick}
    say_machine(say, results["machine"], "pmsim", "stripe")

    results["in_process"] = ip = bench_in_process(sizes)
    say(
        f"in-process, us per call (attach+detach: per cycle of two calls), "
        f"best of {sizes.repeats} x {sizes.calls:,}, medians in brackets:"
    )
    say(f"  {'':<20} {'pmsim':>16} {'floor':>16} {'added':>9} {'pmsim/floor':>12}")
    for name, row in ip.items():
        p, f = row["pmsim_us"], row["floor_us"]
        say(
            f"  {name:<20} {p['best']:7.1f} ({p['median']:6.1f}) {f['best']:7.1f} "
            f"({f['median']:6.1f}) {row['added_us']:9.1f} {row['ratio']:7.2f} "
            f"({row['median_ratio']:.2f})"
        )
    worst = max(row["ratio"] for row in ip.values())
    say(
        f"  aim: pmsim adds under {AIM_OVERHEAD:.0%} on top of the floor (ratio under "
        f"{1 + AIM_OVERHEAD:.2f}); worst here {worst:.2f}: "
        + ("met" if worst < 1 + AIM_OVERHEAD else "NOT met")
    )

    say("")
    servers = bench_server(sizes, localstripe)
    results["server"] = srv = servers["pmsim"]
    results["localstripe"] = None
    low, high = LOCALSTRIPE_PER_S
    slowest = min(row["best"] for row in srv.values())
    issue = (
        f"the issue quotes localstripe at {low}-{high} calls/s with the same client, "
        "measured on another machine"
    )
    if localstripe is None:
        say(
            "over HTTP, pmsim serve (its own process), calls/s in total, "
            f"best of {sizes.server_repeats}, medians in brackets:"
        )
        for row in srv.values():
            say(
                f"  {_server_label(row):<36} {row['best']:>7,.0f}/s  (median "
                f"{row['median']:,.0f}/s; {row['calls_per_repeat']:,} calls a repeat)"
            )
        say(
            f"  {issue}; slowest here {slowest:,.0f}/s: "
            + (
                "above its high end"
                if slowest > high
                else "above its low end"
                if slowest > low
                else "below it"
            )
        )
        say("  (pass --localstripe CMD to measure localstripe here too, with the same client)")
    else:
        ls = servers["localstripe"]
        versions = localstripe_versions(localstripe)
        ratios = {
            key: {
                "best": srv[key]["best"] / row["best"],
                "median": srv[key]["median"] / row["median"],
            }
            for key, row in ls.items()
        }
        lowest = min(ratio["best"] for ratio in ratios.values())
        results["localstripe"] = {
            "command": localstripe,
            "version": versions["localstripe"],
            "python": versions["python"],
            "server": ls,
            "pmsim_over_localstripe": ratios,
            "aim_met": lowest > 1,
        }
        say(
            f"over HTTP, pmsim serve and localstripe {versions['localstripe'] or '(version ?)'}"
            f" (on Python {versions['python'] or '?'}), each its own process on this machine, "
            "called alike by the same client;"
        )
        say(
            f"calls/s in total, best of {sizes.server_repeats} (repeats taking turns), medians "
            "in brackets, calls a repeat after the slash:"
        )
        say(f"  {'':<36} {'pmsim serve':>24} {'localstripe':>22} {'pmsim/localstripe':>18}")
        for key, row in srv.items():
            other, ratio = ls[key], ratios[key]
            say(
                f"  {_server_label(row):<36} "
                f"{row['best']:7,.0f} ({row['median']:7,.0f}) /{row['calls_per_repeat']:<6,} "
                f"{other['best']:6,.0f} ({other['median']:6,.0f}) /{other['calls_per_repeat']:<6,} "
                f"{ratio['best']:9.2f} ({ratio['median']:.2f})"
            )
        say(
            "  aim: pmsim serve handles more calls/s than localstripe with the same client on "
            f"the same machine; lowest ratio here {lowest:.2f}: "
            + ("met" if lowest > 1 else "NOT met")
        )
        held = "; ".join(
            f"{server} {rows[key]['customers_before']:,} to {rows[key]['customers_after']:,}"
            for server, rows in (("pmsim", srv), ("localstripe", ls))
            for key in rows
            if rows[key]["operation"] == "customers.create" and rows[key]["client_threads"] > 1
        )
        say(
            "  localstripe pickles its whole store on every write, so its creates slow down as "
            f"it grows; customers held over the {CLIENT_THREADS}-thread create row: {held}"
        )
        say(f"  for context, {issue}; slowest pmsim figure here {slowest:,.0f}/s")

    if profile:
        say("")
        found = profile_create(sizes.profile_calls)
        results["profile_customers_create"] = found
        say(
            f"cProfile, {sizes.profile_calls:,} customers.create calls through "
            f"pmsim.stripe_client: {found['total_us']:.0f} us per call profiled, "
            f"{found['pmsim_self_us']:.0f} us of it in pmsim's own functions"
        )
        say_hotspots(say, found, "call")
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = arguments(__doc__, "a fast smoke run (under 20 s)")
    parser.add_argument(
        "--profile", action="store_true", help="also list pmsim's hotspots under cProfile"
    )
    parser.add_argument(
        "--localstripe",
        metavar="CMD",
        help="also start localstripe with CMD (e.g. /path/to/venv/bin/localstripe) and measure "
        "it over HTTP with the same client, for a same-machine comparison",
    )
    args = parser.parse_args(argv)
    if args.localstripe is not None:
        words = shlex.split(args.localstripe)
        if not words or shutil.which(words[0]) is None:
            parser.error(f"--localstripe: no such command: {args.localstripe!r}")
    try:
        report(
            lambda say: run(
                Sizes(args.quick), say, profile=args.profile, localstripe=args.localstripe
            ),
            as_json=args.json,
        )
    except ServerError as err:
        sys.exit(f"{parser.prog}: {err}")


if __name__ == "__main__":
    main()
