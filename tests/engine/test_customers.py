"""Customers: create, retrieve, update (merge and unset), delete, list, and their cards."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain.models import DeletedCustomer
from tests.support import ALREADY_ATTACHED, NOT_REUSABLE, assert_stripe_error


def test_create_with_every_field(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(
        email="ada@example.com",
        name="Ada Lovelace",
        phone="+15555550100",
        description="first customer",
        address={"line1": "1 Main St", "city": "London", "country": "GB"},
        shipping={"name": "Ada", "address": {"city": "London"}, "phone": "+44"},
        metadata={"plan": "pro", "seats": 3},
        preferred_locales=["en", "fr"],
        tax_exempt="exempt",
        balance=-500,
        invoice_settings={"footer": "Thanks"},
    )
    body = cus.to_dict()
    assert body["id"].startswith("cus_") and len(body["id"]) == 18
    assert body["object"] == "customer" and body["livemode"] is False
    assert body["created"] == sim.clock.now()
    assert body["address"]["city"] == "London" and body["address"]["line2"] is None
    assert body["shipping"] == {
        "address": {"city": "London", "country": None, "line1": None, "line2": None,
                    "postal_code": None, "state": None},
        "name": "Ada",
        "phone": "+44",
    }  # fmt: skip
    assert body["metadata"] == {"plan": "pro", "seats": "3"}
    assert body["preferred_locales"] == ["en", "fr"]
    assert (body["tax_exempt"], body["balance"]) == ("exempt", -500)
    assert body["invoice_settings"]["footer"] == "Thanks"
    assert sim.customers.retrieve(cus.id) == cus
    assert sim.events.list().data[0].type == "customer.created"


def test_defaults_match_stripe(sim: pmsim.Simulator) -> None:
    body = sim.customers.create().to_dict()
    assert body["invoice_settings"] == {
        "custom_fields": None,
        "default_payment_method": None,
        "footer": None,
        "rendering_options": None,
    }
    expected = {"balance": 0, "currency": None, "default_source": None, "delinquent": False,
                "discount": None, "email": None, "metadata": {}, "next_invoice_sequence": 1,
                "preferred_locales": [], "shipping": None, "tax_exempt": "none",
                "test_clock": None}  # fmt: skip
    assert {key: body[key] for key in expected} == expected


def test_update_never_wipes_what_was_not_sent(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com", name="Ada", payment_method="pm_card_visa")
    pm = sim.customers.list_payment_methods(cus.id).data[0].id
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm})
    updated = sim.customers.update(cus.id, invoice_settings={"footer": "Thanks"})
    assert updated.invoice_settings.default_payment_method == pm
    assert updated.invoice_settings.footer == "Thanks"
    assert (updated.email, updated.name) == ("a@example.com", "Ada")


def test_nested_address_merges(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(address={"line1": "1 Main St", "city": "London"})
    updated = sim.customers.update(cus.id, address={"city": "Paris"})
    assert (updated.address.line1, updated.address.city) == ("1 Main St", "Paris")


def test_empty_string_unsets(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(
        email="a@example.com", address={"city": "London"}, metadata={"a": "1", "b": "2"}
    )
    updated = sim.customers.update(cus.id, email="", address="", metadata={"a": ""})
    assert (updated.email, updated.address) == (None, None)
    assert dict(updated.metadata) == {"b": "2"}
    assert dict(sim.customers.update(cus.id, metadata="").metadata) == {}


def test_update_emits_previous_attributes(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com", metadata={"k": "1"})
    sim.customers.update(cus.id, email="b@example.com", metadata={"new": "x"})
    event = sim.events.list().data[0]
    assert event.type == "customer.updated"
    assert event.data["previous_attributes"] == {
        "email": "a@example.com",
        "metadata": {"new": None},
    }
    assert event.data["object"]["email"] == "b@example.com"


def test_update_that_changes_nothing_emits_nothing(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com")
    before = sim.snapshot()
    assert sim.customers.update(cus.id, email="a@example.com") == cus
    assert sim.snapshot() == before


def test_invalid_values_are_refused(sim: pmsim.Simulator) -> None:
    assert_stripe_error(
        lambda: sim.customers.create(email="not-an-email"),
        message="Invalid email address: not-an-email",
        param="email",
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.customers.create(tax_exempt="maybe"),
        message="Invalid tax_exempt: must be one of none, reverse, or exempt",
        param="tax_exempt",
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.customers.create(balance="lots"),
        message="Invalid integer: lots",
        code="parameter_invalid_integer",
        param="balance",
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.customers.create(address={"planet": "Mars"}),
        message="Received unknown parameter: address[planet]",
        code="parameter_unknown",
        param="address[planet]",
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.customers.create(shipping={"address": {"city": "Paris"}}),
        message="Missing required param: shipping[name].",
        code="parameter_missing",
        param="shipping[name]",
        sim=sim,
    )


def test_failed_update_changes_nothing(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com")
    assert_stripe_error(
        lambda: sim.customers.update(cus.id, name="New", email="bad"),
        message="Invalid email address: bad",
        param="email",
        sim=sim,
    )
    assert sim.customers.retrieve(cus.id).name is None


@pytest.mark.parametrize("call", ["retrieve", "update", "delete", "list_payment_methods"])
def test_unknown_customer_in_path_is_404(sim: pmsim.Simulator, call: str) -> None:
    calls = {
        "retrieve": lambda: sim.customers.retrieve("cus_nope"),
        "update": lambda: sim.customers.update("cus_nope", name="x"),
        "delete": lambda: sim.customers.delete("cus_nope"),
        "list_payment_methods": lambda: sim.customers.list_payment_methods("cus_nope"),
    }
    assert_stripe_error(
        calls[call],
        status=404,
        message="No such customer: 'cus_nope'",
        code="resource_missing",
        param="id",
        sim=sim,
    )


def test_deleted_customer_retrieves_as_stub_and_refuses_the_rest(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(email="a@example.com")
    deleted = sim.customers.delete(cus.id)
    assert deleted == DeletedCustomer(cus.id)
    assert deleted.to_dict() == {"id": cus.id, "object": "customer", "deleted": True}
    assert sim.customers.retrieve(cus.id).to_dict() == deleted.to_dict()
    for call in (
        lambda: sim.customers.update(cus.id, name="x"),
        lambda: sim.customers.delete(cus.id),
    ):
        assert_stripe_error(
            call,
            status=404,
            message=f"No such customer: '{cus.id}'",
            code="resource_missing",
            param="id",
            sim=sim,
        )


def test_delete_detaches_every_payment_method_first(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(payment_method="pm_card_visa")
    second = sim.payment_methods.attach("pm_card_mastercard", customer=cus.id)
    first = sim.customers.list_payment_methods(cus.id).data[1]
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": first.id})
    sim.customers.delete(cus.id)
    for pm_id in (first.id, second.id):
        pm = sim.payment_methods.retrieve(pm_id)
        assert pm.customer is None and pm.state is pmsim.PMState.DETACHED
    types = [e.type for e in sim.events.list(limit=3)][::-1]
    assert types == ["payment_method.detached", "payment_method.detached", "customer.deleted"]
    deleted_event = sim.events.list().data[0]
    assert "deleted" not in deleted_event.data["object"]
    assert deleted_event.data["object"]["invoice_settings"]["default_payment_method"] == first.id
    other = sim.customers.create()
    assert_stripe_error(
        lambda: sim.payment_methods.attach(first.id, customer=other.id),
        message=NOT_REUSABLE,
        sim=sim,
    )


def test_create_with_payment_method_attaches_it(sim: pmsim.Simulator) -> None:
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    cus = sim.customers.create(
        payment_method=pm.id, invoice_settings={"default_payment_method": pm.id}
    )
    assert sim.payment_methods.retrieve(pm.id).customer == cus.id
    assert cus.invoice_settings.default_payment_method == pm.id
    assert [e.type for e in sim.events.list()][::-1] == [
        "customer.created",
        "payment_method.attached",
    ]


def test_create_with_test_id_resolves_the_default_to_the_new_card(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(
        payment_method="pm_card_visa", invoice_settings={"default_payment_method": "pm_card_visa"}
    )
    attached = sim.customers.list_payment_methods(cus.id).data
    assert len(attached) == 1
    assert cus.invoice_settings.default_payment_method == attached[0].id


def test_create_with_a_foreign_payment_method_creates_nothing(sim: pmsim.Simulator) -> None:
    owner = sim.customers.create(payment_method="pm_card_visa")
    pm = sim.customers.list_payment_methods(owner.id).data[0].id
    assert_stripe_error(
        lambda: sim.customers.create(payment_method=pm),
        message=ALREADY_ATTACHED,
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.customers.create(payment_method="pm_missing"),
        message="No such PaymentMethod: 'pm_missing'",
        code="resource_missing",
        param="payment_method",
        sim=sim,
    )


def test_retrieve_payment_method_of_customer(sim: pmsim.Simulator) -> None:
    alice, bob = sim.customers.create(), sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=alice.id)
    assert sim.customers.retrieve_payment_method(alice.id, pm.id) == pm
    assert_stripe_error(
        lambda: sim.customers.retrieve_payment_method(bob.id, pm.id),
        status=404,
        message=f"No such PaymentMethod: '{pm.id}'",
        code="resource_missing",
        param="payment_method",
    )


def test_list_payment_methods_filters_by_type(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(payment_method="pm_card_visa")
    assert len(sim.customers.list_payment_methods(cus.id, type="card")) == 1
    assert len(sim.customers.list_payment_methods(cus.id, type="sepa_debit")) == 0
    page = sim.customers.list_payment_methods(cus.id)
    assert page.url == f"/v1/customers/{cus.id}/payment_methods"
