"""``sim.webhook_endpoints``: Stripe's ``/v1/webhook_endpoints`` (where events are sent).

The endpoints are records, as in Stripe; sending events to them is the delivery layer's job
(``pmsim.transports.webhooks``), since the engine never touches the network.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> hook = sim.webhook_endpoints.create(url="https://example.com/hook",
...                                     enabled_events=["payment_method.attached"])
>>> hook.secret.startswith("whsec_"), "secret" in sim.webhook_endpoints.retrieve(hook.id).to_dict()
(True, False)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from attrs import evolve

from pmsim.domain import params, versions
from pmsim.domain.digests import base62_digest
from pmsim.domain.event_types import ENABLED_EVENTS, KNOWN
from pmsim.domain.inputs import MetadataParams, StrList, Unset
from pmsim.domain.messages import lookups, parameters
from pmsim.domain.models import EMPTY_METADATA
from pmsim.domain.pages import ListObject
from pmsim.domain.webhooks import WebhookEndpoint
from pmsim.engine.listing import table_page
from pmsim.store import Store

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel

# Linear: the host's class excludes what may follow it, so the match never backtracks (the
# old ``https?://[^\s/?#]+[^\s]*`` let two overlapping runs trade characters, quadratic on a
# long URL with a space at the end); and params.string refuses more than 5,000 characters.
_URL = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?")


class WebhookEndpoints:
    """Create, retrieve, update, delete and list webhook endpoints."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def create(
        self,
        *,
        url: str | None = None,
        enabled_events: StrList | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        api_version: str | None = None,
        connect: bool | None = None,
    ) -> WebhookEndpoint:
        """A new endpoint; its ``secret`` (``whsec_…``) is shown only in this answer.

        ``connect=True`` asks for events from connected accounts: there are none in pmsim, so
        such an endpoint is kept (and listed) but is sent nothing.
        """
        for name, value in (("url", url), ("enabled_events", enabled_events)):
            if value is None:
                raise parameters.missing_param(name)
        checked = checked_url(url)
        events = checked_events(enabled_events)
        from_connected = False if connect is None else params.boolean(connect, "connect")
        with self._kernel.operation() as op:
            endpoint_id = op.new_id("we")
            endpoint = WebhookEndpoint(
                id=endpoint_id,
                created=op.now,
                url=checked,
                enabled_events=events,
                secret="whsec_" + base62_digest(f"{self._kernel.seed}:{endpoint_id}:secret", 32),
                description=None if description in (None, "") else params.string(
                    description, "description"
                ),
                metadata=params.metadata(EMPTY_METADATA, metadata) if metadata else EMPTY_METADATA,
                api_version=None if api_version is None else versions.parse(
                    api_version, "api_version"
                ).name,
                connect=from_connected,
            )  # fmt: skip
            op.put(endpoint)
        return evolve(endpoint, reveal=True)

    def retrieve(self, webhook_endpoint: str) -> WebhookEndpoint:
        with self._kernel.lock:
            return _find(self._kernel.store, webhook_endpoint)

    def update(
        self,
        webhook_endpoint: str,
        *,
        url: str | None = None,
        enabled_events: StrList | None = None,
        description: str | None = None,
        metadata: MetadataParams | Unset | None = None,
        disabled: bool | None = None,
    ) -> WebhookEndpoint:
        """Change the URL, the events, the description or metadata; ``disabled`` pauses it."""
        with self._kernel.operation() as op:
            current = _find(self._kernel.store, webhook_endpoint)
            changes: dict[str, Any] = {}
            if url is not None:
                changes["url"] = checked_url(url)
            if enabled_events is not None:
                changes["enabled_events"] = checked_events(enabled_events)
            if description is not None:
                changes["description"] = (
                    None if description == "" else params.string(description, "description")
                )
            if metadata is not None:
                changes["metadata"] = params.metadata(current.metadata, metadata)
            if disabled is not None:
                off = params.boolean(disabled, "disabled")
                changes["status"] = "disabled" if off else "enabled"
            updated = evolve(current, **changes)
            op.put(updated)
        return updated

    def delete(self, webhook_endpoint: str) -> WebhookEndpoint:
        with self._kernel.operation() as op:
            gone = evolve(_find(self._kernel.store, webhook_endpoint), deleted=True)
            op.put(gone)
        return gone

    def delivered(self, event: str, webhook_endpoint: str) -> None:
        """Note that ``webhook_endpoint`` answered ``event``'s post with a 2xx, so the event's
        ``pending_webhooks`` no longer counts it. pmsim's own: the delivery layer calls it.

        >>> import pmsim
        >>> sim = pmsim.Simulator()
        >>> hook = sim.webhook_endpoints.create(url="https://example.com/hook",
        ...                                     enabled_events=["customer.created"])
        >>> _ = sim.customers.create()
        >>> event = sim.events.list().data[0]
        >>> event.to_dict()["pending_webhooks"]
        1
        >>> sim.webhook_endpoints.delivered(event.id, hook.id)
        >>> sim.events.retrieve(event.id).to_dict()["pending_webhooks"]
        0
        """
        with self._kernel.lock:
            self._kernel.store.settle_event(event, webhook_endpoint)

    def receiving(self, event_type: str) -> tuple[WebhookEndpoint, ...]:
        """The endpoints an event of ``event_type`` is sent to (enabled, not deleted, for the
        account's own events, and subscribed to it), oldest first. pmsim's own: the delivery
        layer asks it.

        >>> import pmsim
        >>> sim = pmsim.Simulator()
        >>> hook = sim.webhook_endpoints.create(url="https://example.com/hook",
        ...                                     enabled_events=["customer.created"])
        >>> [e.id for e in sim.webhook_endpoints.receiving("customer.created")] == [hook.id]
        True
        >>> sim.webhook_endpoints.receiving("customer.deleted")
        ()
        """
        with self._kernel.lock:
            endpoints = self._kernel.store.webhook_endpoints.values()
            return tuple(endpoint for endpoint in endpoints if endpoint.wants(event_type))

    def list(
        self,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[WebhookEndpoint]:
        with self._kernel.lock:
            return table_page(
                self._kernel.store.webhook_endpoints, kind="webhook_endpoint",
                url="/v1/webhook_endpoints", keep=lambda endpoint: not endpoint.deleted,
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip


def _find(store: Store, endpoint_id: object) -> WebhookEndpoint:
    key = params.string(endpoint_id, "webhook_endpoint")
    found = store.webhook_endpoints.get(key)
    if found is None or found.deleted:
        raise lookups.no_such("webhook_endpoint", key, param="webhook_endpoint", in_path=True)
    return found


def checked_url(value: object) -> str:
    """An endpoint's ``url``, as create and update (and state files) accept it."""
    text = params.string(value, "url")
    if not _URL.fullmatch(text):
        raise parameters.invalid_url(text)
    return text


def checked_events(value: object) -> tuple[str, ...]:
    """An endpoint's ``enabled_events``, as create and update (and state files) accept them."""
    events = params.string_list(value, "enabled_events")
    if not events:
        raise parameters.missing_param("enabled_events")
    for index, event_type in enumerate(events):
        # Any of Stripe's types, including ones pmsim never emits (invoice.paid).
        if event_type not in KNOWN:
            raise parameters.invalid_choice(f"enabled_events[{index}]", ENABLED_EVENTS)
    return events
