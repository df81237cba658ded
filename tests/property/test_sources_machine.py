"""The laws hold for legacy card sources too (hypothesis stateful testing).

Random sessions create customers (with a token as ``source`` or without), add cards to them
(good and declining tokens, a PaymentMethod passed as a source), replace the default with a
new token, choose a default among any cards (another customer's or a deleted one too), delete
cards and customers. After every step:

1. a card source belongs to exactly one customer, for good;
2. a customer's ``default_source`` is one of its own live cards, or None; a customer with
   live cards has a default;
3. a deleted card never comes back;
4. a failed call changes nothing;
5. the same calls from the same seed give the same state (checked at the end).
"""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from pmsim import Simulator, StripeError

TOKENS = ["tok_visa", "tok_mastercard", "tok_amex", "tok_visa_chargeDeclined", "pm_card_visa"]


class SourcesMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.sim = Simulator(seed=11)
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []
        self.owners: dict[str, str] = {}  # every card ever made → its customer
        self.deleted: set[str] = set()

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call ``customers.<name>``; a refusal must leave the state exactly as it was."""
        self.calls.append((name, args, kwargs))
        before = self.sim.snapshot()
        try:
            return getattr(self.sim.customers, name)(*args, **kwargs)
        except StripeError as err:
            assert self.sim.snapshot() == before, f"{name} failed and changed the state: {err!r}"
            return None

    def customers(self) -> list[str]:
        return [c.id for c in self.sim.snapshot().customers]

    def cards(self) -> list[str]:
        return sorted(self.owners)

    def note_cards(self) -> None:
        for card in self.sim.snapshot().sources:
            assert self.owners.setdefault(card.id, card.customer) == card.customer, card
            if card.deleted:
                self.deleted.add(card.id)

    @rule(token=st.none() | st.sampled_from(TOKENS))
    def create_customer(self, token: str | None) -> None:
        self.call("create", **({} if token is None else {"source": token}))
        self.note_cards()

    @rule(data=st.data(), token=st.sampled_from(TOKENS))
    def add_card(self, data: st.DataObject, token: str) -> None:
        if self.customers():
            self.call("create_source", data.draw(st.sampled_from(self.customers())), source=token)
            self.note_cards()

    @rule(data=st.data(), token=st.sampled_from(TOKENS))
    def replace_default(self, data: st.DataObject, token: str) -> None:
        if self.customers():
            self.call("update", data.draw(st.sampled_from(self.customers())), source=token)
            self.note_cards()

    @rule(data=st.data())
    def choose_default(self, data: st.DataObject) -> None:
        if self.customers() and self.cards():
            customer = data.draw(st.sampled_from(self.customers()))
            self.call("update", customer, default_source=data.draw(st.sampled_from(self.cards())))

    @rule(data=st.data())
    def delete_card(self, data: st.DataObject) -> None:
        if self.cards():
            card = data.draw(st.sampled_from(self.cards()))
            customer = data.draw(st.sampled_from([self.owners[card], *self.customers()]))
            self.call("delete_source", customer, card)
            self.note_cards()

    @rule(data=st.data())
    def delete_customer(self, data: st.DataObject) -> None:
        if self.customers():
            self.call("delete", data.draw(st.sampled_from(self.customers())))
            self.note_cards()

    @invariant()
    def cards_keep_their_owner_and_the_dead_stay_dead(self) -> None:
        for card in self.sim.snapshot().sources:
            assert self.owners.get(card.id, card.customer) == card.customer
            assert card.deleted or card.id not in self.deleted, f"{card.id} came back"

    @invariant()
    def a_default_is_one_of_the_customers_own_live_cards(self) -> None:
        state = self.sim.snapshot()
        live: dict[str, set[str]] = {}
        for card in state.sources:
            if not card.deleted:
                live.setdefault(card.customer, set()).add(card.id)
        for customer in state.customers:
            if customer.deleted:
                assert customer.id not in live, f"a deleted customer keeps cards: {customer.id}"
                continue
            own = live.get(customer.id, set())
            assert customer.default_source is None or customer.default_source in own
            assert (customer.default_source is None) == (not own), customer

    def teardown(self) -> None:
        twin = Simulator(seed=11)
        for name, args, kwargs in self.calls:
            with contextlib.suppress(StripeError):
                getattr(twin.customers, name)(*args, **kwargs)
        assert twin.snapshot() == self.sim.snapshot(), "same seed and calls, different state"


TestSources = SourcesMachine.TestCase
TestSources.settings = settings(TestSources.settings, stateful_step_count=25, deadline=None)
