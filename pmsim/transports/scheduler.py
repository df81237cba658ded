"""A small scheduler: run tasks after a delay, on a bounded pool of threads.

``pmsim serve`` has one for all its API keys (``endpoint_delivery.py`` queues webhook posts
on it), so the number of threads does not grow with the keys, and a post that waits (up to
its timeout) holds back only the thread it runs on.

>>> import threading
>>> done = threading.Event()
>>> scheduler = Scheduler(posters=2)
>>> scheduler.at(0.01, done.set)
>>> done.wait(5)
True
>>> scheduler.close()
"""

from __future__ import annotations

import heapq
import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable

POSTERS = 8  # posting threads per scheduler


class Scheduler:
    """Runs tasks after a delay: one timer thread, at most ``posters`` threads that run them.

    The timer thread starts with the first task; a posting thread starts when a task is due
    and every posting thread is busy, up to ``posters`` (then tasks wait their turn).
    ``close()`` stops them all (tasks not yet run are dropped)."""

    def __init__(self, posters: int = POSTERS) -> None:
        self.posters = posters
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._ready: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._timer: threading.Thread | None = None
        self._started = 0  # posting threads
        self._idle = 0  # posting threads waiting for a task
        self._count_lock = threading.Lock()
        self._closed = False

    def at(self, delay: float, task: Callable[[], None]) -> None:
        """Run ``task`` on a posting thread ``delay`` seconds from now."""
        with self._wake:
            if self._closed:
                return
            if self._timer is None:
                self._timer = threading.Thread(target=self._time, name="pmsim-webhooks")
                self._timer.daemon = True
                self._timer.start()
            heapq.heappush(self._heap, (time.monotonic() + delay, next(self._order), task))
            self._wake.notify()

    def _time(self) -> None:
        with self._wake:
            while not self._closed:
                if not self._heap:
                    self._wake.wait()
                    continue
                due = self._heap[0][0] - time.monotonic()
                if due > 0:
                    self._wake.wait(due)
                    continue
                self._dispatch(heapq.heappop(self._heap)[2])

    def _dispatch(self, task: Callable[[], None]) -> None:
        with self._count_lock:
            if self._idle == 0 and self._started < self.posters:
                name = f"pmsim-webhook-post-{self._started}"
                self._started += 1
                threading.Thread(target=self._post, name=name, daemon=True).start()
            elif self._idle:
                self._idle -= 1  # a waiting one takes the task
        self._ready.put(task)

    def _post(self) -> None:
        while True:
            task = self._ready.get()
            if task is None:
                return
            try:
                task()
            except Exception:  # noqa: BLE001 - a bad task must not cost the pool a thread
                logging.getLogger(__name__).exception("webhook delivery task failed")
            # Let go of it before waiting for the next: a task holds its deliverer, and that
            # holds a simulator (a reset key's, which should be freed now).
            del task
            with self._count_lock:
                self._idle += 1

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        with self._wake:
            self._closed = True
            self._heap.clear()
            self._wake.notify()
        with self._count_lock:
            started = self._started
        for _ in range(started):
            self._ready.put(None)
