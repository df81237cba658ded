"""Charges: what a PaymentIntent confirmation that reaches the card network leaves behind.

A charge is made by the engine when a payment succeeds or declines (not while 3-D Secure
waits, nor when authentication fails: neither reaches the network). ``latest_charge`` names
it, a decline's envelope and ``last_payment_error`` carry its id, and ``charge.succeeded`` or
``charge.failed`` comes before the PaymentIntent's own event (``../shared/reference/
stripe-charges-refunds-debits.md`` §1).

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=500, currency="usd", payment_method="pm_card_visa",
...                                 confirm=True, off_session=True)
>>> charge = sim.charges.retrieve(pi.latest_charge)
>>> charge.status.value, charge.paid, charge.to_dict()["outcome"]["type"]
('succeeded', True, 'authorized')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, Final

from attrs import frozen

from pmsim.domain import times
from pmsim.domain.messages.payment_methods import Decline
from pmsim.domain.models import EMPTY_METADATA
from pmsim.domain.parts import BillingDetails, Card, Details, SepaDebit, UsBankAccount


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"
    PENDING = "pending"
    FAILED = "failed"


#: Test cards Radar blocks before the network sees them, and the one it rates elevated
#: (https://docs.stripe.com/testing, "Fraud prevention"). Every other card is rated normal.
BLOCKED_BY_RADAR: Final = frozenset({"radar_block", "risk_level_highest"})
ELEVATED_RISK: Final = frozenset({"risk_level_elevated"})
#: A deterministic risk score per level (Stripe's is 0-99; the level is what rules read).
RISK_SCORES: Final[Mapping[str, int]] = {"normal": 20, "elevated": 65, "highest": 95}


@frozen
class Outcome:
    """``charge.outcome``: what the network (or Radar) said. Seller messages are Stripe's
    documented ones (https://docs.stripe.com/declines)."""

    type: str
    network_status: str
    seller_message: str
    reason: str | None = None
    risk_level: str = "normal"

    @classmethod
    def of(cls, test_card: str, decline: Decline | None) -> Outcome:
        risk = "elevated" if test_card in ELEVATED_RISK else "normal"
        if decline is None:
            return cls("authorized", "approved_by_network", "Payment complete.", risk_level=risk)
        if test_card in BLOCKED_BY_RADAR:
            return cls("blocked", "not_sent_to_network", "Stripe blocked this payment as too "
                       "risky.", "highest_risk_level", "highest")  # fmt: skip
        code = decline.decline_code or decline.code
        said = (
            "The bank did not return any further details with this decline."
            if code == "generic_decline"
            else f"The bank returned the decline code `{code}`."
        )
        return cls("issuer_declined", "declined_by_network", said, code, risk)

    def to_dict(self) -> dict[str, Any]:
        # No "rule": Stripe sends it only when a Radar rule decided (never, here).
        body: dict[str, Any] = {
            "network_status": self.network_status,
            "reason": self.reason,
            "risk_level": self.risk_level,
            "risk_score": RISK_SCORES.get(self.risk_level),
            "seller_message": self.seller_message,
            "type": self.type,
        }
        if body["risk_score"] is None:  # Radar scores cards only ("not_assessed" otherwise)
            del body["risk_score"]
        return body


#: A bank debit's outcome: submitted to the bank, which Radar does not assess (recorded on a
#: SEPA charge, failed later or not).
BANK_DEBIT_OUTCOME: Final = Outcome(
    "authorized", "approved_by_network", "Payment complete.", risk_level="not_assessed"
)


#: ``payment_method_details.card.three_d_secure`` after the customer authenticated (pmsim's
#: values: Stripe's test 3-D Secure 2 challenge).
AUTHENTICATED: Final[Mapping[str, Any]] = {
    "authentication_flow": "challenge",
    "electronic_commerce_indicator": "05",
    "exemption_indicator": None,
    "result": "authenticated",
    "result_reason": None,
    "version": "2.2.0",
}


@frozen
class Charge:
    """A charge. Its payment method's details are kept as they were when charged, under the
    type's name (``card``); every other type's are None."""

    id: str
    created: int
    amount: int
    currency: str
    payment_intent: str
    payment_method: str
    card: Card | None
    billing_details: BillingDetails
    outcome: Outcome
    status: ChargeStatus = ChargeStatus.SUCCEEDED
    customer: str | None = None
    description: str | None = None
    metadata: Mapping[str, str] = EMPTY_METADATA
    receipt_email: str | None = None
    captured: bool = True
    amount_captured: int = 0
    amount_refunded: int = 0
    failure_code: str | None = None
    failure_message: str | None = None
    authenticated: bool = False  # 3-D Secure came before it
    payment_method_type: str = "card"
    sepa_debit: SepaDebit | None = None
    mandate: str | None = None  # the mandate a bank debit was made under
    #: pmsim's own: when a pending bank debit succeeds or fails (``engine/bank_debits.py``);
    #: never shown in Stripe's JSON.
    settles_at: int | None = None

    @property
    def details(self) -> Details:
        """The charged payment method's details, as they were (``charge.card`` for a card)."""
        found: Details = getattr(self, self.payment_method_type)
        return found

    #: Manual capture: when Stripe releases the authorization if it is still uncaptured.
    capture_before: int | None = None
    #: A US bank account's details, as debited (ACH).
    us_bank_account: UsBankAccount | None = None
    #: A bank debit: when the bank is expected to take the money (None: it cannot be told),
    #: shown as the day in ``payment_method_details``' ``expected_debit_date``.
    expected_debit_at: int | None = None

    @property
    def paid(self) -> bool:
        """ "true if the charge succeeded, or was successfully authorized for later capture"."""
        return self.status is ChargeStatus.SUCCEEDED

    @property
    def refunded(self) -> bool:
        """Nothing is left: what was captured was given back, and what was not, released."""
        return self.amount_refunded > 0 and self.amount_refunded >= self.amount

    @property
    def released(self) -> int:
        """How much of ``amount_refunded`` released an authorization instead of giving money
        back: the part a partial capture left, or all of a canceled or expired one. A charge
        that was never captured can only be released, never refunded."""
        return self.amount - self.amount_captured if self.captured else self.amount_refunded

    @property
    def given_back(self) -> int:
        """What refunds gave back of the captured money."""
        return self.amount_refunded - self.released

    @property
    def refundable(self) -> int:
        """What a refund may still give back."""
        return self.amount_captured - self.given_back

    def __repr__(self) -> str:
        parts = (self.id, f"{self.amount} {self.currency}", self.status.value, self.details.label)
        return "<Charge " + " ".join(parts) + ">"

    def to_dict(self) -> dict[str, Any]:
        paid = self.paid
        kind = self.payment_method_type
        details = {kind: PAYMENT_METHOD_DETAILS[kind](self), "type": kind}
        return {
            "id": self.id,
            "object": "charge",
            "amount": self.amount,
            "amount_captured": self.amount_captured,
            "amount_refunded": self.amount_refunded,
            "application": None,
            "application_fee": None,
            "application_fee_amount": None,
            "balance_transaction": None,
            "billing_details": self.billing_details.to_dict(),
            # Stripe works it out for card charges only.
            "calculated_statement_descriptor": "PMSIM" if self.card is not None else None,
            "captured": self.captured,
            "created": self.created,
            "currency": self.currency,
            "customer": self.customer,
            "description": self.description,
            "disputed": False,
            "failure_balance_transaction": None,
            "failure_code": self.failure_code,
            "failure_message": self.failure_message,
            "fraud_details": {},
            "livemode": False,
            "metadata": dict(self.metadata),
            "on_behalf_of": None,
            "outcome": self.outcome.to_dict(),
            "paid": paid,
            "payment_intent": self.payment_intent,
            "payment_method": self.payment_method,
            "payment_method_details": details,
            "radar_options": {},
            "receipt_email": self.receipt_email,
            "receipt_number": None,
            "receipt_url": f"https://pay.stripe.com/receipts/payment/{self.id}" if paid else None,
            "refunded": self.refunded,
            "review": None,
            "shipping": None,
            "source_transfer": None,
            "statement_descriptor": None,
            "statement_descriptor_suffix": None,
            "status": self.status.value,
            "transfer_data": None,
            "transfer_group": None,
        }


def _card_details(charge: Charge) -> dict[str, Any]:
    """``payment_method_details.card``: the card as charged, and what the network said."""
    card = charge.card
    if card is None:  # the table sends only card charges here
        raise TypeError(f"{charge.id} is not a card charge")
    return {
        "amount_authorized": charge.amount if charge.paid else None,
        "brand": card.brand,
        **({} if charge.capture_before is None else {"capture_before": charge.capture_before}),
        "checks": card.checks.to_dict(),
        "country": card.country,
        "exp_month": card.exp_month,
        "exp_year": card.exp_year,
        "extended_authorization": {"status": "disabled"},
        "fingerprint": card.fingerprint,
        "funding": card.funding,
        "incremental_authorization": {"status": "unavailable"},
        "installments": None,
        "last4": card.last4,
        "mandate": None,
        "multicapture": {"status": "unavailable"},
        "network": card.brand,
        "network_token": {"used": False},
        "overcapture": {"maximum_amount_capturable": charge.amount, "status": "unavailable"},
        "regulated_status": None,
        "three_d_secure": dict(AUTHENTICATED) if charge.authenticated else None,
        "wallet": None,
    }


def _sepa_debit_details(charge: Charge) -> dict[str, Any]:
    """``payment_method_details.sepa_debit``: the account as debited, and the mandate."""
    account = charge.sepa_debit
    if account is None:  # the table sends only SEPA charges here
        raise TypeError(f"{charge.id} is not a SEPA Direct Debit charge")
    return {
        "bank_code": account.bank_code,
        "branch_code": account.branch_code,
        "country": account.country,
        "expected_debit_date": _debit_date(charge),
        "fingerprint": account.fingerprint,
        "last4": account.last4,
        "mandate": charge.mandate,
    }


def _us_bank_account_details(charge: Charge) -> dict[str, Any]:
    """``payment_method_details.us_bank_account``: the account as debited, and the mandate."""
    account = charge.us_bank_account
    if account is None:  # the table sends only ACH charges here
        raise TypeError(f"{charge.id} is not an ACH Direct Debit charge")
    return {
        "account_holder_type": account.account_holder_type,
        "account_type": account.account_type,
        "bank_name": account.bank_name,
        "expected_debit_date": _debit_date(charge),
        "fingerprint": account.fingerprint,
        "last4": account.last4,
        "mandate": charge.mandate,
        "routing_number": account.routing_number,
    }


def _debit_date(charge: Charge) -> str | None:
    """``expected_debit_date`` (from 2025-12-15.clover at Stripe; additive, so pmsim shows it
    in every version): the day the bank answers on pmsim's clock."""
    when = charge.expected_debit_at
    return None if when is None else times.date(when)


#: ``payment_method_details`` of each type, by the charged payment method's type.
PAYMENT_METHOD_DETAILS: Final[Mapping[str, Callable[[Charge], dict[str, Any]]]] = {
    "card": _card_details,
    "sepa_debit": _sepa_debit_details,
    "us_bank_account": _us_bank_account_details,
}
