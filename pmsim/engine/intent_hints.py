"""Teaching hints for the intents' "unexpected state" refusals: what the intent's status
allows, and the event that put it there. Stripe's error carries the intent it refused, so
these are found from the error alone, once an operation has failed (``Operation.__exit__``).

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> intent = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True)
>>> try:
...     sim.setup_intents.confirm(intent.id)
... except pmsim.InvalidRequestError as error:
...     print(error.hint)  # doctest: +ELLIPSIS
seti_... succeeded at 2024-01-01T00:00:00Z (event evt_...), and a succeeded SetupIntent is ...
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from pmsim.domain.errors import StripeError
from pmsim.engine.hints import explain, last_event, when
from pmsim.store import Store

#: What an intent's status allows. ``{intent}`` is its id, ``{kind}`` SetupIntent or
#: PaymentIntent, ``{when}`` the event that set the status (or nothing).
STATUS_HINTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "succeeded": (
            "{intent} succeeded{when}, and a succeeded {kind} is final: it cannot be "
            "confirmed, changed or canceled. Create a new {kind} for another card or payment."
        ),
        "canceled": (
            "{intent} was canceled{when}; a canceled {kind} cannot be used again. "
            "Create a new {kind}."
        ),
        "requires_action": (
            "{intent} has been waiting for the customer to complete 3-D Secure since{when}. "
            "In pmsim you play the customer: sim.three_d_secure.complete({intent!r}, "
            'outcome="succeed") or outcome="fail".'
        ),
        "requires_payment_method": (
            "{intent} has no payment method to use{declined}. Confirm it with "
            "payment_method=..., or update it with one first."
        ),
        "requires_confirmation": "{intent} has a payment method and is waiting to be confirmed.",
        "processing": "{intent} is processing; wait for it to succeed or fail.",
    }
)
#: The event (by the end of its type) that puts an intent in each status; a status that is
#: not here has no event of its own to point at.
STATUS_EVENTS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "succeeded": ("succeeded",),
        "canceled": ("canceled",),
        "requires_action": ("requires_action",),
        "requires_payment_method": ("setup_failed", "payment_failed"),
    }
)
UNEXPECTED_STATE_CODES: Final = ("setup_intent_unexpected_state", "payment_intent_unexpected_state")
KINDS: Final[Mapping[str, str]] = MappingProxyType(
    {"setup_intent": "SetupIntent", "payment_intent": "PaymentIntent"}
)


def at_failure(error: StripeError, store: Store) -> None:
    """Add the hint to an intent's "unexpected state" refusal (other errors are left alone:
    the lifecycle's are explained where they fire, in :mod:`pmsim.engine.hints`)."""
    if error.hint is not None or error.code not in UNEXPECTED_STATE_CODES:
        return
    key = next((key for key in KINDS if key in error.objects), None)
    if key is None:
        return
    data = error.objects[key].to_dict()
    intent_id, status = data["id"], data["status"]
    template = STATUS_HINTS.get(status)
    if template is None:
        return
    types = tuple(f"{key}.{end}" for end in STATUS_EVENTS.get(status, ()))
    event = last_event(store, types, lambda e: e.object.id == intent_id) if types else None
    declined = f": its last one declined{when(event)}" if event is not None else " yet"
    text = template.format(intent=intent_id, kind=KINDS[key], when=when(event),
                           declined=declined)  # fmt: skip
    explain(error, text, event)
