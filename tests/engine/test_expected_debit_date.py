"""``payment_method_details.<type>.expected_debit_date`` on a bank debit's charge (Stripe's
2025-12-15.clover addition, shown in every version as additive fields are): the UTC day the
bank answers on the simulator's clock, kept once it has; null when it never answers."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from pmsim.domain.times import date
from tests.support import RETURN_URL

ACCEPTED: dict[str, Any] = {"customer_acceptance": {"type": "offline"}}


def debit(sim: pmsim.Simulator, test_pm: str, currency: str) -> dict[str, Any]:
    """The charge's details after a one-off debit (a US bank account verified first)."""
    pi = sim.payment_intents.create(
        amount=1000, currency=currency, payment_method=test_pm, confirm=True,
        return_url=RETURN_URL, mandate_data=ACCEPTED,
    )  # fmt: skip
    if pi.status.value == "requires_action":
        pi = sim.payment_intents.verify_microdeposits(pi.id, descriptor_code="SM11AA")
    details: dict[str, Any] = sim.charges.retrieve(str(pi.latest_charge)).to_dict()[
        "payment_method_details"
    ]
    return details[details["type"]]


@pytest.mark.parametrize(
    ("test_pm", "currency"),
    [("pm_sepaDebit_success_de", "eur"), ("pm_usBankAccount_success", "usd")],
)
def test_the_day_the_bank_answers_is_shown_and_kept(
    sim: pmsim.Simulator, test_pm: str, currency: str
) -> None:
    sim.clock.advance(hours=23, minutes=59, seconds=30)  # the answer falls on the next day
    shown = debit(sim, test_pm, currency)["expected_debit_date"]
    assert shown == date(sim.clock.now() + 60) != date(sim.clock.now())
    sim.clock.advance(minutes=1)
    charge = sim.charges.list().data[0]
    assert charge.status.value == "succeeded"
    details = charge.to_dict()["payment_method_details"]
    assert details[details["type"]]["expected_debit_date"] == shown


def test_a_debit_the_bank_never_answers_has_no_date(sim: pmsim.Simulator) -> None:
    assert debit(sim, "pm_usBankAccount_processing", "usd")["expected_debit_date"] is None
