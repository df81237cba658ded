"""The laws hold when cards are saved or used through intents (hypothesis stateful testing).

Random sessions mix SetupIntents and PaymentIntents (with and without customers and
``setup_future_usage``, on and off session, captured at once or manually, declining and 3-D
Secure cards, confirmations, updates, captures, cancellations, authentication outcomes) with
bare attaches, detaches and customer deletions. After every step:

1. a payment method belongs to at most one customer, and the indexes agree;
2. a default is attached to its customer;
3. a detached or used-up payment method never comes back;
4. an intent only moves along ``TRANSITIONS``, and a succeeded or canceled one never moves; a
   payment without a customer or ``setup_future_usage`` uses its card up, while a SetupIntent
   without a customer only sets it up (attachable once);
5. a failed call changes nothing, except the one change Stripe makes: a card declined while
   confirming is recorded on its intent (``requires_payment_method``, ``last_setup_error``);
6. replaying the recorded session gives the same state (checked at the end);
7. a card moves along the lifecycle table, one action a step, keeping its customer while it
   is attached: so a set-up card is attached once, to one customer, and no intent succeeds
   with it (or, with manual capture, is authorized with it) before that;
8. an on-session confirmation of an intent that may redirect (automatic payment methods, the
   default) without a ``return_url`` changes nothing;
9. a bank debit (SEPA Direct Debit) is never debited, nor saved for later by a SetupIntent,
   without a mandate of its own, and detaching it ends its mandates.

Bank debits are paid and set up with and without ``mandate_data``, saved and not, and the
clock moves now and then, so that their payments are answered.

Intents are made with automatic payment methods, with ``allow_redirects=never`` or, on the
versions that still take it, with ``payment_method_types``; on-session confirmations mostly
send a ``return_url``. The machine runs on the newest API version (the default) and on the
oldest pmsim simulates.

A failing run is printed as a scenario file that replays it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from hypothesis import note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import pmsim
from pmsim import CardError, Simulator, StripeError
from pmsim.domain import payment_intents as payments
from pmsim.domain import setup_intents as setups
from pmsim.domain import versions
from pmsim.domain.errors import PmsimUsageError
from pmsim.domain.lifecycle import TRANSITIONS, PMState
from pmsim.domain.versions import ApiVersion
from tests.support import assert_state_survives_saving_and_forking

CARDS = [
    "pm_card_visa", "pm_card_mastercard", "pm_card_visa_chargeDeclined",
    "pm_card_chargeDeclinedExpiredCard", "pm_card_authenticationRequired",
    "pm_card_threeDSecure2Required", "pm_card_authenticationRequiredSetupForOffSession",
    "pm_card_chargeCustomerFail", "pm_card_authenticationRequiredOnSetup",
    "pm_card_threeDSecureRequiredChargeDeclined",
]  # fmt: skip
#: SEPA Direct Debit test ids: succeeding and failing, at once and after three minutes.
DEBITS = [
    "pm_sepaDebit_success_de", "pm_sepaDebit_failed_at", "pm_sepaDebit_successDelayed_de",
    "pm_sepaDebit_insufficientFunds_at",
]  # fmt: skip
#: ``mandate_data`` a bank debit's confirmation sends: none, offline, online.
MANDATES: list[dict[str, Any] | None] = [
    None,
    {"customer_acceptance": {"type": "offline"}},
    {"customer_acceptance": {"type": "online",
                             "online": {"ip_address": "192.0.2.1", "user_agent": "pmsim"}}},
]  # fmt: skip
TERMINAL = {"succeeded", "canceled"}
#: These have a payment method.
WAITING = {
    "requires_confirmation", "requires_action", "requires_capture", "processing", "succeeded"
}  # fmt: skip
DEAD = {PMState.DETACHED, PMState.CONSUMED}
#: Where a card set up without a customer can be later: still set up, attached once, detached.
SET_UP_SINCE = {PMState.SET_UP, PMState.ATTACHED, PMState.DETACHED}
RETURN_URL = "https://example.com/return"
#: Whether an on-session confirmation sends a return_url: mostly, so that most go through.
SENDS_RETURN_URL = st.sampled_from([True, True, True, False])
#: How an intent says which payment methods it accepts: by default (automatic, redirects
#: allowed), automatic without redirects, or by listing them (before endive only).
ACCEPTS: dict[str, dict[str, Any]] = {
    "automatic": {},
    "never_redirect": {"automatic_payment_methods": {"enabled": True, "allow_redirects": "never"}},
    "listed": {"payment_method_types": ["card"]},
    "listed_debits": {"payment_method_types": ["sepa_debit"]},
}


def _next_states() -> dict[PMState, set[PMState]]:
    """Each lifecycle state and the states one allowed action (or none) can take it to."""
    found = {state: {state} for state in PMState}
    for (state, _), after in TRANSITIONS.items():
        if isinstance(after, PMState):
            found[state].add(after)
    return found


NEXT = _next_states()
#: Each status (by value) and where any one action can take it, for both kinds of intent.
REACHABLE = {
    (kind, status.value): {s.value for s in frozenset().union(*(table[status, a] for a in acts))}
    for kind, table, statuses, acts in (
        ("seti", setups.TRANSITIONS, setups.SetupStatus, setups.SetupAction),
        ("pi", payments.TRANSITIONS, payments.PaymentStatus, payments.PaymentAction),
    )
    for status in statuses
}


class IntentMachine(RuleBasedStateMachine):
    #: The account's API version the run answers as.
    api_version: ClassVar[ApiVersion] = versions.NEWEST

    def __init__(self) -> None:
        super().__init__()
        self._start(0)

    def _start(self, seed: int) -> None:
        self.sim = Simulator(seed=seed, api_version=self.api_version)
        self.recording = pmsim.record(self.sim).__enter__()
        self.seed = seed
        self.dead: set[str] = set()
        self.seen: dict[str, str] = {}  # each intent's status after the last step
        self.cards: dict[str, tuple[PMState, str | None]] = {}  # after the last step (law 7)
        self.succeeded: set[str] = set()  # the intents law 7 has seen succeed

    @initialize(seed=st.integers(0, 2**32 - 1))
    def choose_seed(self, seed: int) -> None:
        self._start(seed)

    def _call(self, call: Any) -> Any:
        """Run one call; a refusal must change nothing, a decline only its intent (law 5)."""
        before = self.sim.snapshot()
        try:
            return call()
        except CardError as err:
            after = self.sim.snapshot()
            body = err.to_dict()["error"]
            intent = body.get("setup_intent") or body.get("payment_intent")
            if intent is None:
                assert after == before, f"a declined attach changed the state: {err!r}"
            else:
                assert after.customers == before.customers
                assert intent["status"] == "requires_payment_method"
                last = intent.get("last_setup_error") or intent.get("last_payment_error")
                assert last["type"] == "card_error"
        except (StripeError, PmsimUsageError) as err:
            assert self.sim.snapshot() == before, f"a refused call changed the state: {err!r}"
        return None

    def _confirming(self, call: Callable[[], Any], needs_return_url: bool) -> None:
        """Run a confirmation; one that needed a return_url and sent none changes nothing
        (law 8)."""
        before = self.sim.snapshot()
        self._call(call)
        if needs_return_url:
            assert self.sim.snapshot() == before, "confirmed on-session without a return_url"

    def _accepts(self, data: st.DataObject) -> tuple[dict[str, Any], bool]:
        """What a create sends about payment methods, and whether the intent may redirect."""
        ways = [way for way in ACCEPTS if not way.startswith("listed") or self._types_allowed]
        way = data.draw(st.sampled_from(ways), label="accepts")
        return ACCEPTS[way], way == "automatic"

    @property
    def _types_allowed(self) -> bool:
        return not versions.PAYMENT_METHOD_TYPES_REMOVED.holds(self.api_version)

    def _redirects(self, intent: str) -> bool:
        """Whether confirming ``intent`` on-session needs a return_url."""
        state = self.sim.snapshot()
        found = {i.id: i for i in (*state.setup_intents, *state.payment_intents)}[intent]
        methods = found.automatic_payment_methods
        return methods is not None and methods.redirects

    def _customers(self) -> list[str]:
        return [c.id for c in self.sim.customers.list(limit=100).data]

    def _intents(self) -> list[str]:
        state = self.sim.snapshot()
        return [intent.id for intent in (*state.setup_intents, *state.payment_intents)]

    def _cards(self) -> list[str]:
        return [pm.id for pm in self.sim.snapshot().payment_methods]

    def _debits(self) -> list[str]:
        return [pm.id for pm in self.sim.snapshot().payment_methods if pm.type == "sepa_debit"]

    # --- rules ------------------------------------------------------------------------------

    @rule()
    def create_customer(self) -> None:
        self._call(self.sim.customers.create)

    @precondition(lambda self: self._cards())
    @rule(data=st.data())
    def create_customer_with_card(self, data: st.DataObject) -> None:
        card = data.draw(st.sampled_from(self._cards()))
        self._call(lambda: self.sim.customers.create(payment_method=card))

    @precondition(lambda self: self._customers())
    @rule(data=st.data())
    def delete_customer(self, data: st.DataObject) -> None:
        customer = data.draw(st.sampled_from(self._customers()))
        self._call(lambda: self.sim.customers.delete(customer))

    @rule(
        data=st.data(), card=st.none() | st.sampled_from(CARDS), confirm=st.booleans(),
        back=SENDS_RETURN_URL,
    )  # fmt: skip
    def create_intent(
        self, data: st.DataObject, card: str | None, confirm: bool, back: bool
    ) -> None:
        customer = data.draw(st.none() | st.sampled_from(self._customers() or [None]))
        accepts, redirects = self._accepts(data)
        params: dict[str, Any] = {"confirm": confirm, **accepts}
        if customer is not None:
            params["customer"] = customer
        if card is not None:
            params["payment_method"] = card
        if confirm and back:
            params["return_url"] = RETURN_URL
        needs = confirm and redirects and not back
        self._confirming(lambda: self.sim.setup_intents.create(**params), needs)

    @rule(
        data=st.data(), card=st.none() | st.sampled_from(CARDS), confirm=st.booleans(),
        future=st.sampled_from([None, "on_session", "off_session"]), unattended=st.booleans(),
        back=SENDS_RETURN_URL, capture=st.sampled_from([None, None, "manual"]),
    )  # fmt: skip
    def create_payment(
        self, data: st.DataObject, card: str | None, confirm: bool, future: str | None,
        unattended: bool, back: bool, capture: str | None,
    ) -> None:  # fmt: skip
        customer = data.draw(st.none() | st.sampled_from(self._customers() or [None]))
        accepts, redirects = self._accepts(data)
        params: dict[str, Any] = {"amount": 1000, "currency": "usd", "confirm": confirm}
        extras = {"customer": customer, "payment_method": card, "setup_future_usage": future,
                  "capture_method": capture}  # fmt: skip
        params |= {key: value for key, value in extras.items() if value is not None} | accepts
        if confirm and unattended:
            params["off_session"] = True  # off-session: no customer to send back
        elif confirm and back:
            params["return_url"] = RETURN_URL
        needs = confirm and redirects and not unattended and not back
        self._confirming(lambda: self.sim.payment_intents.create(**params), needs)

    @precondition(lambda self: self._cards())
    @rule(data=st.data(), payment=st.booleans(), future=st.sampled_from([None, "off_session"]))
    def use_a_card_again(self, data: st.DataObject, payment: bool, future: str | None) -> None:
        """An intent made and confirmed at once, on-session, with a card that exists already
        (new, set up, used up, saved or detached), for a customer or none."""
        card = data.draw(st.sampled_from(self._cards()))
        customer = data.draw(st.none() | st.sampled_from(self._customers() or [None]))
        params: dict[str, Any] = {"payment_method": card, "confirm": True, "return_url": RETURN_URL}
        params |= {} if customer is None else {"customer": customer}
        if not payment:
            self._call(lambda: self.sim.setup_intents.create(**params))
            return
        params |= {} if future is None else {"setup_future_usage": future}
        self._call(lambda: self.sim.payment_intents.create(amount=1000, currency="usd", **params))

    @rule(
        data=st.data(), setup=st.booleans(), mandate=st.sampled_from(MANDATES),
        future=st.sampled_from([None, "off_session"]), unattended=st.booleans(),
    )  # fmt: skip
    def bank_debit(
        self, data: st.DataObject, setup: bool, mandate: dict[str, Any] | None,
        future: str | None, unattended: bool,
    ) -> None:  # fmt: skip
        """A SEPA Direct Debit set up or paid (in euros) at once: a new one from a test id or
        one that exists, for a customer or none, with or without ``mandate_data``."""
        debit = data.draw(st.sampled_from(DEBITS + self._debits()))
        customer = data.draw(st.none() | st.sampled_from(self._customers() or [None]))
        accepts, _ = self._accepts(data)
        params: dict[str, Any] = {"payment_method": debit, "confirm": True, **accepts}
        params |= {} if customer is None else {"customer": customer}
        params |= {} if mandate is None else {"mandate_data": mandate}
        if setup:
            params["return_url"] = RETURN_URL
            self._call(lambda: self.sim.setup_intents.create(**params))
            return
        params |= {} if future is None else {"setup_future_usage": future}
        params |= {"off_session": True} if unattended else {"return_url": RETURN_URL}
        self._call(lambda: self.sim.payment_intents.create(amount=1000, currency="eur", **params))

    @rule(minutes=st.integers(0, 4))
    def let_time_pass(self, minutes: int) -> None:
        """Banks answer the debits whose time has come (one minute, or three if delayed)."""
        self.sim.clock.advance(minutes=minutes)

    @precondition(lambda self: self._intents())
    @rule(data=st.data(), card=st.none() | st.sampled_from(CARDS), back=SENDS_RETURN_URL)
    def confirm(self, data: st.DataObject, card: str | None, back: bool) -> None:
        intent = data.draw(st.sampled_from(self._intents()))
        chosen = (
            card
            if card is not None
            else data.draw(st.none() | st.sampled_from(self._cards() or [None]))
        )
        kwargs: dict[str, Any] = {} if chosen is None else {"payment_method": chosen}
        kwargs |= {"return_url": RETURN_URL} if back else {}
        needs = not back and self._redirects(intent)
        self._confirming(lambda: self._namespace(intent).confirm(intent, **kwargs), needs)

    def _namespace(self, intent: str) -> Any:
        return self.sim.setup_intents if intent.startswith("seti_") else self.sim.payment_intents

    @precondition(lambda self: self._intents())
    @rule(data=st.data(), card=st.sampled_from(["", *CARDS]))
    def update_payment_method(self, data: st.DataObject, card: str) -> None:
        intent = data.draw(st.sampled_from(self._intents()))
        self._call(lambda: self._namespace(intent).update(intent, payment_method=card))

    @precondition(lambda self: self._intents())
    @rule(data=st.data())
    def cancel(self, data: st.DataObject) -> None:
        intent = data.draw(st.sampled_from(self._intents()))
        self._call(lambda: self._namespace(intent).cancel(intent))

    @precondition(lambda self: self.sim.snapshot().payment_intents)
    @rule(data=st.data(), amount=st.none() | st.integers(-5, 1500))
    def capture(self, data: st.DataObject, amount: int | None) -> None:
        """Capture any PaymentIntent, all it holds or ``amount`` (too much, or none, refused)."""
        payments = [intent.id for intent in self.sim.snapshot().payment_intents]
        intent = data.draw(st.sampled_from(payments))
        sent: dict[str, Any] = {} if amount is None else {"amount_to_capture": amount}
        self._call(lambda: self.sim.payment_intents.capture(intent, **sent))

    @precondition(lambda self: self._intents())
    @rule(data=st.data(), outcome=st.sampled_from(["succeed", "fail"]))
    def complete_three_d_secure(self, data: st.DataObject, outcome: str) -> None:
        intent = data.draw(st.sampled_from(self._intents()))
        self._call(lambda: self.sim.three_d_secure.complete(intent, outcome=outcome))

    @precondition(lambda self: self._customers())
    @rule(data=st.data())
    def attach(self, data: st.DataObject) -> None:
        card = data.draw(st.sampled_from(self._cards() + CARDS[:2]))
        customer = data.draw(st.sampled_from(self._customers()))
        self._call(lambda: self.sim.payment_methods.attach(card, customer=customer))

    @precondition(lambda self: self._cards())
    @rule(data=st.data())
    def detach(self, data: st.DataObject) -> None:
        card = data.draw(st.sampled_from(self._cards()))
        self._call(lambda: self.sim.payment_methods.detach(card))

    # --- laws -------------------------------------------------------------------------------

    @invariant()
    def law_1_one_owner(self) -> None:
        state = self.sim.snapshot()
        owners: dict[str, list[str]] = {}
        for customer in state.customers:
            if not customer.deleted:
                for pm in self.sim.payment_methods.list(customer=customer.id, limit=100):
                    owners.setdefault(pm.id, []).append(customer.id)
        for pm in state.payment_methods:
            found = owners.get(pm.id, [])
            assert found == ([pm.customer] if pm.customer else []), (pm.id, found)

    @invariant()
    def law_2_default_is_attached(self) -> None:
        state = self.sim.snapshot()
        pms = {pm.id: pm for pm in state.payment_methods}
        for customer in state.customers:
            default = customer.invoice_settings.default_payment_method
            if default is not None:
                assert pms[default].customer == customer.id

    @invariant()
    def law_3_dead_stays_dead(self) -> None:
        pms = {pm.id: pm for pm in self.sim.snapshot().payment_methods}
        for pm in pms.values():
            if pm.state in DEAD:
                self.dead.add(pm.id)
        for pm_id in self.dead:
            pm = pms[pm_id]
            assert pm.state in DEAD and pm.customer is None, pm

    @invariant()
    def law_4_intents_follow_the_table(self) -> None:
        state = self.sim.snapshot()
        pms = {pm.id: pm for pm in state.payment_methods}
        for intent in [*state.setup_intents, *state.payment_intents]:
            kind, status = intent.id.split("_")[0], intent.status.value
            before = self.seen.get(intent.id)
            if before is not None and before != status:
                assert before not in TERMINAL, (intent.id, before, status)
                assert status in REACHABLE[kind, before], (intent.id, before, status)
            if status in WAITING:
                assert intent.payment_method is not None, intent
            saving = getattr(intent, "setup_future_usage", None) is not None
            if status == "succeeded" and intent.customer is None and not saving:
                pm = pms[intent.payment_method]
                if kind == "pi":
                    assert pm.state is PMState.CONSUMED, (intent, pm)  # used up, never saved
                else:  # set up: it may have been attached (and detached) since
                    assert pm.state in SET_UP_SINCE, (intent, pm)
            self.seen[intent.id] = status

    @invariant()
    def law_7_cards_move_along_the_table(self) -> None:
        state = self.sim.snapshot()
        for pm in state.payment_methods:
            before, owner = self.cards.get(pm.id, (PMState.NEW, None))
            assert pm.state in NEXT[before], (pm.id, before, pm.state)
            if before is PMState.ATTACHED and pm.state is PMState.ATTACHED:
                assert pm.customer == owner, (pm.id, owner, pm.customer)
        for intent in [*state.setup_intents, *state.payment_intents]:
            # A payment uses its card when it is paid, authorized (manual capture) or submitted
            # to the bank (a bank debit processing): a later capture or the bank's answer
            # completes that use, whatever became of the card meanwhile (another SetupIntent
            # may set it up, which Stripe allows).
            used = intent.status.value in ("succeeded", "requires_capture", "processing")
            if used and intent.id not in self.succeeded:
                self.succeeded.add(intent.id)
                card = self.cards.get(str(intent.payment_method), (PMState.NEW, None))[0]
                assert card is not PMState.SET_UP, (intent, "used a set-up card")
        self.cards = {pm.id: (pm.state, pm.customer) for pm in state.payment_methods}

    @invariant()
    def law_9_no_bank_debit_without_a_mandate(self) -> None:
        state = self.sim.snapshot()
        mandates = {mandate.id: mandate for mandate in state.mandates}
        pms = {pm.id: pm for pm in state.payment_methods}
        for charge in state.charges:
            if charge.payment_method_type == "sepa_debit":
                assert mandates[str(charge.mandate)].payment_method == charge.payment_method
        for seti in state.setup_intents:
            pm = pms.get(seti.payment_method or "")
            if seti.status.value == "succeeded" and pm is not None and pm.type == "sepa_debit":
                assert mandates[str(seti.mandate)].payment_method == pm.id, seti
        for mandate in state.mandates:
            if pms[mandate.payment_method].state is PMState.DETACHED:
                assert not mandate.active, mandate

    def teardown(self) -> None:
        self.recording.__exit__(None, None, None)
        scenario = self.recording.scenario()
        replayed = Simulator(seed=self.seed, api_version=self.api_version)
        pmsim.replay(scenario, sim=replayed)
        assert replayed.snapshot() == self.sim.snapshot(), "law 6: the replay differs"
        assert_state_survives_saving_and_forking(self.sim)
        note(
            "The failing run as a scenario, on API version "
            f"{self.api_version} (save it as failing.yaml; replay it with pmsim.replay("
            f"pmsim.load_scenario('failing.yaml'), sim=pmsim.Simulator({self.seed}, "
            f"api_version={self.api_version.name!r}))):"
        )
        note(self.recording.to_yaml(name="Failing run found by the intent state machine"))


class IntentMachineOnTheOldestVersion(IntentMachine):
    """The same laws on the oldest API version pmsim simulates, where intents may still list
    their payment_method_types and capture_method defaults to automatic."""

    api_version = versions.OLDEST


IntentMachine.TestCase.settings = settings(stateful_step_count=25)
IntentMachineOnTheOldestVersion.TestCase.settings = settings(stateful_step_count=25)
TestIntents = IntentMachine.TestCase
TestIntentsOnTheOldestVersion = IntentMachineOnTheOldestVersion.TestCase
