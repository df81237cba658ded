"""Test clocks through the official client, as ``client.v1.test_helpers.test_clocks``."""

from __future__ import annotations

import stripe

import pmsim


def test_test_clocks_through_the_client(client: stripe.StripeClient, sim: pmsim.Simulator) -> None:
    clocks = client.v1.test_helpers.test_clocks
    clock = clocks.create({"frozen_time": sim.clock.now(), "name": "Renewals"})
    cus = client.v1.customers.create({"test_clock": clock.id, "expand": ["test_clock"]})
    assert cus.test_clock.name == "Renewals"
    advanced = clocks.advance(clock.id, {"frozen_time": clock.frozen_time + 86_400})
    assert (advanced.status, sim.clock.isoformat()) == ("ready", "2024-01-02T00:00:00Z")
    assert [c.id for c in clocks.list().auto_paging_iter()] == [clock.id]
    deleted = clocks.delete(clock.id)
    assert deleted.deleted is True
    assert client.v1.customers.retrieve(cus.id).deleted is True
