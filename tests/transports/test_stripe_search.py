"""Search as stripe-python sees it: ``client.v1.customers.search`` and
``client.v1.payment_intents.search`` answer ``SearchResultObject``s, ``auto_paging_iter()``
walks the pages with ``page=next_page``, and bad queries raise ``InvalidRequestError``."""

from __future__ import annotations

import pytest
import stripe

import pmsim


def test_customer_search_by_email(client: stripe.StripeClient) -> None:
    ada = client.v1.customers.create({"email": "ada@example.com"})
    client.v1.customers.create({"email": "bo@example.com"})
    found = client.v1.customers.search({"query": "email:'ada@example.com'"})
    assert isinstance(found, stripe.SearchResultObject)
    assert found.object == "search_result" and found.url == "/v1/customers/search"
    assert [cus.id for cus in found.data] == [ada.id]
    assert (found.has_more, found.next_page) == (False, None)


def test_auto_paging_walks_every_match_once(client: stripe.StripeClient) -> None:
    made = [
        client.v1.customers.create(
            {"email": f"c{i}@example.com", "metadata": {"plan": "pro" if i % 3 else "free"}}
        ).id
        for i in range(23)
    ]
    first = client.v1.customers.search({"query": 'metadata["plan"]:"pro"', "limit": 4})
    assert first.has_more and isinstance(first.next_page, str)
    walked = [cus.id for cus in first.auto_paging_iter()]
    assert walked == [cus_id for i, cus_id in enumerate(made) if i % 3][::-1]


def test_payment_intent_search_with_total_count_and_expand(
    client: stripe.StripeClient, sim: pmsim.Simulator
) -> None:
    cus = client.v1.customers.create({"email": "ada@example.com"})
    paid = client.v1.payment_intents.create(
        {"amount": 2000, "currency": "usd", "customer": cus.id,
         "payment_method": "pm_card_visa", "confirm": True,
         "return_url": "https://example.com/return"}
    )  # fmt: skip
    client.v1.payment_intents.create({"amount": 300, "currency": "eur"})
    found = client.v1.payment_intents.search(
        {"query": "status:'succeeded' AND amount>=1000",
         "expand": ["total_count", "data.customer"]}
    )  # fmt: skip
    assert found.total_count == 1
    assert found.data[0].id == paid.id
    assert found.data[0].customer.email == "ada@example.com"  # type: ignore[union-attr]
    everything = client.v1.payment_intents.search({"query": "-currency:'jpy'", "limit": 1})
    assert len(list(everything.auto_paging_iter())) == 2


def test_a_bad_query_raises_invalid_request_error(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.search({"query": "email:'a' OR name:'b' AND phone:'c'"})
    err = caught.value
    assert (err.http_status, err.param, err.code) == (400, "query", None)
    assert "AND and OR cannot be used in the same query" in str(err.user_message)
