"""A soak run of ``pmsim serve``: mixed calls from fresh keys for minutes, memory sampled.

Run from the repository root::

    python benchmarks/soak.py               # 10 minutes, 4 clients
    python benchmarks/soak.py --minutes 30  # longer
    python benchmarks/soak.py --quick       # 1 minute, keys forgotten after 10 s idle

It starts ``python -m pmsim serve --port 0 --forget-idle-keys 20`` (``--quick``: 10) and runs
4 client threads, each on its own keep-alive connection (``http.client``, no other client
library: a cheap client leaves the server most of the second CPU), each paced at 750 calls/s
(3,000 in all, about half of the 6,000 calls/s the same clients reach unpaced here, with the
server then at 95 % of a CPU): a steady load, so memory that follows the load levels off, and
only memory that grows with the calls made keeps rising. ``--rate 0`` runs them unpaced.

A client works in sessions, as a test worker does: a fresh API key, then rounds of calls until
200 calls are made: create a customer, create a card payment method
(``type=card&card[token]=tok_visa``), attach it, make it the default, list the customer's
payment methods, retrieve the customer, detach the card, attach a declining card (402), retrieve
a missing customer (404); every fifth round also an unknown parameter (400) and a replay of the
round's customer create with its idempotency key (the same customer back). Every POST has a
fresh idempotency key (but the replay). Half the sessions end with ``DELETE /_pmsim/simulator``
(a worker that cleans up); the others are abandoned, and the server must forget them by itself.

The idle timeout, 20 s: far longer than any pause inside a session (a session lasts about half
a second), and short enough that the server forgets some 30 generations of abandoned keys in 10
minutes; at 15 sessions/s, 7 or 8 abandoned a second, some 150 abandoned simulators are alive
at any time, so memory levels off within the first minute. At the end, a customer of the first
abandoned session is looked up again: it must be gone (404), its key forgotten.

Every 5 s it samples the server's resident memory (``VmRSS`` in ``/proc/PID/status``), threads
and open file descriptors, and prints a row a minute (every 10 s for a run under 3 minutes).
The verdict: after warm-up (the first fifth of the run, and at least twice the idle timeout
and 10 s, for abandoned keys to be forgotten at the rate they are made), every sample stays
within 15 % of the first one after warm-up. A leak of what a session leaves behind (a key's
simulator, its idempotent responses, a delivery) would be tens of kB a session, 15 sessions a
second: far over 15 % within minutes; a flat line allows for the allocator's noise. The trend
over the samples after warm-up is printed too, in MiB per 10 minutes. Unexpected answers
(any status but the one each call expects, or a broken connection) are counted and must be none.
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
RATE = 750  # calls per second per client: a steady load, so steady memory means no leak
SESSION_CALLS = 200
IDLE_SECONDS = 20
SAMPLE_SECONDS = 5
FLAT = 0.15  # the most memory may rise after warm-up, as a share of the first sample after it
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Client:
    """One keep-alive connection, paced; counts calls and unexpected answers."""

    def __init__(self, host: str, port: int, number: int, rate: float = RATE) -> None:
        self.host, self.port, self.number, self.rate = host, port, number, rate
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.calls = 0
        self.unexpected: list[str] = []
        self.abandoned: list[tuple[str, str, float]] = []  # key, a customer of it, when
        self._idempotency = itertools.count()
        self._next_at = time.monotonic()

    def call(
        self, key: str, method: str, path: str, body: str = "", status: int = 200, *,
        idempotency_key: str | None = None,
    ) -> dict[str, object]:  # fmt: skip
        """One call; its answer's JSON. A fresh idempotency key for a POST unless given."""
        if self.rate:
            self._next_at = max(self._next_at + 1 / self.rate, time.monotonic() - 1)  # no bursts
            ahead = self._next_at - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        headers = {"Authorization": f"Bearer {key}"}
        if method == "POST":
            fresh = f"soak-{self.number}-{next(self._idempotency)}"
            headers |= FORM | {"Idempotency-Key": idempotency_key or fresh}
        self.calls += 1
        try:
            self.connection.request(method, path, body=body or None, headers=headers)
            answer = self.connection.getresponse()
            data = json.loads(answer.read())
        except (OSError, http.client.HTTPException, ValueError):
            self.connection.close()  # http.client reconnects on the next request
            raise
        if answer.status != status:
            self.unexpected.append(f"{method} {path} {answer.status} {data}")
        return dict(data)

    def session(self, key: str, clean_up: bool) -> None:
        """About ``SESSION_CALLS`` calls as a billing test would make them, with one key."""
        start = self.calls
        first_customer = ""
        for round_number in itertools.count():
            if self.calls - start >= SESSION_CALLS:
                break
            create = "email=soak%40example.com&name=Soak"
            replay_key = f"soak-{self.number}-replay-{self.calls}"
            cus = str(self.call(key, "POST", "/v1/customers", create,
                                idempotency_key=replay_key)["id"])  # fmt: skip
            first_customer = first_customer or cus
            pm = str(self.call(key, "POST", "/v1/payment_methods",
                               "type=card&card%5Btoken%5D=tok_visa")["id"])  # fmt: skip
            self.call(key, "POST", f"/v1/payment_methods/{pm}/attach", f"customer={cus}")
            self.call(key, "POST", f"/v1/customers/{cus}",
                      f"invoice_settings%5Bdefault_payment_method%5D={pm}")  # fmt: skip
            self.call(key, "GET", f"/v1/customers/{cus}/payment_methods?limit=10")
            self.call(key, "GET", f"/v1/customers/{cus}")
            self.call(key, "POST", f"/v1/payment_methods/{pm}/detach")
            self.call(key, "POST", "/v1/payment_methods/pm_card_visa_chargeDeclined/attach",
                      f"customer={cus}", status=402)  # fmt: skip
            self.call(key, "GET", "/v1/customers/cus_missing", status=404)
            if round_number % 5 == 0:
                self.call(key, "POST", "/v1/customers", "bogus=1", status=400)
                again = self.call(key, "POST", "/v1/customers", create,
                                  idempotency_key=replay_key)  # fmt: skip
                if again.get("id") != cus:
                    self.unexpected.append(f"replay of {replay_key} gave {again.get('id')}")
        if clean_up:
            self.call(key, "DELETE", "/_pmsim/simulator")
        else:
            self.abandoned.append((key, first_customer, time.monotonic()))


def proc_status(pid: int) -> dict[str, int]:
    """The server's resident memory (kB), threads and open file descriptors."""
    text = Path(f"/proc/{pid}/status").read_text()
    rss = re.search(r"VmRSS:\s+(\d+) kB", text)
    threads = re.search(r"Threads:\s+(\d+)", text)
    assert rss and threads, "no VmRSS in /proc: this benchmark needs Linux"
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return {"rss_kib": int(rss.group(1)), "threads": int(threads.group(1)), "fds": fds}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def slope_per_10_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) points, in MiB per 10 minutes."""
    mean_t = sum(t for t, _ in points) / len(points)
    mean_m = sum(m for _, m in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    return sum((t - mean_t) * (m - mean_m) for t, m in points) / spread * 600


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="length (default 10)")
    parser.add_argument("--quick", action="store_true", help="1 minute, keys idle 10 s")
    parser.add_argument("--rate", type=float, default=RATE,
                        help=f"calls/s per client (default {RATE}; 0: unpaced)")  # fmt: skip
    args = parser.parse_args()
    minutes, idle = (1.0, 10) if args.quick else (args.minutes, IDLE_SECONDS)
    root = Path(__file__).resolve().parent.parent
    paths = [str(root), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = os.environ | {"PYTHONUNBUFFERED": "1", "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable, "-m", "pmsim", "serve", "--port", "0",
               "--forget-idle-keys", str(idle)]  # fmt: skip
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"server: {' '.join(['python', *command[1:]])}; {os.cpu_count()} CPUs, "
          f"clients and server on this machine")  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        return soak(server, minutes, idle, args.rate)
    finally:
        server.terminate()
        server.wait(10)


def soak(server: subprocess.Popen[str], minutes: float, idle: int, rate: float) -> int:
    assert server.stdout is not None
    found = re.search(r"http://[\d.:]+", server.stdout.readline())
    assert found, "the server did not print its URL"
    url = urlsplit(found.group(0))
    host, port = url.hostname or "127.0.0.1", url.port or 80
    stop = time.monotonic() + minutes * 60
    clients = [Client(host, port, n, rate) for n in range(CLIENTS)]
    ended: list[float] = []

    def work(client: Client) -> None:
        for number in itertools.count():
            if time.monotonic() > stop:
                ended.append(time.monotonic())
                return
            key = f"sk_test_soak_{client.number}_{number}"
            try:
                client.session(key, clean_up=number % 2 == 0)
            except Exception as err:  # a broken connection, an answer without an id: counted
                client.unexpected.append(f"session {key} stopped: {err!r}")
                time.sleep(1)  # the next session starts on a new connection

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    started = time.monotonic()
    server_cpu = cpu_seconds(server.pid)
    for thread in threads:
        thread.start()
    samples: list[tuple[float, dict[str, int]]] = []
    every = 60 if minutes >= 3 else 10
    pace = f"paced at {rate:g} calls/s each" if rate else "unpaced"
    print(f"{CLIENTS} clients {pace}, sessions of {SESSION_CALLS} calls, "
          f"{minutes:g} min, keys forgotten after {idle} s idle\n")  # fmt: skip
    print(f"{'minute':>6} {'RSS MiB':>8} {'calls/s':>8} {'server CPU':>10} {'threads':>7} "
          f"{'fds':>4} {'unexpected':>10}")  # fmt: skip
    last_print, last_calls = started, 0
    while any(thread.is_alive() for thread in threads):
        time.sleep(SAMPLE_SECONDS)
        now = time.monotonic()
        if server.poll() is not None:
            print(f"the server exited ({server.returncode})")
            return 1
        samples.append((now - started, proc_status(server.pid)))
        if now - last_print >= every - 0.5:
            calls = sum(client.calls for client in clients)
            cpu = cpu_seconds(server.pid)
            rate = (calls - last_calls) / (now - last_print)
            share = (cpu - server_cpu) / (now - last_print) * 100
            status = samples[-1][1]
            wrong = sum(len(client.unexpected) for client in clients)
            print(f"{(now - started) / 60:6.1f} {status['rss_kib'] / 1024:8.1f} {rate:8,.0f} "
                  f"{share:9.0f}% {status['threads']:7} {status['fds']:4} {wrong:10}")  # fmt: skip
            last_print, last_calls, server_cpu = now, calls, cpu
    elapsed = max(ended, default=time.monotonic()) - started
    # An abandoned key, idle for longer than the timeout by now: its simulator is forgotten,
    # so its customer is gone (asking makes the key a fresh, empty simulator).
    key, customer, at = min(found for client in clients for found in client.abandoned)
    check = Client(host, port, CLIENTS)
    time.sleep(max(0.0, at + idle + 1 - time.monotonic()))
    check.call(key, "GET", f"/v1/customers/{customer}", status=404)
    forgotten = not check.unexpected
    warm_up = max(minutes * 60 / 5, 2 * idle + 10)
    warm = [(at, status["rss_kib"] / 1024) for at, status in samples if at >= warm_up]
    unexpected = [line for client in [*clients, check] for line in client.unexpected]
    total = sum(client.calls for client in clients)
    sessions = sum(len(client.abandoned) for client in clients)
    print(f"\n{total:,} calls in {elapsed:.0f} s, {total / elapsed:,.0f}/s; {sessions:,} sessions "
          f"abandoned, about as many cleaned up; {len(unexpected)} unexpected answers")  # fmt: skip
    for line in unexpected[:5]:
        print("  ", line[:300])
    if len(warm) < 2:
        print(f"too short a run to judge: the warm-up takes {warm_up:.0f} s")
        return 1
    first, highest, last = warm[0][1], max(mib for _, mib in warm), warm[-1][1]
    flat = highest <= first * (1 + FLAT)
    print(f"after the warm-up ({warm_up:.0f} s): first sample {first:.1f} MiB, highest "
          f"{highest:.1f} MiB ({(highest / first - 1) * 100:+.1f} %), last {last:.1f} MiB "
          f"({(last / first - 1) * 100:+.1f} %); trend {slope_per_10_min(warm):+.1f} MiB per "
          f"10 min over {len(warm)} samples")  # fmt: skip
    memory = "FLAT" if flat else "GROWING"
    forgot = "forgotten" if forgotten else "NOT forgotten"
    print(f"verdict: memory {memory} (every sample after warm-up within {FLAT:.0%} of the "
          f"first), {len(unexpected) or 'no'} unexpected answers, an abandoned key ({key}) "
          f"{forgot}")  # fmt: skip
    return 0 if flat and not unexpected else 1


if __name__ == "__main__":
    sys.exit(main())
