"""Every object pmsim returns matches Stripe's OpenAPI subset (API version 2023-08-16).

Customers, deleted customers, payment methods (every test card, every way of naming it),
events and the list wrappers are checked against ``../shared/stripe-openapi/spec-subset.json``
with OpenAPI 3.0 semantics (see ``openapi_schemas``). Without the spec these tests skip.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import pytest
from openapi_schemas import (
    ENV_VAR,
    REPO_ROOT,
    SPEC_NAME,
    assert_component,
    assert_response,
    component_pointer,
    errors,
    require_spec,
    response_pointer,
    schema_at,
    spec_path,
)
from referencing.exceptions import Unresolvable

import pmsim
from pmsim.api.expand import expand
from pmsim.domain.cards import TEST_CARDS, TestCard
from pmsim.domain.events import EVENT_TYPES
from tests.support import RETURN_URL

Operation = tuple[str, str]

CUSTOMER_CREATE: Operation = ("post", "/v1/customers")
CUSTOMER_GET: Operation = ("get", "/v1/customers/{customer}")  # anyOf customer, deleted
CUSTOMER_UPDATE: Operation = ("post", "/v1/customers/{customer}")
CUSTOMER_DELETE: Operation = ("delete", "/v1/customers/{customer}")
CUSTOMER_PM_GET: Operation = ("get", "/v1/customers/{customer}/payment_methods/{payment_method}")
PM_CREATE: Operation = ("post", "/v1/payment_methods")
PM_GET: Operation = ("get", "/v1/payment_methods/{payment_method}")
PM_UPDATE: Operation = ("post", "/v1/payment_methods/{payment_method}")
PM_ATTACH: Operation = ("post", "/v1/payment_methods/{payment_method}/attach")
PM_DETACH: Operation = ("post", "/v1/payment_methods/{payment_method}/detach")
EVENT_GET: Operation = ("get", "/v1/events/{id}")
SETI_CREATE: Operation = ("post", "/v1/setup_intents")
SETI_GET: Operation = ("get", "/v1/setup_intents/{intent}")
SETI_UPDATE: Operation = ("post", "/v1/setup_intents/{intent}")
SETI_CONFIRM: Operation = ("post", "/v1/setup_intents/{intent}/confirm")
SETI_CANCEL: Operation = ("post", "/v1/setup_intents/{intent}/cancel")
PI_CREATE: Operation = ("post", "/v1/payment_intents")
PI_GET: Operation = ("get", "/v1/payment_intents/{intent}")
PI_UPDATE: Operation = ("post", "/v1/payment_intents/{intent}")
PI_CONFIRM: Operation = ("post", "/v1/payment_intents/{intent}/confirm")
PI_CANCEL: Operation = ("post", "/v1/payment_intents/{intent}/cancel")
PI_CAPTURE: Operation = ("post", "/v1/payment_intents/{intent}/capture")
CLOCK_CREATE: Operation = ("post", "/v1/test_helpers/test_clocks")
CLOCK_GET: Operation = ("get", "/v1/test_helpers/test_clocks/{test_clock}")
CLOCK_DELETE: Operation = ("delete", "/v1/test_helpers/test_clocks/{test_clock}")
CLOCK_ADVANCE: Operation = ("post", "/v1/test_helpers/test_clocks/{test_clock}/advance")
ACCOUNT_GET: Operation = ("get", "/v1/account")
ACCOUNT_BY_ID_GET: Operation = ("get", "/v1/accounts/{account}")

CUSTOMER_LIST = "/v1/customers"
CUSTOMER_PM_LIST = "/v1/customers/{customer}/payment_methods"
PM_LIST = "/v1/payment_methods"
EVENT_LIST = "/v1/events"
SETI_LIST = "/v1/setup_intents"
PI_LIST = "/v1/payment_intents"
CLOCK_LIST = "/v1/test_helpers/test_clocks"
ACCOUNT_LIST = "/v1/accounts"

ADDRESS = {
    "line1": "1 Main St",
    "line2": "Apt 2",
    "city": "Springfield",
    "state": "IL",
    "postal_code": "62701",
    "country": "US",
}
BILLING = {"address": ADDRESS, "email": "ada@example.com", "name": "Ada", "phone": "+15555550100"}
RAW_VISA = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}


@pytest.fixture
def stripe_spec() -> Any:
    return require_spec()


def check(obj: Any, component: str, *operations: Operation) -> dict[str, Any]:
    """``obj.to_dict()`` matches the component and each operation's 200 response schema."""
    rendered: dict[str, Any] = obj.to_dict()
    label = f"{type(obj).__name__} {rendered.get('id')}"
    assert_component(rendered, component, label=label)
    for method, path in operations:
        assert_response(rendered, method, path, label=f"{label} as {method.upper()} {path}")
    return rendered


def check_list(page: Any, path: str) -> dict[str, Any]:
    rendered: dict[str, Any] = page.to_dict()
    assert_response(rendered, "get", path, label=f"list {rendered.get('url')}")
    return rendered


def full_customer(sim: pmsim.Simulator) -> Any:
    return sim.customers.create(
        address=ADDRESS,
        balance=-250,
        description="A customer with every field",
        email="ada@example.com",
        invoice_settings={"default_payment_method": "pm_card_visa", "footer": "Thanks!"},
        metadata={"plan": "pro", "seat_count": "3"},
        name="Ada Lovelace",
        payment_method="pm_card_visa",
        phone="+15555550100",
        preferred_locales=["en", "fr"],
        shipping={"address": ADDRESS, "name": "Ada Lovelace", "phone": "+15555550101"},
        tax_exempt="exempt",
    )


class TestSpecLocation:
    """Where the spec is looked for, and the skip when it is not there (no spec needed)."""

    def test_default_is_shared_beside_the_repository(self, monkeypatch):
        monkeypatch.delenv(ENV_VAR, raising=False)
        expected = REPO_ROOT.parent / "shared" / "stripe-openapi" / SPEC_NAME
        assert spec_path() == expected

    def test_env_var_names_the_folder(self, monkeypatch, tmp_path):
        monkeypatch.setenv(ENV_VAR, str(tmp_path))
        assert spec_path() == tmp_path / SPEC_NAME

    def test_absent_spec_skips_with_the_path(self, monkeypatch, tmp_path):
        monkeypatch.setenv(ENV_VAR, str(tmp_path / "nowhere"))
        with pytest.raises(pytest.skip.Exception, match="not found at .*nowhere"):
            require_spec()


@pytest.mark.usefixtures("stripe_spec")
class TestValidatorIsStrict:
    """The checks below would be worthless if the validator accepted anything."""

    def test_spec_is_the_documented_version(self):
        assert schema_at("/info/version") == "2023-08-16"
        assert schema_at("/openapi").startswith("3.0")

    def test_stripes_own_fixtures_validate(self):
        path = spec_path().parent / "fixtures-subset.json"
        if not path.is_file():
            pytest.skip(f"Stripe OpenAPI fixtures not found at {path}")
        resources = json.loads(path.read_text(encoding="utf-8"))["resources"]
        for name in ("customer", "payment_method", "event"):
            assert_component(resources[name], name, label=f"fixture {name}")

    def test_customer_with_a_string_balance_fails(self, sim):
        customer = sim.customers.create().to_dict()
        assert errors(customer, component_pointer("customer")) == []
        found = errors({**customer, "balance": "x"}, component_pointer("customer"))
        assert found == ["['balance']: 'x' is not of type 'integer'"]

    def test_payment_method_without_type_fails(self, sim):
        pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).to_dict()
        assert errors(pm, component_pointer("payment_method")) == []
        del pm["type"]
        found = errors(pm, component_pointer("payment_method"))
        assert found == ["<root>: 'type' is a required property"]

    def test_nested_refs_are_resolved(self, sim):
        pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).to_dict()
        del pm["card"]["brand"]  # payment_method -> $ref payment_method_card
        assert errors(pm, component_pointer("payment_method")) == [
            "['card']: 'brand' is a required property"
        ]
        pm["card"]["brand"] = "visa"
        pm["card"]["checks"]["cvc_check"] = 7  # -> anyOf [$ref payment_method_card_checks]
        assert any(
            line.startswith("['card']['checks']")
            for line in errors(pm, component_pointer("payment_method"))
        )

    def test_expanded_default_payment_method_is_checked_as_a_payment_method(self, sim):
        customer = sim.customers.create().to_dict()
        pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).to_dict()
        customer["invoice_settings"]["default_payment_method"] = pm
        assert errors(customer, component_pointer("customer")) == []
        del pm["type"]
        found = errors(customer, component_pointer("customer"))
        assert len(found) == 1
        assert found[0].startswith("['invoice_settings']['default_payment_method']")
        assert "'type' is a required property" in found[0]

    def test_null_is_refused_where_the_spec_does_not_allow_it(self, sim):
        customer = sim.customers.create().to_dict()
        assert customer["address"] is None  # nullable anyOf: accepted
        assert errors(customer, component_pointer("customer")) == []
        for key in ("created", "livemode", "invoice_settings", "metadata"):
            found = errors({**customer, key: None}, component_pointer("customer"))
            assert found, f"{key}: None was accepted"
            assert all(line.startswith(f"[{key!r}]: None") for line in found), found

    def test_deleted_customer_must_say_deleted_true(self):
        stub = {"id": "cus_1", "object": "customer", "deleted": False}
        assert errors(stub, component_pointer("deleted_customer")) == [
            "['deleted']: False is not one of [True]"
        ]

    def test_list_wrappers_check_their_items_and_url(self, sim):
        sim.customers.create()
        page = sim.customers.list().to_dict()
        pointer = response_pointer("get", CUSTOMER_LIST)
        assert errors(page, pointer) == []
        assert errors({**page, "url": "/v1/nope"}, pointer) == [
            "['url']: '/v1/nope' does not match '^/v1/customers'"
        ]
        page["data"][0]["livemode"] = "no"
        assert errors(page, pointer) == ["['data'][0]['livemode']: 'no' is not of type 'boolean'"]

    def test_event_needs_data_object(self, sim):
        sim.customers.create()
        event = sim.events.list().data[0].to_dict()
        assert errors(event, component_pointer("event")) == []
        event["data"] = {"previous_attributes": {}}
        assert errors(event, component_pointer("event")) == [
            "['data']: 'object' is a required property"
        ]

    def test_unknown_schemas_are_an_error_not_a_pass(self):
        with pytest.raises(Unresolvable):
            errors({}, component_pointer("no_such_schema"))


@pytest.mark.usefixtures("stripe_spec")
class TestCustomers:
    def test_minimal_customer(self, sim):
        customer = sim.customers.create()
        check(customer, "customer", CUSTOMER_CREATE, CUSTOMER_GET)

    def test_customer_with_every_field(self, sim):
        customer = full_customer(sim)
        rendered = check(customer, "customer", CUSTOMER_CREATE)
        assert rendered["invoice_settings"]["default_payment_method"].startswith("pm_")
        assert rendered["shipping"]["address"]["city"] == "Springfield"
        check(sim.customers.retrieve(customer.id), "customer", CUSTOMER_GET)

    @pytest.mark.parametrize("tax_exempt", ["none", "exempt", "reverse"])
    def test_every_tax_exempt_value(self, sim, tax_exempt):
        check(sim.customers.create(tax_exempt=tax_exempt), "customer", CUSTOMER_CREATE)

    def test_after_updates(self, sim):
        customer = full_customer(sim)
        second = sim.payment_methods.attach("pm_card_mastercard", customer=customer.id)
        updated = sim.customers.update(
            customer.id,
            address={"line2": "", "city": "Chicago"},
            balance=1000,
            description="",
            email="lovelace@example.com",
            invoice_settings={"default_payment_method": second.id, "footer": ""},
            metadata={"plan": "", "team": "analytics"},
            name="Augusta Ada King",
            phone="",
            preferred_locales=["de"],
            shipping="",
            tax_exempt="reverse",
        )
        check(updated, "customer", CUSTOMER_UPDATE, CUSTOMER_GET)
        cleared = sim.customers.update(
            customer.id, address="", invoice_settings={"default_payment_method": ""}
        )
        rendered = check(cleared, "customer", CUSTOMER_UPDATE)
        assert rendered["address"] is None
        assert rendered["invoice_settings"]["default_payment_method"] is None

    def test_deleted_customer(self, sim):
        customer = full_customer(sim)
        deleted = sim.customers.delete(customer.id)
        assert check(deleted, "deleted_customer", CUSTOMER_DELETE)["deleted"] is True
        retrieved = sim.customers.retrieve(customer.id)
        assert check(retrieved, "deleted_customer", CUSTOMER_GET)["deleted"] is True


def _card_routes(sim: pmsim.Simulator, card: TestCard) -> list[tuple[str, Any]]:
    """Every payment method pmsim can make for ``card``: by token, by number, by test id."""
    made: list[tuple[str, Any]] = []
    for token in card.tokens:
        made.append((token, sim.payment_methods.create(type="card", card={"token": token})))
    if card.number:
        raw = {"number": card.number, "exp_month": 12, "exp_year": 2030, "cvc": "123"}
        pm = sim.payment_methods.create(type="card", card=raw, billing_details=BILLING)
        made.append((f"number {card.number}", pm))
    if card.attach_decline is None:
        customer = sim.customers.create()
        for test_pm in card.test_pms:
            made.append((test_pm, sim.payment_methods.attach(test_pm, customer=customer.id)))
    return made


@pytest.mark.usefixtures("stripe_spec")
class TestPaymentMethods:
    def test_from_a_raw_test_number_with_billing_details(self, sim):
        pm = sim.payment_methods.create(type="card", card=RAW_VISA, billing_details=BILLING)
        rendered = check(pm, "payment_method", PM_CREATE, PM_GET)
        assert rendered["billing_details"]["address"]["line1"] == "1 Main St"

    def test_from_a_token_without_billing_details(self, sim):
        pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
        check(pm, "payment_method", PM_CREATE)

    def test_attached_updated_and_detached(self, sim):
        customer = sim.customers.create()
        pm = sim.payment_methods.create(type="card", card=RAW_VISA, billing_details=BILLING)
        attached = sim.payment_methods.attach(pm.id, customer=customer.id)
        assert check(attached, "payment_method", PM_ATTACH, PM_GET)["customer"] == customer.id
        found = sim.customers.retrieve_payment_method(customer.id, pm.id)
        check(found, "payment_method", CUSTOMER_PM_GET)
        updated = sim.payment_methods.update(
            pm.id,
            billing_details={"name": "", "address": {"line2": ""}},
            card={"exp_month": 6, "exp_year": 2031},
            metadata={"nickname": "work card"},
        )
        check(updated, "payment_method", PM_UPDATE)
        detached = sim.payment_methods.detach(pm.id)
        assert check(detached, "payment_method", PM_DETACH)["customer"] is None
        check(sim.payment_methods.retrieve(pm.id), "payment_method", PM_GET)

    @pytest.mark.parametrize("card", TEST_CARDS, ids=lambda card: card.name)
    def test_every_test_card(self, sim, card):
        made = _card_routes(sim, card)
        assert made, f"no way to create test card {card.name}"
        customer = sim.customers.create()
        for route, pm in made:
            rendered = check(pm, "payment_method", PM_CREATE, PM_GET)
            assert (rendered["card"]["brand"], rendered["card"]["last4"]) == (
                card.brand,
                card.last4,
            ), route
            if card.attach_decline is None and pm.customer is None:
                attached = sim.payment_methods.attach(pm.id, customer=customer.id)
                check(attached, "payment_method", PM_ATTACH)
            if pm.customer is not None or card.attach_decline is None:
                detached = sim.payment_methods.detach(pm.id)
                check(detached, "payment_method", PM_DETACH)


def _lifecycle(sim: pmsim.Simulator) -> None:
    """A story that emits every event type pmsim knows."""
    customer = sim.customers.create(email="ada@example.com", metadata={"plan": "pro"})
    sim.customers.update(customer.id, name="Ada", address=ADDRESS, metadata={"seats": "2"})
    first = sim.payment_methods.create(type="card", card=RAW_VISA, billing_details=BILLING)
    sim.payment_methods.attach(first.id, customer=customer.id)
    second = sim.payment_methods.attach("pm_card_mastercard", customer=customer.id)
    sim.customers.update(customer.id, invoice_settings={"default_payment_method": first.id})
    sim.payment_methods.update(first.id, billing_details={"name": "A. L."}, metadata={"k": "v"})
    sim.payment_methods.update(second.id, card={"exp_month": 3, "exp_year": 2032})
    sim.payment_methods.detach(first.id)  # clears the default: customer.updated too
    sim.payment_methods.attach("pm_card_amex", customer=customer.id)
    sim.customers.create(payment_method="pm_card_discover", tax_exempt="reverse")
    card = sim.customers.create_source(customer.id, source="tok_visa")
    sim.customers.update_source(customer.id, card.id, name="Ada", address_zip="94107")
    sim.customers.delete(customer.id)  # detaches the rest first, deletes its sources
    _setup_intents(sim)
    _payment_intents(sim)
    _refunds(sim)
    _manual_capture(sim)
    _test_clocks(sim)
    _bank_debits(sim)


#: ``mandate_data`` accepted online and offline.
ONLINE = {
    "customer_acceptance": {
        "type": "online",
        "online": {"ip_address": "192.0.2.1", "user_agent": "Mozilla/5.0"},
    }
}
OFFLINE = {"customer_acceptance": {"type": "offline"}}


def _bank_debits(sim: pmsim.Simulator) -> dict[str, list[Any]]:
    """SEPA Direct Debit: saved with a mandate, debited (one succeeds, one fails), detached;
    every object in each state, by kind."""
    customer = sim.customers.create(email="sepa@example.com")
    pm = sim.payment_methods.create(
        type="sepa_debit", sepa_debit={"iban": "AT611904300234573201"}, billing_details=BILLING
    )
    seti = sim.setup_intents.create(customer=customer.id, payment_method=pm.id, confirm=True,
                                    return_url=RETURN_URL, mandate_data=ONLINE)  # fmt: skip
    paid = sim.payment_intents.create(
        amount=1000, currency="eur", customer=customer.id, payment_method=pm.id, confirm=True,
        off_session=True,
    )  # fmt: skip
    failing = sim.payment_intents.create(
        amount=500, currency="eur", payment_method="pm_sepaDebit_insufficientFunds_de",
        confirm=True, return_url=RETURN_URL, mandate_data=OFFLINE,
    )  # fmt: skip
    pending = [sim.charges.retrieve(str(pi.latest_charge)) for pi in (paid, failing)]
    sim.charges.update(pending[0].id, description="Debit 1")  # charge.updated
    sim.clock.advance(minutes=1)
    active = sim.mandates.retrieve(str(seti.mandate))
    attached = sim.payment_methods.retrieve(pm.id)
    detached = sim.payment_methods.detach(pm.id)
    return {
        "payment_method": [pm, attached, detached],
        "setup_intent": [seti],
        "payment_intent": [
            paid,
            failing,
            *(sim.payment_intents.retrieve(pi.id) for pi in (paid, failing)),
        ],  # fmt: skip
        "charge": [*pending, *(sim.charges.retrieve(charge.id) for charge in pending)],
        "mandate": [active, sim.mandates.retrieve(active.id)],
    }


def _manual_capture(sim: pmsim.Simulator) -> list[Any]:
    """Manual-capture payments: one authorized and captured in part, one in whole, one
    canceled, one left to expire; the intents and charges as each ended, the held one as it
    was, and the refunds that released what was not captured."""

    def held(amount: int) -> Any:
        return sim.payment_intents.create(
            amount=amount, currency="usd", payment_method="pm_card_visa",
            capture_method="manual", confirm=True, off_session=True,
        )  # fmt: skip

    waiting = held(2000)
    parts = sim.payment_intents.capture(waiting.id, amount_to_capture=1500,
                                        metadata={"shipped": "1"})  # fmt: skip
    whole = sim.payment_intents.capture(held(900).id)
    canceled = sim.payment_intents.cancel(held(700).id, cancellation_reason="abandoned")
    expiring = held(600)
    sim.clock.advance(days=7)
    intents = [waiting, parts, whole, canceled, sim.payment_intents.retrieve(expiring.id)]
    charges = [sim.charges.retrieve(str(i.latest_charge)) for i in intents[1:]]
    uncaptured = sim.events.list(type="charge.succeeded", limit=1).data[0].object
    releases = [r for r in sim.refunds.list(limit=100) if r.releases]
    return [*intents, *charges, uncaptured, *releases]


def _refunds(sim: pmsim.Simulator) -> list[Any]:
    """A payment refunded in two parts: the refunds and the fully refunded charge; then the
    refund test cards' refunds, pending and later failed, before and after they change."""
    paid = sim.payment_intents.create(amount=1500, currency="usd", payment_method="pm_card_visa",
                                      confirm=True, off_session=True)  # fmt: skip
    first = sim.refunds.create(payment_intent=paid.id, amount=500, metadata={"ticket": "9"})
    rest = sim.refunds.create(charge=paid.latest_charge, reason="duplicate")
    later = [
        sim.refunds.create(payment_intent=sim.payment_intents.create(
            amount=700, currency="usd", payment_method=card, confirm=True, off_session=True,
        ).id)
        for card in ("pm_card_pendingRefund", "pm_card_refundFail")
    ]  # fmt: skip
    sim.clock.advance(minutes=1)
    changed = [sim.refunds.retrieve(refund.id) for refund in later]
    return [first, rest, sim.charges.retrieve(paid.latest_charge or ""), *later, *changed]


def _test_clocks(sim: pmsim.Simulator) -> list[Any]:
    """A test clock advanced, one deleted with its customer, one left as made."""
    kept = sim.test_clocks.create(frozen_time=sim.clock.now(), name="Renewals")
    kept = sim.test_clocks.advance(kept.id, frozen_time=kept.frozen_time + 3_600)
    gone = sim.test_clocks.create(frozen_time=sim.clock.now())
    sim.customers.create(test_clock=gone.id, payment_method="pm_card_visa")
    fresh = sim.test_clocks.create(frozen_time=sim.clock.now() + 60)
    return [kept, sim.test_clocks.delete(gone.id), fresh]


def _setup_intents(sim: pmsim.Simulator) -> list[Any]:
    """SetupIntents in every status, and every setup_intent event; returns the intents."""
    customer = sim.customers.create(email="grace@example.com")
    waiting = sim.setup_intents.create(customer=customer.id, metadata={"order": "1"})
    ready = sim.setup_intents.update(waiting.id, payment_method="pm_card_visa")
    done = sim.setup_intents.confirm(ready.id, return_url=RETURN_URL)
    set_up = sim.setup_intents.create(
        payment_method="pm_card_mastercard", confirm=True, return_url=RETURN_URL
    )
    challenged = sim.setup_intents.create(
        customer=customer.id, payment_method="pm_card_authenticationRequired", confirm=True,
        return_url=RETURN_URL,
    )  # fmt: skip
    refused = sim.setup_intents.create(
        customer=customer.id, payment_method="pm_card_threeDSecure2Required", confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )  # fmt: skip
    refused = sim.three_d_secure.complete(refused.id, outcome="fail")
    declined = sim.setup_intents.create(customer=customer.id)
    with pytest.raises(pmsim.CardError):
        sim.setup_intents.confirm(
            declined.id, payment_method="pm_card_visa_chargeDeclined", return_url=RETURN_URL
        )
    canceled = sim.setup_intents.cancel(
        sim.setup_intents.create(usage="on_session").id, cancellation_reason="abandoned"
    )
    found = [done, set_up, challenged, refused, canceled, declined, waiting]
    return [sim.setup_intents.retrieve(intent.id) for intent in found]


def _payment_intents(sim: pmsim.Simulator) -> list[Any]:
    """PaymentIntents in every status cards reach, and every payment_intent event."""
    customer = sim.customers.create(email="alan@example.com")
    waiting = sim.payment_intents.create(amount=1099, currency="usd", metadata={"order": "7"})
    ready = sim.payment_intents.update(waiting.id, payment_method="pm_card_visa")
    paid = sim.payment_intents.confirm(ready.id, return_url=RETURN_URL)
    saved = sim.payment_intents.create(
        amount=2000, currency="eur", customer=customer.id, payment_method="pm_card_mastercard",
        setup_future_usage="off_session", confirm=True, receipt_email="alan@example.com",
        return_url=RETURN_URL,
    )  # fmt: skip
    challenged = sim.payment_intents.create(
        amount=500, currency="gbp", customer=customer.id, confirm=True,
        payment_method="pm_card_authenticationRequired", return_url=RETURN_URL,
    )  # fmt: skip
    refused = sim.payment_intents.create(
        amount=500, currency="usd", payment_method="pm_card_threeDSecure2Required", confirm=True,
        automatic_payment_methods={"enabled": True, "allow_redirects": "never"},
    )  # fmt: skip
    refused = sim.three_d_secure.complete(refused.id, outcome="fail")
    declined = sim.payment_intents.create(amount=700, currency="jpy")
    with pytest.raises(pmsim.CardError):
        sim.payment_intents.confirm(
            declined.id, payment_method="pm_card_chargeCustomerFail", off_session=True
        )
    canceled = sim.payment_intents.cancel(
        sim.payment_intents.create(amount=900, currency="cad").id, cancellation_reason="duplicate"
    )
    found = [paid, saved, challenged, refused, declined, canceled, waiting]
    return [sim.payment_intents.retrieve(intent.id) for intent in found]


#: Event kinds whose object is not the component of their name.
EVENT_COMPONENTS = {"customer.source": "card", "charge.refund": "refund"}


@pytest.mark.usefixtures("stripe_spec")
class TestSources:
    def test_cards_their_list_and_the_deleted_stub(self, sim):
        cus = sim.customers.create(source="tok_visa")
        card = sim.customers.create_source(cus.id, source="tok_amex", metadata={"k": "v"})
        card = sim.customers.update_source(
            cus.id, card.id, name="Ada", address_line1="1 Main St", address_city="Springfield",
            address_state="IL", address_zip="62701", address_country="US", exp_month=12,
            exp_year=2030,
        )  # fmt: skip
        path = "/v1/customers/{customer}/sources"
        for shown in (card, sim.customers.retrieve_source(cus.id, str(cus.default_source))):
            check(shown, "card", ("get", path + "/{id}"), ("post", path + "/{id}"))
        check_list(sim.customers.list_sources(cus.id), path)
        check(sim.customers.delete_source(cus.id, card.id), "deleted_card")

    def test_a_customer_with_expanded_sources(self, sim):
        cus = sim.customers.create(source="tok_mastercard")
        sim.customers.create_source(cus.id, source="tok_visa")
        body = expand(sim, sim.customers.retrieve(cus.id).to_dict(), ["default_source", "sources"])
        assert body["default_source"]["object"] == "card"
        assert [card["object"] for card in body["sources"]["data"]] == ["card", "card"]
        assert_component(body, "customer")
        assert_response(body, "get", "/v1/customers/{customer}")


@pytest.mark.usefixtures("stripe_spec")
class TestEvents:
    def test_every_event_of_a_full_lifecycle(self, sim):
        _lifecycle(sim)
        page = sim.events.list(limit=100)
        events = list(page)
        while page.has_more:  # every page, newest first
            page = sim.events.list(limit=100, starting_after=events[-1].id)
            events += page.data
        assert {event.type for event in events} == set(EVENT_TYPES)
        for event in events:
            rendered = check(event, "event", EVENT_GET)
            check(sim.events.retrieve(event.id), "event", EVENT_GET)
            data = rendered["data"]
            kind = event.type.rpartition(".")[0]  # test_helpers.test_clock.ready: the clock
            kind = EVENT_COMPONENTS.get(kind, kind)
            assert_component(data["object"], kind, label=f"{event.type} {event.id} data.object")
            previous = data.get("previous_attributes")
            if event.type.endswith(".updated"):
                assert previous, f"{event.type} {event.id} has no previous_attributes"
                assert set(previous) <= set(data["object"]), (event.type, sorted(previous))
        check_list(sim.events.list(limit=100), EVENT_LIST)


@pytest.mark.usefixtures("stripe_spec")
class TestSetupIntents:
    def test_every_status_matches_the_schema(self, sim):
        intents = _setup_intents(sim)
        statuses = {intent.status.value for intent in intents}
        assert statuses == {
            "succeeded", "requires_action", "requires_payment_method", "canceled",
        }  # fmt: skip
        for intent in intents:
            check(intent, "setup_intent", SETI_CREATE, SETI_GET, SETI_UPDATE, SETI_CONFIRM,
                  SETI_CANCEL)  # fmt: skip
        with_error = [i for i in intents if i.last_setup_error is not None]
        assert {i.last_setup_error.code for i in with_error} == {
            "card_declined", "setup_intent_authentication_failure",
        }  # fmt: skip
        assert sim.setup_intents.create(payment_method="pm_card_visa").status.value == (
            "requires_confirmation"
        )

    def test_lists(self, sim):
        check_list(sim.setup_intents.list(), SETI_LIST)
        _setup_intents(sim)
        page = sim.setup_intents.list(limit=3)
        assert page.has_more
        check_list(page, SETI_LIST)

    def test_decline_envelope_carries_the_intent_and_card(self, sim):
        intent = sim.setup_intents.create(payment_method="pm_card_visa_chargeDeclined")
        with pytest.raises(pmsim.CardError) as caught:
            sim.setup_intents.confirm(intent.id, return_url=RETURN_URL)
        body = caught.value.to_dict()["error"]
        assert_component(body, "api_errors", label="setup decline envelope")
        assert body["setup_intent"]["status"] == "requires_payment_method"
        assert body["payment_method"]["card"]["last4"] == "0002"


@pytest.mark.usefixtures("stripe_spec")
class TestPaymentIntents:
    def test_every_status_matches_the_schema(self, sim):
        intents = _payment_intents(sim)
        assert {intent.status.value for intent in intents} == {
            "succeeded", "requires_action", "requires_payment_method", "canceled",
        }  # fmt: skip
        for intent in intents:
            check(intent, "payment_intent", PI_CREATE, PI_GET, PI_UPDATE, PI_CONFIRM, PI_CANCEL)
        errors_seen = {i.last_payment_error.code for i in intents if i.last_payment_error}
        assert errors_seen == {"card_declined", "payment_intent_authentication_failure"}

    def test_lists(self, sim):
        check_list(sim.payment_intents.list(), PI_LIST)
        _payment_intents(sim)
        page = sim.payment_intents.list(limit=3)
        assert page.has_more
        check_list(page, PI_LIST)

    def test_decline_envelope_carries_the_intent_and_card(self, sim):
        intent = sim.payment_intents.create(
            amount=100, currency="usd", payment_method="pm_card_visa_chargeDeclined"
        )
        with pytest.raises(pmsim.CardError) as caught:
            sim.payment_intents.confirm(intent.id, return_url=RETURN_URL)
        body = caught.value.to_dict()["error"]
        assert_component(body, "api_errors", label="payment decline envelope")
        assert body["payment_intent"]["status"] == "requires_payment_method"
        assert body["charge"] == body["payment_intent"]["latest_charge"]


MANDATE_GET: Operation = ("get", "/v1/mandates/{mandate}")
#: How each kind of object a SEPA story makes is answered.
BANK_DEBIT_OPERATIONS: dict[str, tuple[Operation, ...]] = {
    "payment_method": (PM_CREATE, PM_GET, PM_ATTACH, PM_DETACH),
    "setup_intent": (SETI_CREATE, SETI_GET, SETI_CONFIRM),
    "payment_intent": (PI_CREATE, PI_GET, PI_CONFIRM),
    "charge": (("get", "/v1/charges/{charge}"),),
    "mandate": (MANDATE_GET,),
}


@pytest.mark.usefixtures("stripe_spec")
class TestBankDebits:
    def test_every_object_of_a_sepa_debit_matches_the_schema(self, sim):
        made = _bank_debits(sim)
        for kind, objects in made.items():
            for obj in objects:
                check(obj, kind, *BANK_DEBIT_OPERATIONS[kind])
        statuses = {kind: [o.status.value for o in made[kind]] for kind in ("charge", "mandate")}
        assert statuses == {"charge": ["pending", "pending", "succeeded", "failed"],
                            "mandate": ["active", "inactive"]}  # fmt: skip
        shown = [pi.to_dict() for pi in made["payment_intent"]]
        assert [pi["status"] for pi in shown] == [
            "processing", "processing", "succeeded", "requires_payment_method",
        ]  # fmt: skip
        assert shown[-1]["last_payment_error"]["payment_method"]["type"] == "sepa_debit"
        assert made["payment_method"][0].to_dict()["sepa_debit"]["bank_code"] == "19043"

    def test_a_refunded_sepa_charge_and_an_expanded_mandate(self, sim):
        made = _bank_debits(sim)
        refund = sim.refunds.create(charge=made["charge"][2].id, amount=300)
        check(refund, "refund", REFUND_CREATE, REFUND_GET)
        check(sim.charges.retrieve(refund.charge), "charge", CHARGE_GET)
        body = expand(sim, made["setup_intent"][0].to_dict(), ["mandate.payment_method"])
        assert body["mandate"]["payment_method"]["type"] == "sepa_debit"
        assert_component(body, "setup_intent", label="a SetupIntent with its mandate expanded")
        assert_response(body, "get", "/v1/setup_intents/{intent}")


CHARGE_GET: Operation = ("get", "/v1/charges/{charge}")
CHARGE_LIST = "/v1/charges"
REFUND_CREATE: Operation = ("post", "/v1/refunds")
REFUND_GET: Operation = ("get", "/v1/refunds/{refund}")
REFUND_LIST = "/v1/refunds"


@pytest.mark.usefixtures("stripe_spec")
class TestRefunds:
    def test_refunds_and_the_refunded_charge_match_the_schema(self, sim):
        first, rest, charge, *later = _refunds(sim)
        for refund in (first, rest, *later):  # later: pending, succeeded, then failed
            check(refund, "refund", REFUND_CREATE, REFUND_GET)
        assert check(charge, "charge", CHARGE_GET)["refunded"] is True
        check_list(sim.refunds.list(), REFUND_LIST)


@pytest.mark.usefixtures("stripe_spec")
class TestManualCapture:
    def test_authorized_captured_released_and_expired_objects_match_the_schema(self, sim):
        made = _manual_capture(sim)
        shown = [each.to_dict() for each in made]
        kinds = [(body["object"], body.get("status")) for body in shown]
        assert kinds == [
            ("payment_intent", "requires_capture"), ("payment_intent", "succeeded"),
            ("payment_intent", "succeeded"), ("payment_intent", "canceled"),
            ("payment_intent", "canceled"), *[("charge", "succeeded")] * 5,
            *[("refund", "succeeded")] * 3,
        ]  # fmt: skip
        assert shown[0]["amount_capturable"] == 2000
        assert shown[9]["captured"] is False and shown[9]["amount_captured"] == 0
        assert "capture_before" in shown[9]["payment_method_details"]["card"]
        assert [body["reason"] for body in shown[10:]] == [  # newest first
            "expired_uncaptured_charge", None, None,
        ]  # fmt: skip
        operations = {"payment_intent": (PI_CAPTURE, PI_GET, PI_CANCEL),
                      "charge": (CHARGE_GET,), "refund": (REFUND_GET,)}  # fmt: skip
        for each, body in zip(made, shown, strict=True):
            check(each, body["object"], *operations[body["object"]])


@pytest.mark.usefixtures("stripe_spec")
class TestCharges:
    def test_every_charge_a_lifecycle_makes_matches_the_schema(self, sim):
        _payment_intents(sim)
        for card in ("pm_card_radarBlock", "pm_card_riskLevelElevated", "pm_card_visa_debit"):
            with contextlib.suppress(pmsim.CardError):
                sim.payment_intents.create(amount=900, currency="usd", payment_method=card,
                                           confirm=True, off_session=True)  # fmt: skip
        waiting = sim.payment_intents.create(
            amount=600, currency="usd", payment_method="pm_card_authenticationRequired",
            confirm=True, return_url=RETURN_URL,
        )  # fmt: skip
        sim.three_d_secure.complete(waiting.id, outcome="succeed")  # then charged
        charges = sim.charges.list(limit=100).data
        assert {charge.status.value for charge in charges} == {"succeeded", "failed"}
        assert {c.to_dict()["outcome"]["type"] for c in charges} == {
            "authorized", "issuer_declined", "blocked",
        }  # fmt: skip
        assert any(c.to_dict()["payment_method_details"]["card"]["three_d_secure"] for c in charges)
        for charge in charges:
            check(charge, "charge", CHARGE_GET)
        check_list(sim.charges.list(limit=3), CHARGE_LIST)

    def test_an_expanded_latest_charge_is_checked_as_a_charge(self, sim):
        pi = sim.payment_intents.create(amount=500, currency="usd", payment_method="pm_card_visa",
                                        confirm=True, off_session=True)  # fmt: skip
        body = expand(sim, pi.to_dict(), ["latest_charge"])
        assert_component(body["latest_charge"], "charge", label="expanded latest_charge")
        assert_response(body, "get", "/v1/payment_intents/{intent}")


@pytest.mark.usefixtures("stripe_spec")
class TestTestClocks:
    def test_clocks_and_deleted_clocks_match_the_schema(self, sim):
        kept, gone, fresh = _test_clocks(sim)
        for clock in (kept, fresh, sim.test_clocks.retrieve(kept.id)):
            check(clock, "test_helpers.test_clock", CLOCK_CREATE, CLOCK_GET, CLOCK_ADVANCE)
        check(gone, "deleted_test_helpers.test_clock", CLOCK_DELETE)
        check_list(sim.test_clocks.list(limit=1), CLOCK_LIST)
        customer = sim.customers.create(test_clock=kept.id)
        check(customer, "customer", CUSTOMER_CREATE)


@pytest.mark.usefixtures("stripe_spec")
class TestLists:
    def test_customer_lists(self, sim):
        check_list(sim.customers.list(), CUSTOMER_LIST)
        for _ in range(3):
            full_customer(sim)
        sim.customers.create(email="solo@example.com")
        page = sim.customers.list(limit=2)
        assert page.has_more
        check_list(page, CUSTOMER_LIST)
        check_list(sim.customers.list(starting_after=page.data[-1].id), CUSTOMER_LIST)
        check_list(sim.customers.list(email="solo@example.com"), CUSTOMER_LIST)

    def test_payment_method_lists(self, sim):
        customer = full_customer(sim)
        for test_pm in ("pm_card_mastercard", "pm_card_amex", "pm_card_jcb"):
            sim.payment_methods.attach(test_pm, customer=customer.id)
        empty = sim.customers.create()
        for page in (
            sim.customers.list_payment_methods(customer.id),
            sim.customers.list_payment_methods(customer.id, limit=2),
            sim.customers.list_payment_methods(customer.id, type="card"),
            sim.customers.list_payment_methods(customer.id, type="sepa_debit"),
            sim.customers.list_payment_methods(empty.id),
        ):
            check_list(page, CUSTOMER_PM_LIST)
        for page in (
            sim.payment_methods.list(),
            sim.payment_methods.list(customer=customer.id),
            sim.payment_methods.list(customer=customer.id, limit=1),
            sim.payment_methods.list(customer=customer.id, type="card"),
        ):
            check_list(page, PM_LIST)

    def test_event_lists(self, sim):
        _lifecycle(sim)
        for page in (
            sim.events.list(),
            sim.events.list(limit=3),
            sim.events.list(type="customer.*"),
            sim.events.list(types=["payment_method.attached", "payment_method.detached"]),
        ):
            check_list(page, EVENT_LIST)


@pytest.mark.usefixtures("stripe_spec")
class TestAccounts:
    def test_the_account_and_the_empty_list_match_the_schema(self, sim):
        account = sim.accounts.retrieve()
        rendered = check(account, "account", ACCOUNT_GET, ACCOUNT_BY_ID_GET)
        assert rendered["settings"]["payouts"]["schedule"]["interval"] == "daily"
        check_list(sim.accounts.list(), ACCOUNT_LIST)

    def test_a_broken_account_fails(self, sim):
        rendered = sim.accounts.retrieve().to_dict()
        del rendered["settings"]["dashboard"]
        (found,) = errors(rendered, component_pointer("account"))
        assert found.endswith("['settings']: 'dashboard' is a required property")


@pytest.mark.usefixtures("stripe_spec")
class TestWebhookEndpoints:
    def test_endpoints_connect_ones_and_deleted_ones_match_the_schema(self, sim):
        made = sim.webhook_endpoints.create(
            url="https://example.com/hook", enabled_events=["*"], connect=True,
            description="Connect", metadata={"k": "v"}, api_version="2024-06-20",
        )  # fmt: skip
        assert "secret" in check(made, "webhook_endpoint", ("post", "/v1/webhook_endpoints"))
        found = sim.webhook_endpoints.retrieve(made.id)
        check(found, "webhook_endpoint", ("get", "/v1/webhook_endpoints/{webhook_endpoint}"))
        check_list(sim.webhook_endpoints.list(), "/v1/webhook_endpoints")
        gone = sim.webhook_endpoints.delete(made.id).to_dict()
        path = "/v1/webhook_endpoints/{webhook_endpoint}"
        assert_response(gone, "delete", path, label="deleted endpoint")


SETI_VERIFY: Operation = ("post", "/v1/setup_intents/{intent}/verify_microdeposits")


@pytest.mark.usefixtures("stripe_spec")
class TestUsBankAccounts:
    def test_an_account_waiting_for_microdeposits_then_verified_matches_the_schema(self, sim):
        customer = sim.customers.create(name="Ada")
        pm = sim.payment_methods.create(
            type="us_bank_account", billing_details={"name": "Ada"},
            us_bank_account={"routing_number": "110000000", "account_number": "000123456789"},
        )  # fmt: skip
        check(pm, "payment_method", PM_CREATE, PM_GET)
        waiting = sim.setup_intents.create(
            customer=customer.id, payment_method=pm.id, confirm=True,
            return_url="https://example.com/return",
            mandate_data={"customer_acceptance": {"type": "offline"}},
            payment_method_options={"us_bank_account": {"verification_method": "microdeposits"}},
        )  # fmt: skip
        body = check(waiting, "setup_intent", SETI_CREATE, SETI_GET)
        assert body["next_action"]["type"] == "verify_with_microdeposits"
        assert body["payment_method_options"]["us_bank_account"] == {
            "verification_method": "microdeposits"
        }
        done = sim.setup_intents.verify_microdeposits(waiting.id, descriptor_code="SM11AA")
        check(done, "setup_intent", SETI_VERIFY, SETI_GET)
        check(sim.mandates.retrieve(done.mandate or ""), "mandate", MANDATE_GET)
        check(sim.payment_methods.retrieve(pm.id), "payment_method", PM_GET)
        paid = sim.payment_intents.create(
            amount=900, currency="usd", customer=customer.id, payment_method=pm.id,
            confirm=True, off_session=True,
            payment_method_options={"us_bank_account": {"verification_method": "automatic"}},
        )  # fmt: skip
        check(paid, "payment_intent", PI_CREATE, PI_GET)
        check(sim.charges.retrieve(paid.latest_charge or ""), "charge", CHARGE_GET)
        sim.clock.advance(minutes=1)
        check(sim.charges.retrieve(paid.latest_charge or ""), "charge", CHARGE_GET)
        check(sim.payment_intents.retrieve(paid.id), "payment_intent", PI_GET)


@pytest.mark.usefixtures("stripe_spec")
class TestSetupAttempts:
    def test_attempts_and_their_list_match_the_schema(self, sim):
        seti = sim.setup_intents.create(customer=sim.customers.create().id)
        with pytest.raises(pmsim.CardError):
            sim.setup_intents.confirm(
                seti.id, payment_method="pm_card_visa_chargeDeclined",
                return_url="https://example.com/return",
            )  # fmt: skip
        sim.setup_intents.confirm(
            seti.id, payment_method="pm_card_visa", return_url="https://example.com/return"
        )
        page = sim.setup_attempts.list(setup_intent=seti.id)
        for attempt in page:
            assert_component(attempt.to_dict(), "setup_attempt", label=attempt.id)
        check_list(page, "/v1/setup_attempts")
