"""A Simulator shared between threads keeps every law."""

from __future__ import annotations

import pmsim
from tests.support import race


def test_one_card_raced_by_eight_threads_ends_with_exactly_one_customer() -> None:
    sim = pmsim.Simulator()
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).id
    customers = [sim.customers.create().id for _ in range(8)]
    wins = race(
        lambda customer: sim.payment_methods.attach(pm, customer=customer),
        customers,
        lost=pmsim.InvalidRequestError,
    )
    assert len(wins) == 1
    assert sim.payment_methods.retrieve(pm).customer == wins[0]
    owners = [c for c in customers if len(sim.customers.list_payment_methods(c)) == 1]
    assert owners == wins
    assert len(sim.events.list(type="payment_method.attached")) == 1
