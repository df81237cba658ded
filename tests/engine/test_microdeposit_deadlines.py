"""An intent that stops waiting for microdeposits forgets them, so their 10-day deadline
moves nothing later (found by the money machine: a canceled SetupIntent was timed out back to
``requires_payment_method``, and an intent whose payment method was unset crashed the timer)."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim

Sim = pmsim.Simulator
ACCEPTED = {"customer_acceptance": {"type": "offline"}}
RETURN_URL = "https://example.com/return"


def waiting(sim: Sim, kind: str) -> Any:
    made = {"payment_method": "pm_usBankAccount_success", "confirm": True,
            "return_url": RETURN_URL, "mandate_data": ACCEPTED}  # fmt: skip
    if kind == "payment_intents":
        made |= {"amount": 2000, "currency": "usd"}
    intent = getattr(sim, kind).create(**made)
    assert intent.status.value == "requires_action" and intent.microdeposits is not None
    return intent


#: Ways to stop waiting, on either intent, and the status each leaves.
LEAVING = {
    "cancel": (lambda ns, i: ns.cancel(i), "canceled"),
    "unset the payment method": (lambda ns, i: ns.update(i, payment_method=""),
                                 "requires_payment_method"),
    "another payment method": (lambda ns, i: ns.update(i, payment_method="pm_card_visa"),
                               "requires_confirmation"),
}  # fmt: skip


@pytest.mark.parametrize("kind", ["setup_intents", "payment_intents"])
@pytest.mark.parametrize("how", LEAVING)
def test_leaving_the_wait_forgets_the_deadline(sim: Sim, kind: str, how: str) -> None:
    leave, status = LEAVING[how]
    namespace = getattr(sim, kind)
    intent = waiting(sim, kind)
    left = leave(namespace, intent.id)
    assert (left.status.value, left.microdeposits, left.next_action) == (status, None, None)
    mark = sim.event_count
    sim.clock.advance(days=11)
    assert namespace.retrieve(intent.id).status.value == status
    assert [e.type for e in sim.events_since(mark)] == []


def test_confirming_again_with_a_card_asks_for_3ds_not_microdeposits(sim: Sim) -> None:
    intent = waiting(sim, "setup_intents")
    again = sim.setup_intents.confirm(
        intent.id, payment_method="pm_card_threeDSecure2Required", return_url=RETURN_URL
    )
    assert again.status.value == "requires_action" and again.microdeposits is None
    assert again.next_action is not None and again.next_action["type"] == "redirect_to_url"
    sim.clock.advance(days=11)
    assert sim.setup_intents.retrieve(intent.id).status.value == "requires_action"
