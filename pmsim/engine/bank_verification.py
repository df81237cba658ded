"""``payment_method_options[us_bank_account]`` on an intent: how a US bank account is to be
verified. pmsim verifies by microdeposits only, so ``automatic`` (Financial Connections,
falling back to microdeposits at Stripe) and ``microdeposits`` are kept and shown, and
``instant`` and the other bank options are refused as not simulated rather than ignored."""

from __future__ import annotations

from typing import Final

from pmsim.domain import params
from pmsim.domain.messages import microdeposits as messages

#: The ``payment_method_options[us_bank_account]`` keys Stripe takes on each kind of intent
#: (its API reference); pmsim simulates the first only.
OPTIONS: Final = {
    "setup_intent": (
        "verification_method", "financial_connections", "mandate_options", "networks",
    ),
    "payment_intent": (
        "verification_method", "financial_connections", "mandate_options", "networks",
        "preferred_settlement_speed", "setup_future_usage", "target_date",
    ),
}  # fmt: skip

METHODS: Final = ("automatic", "instant", "microdeposits")

_PARAM = "payment_method_options[us_bank_account]"


def verification_method(value: object, kind: str) -> str | None:
    """``payment_method_options[us_bank_account][verification_method]`` on a ``kind`` intent,
    checked (None: not sent). The caller checked ``payment_method_options``' own keys.

    >>> verification_method({"us_bank_account": {"verification_method": "automatic"}},
    ...                     "setup_intent")
    'automatic'
    """
    if value is None:
        return None
    sent = params.hash_of(value, "payment_method_options", ("card", "us_bank_account"))
    if sent.get("us_bank_account") is None:
        return None
    options = params.hash_of(sent["us_bank_account"], _PARAM, OPTIONS[kind])
    for name in OPTIONS[kind][1:]:
        if options.get(name) is not None:
            raise messages.bank_option_not_simulated(name)
    method = options.get("verification_method")
    if method is None or method == "":
        return None
    method = params.choice(method, f"{_PARAM}[verification_method]", METHODS)
    if method == "instant":
        raise messages.instant_verification_not_simulated()
    return method
