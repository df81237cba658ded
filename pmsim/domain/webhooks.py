"""Webhook endpoints and Stripe's webhook signature.

``sign`` builds the ``Stripe-Signature`` header exactly as ``stripe.Webhook.construct_event``
checks it: ``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed with the secret>``.

>>> sign('{"id": "evt_1"}', "whsec_test", 1_700_000_000)[:13]
't=1700000000,'
>>> hook = WebhookEndpoint("we_1", 0, "https://example.com/hook", ("*",), "whsec_x")
>>> hook.wants("customer.created")
True
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from pmsim.domain.models import EMPTY_METADATA


def sign(payload: str, secret: str, timestamp: int) -> str:
    """The ``Stripe-Signature`` header for ``payload`` signed with ``secret`` at ``timestamp``."""
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signed_headers(payload: str, secret: str, timestamp: int) -> dict[str, str]:
    """The headers a webhook delivery carries: JSON, and Stripe's signature of ``payload``."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "Stripe-Signature": sign(payload, secret, timestamp),
    }


def wants(enabled_events: tuple[str, ...], event_type: str) -> bool:
    """Whether a subscription to ``enabled_events`` (``*`` for all) receives ``event_type``."""
    return "*" in enabled_events or event_type in enabled_events


@frozen
class WebhookEndpoint:
    """Where Stripe sends events. ``secret`` is shown only in the answer to create, as Stripe
    does (``reveal``)."""

    id: str
    created: int
    url: str
    enabled_events: tuple[str, ...]
    secret: str = field(repr=False)
    description: str | None = None
    metadata: Mapping[str, str] = EMPTY_METADATA
    status: str = "enabled"
    api_version: str | None = None
    deleted: bool = False
    reveal: bool = field(default=False, repr=False, eq=False)
    #: Receives events from connected accounts (``connect=true``) rather than the account's
    #: own; pmsim simulates no connected accounts, so such an endpoint receives nothing.
    connect: bool = False

    def wants(self, event_type: str) -> bool:
        return (
            self.status == "enabled"
            and not self.deleted
            and not self.connect
            and wants(self.enabled_events, event_type)
        )

    def to_dict(self) -> dict[str, Any]:
        if self.deleted:
            return {"id": self.id, "object": "webhook_endpoint", "deleted": True}
        body = {
            "id": self.id,
            "object": "webhook_endpoint",
            "api_version": self.api_version,
            "application": None,
            "created": self.created,
            "description": self.description,
            "enabled_events": list(self.enabled_events),
            "livemode": False,
            "metadata": dict(self.metadata),
            "status": self.status,
            "url": self.url,
        }
        if self.reveal:
            body["secret"] = self.secret
        return body
