"""What a state file may not hold because ``create`` or ``update`` would have refused it.

A state file is read field by field by type (:mod:`pmsim.engine.state_codec`); a hand-edited
one could still hold 51 metadata keys, a bad email, a webhook URL that is not http(s) or a
negative amount, which no call could have made. Each record is put through the SAME checks
the engine puts parameters through (``params``, ``amounts``, the webhook endpoint checks),
so a limit changed there is a limit here too, and each refusal names its place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pmsim.domain import params, pm_params
from pmsim.domain.amounts import checked_amount, checked_currency
from pmsim.domain.customer_params import TAX_EXEMPT
from pmsim.domain.errors import StripeError
from pmsim.domain.models import EMPTY_METADATA, Customer, PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.domain.webhooks import WebhookEndpoint
from pmsim.engine import webhook_endpoints

Check = Callable[[Any], object]


def refusals(record: Any, place: str) -> Iterator[str]:
    """Each value in ``record`` that its create or update call would refuse, with why."""
    for name, check in _checks(record):
        try:
            check(record)
        except StripeError as error:
            yield f"{place}.{name}: {error.message}"


def _checks(record: Any) -> Iterator[tuple[str, Check]]:
    if hasattr(record, "metadata"):
        yield "metadata", lambda r: params.metadata(EMPTY_METADATA, dict(r.metadata))
    if isinstance(record, Customer):
        yield "email", lambda r: r.email is None or params.email(r.email)
        yield "balance", lambda r: params.integer(r.balance, "balance")
        yield "tax_exempt", lambda r: params.choice(r.tax_exempt, "tax_exempt", TAX_EXEMPT)
    elif isinstance(record, PaymentMethod):
        yield "allow_redisplay", lambda r: pm_params.allow_redisplay(r.allow_redisplay)
        yield (
            "billing_details.email",
            lambda r: (
                r.billing_details.email is None
                or params.email(r.billing_details.email, "billing_details[email]")
            ),
        )
    elif isinstance(record, PaymentIntent):
        yield "currency", lambda r: checked_currency(r.currency)
        yield "amount", lambda r: checked_amount(r.amount, "amount", currency=r.currency)
        yield (
            "receipt_email",
            lambda r: r.receipt_email is None or params.email(r.receipt_email, "receipt_email"),
        )
    elif isinstance(record, WebhookEndpoint):
        yield "url", lambda r: webhook_endpoints.checked_url(r.url)
        yield "enabled_events", lambda r: webhook_endpoints.checked_events(list(r.enabled_events))
