"""Requests per second of ``pmsim serve`` under a load generator, beside a canned-answer floor.

Run from the repository root, with ``wrk`` installed (``apt-get install wrk``)::

    python benchmarks/server_throughput.py            # 10 s per figure, 2 rounds: about 2 min
    python benchmarks/server_throughput.py --quick    # 3 s per figure, 1 round: about 20 s
    python benchmarks/server_throughput.py --profile  # then where pmsim's server spends its
                                                      # time (needs py-spy: pip install py-spy)

It starts two servers, each as its own process on this machine:

- the floor: a canned-response ASGI app (a fixed 1 KB customer JSON, status 200,
  ``content-type: application/json``, after reading any body) on uvicorn with exactly
  ``pmsim serve``'s configuration (the same protocol class, httptools, uvloop, no access log,
  ``log_config=None``), so the floor is what uvicorn and pmsim's protocol cost per request;
- ``python -m pmsim serve --port 0``, as users run it.

and drives each with ``wrk`` (2 threads, 8 keep-alive connections, ``--threads`` to change;
the method, body and ``Authorization: Bearer sk_test_bench`` header come from Lua scripts
written to a temporary directory) for: the floor, with a GET and with a POST of a customer's
form; retrieving one customer (made beforehand); creating a customer; creating a card payment
method (``type=card&card[token]=tok_visa``). Reads are set against the GET floor, creates
against the POST floor. Rounds interleave the figures so drift in the machine hits all alike;
each figure is the best round. The issue's aims: reads at half the floor or better, creates at
a third or better.

Beside requests/s it prints the server's CPU time per request (user + system, from
``/proc/PID/stat``; the kernel's loopback TCP work is counted on the sending side) and wrk's:
with two CPUs, client and server share the machine, and a server near 1,000 ms of CPU per
second is bound by its one event loop thread. The floor is not always so bound: on this
two-CPU virtual machine it answered 22,000 to 37,000 requests/s from run to run at much the
same 25-28 us of CPU each, so the ratio of rates moves by a tenth or more between runs. The
CPU a request costs moves less; so the script also prints the CPU per request pmsim adds to
its floor beside what the aim allows it (the floor's CPU x (1/aim - 1)).

A create stores its object and its event, so pmsim's memory grows with every create (one
simulator, one API key, nothing forgotten during the run): the server's resident memory is
printed before and after. That growth is what a test suite would see too, only much faster.

``--profile`` adds one more run per pmsim workload with ``py-spy record --native --idle``
attached to the server (its figures are not reported: sampling pauses the server), and prints
where the server's main thread spent its time, as shares of its samples and as microseconds
per request (share x the unprofiled run's time per request).
"""

from __future__ import annotations

import json
import os
import re
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_common import arguments, machine_info, say_machine

ROOT = Path(__file__).resolve().parent.parent
KEY = "sk_test_bench"
CONNECTIONS = 8
PROFILE_SECONDS = 10
#: pmsim's figures, each against the floor of its method (a POST's body is read too), and
#: the issue's aims: reads at half the floor or better, creates at a third or better.
AIMS = {
    "retrieve a customer": ("floor, GET", 1 / 2),
    "create a customer": ("floor, POST", 1 / 3),
    "create a card": ("floor, POST", 1 / 3),
}
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The servers import pmsim from this checkout, installed or not.
PATHS = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
ENV = os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(PATHS)}

CANNED = """
import json, sys
import uvicorn
from pmsim import Simulator
from pmsim.transports.http_protocol import stripe_protocol
from pmsim.transports.server import KEEP_ALIVE_TIMEOUT, bind

CUSTOMER = {"id": "cus_canned", "object": "customer", "address": None, "balance": 0,
    "created": 1704067200, "currency": None, "default_source": None, "delinquent": False,
    "description": "", "discount": None, "email": "ada@example.com",
    "invoice_prefix": "ABCDEFGH", "invoice_settings": {"custom_fields": None,
    "default_payment_method": None, "footer": None, "rendering_options": None},
    "livemode": False, "metadata": {}, "name": "Ada Lovelace", "next_invoice_sequence": 1,
    "phone": None, "preferred_locales": [], "shipping": None, "tax_exempt": "none",
    "test_clock": None}
# Padded to 1 KB (pmsim's own answers here are 0.5-0.7 KB).
CUSTOMER["description"] = "x" * (1024 - len(json.dumps(CUSTOMER, separators=(",", ":"))))
BODY = json.dumps(CUSTOMER, separators=(",", ":")).encode()
HEADERS = [(b"content-type", b"application/json"), (b"request-id", b"req_canned"),
           (b"content-length", str(len(BODY)).encode())]

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})

sock = bind("127.0.0.1", 0)
print(f"canned at http://127.0.0.1:{sock.getsockname()[1]} ({len(BODY)} bytes)", flush=True)
config = uvicorn.Config(app, http=stripe_protocol(Simulator()), lifespan="off", ws="none",
    log_config=None, log_level="error", access_log=False, proxy_headers=False,
    server_header=False, timeout_keep_alive=KEEP_ALIVE_TIMEOUT)
uvicorn.Server(config).run(sockets=[sock])
"""

LUA_AUTH = f'wrk.headers["Authorization"] = "Bearer {KEY}"\n'
LUA_POST = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "{body}"
"""


def _any(*frames: str) -> Callable[[str], bool]:
    return lambda stack: any(frame in stack for frame in frames)


def _all(*frames: str) -> Callable[[str], bool]:
    return lambda stack: all(frame in stack for frame in frames)


#: The profile's rows: a label and which of py-spy's stacks (frames joined by ";") count for
#: it; an indented row is part of the row above.
PROFILE_ROWS: list[tuple[str, Callable[[str], bool]]] = [
    ("ASGI app (Application._http), with its sends", _any("Application._http (pmsim/")),
    ("  SimulatorPool.get + api_key", _any("SimulatorPool.get (", "api_key (pmsim/")),
    ("  pmsim.api.handle", _any("handle (pmsim/api/__init__.py")),
    ("    route match + form decoding", _any("match (pmsim/api/routes", "decode (pmsim/api/forms")),
    ("    the engine's work (api._run)", _any("_run (pmsim/api/__init__.py")),
    ("      of which to_dict", _all("_run (pmsim/api/__init__.py", ".to_dict (pmsim/")),
    ("      of which commit + events", _any("Operation.__exit__ (pmsim/")),
    ("  JSON encoding (ApiResponse.json_text)", _any("ApiResponse.json_text (")),
    ("  uvicorn's send (headers, then body)", _any("RequestResponseCycle.send (")),
    ("    of which in write() (2 a response)", _any("UVStream__try_write")),
    ("uvicorn/httptools parsing", _any("HttpToolsProtocol.data_received (")),
    ("garbage collection (anywhere)", _any("gc_collect_main")),
    ("idle (in epoll_wait)", lambda stack: "epoll" in stack.rpartition(";")[2]),
]


@dataclass
class Figure:
    rate: float  # requests per second
    requests: int
    server_cpu_us: float  # server CPU (user + system) per request
    wrk_cpu_us: float  # wrk's CPU per request


@contextmanager
def server(command: list[str]) -> Iterator[tuple[str, int]]:
    """Start ``command`` (which prints its URL on its first line); yield the URL and pid."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=ENV)  # fmt: skip
    try:
        assert process.stdout is not None
        found = re.search(r"http://[\d.:]+", process.stdout.readline())
        assert found, "the server did not print its URL"
        yield found.group(0), process.pid
    finally:
        process.terminate()
        process.wait(10)


def call(url: str, method: str, path: str, body: str = "") -> dict[str, object]:
    request = urllib.request.Request(url + path, data=body.encode() or None, method=method)
    request.add_header("Authorization", f"Bearer {KEY}")
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback only
        return dict(json.loads(answer.read()))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mib(pid: int) -> float:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    assert found, "no VmRSS in /proc: this benchmark needs Linux"
    return int(found.group(1)) / 1024


def lua_script(scripts: Path, name: str, method: str, body: str) -> Path:
    script = scripts / (re.sub(r"\W+", "-", name).strip("-") + ".lua")
    text = LUA_AUTH + (LUA_POST.format(body=body) if method == "POST" else "")
    script.write_text(text)
    return script


def wrk_command(url: str, seconds: float, threads: int, script: Path) -> list[str]:
    return ["wrk", f"-t{threads}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "-s", str(script), url]


def wrk(command: list[str], pid: int) -> Figure:
    """Run ``command``; its requests/s, with the server's (``pid``) and wrk's CPU per request.
    Any answer other than 2xx, or any socket error, stops the benchmark."""
    server_before = cpu_seconds(pid)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = cpu_seconds(pid) - server_before
    wrk_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    assert bad is None, f"non-2xx answers: {bad.group(1)}\n{out}"
    assert errors is None, out
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    requests = re.search(r"(\d+) requests in", out)
    assert rate and requests, out
    count = int(requests.group(1))
    return Figure(float(rate.group(1)), count, server_cpu / count * 1e6, wrk_cpu / count * 1e6)


def profile(command: list[str], pid: int, seconds: float, scratch: Path) -> dict[str, float]:
    """Shares (0-1) of the server main thread's samples in each of ``PROFILE_ROWS``, from
    py-spy attached to ``pid`` while ``command`` (a wrk run) loads it."""
    raw = scratch / "profile.raw"
    spy = subprocess.Popen(
        ["py-spy", "record", "--pid", str(pid), "--native", "--idle", "--rate", "250",
         "--duration", str(seconds - 2), "--format", "raw", "--output", str(raw)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    subprocess.run(command, capture_output=True, check=True)
    _, problem = spy.communicate(timeout=60)
    assert spy.returncode == 0, f"py-spy failed (it needs ptrace rights): {problem}"
    counts = dict.fromkeys((label for label, _ in PROFILE_ROWS), 0)
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if "_run_module_as_main" not in stack:
            continue  # another thread (webhook delivery): idle here
        total += int(number)
        for label, counts_here in PROFILE_ROWS:
            counts[label] += int(number) if counts_here(stack) else 0
    return {label: count / max(total, 1) for label, count in counts.items()}


def main() -> int:
    parser = arguments(__doc__, "3 s per figure, one round")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--profile", action="store_true", help="also profile pmsim (py-spy)")
    args = parser.parse_args()
    for tool in ["wrk"] + (["py-spy"] if args.profile else []):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install wrk; pip install py-spy)")
            return 2
    seconds, rounds = (3, 1) if args.quick else (10, 2)
    say_machine(print, machine_info("uvicorn", "uvloop", "httptools"), "uvicorn", "uvloop",
                "httptools")  # fmt: skip
    print(f"$ {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(f"wrk: {args.threads} threads, {CONNECTIONS} connections, {seconds} s per figure, "
          f"best of {rounds}; client and server on this machine\n")  # fmt: skip
    best: dict[str, Figure] = {}
    shares: dict[str, dict[str, float]] = {}
    with (
        tempfile.TemporaryDirectory() as scratch,
        server([sys.executable, "-c", CANNED]) as (canned, canned_pid),
        server([sys.executable, "-m", "pmsim", "serve", "--port", "0"]) as (pmsim, pmsim_pid),
    ):
        customer = call(pmsim, "POST", "/v1/customers", "name=Ada")["id"]
        workloads = {
            "floor, GET": (canned, canned_pid, "/v1/customers/cus_canned", "GET", ""),
            "floor, POST": (canned, canned_pid, "/v1/customers", "POST",
                            "name=Ada&email=a%40b.co"),
            "retrieve a customer": (pmsim, pmsim_pid, f"/v1/customers/{customer}", "GET", ""),
            "create a customer": (pmsim, pmsim_pid, "/v1/customers", "POST",
                                  "name=Ada&email=a%40b.co"),
            "create a card": (pmsim, pmsim_pid, "/v1/payment_methods", "POST",
                              "type=card&card%5Btoken%5D=tok_visa"),
        }  # fmt: skip
        scripts: dict[str, tuple[str, Path, int]] = {}  # name: URL, Lua script, server pid
        for name, (url, pid, path, method, body) in workloads.items():
            script = lua_script(Path(scratch), name, method, body)
            scripts[name] = (url + path, script, pid)
            lua = script.read_text().strip().replace("\n", "; ")
            command = wrk_command(url + path, seconds, args.threads, script)
            print(f"{name}: $ {shlex.join(command)}\n    {script.name}: {lua}")
        rss_before = rss_mib(pmsim_pid)
        creates = 0
        for _ in range(rounds):
            for name, (url, script, pid) in scripts.items():
                figure = wrk(wrk_command(url, seconds, args.threads, script), pid)
                creates += figure.requests if name.startswith("create") else 0
                if name not in best or figure.rate > best[name].rate:
                    best[name] = figure
        rss_after = rss_mib(pmsim_pid)
        if args.profile:
            for name in AIMS:
                url, script, pid = scripts[name]
                command = wrk_command(url, PROFILE_SECONDS, args.threads, script)
                shares[name] = profile(command, pid, PROFILE_SECONDS, Path(scratch))
    print(f"\n{'':20} {'requests/s':>10} {'of floor':>8} {'aim':>5}        "
          f"{'server CPU/req':>14} {'wrk CPU/req':>11}")  # fmt: skip
    for name, figure in best.items():
        floor_name, aim = AIMS.get(name, ("", 0.0))
        share = figure.rate / best[floor_name].rate if aim else 0.0
        columns = f"{share:8.2f} {aim:5.2f} {'met' if share >= aim else 'MISSED':6}" if aim else ""
        print(f"{name:20} {figure.rate:10,.0f} {columns:>21} "
              f"{figure.server_cpu_us:11.1f} us {figure.wrk_cpu_us:8.1f} us")  # fmt: skip
    # The server is bound by its CPU, so the aim is a budget of CPU time per request.
    print("\nServer CPU per request that pmsim adds to its floor, and what the aim allows "
          "(the floor's x (1/aim - 1)):")  # fmt: skip
    for name, (floor_name, aim) in AIMS.items():
        floor = best[floor_name].server_cpu_us
        added = best[name].server_cpu_us - floor
        print(f"  {name:20} adds {added:6.1f} us; the aim allows {floor * (1 / aim - 1):6.1f} us")
    print(f"\npmsim serve's resident memory: {rss_before:.1f} MiB before the runs, "
          f"{rss_after:.1f} MiB after their {creates:,} creates (one key: all kept)")  # fmt: skip
    if shares:
        print(f"\nWhere pmsim serve's main thread spends its time ({PROFILE_SECONDS} s of wrk per "
              "workload under py-spy, inclusive; share of samples, and us of wall time per "
              "request at the best round's rate):")  # fmt: skip
        print(f"{'':46}" + "".join(f"{name:>22}" for name in shares))
        for label, _ in PROFILE_ROWS:
            cells = "".join(
                f"{shares[n][label] * 100:11.1f} % {shares[n][label] * 1e6 / best[n].rate:6.1f} us"
                for n in shares
            )
            print(f"{label:46}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
