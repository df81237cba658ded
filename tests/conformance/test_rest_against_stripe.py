"""Conformance: the REST surface beyond attach, checked against pmsim and, on request, Stripe.

Customers (create, update, delete), the errors every endpoint shares, lists and their cursors,
``expand``, idempotency keys and API keys, all through stripe-python's ``StripeClient``. Every
test takes the ``backend`` fixture (``conftest.py``): ``pmsim`` always runs; ``stripe`` runs
only when asked to (``backends.py`` says how) and is skipped otherwise.

Expected messages are written out here as Stripe's words, from its documentation or from real
responses others recorded (docs/fidelity.md names the sources), not taken from pmsim, so a
changed message fails. Where no message was ever recorded, a test checks only the exception
class, the error's ``type`` and the HTTP status, and says so.

Against Stripe, the objects a test looks at are its own: customers carry an address only that
test uses (``unique_email``), and lists are filtered by it or by a customer the test made.
"""

from __future__ import annotations

import pytest
import stripe

from tests.conformance.backends import (
    TAG,
    Backend,
    expect_error,
    expect_error_class,
    response_header,
    unattached_card,
    unique,
    unique_email,
)

# Ids shaped like Stripe's (prefix, length) that no account has: a missing object, not a bad id.
MISSING_CUSTOMER = "cus_PmsimNoSuchCus"
MISSING_PM = "pm_1PmsimConformanceNoSuchPm"


def no_such_customer(cus_id: str) -> str:
    return f"No such customer: '{cus_id}'"


def no_such_payment_method(pm_id: str) -> str:
    return f"No such PaymentMethod: '{pm_id}'"


def customers_with(backend: Backend, email: str) -> list[str]:
    """The ids of the customers listed under ``email``, in Stripe's order."""
    return [cus.id for cus in backend.client.v1.customers.list({"email": email}).data]


# Customers -----------------------------------------------------------------------------------


def test_create_retrieve_and_update_a_customer(backend: Backend) -> None:
    """Update changes only what it is given: metadata keys merge, ``""`` removes one, and the
    address hash merges field by field (Stripe's update docs: "Any parameters not provided will
    be left unchanged"; nested hashes merge, and an empty value unsets a key)."""
    email = unique_email()
    made = backend.customer(
        email,
        params={
            "name": "Ada Lovelace",
            "metadata": {"plan": "pro", "team": "blue"},
            "address": {"line1": "1 Rue de Rivoli", "city": "Paris", "country": "FR"},
        },
    )
    assert made.id.startswith("cus_") and made.object == "customer"
    got = backend.client.v1.customers.retrieve(made.id)
    assert (got.id, got.email, got.name) == (made.id, email, "Ada Lovelace")
    assert got.to_dict()["metadata"] == {**TAG, "plan": "pro", "team": "blue"}

    updated = backend.client.v1.customers.update(
        made.id, {"metadata": {"plan": "", "seats": "3"}, "address": {"postal_code": "75001"}}
    )
    assert updated.to_dict()["metadata"] == {**TAG, "team": "blue", "seats": "3"}
    assert updated.address is not None
    assert updated.address.to_dict() == {
        "line1": "1 Rue de Rivoli",
        "line2": None,
        "city": "Paris",
        "state": None,
        "postal_code": "75001",
        "country": "FR",
    }
    again = backend.client.v1.customers.retrieve(made.id)
    assert (again.email, again.name) == (email, "Ada Lovelace")
    assert again.to_dict()["metadata"] == updated.to_dict()["metadata"]
    assert again.to_dict()["address"] == updated.to_dict()["address"]


def test_an_empty_string_clears_the_default_payment_method(backend: Backend) -> None:
    """``invoice_settings[default_payment_method]=""`` sets it to null and leaves the
    payment method attached: unsetting the default is not a detach."""
    cus = backend.customer()
    pm = backend.client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    customers = backend.client.v1.customers
    customers.update(cus.id, {"invoice_settings": {"default_payment_method": pm.id}})
    assert backend.default_payment_method(cus.id) == pm.id
    customers.update(cus.id, {"invoice_settings": {"default_payment_method": ""}})
    assert backend.default_payment_method(cus.id) is None
    assert backend.client.v1.payment_methods.retrieve(pm.id).customer == cus.id


def test_a_deleted_customer_is_retrieved_as_a_stub(backend: Backend) -> None:
    """Delete answers ``{id, object, deleted: true}`` and a retrieve afterwards gives the same
    stub with a 200, not a 404 (both documented in Stripe's API reference)."""
    cus = backend.customer(unique_email())
    stub = {"id": cus.id, "object": "customer", "deleted": True}
    assert backend.client.v1.customers.delete(cus.id).to_dict() == stub
    assert backend.client.v1.customers.retrieve(cus.id).to_dict() == stub


def test_a_deleted_customer_cannot_be_updated_deleted_or_named(backend: Backend) -> None:
    """After a delete, the id in the path is a 404 on ``id`` (unverified) and the id in a body
    is a 400 on that parameter (docs/fidelity.md, settled choice (e))."""
    customers = backend.client.v1.customers
    cus = backend.customer()
    customers.delete(cus.id)
    message = no_such_customer(cus.id)
    expect_error(
        lambda: customers.update(cus.id, {"name": "Grace"}),
        status=404,
        message=message,
        code="resource_missing",
        param="id",
    )
    expect_error(
        lambda: customers.delete(cus.id),
        status=404,
        message=message,
        code="resource_missing",
        param="id",
    )
    card = unattached_card(backend)
    expect_error(
        lambda: backend.client.v1.payment_methods.attach(card.id, {"customer": cus.id}),
        message=message,
        code="resource_missing",
        param="customer",
    )


# Errors every endpoint shares ------------------------------------------------------------------


def test_an_unknown_parameter_is_refused(backend: Backend) -> None:
    """Made through ``backend.customer`` so that, should Stripe ever accept it, the customer is
    still deleted afterwards."""
    expect_error(
        lambda: backend.customer(params={"pmsim_bogus": "1"}),
        message="Received unknown parameter: pmsim_bogus",
        code="parameter_unknown",
        param="pmsim_bogus",
    )


@pytest.mark.parametrize("action", ["retrieve", "update", "delete", "list payment methods"])
def test_a_missing_customer_in_the_path_is_a_404_on_id(backend: Backend, action: str) -> None:
    customers = backend.client.v1.customers
    calls = {
        "retrieve": lambda: customers.retrieve(MISSING_CUSTOMER),
        "update": lambda: customers.update(MISSING_CUSTOMER, {"name": "Grace"}),
        "delete": lambda: customers.delete(MISSING_CUSTOMER),
        "list payment methods": lambda: customers.payment_methods.list(MISSING_CUSTOMER),
    }
    expect_error(
        calls[action],
        status=404,
        message=no_such_customer(MISSING_CUSTOMER),
        code="resource_missing",
        param="id",
    )


def test_a_missing_customer_in_a_query_is_a_400_on_that_parameter(backend: Backend) -> None:
    """A missing object named by a parameter, not the path, is a 400 (docs/fidelity.md, settled
    choice (e))."""
    expect_error(
        lambda: backend.client.v1.payment_methods.list({"customer": MISSING_CUSTOMER}),
        message=no_such_customer(MISSING_CUSTOMER),
        code="resource_missing",
        param="customer",
    )


@pytest.mark.parametrize("action", ["retrieve", "update", "attach", "detach"])
def test_a_missing_payment_method_is_a_404_on_payment_method(backend: Backend, action: str) -> None:
    """The path's id is named ``payment_method`` whatever the action."""
    pms = backend.client.v1.payment_methods
    calls = {
        "retrieve": lambda: pms.retrieve(MISSING_PM),
        "update": lambda: pms.update(MISSING_PM, {"metadata": {"k": "v"}}),
        "attach": lambda: pms.attach(MISSING_PM, {"customer": backend.customer().id}),
        "detach": lambda: pms.detach(MISSING_PM),
    }
    expect_error(
        calls[action],
        status=404,
        message=no_such_payment_method(MISSING_PM),
        code="resource_missing",
        param="payment_method",
    )


def test_expanding_a_field_that_is_not_an_object_is_refused(backend: Backend) -> None:
    """No message (nor ``param``) was recorded for a path that cannot be expanded; pmsim's
    wording is its own (docs/fidelity.md "The REST surface"), so only the class, type and
    status are checked."""
    cus = backend.customer()
    expect_error_class(lambda: backend.client.v1.customers.retrieve(cus.id, {"expand": ["email"]}))


@pytest.mark.parametrize("limit", [0, 101])
def test_a_limit_outside_1_to_100_is_refused(backend: Backend, limit: int) -> None:
    """``limit`` ranges 1–100 (Stripe's pagination docs); the message for one outside it was never
    recorded, so only the class, type and status are checked."""
    email = unique_email()
    expect_error_class(lambda: backend.client.v1.customers.list({"email": email, "limit": limit}))


def test_both_cursors_at_once_are_refused(backend: Backend) -> None:
    """Stripe's pagination docs call the cursors "mutually exclusive"; the message was never
    recorded, so only the class, type and status are checked."""
    first, second = backend.customer(), backend.customer()
    expect_error_class(
        lambda: backend.client.v1.customers.list(
            {"starting_after": first.id, "ending_before": second.id}
        )
    )


# Lists and pagination -------------------------------------------------------------------------


def make_five(backend: Backend) -> tuple[str, list[str]]:
    """Five customers under one address, oldest first, so a filtered list sees only them."""
    email = unique_email()
    return email, [backend.customer(email).id for _ in range(5)]


def test_auto_paging_walks_every_customer_once_newest_first(backend: Backend) -> None:
    email, made = make_five(backend)
    page = backend.client.v1.customers.list({"email": email, "limit": 2})
    assert (page.to_dict()["object"], page.url, page.has_more) == ("list", "/v1/customers", True)
    assert [cus.id for cus in page.data] == [made[4], made[3]]
    walked = [cus.id for cus in page.auto_paging_iter()]
    assert walked == made[::-1]


def test_cursors_page_from_either_side_of_a_customer(backend: Backend) -> None:
    """``starting_after`` gives the next (older) customers; ``ending_before`` the previous
    (newer) ones nearest the cursor, still newest first, and stripe-python's auto-paging then
    walks backwards to the newest."""
    email, made = make_five(backend)
    customers = backend.client.v1.customers
    older = customers.list({"email": email, "limit": 2, "starting_after": made[4]})
    assert ([cus.id for cus in older.data], older.has_more) == ([made[3], made[2]], True)
    last = customers.list({"email": email, "limit": 2, "starting_after": made[1]})
    assert ([cus.id for cus in last.data], last.has_more) == ([made[0]], False)

    newer = customers.list({"email": email, "limit": 2, "ending_before": made[0]})
    assert ([cus.id for cus in newer.data], newer.has_more) == ([made[2], made[1]], True)
    assert [cus.id for cus in newer.auto_paging_iter()] == made[1:]
    first = customers.list({"email": email, "limit": 2, "ending_before": made[3]})
    assert ([cus.id for cus in first.data], first.has_more) == ([made[4]], False)


# expand --------------------------------------------------------------------------------------


def test_expand_a_payment_methods_customer(backend: Backend) -> None:
    cus = backend.customer(unique_email())
    pms = backend.client.v1.payment_methods
    attached = pms.attach("pm_card_visa", {"customer": cus.id, "expand": ["customer"]})
    pm = pms.retrieve(attached.id, {"expand": ["customer"]})
    for each in (attached, pm):
        assert isinstance(each.customer, stripe.Customer), each.customer
        assert (each.customer.id, each.customer.email) == (cus.id, cus.email)
    assert pms.retrieve(attached.id).customer == cus.id  # not expanded unless asked


def test_expand_data_customer_on_a_list(backend: Backend) -> None:
    cus = backend.customer(unique_email())
    pms = backend.client.v1.payment_methods
    made = [pms.attach("pm_card_visa", {"customer": cus.id}).id for _ in range(2)]
    lists = {
        "customer's": backend.client.v1.customers.payment_methods.list(
            cus.id, {"expand": ["data.customer"]}
        ),
        "filtered": pms.list({"customer": cus.id, "expand": ["data.customer"]}),
    }
    for name, listed in lists.items():
        assert [pm.id for pm in listed.data] == made[::-1], name
        for pm in listed.data:
            assert isinstance(pm.customer, stripe.Customer), (name, pm.customer)
            assert (pm.customer.id, pm.customer.email) == (cus.id, cus.email)


def test_expand_a_customers_default_payment_method(backend: Backend) -> None:
    cus = backend.customer()
    pm = backend.client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    path = "invoice_settings.default_payment_method"
    customers = backend.client.v1.customers
    updated = customers.update(
        cus.id, {"invoice_settings": {"default_payment_method": pm.id}, "expand": [path]}
    )
    retrieved = customers.retrieve(cus.id, {"expand": [path]})
    for each in (updated, retrieved):
        assert each.invoice_settings is not None
        default = each.invoice_settings.default_payment_method
        assert isinstance(default, stripe.PaymentMethod), default
        assert (default.id, default.customer) == (pm.id, cus.id)


# Idempotency -----------------------------------------------------------------------------------


def test_a_retry_with_the_same_key_replays_the_first_answer(backend: Backend) -> None:
    """The replay is the saved response (same customer), marked ``Idempotent-Replayed: true``
    (seen in recorded responses), and nothing new is created. The key is new each run: Stripe
    keeps keys for a day."""
    email = unique_email()
    options: stripe.RequestOptions = {"idempotency_key": unique("pmsim-conformance")}
    first = backend.customer(email, options=options)
    again = backend.customer(email, options=options)
    assert again.id == first.id
    assert response_header(again, "Idempotent-Replayed") == "true"
    assert customers_with(backend, email) == [first.id]


def test_the_same_key_with_other_parameters_is_an_idempotency_error(backend: Backend) -> None:
    key = unique("pmsim-conformance")
    options: stripe.RequestOptions = {"idempotency_key": key}
    first_email, other_email = unique_email(), unique_email()
    first = backend.customer(first_email, options=options)
    expect_error(
        lambda: backend.customer(other_email, options=options),
        stripe.IdempotencyError,
        message="Keys for idempotent requests can only be used with the same parameters they "
        f"were first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
    )
    assert customers_with(backend, first_email) == [first.id]
    assert customers_with(backend, other_email) == []


# API keys --------------------------------------------------------------------------------------


def test_a_malformed_api_key_is_refused_with_401(backend: Backend) -> None:
    """A key that is no Stripe key at all is refused by both backends alike.

    Against Stripe this uses no account data: the key is made up. A made-up ``sk_test_`` key
    is not tested: Stripe refuses it while pmsim accepts any well-formed test key by design
    (docs/fidelity.md). Nor is a live key: sending one to Stripe could reach a real account,
    and pmsim's refusal of live keys is its own wording, tested in tests/transports and
    tests/api. Recorded answers give the message's shape (prefix kept, middle masked, last 4) but
    not how much of an unprefixed key is kept, so only the start, the masking and the last 4
    characters are checked.
    """
    key = "pmsim_conformance_not_a_key_0000"
    wrong = backend.with_key(key)
    err = expect_error_class(
        lambda: wrong.v1.customers.list({"limit": 1}), stripe.AuthenticationError, status=401
    )
    assert err.error is not None and err.error.message is not None
    message = err.error.message
    assert message.startswith("Invalid API Key provided: ") and message.endswith("0000"), message
    assert "*" in message and "not_a_key" not in message, message
