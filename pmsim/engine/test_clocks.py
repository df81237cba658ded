"""``sim.test_clocks``: Stripe's test clocks (``/v1/test_helpers/test_clocks``), on pmsim's clock.

A simulator has one clock. A test clock is a named view on it: advancing a test clock to a
later ``frozen_time`` moves the simulator's clock forward by the same amount, so everything
that depends on time (card expiry, idempotency keys) sees it. Customers created with
``test_clock=`` belong to it, and deleting the clock deletes them, as Stripe does.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> clock = sim.test_clocks.create(frozen_time=sim.clock.now(), name="Renewal")
>>> cus = sim.customers.create(test_clock=clock.id)
>>> clock = sim.test_clocks.advance(clock.id, frozen_time=clock.frozen_time + 86_400)
>>> sim.clock.isoformat()
'2024-01-02T00:00:00Z'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attrs import evolve

from pmsim.clock import LATEST
from pmsim.domain import params
from pmsim.domain.events import (
    TEST_CLOCK_ADVANCING,
    TEST_CLOCK_CREATED,
    TEST_CLOCK_DELETED,
    TEST_CLOCK_READY,
)
from pmsim.domain.messages import parameters
from pmsim.domain.pages import ListObject
from pmsim.domain.test_clocks import TestClock
from pmsim.engine import rules
from pmsim.engine.customers import delete_customer
from pmsim.engine.listing import table_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


class TestClocks:
    """Create, advance, retrieve, delete and list test clocks."""

    __test__ = False  # not a pytest test class

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(self, *, frozen_time: int | None = None, name: str | None = None) -> TestClock:
        """A test clock frozen at ``frozen_time`` (Unix seconds)."""
        if frozen_time is None:
            raise parameters.missing_param("frozen_time")
        when = params.integer(frozen_time, "frozen_time")
        if not 0 <= when <= LATEST:
            raise parameters.frozen_time_out_of_range(when, LATEST)
        longest = params.MAX_TEST_CLOCK_NAME_LENGTH
        label = None if name is None else params.string(name, "name", longest)
        with self._kernel.operation() as op:
            clock = TestClock(op.new_id("clock"), op.now, when, label)
            op.put(clock)
            op.emit(TEST_CLOCK_CREATED, clock)
        return clock

    def retrieve(self, test_clock: str) -> TestClock:
        with self._kernel.lock:
            return rules.find_test_clock(
                self._kernel.store, test_clock, param="test_clock", in_path=True
            )

    def advance(self, test_clock: str, *, frozen_time: int | None = None) -> TestClock:
        """Move the clock to a later ``frozen_time``; the simulator's clock moves as far."""
        if frozen_time is None:
            raise parameters.missing_param("frozen_time")
        when = params.integer(frozen_time, "frozen_time")
        kernel = self._kernel
        with kernel.lock:  # no other call comes between advancing and ready
            with kernel.operation() as op:
                current = rules.find_test_clock(
                    op.store, test_clock, param="test_clock", in_path=True
                )
                if when <= current.frozen_time:
                    raise parameters.frozen_time_not_later(current.frozen_time)
                if op.now + (when - current.frozen_time) > LATEST:  # the simulator's clock too
                    raise parameters.frozen_time_out_of_range(when, LATEST)
                op.emit(TEST_CLOCK_ADVANCING, current)
                op.advance_clock(when - current.frozen_time)
            kernel.settle()  # what fell due meanwhile happens while the clock advances
            with kernel.operation() as op:
                ready = evolve(current, frozen_time=when)
                op.put(ready)
                op.emit(TEST_CLOCK_READY, ready)
        return ready

    def delete(self, test_clock: str) -> TestClock:
        """Delete the clock and every customer on it (their cards are detached first)."""
        with self._kernel.operation() as op:
            current = rules.find_test_clock(op.store, test_clock, param="test_clock", in_path=True)
            for customer in list(op.store.customers.values()):
                if customer.test_clock == current.id and not customer.deleted:
                    delete_customer(op, customer)
            gone = evolve(current, deleted=True)
            op.put(gone)
            op.emit(TEST_CLOCK_DELETED, current)
        return gone

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[TestClock]:
        """Test clocks, newest first; deleted ones are left out."""
        with self._kernel.lock:
            return table_page(
                self._kernel.store.test_clocks, kind="test_clock",
                url="/v1/test_helpers/test_clocks", keep=lambda clock: not clock.deleted,
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip
