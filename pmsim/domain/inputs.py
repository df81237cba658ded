"""What the Python API's parameters look like, for editors and type checkers.

Types only: the checks stay where they were (``params.py``, ``customer_params.py``,
``pm_params.py``, ``card_input.py`` and the engine), and still raise Stripe's errors for a
wrong value at run time, whatever its static type. Each ``TypedDict`` holds exactly the keys
pmsim accepts in that hash; each ``Literal`` the values it accepts (the tests compare them
with the checks' own tables). A field that is not text but can be unset with ``""`` is typed
``... | Unset``. The run-time checks are more lenient than these types, as stripe-python's
encoding is: an object with an ``id`` for that id, a number for text, digit strings for an
integer; the types say what Stripe's own types say.

>>> from pmsim.domain.card_input import from_number
>>> card: CardNumberParams = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030}
>>> from_number(card, today=(2024, 1)).card.last4
'4242'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NotRequired, TypeAlias, TypedDict

#: ``""``: remove the field's value, where Stripe allows it.
Unset: TypeAlias = Literal[""]

#: ``metadata``: numbers and booleans are stored as text, ``""`` removes a key, ``None`` skips it.
MetadataParams: TypeAlias = Mapping[str, str | int | float | bool | None]

#: A list parameter: a list or a tuple (a set's order would differ between runs).
StrList: TypeAlias = list[str] | tuple[str, ...]


class AddressParams(TypedDict, total=False):
    """``address`` (a customer's, ``shipping[address]``, ``billing_details[address]``);
    sent fields merge into the current address."""

    city: str
    country: str
    line1: str
    line2: str
    postal_code: str
    state: str


class ShippingParams(TypedDict):
    """``shipping``: replaced whole, so ``address`` and ``name`` are required each time."""

    address: AddressParams
    name: str
    phone: NotRequired[str]


class InvoiceSettingsParams(TypedDict, total=False):
    """``invoice_settings``: the default must already be attached to the customer."""

    default_payment_method: str
    footer: str


class CardTokenParams(TypedDict):
    """``card={"token": "tok_visa"}``: a test token stands alone."""

    token: str


class CardNumberParams(TypedDict):
    """``card`` as numbers: a test card number with its expiry (two-digit years mean 20xx)."""

    number: str
    exp_month: int
    exp_year: int
    cvc: NotRequired[str]


#: ``card`` on ``payment_methods.create``: a token, or a number with its expiry.
CardParams: TypeAlias = CardTokenParams | CardNumberParams


class CardExpiryParams(TypedDict, total=False):
    """``card`` on ``payment_methods.update``: only the expiry can change."""

    exp_month: int
    exp_year: int


class BillingDetailsParams(TypedDict, total=False):
    """``billing_details``: sent fields merge into the current ones."""

    address: AddressParams | Unset
    email: str
    name: str
    phone: str


class SepaDebitParams(TypedDict):
    """``sepa_debit`` on ``payment_methods.create``: the IBAN (spaces allowed)."""

    iban: str


class UsBankAccountParams(TypedDict, total=False):
    """``us_bank_account`` on ``payment_methods.create``: an account entered by hand."""

    account_number: str
    routing_number: str
    account_holder_type: Literal["individual", "company"]
    account_type: Literal["checking", "savings"]


class OnlineAcceptanceParams(TypedDict):
    """``mandate_data[customer_acceptance][online]``: where the customer accepted it."""

    ip_address: str
    user_agent: str


class CustomerAcceptanceParams(TypedDict):
    """``mandate_data[customer_acceptance]``: how, and when, the customer accepted."""

    type: Literal["online", "offline"]
    accepted_at: NotRequired[int]
    online: NotRequired[OnlineAcceptanceParams]
    offline: NotRequired[Mapping[str, object]]


class MandateDataParams(TypedDict):
    """``mandate_data``: the customer's permission to debit a bank account."""

    customer_acceptance: CustomerAcceptanceParams


class CreatedRange(TypedDict, total=False):
    """``created`` as a range of Unix times."""

    gt: int
    gte: int
    lt: int
    lte: int


#: ``created`` on lists: an exact Unix time or a range.
Created: TypeAlias = int | CreatedRange

#: ``tax_exempt`` (``""`` resets it to ``"none"``).
TaxExempt: TypeAlias = Literal["none", "reverse", "exempt"]

#: The payment method types pmsim creates and pays with.
SimulatedType: TypeAlias = Literal["card", "sepa_debit", "us_bank_account"]

#: Stripe's payment method types: a list filtered by one pmsim does not simulate is empty.
PaymentMethodType: TypeAlias = Literal[
    "acss_debit", "affirm", "afterpay_clearpay", "alipay", "au_becs_debit", "bacs_debit",
    "bancontact", "blik", "boleto", "card", "card_present", "cashapp", "customer_balance", "eps",
    "fpx", "giropay", "grabpay", "ideal", "interac_present", "klarna", "konbini", "link", "oxxo",
    "p24", "paynow", "paypal", "pix", "promptpay", "sepa_debit", "sofort", "us_bank_account",
    "wechat_pay", "zip",
]  # fmt: skip

#: ``allow_redisplay``: whether a saved card may be shown again to its customer in a checkout.
AllowRedisplay: TypeAlias = Literal["always", "limited", "unspecified"]

#: ``payment_method_types`` on an intent.
SimulatedTypes: TypeAlias = list[SimulatedType] | tuple[SimulatedType, ...]


class AutomaticMethodsParams(TypedDict):
    """``automatic_payment_methods`` on intent create: ``enabled`` is required."""

    enabled: bool
    allow_redirects: NotRequired[Literal["always", "never"]]


#: A SetupIntent's ``usage``; a PaymentIntent's ``setup_future_usage``.
Usage: TypeAlias = Literal["off_session", "on_session"]

#: ``capture_method``: ``manual`` authorizes now and captures later (``payment_intents.capture``).
CaptureMethod: TypeAlias = Literal["automatic", "automatic_async", "manual"]


class CardOptionsParams(TypedDict, total=False):
    """``payment_method_options[card]`` on a PaymentIntent (pmsim simulates capture_method)."""

    capture_method: CaptureMethod


#: ``payment_method_options[us_bank_account][verification_method]``: ``instant`` (Financial
#: Connections) is not simulated; ``automatic`` falls back to microdeposits, as Stripe's does.
VerificationMethod: TypeAlias = Literal["automatic", "instant", "microdeposits"]


class UsBankAccountOptionsParams(TypedDict, total=False):
    """``payment_method_options[us_bank_account]`` on an intent (pmsim simulates
    verification_method)."""

    verification_method: VerificationMethod


class PaymentMethodOptionsParams(TypedDict, total=False):
    """``payment_method_options`` on a PaymentIntent."""

    card: CardOptionsParams
    us_bank_account: UsBankAccountOptionsParams


class SetupMethodOptionsParams(TypedDict, total=False):
    """``payment_method_options`` on a SetupIntent."""

    us_bank_account: UsBankAccountOptionsParams


#: ``cancellation_reason`` on ``setup_intents.cancel``.
SetupCancellationReason: TypeAlias = Literal["abandoned", "duplicate", "requested_by_customer"]

#: ``cancellation_reason`` on ``payment_intents.cancel``.
PaymentCancellationReason: TypeAlias = Literal[
    "abandoned", "duplicate", "fraudulent", "requested_by_customer"
]

#: What the customer does with 3-D Secure: ``three_d_secure.complete(..., outcome=...)``.
ThreeDSecureOutcome: TypeAlias = Literal["succeed", "fail"]
