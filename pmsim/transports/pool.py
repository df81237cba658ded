"""The server's simulators: one per API key, made on first use, forgotten when idle.

>>> pool = SimulatorPool(seed=3)
>>> pool.get("sk_test_a") is pool.get("sk_test_a"), pool.get("sk_test_a") is pool.get("sk_test_b")
(True, False)
>>> pool.close()
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from pmsim.api.session import state_of
from pmsim.domain import versions
from pmsim.domain.versions import ApiVersion
from pmsim.engine import Simulator
from pmsim.transports.endpoint_delivery import RETRY_DELAYS, Deliverer
from pmsim.transports.scheduler import Scheduler
from pmsim.transports.webhook_hosts import LOOPBACK_ONLY, HostPolicy

#: Seconds a key may go unused before its simulator is forgotten (a day, as Stripe keeps
#: idempotency keys); its next request starts a fresh one. ``None``: never.
IDLE_TIMEOUT: float | None = 24 * 60 * 60
#: A key's last use is noted, and idle keys looked for, at most this often (seconds; more
#: often for a timeout under 4 s): idleness is kept to the second, and most requests do neither.
NOTE_EVERY = 1.0


class SimulatorPool:
    """One simulator per API key, made on first use with the server's seed, each with the
    ``Deliverer`` that posts its events to its webhook endpoints. One ``Scheduler`` (a timer
    thread and a few posting threads) serves every key; a reset key's deliveries go with its
    old simulator. A key unused for ``idle_timeout`` seconds (by ``wall_clock``) is forgotten,
    so a long-lived server called with fresh keys keeps a bounded number of simulators."""

    def __init__(
        self,
        seed: int,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        hosts: HostPolicy = LOOPBACK_ONLY,
        idle_timeout: float | None = IDLE_TIMEOUT,
        wall_clock: Callable[[], float] = time.monotonic,
        api_version: ApiVersion = versions.NEWEST,
    ) -> None:
        self.seed = seed
        #: Each key's account default: what requests without a Stripe-Version answer as.
        self.api_version = api_version
        self.retry_delays = retry_delays
        self.hosts = hosts
        self._wall_clock = wall_clock
        # key → (simulator, last used); least recently used first, so expiry looks at the front.
        self._sims: OrderedDict[str, tuple[Simulator, float]] = OrderedDict()
        self.deliverers: dict[str, Deliverer] = {}
        self.scheduler = Scheduler()
        self._lock = threading.Lock()
        self.idle_timeout = idle_timeout
        # Answers requests whose key is refused.
        self.anonymous = Simulator(seed, api_version=api_version)

    @property
    def idle_timeout(self) -> float | None:
        """Seconds a key may go unused before it is forgotten; None keeps keys forever."""
        return self._idle_timeout

    @idle_timeout.setter
    def idle_timeout(self, seconds: float | None) -> None:
        with self._lock:
            self._idle_timeout = seconds
            # A use is noted at most once a second, or a quarter of a shorter timeout: never so
            # seldom that a key called more often than its timeout looks idle.
            self._note_every = NOTE_EVERY if seconds is None else min(NOTE_EVERY, seconds / 4)
            self._next_sweep = float("-inf")  # the next request sweeps by the new timeout

    def __len__(self) -> int:
        return len(self._sims)

    def get(self, key: str) -> Simulator:
        with self._lock:
            now = self._wall_clock()
            if now >= self._next_sweep:
                self._forget_idle(now)
                self._next_sweep = now + self._note_every
            held = self._sims.get(key)
            if held is None:
                return self._fresh(key, now)
            if now - held[1] >= self._note_every:  # else noted so lately it is near the back
                self._sims[key] = (held[0], now)
                self._sims.move_to_end(key)
            return held[0]

    def reset(self, key: str) -> Simulator:
        with self._lock:
            return self._fresh(key, self._wall_clock())

    def _fresh(self, key: str, now: float) -> Simulator:
        old = self.deliverers.pop(key, None)
        if old is not None:
            old.close()
        sim = Simulator(self.seed, api_version=self.api_version)
        self._sims[key] = (sim, now)
        self._sims.move_to_end(key)
        # A server's simulated clock may never move: saved idempotent responses also expire
        # by the wall clock.
        state_of(sim, wall_clock=time.monotonic)
        self.deliverers[key] = Deliverer(
            sim, retry_delays=self.retry_delays, hosts=self.hosts, scheduler=self.scheduler
        )
        return sim

    def _forget_idle(self, now: float) -> None:
        """Drop the keys idle too long: from the front, the least recently used (amortized
        constant time per request)."""
        timeout = self._idle_timeout
        if timeout is None:
            return
        while self._sims:
            key, (_, used) = next(iter(self._sims.items()))
            if now - used < timeout:
                return
            del self._sims[key]
            deliverer = self.deliverers.pop(key, None)
            if deliverer is not None:
                deliverer.close()

    def deliverer(self, key: str) -> Deliverer:
        with self._lock:
            if key not in self._sims:
                self._fresh(key, self._wall_clock())
            return self.deliverers[key]

    def drop(self, key: str) -> bool:
        """Forget ``key``'s simulator and its deliveries; whether it had one. The key's next
        request starts a fresh simulator, so a long-lived server need not keep every key."""
        with self._lock:
            known = self._sims.pop(key, None) is not None
            deliverer = self.deliverers.pop(key, None)
        if deliverer is not None:
            deliverer.close()
        return known

    def close(self) -> None:
        """Stop every key's deliveries and the scheduler's threads (the server is stopping)."""
        with self._lock:
            deliverers = list(self.deliverers.values())
        for deliverer in deliverers:
            deliverer.close()
        self.scheduler.close()
