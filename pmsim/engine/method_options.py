"""``payment_method_options`` on an intent, read into the intent's own fields: a card's
``capture_method`` (``engine/captures.py``) and a US bank account's ``verification_method``
(``engine/bank_verification.py``). The same on create, update and confirm; an update or a
confirmation changes only the types it sends options for, and keeps the others.

>>> options({"us_bank_account": {"verification_method": "microdeposits"}}, "setup_intent")
{'us_bank_account_verification': 'microdeposits'}
>>> options({"card": {"capture_method": "manual"}}, "payment_intent")
{'card_capture_method': 'manual'}
>>> options({"card": {"capture_method": "manual"}}, "setup_intent")
Traceback (most recent call last):
pmsim.domain.errors.PmsimUsageError: pmsim does not simulate payment_method_options[card] ...
"""

from __future__ import annotations

from typing import Any, Final

from pmsim.domain import params
from pmsim.domain.messages import intents as intent_messages
from pmsim.engine import bank_verification, captures

#: The payment method types pmsim reads options of (others are unknown parameters).
TYPES: Final = ("card", "us_bank_account")


def options(value: object, kind: str) -> dict[str, Any]:
    """The fields ``payment_method_options`` sets on a ``kind`` intent (``setup_intent`` or
    ``payment_intent``), for the types it names only. A SetupIntent's card options (3-D Secure
    requests, mandates) are refused as not simulated."""
    if value is None:
        return {}
    sent = params.hash_of(value, "payment_method_options", TYPES)
    fields: dict[str, Any] = {}  # keyword arguments of the intent's evolve
    if kind == "setup_intent" and sent.get("card") not in (None, ""):
        raise intent_messages.setup_card_options_not_simulated()
    if "card" in sent and kind == "payment_intent":
        fields["card_capture_method"] = captures.card_capture_method(value)
    if "us_bank_account" in sent:
        fields["us_bank_account_verification"] = bank_verification.verification_method(value, kind)
    return fields
