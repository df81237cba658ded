"""Same seed and same calls give identical objects and events; time moves only on request."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pmsim


def story(sim: pmsim.Simulator) -> dict[str, object]:
    cus = sim.customers.create(email="a@example.com", payment_method="pm_card_visa")
    sim.clock.advance(days=3)
    pm = sim.payment_methods.attach("pm_card_mastercard", customer=cus.id)
    sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm.id})
    with contextlib.suppress(pmsim.CardError):
        sim.payment_methods.attach("pm_card_visa_chargeDeclined", customer=cus.id)
    sim.payment_methods.detach(pm.id)
    return sim.snapshot().to_dict()


def test_same_seed_same_everything() -> None:
    assert story(pmsim.Simulator(seed=7)) == story(pmsim.Simulator(seed=7))


def test_different_seed_different_ids() -> None:
    first, second = story(pmsim.Simulator(seed=1)), story(pmsim.Simulator(seed=2))
    assert first["customers"][0]["id"] != second["customers"][0]["id"]  # type: ignore[index]


def test_a_failed_call_uses_up_no_ids() -> None:
    clean, noisy = pmsim.Simulator(seed=3), pmsim.Simulator(seed=3)
    with contextlib.suppress(pmsim.InvalidRequestError):
        noisy.payment_methods.attach("pm_card_visa", customer="cus_missing")
    assert clean.customers.create().id == noisy.customers.create().id


def test_clock_starts_fixed_and_moves_only_when_told() -> None:
    sim = pmsim.Simulator()
    assert sim.clock.now() == 1_704_067_200
    assert sim.customers.create().created == 1_704_067_200
    sim.clock.advance(hours=1)
    assert sim.customers.create().created == 1_704_070_800
    custom = pmsim.Simulator(start_time=datetime(2030, 5, 1, tzinfo=UTC))
    assert custom.customers.create().created == int(datetime(2030, 5, 1, tzinfo=UTC).timestamp())
