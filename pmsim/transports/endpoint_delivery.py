"""Server mode: events posted to the simulator's webhook endpoints, each endpoint on its own.

One ``Scheduler`` serves a whole ``pmsim serve`` (every API key): a timer heap on one
scheduling thread hands due posts to a few posting threads (``scheduler.py``), so the number of
threads does not grow with the keys and a slow or dead endpoint (a post waits up to 10 s)
holds back no other. Each simulator gets a ``Deliverer`` (no thread of its own): after every
call that emitted events it queues one delivery per enabled endpoint that wants the event, on
that endpoint's own queue. An endpoint gets its events in the event log's order: a failed
post is retried, after each wait in ``retry_delays``, before that endpoint's next event, while
the other endpoints go on. A delivery that still fails after the last retry is kept as
``failed`` with every answer and the endpoint moves on; ``redeliver()`` sends those again,
same event id, marked ``redelivered``. ``GET /_pmsim/webhook_deliveries`` lists them: every
pending delivery and the last ``MAX_SETTLED`` settled ones.

Stripe retries a failed live-mode delivery for up to three days with exponential backoff.
``RETRY_DELAYS`` keeps the shape (doubling waits) over 63 s instead of about 259,200 s, a
compression of about 4,000; ``pmsim serve --webhook-retry-delays`` sets other waits.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

from pmsim.api.wire import encode
from pmsim.domain import versions
from pmsim.domain.events import Event
from pmsim.domain.webhooks import WebhookEndpoint, signed_headers
from pmsim.engine import Simulator
from pmsim.transports.scheduler import Scheduler
from pmsim.transports.webhook_hosts import LOOPBACK_ONLY, HostPolicy, HostRefused, post

#: Seconds to wait before each retry of a failed delivery (then it is kept as failed).
RETRY_DELAYS: tuple[float, ...] = (1, 2, 4, 8, 16, 32)
#: Stripe's live-mode retry window (three days) over the sum of ``RETRY_DELAYS``, rounded.
COMPRESSION = 4_000
TIMEOUT = 10  # seconds for one POST
MAX_SETTLED = 1_000  # settled deliveries a key's listing keeps (pending ones are all kept)


def parse_delays(text: str) -> tuple[float, ...]:
    """``"0.1,0.2,0.4"`` → ``(0.1, 0.2, 0.4)``; ``""`` → no retries. ValueError if bad."""
    if not text.strip():
        return ()
    delays = tuple(float(part) for part in text.split(","))
    if any(not 0 <= delay <= 86_400 for delay in delays):  # also refuses nan
        raise ValueError(f"retry delays are seconds from 0 to 86400, not {text!r}")
    return delays


class EndpointDelivery:
    """One event for one webhook endpoint, and every HTTP answer it got.

    Mutable, unlike ``webhooks.SubscriberDelivery``: a posting thread adds each answer and
    ``redeliver()`` queues the same delivery again, so the listing shows every attempt.
    """

    def __init__(self, event: Event, endpoint: WebhookEndpoint) -> None:
        self.event_id = event.id
        self.event_type = event.type
        self.endpoint = endpoint.id
        self.url = endpoint.url
        self.secret = endpoint.secret
        # Rendered in the endpoint's own API version, when it was created with one.
        version = None if endpoint.api_version is None else versions.parse(endpoint.api_version)
        self.payload = encode(event.to_dict(version))
        self.status = "pending"  # then "delivered" or "failed"
        self.redelivered = False
        self.tries = 0  # posts in the current round (a redelivery starts a new round)
        self.answers: list[dict[str, Any]] = []

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event_id,
            "type": self.event_type,
            "webhook_endpoint": self.endpoint,
            "url": self.url,
            "status": self.status,
            "redelivered": self.redelivered,
            "attempts": len(self.answers),
            "answers": list(self.answers),
            "payload": self.payload,  # what was sent (the signature differs per attempt)
        }


class Deliverer:
    """Posts a simulator's events to its webhook endpoints, one queue per endpoint.

    ``scheduler`` is the server's; without one the deliverer makes its own and closes it."""

    def __init__(
        self,
        sim: Simulator,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        clock: Callable[[], float] = time.time,
        hosts: HostPolicy = LOOPBACK_ONLY,
        scheduler: Scheduler | None = None,
        max_settled: int = MAX_SETTLED,
    ) -> None:
        self.sim = sim
        self.retry_delays = tuple(retry_delays)
        self.hosts = hosts
        self.max_settled = max_settled
        self._clock = clock
        self._own = scheduler is None
        self._scheduler = Scheduler() if scheduler is None else scheduler
        self._lock = threading.Lock()
        self._closed = False
        self.deliveries: list[EndpointDelivery] = []
        self._settled = 0
        self._queues: dict[str, deque[EndpointDelivery]] = {}  # endpoint id → its FIFO
        # Only the commits owing an endpoint a delivery (most owe none) come here.
        self._unsubscribe = sim.on_commit(self._receive, owed_only=True)

    def _receive(self, events: tuple[Event, ...]) -> None:
        with self.sim.lock:  # one operation's events all see the same endpoints
            receiving = self.sim.webhook_endpoints.receiving
            wanted = [(event, [hook for hook in receiving(event.type) if hook.id in event.owed])
                      for event in events]  # fmt: skip
        with self._lock:
            for event, endpoints in wanted:
                for endpoint in endpoints:
                    delivery = EndpointDelivery(event, endpoint)
                    self.deliveries.append(delivery)
                    self._enqueue(delivery)

    def _enqueue(self, delivery: EndpointDelivery) -> None:
        """Put ``delivery`` last on its endpoint's queue (under the lock)."""
        lane = self._queues.setdefault(delivery.endpoint, deque())
        lane.append(delivery)
        if len(lane) == 1:  # the endpoint was idle: post now
            self._scheduler.at(0, lambda: self._attempt(delivery.endpoint))

    def _attempt(self, endpoint: str) -> None:
        """Post the head of ``endpoint``'s queue once (on a posting thread)."""
        with self._lock:
            if self._closed or not self._queues.get(endpoint):
                return
            delivery = self._queues[endpoint][0]
        try:
            address = self.hosts.address(delivery.url)
        except HostRefused as err:  # no retry: the rule will not change before one
            self._answer(delivery, {"status": None, "error": f"refused: {err}"})
            self._settle(delivery, "failed")
            return
        delivery.tries += 1
        if self._post(delivery, address):
            self.sim.webhook_endpoints.delivered(delivery.event_id, endpoint)
            self._settle(delivery, "delivered")
        elif delivery.tries > len(self.retry_delays):
            self._settle(delivery, "failed")
        else:
            wait = self.retry_delays[delivery.tries - 1]
            with self._lock:
                if self._closed:  # closed while posting: a retry would only hold it
                    return
                self._scheduler.at(wait, lambda: self._attempt(endpoint))

    def _answer(self, delivery: EndpointDelivery, answer: dict[str, Any]) -> None:
        if delivery.redelivered:
            answer["redelivered"] = True
        with self._lock:
            delivery.answers.append(answer)

    def _settle(self, delivery: EndpointDelivery, status: str) -> None:
        """Record how ``delivery`` ended and start its endpoint's next one."""
        with self._lock:
            if self._closed:  # the key was reset: its deliveries are gone
                return
            delivery.status = status
            self._settled += 1
            if self._settled > self.max_settled:
                self._drop_oldest_settled()
            lane = self._queues[delivery.endpoint]
            lane.popleft()
            if lane:
                self._scheduler.at(0, lambda: self._attempt(delivery.endpoint))
            else:
                del self._queues[delivery.endpoint]

    def _drop_oldest_settled(self) -> None:
        for index, delivery in enumerate(self.deliveries):
            if delivery.status != "pending":
                del self.deliveries[index]
                self._settled -= 1
                return

    def _post(self, delivery: EndpointDelivery, address: str) -> bool:
        headers = signed_headers(delivery.payload, delivery.secret, int(self._clock()))
        headers["User-Agent"] = "Stripe/1.0 (+https://stripe.com/docs/webhooks) pmsim"
        try:
            status, body = post(
                delivery.url, address, delivery.payload.encode("utf-8"), headers, TIMEOUT
            )
        except (OSError, ValueError, http.client.HTTPException) as err:  # refused, timed out
            self._answer(delivery, {"status": None, "error": f"{type(err).__name__}: {err}"})
            return False
        self._answer(delivery, {"status": status, "body": body.decode("utf-8", "replace")})
        return 200 <= status < 300

    def redeliver(self) -> int:
        """Queue the failed deliveries again, oldest first; how many were queued.

        Each keeps its event (same id and payload) and is marked ``redelivered``."""
        with self._lock:
            failed = [d for d in self.deliveries if d.status == "failed"]
            for delivery in failed:
                delivery.status = "pending"
                delivery.redelivered = True
                delivery.tries = 0
                self._settled -= 1
                self._enqueue(delivery)
        return len(failed)

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [delivery.to_dict() for delivery in self.deliveries]

    def close(self) -> None:
        """Stop delivering: pending posts are dropped with the listing."""
        self._unsubscribe()
        with self._lock:
            self._closed = True
            self._queues.clear()
            self.deliveries.clear()
        if self._own:
            self._scheduler.close()
