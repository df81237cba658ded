"""Legacy card sources: customers.create/update(source=…), default_source and the sources
sub-resource (docs/fidelity.md, 'Legacy sources')."""

from __future__ import annotations

import pytest

import pmsim


def event_types(sim: pmsim.Simulator) -> list[str]:
    return [event.type for event in reversed(sim.events.list(limit=100).data)]


def test_a_source_on_create_is_the_default_card() -> None:
    sim = pmsim.Simulator(seed=1)
    cus = sim.customers.create(source="tok_visa")
    assert cus.default_source is not None and cus.default_source.startswith("card_")
    card = sim.customers.retrieve_source(cus.id, cus.default_source)
    rendered = card.to_dict()
    assert (rendered["object"], rendered["brand"], rendered["last4"]) == ("card", "Visa", "4242")
    assert (rendered["customer"], rendered["cvc_check"]) == (cus.id, "pass")
    assert cus.to_dict()["default_source"] == card.id
    assert "sources" not in cus.to_dict()
    assert event_types(sim) == ["customer.created", "customer.source.created"]


def test_ids_are_deterministic() -> None:
    first = pmsim.Simulator(seed=4).customers.create(source="tok_visa").default_source
    assert first == pmsim.Simulator(seed=4).customers.create(source="tok_visa").default_source


def test_a_new_source_becomes_the_default_only_when_there_is_none() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create()
    first = sim.customers.create_source(cus.id, source="tok_visa")
    assert sim.customers.retrieve(cus.id).default_source == first.id
    second = sim.customers.create_source(cus.id, source="tok_mastercard")
    assert sim.customers.retrieve(cus.id).default_source == first.id
    assert [card.id for card in sim.customers.list_sources(cus.id)] == [second.id, first.id]
    assert event_types(sim)[-3:] == [
        "customer.source.created",
        "customer.updated",
        "customer.source.created",
    ]
    updated = sim.events.list(type="customer.updated").data[0]
    assert updated.to_dict()["data"]["previous_attributes"] == {"default_source": None}


def test_update_with_a_source_replaces_and_deletes_the_old_default() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create(source="tok_visa")
    old = cus.default_source
    cus = sim.customers.update(cus.id, source="tok_amex")
    assert cus.default_source != old
    assert [card.id for card in sim.customers.list_sources(cus.id)] == [cus.default_source]
    with pytest.raises(pmsim.InvalidRequestError, match="No such source"):
        sim.customers.retrieve_source(cus.id, str(old))
    assert event_types(sim)[-3:] == [
        "customer.source.created",
        "customer.source.deleted",
        "customer.updated",
    ]
    updated = sim.events.list(type="customer.updated").data[0]
    assert updated.to_dict()["data"]["previous_attributes"] == {"default_source": old}


def test_default_source_must_be_one_of_the_customers_cards() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create(source="tok_visa")
    other = sim.customers.create(source="tok_visa")
    second = sim.customers.create_source(cus.id, source="tok_mastercard")
    assert sim.customers.update(cus.id, default_source=second.id).default_source == second.id
    before = sim.snapshot()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.customers.update(cus.id, default_source=str(other.default_source))
    error = caught.value
    assert (error.http_status, error.param, error.code) == (
        400,
        "default_source",
        "resource_missing",
    )
    assert error.message == f"No such source: '{other.default_source}'"
    assert sim.snapshot() == before


def test_a_payment_method_is_refused_as_a_source_word_for_word() -> None:
    sim = pmsim.Simulator()
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    before = sim.snapshot()
    for value in (pm.id, "pm_card_visa"):
        with pytest.raises(pmsim.InvalidRequestError) as caught:
            sim.customers.create(source=value)
        assert caught.value.message == (
            "You cannot use a PaymentMethod as a source for Customers. Instead, use the "
            "PaymentMethods API to Attach a Customer to a PaymentMethod. See "
            "https://stripe.com/docs/api/payment_methods/attach"
        )
        assert (caught.value.http_status, caught.value.code, caught.value.param) == (
            400,
            None,
            None,
        )
    assert sim.snapshot() == before


@pytest.mark.parametrize(
    ("token", "decline_code"),
    [
        ("tok_visa_chargeDeclined", "generic_decline"),
        ("tok_visa_chargeDeclinedLostCard", "lost_card"),
    ],
)
def test_a_declining_token_is_a_card_error_and_changes_nothing(
    token: str, decline_code: str
) -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create()
    before = sim.snapshot()
    for call in (
        lambda: sim.customers.create(source=token),
        lambda: sim.customers.update(cus.id, source=token),
        lambda: sim.customers.create_source(cus.id, source=token),
    ):
        with pytest.raises(pmsim.CardError) as caught:
            call()
        assert (caught.value.http_status, caught.value.decline_code) == (402, decline_code)
        assert sim.snapshot() == before


def test_an_unknown_token_and_a_missing_source() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create()
    with pytest.raises(pmsim.InvalidRequestError, match="No such token: 'tok_nope'"):
        sim.customers.create(source="tok_nope")
    with pytest.raises(pmsim.InvalidRequestError, match="Missing required param: source"):
        sim.customers.create_source(cus.id)


def test_deleting_the_default_makes_the_newest_card_left_the_default() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create(source="tok_visa")
    middle = sim.customers.create_source(cus.id, source="tok_mastercard")
    newest = sim.customers.create_source(cus.id, source="tok_amex")
    gone = sim.customers.delete_source(cus.id, str(cus.default_source))
    assert gone.to_dict() == {"id": cus.default_source, "object": "card", "deleted": True}
    assert sim.customers.retrieve(cus.id).default_source == newest.id
    sim.customers.delete_source(cus.id, middle.id)  # not the default: nothing else moves
    assert sim.customers.retrieve(cus.id).default_source == newest.id
    sim.customers.delete_source(cus.id, newest.id)
    assert sim.customers.retrieve(cus.id).default_source is None
    assert sim.customers.list_sources(cus.id).data == ()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.customers.delete_source(cus.id, newest.id)
    assert caught.value.http_status == 404


def test_another_customers_card_is_no_such_source() -> None:
    sim = pmsim.Simulator()
    ada = sim.customers.create(source="tok_visa")
    bob = sim.customers.create()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.customers.retrieve_source(bob.id, str(ada.default_source))
    assert (caught.value.http_status, caught.value.param) == (404, "id")


def test_update_source_changes_name_address_expiry_and_metadata() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create(source="tok_visa")
    card_id = str(cus.default_source)
    card = sim.customers.update_source(
        cus.id, card_id, name="Ada", address_zip="94107", address_country="US",
        exp_month=12, exp_year=2030, metadata={"k": "v"},
    )  # fmt: skip
    rendered = card.to_dict()
    assert (rendered["name"], rendered["address_zip"], rendered["address_country"]) == (
        "Ada", "94107", "US",
    )  # fmt: skip
    assert (rendered["exp_month"], rendered["exp_year"], rendered["metadata"]) == (
        12, 2030, {"k": "v"},
    )  # fmt: skip
    event = sim.events.list(type="customer.source.updated").data[0].to_dict()
    assert event["data"]["previous_attributes"]["name"] is None
    with pytest.raises(pmsim.CardError):
        sim.customers.update_source(cus.id, card_id, exp_month=13)
    cleared = sim.customers.update_source(cus.id, card_id, name="")
    assert cleared.name is None


def test_list_sources_filters_by_object_and_pages() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create()
    made = [sim.customers.create_source(cus.id, source="tok_visa").id for _ in range(3)]
    first = sim.customers.list_sources(cus.id, limit=2)
    assert ([c.id for c in first], first.has_more) == (made[:0:-1], True)
    rest = sim.customers.list_sources(cus.id, starting_after=made[1])
    assert [c.id for c in rest] == [made[0]]
    assert sim.customers.list_sources(cus.id, object="bank_account").data == ()
    assert len(sim.customers.list_sources(cus.id, object="card")) == 3
    assert first.url == f"/v1/customers/{cus.id}/sources"


def test_deleting_a_customer_deletes_its_sources() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create(source="tok_visa")
    sim.customers.create_source(cus.id, source="tok_mastercard")
    sim.customers.delete(cus.id)
    assert event_types(sim)[-3:] == [
        "customer.source.deleted",
        "customer.source.deleted",
        "customer.deleted",
    ]
    assert all(card.deleted for card in sim.snapshot().sources)
    deleted_event = sim.events.list(type="customer.deleted").data[0].to_dict()
    assert deleted_event["data"]["object"]["default_source"] == cus.default_source


def test_sources_survive_snapshots_forks_and_state_files(tmp_path) -> None:
    sim = pmsim.Simulator(seed=3)
    cus = sim.customers.create(source="tok_visa")
    sim.customers.create_source(cus.id, source="tok_amex")
    path = tmp_path / "state.json"
    sim.save(path)
    loaded = pmsim.Simulator.load(path)
    assert loaded.snapshot() == sim.snapshot()
    assert (
        loaded.customers.list_sources(cus.id).to_dict()
        == sim.customers.list_sources(cus.id).to_dict()
    )
    fork = sim.fork()
    newer = fork.customers.create_source(cus.id, source="tok_visa")
    assert newer.id == sim.customers.create_source(cus.id, source="tok_visa").id


def test_each_source_refusal_carries_a_hint_from_the_history() -> None:
    """Stripe's message stays Stripe's; pmsim's hint says why, from what happened here."""
    sim = pmsim.Simulator(seed=2)
    carol, dave = sim.customers.create(source="tok_visa"), sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=dave.id)
    card = carol.default_source
    assert card is not None

    def hint(call: object) -> str:
        with pytest.raises(pmsim.StripeError) as refused:
            call()  # type: ignore[operator]
        return str(refused.value.hint)

    assert hint(lambda: sim.customers.create(source=pm.id)).startswith(
        f"{pm.id} is a PaymentMethod, and `source` takes a card token"
    )
    assert hint(lambda: sim.customers.retrieve_source(dave.id, card)) == (
        f"{card} is a card of {carol.id}, not of {dave.id}: a card source belongs to the "
        "customer it was added to."
    )
    assert hint(lambda: sim.customers.update(dave.id, default_source="card_nope")).startswith(
        "No object 'card_nope' was ever made in this simulator."
    )
    sim.customers.delete_source(carol.id, card)
    deleted = sim.events.list(type="customer.source.deleted").data[0]
    assert hint(lambda: sim.customers.retrieve_source(carol.id, card)) == (
        f"{card} was deleted at 2024-01-01T00:00:00Z (event {deleted.id}): a deleted card "
        "source is gone for good. Add a new card with customers.create_source(customer, "
        'source="tok_visa").'
    )
