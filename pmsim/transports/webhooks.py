"""Webhooks in-process: every event, Stripe-signed, handed to a Python callable.

Billing code verifies webhooks with ``stripe.Webhook.construct_event(payload, sig_header,
secret)``; a subscriber gets exactly those two things, so the same handler runs unchanged:

>>> import pmsim, stripe
>>> from pmsim.transports.webhooks import subscribe
>>> sim = pmsim.Simulator()
>>> seen = []
>>> def handler(payload, headers):
...     event = stripe.Webhook.construct_event(payload, headers["Stripe-Signature"], hook.secret)
...     seen.append(event.type)
>>> hook = subscribe(sim, handler, enabled_events=["customer.created"])
>>> _ = sim.customers.create()
>>> seen, [d.status for d in hook.deliveries]
(['customer.created'], ['delivered'])

Deliveries happen in order, on the calling thread, right after the call that emitted the
events has committed. The signature's timestamp is the wall clock (``clock``), because
``construct_event`` compares it with the real time; nothing else about a delivery depends on
it. A handler that raises does not lose the event: the delivery is recorded as failed, with
the error, and ``redeliver()`` sends the failed ones again, in order.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from attrs import evolve, frozen

from pmsim.api.wire import encode
from pmsim.domain.digests import base62_digest
from pmsim.domain.events import Event
from pmsim.domain.webhooks import signed_headers, wants
from pmsim.engine import Simulator

Handler = Callable[[str, Mapping[str, str]], Any]


@frozen
class SubscriberDelivery:
    """One event sent to one in-process subscriber: what was sent and how it went.

    Frozen, and replaced after each attempt, keeping the last try's signed headers and error:
    the handler is called there and then, with no retries in the background.
    ``endpoint_delivery.EndpointDelivery`` is the server's kind: an HTTP post to a URL that
    keeps every answer.
    """

    event_id: str
    event_type: str
    payload: str
    headers: Mapping[str, str]
    status: str = "pending"  # then "delivered" or "failed"
    attempts: int = 0
    error: str | None = None


class Subscription:
    """A Python callable that receives the simulator's events, signed with ``secret``."""

    def __init__(
        self,
        sim: Simulator,
        handler: Handler,
        enabled_events: tuple[str, ...],
        secret: str,
        clock: Callable[[], float],
    ) -> None:
        self.sim = sim
        self.handler = handler
        self.enabled_events = enabled_events
        self.secret = secret
        self._clock = clock
        self._lock = threading.Lock()
        self.deliveries: list[SubscriberDelivery] = []
        self._unsubscribe: Callable[[], None] = lambda: None

    def __repr__(self) -> str:
        failed = sum(1 for d in self.deliveries if d.status == "failed")
        return (
            f"<Subscription {list(self.enabled_events)}: {len(self.deliveries)} deliveries, "
            f"{failed} failed>"
        )

    def _receive(self, events: Iterable[Event]) -> None:
        for event in events:
            if wants(self.enabled_events, event.type):
                payload = encode(event.to_dict())
                self._send(SubscriberDelivery(event.id, event.type, payload, {}), None)

    def _send(self, delivery: SubscriberDelivery, index: int | None) -> None:
        headers = signed_headers(delivery.payload, self.secret, int(self._clock()))
        error = None
        try:
            self.handler(delivery.payload, headers)
        except Exception as err:  # the handler's failure is recorded, never lost
            error = f"{type(err).__name__}: {err}"
        outcome = evolve(
            delivery, headers=headers, status="failed" if error else "delivered",
            attempts=delivery.attempts + 1, error=error,
        )  # fmt: skip
        with self._lock:
            if index is None:
                self.deliveries.append(outcome)
            else:
                self.deliveries[index] = outcome

    def redeliver(self) -> int:
        """Send the failed deliveries again, oldest first; how many are delivered now."""
        failed = [i for i, d in enumerate(self.deliveries) if d.status == "failed"]
        for index in failed:
            self._send(self.deliveries[index], index)
        return sum(1 for i in failed if self.deliveries[i].status == "delivered")

    def close(self) -> None:
        """Stop receiving events."""
        self._unsubscribe()


def subscribe(
    sim: Simulator,
    handler: Handler,
    *,
    enabled_events: Iterable[str] = ("*",),
    secret: str | None = None,
    clock: Callable[[], float] = time.time,
) -> Subscription:
    """Send every event in ``enabled_events`` (``*``: all) to ``handler(payload, headers)``.

    ``secret`` defaults to a ``whsec_…`` made from the simulator's seed; pass the one your
    code reads from its settings to test it unchanged.
    """
    count = next(sim.extension("subscriptions", _Count, rewinds=False).numbers)
    chosen = secret or "whsec_" + base62_digest(f"{sim.seed}:subscriber:{count}", 32)
    subscription = Subscription(sim, handler, tuple(enabled_events), chosen, clock)
    subscription._unsubscribe = sim.on_commit(subscription._receive)
    return subscription


class _Count:
    """Numbers the simulator's subscriptions, so each default secret is its own.

    Subscriptions outlive ``restore()``, so their count must not rewind (the extension is
    made with ``rewinds=False``), and ``itertools.count`` hands each thread its own number.
    """

    def __init__(self) -> None:
        self.numbers = itertools.count()

    def copy(self) -> _Count:
        return self  # never called: a lasting extension is not copied
