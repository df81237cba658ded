"""``sim.payment_methods``: create, retrieve, update, list, attach and detach cards."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from attrs import evolve

from pmsim.domain import errors, params
from pmsim.domain.card_input import CARD_NUMBER_PARAMS, check_expiry, from_number, from_token
from pmsim.domain.customer_params import merge_address
from pmsim.domain.events import PAYMENT_METHOD_ATTACHED, PAYMENT_METHOD_UPDATED, previous_attributes
from pmsim.domain.lifecycle import Action, apply
from pmsim.domain.models import BillingDetails, ListObject, PaymentMethod
from pmsim.engine import rules
from pmsim.engine.customers import list_attached

if TYPE_CHECKING:
    from pmsim.engine.simulator import Simulator

BILLING_FIELDS: Final = ("address", "email", "name", "phone")
EXPIRY_FIELDS: Final = ("exp_month", "exp_year")

#: Stripe's payment method types (OpenAPI enum); pmsim simulates only ``card``.
STRIPE_TYPES: Final = (
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bacs_debit",
    "bancontact", "blik", "boleto", "card", "card_present", "cashapp", "customer_balance", "eps",
    "fpx", "giropay", "grabpay", "ideal", "interac_present", "klarna", "konbini", "link", "oxxo",
    "p24", "paynow", "paypal", "pix", "promptpay", "sepa_debit", "sofort", "us_bank_account",
    "wechat_pay", "zip",
)  # fmt: skip


def merge_billing_details(current: BillingDetails, value: object) -> BillingDetails:
    """``billing_details`` merged into ``current``; ``""`` unsets a field."""
    fields = params.hash_of(value, "billing_details", BILLING_FIELDS)
    changes: dict[str, Any] = {}
    for key, raw in fields.items():
        param = f"billing_details[{key}]"
        if key == "address":
            changes[key] = merge_address(current.address, raw, param) or type(current.address)()
        elif raw == "":
            changes[key] = None
        else:
            changes[key] = params.email(raw, param) if key == "email" else params.string(raw, param)
    return evolve(current, **changes)


class PaymentMethods:
    """Stripe's PaymentMethod operations for cards, with Stripe's names and parameters.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> pm = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    >>> sim.payment_methods.detach(pm.id).customer is None
    True
    """

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def create(
        self,
        *,
        type: Any = None,
        card: Any = None,
        billing_details: Any = None,
        metadata: Any = None,
        customer: Any = None,
        payment_method: Any = None,
    ) -> PaymentMethod:
        """Create a card payment method from a token, a test number or card details (§4.1)."""
        if type is None:
            raise errors.missing_param("type")
        kind = params.choice(type, "type", STRIPE_TYPES)
        if kind != "card":
            raise errors.PmsimUsageError(
                f"pmsim simulates card payment methods only, not type={kind!r}. "
                "Create a card with card={'token': 'tok_visa'} or a test id like pm_card_visa."
            )
        if customer is not None:
            raise errors.customer_on_payment_method_create()
        if payment_method is not None:
            raise errors.PmsimUsageError(
                "pmsim does not simulate Connect, so payment methods cannot be shared with a "
                "connected account (the payment_method parameter of PaymentMethod create)."
            )
        if card is None:
            raise errors.missing_param("card")
        with self._sim._operation() as op:
            fields = params.hash_of(card, "card", ("token", *CARD_NUMBER_PARAMS))
            if "token" in fields:
                params.hash_of(fields, "card", ("token",))
                new_card, row = from_token(
                    params.string(fields["token"], "card[token]"), today=rules.today(op)
                )
                cvc_given = True  # test tokens stand for cards entered with a CVC
            else:
                new_card, row = from_number(fields, today=rules.today(op))
                cvc_given = fields.get("cvc") is not None
            details = BillingDetails()
            if billing_details is not None:
                details = merge_billing_details(details, billing_details)
            pm = rules.new_pm(
                op, new_card, row, cvc_given=cvc_given, billing_details=details, metadata=metadata
            )
            op.put(pm)  # Stripe emits no event for a new payment method (§10.2)
        return pm

    def retrieve(self, payment_method: str) -> PaymentMethod:
        """A payment method by id; a detached one keeps its id, with ``customer`` None (§4.2)."""
        with self._sim._lock:
            return rules.existing_pm(self._sim._store, payment_method, in_path=True)

    def update(
        self,
        payment_method: str,
        *,
        billing_details: Any = None,
        card: Any = None,
        metadata: Any = None,
    ) -> PaymentMethod:
        """Update an attached payment method's billing details, expiry or metadata (§4.3)."""
        with self._sim._operation() as op:
            current = rules.existing_pm(op.store, payment_method, in_path=True)
            apply(current.state, Action.UPDATE)
            updated = current
            if billing_details is not None:
                details = merge_billing_details(current.billing_details, billing_details)
                updated = evolve(updated, billing_details=details)
            if card is not None:
                expiry = params.hash_of(card, "card", EXPIRY_FIELDS)
                month = params.integer(
                    expiry.get("exp_month", current.card.exp_month), "card[exp_month]"
                )
                year = params.integer(
                    expiry.get("exp_year", current.card.exp_year), "card[exp_year]"
                )
                check_expiry(month, year, today=rules.today(op))
                year = year + 2000 if year < 100 else year
                updated = evolve(updated, card=evolve(updated.card, exp_month=month, exp_year=year))
            if metadata is not None:
                updated = evolve(updated, metadata=params.metadata(current.metadata, metadata))
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
        customer: Any = None,
        ending_before: str | None = None,
        limit: Any = None,
        starting_after: str | None = None,
        type: Any = None,
    ) -> ListObject[PaymentMethod]:
        """A customer's payment methods; without ``customer`` the list is empty (§4.2)."""
        with self._sim._lock:
            if customer is None:
                params.bounded(limit if limit is not None else 10, "limit", 1, 100)
                return ListObject((), False, "/v1/payment_methods")
            owner = rules.live_customer(self._sim._store, customer)
            return list_attached(
                self._sim, owner.id, "/v1/payment_methods", type, limit=limit,
                starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip

    def attach(self, payment_method: str, *, customer: Any = None) -> PaymentMethod:
        """Attach to a customer; a test id such as ``pm_card_visa`` attaches a new one (§4.4).

        Attaching to the customer it already belongs to changes nothing and emits no event.
        """
        with self._sim._operation() as op:
            pm = rules.usable_pm(op, payment_method, in_path=True)
            if customer is None:
                raise errors.missing_param("customer")
            owner = rules.live_customer(op.store, customer)
            result = rules.attached(pm, owner)
            if result is pm:
                return pm
            op.put(result)
            op.emit(PAYMENT_METHOD_ATTACHED, result)
        return result

    def detach(self, payment_method: str) -> PaymentMethod:
        """Detach for good: it can never be attached or used again (§4.5)."""
        with self._sim._operation() as op:
            pm = rules.existing_pm(op.store, payment_method, in_path=True)
            owner = op.store.customers.get(pm.customer) if pm.customer else None
            return rules.detach(op, pm, owner)
