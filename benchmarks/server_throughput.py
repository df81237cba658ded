"""Requests per second of ``pmsim serve`` under a load generator, beside a canned-answer floor.

Run from the repository root, with ``wrk`` installed (``apt-get install wrk``)::

    python benchmarks/server_throughput.py            # 10 s per figure, 2 rounds: about 2 min
    python benchmarks/server_throughput.py --quick    # 3 s per figure, 1 round

It starts two servers, each as its own process on this machine:

- the floor: a canned-response ASGI app (a fixed 563-byte customer JSON, 200, after reading any
  body) on uvicorn with
  exactly ``pmsim serve``'s configuration (the same protocol class, event loop and settings),
  so the floor is what uvicorn and pmsim's protocol cost per request;
- ``python -m pmsim serve --port 0``, as users run it.

and drives each with ``wrk`` (1 thread, 8 keep-alive connections: the load generator gets one
of the machine's CPUs and the server the other) for: the floor, with a GET and with a POST
of a customer's form; retrieving one customer; creating a customer; creating a card payment
method (``type=card&card[token]=tok_visa``). Reads are set against the GET floor, creates
against the POST floor.
Rounds interleave the figures so drift in the machine hits all alike; each figure is the best
round. The issue's aims: reads at half the floor or better, creates at a third or better.

A create stores its object and event, so pmsim's store grows by a few tens of MB during a run;
every request uses one API key, so this is one simulator's throughput (keys do not share a
lock, but the server runs Python on one event loop thread).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

KEY = "sk_test_bench"
CONNECTIONS = 8

CANNED = """
import json, sys
import uvicorn
from pmsim import Simulator
from pmsim.transports.http_protocol import stripe_protocol
from pmsim.transports.server import KEEP_ALIVE_TIMEOUT, bind

BODY = json.dumps({"id": "cus_canned", "object": "customer", "address": None, "balance": 0,
    "created": 1704067200, "currency": None, "default_source": None, "delinquent": False,
    "description": None, "discount": None, "email": "ada@example.com",
    "invoice_prefix": "ABCDEFGH", "invoice_settings": {"custom_fields": None,
    "default_payment_method": None, "footer": None, "rendering_options": None},
    "livemode": False, "metadata": {}, "name": "Ada Lovelace", "next_invoice_sequence": 1,
    "phone": None, "preferred_locales": [], "shipping": None, "tax_exempt": "none",
    "test_clock": None}).encode()
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
print(f"canned at http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
config = uvicorn.Config(app, http=stripe_protocol(Simulator()), lifespan="off", ws="none",
    log_config=None, log_level="error", access_log=False, proxy_headers=False,
    server_header=False, timeout_keep_alive=KEEP_ALIVE_TIMEOUT)
uvicorn.Server(config).run(sockets=[sock])
"""

LUA = """
wrk.method = "{method}"
wrk.headers["Authorization"] = "Bearer {key}"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "{body}"
"""


@contextmanager
def server(command: list[str]) -> Iterator[str]:
    """Start ``command`` (which prints its URL on its first line); yield the URL."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               text=True, env=os.environ | {"PYTHONUNBUFFERED": "1"})  # fmt: skip
    try:
        assert process.stdout is not None
        found = re.search(r"http://\S+", process.stdout.readline())
        assert found, "the server did not print its URL"
        yield found.group(0)
    finally:
        process.terminate()
        process.wait(10)


def call(url: str, method: str, path: str, body: str = "") -> dict[str, object]:
    request = urllib.request.Request(url + path, data=body.encode() or None, method=method)
    request.add_header("Authorization", f"Bearer {KEY}")
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback only
        return dict(json.loads(answer.read()))


def wrk(url: str, path: str, method: str, body: str, seconds: float, scripts: Path) -> float:
    """Requests per second, and no answer other than 2xx."""
    script = scripts / f"{method}-{len(body)}.lua"
    script.write_text(LUA.format(method=method, key=KEY, body=body))
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url + path],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: .*", out)
    assert bad is None, f"non-2xx answers: {bad.group(1)}\n{out}"
    assert errors is None or "timeout 0" in errors.group(0), out
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found, out
    return float(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 s per figure, one round")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    seconds, rounds = (3, 1) if args.quick else (10, 2)
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; wrk 1 thread, {CONNECTIONS} connections, "
          f"{seconds} s per figure, best of {rounds}")  # fmt: skip
    best: dict[str, float] = {}
    with (
        tempfile.TemporaryDirectory() as scratch,
        server([sys.executable, "-c", CANNED]) as canned,
        server([sys.executable, "-m", "pmsim", "serve", "--port", "0"]) as pmsim,
    ):
        customer = call(pmsim, "POST", "/v1/customers", "name=Ada")["id"]
        workloads = {
            "floor, GET": (canned, "/v1/customers/cus_canned", "GET", ""),
            "floor, POST": (canned, "/v1/customers", "POST", "name=Ada&email=a%40b.co"),
            "retrieve a customer": (pmsim, f"/v1/customers/{customer}", "GET", ""),
            "create a customer": (pmsim, "/v1/customers", "POST", "name=Ada&email=a%40b.co"),
            "create a card": (pmsim, "/v1/payment_methods", "POST",
                              "type=card&card%5Btoken%5D=tok_visa"),
        }  # fmt: skip
        for _ in range(rounds):
            for name, (url, path, method, body) in workloads.items():
                rate = wrk(url, path, method, body, seconds, Path(scratch))
                best[name] = max(best.get(name, 0.0), rate)
    # Each figure against the floor of its method (a POST's body is read too).
    aims = {
        "retrieve a customer": ("floor, GET", 1 / 2),
        "create a customer": ("floor, POST", 1 / 3),
        "create a card": ("floor, POST", 1 / 3),
    }
    print(f"{'':24} {'requests/s':>11} {'of floor':>9} {'aim':>6}")
    for name, rate in best.items():
        floor_name, aim = aims.get(name, ("", None))
        floor = best.get(floor_name, 0.0)
        share = f"{rate / floor:9.2f}" if aim else f"{'':9}"
        aim_text = f"{aim:6.2f}" if aim else ""
        verdict = "" if aim is None else ("  met" if rate / floor >= aim else "  MISSED")
        print(f"{name:24} {rate:11,.0f} {share} {aim_text}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
