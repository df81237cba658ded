"""``sim.charges``: the charges PaymentIntent confirmations made, to read and list.

Charges are made by the payments themselves (``engine/charging.py``); this namespace only
finds them. Retrieving an id nobody made is Stripe's 404.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=700, currency="eur", payment_method="pm_card_visa",
...                                 confirm=True, off_session=True)
>>> [charge.id for charge in sim.charges.list(payment_intent=pi.id)] == [pi.latest_charge]
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain.charges import Charge
from pmsim.domain.inputs import Created
from pmsim.domain.models import ListObject
from pmsim.domain.refunds import Refund
from pmsim.engine import rules
from pmsim.engine.listing import filtered_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


class Charges:
    """Stripe's Charge reads: retrieve and list (newest first)."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def retrieve(self, charge: str) -> Charge:
        """The charge."""
        with self._kernel.lock:
            return rules.find_record(self._kernel.store.charges, charge, "charge", param="charge")

    def list(
        self,
        *,
        customer: str | None = None,
        payment_intent: str | None = None,
        created: Created | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[Charge]:
        """Charges, newest first, optionally of one customer or one PaymentIntent."""
        with self._kernel.lock:
            return filtered_page(
                self._kernel.store.charges, kind="charge", url="/v1/charges", created=created,
                filters={"customer": customer, "payment_intent": payment_intent},
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip

    def list_refunds(
        self,
        charge: str,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[Refund]:
        """The charge's refunds, newest first (``GET /v1/charges/{charge}/refunds``)."""
        found = self.retrieve(charge)
        with self._kernel.lock:
            return filtered_page(
                self._kernel.store.refunds, kind="refund", url=f"/v1/charges/{found.id}/refunds",
                created=None, filters={"charge": found.id},
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip
