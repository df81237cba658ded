"""A soak run of ``pmsim serve``: mixed calls from fresh keys for minutes, memory sampled.

Run from the repository root::

    python benchmarks/soak.py               # 10 minutes, 4 clients
    python benchmarks/soak.py --minutes 1   # a short run (or --quick: 1 minute)

It starts ``python -m pmsim serve --port 0 --forget-idle-keys 20`` and runs 4 client threads,
each on its own keep-alive connection (``http.client``), each paced at 400 calls/s (1,600 in
all, about half what the server answers here): a steady load, so that memory which follows the
load stays level, and only memory that grows with the calls made rises. A client works in
sessions, as a test worker does: a fresh API key, 200 calls (create a customer, attach cards,
list them, retrieve, set a default, detach, a declining card, a missing customer), every POST
with a fresh idempotency key. Half the sessions end with ``DELETE /_pmsim/simulator`` (a
worker that cleans up); the others are abandoned, and the server must forget them by itself
after 20 s idle.

Every 5 s it samples the server's resident memory (``VmRSS`` in ``/proc/PID/status``) and prints
a row a minute (every 10 s for a run under 3 minutes). The verdict: after warm-up (the first
fifth of the run, and at least 50 s: twice the idle timeout and a little, for the abandoned keys
to start being forgotten), the highest sample stays within 15 % of the first one after warm-up.
Memory that grew with the calls (a key, an idempotent response or a delivery never let go)
would rise by much more than that over the run; a flat line allows for the allocator's noise.
Unexpected answers (anything but the status each call expects) are counted and must be none.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

CLIENTS = 4
RATE = 400  # calls per second per client: a steady load, so steady memory means no leak
SESSION_CALLS = 200
IDLE_SECONDS = 20


class Client:
    """One keep-alive connection; counts calls and unexpected answers."""

    def __init__(self, host: str, port: int, number: int) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.number = number
        self.calls = 0
        self.unexpected: list[str] = []
        self._keys = itertools.count()
        self._next_at = time.monotonic()

    def call(self, key: str, method: str, path: str, body: str = "", status: int = 200) -> dict:
        self._next_at += 1 / RATE
        ahead = self._next_at - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)
        headers = {"Authorization": f"Bearer {key}"}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Idempotency-Key"] = f"soak-{self.number}-{next(self._keys)}"
        self.connection.request(method, path, body=body or None, headers=headers)
        answer = self.connection.getresponse()
        data = json.loads(answer.read())
        self.calls += 1
        if answer.status != status:
            self.unexpected.append(f"{method} {path} {answer.status} {data}")
        return dict(data)

    def session(self, key: str, clean_up: bool) -> None:
        """About ``SESSION_CALLS`` calls as a billing test would make them, with one key."""
        start = self.calls
        while self.calls - start < SESSION_CALLS:
            cus = self.call(key, "POST", "/v1/customers", "email=soak%40example.com&name=Soak")
            pm = self.call(key, "POST", "/v1/payment_methods/pm_card_visa/attach",
                           f"customer={cus['id']}")  # fmt: skip
            self.call(key, "POST", f"/v1/customers/{cus['id']}",
                      f"invoice_settings[default_payment_method]={pm['id']}")  # fmt: skip
            self.call(key, "GET", f"/v1/customers/{cus['id']}/payment_methods?limit=10")
            self.call(key, "GET", f"/v1/customers/{cus['id']}")
            self.call(key, "POST", f"/v1/payment_methods/{pm['id']}/detach")
            self.call(key, "POST", "/v1/payment_methods/pm_card_visa_chargeDeclined/attach",
                      f"customer={cus['id']}", status=402)  # fmt: skip
            self.call(key, "GET", "/v1/customers/cus_missing", status=404)
        if clean_up:
            self.call(key, "DELETE", "/_pmsim/simulator")


def rss_kib(pid: int) -> int:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    assert found, "no VmRSS: this benchmark reads Linux's /proc"
    return int(found.group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="one minute")
    args = parser.parse_args()
    minutes = 1.0 if args.quick else args.minutes
    command = [sys.executable, "-m", "pmsim", "serve", "--port", "0",
               "--forget-idle-keys", str(IDLE_SECONDS)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                              env=os.environ | {"PYTHONUNBUFFERED": "1"})  # fmt: skip
    assert server.stdout is not None
    url = urlsplit(re.search(r"http://\S+", server.stdout.readline()).group(0))  # type: ignore[union-attr]
    stop = time.monotonic() + minutes * 60
    clients = [Client(url.hostname or "127.0.0.1", url.port or 80, n) for n in range(CLIENTS)]

    def work(client: Client) -> None:
        for number in itertools.count():
            if time.monotonic() > stop:
                return
            client.session(f"sk_test_soak_{client.number}_{number}", clean_up=number % 2 == 0)

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    samples: list[tuple[float, int]] = []
    every = 60 if minutes >= 3 else 10
    print(f"{CLIENTS} clients, {minutes:g} min, keys forgotten after {IDLE_SECONDS} s idle")
    print(f"{'minute':>7} {'RSS MiB':>8} {'calls/s':>8}")
    last_print, last_calls = started, 0
    try:
        while any(thread.is_alive() for thread in threads):
            time.sleep(5)
            now = time.monotonic()
            samples.append((now - started, rss_kib(server.pid)))
            if now - last_print >= every:
                calls = sum(client.calls for client in clients)
                rate = (calls - last_calls) / (now - last_print)
                print(f"{(now - started) / 60:7.1f} {samples[-1][1] / 1024:8.1f} {rate:8.0f}")
                last_print, last_calls = now, calls
    finally:
        server.terminate()
        server.wait(10)
    # Warm-up: a fifth of the run, and at least until abandoned keys have begun to be forgotten.
    warm_up = max(minutes * 60 / 5, 2 * IDLE_SECONDS + 10)
    warm = [kib for at, kib in samples if at >= warm_up]
    first, highest = warm[0], max(warm)
    unexpected = [line for client in clients for line in client.unexpected]
    total = sum(client.calls for client in clients)
    print(f"{total:,} calls, {total / (time.monotonic() - started):,.0f}/s; "
          f"{len(unexpected)} unexpected answers")  # fmt: skip
    for line in unexpected[:5]:
        print("  ", line[:200])
    flat = highest <= first * 1.15
    print(f"after warm-up: first {first / 1024:.1f} MiB, highest {highest / 1024:.1f} MiB "
          f"({(highest / first - 1) * 100:+.1f} %): {'flat' if flat else 'GROWING'}")  # fmt: skip
    return 0 if flat and not unexpected else 1


if __name__ == "__main__":
    sys.exit(main())
