"""``sim.payment_methods``: create, retrieve, update, list, attach and detach cards and
SEPA Direct Debits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from attrs import evolve

from pmsim.domain import params, pm_params, pm_types, retired_params
from pmsim.domain.events import PAYMENT_METHOD_ATTACHED, PAYMENT_METHOD_UPDATED, previous_attributes
from pmsim.domain.inputs import (
    AllowRedisplay,
    BillingDetailsParams,
    CardExpiryParams,
    CardParams,
    MetadataParams,
    PaymentMethodType,
    SepaDebitParams,
    SimulatedType,
    Unset,
    UsBankAccountParams,
)
from pmsim.domain.lifecycle import Action
from pmsim.domain.messages import lookups, parameters, payment_methods
from pmsim.domain.models import PaymentMethod
from pmsim.domain.pages import ListObject
from pmsim.engine import rules
from pmsim.engine.listing import check_page, customer_payment_methods

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


class PaymentMethods:
    """Stripe's PaymentMethod operations for cards, with Stripe's names and parameters.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    >>> sim.payment_methods.detach(pm.id).customer is None
    True
    """

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(
        self,
        *,
        type: SimulatedType | None = None,
        card: CardParams | None = None,
        sepa_debit: SepaDebitParams | None = None,
        us_bank_account: UsBankAccountParams | None = None,
        billing_details: BillingDetailsParams | None = None,
        metadata: MetadataParams | Unset | None = None,
        customer: None = None,
        payment_method: None = None,
        allow_redisplay: AllowRedisplay | None = None,
    ) -> PaymentMethod:
        """Create a payment method: a card from a token, a test number or card details, or a
        SEPA Direct Debit from an IBAN (``sepa_debit={"iban": ...}``), or a US bank account
        (``us_bank_account={"routing_number": ..., "account_number": ...}``), each with the
        account holder's ``billing_details[name]``.

        ``customer`` and ``payment_method`` (sharing with a connected account) are always
        refused, as Stripe refuses them here: attach the new one to a customer instead.
        ``allow_redisplay`` (``always``, ``limited``; by default ``unspecified``) says whether
        it may be shown to its customer again in a checkout.
        """
        kind = pm_types.TYPES[pm_params.creatable_type(type)]
        details = {"card": card, "sepa_debit": sepa_debit, "us_bank_account": us_bank_account}
        for other, sent in details.items():
            if other != kind.name and sent is not None:
                raise payment_methods.details_of_another_type(other, kind.name)
        if customer is not None:
            raise payment_methods.customer_on_payment_method_create()
        if payment_method is not None:
            raise payment_methods.connect_not_simulated()
        redisplay = "unspecified"
        if allow_redisplay is not None:
            redisplay = pm_params.allow_redisplay(allow_redisplay)
        with self._kernel.operation() as op:
            new = kind.from_params(details[kind.name], rules.today(op))
            billing = rules.DEFAULT_BILLING_DETAILS
            if billing_details is not None:
                billing = pm_params.merge_billing_details(billing, billing_details)
            if kind.needs_name and not billing.name:
                raise parameters.missing_param("billing_details[name]")
            pm = rules.new_pm(
                op, new, billing_details=billing, metadata=metadata, allow_redisplay=redisplay
            )
            op.put(pm)  # Stripe has no payment_method.created event
        return pm

    def retrieve(self, payment_method: str) -> PaymentMethod:
        """A payment method by id; a detached one keeps its id, with ``customer`` None."""
        with self._kernel.lock:
            return rules.existing_pm(self._kernel.store, payment_method, in_path=True)

    def update(
        self,
        payment_method: str,
        *,
        billing_details: BillingDetailsParams | None = None,
        card: CardExpiryParams | None = None,
        metadata: MetadataParams | Unset | None = None,
        allow_redisplay: AllowRedisplay | None = None,
        link: Mapping[str, object] | None = None,
        naver_pay: Mapping[str, object] | None = None,
        pay_by_bank: Mapping[str, object] | None = None,
        payto: Mapping[str, object] | None = None,
    ) -> PaymentMethod:
        """Update an attached payment method's billing details, expiry, metadata or
        ``allow_redisplay``. Other types' details (in the versions that still take them)
        are refused: every simulated payment method is a card."""
        others = {"link": link, "naver_pay": naver_pay, "pay_by_bank": pay_by_bank,
                  "payto": payto}  # fmt: skip
        with self._kernel.operation() as op:
            current = rules.existing_pm(op.store, payment_method, in_path=True)
            retired_params.other_types(current.id, others, op.version)
            rules.transition(op.store, current, Action.UPDATE)  # only attached cards; state stays
            updated = current
            if billing_details is not None:
                details = pm_params.merge_billing_details(current.billing_details, billing_details)
                updated = evolve(updated, billing_details=details)
            if card is not None:
                if current.card is None:  # only a card has an expiry to change
                    raise payment_methods.details_of_another_type("card", current.type)
                new_card = pm_params.updated_expiry(current.card, card, today=rules.today(op))
                updated = evolve(updated, card=new_card)
            if metadata is not None:
                updated = evolve(updated, metadata=params.metadata(current.metadata, metadata))
            if allow_redisplay is not None:
                redisplay = pm_params.allow_redisplay(allow_redisplay)
                updated = evolve(updated, allow_redisplay=redisplay)
            if updated == current:
                return current
            op.put(updated)
            op.emit(
                PAYMENT_METHOD_UPDATED,
                updated,
                previous_attributes(current.to_dict(), updated.to_dict()),
            )
        return updated

    def list(
        self,
        *,
        allow_redisplay: AllowRedisplay | None = None,
        customer: str | None = None,
        ending_before: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        type: PaymentMethodType | None = None,
    ) -> ListObject[PaymentMethod]:
        """A customer's payment methods; without ``customer`` the list is empty."""
        with self._kernel.lock:
            store = self._kernel.store
            if customer is None:
                pm_params.listed_type(type)
                if allow_redisplay is not None:
                    pm_params.allow_redisplay(allow_redisplay)
                check_page(limit, starting_after, ending_before)
                return ListObject((), False, "/v1/payment_methods")
            owner = rules.live_customer(store, customer)
            return customer_payment_methods(
                store, owner.id, "/v1/payment_methods", type, allow_redisplay, limit=limit,
                starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip

    def attach(
        self,
        payment_method: str,
        *,
        customer: str | None = None,
        customer_account: str | None = None,
    ) -> PaymentMethod:
        """Attach to a customer; a test id such as ``pm_card_visa`` attaches a new one.

        Attaching to the customer it already belongs to changes nothing and emits no event.
        ``customer_account`` (an Accounts v2 account in Stripe) finds none: pmsim simulates
        customers only.
        """
        with self._kernel.operation() as op:
            pm = rules.usable_pm(op, payment_method, in_path=True)
            if customer is not None and customer_account is not None:
                raise parameters.only_one_of("customer", "customer_account")
            if customer_account is not None:
                account = params.string(customer_account, "customer_account")
                raise lookups.no_such("customer_account", account, param="customer_account")
            if customer is None:
                raise parameters.missing_param("customer")
            owner = rules.live_customer(op.store, customer)
            result = rules.attached(op.store, pm, owner.id)
            if result is pm:
                return pm
            op.put(result)
            op.emit(PAYMENT_METHOD_ATTACHED, result)
        return result

    def detach(self, payment_method: str) -> PaymentMethod:
        """Detach for good: it can never be attached or used again."""
        with self._kernel.operation() as op:
            pm = rules.existing_pm(op.store, payment_method, in_path=True)
            owner = op.store.customers.get(pm.customer) if pm.customer else None
            return rules.detach(op, pm, owner)
