"""The hand-built copies on the attach/detach hot path equal what attrs.evolve would make."""

from __future__ import annotations

from attrs import evolve

import pmsim
from pmsim.domain.lifecycle import PMState
from pmsim.domain.parts import CardChecks


def test_attached_to_and_with_state_match_evolve() -> None:
    sim = pmsim.Simulator()
    pm = sim.payment_methods.create(
        type="card",
        card={"token": "tok_visa"},
        billing_details={"name": "Ada"},
        metadata={"k": "v"},
    )
    checks = CardChecks(cvc_check="pass", address_line1_check="fail")
    assert pm.attached_to("cus_1", PMState.ATTACHED, checks) == evolve(
        pm, customer="cus_1", state=PMState.ATTACHED, card=evolve(pm.card, checks=checks)
    )
    assert pm.attached_to("cus_1", PMState.ATTACHED, None) == evolve(
        pm, customer="cus_1", state=PMState.ATTACHED
    )  # no checks to decide: the card is kept as it is
    assert pm.with_state(PMState.DETACHED, None) == evolve(
        pm, state=PMState.DETACHED, customer=None
    )


def test_the_copies_keep_another_types_details() -> None:
    sim = pmsim.Simulator()
    pm = sim.payment_methods.create(
        type="sepa_debit",
        sepa_debit={"iban": "DE89370400440532013000"},
        billing_details={"name": "Jenny Rosen"},
    )
    assert pm.attached_to("cus_1", PMState.ATTACHED, None) == evolve(
        pm, customer="cus_1", state=PMState.ATTACHED
    )
    assert pm.with_state(PMState.DETACHED, None) == evolve(
        pm, state=PMState.DETACHED, customer=None
    )
