"""The laws of money that moves, on top of the intent machine's (hypothesis stateful testing).

The intent machine's random sessions (``test_intent_machine.py``: intents, cards, customers,
declines, 3-D Secure, manual capture and captures) gain refunds (whole or partial, by charge or
by PaymentIntent, of any charge, including the refund test cards whose refunds change later),
authorizations captured in part or whole, and the clock moving forward (by up to 8 days), which
makes those later changes and expires authorizations. After every step, besides the intent
machine's laws:

9. a charge never gives back more than it took: its ``amount_refunded`` is the sum of its
   pending and succeeded refunds, at most its ``amount``; the refunds a caller made give back
   at most its ``amount_captured``, and the rest is what Stripe released of an authorization
   (``amount`` less ``amount_captured`` once captured, all of it if never captured); only a
   succeeded charge has refunds;
10. a refund moves only as Stripe's later changes move it (pending → succeeded, succeeded →
    failed) and only when the clock passes its time; a failed or settled one, or one that
    released an authorization, never moves again;
11. nothing waits past its time: after the clock moves, no refund is still due and no
    authorization is held past its charge's ``capture_before``;
12. an authorization holds its whole amount and nothing else: an intent in
    ``requires_capture`` has ``amount_capturable`` = ``amount`` and no ``amount_received``,
    and its charge is uncaptured and unrefunded, with ``capture_before``; once captured, the
    intent received what its charge captured, at most its amount, and holds nothing; a
    canceled authorization holds nothing and its charge is wholly released;
13. a US bank account is attached, set up or debited only once microdeposits have verified
    it, and every debit from one is made under a mandate of its own.

A failing run is printed as a scenario file that replays it (the intent machine's teardown).
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, precondition, rule

import pmsim
from pmsim.domain.charges import ChargeStatus
from pmsim.domain.lifecycle import PMState
from pmsim.domain.payment_intents import PaymentStatus
from tests.property.test_intent_machine import IntentMachine

#: Cards whose payments succeed, with ordinary refunds and ones that change later.
PAYING = ["pm_card_visa", "pm_card_pendingRefund", "pm_card_refundFail"]
WEEK = 7 * 86_400
#: Where a refund can go next: itself, or Stripe's later change.
#: US bank account test ids: ordinary, failing debits, microdeposits that cannot be sent.
ACCOUNTS = [
    "pm_usBankAccount_success", "pm_usBankAccount_insufficientFunds",
    "pm_usBankAccount_failMicrodeposits", "pm_usBankAccount_processing",
]  # fmt: skip
#: What a customer reads back: verifying, ending codes, and wrong values.
READ_BACK = [
    {"descriptor_code": "SM11AA"}, {"amounts": [32, 45]}, {"descriptor_code": "SM33CC"},
    {"descriptor_code": "SM44DD"}, {"descriptor_code": "SM00XX"}, {"amounts": [1, 2]},
]  # fmt: skip
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

    @rule(
        card=st.sampled_from(PAYING),
        amount=st.integers(50, 5000),
        part=st.none() | st.integers(0, 5000),
        refund=st.none() | st.integers(1, 5000),
    )
    def authorize_and_capture(
        self, card: str, amount: int, part: int | None, refund: int | None
    ) -> None:
        """A manual-capture payment captured at once, whole or in part (or too much), then
        perhaps refunded: captures of fresh authorizations, and refunds after them."""
        held = self._call(lambda: self.sim.payment_intents.create(
            amount=amount, currency="usd", payment_method=card, confirm=True, off_session=True,
            capture_method="manual",
        ))  # fmt: skip
        if held is None:
            return
        sent: dict[str, Any] = {} if part is None else {"amount_to_capture": part}
        if self._call(lambda: self.sim.payment_intents.capture(held.id, **sent)) and refund:
            self._call(lambda: self.sim.refunds.create(payment_intent=held.id, amount=refund))

    @rule(
        data=st.data(), account=st.sampled_from(ACCOUNTS), pay=st.booleans(),
        read=st.none() | st.sampled_from(READ_BACK), attach=st.booleans(),
    )  # fmt: skip
    def bank_account(
        self, data: st.DataObject, account: str, pay: bool, read: dict[str, Any] | None,
        attach: bool,
    ) -> None:  # fmt: skip
        """A US bank account saved by a SetupIntent, or paid from by a PaymentIntent, for a
        customer or none; maybe attached directly while unverified; its microdeposits read
        back (or not yet)."""
        customer = data.draw(st.none() | st.sampled_from(self._customers() or [None]))
        params: dict[str, Any] = {
            "payment_method": account, "confirm": True, "return_url": "https://example.com/r",
            "mandate_data": {"customer_acceptance": {"type": "offline"}},
        }  # fmt: skip
        params |= {} if customer is None else {"customer": customer}
        namespace: Any = self.sim.payment_intents if pay else self.sim.setup_intents
        extra = {"amount": 1500, "currency": "usd"} if pay else {}
        made = self._call(lambda: namespace.create(**params, **extra))
        if made is None or made.status.value != "requires_action":
            return
        pm = str(made.payment_method)
        if attach and customer is not None:
            self._call(lambda: self.sim.payment_methods.attach(pm, customer=customer))
        if read is None:
            return
        try:  # a wrong value is counted on the intent, then refused: not a failed call
            namespace.verify_microdeposits(made.id, **read)
        except pmsim.InvalidRequestError as err:
            assert str(err.code).startswith("payment_method_microdeposit_verification"), err

    @rule(seconds=st.sampled_from([1, 30, 59, 60, 61, 3_600, WEEK - 1, WEEK, 8 * 86_400]))
    def advance_the_clock(self, seconds: int) -> None:
        self.sim.clock.advance(seconds=seconds)

    @invariant()
    def law_9_no_more_back_than_taken(self) -> None:
        state = self.sim.snapshot()
        counted: dict[str, int] = {}
        asked: dict[str, int] = {}  # by callers, not released by Stripe
        for refund in state.refunds:
            if refund.counts:
                counted[refund.charge] = counted.get(refund.charge, 0) + refund.amount
                if not refund.releases:
                    asked[refund.charge] = asked.get(refund.charge, 0) + refund.amount
        for charge in state.charges:
            assert charge.amount_refunded == counted.get(charge.id, 0), charge
            assert 0 <= charge.amount_refunded <= charge.amount, charge
            assert asked.get(charge.id, 0) == charge.given_back <= charge.amount_captured, charge
            released = charge.amount - charge.amount_captured if charge.captured else None
            assert released in (None, charge.released), charge
            if charge.amount_refunded:
                assert charge.status is ChargeStatus.SUCCEEDED, charge

    @invariant()
    def law_10_refunds_change_only_later(self) -> None:
        now = self.sim.clock.now()
        for refund in self.sim.snapshot().refunds:
            status = refund.status.value
            before = self.refund_seen.get(refund.id)
            if refund.releases:
                assert status == "succeeded" and refund.changes_at is None, refund
            if before is not None and before[0] != status:
                assert status in LATER[before[0]], (refund.id, before, status)
                assert now > before[1], (refund.id, "changed while the clock stood still")
            self.refund_seen[refund.id] = (status, now)

    @invariant()
    def law_11_nothing_waits_past_its_time(self) -> None:
        now = self.sim.clock.now()
        state = self.sim.snapshot()
        for refund in state.refunds:
            assert refund.changes_at is None or refund.changes_at > now, refund
        charges = {charge.id: charge for charge in state.charges}
        for intent in state.payment_intents:
            if intent.status is PaymentStatus.REQUIRES_CAPTURE:
                deadline = charges[str(intent.latest_charge)].capture_before
                assert deadline is not None and deadline > now, intent

    @invariant()
    def law_12_an_authorization_holds_its_amount_until_it_ends(self) -> None:
        state = self.sim.snapshot()
        charges = {charge.id: charge for charge in state.charges}
        for intent in state.payment_intents:
            charge = charges.get(str(intent.latest_charge))
            if intent.status is PaymentStatus.REQUIRES_CAPTURE:
                assert (intent.amount_capturable, intent.amount_received) == (intent.amount, 0)
                assert charge is not None and not charge.captured, (intent, charge)
                assert (charge.amount_captured, charge.amount_refunded) == (0, 0), charge
                assert charge.capture_before is not None, charge
                continue
            assert intent.amount_capturable == 0, intent
            manual = intent.capture_method == "manual"
            if manual and intent.status is PaymentStatus.SUCCEEDED:
                assert charge is not None and charge.captured, (intent, charge)
                assert 0 < intent.amount_received == charge.amount_captured <= intent.amount
            if manual and intent.status is PaymentStatus.CANCELED and charge is not None:
                authorized = charge.status is ChargeStatus.SUCCEEDED  # not a decline
                assert not authorized or (not charge.captured and charge.refunded), charge

    @invariant()
    def law_13_bank_accounts_are_verified_and_mandated(self) -> None:
        state = self.sim.snapshot()
        pms = {pm.id: pm for pm in state.payment_methods}
        mandates = {mandate.id: mandate for mandate in state.mandates}
        for pm in pms.values():
            account = pm.us_bank_account
            if account is not None and pm.state in (PMState.ATTACHED, PMState.SET_UP):
                assert account.verified, pm
        for charge in state.charges:
            if charge.payment_method_type == "us_bank_account":
                assert pms[charge.payment_method].us_bank_account.verified, charge
                assert mandates[str(charge.mandate)].payment_method == charge.payment_method


MoneyMachine.TestCase.settings = settings(stateful_step_count=40)
TestMoney = MoneyMachine.TestCase
