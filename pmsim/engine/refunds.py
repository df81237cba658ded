"""``sim.refunds``: give back part or all of a succeeded charge, found by the charge or its
PaymentIntent, until nothing is left (``domain/refunds.py``).

A refund updates its charge (``amount_refunded``, ``refunded``) and emits
``charge.refunded``, after ``refund.created`` on accounts whose version sends refund events
for card refunds (from 2024-10-28.acacia).

A manual-capture charge that is still only authorized cannot be refunded (Stripe: cancel its
PaymentIntent instead); once captured, refunds give back at most what was captured, the
released remainder aside (``engine/captures.py``).

Refunds of the two refund test cards change later, when the clock passes their
``changes_at`` (:func:`refunds_due`, in the timer table ``engine/timers.py``): each change
emits ``refund.updated`` (and ``refund.failed`` for a failure) on those accounts, then
``charge.refund.updated`` on every account. A failed refund gives its amount back to the
charge, which can be refunded again.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from attrs import evolve

from pmsim.domain import params, versions
from pmsim.domain.amounts import money
from pmsim.domain.charges import Charge, ChargeStatus
from pmsim.domain.errors import StripeError
from pmsim.domain.events import (
    CHARGE_REFUND_UPDATED,
    CHARGE_REFUNDED,
    REFUND_CREATED,
    REFUND_FAILED,
    REFUND_UPDATED,
    previous_attributes,
)
from pmsim.domain.inputs import Created, MetadataParams, Unset
from pmsim.domain.messages import parameters
from pmsim.domain.messages import refunds as messages
from pmsim.domain.models import EMPTY_METADATA
from pmsim.domain.pages import ListObject
from pmsim.domain.refunds import LATER_REFUNDS, REASONS, REFUND_WINDOWS, Refund, RefundStatus
from pmsim.engine import hints, rules
from pmsim.engine.kernel import Due
from pmsim.engine.listing import filtered_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation
    from pmsim.store import Store


class Refunds:
    """Stripe's Refund operations for card charges."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(
        self,
        *,
        charge: str | None = None,
        payment_intent: str | None = None,
        amount: int | None = None,
        reason: str | None = None,
        metadata: MetadataParams | Unset | None = None,
    ) -> Refund:
        """Refund ``amount`` (by default all that is left) of a charge, or of a
        PaymentIntent's succeeded charge."""
        if charge is None and payment_intent is None:
            raise parameters.missing_param("charge")
        if charge is not None and payment_intent is not None:
            raise parameters.only_one_of("charge", "payment_intent")
        why = None if reason is None else params.choice(reason, "reason", REASONS)
        with self._kernel.operation() as op:
            found = _charge_of(op, charge, payment_intent)
            if not found.captured and not found.released:  # still an authorization
                intent = op.store.payment_intents[found.payment_intent]
                error = messages.uncaptured(intent.id)
                raise hints.authorization_held(
                    error, op.store, intent, "refund.uncaptured", charge=found.id
                )
            window = REFUND_WINDOWS.get(found.payment_method_type)
            if window is not None and op.now > found.created + window:  # too long ago
                raise messages.not_refundable()
            left = found.refundable
            if left <= 0:
                raise hints.refund_refused(messages.already_refunded(found.id), op.store, found)
            asked = left if amount is None else params.integer(amount, "amount")
            if asked < 1:
                raise parameters.too_small("amount", 1)
            if asked > left:
                raise hints.refund_refused(_too_much(found, asked, left), op.store, found)
            row = op.store.payment_methods[found.payment_method].test_row
            status, delay = LATER_REFUNDS.get(row, (RefundStatus.SUCCEEDED, None))
            refund = Refund(
                id=op.new_id("re"), created=op.now, amount=asked, currency=found.currency,
                charge=found.id, payment_intent=found.payment_intent, reason=why,
                metadata=params.metadata(EMPTY_METADATA, metadata) if metadata else EMPTY_METADATA,
                status=status, changes_at=None if delay is None else op.now + delay.seconds,
                payment_method_type=found.payment_method_type,
            )  # fmt: skip
            refunded = evolve(found, amount_refunded=found.amount_refunded + asked)
            op.put(refund, refunded)
            if versions.REFUND_EVENTS.holds(op.account_version):
                op.emit(REFUND_CREATED, refund)
            changed = previous_attributes(found.to_dict(), refunded.to_dict())
            op.emit(CHARGE_REFUNDED, refunded, changed)
        return refund

    def retrieve(self, refund: str) -> Refund:
        """The refund."""
        with self._kernel.lock:
            return _find(self._kernel, refund)

    def update(self, refund: str, *, metadata: MetadataParams | Unset | None = None) -> Refund:
        """Change a refund's metadata (the one thing that can change)."""
        with self._kernel.operation() as op:
            current = _find(self._kernel, refund)
            if metadata is None:
                return current
            updated = evolve(current, metadata=params.metadata(current.metadata, metadata))
            if updated != current:
                op.put(updated)
            return updated

    def cancel(self, refund: str) -> Refund:
        """Cancel a refund waiting for the customer's action. Card refunds never wait, so
        every simulated refund is refused, as Stripe refuses refunds in other statuses."""
        with self._kernel.lock:
            current = _find(self._kernel, refund)
        raise messages.cannot_cancel(current.id, current.status.value)

    def list(
        self,
        *,
        charge: str | None = None,
        payment_intent: str | None = None,
        created: Created | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[Refund]:
        """Refunds, newest first, optionally of one charge or one PaymentIntent."""
        with self._kernel.lock:
            return filtered_page(
                self._kernel.store.refunds, kind="refund", url="/v1/refunds", created=created,
                filters={"charge": charge, "payment_intent": payment_intent},
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip


def refunds_due(store: Store, now: int) -> Iterator[Due]:
    """The refunds whose later change has fallen due by ``now`` (a timer)."""
    for refund in store.refunds.values():
        if refund.changes_at is not None and refund.changes_at <= now:
            yield Due(refund.changes_at, partial(_change_later, refund_id=refund.id))


def _change_later(op: Operation, refund_id: str) -> None:
    """Stripe's later change to a refund test card's refund, with its events."""
    before = op.store.refunds[refund_id]
    after = before.later()
    op.put(after)
    if not after.counts:  # failed: the money is the charge's to refund again
        charge = op.store.charges[after.charge]
        op.put(evolve(charge, amount_refunded=charge.amount_refunded - after.amount))
    changed = previous_attributes(before.to_dict(), after.to_dict())
    if versions.REFUND_EVENTS.holds(op.account_version):
        op.emit(REFUND_UPDATED, after, changed)
        if after.status is RefundStatus.FAILED:
            op.emit(REFUND_FAILED, after)
    op.emit(CHARGE_REFUND_UPDATED, after, changed)  # deprecated by Stripe, still sent


def _too_much(charge: Charge, asked: int, left: int) -> StripeError:
    """Stripe's refusal of ``asked`` when only ``left`` remains (its words differ once part
    of the charge was refunded)."""
    currency = charge.currency
    if charge.given_back:
        return messages.more_than_left(money(asked, currency), money(left, currency))
    return messages.more_than_charged(
        money(asked, currency), money(charge.amount_captured, currency)
    )


def _find(kernel: Kernel, refund: object) -> Refund:
    return rules.find_record(kernel.store.refunds, refund, "refund", param="refund")


def _charge_of(op: Operation, charge: str | None, payment_intent: str | None) -> Charge:
    """The succeeded charge named, or the one the PaymentIntent named made."""
    if charge is not None:
        found = rules.find_record(op.store.charges, charge, "charge", param="charge", in_path=False)
        if found.status is not ChargeStatus.SUCCEEDED:
            raise messages.nothing_to_refund(found.id, found.status.value)
        return found
    intent = rules.find_record(
        op.store.payment_intents, payment_intent, "payment_intent", param="payment_intent",
        in_path=False,
    )  # fmt: skip
    latest = op.store.charges.get(intent.latest_charge or "")
    if latest is None or latest.status is not ChargeStatus.SUCCEEDED:
        raise messages.intent_not_charged(intent.id, intent.status.value)
    return latest
