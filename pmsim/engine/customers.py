"""``sim.customers``: create, retrieve, update, delete and list customers, and their cards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from attrs import evolve

from pmsim.domain import params, retired_params
from pmsim.domain.customer_params import customer_changes
from pmsim.domain.digests import base62_digest
from pmsim.domain.events import (
    CUSTOMER_CREATED,
    CUSTOMER_DELETED,
    CUSTOMER_UPDATED,
    PAYMENT_METHOD_ATTACHED,
    previous_attributes,
)
from pmsim.domain.inputs import (
    AddressParams,
    AllowRedisplay,
    Created,
    InvoiceSettingsParams,
    MetadataParams,
    PaymentMethodType,
    ShippingParams,
    StrList,
    TaxExempt,
    Unset,
)
from pmsim.domain.messages import lookups
from pmsim.domain.models import Customer, DeletedCustomer, PaymentMethod
from pmsim.domain.pages import ListObject, SearchResult
from pmsim.domain.search import CUSTOMER_FIELDS, parse
from pmsim.engine import rules, sources
from pmsim.engine.defaults import with_default
from pmsim.engine.listing import created_filter, customer_payment_methods, page
from pmsim.engine.searching import search_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation

#: What a new customer's parameters are applied to: every field at its default.
BLANK_CUSTOMER = Customer(id="", created=0, invoice_prefix="")


class Customers(sources.CustomerSources):
    """Stripe's Customer operations, with Stripe's names and parameters.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create(email="ada@example.com", metadata={"plan": "pro"})
    >>> sim.customers.update(cus.id, metadata={"plan": ""}).metadata
    mappingproxy({})
    """

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(
        self,
        *,
        address: AddressParams | Unset | None = None,
        balance: int | None = None,
        description: str | None = None,
        email: str | None = None,
        invoice_settings: InvoiceSettingsParams | None = None,
        metadata: MetadataParams | Unset | None = None,
        name: str | None = None,
        payment_method: str | None = None,
        phone: str | None = None,
        preferred_locales: StrList | Unset | None = None,
        shipping: ShippingParams | Unset | None = None,
        source: str | None = None,
        tax_exempt: TaxExempt | Unset | None = None,
        test_clock: str | None = None,
        coupon: str | None = None,
        promotion_code: str | None = None,
    ) -> Customer:
        """Create a customer; ``payment_method`` attaches that payment method to it;
        ``source`` (a ``tok_*`` test token) adds a legacy card, its ``default_source``;
        ``test_clock`` puts it on a test clock (deleting the clock deletes the customer).
        ``coupon`` and ``promotion_code`` (before 2025-03-31.basil) find none."""
        retired_params.discounts(coupon, promotion_code, self._kernel.answering_version())
        values = rules.sent(
            address=address, balance=balance, description=description, email=email,
            invoice_settings=invoice_settings, metadata=metadata, name=name, phone=phone,
            preferred_locales=preferred_locales, shipping=shipping, tax_exempt=tax_exempt,
        )  # fmt: skip
        with self._kernel.operation() as op:
            customer_id = op.new_id("cus")
            attached = None
            if payment_method is not None:
                attached = rules.attached(
                    op.store, rules.usable_pm(op, payment_method), customer_id
                )
            values = with_default(op, customer_id, values, attached, payment_method)
            customer = Customer(
                customer_id, op.now, base62_digest(customer_id, 8).upper(),
                **customer_changes(BLANK_CUSTOMER, values),
            )  # fmt: skip
            if test_clock is not None:
                clock = rules.find_test_clock(op.store, test_clock, param="test_clock")
                customer = evolve(customer, test_clock=clock.id)
            card = None if source is None else sources.new_card(op, customer_id, source)
            if card is not None:
                customer = evolve(customer, default_source=card.id)
            op.put(customer)
            op.emit(CUSTOMER_CREATED, customer)
            if card is not None:
                sources.keep(op, card)
            if attached is not None:
                op.put(attached)
                op.emit(PAYMENT_METHOD_ATTACHED, attached)
        return customer

    def retrieve(self, customer: str) -> Customer | DeletedCustomer:
        """The customer; a deleted one answers its ``{"deleted": true}`` stub."""
        with self._kernel.lock:
            key = params.string(customer, "id")
            found = self._kernel.store.customers.get(key)
            if found is None:
                raise lookups.no_such_customer(key, param="id", in_path=True)
            return DeletedCustomer(found.id) if found.deleted else found

    def update(
        self,
        customer: str,
        *,
        address: AddressParams | Unset | None = None,
        balance: int | None = None,
        description: str | None = None,
        email: str | None = None,
        invoice_settings: InvoiceSettingsParams | None = None,
        metadata: MetadataParams | Unset | None = None,
        name: str | None = None,
        phone: str | None = None,
        preferred_locales: StrList | Unset | None = None,
        shipping: ShippingParams | Unset | None = None,
        source: str | None = None,
        default_source: str | None = None,
        tax_exempt: TaxExempt | Unset | None = None,
        coupon: str | None = None,
        promotion_code: str | None = None,
    ) -> Customer:
        """Change what is sent and nothing else; nested hashes merge and ``""`` unsets.
        ``source`` replaces the default card source; ``default_source`` names another."""
        retired_params.discounts(coupon, promotion_code, self._kernel.answering_version())
        values = rules.sent(
            address=address, balance=balance, description=description, email=email,
            invoice_settings=invoice_settings, metadata=metadata, name=name, phone=phone,
            preferred_locales=preferred_locales, shipping=shipping, tax_exempt=tax_exempt,
        )  # fmt: skip
        with self._kernel.operation() as op:
            current = rules.live_customer(op.store, customer, param="id", in_path=True)
            values = with_default(op, current.id, values, None, None)
            updated = evolve(current, **customer_changes(current, values))
            updated = sources.changed_sources(op, updated, source, default_source)
            if updated == current:
                return current  # nothing changed, so no event (docs/fidelity.md)
            op.put(updated)
            op.emit(
                CUSTOMER_UPDATED, updated, previous_attributes(current.to_dict(), updated.to_dict())
            )
        return updated

    def delete(self, customer: str) -> DeletedCustomer:
        """Delete for good: its payment methods are detached first."""
        with self._kernel.operation() as op:
            current = rules.live_customer(op.store, customer, param="id", in_path=True)
            delete_customer(op, current)
        return DeletedCustomer(current.id)

    def list(
        self,
        *,
        created: Created | None = None,
        email: str | None = None,
        ending_before: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        test_clock: str | None = None,
    ) -> ListObject[Customer]:
        """Customers, newest first; deleted ones are left out."""
        with self._kernel.lock:
            store = self._kernel.store
            wanted_email = None if email is None else params.string(email, "email")
            on_clock = None if test_clock is None else params.string(test_clock, "test_clock")
            in_range = created_filter(created)

            def keep(customer_id: str) -> bool:
                found = store.customers[customer_id]
                return not (
                    found.deleted
                    or (wanted_email is not None and found.email != wanted_email)
                    or (on_clock is not None and found.test_clock != on_clock)
                    or (in_range is not None and not in_range(found.created))
                )

            ids, has_more = page(
                store.customer_ids(), store.customer_position, kind="customer", limit=limit,
                starting_after=starting_after, ending_before=ending_before, keep=keep,
            )  # fmt: skip
            return ListObject(tuple(store.customers[i] for i in ids), has_more, "/v1/customers")

    def search(
        self, *, query: str | None = None, limit: int | None = None, page: str | None = None
    ) -> SearchResult[Customer]:
        """Customers matching a query in Stripe's search language, newest first; deleted ones
        are left out. ``page`` is the ``next_page`` of the page before.

        >>> import pmsim
        >>> sim = pmsim.Simulator()
        >>> ada = sim.customers.create(email="ada@example.com", metadata={"plan": "pro"})
        >>> found = sim.customers.search(query='email~"example" metadata["plan"]:"pro"')
        >>> [cus.id for cus in found] == [ada.id], found.has_more, found.next_page
        (True, False, None)
        """
        parsed = parse(query, CUSTOMER_FIELDS, "customers")
        with self._kernel.lock:
            store = self._kernel.store
            return search_page(
                store.customers, store.customer_ids(), store.customer_position, parsed,
                url="/v1/customers/search", limit=limit, page=page,
                keep=lambda customer: not customer.deleted,
            )  # fmt: skip

    def list_payment_methods(
        self,
        customer: str,
        *,
        allow_redisplay: AllowRedisplay | None = None,
        ending_before: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        type: PaymentMethodType | None = None,
    ) -> ListObject[PaymentMethod]:
        """A customer's payment methods, newest first, read from its own index; filtered by
        ``type`` and ``allow_redisplay`` (the cards whose value it is)."""
        with self._kernel.lock:
            store = self._kernel.store
            owner = rules.live_customer(store, customer, param="id", in_path=True)
            url = f"/v1/customers/{owner.id}/payment_methods"
            return customer_payment_methods(
                store, owner.id, url, type, allow_redisplay, limit=limit,
                starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip

    def retrieve_payment_method(self, customer: str, payment_method: str) -> PaymentMethod:
        """One of the customer's payment methods; another customer's is "No such".

        Stripe's answer for another customer's card is not recorded: docs/fidelity.md,
        'Customers and payment methods'.
        """
        with self._kernel.lock:
            store = self._kernel.store
            owner = rules.live_customer(store, customer, param="id", in_path=True)
            pm = rules.existing_pm(store, payment_method, in_path=True)
            if pm.customer != owner.id:
                raise lookups.no_such_payment_method(pm.id, in_path=True)
            return pm


def delete_customer(op: Operation, current: Customer) -> None:
    """Delete ``current`` within ``op``: its payment methods are detached first
    (docs/fidelity.md, 'Attach and detach')."""
    for pm_id in op.store.attached_pm_ids(current.id):
        rules.detach(op, op.store.payment_methods[pm_id], None)
    sources.delete_all(op, current)
    # Stored without its defaults (its cards are gone); the event keeps it as it was.
    settings = evolve(current.invoice_settings, default_payment_method=None)
    op.put(evolve(current, deleted=True, invoice_settings=settings, default_source=None))
    op.emit(CUSTOMER_DELETED, current)
