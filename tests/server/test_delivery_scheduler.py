"""One scheduler for every key's webhook deliveries; each endpoint its own queue."""

from __future__ import annotations

import functools
import gc
import socket
import threading
import time
import weakref
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import pmsim
from pmsim.cli import build_parser
from pmsim.transports.endpoint_delivery import RETRY_DELAYS, Deliverer, parse_delays
from pmsim.transports.pool import SimulatorPool
from pmsim.transports.scheduler import Scheduler

pytestmark = pytest.mark.slow  # receiving apps on 127.0.0.1


class App:
    """Answers ``failures`` posts with 500, then 200; notes the event ids it accepted."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.events: list[str] = []
        self.times: list[float] = []
        app = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                self.send_response(app.answer(body))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, body: str) -> int:
        """The status for a post of ``body``."""
        failing = self.failures > 0
        self.failures -= 1
        if not failing:
            self.events.append(body.split('"id":"', 1)[1].split('"', 1)[0])
            self.times.append(time.monotonic())
        return 500 if failing else 200

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class HeldApp(App):
    """Holds each post until ``release`` is set (``posting`` is set once one arrives), then
    answers ``status``."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.posting, self.release = threading.Event(), threading.Event()
        super().__init__()

    def answer(self, body: str) -> int:
        self.posting.set()
        self.release.wait(5)
        return self.status

    def stop(self) -> None:
        self.release.set()
        super().stop()


def dead_url() -> str:
    """A loopback port nobody listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks"


def wait_for(check: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_a_dead_endpoint_does_not_delay_a_healthy_one() -> None:
    sim = pmsim.Simulator()
    deliverer = Deliverer(sim, retry_delays=(0.5, 0.5, 0.5))
    app = App()
    sim.webhook_endpoints.create(url=dead_url(), enabled_events=["customer.created"])
    sim.webhook_endpoints.create(url=app.url, enabled_events=["customer.created"])
    started = time.monotonic()
    ids = [sim.customers.create().id for _ in range(5)]
    wait_for(lambda: len(app.events) == 5)
    assert time.monotonic() - started < 1.0  # the dead one waits 1.5 s per event
    listing = deliverer.listing()
    dead = [d for d in listing if d["url"] != app.url]
    assert all(d["status"] == "pending" for d in dead)  # still retrying its first
    assert len(app.events) == 5 and ids
    deliverer.close()
    app.stop()


def test_each_endpoint_gets_its_events_in_event_log_order() -> None:
    sim = pmsim.Simulator()
    deliverer = Deliverer(sim, retry_delays=(0.01, 0.01, 0.01))
    flaky, steady = App(failures=2), App()
    sim.webhook_endpoints.create(url=flaky.url, enabled_events=["*"])
    sim.webhook_endpoints.create(url=steady.url, enabled_events=["*"])
    for _ in range(10):
        cus = sim.customers.create()
        sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    logged = [event.id for event in sim.events.list(limit=100).data][::-1]
    wait_for(lambda: len(flaky.events) == 20 and len(steady.events) == 20)
    assert flaky.events == logged
    assert steady.events == logged
    deliverer.close()
    flaky.stop()
    steady.stop()


def test_many_keys_share_a_few_threads() -> None:
    app = App()
    before = threading.active_count()
    pool = SimulatorPool(0, retry_delays=(0.01,))
    for number in range(200):
        sim = pool.get(f"sk_test_{number}")
        sim.webhook_endpoints.create(url=app.url, enabled_events=["customer.created"])
        sim.customers.create()
    wait_for(lambda: len(app.events) == 200, 30)
    assert threading.active_count() <= before + 1 + pool.scheduler.posters
    pool.scheduler.close()
    app.stop()


def test_a_redelivery_is_marked_and_keeps_the_event_id() -> None:
    sim = pmsim.Simulator()
    deliverer = Deliverer(sim, retry_delays=(0.01,))
    app = App(failures=2)
    sim.webhook_endpoints.create(url=app.url, enabled_events=["customer.created"])
    sim.customers.create()
    wait_for(lambda: deliverer.listing()[0]["status"] == "failed")
    [failed] = deliverer.listing()
    assert failed["redelivered"] is False
    assert deliverer.redeliver() == 1
    wait_for(lambda: deliverer.listing()[0]["status"] == "delivered")
    [delivery] = deliverer.listing()
    assert delivery["redelivered"] is True
    assert delivery["event"] == failed["event"] == app.events[0]
    assert [a.get("redelivered", False) for a in delivery["answers"]] == [False, False, True]
    deliverer.close()
    app.stop()


def test_the_listing_keeps_the_last_settled_deliveries_and_every_pending_one() -> None:
    sim = pmsim.Simulator()
    deliverer = Deliverer(sim, retry_delays=(), max_settled=5)
    app = App()
    sim.webhook_endpoints.create(url=app.url, enabled_events=["customer.created"])
    for _ in range(12):
        sim.customers.create()
    wait_for(lambda: len(app.events) == 12)
    wait_for(lambda: all(d["status"] == "delivered" for d in deliverer.listing()))
    assert [d["event"] for d in deliverer.listing()] == app.events[-5:]
    deliverer.close()
    app.stop()


def test_a_reset_key_drops_its_deliveries() -> None:
    pool = SimulatorPool(0, retry_delays=(5.0,))
    sim = pool.get("sk_test_reset")
    sim.webhook_endpoints.create(url=dead_url(), enabled_events=["customer.created"])
    sim.customers.create()
    assert len(pool.deliverer("sk_test_reset").listing()) == 1
    pool.reset("sk_test_reset")
    assert pool.deliverer("sk_test_reset").listing() == []
    pool.scheduler.close()


def test_retry_delays_are_parsed() -> None:
    assert parse_delays("0.1,0.2,0.4") == (0.1, 0.2, 0.4)
    assert parse_delays("") == ()
    for bad in ("x", "1,,2", "-1", "nan", "1e9"):
        with pytest.raises(ValueError):
            parse_delays(bad)
    parser = build_parser()
    args = parser.parse_args(["serve", "--webhook-retry-delays", "0.01,0.02"])
    assert args.webhook_retry_delays == (0.01, 0.02)
    assert parser.parse_args(["serve"]).webhook_retry_delays is None
    with pytest.raises(SystemExit):
        parser.parse_args(["serve", "--webhook-retry-delays", "soon"])
    assert RETRY_DELAYS == (1, 2, 4, 8, 16, 32)


def test_a_closed_scheduler_runs_nothing() -> None:
    scheduler = Scheduler(posters=2)
    ran: list[int] = []
    scheduler.at(0, lambda: ran.append(1))
    wait_for(lambda: ran == [1])
    scheduler.close()
    scheduler.at(0, lambda: ran.append(2))
    time.sleep(0.05)
    assert ran == [1]


def test_a_post_that_ends_after_its_key_was_reset_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = SimulatorPool(0, retry_delays=())
    held = HeldApp(200)
    url = held.url
    sim = pool.get("sk_test_slow")
    sim.webhook_endpoints.create(url=url, enabled_events=["customer.created"])
    sim.customers.create()
    sim.customers.create()
    wait_for(lambda: bool(pool.deliverer("sk_test_slow").listing()[0]["status"]))
    time.sleep(0.05)  # the first post is waiting on the app
    pool.reset("sk_test_slow")
    held.release.set()
    app = App()  # the posting threads still work for other keys
    other = pool.get("sk_test_other")
    other.webhook_endpoints.create(url=app.url, enabled_events=["customer.created"])
    other.customers.create()
    wait_for(lambda: len(app.events) == 1)
    assert pool.deliverer("sk_test_slow").listing() == []
    assert "webhook delivery task failed" not in caplog.text
    pool.scheduler.close()
    held.stop()
    app.stop()


def test_a_deliverer_closed_while_it_posts_is_let_go_at_once() -> None:
    # Neither a retry of the failed post (due in a minute here) nor the posting thread that ran
    # it may hold the closed deliverer, and with it a reset key's simulator.
    scheduler = Scheduler(posters=2)
    app = HeldApp(500)
    sim = pmsim.Simulator()
    deliverer = Deliverer(sim, retry_delays=(60.0,), scheduler=scheduler)
    sim.webhook_endpoints.create(url=app.url, enabled_events=["customer.created"])
    sim.customers.create()
    assert app.posting.wait(5)
    deliverer.close()
    held = weakref.ref(deliverer)
    del deliverer
    app.release.set()

    def let_go() -> bool:
        gc.collect()
        return held() is None

    wait_for(let_go, seconds=5)
    scheduler.close()
    app.stop()


def test_posting_threads_start_as_needed_and_never_exceed_the_limit() -> None:
    scheduler = Scheduler(posters=3)
    running: list[int] = []
    most = [0]
    done: list[int] = []
    lock = threading.Lock()

    def slow(number: int) -> None:
        with lock:
            running.append(number)
            most[0] = max(most[0], len(running))
        time.sleep(0.05)
        with lock:
            running.remove(number)
            done.append(number)

    scheduler.at(0, lambda: slow(0))
    wait_for(lambda: done == [0])
    for number in range(1, 10):
        scheduler.at(0, functools.partial(slow, number))
    wait_for(lambda: len(done) == 10)
    assert most[0] == 3
    scheduler.close()
