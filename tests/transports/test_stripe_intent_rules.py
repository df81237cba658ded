"""Every intent, test clock and webhook endpoint refusal, proven through the official client.

Each refusal the engine tests prove through pmsim's Python API (tests/engine/) is one named
``Case`` here: a setup through ``client.v1``, the failing call, and what stripe-python shows:
exception class, ``http_status``, ``code``, ``param``, ``decline_code``, the exact message
(written out, not taken from pmsim's tables) and the events the call left: none for a refusal,
the recorded failure for a decline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import stripe

from pmsim.domain import versions
from pmsim.domain.event_types import ENABLED_EVENTS
from tests.support import ATTACH_FIRST, NOT_REUSABLE
from tests.transports.conftest import STRIPE_VERSION

Client = stripe.StripeClient
Ctx = dict[str, str]  # the ids a setup made, by name; messages name them as {name}
NOW = 1_704_067_200  # pmsim's start: 2024-01-01T00:00:00Z
PM = "pm_card_visa"
#: Where a customer comes back to: intents use automatic payment methods (allow_redirects
#: always), so every on-session confirmation sends one, as a real checkout does.
BACK = "https://example.com/return"
RETURN = {"return_url": BACK}

# --- Stripe's words (intent refusals and card declines) --------------------------------------
SI_UNEXPECTED, PI_UNEXPECTED = "setup_intent_unexpected_state", "payment_intent_unexpected_state"
SI_MISSING_PM = (
    "You cannot confirm this SetupIntent because it's missing a payment method. You can either "
    "update the SetupIntent with a payment method and then confirm it again, or confirm it "
    "again directly with a payment method or ConfirmationToken."
)
SI_CANCELABLE = (
    "Only a SetupIntent with one of the following statuses may be canceled: "
    "`requires_payment_method`, `requires_confirmation`, or `requires_action`."
)
SI_NOT_YOURS = (
    "The PaymentMethod {pm} does not belong to the Customer you supplied {bob}. Please use this "
    "PaymentMethod with the Customer that it belongs to instead."
)
NEEDS_CUSTOMER = (
    "The payment method supplied ({pm}) belongs to the Customer {alice}. Please include the "
    "Customer in the `customer` parameter on the {kind}."
)
PI_MISSING_PM = "You cannot confirm this PaymentIntent because it's missing a payment method."
PI_MISSING_PM_OF = PI_MISSING_PM + (
    " To confirm the PaymentIntent with {cus}, specify a payment method attached to this "
    "customer along with the customer ID."
)
PI_NOT_YOURS = "The provided PaymentMethod {pm} does not belong to Customer {bob}."
PI_CONFIRM_SUCCEEDED = (
    "You cannot confirm this PaymentIntent because it has already succeeded after being "
    "previously confirmed."
)
AUTH_REQUIRED = "Your card was declined. This transaction requires authentication."
#: Stripe's enum refusal, listing every event type (the table is data; the wording is Stripe's).
NOT_AN_EVENT = (
    "Invalid enabled_events[{}]: must be one of "
    + ", ".join(ENABLED_EVENTS[:-1])
    + f", or {ENABLED_EVENTS[-1]}"
)
#: Stripe's recorded 400 for a confirmation without a return_url (.format("Payment") or "Setup").
NO_RETURN_URL = (
    "A `return_url` must be specified because this {} Intent is configured to automatically "
    "accept the payment methods enabled in the Dashboard, some of which may require a full page "
    "redirect to succeed. If you do not want to accept redirect-based payment methods, set "
    "`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods"
    "[allow_redirects]` to `never` when creating Setup Intents and Payment Intents."
)
#: pmsim's words for endive's payment_method_types_no_longer_supported (Stripe's are not
#: recorded), on the version stripe-python sends.
TYPES_REMOVED = (
    f"payment_method_types is no longer supported on API version {stripe.api_version}. Leave it "
    "out to use automatic payment methods (with automatic_payment_methods[allow_redirects]=never "
    "to accept only those that never redirect), or send an older Stripe-Version."
)
CURRENCIES = "aud, brl, cad, chf, dkk, eur, gbp, hkd, jpy, mxn, nok, nzd, pln, sek, sgd, usd"


PI_UPDATABLE = (  # .format(field, status)
    "This PaymentIntent's {0} could not be updated because it has a status of {1}. You may only "
    "update the {0} of a PaymentIntent with one of the following statuses: "
    "requires_payment_method, requires_confirmation, requires_action."
)
PI_CANCEL = (  # .format(status)
    "You cannot cancel this PaymentIntent because it has a status of {}. Only a PaymentIntent "
    "with one of the following statuses may be canceled: requires_payment_method, "
    "requires_capture, requires_confirmation, requires_action, processing."
)


# --- setups: each makes what a case needs and returns the ids, by name -----------------------
def nothing(c: Client) -> Ctx:
    return {}


def customer(c: Client) -> Ctx:
    return {"cus": c.v1.customers.create().id}


def on_session(params: dict[str, Any]) -> dict[str, Any]:
    """``params`` with the ``return_url`` an on-session confirmation sends (none is needed
    off-session, or without ``confirm``)."""
    if params.get("confirm") and not params.get("off_session"):
        return {**RETURN, **params}
    return params


def seti(c: Client, **params: Any) -> str:
    return c.v1.setup_intents.create(on_session(params)).id  # type: ignore[arg-type]


def pay(c: Client, **params: Any) -> stripe.PaymentIntent:
    params = on_session({"amount": 1099, "currency": "usd", **params})
    return c.v1.payment_intents.create(params)  # type: ignore[arg-type]


def saved(c: Client, cus: str, card: str = "pm_card_visa") -> str:
    return c.v1.payment_methods.attach(card, {"customer": cus}).id


def si(c: Client, card: str | None = "pm_card_visa", *, owned: bool = True, then: str = "") -> Ctx:
    """A SetupIntent with ``card`` (or none) for a new customer (or none), then ``confirm``-ed or
    ``cancel``-ed. Without a card, the customer's default card does not stand in."""
    x = customer(c)
    if card is None:
        default = saved(c, x["cus"])
        c.v1.customers.update(x["cus"], {"invoice_settings": {"default_payment_method": default}})
    x["seti"] = seti(c, customer=x["cus"] if owned else None, payment_method=card)
    if then == "confirm":
        c.v1.setup_intents.confirm(x["seti"], RETURN)
    elif then:
        getattr(c.v1.setup_intents, then)(x["seti"])
    return x


def pi(c: Client, card: str | None = None, *, owned: bool = False, save: bool = False,
       then: str = "", **params: Any) -> Ctx:  # fmt: skip
    """A $10.99 PaymentIntent with ``card`` (saved first if ``save``) for a new customer (or
    none), then ``cancel``-ed if asked."""
    x = customer(c)
    if card is not None:
        x["pm"] = saved(c, x["cus"], card) if save else card
    payer = x["cus"] if owned else None
    x["pi"] = pay(c, customer=payer, payment_method=x.get("pm"), **params).id
    if then:
        getattr(c.v1.payment_intents, then)(x["pi"])
    return x


def alices_card(c: Client, payer: str | None, *, detach: bool = False,
                card: str = "pm_card_visa") -> Ctx:  # fmt: skip
    """Alice's saved card (detached if asked), and a SetupIntent with it and an empty
    PaymentIntent for ``payer`` ("alice", "bob" or no customer)."""
    x = {"alice": customer(c)["cus"], "bob": customer(c)["cus"]}
    x["pm"] = saved(c, x["alice"], card)
    if detach:
        c.v1.payment_methods.detach(x["pm"])
    x["payer"] = "" if payer is None else x[payer]
    x["seti"] = seti(c, customer=x["payer"] or None, payment_method=x["pm"])
    x["pi"] = pay(c, customer=x["payer"] or None).id
    return x


def used_up(c: Client, by: str) -> Ctx:
    """A new card used once: set up by a SetupIntent without a customer (``seti``: attachable
    once, refused by other intents until then) or paid with, without setup_future_usage
    (``pi``: never usable again); docs/fidelity.md "Attach and detach". Plus a SetupIntent
    with it."""
    x = customer(c)
    if by == "seti":
        used = c.v1.setup_intents.create(
            {"payment_method": "pm_card_visa", "confirm": True, **RETURN}
        )
    else:
        used = pay(c, customer=x["cus"], payment_method="pm_card_visa", confirm=True)
    x["pm"] = str(used.payment_method)
    x["seti"] = seti(c, payment_method=x["pm"])
    return x


def clocks(c: Client) -> Any:
    return c.v1.test_helpers.test_clocks


def clock(c: Client, *, delete: bool = False) -> Ctx:
    made = clocks(c).create({"frozen_time": NOW + 3_600})
    if delete:
        clocks(c).delete(made.id)
    return {"clock": made.id, "t": str(made.frozen_time)}


def endpoint(c: Client, *, delete: bool = False) -> Ctx:
    made = c.v1.webhook_endpoints.create({"url": "https://example.com/h", "enabled_events": ["*"]})
    if delete:
        c.v1.webhook_endpoints.delete(made.id)
    return {"we": made.id}


# --- the table -------------------------------------------------------------------------------
Setup = Callable[[Client], Ctx]
Call = Callable[[Client, Ctx], object]


@dataclass(frozen=True)
class Case:
    name: str
    setup: Setup
    call: Call
    message: str  # may name the setup's ids: {seti}, {pm}, {alice}, ...
    status: int = 400
    code: str | None = None
    param: str | None = None
    decline_code: str | None = None
    cls: type[stripe.StripeError] = stripe.InvalidRequestError
    events: tuple[str, ...] = ()  # the events the failed call leaves, oldest first
    xfail: str = ""


def declined(name: str, setup: Setup, call: Call, message: str, code: str, decline_code: str,
             *events: str, param: str | None = None) -> Case:  # fmt: skip
    """A 402 card error; a decline is recorded on the intent with ``events``."""
    return Case(name, setup, call, message, 402, code, param, decline_code, stripe.CardError,
                events)  # fmt: skip


def missing(name: str, kind: str, call: Call, object_id: str, param: str,
            status: int = 404) -> Case:  # fmt: skip
    """``No such ...``: 404 for an id in the path, 400 for one in a parameter."""
    return Case(name, nothing, call, f"No such {kind}: '{object_id}'", status, "resource_missing",
                param)  # fmt: skip


def si_confirm(c: Client, x: Ctx) -> object:
    return c.v1.setup_intents.confirm(x["seti"], RETURN)


def pi_confirm(c: Client, x: Ctx) -> object:
    return c.v1.payment_intents.confirm(x["pi"], RETURN)


def pay_with(c: Client, x: Ctx, **params: Any) -> object:
    return pay(c, payment_method=x["pm"], confirm=True, **params)


OPS = ("retrieve", "update", "confirm", "cancel")
UNEXPECTED = {"si": SI_UNEXPECTED, "pi": PI_UNEXPECTED}


def finished(c: Client, kind: str, end: str) -> Ctx:
    """A SetupIntent (``si``) or PaymentIntent (``pi``) that has succeeded or been canceled."""
    if kind == "si":
        return si(c, then="confirm" if end == "succeeded" else "cancel")
    return pi(c, "pm_card_visa", confirm=True) if end == "succeeded" else pi(c, then="cancel")


AGAIN: dict[tuple[str, str], Call] = {  # what each refuses once finished
    ("si", "confirm"): si_confirm,
    ("si", "cancel"): lambda c, x: c.v1.setup_intents.cancel(x["seti"]),
    ("si", "update"): lambda c, x: c.v1.setup_intents.update(x["seti"], {"payment_method": PM}),
    ("pi", "confirm"): lambda c, x: c.v1.payment_intents.confirm(
        x["pi"], {"payment_method": PM, **RETURN}
    ),
    ("pi", "cancel"): lambda c, x: c.v1.payment_intents.cancel(x["pi"]),
    ("pi", "update"): lambda c, x: c.v1.payment_intents.update(x["pi"], {"amount": 2000}),
}
FINISHED = [  # kind, action, end, message, param
    ("si", "confirm", "succeeded",
     "You cannot confirm this SetupIntent because it has already succeeded.", None),
    ("si", "confirm", "canceled",
     "You cannot confirm this SetupIntent because it has been canceled.", None),
    ("si", "cancel", "succeeded",
     "You cannot cancel this SetupIntent because it has a status of succeeded. " + SI_CANCELABLE,
     None),
    ("si", "cancel", "canceled",
     "You cannot cancel this SetupIntent because it is already canceled.", None),
    ("si", "update", "succeeded",
     "You cannot update this SetupIntent because it has already succeeded.", None),
    ("si", "update", "canceled",
     "You cannot update this SetupIntent because it has been canceled.", None),
    ("pi", "confirm", "succeeded", PI_CONFIRM_SUCCEEDED, None),
    ("pi", "confirm", "canceled", PI_UPDATABLE.format("payment_method", "canceled"), None),
    ("pi", "cancel", "succeeded", PI_CANCEL.format("succeeded"), None),
    ("pi", "cancel", "canceled", PI_CANCEL.format("canceled"), None),
    ("pi", "update", "succeeded", PI_UPDATABLE.format("amount", "succeeded"), "amount"),
    ("pi", "update", "canceled", PI_UPDATABLE.format("amount", "canceled"), "amount"),
]  # fmt: skip
AUTH = ("authentication_required", "authentication_required")
SI_FAILED = ("setup_intent.setup_failed",)
PI_FAILED = ("charge.failed", "payment_intent.payment_failed")  # a payment's decline is a charge
SI_DECLINES = [  # card, message, code, decline_code, param (the test cards' decline errors)
    ("visa_chargeDeclined", "Your card was declined.", "card_declined", "generic_decline", None),
    ("visa_chargeDeclinedInsufficientFunds", "Your card has insufficient funds.",
     "card_declined", "insufficient_funds", None),
    ("chargeDeclinedExpiredCard", "Your card has expired.", "expired_card", "expired_card",
     "exp_month"),
    ("chargeDeclinedIncorrectCvc", "Your card's security code is incorrect.", "incorrect_cvc",
     "incorrect_cvc", "cvc"),
]  # fmt: skip
OWNERSHIP = [  # name, payer, detach, message, param
    ("pm_of_another_customer", "bob", False, PI_NOT_YOURS, "payment_method"),
    ("pm_needs_customer", None, False, NEEDS_CUSTOMER.replace("{kind}", "PaymentIntent"),
     "payment_method"),
    ("detached_pm", "alice", True, NOT_REUSABLE, None),
]  # fmt: skip

# fmt: off
CASES = [
    # Succeeded and canceled intents of both kinds refuse to change
    *[Case(f"{kind}_{action}_{end}", lambda c, kind=kind, end=end: finished(c, kind, end),
           AGAIN[kind, action], message, code=UNEXPECTED[kind], param=param)
      for kind, action, end, message, param in FINISHED],
    # SetupIntents: missing, someone else's, detached or set-up cards
    Case("si_missing_pm_with_customer", lambda c: si(c, None), si_confirm, SI_MISSING_PM,
         code=SI_UNEXPECTED),
    Case("si_missing_pm_without_customer", lambda c: si(c, None, owned=False), si_confirm,
         SI_MISSING_PM, code=SI_UNEXPECTED),
    Case("si_missing_pm_checked_before_status", lambda c: si(c, None, then="cancel"), si_confirm,
         SI_MISSING_PM, code=SI_UNEXPECTED),
    Case("si_create_confirm_without_pm", customer,
         lambda c, x: seti(c, customer=x["cus"], confirm=True), SI_MISSING_PM, code=SI_UNEXPECTED),
    Case("si_pm_of_another_customer", lambda c: alices_card(c, "bob"), si_confirm, SI_NOT_YOURS,
         param="payment_method"),
    Case("si_pm_needs_customer", lambda c: alices_card(c, None), si_confirm,
         NEEDS_CUSTOMER.replace("{kind}", "SetupIntent"), param="payment_method"),
    Case("si_detached_pm", lambda c: alices_card(c, "alice", detach=True,
                                                 card="pm_card_authenticationRequired"),
         si_confirm, NOT_REUSABLE),
    Case("si_set_up_pm_confirm", lambda c: used_up(c, "seti"), si_confirm, ATTACH_FIRST),
    Case("si_set_up_pm_pay", lambda c: used_up(c, "seti"),
         lambda c, x: pay_with(c, x, customer=x["cus"]), ATTACH_FIRST),
    # SetupIntents: declines, recorded on the intent
    *[declined(f"si_decline_{card}", lambda c, card=card: si(c, f"pm_card_{card}"), si_confirm,
               message, code, decline_code, *SI_FAILED, param=param)
      for card, message, code, decline_code, param in SI_DECLINES],
    declined("si_create_confirm_declined", nothing,
             lambda c, x: seti(c, payment_method="pm_card_visa_chargeDeclined", confirm=True),
             "Your card was declined.", "card_declined", "generic_decline",
             "setup_intent.created", *SI_FAILED),
    # SetupIntents: unknown ids and invalid choices
    *[missing(f"si_{op}_unknown", "setupintent", lambda c, x, op=op: getattr(
              c.v1.setup_intents, op)("seti_x"), "seti_x", "intent") for op in OPS],
    missing("si_create_unknown_customer", "customer",
            lambda c, x: seti(c, customer="cus_x", payment_method="pm_card_visa"), "cus_x",
            "customer", status=400),
    Case("si_confirm_unknown_pm", si,
         lambda c, x: c.v1.setup_intents.confirm(x["seti"], {"payment_method": "pm_nope",
                                                             **RETURN}),
         "No such PaymentMethod: 'pm_nope'", code="resource_missing", param="payment_method"),
    Case("si_invalid_usage", nothing, lambda c, x: seti(c, usage="x"),
         "Invalid usage: must be one of off_session, or on_session", param="usage"),
    Case("si_invalid_cancellation_reason", si,
         lambda c, x: c.v1.setup_intents.cancel(x["seti"], {"cancellation_reason": "bored"}),
         "Invalid cancellation_reason: must be one of abandoned, duplicate, or "
         "requested_by_customer", param="cancellation_reason"),
    # PaymentIntents: missing, someone else's, detached or used-up cards
    Case("pi_missing_pm_with_customer", lambda c: pi(c, owned=True), pi_confirm, PI_MISSING_PM_OF,
         code=PI_UNEXPECTED),
    Case("pi_missing_pm_without_customer", pi, pi_confirm, PI_MISSING_PM, code=PI_UNEXPECTED),
    Case("pi_create_confirm_without_pm", nothing, lambda c, x: pay(c, confirm=True),
         PI_MISSING_PM, code=PI_UNEXPECTED),
    *[Case(f"pi_{how}_{name}", lambda c, payer=payer, detach=detach: alices_card(
              c, payer, detach=detach), call, message, param=param)
      for name, payer, detach, message, param in OWNERSHIP
      for how, call in [
          ("confirm", lambda c, x: c.v1.payment_intents.confirm(
              x["pi"], {"payment_method": x["pm"], **RETURN})),
          ("create_confirm", lambda c, x: pay_with(c, x, customer=x["payer"] or None))]],
    Case("pi_used_up_pm_pay", lambda c: used_up(c, "pi"), pay_with, NOT_REUSABLE),
    Case("pi_used_up_pm_attach", lambda c: used_up(c, "pi"),
         lambda c, x: saved(c, x["cus"], x["pm"]), NOT_REUSABLE),
    # PaymentIntents: declines, and authentication required off-session
    declined("attach_declining_card", customer,
             lambda c, x: saved(c, x["cus"], "pm_card_visa_chargeDeclined"),
             "Your card was declined.", "card_declined", "generic_decline"),
    declined("pi_declining_card",
             lambda c: pi(c, "pm_card_visa_chargeDeclined", owned=True,
                          setup_future_usage="off_session"),
             pi_confirm, "Your card was declined.", "card_declined", "generic_decline", *PI_FAILED),
    declined("pi_declining_card_insufficient_funds",
             lambda c: {"pm": "pm_card_visa_chargeDeclinedInsufficientFunds"}, pay_with,
             "Your card has insufficient funds.", "card_declined", "insufficient_funds",
             "payment_intent.created", *PI_FAILED),
    declined("pi_charge_declining_saved_card",
             lambda c: pi(c, "pm_card_chargeCustomerFail", owned=True, save=True,
                          setup_future_usage="off_session"),
             pi_confirm, "Your card was declined.", "card_declined", "generic_decline", *PI_FAILED),
    *[declined(f"pi_off_session_{card}", lambda c, card=card: {"pm": f"pm_card_{card}"},
               lambda c, x: pay_with(c, x, off_session=True), AUTH_REQUIRED, *AUTH,
               "payment_intent.created", *PI_FAILED)
      for card in ("authenticationRequired", "authenticationRequiredOnSetup",
                   "threeDSecure2Required")],
    declined("pi_off_session_saved_authenticationRequired",
             lambda c: pi(c, "pm_card_authenticationRequired", save=True),
             lambda c, x: pay_with(c, x, customer=x["cus"], off_session=True), AUTH_REQUIRED,
             *AUTH, "payment_intent.created", *PI_FAILED),
    # PaymentIntents: amounts and currencies (docs/fidelity.md "PaymentIntents"; domain/amounts.py)
    *[Case(f"pi_missing_{name}", nothing,
           lambda c, x, sent=sent: c.v1.payment_intents.create(sent),
           f"Missing required param: {name}.", code="parameter_missing", param=name)
      for name, sent in [("amount", {"currency": "usd"}), ("currency", {"amount": 1099})]],
    *[Case(f"pi_amount_too_small_{currency}", nothing,
           lambda c, x, amount=amount, currency=currency: pay(c, amount=amount, currency=currency),
           f"Amount must be at least {shown} {currency}", code="amount_too_small", param="amount")
      for amount, currency, shown in [
          (49, "usd", "$0.50"), (29, "gbp", "£0.30"), (49, "jpy", "¥50"), (249, "dkk", "2.50")]],
    Case("pi_amount_too_large", nothing, lambda c, x: pay(c, amount=100_000_000),
         "Amount must be no more than $999,999.99", code="amount_too_large", param="amount"),
    Case("pi_unknown_currency", nothing, lambda c, x: pay(c, currency="xyz"),
         f"Invalid currency: xyz. pmsim simulates these currencies: {CURRENCIES}.",
         param="currency"),
    Case("pi_update_amount_too_small",
         lambda c: pi(c, "pm_card_authenticationRequired", confirm=True),
         lambda c, x: c.v1.payment_intents.update(x["pi"], {"amount": 10}),
         "Amount must be at least $0.50 usd", code="amount_too_small", param="amount"),
    Case("pi_update_currency_too_small", lambda c: pi(c, amount=100),
         lambda c, x: c.v1.payment_intents.update(x["pi"], {"currency": "dkk"}),
         "Amount must be at least 2.50 dkk", code="amount_too_small", param="amount"),
    # PaymentIntents: other parameters and unknown ids
    Case("pi_off_session_without_confirm", nothing,
         lambda c, x: pay(c, payment_method="pm_card_visa", off_session=True),
         "You can only set `off_session` when `confirm` is set to `true`.", param="off_session"),
    Case("pi_invalid_setup_future_usage", nothing, lambda c, x: pay(c, setup_future_usage="x"),
         "Invalid setup_future_usage: must be one of off_session, or on_session",
         param="setup_future_usage"),
    Case("pi_invalid_cancellation_reason", pi,
         lambda c, x: c.v1.payment_intents.cancel(x["pi"], {"cancellation_reason": "bored"}),
         "Invalid cancellation_reason: must be one of abandoned, duplicate, fraudulent, or "
         "requested_by_customer", param="cancellation_reason"),
    Case("pi_invalid_capture_method", nothing, lambda c, x: pay(c, capture_method="later"),
         "Invalid capture_method: must be one of automatic, automatic_async, or manual",
         param="capture_method"),
    *[missing(f"pi_{op}_unknown", "payment_intent", lambda c, x, op=op: getattr(
              c.v1.payment_intents, op)("pi_x"), "pi_x", "intent") for op in OPS],
    # Automatic payment methods, the default since 2023-08-16: an on-session confirmation
    # needs a return_url, even for a card that never redirects (domain/automatic_methods.py)
    Case("pi_confirm_without_return_url", lambda c: pi(c, "pm_card_visa"),
         lambda c, x: c.v1.payment_intents.confirm(x["pi"]), NO_RETURN_URL.format("Payment")),
    Case("pi_create_confirm_without_return_url", nothing,
         lambda c, x: c.v1.payment_intents.create(
             {"amount": 1099, "currency": "usd", "payment_method": PM, "confirm": True}),
         NO_RETURN_URL.format("Payment")),
    Case("pi_confirm_saved_card_without_return_url",
         lambda c: pi(c, "pm_card_visa", owned=True, save=True),
         lambda c, x: c.v1.payment_intents.confirm(x["pi"]), NO_RETURN_URL.format("Payment")),
    Case("si_confirm_without_return_url", si,
         lambda c, x: c.v1.setup_intents.confirm(x["seti"]), NO_RETURN_URL.format("Setup")),
    Case("si_create_confirm_without_return_url", nothing,
         lambda c, x: c.v1.setup_intents.create({"payment_method": PM, "confirm": True}),
         NO_RETURN_URL.format("Setup")),
    # payment_method_types is refused from 2026-09-30.endive (stripe-python sends endive)
    *[Case(f"{name}_payment_method_types", setup, call, TYPES_REMOVED,
           code="payment_method_types_no_longer_supported", param="payment_method_types")
      for name, setup, call in [
          ("pi_create", nothing, lambda c, x: pay(c, payment_method_types=["card"])),
          ("pi_update", pi, lambda c, x: c.v1.payment_intents.update(
              x["pi"], {"payment_method_types": ["card"]})),
          ("pi_confirm", lambda c: pi(c, "pm_card_visa"), lambda c, x: c.v1.payment_intents
              .confirm(x["pi"], {"payment_method_types": ["card"], **RETURN})),
          ("si_create", nothing, lambda c, x: seti(c, payment_method_types=["card"])),
          ("si_update", si, lambda c, x: c.v1.setup_intents.update(
              x["seti"], {"payment_method_types": ["card"]}))]],
    # Test clocks (docs/fidelity.md "Test clocks")
    *[Case(f"clock_advance_{name}", clock,
           lambda c, x, by=by: clocks(c).advance(x["clock"], {"frozen_time": int(x["t"]) + by}),
           "The test clock's frozen_time can only move forward: give a frozen_time after {t}.",
           param="frozen_time")
      for name, by in [("to_the_same_time", 0), ("backwards", -1)]],
    Case("clock_create_without_frozen_time", nothing, lambda c, x: clocks(c).create({}),
         "Missing required param: frozen_time.", code="parameter_missing", param="frozen_time"),
    *[missing(f"clock_{op}_unknown", "test_clock",
              lambda c, x, op=op, args=args: getattr(clocks(c), op)("clock_nope", *args),
              "clock_nope", "test_clock")
      for op, args in [("retrieve", ()), ("advance", ({"frozen_time": NOW + 1},)),
                       ("delete", ())]],
    Case("clock_retrieve_deleted", lambda c: clock(c, delete=True),
         lambda c, x: clocks(c).retrieve(x["clock"]), "No such test_clock: '{clock}'", 404,
         "resource_missing", "test_clock"),
    missing("customer_unknown_clock", "test_clock",
            lambda c, x: c.v1.customers.create({"test_clock": "clock_nope"}), "clock_nope",
            "test_clock", status=400),
    Case("customer_deleted_clock", lambda c: clock(c, delete=True),
         lambda c, x: c.v1.customers.create({"test_clock": x["clock"]}),
         "No such test_clock: '{clock}'", code="resource_missing", param="test_clock"),
    # Webhook endpoints (docs/fidelity.md "Webhooks")
    Case("we_create_bad_url", nothing,
         lambda c, x: c.v1.webhook_endpoints.create({"url": "not a url", "enabled_events": ["*"]}),
         "Invalid URL: not a url", param="url"),
    Case("we_update_bad_url", endpoint,
         lambda c, x: c.v1.webhook_endpoints.update(x["we"], {"url": "ftp://example.com/h"}),
         "Invalid URL: ftp://example.com/h", param="url"),
    Case("we_create_bad_event", nothing, lambda c, x: c.v1.webhook_endpoints.create(
             {"url": "https://example.com/h", "enabled_events": ["Customer Created"]}),
         NOT_AN_EVENT.format(0), param="enabled_events[0]"),
    Case("we_update_bad_event", endpoint, lambda c, x: c.v1.webhook_endpoints.update(
             x["we"], {"enabled_events": ["customer.created", "customer"]}),
         NOT_AN_EVENT.format(1), param="enabled_events[1]"),
    Case("we_create_unknown_event", nothing, lambda c, x: c.v1.webhook_endpoints.create(
             {"url": "https://example.com/h", "enabled_events": ["*", "invoice.payed"]}),
         NOT_AN_EVENT.format(1), param="enabled_events[1]"),
    *[Case(f"we_create_{name}", nothing,
           lambda c, x, sent=sent: c.v1.webhook_endpoints.create(sent),
           f"Missing required param: {param}.", code="parameter_missing", param=param)
      for name, param, sent in [
          ("without_url", "url", {"enabled_events": ["*"]}),
          ("without_events", "enabled_events", {"url": "https://example.com/h"}),
          ("with_no_events", "enabled_events", {"url": "https://example.com/h",
                                                "enabled_events": []})]],
    *[missing(f"we_{op}_unknown", "webhook_endpoint",
              lambda c, x, op=op: getattr(c.v1.webhook_endpoints, op)("we_nope"), "we_nope",
              "webhook_endpoint")
      for op in ("retrieve", "update", "delete")],
    Case("we_retrieve_deleted", lambda c: endpoint(c, delete=True),
         lambda c, x: c.v1.webhook_endpoints.retrieve(x["we"]),
         "No such webhook_endpoint: '{we}'", 404, "resource_missing", "webhook_endpoint"),
]
# fmt: on


def event_types(client: Client) -> list[str]:
    """Every event's type, newest first."""
    return [e.type for e in client.v1.events.list({"limit": 100}).auto_paging_iter()]


@pytest.mark.parametrize(
    "case",
    [pytest.param(case, id=case.name, marks=[pytest.mark.xfail(reason=case.xfail, strict=True)]
                  if case.xfail else []) for case in CASES],
)  # fmt: skip
def test_refusal_through_the_client(client: Client, case: Case) -> None:
    answering = versions.parse(STRIPE_VERSION or stripe.api_version)
    if case.code == "payment_method_types_no_longer_supported" and not (
        versions.PAYMENT_METHOD_TYPES_REMOVED.holds(answering)
    ):
        pytest.skip(f"{answering} still takes payment_method_types (.ci/stripe-versions)")
    ids = case.setup(client)
    before = event_types(client)
    with pytest.raises(stripe.StripeError) as caught:
        case.call(client, ids)
    err = caught.value
    assert type(err) is case.cls, repr(err)
    assert err.error is not None and err.request_id and err.request_id.startswith("req_")
    message = case.message.format(**ids)
    got = (err.http_status, err.code, err.error.code, err.error.param, err.error.decline_code)
    assert got == (case.status, case.code, case.code, case.param, case.decline_code)
    assert (err.user_message, err.error.message) == (message, message)
    after = event_types(client)
    gained = len(after) - len(before)
    assert after[gained:] == before and after[:gained][::-1] == list(case.events)


def test_case_names_are_unique_and_refusals_leave_no_event() -> None:
    assert len({case.name for case in CASES}) == len(CASES)
    assert all(case.status == 402 or not case.events for case in CASES)
