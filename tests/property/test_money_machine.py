"""The laws of money that moves, on top of the intent machine's (hypothesis stateful testing).

The intent machine's random sessions (``test_intent_machine.py``: intents, cards, customers,
declines, 3-D Secure) gain refunds (whole or partial, by charge or by PaymentIntent, of any
charge, including the refund test cards whose refunds change later) and the clock moving
forward, which makes those later changes. After every step, besides the intent machine's laws:

9. a charge never gives back more than it took: its ``amount_refunded`` is the sum of its
   pending and succeeded refunds, and at most its ``amount_captured``; only a succeeded charge
   has refunds;
10. a refund moves only as Stripe's later changes move it (pending → succeeded, succeeded →
    failed) and only when the clock passes its time; a failed or settled one never moves again;
11. nothing waits past its time: after the clock moves, no refund is still due.

A failing run is printed as a scenario file that replays it (the intent machine's teardown).
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

from pmsim.domain.charges import ChargeStatus
from tests.property.test_intent_machine import IntentMachine

#: Cards whose payments succeed, with ordinary refunds and ones that change later.
PAYING = ["pm_card_visa", "pm_card_pendingRefund", "pm_card_refundFail"]
#: Where a refund can go next: itself, or Stripe's later change.
LATER = {"pending": {"pending", "succeeded"}, "succeeded": {"succeeded", "failed"},
         "failed": {"failed"}}  # fmt: skip


class MoneyMachine(IntentMachine):
    def _start(self, seed: int) -> None:
        super()._start(seed)
        self.refund_seen: dict[str, tuple[str, int]] = {}  # status, and the time last seen

    def _charges(self) -> list[str]:
        return [charge.id for charge in self.sim.snapshot().charges]

    @rule(
        card=st.sampled_from(PAYING),
        amount=st.integers(50, 5000),
        part=st.none() | st.integers(1, 5000),
    )
    def pay_and_refund(self, card: str, amount: int, part: int | None) -> None:
        """A payment refunded at once, whole or in part (or too much): among the base
        machine's many rules, refunds of fresh payments would otherwise be rare."""
        paid = self._call(lambda: self.sim.payment_intents.create(
            amount=amount, currency="usd", payment_method=card, confirm=True, off_session=True,
        ))  # fmt: skip
        if paid is not None:
            self._call(lambda: self.sim.refunds.create(payment_intent=paid.id, amount=part))

    @precondition(lambda self: self._charges())
    @rule(data=st.data(), by_intent=st.booleans(), amount=st.none() | st.integers(-5, 6000))
    def refund(self, data: st.DataObject, by_intent: bool, amount: int | None) -> None:
        charge = self.sim.charges.retrieve(data.draw(st.sampled_from(self._charges())))
        found: dict[str, Any] = (
            {"payment_intent": charge.payment_intent} if by_intent else {"charge": charge.id}
        )
        if amount is not None:
            found["amount"] = amount
        self._call(lambda: self.sim.refunds.create(**found))

    @rule(seconds=st.sampled_from([1, 30, 59, 60, 61, 3_600]))
    def advance_the_clock(self, seconds: int) -> None:
        self.sim.clock.advance(seconds=seconds)

    @invariant()
    def law_9_no_more_back_than_taken(self) -> None:
        state = self.sim.snapshot()
        counted: dict[str, int] = {}
        for refund in state.refunds:
            if refund.counts:
                counted[refund.charge] = counted.get(refund.charge, 0) + refund.amount
        for charge in state.charges:
            assert charge.amount_refunded == counted.get(charge.id, 0), charge
            assert 0 <= charge.amount_refunded <= charge.amount_captured, charge
            if charge.amount_refunded:
                assert charge.status is ChargeStatus.SUCCEEDED, charge

    @invariant()
    def law_10_refunds_change_only_later(self) -> None:
        now = self.sim.clock.now()
        for refund in self.sim.snapshot().refunds:
            status = refund.status.value
            before = self.refund_seen.get(refund.id)
            if before is not None and before[0] != status:
                assert status in LATER[before[0]], (refund.id, before, status)
                assert now > before[1], (refund.id, "changed while the clock stood still")
            self.refund_seen[refund.id] = (status, now)

    @invariant()
    def law_11_nothing_waits_past_its_time(self) -> None:
        now = self.sim.clock.now()
        for refund in self.sim.snapshot().refunds:
            assert refund.changes_at is None or refund.changes_at > now, refund


MoneyMachine.TestCase.settings = settings(stateful_step_count=40)
TestMoney = MoneyMachine.TestCase
