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

from pmsim.domain.mandates import Mandate
from pmsim.engine import rules

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


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
