"""``sim.mandates``: the mandates bank debits are made under, to read (``GET /v1/mandates/{id}``).

Mandates are made by SetupIntents and payments with ``mandate_data`` (``engine/bank_debits.py``)
and ended by detaching their payment method (``engine/rules.py``); Stripe has no API to
create, list or change one.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> seti = sim.setup_intents.create(payment_method="pm_sepaDebit_success_at", confirm=True,
...     return_url="https://example.com/return",
...     mandate_data={"customer_acceptance": {"type": "offline"}})
>>> sim.mandates.retrieve(seti.mandate).status.value
'active'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain.bank_account_states import MandateAction, mandate_after
from pmsim.domain.mandates import Given, Mandate, customer_acceptance
from pmsim.domain.messages import bank_debits as messages
from pmsim.domain.models import PaymentMethod
from pmsim.engine import hints, rules

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel
    from pmsim.store import Store


def given(
    store: Store, pm: PaymentMethod, now: int, mandate_data: object, mandate: object
) -> Given:
    """The mandate a confirmation with ``pm`` brings, checked: ``mandate_data`` (a new
    acceptance, dated ``now`` unless it says) or ``mandate``, an active mandate of ``pm``;
    not both. A card's confirmation checks them too, though it debits under neither."""
    if mandate is not None and mandate_data is not None:
        raise messages.mandate_and_mandate_data()
    if mandate_data is not None:
        return customer_acceptance(mandate_data, now=now)
    if mandate is None:
        return None
    found = rules.find_record(store.mandates, mandate, "mandate", param="mandate")
    if found.payment_method != pm.id:
        error = messages.mandate_not_for(found.id, pm.id)
        raise hints.explain(
            error, "mandate.not_for", mandate=found.id, owner=found.payment_method,
            pm=hints.named(store, pm),
        )  # fmt: skip
    if mandate_after(found.status, MandateAction.DEBIT) is None:
        raise hints.explain(messages.mandate_inactive(found.id), "mandate.inactive",
                            mandate=found.id)  # fmt: skip
    return found


class Mandates:
    """Stripe's Mandate read: retrieve."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def retrieve(self, mandate: str) -> Mandate:
        """The mandate."""
        with self._kernel.lock:
            return rules.find_record(
                self._kernel.store.mandates, mandate, "mandate", param="mandate"
            )
