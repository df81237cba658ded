"""Legacy card sources through the official stripe client, as dj-stripe uses them."""

from __future__ import annotations

import pytest
import stripe

import pmsim


def test_client_create_with_source_and_retrieve_expanded(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create({"source": "tok_visa"})
    found = client.v1.customers.retrieve(cus.id, {"expand": ["default_source", "sources"]})
    assert isinstance(found.default_source, stripe.Card)
    assert found.default_source.id == cus.default_source
    assert found.sources is not None
    assert [card.id for card in found.sources.data] == [cus.default_source]


def test_client_sources_sub_resource(client: stripe.StripeClient) -> None:
    cus = client.v1.customers.create()
    sources = client.v1.customers.payment_sources
    card = sources.create(cus.id, {"source": "tok_mastercard"})
    assert isinstance(card, stripe.Card) and card.brand == "MasterCard"
    assert [c.id for c in sources.list(cus.id, {"object": "card"}).data] == [card.id]
    assert sources.retrieve(cus.id, card.id).last4 == "4444"
    assert sources.update(cus.id, card.id, {"name": "Ada"}).name == "Ada"  # type: ignore[union-attr]
    deleted = sources.delete(cus.id, card.id)
    assert deleted.id == card.id and deleted["deleted"] is True
    assert client.v1.customers.retrieve(cus.id).default_source is None


def test_client_refusals(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.customers.create({"source": "pm_card_visa"})
    assert caught.value.user_message is not None
    assert caught.value.user_message.startswith("You cannot use a PaymentMethod as a source")
    cus = client.v1.customers.create()
    with pytest.raises(stripe.CardError) as declined:
        client.v1.customers.payment_sources.create(cus.id, {"source": "tok_visa_chargeDeclined"})
    assert declined.value.code == "card_declined"


def test_legacy_module_level_calls_under_mock_stripe() -> None:
    with pmsim.mock_stripe() as sim:
        cus = stripe.Customer.create(source="tok_visa")
        found = stripe.Customer.retrieve(cus.id, expand=["default_source", "sources"])
        assert isinstance(found.default_source, stripe.Card)
        assert found.default_source.brand == "Visa"
        second = stripe.Customer.create_source(cus.id, source="tok_amex")
        assert [c.id for c in stripe.Customer.list_sources(cus.id).data] == [
            second.id,
            cus.default_source,
        ]
        assert stripe.Customer.retrieve_source(cus.id, second.id).id == second.id
        stripe.Customer.modify_source(cus.id, second.id, metadata={"k": "v"})
        stripe.Customer.delete_source(cus.id, second.id)
    assert [c.id for c in sim.customers.list_sources(cus.id)] == [cus.default_source]
