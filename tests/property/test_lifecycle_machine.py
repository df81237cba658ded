"""The attach lifecycle's laws, checked after every step of random API call sequences.

A hypothesis ``RuleBasedStateMachine`` drives ``pmsim.Simulator`` through its public Python API
only: customers are created (some with a payment method), cards are made from tokens, test ids
and raw numbers, attached anywhere (another customer's, detached, deleted customers' too),
detached, made the default, updated and deleted, and the clock moves. A small model predicts
each call's outcome (success, or which Stripe errors are acceptable) and the events it emits.

The laws, checked after every step:

1. a payment method belongs to at most one customer, and each customer's list is exactly the
   payment methods whose ``customer`` is that customer;
2. a customer's default payment method, when set, is attached to that customer;
3. a detached payment method (detached directly, or by deleting its customer) never becomes
   usable again;
4. a failed call changes nothing: the snapshot is unchanged, and a third simulator that only
   ever saw the calls that succeeded ends up byte-identical (so a failure burns no ids either);
5. the same seed and the same calls give identical state (a twin simulator gets every call).

Events list newest first, with ``created`` never increasing, each in the account's API
version. The machine runs on the newest API version (the default) and on the oldest pmsim
simulates.

When a run fails, hypothesis prints it shrunk, followed by the same run as a scenario file
(recorded from the twin, which gets every call): save it and ``pmsim run`` replays it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pytest
from hypothesis import note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)

from pmsim import CardError, InvalidRequestError, PMState, Simulator, StripeError, record
from pmsim.domain import versions
from pmsim.domain.versions import ApiVersion
from tests.support import (
    ALREADY_ATTACHED,
    NOT_ATTACHED,
    NOT_REUSABLE,
    assert_state_survives_saving_and_forking,
)

# --- What the tests know about Stripe, written out independently of pmsim's tables ---------

MUST_SAVE = "You must save this PaymentMethod to a customer before you can update it."
DEFAULT_PARAM = "invoice_settings[default_payment_method]"
UNKNOWN_CUSTOMER = "cus_doesNotExist00"
UNKNOWN_PM = "pm_doesNotExist0000000000"

ANY: Any = object()  # "do not check this field"


@dataclass(frozen=True)
class Decline:
    code: str
    decline_code: str | None
    message: str


@dataclass(frozen=True)
class Kind:
    """One test card, with every way of naming it and whether attaching it declines."""

    token: str
    test_id: str
    number: str
    last4: str
    decline: Decline | None = None


DECLINED = "Your card was declined."
KINDS: dict[str, Kind] = {
    "visa": Kind("tok_visa", "pm_card_visa", "4242424242424242", "4242"),
    "mastercard": Kind("tok_mastercard", "pm_card_mastercard", "5555555555554444", "4444"),
    "amex": Kind("tok_amex", "pm_card_amex", "378282246310005", "0005"),
    # attaches fine; only charges fail
    "charge_customer_fail": Kind(
        "tok_chargeCustomerFail", "pm_card_chargeCustomerFail", "4000000000000341", "0341"
    ),
    "generic_decline": Kind(
        "tok_visa_chargeDeclined",
        "pm_card_visa_chargeDeclined",
        "4000000000000002",
        "0002",
        Decline("card_declined", "generic_decline", DECLINED),
    ),
    "insufficient_funds": Kind(
        "tok_visa_chargeDeclinedInsufficientFunds",
        "pm_card_visa_chargeDeclinedInsufficientFunds",
        "4000000000009995",
        "9995",
        Decline("card_declined", "insufficient_funds", "Your card has insufficient funds."),
    ),
    "expired_card": Kind(
        "tok_chargeDeclinedExpiredCard",
        "pm_card_chargeDeclinedExpiredCard",
        "4000000000000069",
        "0069",
        Decline("expired_card", ANY, "Your card has expired."),
    ),
    # declines only when a CVC was given; tokens and test ids count as given
    "incorrect_cvc": Kind(
        "tok_chargeDeclinedIncorrectCvc",
        "pm_card_chargeDeclinedIncorrectCvc",
        "4000000000000127",
        "0127",
        Decline("incorrect_cvc", ANY, "Your card's security code is incorrect."),
    ),
}
# Cards that attach are drawn twice as often as declines, so that lifecycles get long.
kinds = st.sampled_from(
    [name for name, kind in KINDS.items() for _ in range(1 if kind.decline else 2)]
)


@dataclass(frozen=True)
class Expected:
    """One acceptable Stripe error; ``ANY`` fields are not checked."""

    cls: type[StripeError]
    message: str | Any
    status: int = 400
    code: str | None | Any = ANY
    param: str | None | Any = ANY
    decline_code: str | None | Any = ANY

    def matches(self, err: StripeError) -> bool:
        wanted = (self.message, self.status, self.code, self.param, self.decline_code)
        actual = (err.message, err.http_status, err.code, err.param, err.decline_code)
        return type(err) is self.cls and all(
            w is ANY or w == a for w, a in zip(wanted, actual, strict=True)
        )


def no_such_customer(customer_id: str, *, in_path: bool) -> Expected:
    return Expected(
        InvalidRequestError,
        f"No such customer: '{customer_id}'",
        404 if in_path else 400,
        "resource_missing",
        "id" if in_path else "customer",
    )


def no_such_pm(pm_id: str, *, param: str = "payment_method", in_path: bool = False) -> Expected:
    return Expected(
        InvalidRequestError,
        f"No such PaymentMethod: '{pm_id}'",
        404 if in_path else 400,
        "resource_missing",
        param,
    )


def lifecycle_error(message: str) -> Expected:
    """The attach-lifecycle refusals: 400, no code, no param (docs/fidelity.md, settled choices
    (c) and (g); likewise detaching a card that is not attached)."""
    return Expected(InvalidRequestError, message, 400, None, None)


def default_not_attached(pm_id: str) -> Expected:
    return Expected(
        InvalidRequestError,
        f"The customer does not have a payment method with the ID {pm_id}. The payment method "
        "must be attached to the customer.",
        param=DEFAULT_PARAM,
    )


def card_declined(decline: Decline) -> Expected:
    return Expected(CardError, decline.message, 402, decline.code, ANY, decline.decline_code)


def metadata_errors(key: str, value: str) -> list[Expected]:
    """Every metadata error that applies; which one Stripe names first is not a law."""
    found = []
    if len(key) > 40:
        found.append(f"Invalid key: {key} must be a string under 40 characters")
    if "[" in key or "]" in key:
        found.append(f"Invalid key: {key} must not contain square brackets ('[' or ']')")
    if len(value) > 500:
        found.append(f"Invalid val: {value} must be a string under 500 characters")
    return [Expected(InvalidRequestError, message, param="metadata") for message in found]


NUMBER = {"exp_month": 12, "exp_year": 2040}
MISSING_CUSTOMER = Expected(
    InvalidRequestError,
    "Missing required param: customer.",
    code="parameter_missing",
    param="customer",
)

#: Calls that fail in every state, with the error each must raise.
REFUSED: dict[str, tuple[Callable[[Simulator], Any], Expected]] = {
    "unknown token": (
        lambda s: s.payment_methods.create(type="card", card={"token": "tok_doesNotExist"}),
        Expected(InvalidRequestError, "Invalid token id: tok_doesNotExist", param="token"),
    ),
    "test id as a token": (
        lambda s: s.payment_methods.create(type="card", card={"token": "pm_card_visa"}),
        Expected(InvalidRequestError, "Invalid token id: pm_card_visa", param="token"),
    ),
    "number failing Luhn": (
        lambda s: s.payment_methods.create(
            type="card", card={"number": "4242424242424241", **NUMBER}
        ),
        Expected(CardError, "Your card number is incorrect.", 402, "incorrect_number"),
    ),
    "live card": (
        lambda s: s.payment_methods.create(
            type="card", card={"number": "4111111111111111", **NUMBER}
        ),
        Expected(CardError, ANY, 402, "card_declined", ANY, "test_mode_live_card"),
    ),
    "retrieve unknown customer": (
        lambda s: s.customers.retrieve(UNKNOWN_CUSTOMER),
        no_such_customer(UNKNOWN_CUSTOMER, in_path=True),
    ),
    "list unknown customer's cards": (
        lambda s: s.customers.list_payment_methods(UNKNOWN_CUSTOMER),
        no_such_customer(UNKNOWN_CUSTOMER, in_path=True),
    ),
    "attach to unknown customer": (
        lambda s: s.payment_methods.attach("pm_card_visa", customer=UNKNOWN_CUSTOMER),
        no_such_customer(UNKNOWN_CUSTOMER, in_path=False),
    ),
    "detach unknown payment method": (
        lambda s: s.payment_methods.detach(UNKNOWN_PM),
        no_such_pm(UNKNOWN_PM, in_path=True),
    ),
    "attach without customer": (
        lambda s: s.payment_methods.attach("pm_card_visa"),
        MISSING_CUSTOMER,
    ),
}


# --- The model -------------------------------------------------------------------------------


@dataclass
class PMModel:
    kind: str
    cvc_given: bool
    customer: str | None = None
    state: PMState = PMState.NEW
    metadata: dict[str, str] = field(default_factory=dict)

    def attach_decline(self) -> Decline | None:
        decline = KINDS[self.kind].decline
        if decline is None or (decline.code == "incorrect_cvc" and not self.cvc_given):
            return None
        return decline


@dataclass
class CustomerModel:
    deleted: bool = False
    default: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)


Events = list[tuple[str, str]]  # (event type, id of the event's object), oldest first


def walk(fetch: Callable[..., Any], limit: int = 100) -> list[Any]:
    """Every item of a Stripe list, following ``starting_after`` from page to page."""
    items: list[Any] = []
    page = fetch(limit=limit)
    while True:
        items.extend(page.data)
        if not page.has_more:
            return items
        assert page.data, "has_more with an empty page"
        page = fetch(limit=limit, starting_after=page.data[-1].id)


# Mostly valid; a 40-character key is the longest allowed, 41 is one too many.
metadata_keys = st.sampled_from(["a", "b", "ab", "plan", "tier"] * 3 + ["k" * 40, "k" * 41, "x[y]"])
metadata_values = st.sampled_from(["", "pro", "free", 12] * 3 + ["v" * 501])


class LifecycleMachine(RuleBasedStateMachine):
    customers = Bundle("customers")
    payment_methods = Bundle("payment_methods")
    #: The account's API version the run answers as.
    api_version: ClassVar[ApiVersion] = versions.NEWEST

    def __init__(self) -> None:
        super().__init__()
        self._start(0)  # invariants run before the first step; choose_seed starts afresh

    def _start(self, seed: int) -> None:
        version = self.api_version
        self.sim = Simulator(seed=seed, api_version=version)
        self.twin = Simulator(seed=seed, api_version=version)  # every call (law 5)
        self.recording = record(self.twin).__enter__()  # printed as a scenario on failure
        self.clean = Simulator(seed=seed, api_version=version)  # only calls that succeeded (law 4)
        self.pms: dict[str, PMModel] = {}  # in creation order
        self.cus: dict[str, CustomerModel] = {}  # in creation order
        self.dead: set[str] = set()  # every payment method ever detached
        self.new_events: list[dict[str, Any]] = []  # what the last successful call emitted

    @initialize(seed=st.integers(0, 2**32 - 1))
    def choose_seed(self, seed: int) -> None:
        self._start(seed)

    # --- running one call on all three simulators ---------------------------------------

    def _call(
        self, op: Callable[[Simulator], Any], expected: list[Expected]
    ) -> tuple[Any, Events | None]:
        """Run ``op``; ``expected`` lists the acceptable errors (empty: it must succeed).

        Returns the result and the events it emitted, or ``(None, None)`` when it failed.
        """
        before = self.sim.snapshot()
        try:
            result = op(self.sim)
        except StripeError as err:
            assert self.sim.snapshot() == before, f"failed call changed the state: {err!r}"
            assert expected, f"the call should have succeeded, but raised {err!r}"
            assert any(e.matches(err) for e in expected), f"{err!r} is none of {expected}"
            with pytest.raises(StripeError) as twin_err:
                op(self.twin)
            assert type(twin_err.value) is type(err)
            assert twin_err.value.to_dict() == err.to_dict()
            return None, None
        assert not expected, f"expected one of {expected}, but the call succeeded: {result!r}"
        twin_result = op(self.twin)
        clean_result = op(self.clean)
        assert twin_result.to_dict() == result.to_dict() == clean_result.to_dict()
        self.new_events = [e.to_dict() for e in self.sim.snapshot().events[len(before.events) :]]
        now = self.sim.clock.now()
        assert all(event["created"] == now for event in self.new_events)
        events = [(event["type"], event["data"]["object"]["id"]) for event in self.new_events]
        return result, events

    def _previous(self, event_type: str) -> Any:
        """``previous_attributes`` of the one event of this type the last call emitted."""
        (event,) = [e for e in self.new_events if e["type"] == event_type]
        return event["data"].get("previous_attributes")

    def _live(self, customer_id: str) -> bool:
        return not self.cus[customer_id].deleted

    def _new_pm(self, pm: Any, kind: str, *, cvc_given: bool) -> None:
        assert pm.id not in self.pms, f"id {pm.id} was handed out twice"
        assert pm.created == self.sim.clock.now()
        assert pm.card.last4 == KINDS[kind].last4
        self.pms[pm.id] = PMModel(kind, cvc_given)

    def _attach_errors(self, model: PMModel, customer_id: str | None) -> list[Expected]:
        """Why attaching ``model`` to ``customer_id`` (None: a new one) must fail, if it must."""
        reasons = []
        if customer_id is not None and not self._live(customer_id):
            reasons.append(no_such_customer(customer_id, in_path=False))
        if model.customer is not None and model.customer != customer_id:
            reasons.append(lifecycle_error(ALREADY_ATTACHED))
        elif model.state is PMState.DETACHED:
            reasons.append(lifecycle_error(NOT_REUSABLE))
        elif model.state is PMState.NEW and (decline := model.attach_decline()) is not None:
            reasons.append(card_declined(decline))
        return reasons

    # --- customers -----------------------------------------------------------------------

    @rule(
        target=customers,
        kind=st.none() | kinds,
        default=st.sampled_from(["none", "the same test id", "another test id"]),
        email=st.none() | st.just("ada@example.com"),
        metadata=st.none() | st.dictionaries(metadata_keys, metadata_values, max_size=2),
    )
    def create_customer(self, kind, default, email, metadata):
        """Create a customer, sometimes attaching a test id and naming a default.

        The same test id as ``payment_method`` names the card made in this call;
        another test id names a card this customer does not have.
        """
        test_id = None if kind is None else KINDS[kind].test_id
        other_id = "pm_card_amex" if test_id == "pm_card_mastercard" else "pm_card_mastercard"
        default_id = {"none": None, "the same test id": test_id, "another test id": other_id}
        invoice_settings = None
        if default_id[default] is not None:
            invoice_settings = {"default_payment_method": default_id[default]}
        expected = []
        if default == "another test id":
            expected.append(default_not_attached(other_id))
        if metadata:
            expected += [e for k, v in metadata.items() for e in metadata_errors(k, str(v))]
        if kind is not None and (decline := KINDS[kind].decline) is not None:
            expected.append(card_declined(decline))
        cus, events = self._call(
            lambda s: s.customers.create(
                email=email,
                metadata=metadata,
                payment_method=test_id,
                invoice_settings=invoice_settings,
            ),
            expected,
        )
        if cus is None:
            return multiple()
        assert cus.id not in self.cus
        self.cus[cus.id] = CustomerModel(
            metadata={k: str(v) for k, v in (metadata or {}).items() if v != ""}
        )
        want: Events = [("customer.created", cus.id)]
        if kind is not None:
            (pm,) = self.sim.customers.list_payment_methods(cus.id).data
            self._new_pm(pm, kind, cvc_given=True)
            self.pms[pm.id].customer, self.pms[pm.id].state = cus.id, PMState.ATTACHED
            if invoice_settings:
                self.cus[cus.id].default = pm.id
            want.append(("payment_method.attached", pm.id))
        assert events == want
        return cus.id

    @rule(
        target=customers,
        pm_id=payment_methods,
        mode=st.sampled_from(["attach", "attach_and_default", "default_only"]),
    )
    def create_customer_with_existing_pm(self, pm_id, mode):
        """Attach an existing payment method at creation, or name it as a default only."""
        model = self.pms[pm_id]
        attach = mode != "default_only"
        settings_ = None if mode == "attach" else {"default_payment_method": pm_id}
        expected = self._attach_errors(model, None) if attach else [default_not_attached(pm_id)]
        cus, events = self._call(
            lambda s: s.customers.create(
                payment_method=pm_id if attach else None, invoice_settings=settings_
            ),
            expected,
        )
        if cus is None:
            return multiple()
        self.cus[cus.id] = CustomerModel(default=pm_id if settings_ else None)
        model.customer, model.state = cus.id, PMState.ATTACHED
        assert events == [("customer.created", cus.id), ("payment_method.attached", pm_id)]
        return cus.id

    @rule(
        cus_id=customers,
        value=st.sampled_from(["", "pm_card_visa", UNKNOWN_PM]),
    )
    def set_default_special(self, cus_id, value):
        """Clear the default, or name a test id / an unknown id as the default."""
        self._set_default(cus_id, value)

    @rule(cus_id=customers, pm_id=payment_methods)
    def set_default(self, cus_id, pm_id):
        self._set_default(cus_id, pm_id)

    def _set_default(self, cus_id: str, value: str) -> None:
        model = self.cus[cus_id]
        if model.deleted:
            expected = [no_such_customer(cus_id, in_path=True)]
        elif value == "":
            expected = []
        elif value in self.pms:
            attached_here = self.pms[value].customer == cus_id
            expected = [] if attached_here else [default_not_attached(value)]
        elif value.startswith("pm_card_"):
            expected = [default_not_attached(value)]
        else:
            expected = [no_such_pm(value, param=DEFAULT_PARAM)]
        result, events = self._call(
            lambda s: s.customers.update(
                cus_id, invoice_settings={"default_payment_method": value}
            ),
            expected,
        )
        if result is None:
            return
        new_default = value or None
        assert result.invoice_settings.default_payment_method == new_default
        old_default, model.default = model.default, new_default
        if new_default == old_default:
            assert events == [], "an update that changes nothing emits no event"
        else:
            assert events == [("customer.updated", cus_id)]
            want = {"invoice_settings": {"default_payment_method": old_default}}
            assert self._previous("customer.updated") == want

    @precondition(lambda self: any(pm.customer for pm in self.pms.values()))
    @rule(data=st.data())
    def set_default_to_own_pm(self, data):
        """The happy path of law 2, drawn from the model so that it happens often."""
        owned = [(pm.customer, pm_id) for pm_id, pm in self.pms.items() if pm.customer]
        cus_id, pm_id = data.draw(st.sampled_from(owned), label="customer, payment method")
        self._set_default(cus_id, pm_id)

    def _check_metadata_update(self, model, result, events, event_type, key, value):
        """The model follows a successful metadata update; the event names only what changed."""
        before = dict(model.metadata)
        if value == "":
            model.metadata.pop(key, None)
        else:
            model.metadata[key] = str(value)
        assert dict(result.metadata) == model.metadata
        if before == model.metadata:
            assert events == [], "an update that changes nothing emits no event"
        else:
            assert events == [(event_type, result.id)]
            assert self._previous(event_type) == {"metadata": {key: before.get(key)}}

    @rule(cus_id=customers, key=metadata_keys, value=metadata_values)
    def update_customer_metadata(self, cus_id, key, value):
        model = self.cus[cus_id]
        if model.deleted:
            expected = [no_such_customer(cus_id, in_path=True)]
        else:
            expected = metadata_errors(key, str(value))
        result, events = self._call(
            lambda s: s.customers.update(cus_id, metadata={key: value}), expected
        )
        if result is not None:
            self._check_metadata_update(model, result, events, "customer.updated", key, value)

    @rule(cus_id=customers)
    def delete_customer(self, cus_id):
        """Deleting a customer detaches its payment methods for good (docs/fidelity.md, settled
        choice (f))."""
        model = self.cus[cus_id]
        expected = [no_such_customer(cus_id, in_path=True)] if model.deleted else []
        result, events = self._call(lambda s: s.customers.delete(cus_id), expected)
        if result is None:
            return
        assert (result.id, result.deleted) == (cus_id, True)
        owned = [pm_id for pm_id, pm in self.pms.items() if pm.customer == cus_id]
        for pm_id in owned:
            self.pms[pm_id].customer, self.pms[pm_id].state = None, PMState.DETACHED
            self.dead.add(pm_id)
        model.deleted = True
        want = [("payment_method.detached", pm_id) for pm_id in owned]
        assert events == [*want, ("customer.deleted", cus_id)]

    # --- payment methods -----------------------------------------------------------------

    @rule(
        target=payment_methods,
        kind=kinds,
        how=st.sampled_from(["token", "token", "number_with_cvc", "number_without_cvc"]),
        metadata=st.none() | st.dictionaries(metadata_keys, metadata_values, max_size=2),
    )
    def create_pm(self, kind, how, metadata):
        """Create a card from a token or a raw test number; decline cards create fine."""
        card: dict[str, Any]
        if how == "token":
            card = {"token": KINDS[kind].token}
        else:
            year = self.sim.clock.datetime().year + 3
            card = {"number": KINDS[kind].number, "exp_month": 12, "exp_year": year}
            if how == "number_with_cvc":
                card["cvc"] = "123"
        expected = []
        if metadata:
            expected += [e for k, v in metadata.items() for e in metadata_errors(k, str(v))]
        pm, events = self._call(
            lambda s: s.payment_methods.create(type="card", card=card, metadata=metadata),
            expected,
        )
        if pm is None:
            return multiple()
        assert (pm.customer, pm.state) == (None, PMState.NEW)
        self._new_pm(pm, kind, cvc_given=how != "number_without_cvc")
        self.pms[pm.id].metadata = {k: str(v) for k, v in (metadata or {}).items() if v != ""}
        assert events == [], "Stripe emits no event for a new payment method"
        return pm.id

    @rule(pm_id=payment_methods, cus_id=customers)
    def attach(self, pm_id, cus_id):
        """Attach any payment method to any customer, whatever state either is in."""
        model = self.pms[pm_id]
        expected = self._attach_errors(model, cus_id)
        pm, events = self._call(
            lambda s: s.payment_methods.attach(pm_id, customer=cus_id), expected
        )
        if pm is None:
            return
        assert (pm.customer, pm.state) == (cus_id, PMState.ATTACHED)
        # the CVC check runs at attach, and only when a CVC was given
        assert pm.card.checks.cvc_check == ("pass" if model.cvc_given else None)
        was_attached = model.state is PMState.ATTACHED
        model.customer, model.state = cus_id, PMState.ATTACHED
        # re-attaching to the same customer is a no-op with no event (docs/fidelity.md, choice (b))
        assert events == ([] if was_attached else [("payment_method.attached", pm_id)])

    @rule(target=payment_methods, cus_id=customers, kind=kinds)
    def attach_test_id(self, cus_id, kind):
        """A test id such as pm_card_visa makes and attaches a new payment method."""
        expected = []
        if not self._live(cus_id):
            expected.append(no_such_customer(cus_id, in_path=False))
        if (decline := KINDS[kind].decline) is not None:
            expected.append(card_declined(decline))
        test_id = KINDS[kind].test_id
        pm, events = self._call(
            lambda s: s.payment_methods.attach(test_id, customer=cus_id), expected
        )
        if pm is None:
            return multiple()
        self._new_pm(pm, kind, cvc_given=True)
        self.pms[pm.id].customer, self.pms[pm.id].state = cus_id, PMState.ATTACHED
        assert events == [("payment_method.attached", pm.id)]
        return pm.id

    @precondition(lambda self: self.dead)
    @rule(data=st.data(), cus_id=customers)
    def attach_dead_pm(self, data, cus_id):
        """Law 3: a detached payment method can never be attached again, to anyone."""
        pm_id = data.draw(st.sampled_from(sorted(self.dead)), label="dead pm")
        expected = [lifecycle_error(NOT_REUSABLE)]
        if not self._live(cus_id):
            expected.append(no_such_customer(cus_id, in_path=False))
        self._call(lambda s: s.payment_methods.attach(pm_id, customer=cus_id), expected)

    @precondition(lambda self: any(pm.customer for pm in self.pms.values()))
    @rule(data=st.data())
    def detach_attached_pm(self, data):
        """Detach one that is attached (often its customer's default), drawn from the model."""
        owned = [pm_id for pm_id, pm in self.pms.items() if pm.customer]
        self.detach(data.draw(st.sampled_from(owned), label="attached payment method"))

    @rule(pm_id=payment_methods)
    def detach(self, pm_id):
        model = self.pms[pm_id]
        attached = model.state is PMState.ATTACHED
        expected = [] if attached else [lifecycle_error(NOT_ATTACHED)]
        pm, events = self._call(lambda s: s.payment_methods.detach(pm_id), expected)
        if pm is None:
            return
        assert (pm.id, pm.customer, pm.state) == (pm_id, None, PMState.DETACHED)
        owner = model.customer
        assert owner is not None
        model.customer, model.state = None, PMState.DETACHED
        self.dead.add(pm_id)
        assert self._previous("payment_method.detached") == {"customer": owner}
        if self.cus[owner].default == pm_id:  # clears the default (docs/fidelity.md, choice (a))
            self.cus[owner].default = None
            assert events == [("payment_method.detached", pm_id), ("customer.updated", owner)]
            want = {"invoice_settings": {"default_payment_method": pm_id}}
            assert self._previous("customer.updated") == want
        else:
            assert events == [("payment_method.detached", pm_id)]

    @rule(pm_id=payment_methods, key=metadata_keys, value=metadata_values)
    def update_pm_metadata(self, pm_id, key, value):
        """Only an attached payment method can be updated."""
        model = self.pms[pm_id]
        if model.state is not PMState.ATTACHED:
            expected = [lifecycle_error(MUST_SAVE)]
        else:
            expected = metadata_errors(key, str(value))
        pm, events = self._call(
            lambda s: s.payment_methods.update(pm_id, metadata={key: value}), expected
        )
        if pm is not None:
            self._check_metadata_update(model, pm, events, "payment_method.updated", key, value)

    @rule(cus_id=customers, pm_id=payment_methods)
    def retrieve_customer_payment_method(self, cus_id, pm_id):
        """Another customer's payment method is "No such PaymentMethod" (docs/fidelity.md
        "Customers and payment methods")."""
        if not self._live(cus_id):
            expected = [no_such_customer(cus_id, in_path=True)]
        elif self.pms[pm_id].customer != cus_id:
            expected = [no_such_pm(pm_id, in_path=True)]
        else:
            expected = []
        pm, events = self._call(
            lambda s: s.customers.retrieve_payment_method(cus_id, pm_id), expected
        )
        if pm is not None:
            assert (pm.id, pm.customer, events) == (pm_id, cus_id, [])

    # --- calls refused in any state, and time ----------------------------------------

    @precondition(lambda self: self.cus)
    @rule(which=st.sampled_from(sorted(REFUSED)))
    def refused_call(self, which):
        """Calls refused whatever the state: bad cards, unknown ids, a missing parameter."""
        op, expected = REFUSED[which]
        self._call(op, [expected])

    @precondition(lambda self: self.cus)
    @rule(seconds=st.integers(0, 3 * 86_400))
    def advance_clock(self, seconds):
        now = self.sim.clock.advance(seconds=seconds)
        assert self.twin.clock.advance(seconds=seconds) == now
        assert self.clean.clock.advance(seconds=seconds) == now

    # --- the laws ------------------------------------------------------------------------

    @invariant()
    def law_1_one_owner_and_lists_are_exact(self):
        all_pms = {pm_id: self.sim.payment_methods.retrieve(pm_id) for pm_id in self.pms}
        listed_somewhere: set[str] = set()
        for cus_id, model in self.cus.items():
            if model.deleted:
                assert self.sim.customers.retrieve(cus_id).deleted is True
                with pytest.raises(InvalidRequestError) as gone:
                    self.sim.customers.list_payment_methods(cus_id)
                assert gone.value.http_status == 404
                continue
            fetch = functools.partial(self.sim.customers.list_payment_methods, cus_id)
            listed = [pm.id for pm in walk(fetch)]
            assert [pm.id for pm in walk(fetch, limit=2)] == listed, "paging changed the list"
            assert len(set(listed)) == len(listed), f"{cus_id} lists a payment method twice"
            assert not listed_somewhere & set(listed), "a payment method is in two lists"
            listed_somewhere |= set(listed)
            owned = {pm_id for pm_id, pm in all_pms.items() if pm.customer == cus_id}
            assert set(listed) == owned, f"{cus_id} lists {listed}, but owns {owned}"
            # and the model agrees: newest first, exactly the ones it attached there
            want = [pm_id for pm_id, pm in reversed(self.pms.items()) if pm.customer == cus_id]
            assert listed == want
            # the same list through the other endpoint, and filtered by type
            other = walk(functools.partial(self.sim.payment_methods.list, customer=cus_id))
            assert [pm.id for pm in other] == listed
            cards = walk(functools.partial(fetch, type="card"))
            assert [pm.id for pm in cards] == listed
            assert fetch(type="sepa_debit").data == ()
        live = [cus.id for cus in walk(self.sim.customers.list)]
        assert live == [c for c, model in reversed(self.cus.items()) if not model.deleted]
        for pm_id, pm in all_pms.items():
            assert pm.customer == self.pms[pm_id].customer
            assert pm.state is self.pms[pm_id].state
            assert dict(pm.metadata) == self.pms[pm_id].metadata
            if pm.customer is not None:
                assert self._live(pm.customer), f"{pm_id} belongs to deleted {pm.customer}"
                assert pm.state is PMState.ATTACHED

    @invariant()
    def law_2_default_is_attached_to_its_customer(self):
        for cus_id, model in self.cus.items():
            if model.deleted:
                continue
            cus = self.sim.customers.retrieve(cus_id)
            default = cus.invoice_settings.default_payment_method
            assert default == model.default
            assert dict(cus.metadata) == model.metadata
            if default is not None:
                assert self.sim.payment_methods.retrieve(default).customer == cus_id
                mine = self.sim.customers.retrieve_payment_method(cus_id, default)
                assert mine.id == default

    @invariant()
    def law_3_detached_stays_dead(self):
        for pm_id in self.dead:
            pm = self.sim.payment_methods.retrieve(pm_id)
            assert (pm.customer, pm.state) == (None, PMState.DETACHED)

    @invariant()
    def law_4_and_5_twins_agree(self):
        state = self.sim.snapshot()
        assert self.twin.snapshot() == state, "same seed and same calls, different state"
        assert self.clean.snapshot() == state, "a failed call left a trace"
        assert [pm.id for pm in state.payment_methods] == list(self.pms)
        assert [c.id for c in state.customers] == list(self.cus)

    @invariant()
    def events_list_newest_first(self):
        events = walk(self.sim.events.list)
        created = [event.created for event in events]
        assert created == sorted(created, reverse=True)
        stored = [event["id"] for event in self.sim.snapshot().to_dict()["events"]]
        assert [event.id for event in events] == stored[::-1]
        assert {event.to_dict()["api_version"] for event in events} <= {self.api_version.name}
        pm_events = walk(functools.partial(self.sim.events.list, type="payment_method.*"))
        assert pm_events == [e for e in events if e.type.startswith("payment_method.")]

    def teardown(self) -> None:
        self.recording.__exit__(None, None, None)
        # Shown only for the failing run: the shrunk steps as a file pmsim run replays.
        note("The failing run as a scenario (save it as failing.yaml; pmsim run failing.yaml):")
        note(self.recording.to_yaml(name="Failing run found by the lifecycle state machine"))
        assert_state_survives_saving_and_forking(self.sim)


class LifecycleMachineOnTheOldestVersion(LifecycleMachine):
    """The same laws on the oldest API version pmsim simulates."""

    api_version = versions.OLDEST


LifecycleMachine.TestCase.settings = settings(stateful_step_count=30)
LifecycleMachineOnTheOldestVersion.TestCase.settings = settings(stateful_step_count=30)
TestLifecycle = LifecycleMachine.TestCase
TestLifecycleOnTheOldestVersion = LifecycleMachineOnTheOldestVersion.TestCase
