"""``sim.events``: the events every change emitted, newest first."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pmsim.domain import params
from pmsim.domain.events import Event
from pmsim.domain.inputs import Created, StrList
from pmsim.domain.messages import lookups, parameters
from pmsim.domain.pages import ListObject
from pmsim.engine.listing import created_filter, page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel

MAX_TYPES = 20


def type_matcher(type: Any, types: Any) -> Callable[[str], bool] | None:
    """``type`` (``customer.*`` wildcards allowed) or up to 20 exact ``types``.

    >>> type_matcher("customer.*", None)("customer.created")
    True
    """
    if type is not None and types is not None:
        raise parameters.only_one_of("type", "types")
    if type is not None:
        wanted = params.string(type, "type")
        if wanted.endswith(".*"):
            prefix = wanted[:-1]
            return lambda event_type: event_type.startswith(prefix)
        return lambda event_type: event_type == wanted
    if types is not None:
        names = set(params.string_list(types, "types"))
        if len(names) > MAX_TYPES:
            raise parameters.too_large("types", MAX_TYPES)
        return names.__contains__
    return None


class Events:
    """Stripe Events, in the order they happened; ``list()`` gives the newest first.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> cus = sim.customers.create()
    >>> event = sim.events.list(type="customer.created").data[0]
    >>> sim.events.retrieve(event.id).object.id == cus.id
    True
    """

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def retrieve(self, id: str) -> Event:
        """One event by id."""
        with self._kernel.lock:
            key = params.string(id, "id")
            event = self._kernel.store.event(key)
            if event is None:
                raise lookups.no_such("event", key, param="id", in_path=True)
            return event

    def list(
        self,
        *,
        created: Created | None = None,
        delivery_success: bool | None = None,
        ending_before: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        type: str | None = None,
        types: StrList | None = None,
    ) -> ListObject[Event]:
        """Events, newest first, filtered by ``type``/``types``, ``created`` and
        ``delivery_success``.

        ``delivery_success=True`` keeps the events no webhook endpoint is still owed
        (``pending_webhooks`` 0, those that had none included), ``False`` the others: "events
        which are still pending or have failed all delivery attempts to a webhook endpoint".
        """
        with self._kernel.lock:
            store = self._kernel.store
            matches = type_matcher(type, types)
            in_range = created_filter(created)
            delivered = None
            if delivery_success is not None:
                delivered = params.boolean(delivery_success, "delivery_success")

            def keep(event_id: str) -> bool:
                event = store.event(event_id)
                return (
                    event is not None
                    and (matches is None or matches(event.type))
                    and (in_range is None or in_range(event.created))
                    and (delivered is None or delivered is not bool(event.owed))
                )

            filtered = not (matches is None and in_range is None and delivered is None)
            found, has_more = page(
                store.event_ids(), store.event_position, kind="event", limit=limit,
                starting_after=starting_after, ending_before=ending_before,
                keep=keep if filtered else None,
            )  # fmt: skip
            events = tuple(event for i in found if (event := store.event(i)) is not None)
            return ListObject(events, has_more, "/v1/events")
