"""Server mode: events posted to the simulator's webhook endpoints, in order, with retries.

Each simulator of ``pmsim serve`` gets a ``Deliverer``: after every call that emitted events
it queues one delivery per enabled endpoint that wants the event, and one worker thread posts
them in order (a delivery that fails is retried, with the waits in ``retry_delays``, before
the next one is sent, so an endpoint never sees events out of order). A delivery that still
fails after the last retry is kept as ``failed`` with every answer; ``redeliver()`` sends
those again. ``GET /_pmsim/webhook_deliveries`` lists them all.
"""

from __future__ import annotations

import http.client
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from pmsim.api.wire import encode
from pmsim.domain.events import Event
from pmsim.domain.webhooks import signed_headers
from pmsim.engine import Simulator
from pmsim.transports.webhook_hosts import LOOPBACK_ONLY, HostPolicy, HostRefused, post

#: Seconds to wait before each retry of a failed delivery (then it is kept as failed).
RETRY_DELAYS: tuple[float, ...] = (1, 2, 4, 8, 16, 32)
TIMEOUT = 10  # seconds for one POST


class EndpointDelivery:
    """One event for one webhook endpoint, and every HTTP answer it got.

    Mutable, unlike ``webhooks.SubscriberDelivery``: the worker thread adds each answer and
    ``redeliver()`` queues the same delivery again, so the listing shows every attempt.
    """

    def __init__(self, event: Event, endpoint_id: str, url: str, secret: str) -> None:
        self.event_id = event.id
        self.event_type = event.type
        self.endpoint = endpoint_id
        self.url = url
        self.secret = secret
        self.payload = encode(event.to_dict())
        self.status = "pending"  # then "delivered" or "failed"
        self.answers: list[dict[str, Any]] = []

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event_id,
            "type": self.event_type,
            "webhook_endpoint": self.endpoint,
            "url": self.url,
            "status": self.status,
            "attempts": len(self.answers),
            "answers": list(self.answers),
            "payload": self.payload,  # what was sent (the signature differs per attempt)
        }


class Deliverer:
    """Posts a simulator's events to its webhook endpoints from one worker thread."""

    def __init__(
        self,
        sim: Simulator,
        *,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        clock: Callable[[], float] = time.time,
        hosts: HostPolicy = LOOPBACK_ONLY,
    ) -> None:
        self.sim = sim
        self.retry_delays = tuple(retry_delays)
        self.hosts = hosts
        self._clock = clock
        self._queue: queue.Queue[EndpointDelivery | None] = queue.Queue()
        self._lock = threading.Lock()
        self.deliveries: list[EndpointDelivery] = []
        self._worker = threading.Thread(target=self._run, name="pmsim-webhooks", daemon=True)
        self._worker.start()
        self._unsubscribe = sim.on_commit(self._receive)

    def _receive(self, events: tuple[Event, ...]) -> None:
        with self.sim.lock:  # one operation's events all see the same endpoints
            wanted = [(event, self.sim.webhook_endpoints.receiving(event.type)) for event in events]
        for event, endpoints in wanted:
            for endpoint in endpoints:
                delivery = EndpointDelivery(event, endpoint.id, endpoint.url, endpoint.secret)
                with self._lock:
                    self.deliveries.append(delivery)
                self._queue.put(delivery)

    def _run(self) -> None:
        while True:
            delivery = self._queue.get()
            if delivery is None:
                return
            self._deliver(delivery)

    def _deliver(self, delivery: EndpointDelivery) -> None:
        try:
            address = self.hosts.address(delivery.url)
        except HostRefused as err:  # no retry: the rule will not change before one
            delivery.answers.append({"status": None, "error": f"refused: {err}"})
            delivery.status = "failed"
            return
        for wait in (0, *self.retry_delays):
            time.sleep(wait)
            if self._post(delivery, address):
                delivery.status = "delivered"
                return
        delivery.status = "failed"

    def _post(self, delivery: EndpointDelivery, address: str) -> bool:
        headers = signed_headers(delivery.payload, delivery.secret, int(self._clock()))
        headers["User-Agent"] = "Stripe/1.0 (+https://stripe.com/docs/webhooks) pmsim"
        try:
            status, body = post(
                delivery.url, address, delivery.payload.encode("utf-8"), headers, TIMEOUT
            )
        except (OSError, ValueError, http.client.HTTPException) as err:  # refused, timed out
            delivery.answers.append({"status": None, "error": f"{type(err).__name__}: {err}"})
            return False
        delivery.answers.append({"status": status, "body": body.decode("utf-8", "replace")})
        return 200 <= status < 300

    def redeliver(self) -> int:
        """Queue the failed deliveries again, oldest first; how many were queued."""
        with self._lock:
            failed = [d for d in self.deliveries if d.status == "failed"]
        for delivery in failed:
            delivery.status = "pending"
            self._queue.put(delivery)
        return len(failed)

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [delivery.to_dict() for delivery in self.deliveries]

    def close(self) -> None:
        self._unsubscribe()
        self._queue.put(None)
