"""``sim.payment_intents.list`` and ``search``: reading PaymentIntents, a mixin of
``PaymentIntents`` (``engine/payment_intents.py``), kept apart so the rules stay short."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain.inputs import Created
from pmsim.domain.pages import ListObject, SearchResult
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.domain.search import PAYMENT_INTENT_FIELDS, parse
from pmsim.engine import intents as shared
from pmsim.engine.searching import search_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


class PaymentIntentReads:
    """Lists and searches of PaymentIntents."""

    _kernel: Kernel

    def list(
        self,
        *,
        customer: str | None = None,
        created: Created | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[PaymentIntent]:
        """PaymentIntents, newest first, optionally of one customer."""
        with self._kernel.lock:
            return shared.listed(
                self._kernel.store.payment_intents, "payment_intent", created=created,
                filters={"customer": customer},
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip

    def search(
        self, *, query: str | None = None, limit: int | None = None, page: str | None = None
    ) -> SearchResult[PaymentIntent]:
        """PaymentIntents matching a query in Stripe's search language, newest first.

        >>> import pmsim
        >>> sim = pmsim.Simulator()
        >>> pi = sim.payment_intents.create(amount=2000, currency="eur")
        >>> found = sim.payment_intents.search(query="amount>=1000 currency:'EUR'")
        >>> [each.id for each in found] == [pi.id]
        True
        """
        parsed = parse(query, PAYMENT_INTENT_FIELDS, "payment_intents")
        with self._kernel.lock:
            table = self._kernel.store.payment_intents
            return search_page(
                table, table.ids, table.position.get, parsed,
                url="/v1/payment_intents/search", limit=limit, page=page,
            )  # fmt: skip
