"""``sim.setup_attempts``: the attempts to set up a payment method, one per SetupIntent
confirmation (``GET /v1/setup_attempts``; ``domain/setup_attempts.py``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.domain import params
from pmsim.domain.inputs import Created
from pmsim.domain.messages import parameters
from pmsim.domain.pages import ListObject
from pmsim.domain.setup_attempts import SetupAttempt
from pmsim.engine import rules
from pmsim.engine.listing import filtered_page

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel


class SetupAttempts:
    """List a SetupIntent's attempts."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    def list(
        self,
        *,
        setup_intent: str | None = None,
        created: Created | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
    ) -> ListObject[SetupAttempt]:
        """A SetupIntent's attempts (``setup_intent`` is required, as Stripe requires it),
        newest first."""
        if setup_intent is None:
            raise parameters.missing_param("setup_intent")
        key = params.string(setup_intent, "setup_intent")
        with self._kernel.lock:
            store = self._kernel.store
            rules.find_record(
                store.setup_intents, key, "setup_intent", param="setup_intent", in_path=False
            )
            return filtered_page(
                store.setup_attempts, kind="setup_attempt", url="/v1/setup_attempts",
                created=created, filters={"setup_intent": key},
                limit=limit, starting_after=starting_after, ending_before=ending_before,
            )  # fmt: skip
