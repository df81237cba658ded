"""A Simulator shared between threads keeps every law."""

from __future__ import annotations

import threading

import pmsim


def test_one_card_raced_by_eight_threads_ends_with_exactly_one_customer() -> None:
    sim = pmsim.Simulator()
    pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"}).id
    customers = [sim.customers.create().id for _ in range(8)]
    start = threading.Barrier(8)
    wins: list[str] = []

    def attach(customer: str) -> None:
        start.wait()
        try:
            sim.payment_methods.attach(pm, customer=customer)
            wins.append(customer)
        except pmsim.InvalidRequestError:
            pass

    threads = [threading.Thread(target=attach, args=(c,)) for c in customers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(wins) == 1
    assert sim.payment_methods.retrieve(pm).customer == wins[0]
    owners = [c for c in customers if len(sim.customers.list_payment_methods(c)) == 1]
    assert owners == wins
    assert len(sim.events.list(type="payment_method.attached")) == 1
