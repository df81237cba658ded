"""Legacy card sources on customers: ``sim.customers.create_source`` and its siblings, and
what ``customers.create/update(source=…, default_source=…)`` and customer deletion do to them.

The five methods are stripe-python's names (``stripe.Customer.create_source``, ...) and live
on ``sim.customers`` through :class:`CustomerSources`; the rules are in docs/fidelity.md,
'Legacy sources'.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> cus = sim.customers.create(source="tok_visa")
>>> card = sim.customers.retrieve_source(cus.id, cus.default_source)
>>> card.to_dict()["brand"], card.to_dict()["last4"]
('Visa', '4242')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import evolve

from pmsim.domain import params
from pmsim.domain.card_input import YearMonth, check_expiry, checks_on_attach, from_token
from pmsim.domain.cards import CARDS_BY_TOKEN
from pmsim.domain.events import (
    CUSTOMER_SOURCE_CREATED,
    CUSTOMER_SOURCE_DELETED,
    CUSTOMER_SOURCE_UPDATED,
    CUSTOMER_UPDATED,
    previous_attributes,
)
from pmsim.domain.inputs import MetadataParams, Unset
from pmsim.domain.messages import parameters
from pmsim.domain.messages import sources as messages
from pmsim.domain.models import EMPTY_METADATA, Customer
from pmsim.domain.pages import ListObject
from pmsim.domain.parts import Card
from pmsim.domain.sources import CardSource, DeletedCard
from pmsim.engine import hints, rules
from pmsim.engine.listing import page
from pmsim.store import Store

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation

#: ``update_source``'s address parameters, by the Address field each one sets.
ADDRESS_PARAMS = {
    "address_city": "city",
    "address_country": "country",
    "address_line1": "line1",
    "address_line2": "line2",
    "address_state": "state",
    "address_zip": "postal_code",
}


class CustomerSources:
    """The customer source endpoints (``/v1/customers/{customer}/sources``), for cards made
    from ``tok_*`` test tokens; ``sim.customers`` has them.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> first = sim.customers.create_source(cus.id, source="tok_visa")
    >>> second = sim.customers.create_source(cus.id, source="tok_mastercard")
    >>> sim.customers.retrieve(cus.id).default_source == first.id  # the first stays default
    True
    >>> [card.id for card in sim.customers.list_sources(cus.id)] == [second.id, first.id]
    True
    """

    _kernel: Kernel

    def create_source(
        self, customer: str, *, source: str | None = None, metadata: MetadataParams | None = None
    ) -> CardSource:
        """Add a card from a test token; it becomes the default only if there is none."""
        with self._kernel.operation() as op:
            owner = rules.live_customer(op.store, customer, param="id", in_path=True)
            if source is None:
                raise parameters.missing_param("source")
            card = add(op, owner.id, source, metadata)
            if owner.default_source is None:
                set_default(op, owner, card.id)
        return card

    def list_sources(
        self,
        customer: str,
        *,
        ending_before: str | None = None,
        limit: int | None = None,
        object: str | None = None,  # noqa: A002  (Stripe's name for the filter)
        starting_after: str | None = None,
    ) -> ListObject[CardSource]:
        """A customer's card sources, newest first; ``object`` keeps that kind (only cards)."""
        with self._kernel.lock:
            store = self._kernel.store
            owner = rules.live_customer(store, customer, param="id", in_path=True)
            wanted = None if object is None else params.string(object, "object")
            held = store.source_ids(owner.id) if wanted in (None, "card") else []
            position = {card_id: i for i, card_id in enumerate(held)}.get
            ids, has_more = page(
                held, position, kind="source", limit=limit,
                starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip
            url = f"/v1/customers/{owner.id}/sources"
            return ListObject(tuple(store.sources[i] for i in ids), has_more, url)

    def retrieve_source(self, customer: str, source: str) -> CardSource:
        """One of the customer's cards; a deleted one, or another's, is "No such source"."""
        with self._kernel.lock:
            store = self._kernel.store
            owner = rules.live_customer(store, customer, param="id", in_path=True)
            return held_by(store, owner.id, source)

    def update_source(
        self,
        customer: str,
        source: str,
        *,
        address_city: str | None = None,
        address_country: str | None = None,
        address_line1: str | None = None,
        address_line2: str | None = None,
        address_state: str | None = None,
        address_zip: str | None = None,
        exp_month: int | None = None,
        exp_year: int | None = None,
        metadata: MetadataParams | Unset | None = None,
        name: str | None = None,
    ) -> CardSource:
        """Change a card's holder name, billing address, expiry or metadata; ``""`` unsets."""
        sent = rules.sent(address_city=address_city, address_country=address_country,
                          address_line1=address_line1, address_line2=address_line2,
                          address_state=address_state, address_zip=address_zip)  # fmt: skip
        with self._kernel.operation() as op:
            owner = rules.live_customer(op.store, customer, param="id", in_path=True)
            current = held_by(op.store, owner.id, source)
            address = evolve(current.address, **{
                ADDRESS_PARAMS[key]: rules.optional_text(value, key) for key, value in sent.items()
            })  # fmt: skip
            card = current.card
            if exp_month is not None or exp_year is not None:
                card = _new_expiry(card, exp_month, exp_year, rules.today(op))
            changes: dict[str, Any] = {"address": address, "card": card}
            if name is not None:
                changes["name"] = rules.optional_text(name, "name")
            if metadata is not None:
                changes["metadata"] = params.metadata(current.metadata, metadata)
            updated = evolve(current, **changes)
            if updated == current:
                return current
            op.put(updated)
            previous = previous_attributes(current.to_dict(), updated.to_dict())
            op.emit(CUSTOMER_SOURCE_UPDATED, updated, previous)
        return updated

    def delete_source(self, customer: str, source: str) -> DeletedCard:
        """Delete a card; if it was the default, the newest card left becomes the default."""
        with self._kernel.operation() as op:
            owner = rules.live_customer(op.store, customer, param="id", in_path=True)
            card = held_by(op.store, owner.id, source)
            remove(op, card)
            if owner.default_source == card.id:
                left = [i for i in op.store.source_ids(owner.id) if i != card.id]
                set_default(op, owner, left[-1] if left else None)
        return DeletedCard(card.id)


def _new_expiry(card: Card, exp_month: object, exp_year: object, today: YearMonth) -> Card:
    """The card with the expiry sent (each part kept when not sent), checked as at create."""
    month = card.exp_month if exp_month is None else params.integer(exp_month, "exp_month")
    year = card.exp_year if exp_year is None else params.integer(exp_year, "exp_year")
    return evolve(card, exp_month=month, exp_year=check_expiry(month, year, today=today))


def held_by(store: Store, customer_id: str, source: object) -> CardSource:
    """The customer's live card with this id (in the URL path), or Stripe's 404."""
    key = params.string(source, "id")
    found = store.sources.get(key)
    if found is None or found.deleted or found.customer != customer_id:
        error = messages.no_such_source(key, in_path=True)
        raise hints.source_refused(error, store, key, customer_id)
    return found


def add(op: Operation, customer_id: str, token: object, metadata: object = None) -> CardSource:
    """A new card for ``customer_id`` from a test token, put on ``op`` with its event."""
    return keep(op, new_card(op, customer_id, token, metadata))


def keep(op: Operation, card: CardSource) -> CardSource:
    """Put a new card on ``op``, with ``customer.source.created``."""
    op.put(card)
    op.emit(CUSTOMER_SOURCE_CREATED, card)
    return card


def new_card(op: Operation, customer_id: str, token: object, metadata: object = None) -> CardSource:
    """A new card for ``customer_id`` from a test token (not put yet); a ``pm_…`` is
    Stripe's refusal, a declining card its card error (as attach declines)."""
    key = params.string(token, "source")
    if key.startswith("pm_"):
        raise hints.source_refused(messages.payment_method_as_source(), op.store, key, customer_id)
    row = CARDS_BY_TOKEN.get(key)
    if row is None:
        raise messages.no_such_token(key)
    if row.attach_decline is not None:  # tokens carry a CVC, so every decline applies
        raise row.attach_decline.error()
    new = from_token(key, today=rules.today(op))
    card = evolve(new.card, checks=checks_on_attach(row, True, False, False))
    kept = EMPTY_METADATA if metadata is None else params.metadata(EMPTY_METADATA, metadata)
    return CardSource(op.new_id("card"), op.now, card, row.name, customer_id, metadata=kept)


def remove(op: Operation, card: CardSource) -> None:
    """Delete ``card`` within ``op``, with its event (which carries the card as it was)."""
    op.put(evolve(card, deleted=True))
    op.emit(CUSTOMER_SOURCE_DELETED, card)


def set_default(op: Operation, customer: Customer, card_id: str | None) -> Customer:
    """``customer`` with ``default_source`` set, put on ``op`` with ``customer.updated``."""
    updated = evolve(customer, default_source=card_id)
    op.put(updated)
    op.emit(CUSTOMER_UPDATED, updated, {"default_source": customer.default_source})
    return updated


def changed_sources(
    op: Operation, customer: Customer, source: object, default_source: object
) -> Customer:
    """``customers.update``'s ``source`` (a new card replaces the default, which is deleted)
    and ``default_source`` (one of the customer's cards); the customer is not put here."""
    if source is not None:
        card = add(op, customer.id, source)
        if customer.default_source is not None:
            remove(op, op.store.sources[customer.default_source])
        customer = evolve(customer, default_source=card.id)
    if default_source is not None:
        key = params.string(default_source, "default_source")
        found = op.store.sources.get(key)
        pending = found is None and key == customer.default_source  # made in this call
        if not pending and (found is None or found.deleted or found.customer != customer.id):
            error = messages.no_such_source(key, param="default_source")
            raise hints.source_refused(error, op.store, key, customer.id)
        customer = evolve(customer, default_source=key)
    return customer


def delete_all(op: Operation, customer: Customer) -> None:
    """Delete every card of a customer being deleted, oldest first."""
    for card_id in op.store.source_ids(customer.id):
        remove(op, op.store.sources[card_id])
