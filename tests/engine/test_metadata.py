"""Metadata limits and their errors, on customers and payment methods alike."""

from __future__ import annotations

import pytest

import pmsim
from tests.support import assert_stripe_error


@pytest.fixture(params=["customer", "payment_method"])
def update_metadata(request: pytest.FixtureRequest, sim: pmsim.Simulator):
    cus = sim.customers.create()
    if request.param == "customer":
        return lambda metadata: sim.customers.update(cus.id, metadata=metadata)
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    return lambda metadata: sim.payment_methods.update(pm.id, metadata=metadata)


def test_limits_hold_exactly(sim: pmsim.Simulator, update_metadata) -> None:
    full = {f"key{i}": "v" * 500 for i in range(50)} | {"k" * 40: "x"}
    full.pop("key49")
    assert len(update_metadata(full).metadata) == 50


def test_key_too_long(sim: pmsim.Simulator, update_metadata) -> None:
    key = "k" * 41
    assert_stripe_error(
        lambda: update_metadata({key: "v"}),
        message=f"Invalid key: {key} must be a string under 40 characters",
        param="metadata",
        sim=sim,
    )


def test_value_too_long(sim: pmsim.Simulator, update_metadata) -> None:
    value = "v" * 501
    assert_stripe_error(
        lambda: update_metadata({"k": value}),
        message=f"Invalid val: {value} must be a string under 500 characters",
        param="metadata",
        sim=sim,
    )


def test_too_many_keys_counts_what_is_already_there(sim: pmsim.Simulator, update_metadata) -> None:
    update_metadata({f"key{i}": "v" for i in range(50)})
    assert_stripe_error(
        lambda: update_metadata({"one_more": "v"}),
        message="Metadata can have up to 50 keys, but you've set 51. Email us at "
        "support+metadata@stripe.com for more information.",
        param="metadata",
        sim=sim,
    )
    assert len(update_metadata({"key0": "", "one_more": "v"}).metadata) == 50


def test_brackets_are_not_allowed_in_keys(sim: pmsim.Simulator, update_metadata) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        update_metadata({"a[b]": "v"})
    assert caught.value.param == "metadata"


def test_values_become_strings(sim: pmsim.Simulator, update_metadata) -> None:
    assert dict(update_metadata({"n": 3, "flag": True}).metadata) == {"n": "3", "flag": "true"}
