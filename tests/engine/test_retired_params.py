"""Parameters a later API version removed: unknown from the gate on, answered before it
(issue 14; pmsim/domain/retired_params.py)."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.domain import versions
from pmsim.domain.retired_params import RETIRED

BEFORE_BASIL = "2025-02-24.acacia"


def _before(gate: versions.Gate) -> str:
    return versions.VERSIONS[gate.starts.rank - 1].name


@pytest.mark.parametrize("operation, param", sorted(RETIRED))
def test_each_retired_parameter_is_unknown_from_its_gate(operation: str, param: str) -> None:
    sim = pmsim.Simulator(api_version=RETIRED[operation, param].starts)
    cus = sim.customers.create()
    pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    before = sim.snapshot()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        if operation == "customers.create":
            sim.customers.create(**{param: "x"})
        elif operation == "customers.update":
            sim.customers.update(cus.id, **{param: "x"})
        else:
            sim.payment_methods.update(pm.id, **{param: {}})
    assert caught.value.message == f"Received unknown parameter: {param}"
    assert sim.snapshot() == before


@pytest.mark.parametrize(
    "param, name", [("coupon", "coupon"), ("promotion_code", "promotion code")]
)
def test_before_basil_a_customers_coupon_is_looked_for_and_not_found(param: str, name: str) -> None:
    sim = pmsim.Simulator(api_version=BEFORE_BASIL)
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.customers.create(**{param: "SUMMER"})
    error = caught.value
    assert (error.message, error.code, error.param) == (
        f"No such {name}: 'SUMMER'",
        "resource_missing",
        param,
    )
    cus = sim.customers.create()
    assert sim.customers.update(cus.id, **{param: ""}) == cus  # "" removes none: no change
    assert not sim.customers.list().data[1:]


@pytest.mark.parametrize(
    "param",
    sorted({param for operation, param in RETIRED if operation == "payment_methods.update"}),
)
def test_before_its_gate_another_types_details_are_refused_on_a_card(param: str) -> None:
    gate = RETIRED["payment_methods.update", param]
    sim = pmsim.Simulator(api_version=_before(gate))
    pm = sim.payment_methods.attach("pm_card_visa", customer=sim.customers.create().id)
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.payment_methods.update(pm.id, **{param: {}})
    assert caught.value.param == param
    assert f"You cannot update {param} details on {pm.id}: it is a card" in caught.value.message
    assert sim.payment_methods.retrieve(pm.id) == pm


def test_attach_takes_customer_or_customer_account_and_finds_no_account() -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.payment_methods.attach("pm_card_visa", customer_account="acct_1Nv0FGQ9RKHgCVdK")
    assert (caught.value.message, caught.value.code, caught.value.param) == (
        "No such account: 'acct_1Nv0FGQ9RKHgCVdK'",
        "resource_missing",
        "customer_account",
    )
    with pytest.raises(pmsim.InvalidRequestError) as both:
        sim.payment_methods.attach("pm_card_visa", customer=cus.id, customer_account="acct_1")
    assert both.value.message == (
        "You may only specify one of these parameters: customer, customer_account."
    )
    assert not sim.payment_methods.list(customer=cus.id).data
