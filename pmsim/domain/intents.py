"""What SetupIntents and PaymentIntents have in common: how a transition table is built and
read, the error a confirmation records, the 3-D Secure ``next_action``, and the JSON fields
both records write.

The two state machines stay two tables (:mod:`pmsim.domain.setup_intents`,
:mod:`pmsim.domain.payment_intents`): Stripe's two machines differ. Only the code that builds
and consults them is shared.

>>> from enum import Enum
>>> class Light(Enum):
...     RED = "red"
...     GREEN = "green"
>>> class Turn(Enum):
...     GO = "go"
>>> table = transition_table(Light, Turn, [((Light.RED,), Turn.GO, frozenset({Light.GREEN}))])
>>> allowed(table, Light.RED, Turn.GO), allowed(table, Light.GREEN, Turn.GO)
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from attrs import frozen

from pmsim.domain.automatic_methods import AutomaticPaymentMethods
from pmsim.domain.errors import DOC_URL, StripeError
from pmsim.domain.models import PaymentMethod

if TYPE_CHECKING:
    from pmsim.domain.messages.payment_methods import Decline

S = TypeVar("S", bound=Enum)
A = TypeVar("A", bound=Enum)

#: One row of a transition table: these statuses, this action, the statuses it can lead to.
Row = tuple[Iterable[S], A, frozenset[S]]


def transition_table(
    statuses: type[S], actions: type[A], rows: Iterable[Row[S, A]]
) -> Mapping[tuple[S, A], frozenset[S]]:
    """Every (status, action) pair, refused (an empty set) unless a row allows it."""
    table = {(status, action): frozenset[S]() for status in statuses for action in actions}
    for sources, action, targets in rows:
        for status in sources:
            table[status, action] = targets
    return MappingProxyType(table)


def allowed(table: Mapping[tuple[S, A], frozenset[S]], status: S, action: A) -> bool:
    """Whether ``action`` may happen to an intent in ``status`` (else Stripe refuses it)."""
    return bool(table[status, action])


def three_d_secure_action(kind: str, intent_id: str, return_url: str | None) -> dict[str, Any]:
    """``next_action`` of an intent waiting for 3-D Secure; the URL is illustrative. A
    confirmation with a ``return_url`` gets a page to send the customer to, which sends them
    back there (Stripe's manual redirect); one without, Stripe.js's own step.

    >>> three_d_secure_action("payment_intent", "pi_1", "https://example.com/back")["type"]
    'redirect_to_url'
    """
    url = f"https://hooks.stripe.com/3d_secure_2/hosted?{kind}={intent_id}"
    if return_url is not None:
        return {
            "type": "redirect_to_url",
            "redirect_to_url": {"return_url": return_url, "url": url},
        }
    return {
        "type": "use_stripe_sdk",
        "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": url},
    }


@frozen
class IntentError:
    """``last_setup_error`` and ``last_payment_error``: the error a confirmation met."""

    type: str
    message: str
    code: str | None = None
    decline_code: str | None = None
    param: str | None = None
    payment_method: PaymentMethod | None = None
    charge: str | None = None  # the failed charge, for a payment's decline

    @classmethod
    def declined(
        cls, decline: Decline, pm: PaymentMethod, charge: str | None = None
    ) -> IntentError:
        """The card's decline, as the intent records it (with the failed charge's id)."""
        return cls.met("card_error", decline, pm, charge)

    @classmethod
    def met(
        cls,
        type_: str,
        refusal: Decline | StripeError,
        pm: PaymentMethod,
        charge: str | None = None,
    ) -> IntentError:
        """A refusal of type ``type_`` met with ``pm``, as the intent records it."""
        return cls(
            type_, refusal.message, refusal.code, refusal.decline_code, refusal.param, pm, charge
        )

    def to_dict(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "charge": self.charge,
            "code": self.code,
            "decline_code": self.decline_code,
            "doc_url": DOC_URL.format(self.code.replace("_", "-")) if self.code else None,
            "message": self.message,
            "param": self.param,
            "payment_method": self.payment_method.to_dict() if self.payment_method else None,
            "payment_method_type": self.payment_method.type if self.payment_method else None,
            "type": self.type,
        }
        return {key: value for key, value in fields.items() if value is not None}


class _Intent(Protocol):
    """The fields both intent records have and write the same way."""

    @property
    def id(self) -> str: ...
    @property
    def created(self) -> int: ...
    @property
    def client_secret(self) -> str: ...
    @property
    def status(self) -> Enum: ...
    @property
    def customer(self) -> str | None: ...
    @property
    def payment_method(self) -> str | None: ...
    @property
    def description(self) -> str | None: ...
    @property
    def metadata(self) -> Mapping[str, str]: ...
    @property
    def cancellation_reason(self) -> str | None: ...
    @property
    def payment_method_types(self) -> tuple[str, ...]: ...
    @property
    def next_action(self) -> dict[str, Any] | None: ...
    @property
    def us_bank_account_verification(self) -> str | None: ...
    @property
    def automatic_payment_methods(self) -> AutomaticPaymentMethods | None: ...


def intent_dict(
    intent: _Intent, kind: str, card_options: Mapping[str, Any], own: Mapping[str, Any]
) -> dict[str, Any]:
    """Stripe's JSON for an intent: ``id`` and ``object`` first, then every field in
    alphabetical order, the shared ones from ``intent`` and its ``own`` (kind-specific) ones.

    ``card_options`` are the extra ``payment_method_options.card`` keys of this kind.
    """
    card = {"mandate_options": None, "network": None, "request_three_d_secure": "automatic"}
    fields: dict[str, Any] = {
        "application": None,
        "automatic_payment_methods": (
            None
            if intent.automatic_payment_methods is None
            else intent.automatic_payment_methods.to_dict()
        ),
        "excluded_payment_method_types": None,
        "cancellation_reason": intent.cancellation_reason,
        "client_secret": intent.client_secret,
        "created": intent.created,
        "customer": intent.customer,
        "description": intent.description,
        "livemode": False,
        "metadata": dict(intent.metadata),
        "next_action": intent.next_action,
        "on_behalf_of": None,
        "payment_method": intent.payment_method,
        "payment_method_options": _method_options(intent, card | dict(card_options)),
        "payment_method_types": list(intent.payment_method_types),
        "status": intent.status.value,
        **own,
    }
    return {"id": intent.id, "object": kind, **dict(sorted(fields.items()))}


def _method_options(intent: _Intent, card: Mapping[str, Any]) -> dict[str, Any]:
    """``payment_method_options``: the card's, and a bank account's verification method when
    it was sent (Stripe shows it for every intent that may use a bank account; pmsim, like
    the card's ``capture_method``, only when sent)."""
    options: dict[str, Any] = {"card": dict(sorted(card.items()))}
    if intent.us_bank_account_verification is not None:
        options["us_bank_account"] = {"verification_method": intent.us_bank_account_verification}
    return options
