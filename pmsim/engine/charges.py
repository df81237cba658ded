"""``sim.charges``: the charges PaymentIntent confirmations made, to read, list and describe.

Charges are made by the payments themselves (``engine/charging.py``); this namespace finds
them, and changes what Stripe lets an update change (``description``, ``metadata``,
``receipt_email``: ``charge.updated``); the other update parameters are refused as not
simulated. Retrieving an id nobody made is Stripe's 404.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=700, currency="eur", payment_method="pm_card_visa",
...                                 confirm=True, off_session=True)
>>> [charge.id for charge in sim.charges.list(payment_intent=pi.id)] == [pi.latest_charge]
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import evolve

from pmsim.domain import params
from pmsim.domain.charges import Charge
from pmsim.domain.events import CHARGE_UPDATED, previous_attributes
from pmsim.domain.inputs import Created, MetadataParams, Unset
from pmsim.domain.messages import refunds as messages
from pmsim.domain.pages import ListObject
from pmsim.domain.refunds import Refund
from pmsim.engine import rules
from pmsim.engine.listing import filtered_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


#: What a charge update takes at Stripe and pmsim does not simulate (refused, not ignored).
NOT_SIMULATED = ("customer", "fraud_details", "shipping", "transfer_group")


class Charges:
    """Stripe's Charge reads (retrieve, list newest first) and update."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def retrieve(self, charge: str) -> Charge:
        """The charge."""
        with self._kernel.lock:
            return rules.find_record(self._kernel.store.charges, charge, "charge", param="charge")

    def update(
        self,
        charge: str,
        *,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        receipt_email: str | None = None,
        customer: object = None,
        fraud_details: object = None,
        shipping: object = None,
        transfer_group: object = None,
    ) -> Charge:
        """Change a charge's ``description``, ``metadata`` (merged in) or ``receipt_email``
        (``""`` unsets either); ``charge.updated`` tells what it was, if anything changed.

        >>> import pmsim
        >>> sim = pmsim.Simulator()
        >>> pi = sim.payment_intents.create(amount=700, currency="eur", confirm=True,
        ...     payment_method="pm_card_visa", off_session=True)
        >>> sim.charges.update(pi.latest_charge, description="Order 42").description
        'Order 42'
        >>> sim.events.list(limit=1).data[0].type
        'charge.updated'
        """
        sent = (customer, fraud_details, shipping, transfer_group)
        for name, value in zip(NOT_SIMULATED, sent, strict=True):
            if value is not None:
                raise messages.charge_param_not_simulated(name)
        with self._kernel.operation() as op:
            current = rules.find_record(op.store.charges, charge, "charge", param="charge")
            changes: dict[str, Any] = {}
            if description is not None:
                changes["description"] = rules.optional_text(description, "description")
            if metadata is not None:
                changes["metadata"] = params.metadata(current.metadata, metadata)
            if receipt_email is not None:
                changes["receipt_email"] = (
                    None if receipt_email == "" else params.email(receipt_email, "receipt_email")
                )
            updated = evolve(current, **changes)
            if updated != current:
                op.put(updated)
                op.emit(CHARGE_UPDATED, updated,
                        previous_attributes(current.to_dict(), updated.to_dict()))  # fmt: skip
            return updated

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
