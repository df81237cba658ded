"""``sim.accounts``: Stripe's ``/v1/account`` and ``/v1/accounts`` for the simulator's own
account, the only one there is (no connected accounts).

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> account = sim.accounts.retrieve()
>>> account.id == sim.accounts.retrieve(account.id).id == sim.accounts.platform_id
True
>>> sim.accounts.list().data
()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.clock import DEFAULT_START
from pmsim.domain import params
from pmsim.domain.accounts import Account
from pmsim.domain.inputs import Created
from pmsim.domain.messages import http
from pmsim.domain.pages import ListObject
from pmsim.engine.listing import created_filter, page
from pmsim.ids import account_id

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel

#: When the account was made: pmsim's default start (2024-01-01T00:00:00Z), whatever the
#: simulator's start time, so that snapshots, forks and state files need not keep it.
CREATED = DEFAULT_START


class Accounts:
    """The simulator's own Stripe account: retrieve it, or list connected accounts (none)."""

    def __init__(self, kernel: Kernel) -> None:
        self._kernel = kernel

    @property
    def platform_id(self) -> str:
        """The account's id (``acct_…``), from the seed: the one a ``Stripe-Account`` header
        or ``/v1/accounts/{account}`` may name."""
        return account_id(self._kernel.seed)

    def retrieve(self, account: str | None = None) -> Account:
        """The simulator's own account; any other ``account`` id is refused (403).

        ``GET /v1/account``, or ``GET /v1/accounts/{account}`` naming it; another id is
        refused as Stripe refuses an account the key cannot reach (``account_invalid``).
        """
        own = self.platform_id
        if account is not None and params.string(account, "account") != own:
            raise http.no_access_to_account(account)
        return Account(own, CREATED)

    def list(
        self,
        *,
        created: Created | None = None,
        ending_before: str | None = None,
        limit: int | None = None,
        starting_after: str | None = None,
    ) -> ListObject[Account]:
        """The connected accounts: none, so always an empty list (``GET /v1/accounts``)."""
        created_filter(created)  # checked, though there is nothing to filter
        page((), lambda _: None, kind="account", limit=limit,
             starting_after=starting_after, ending_before=ending_before)  # fmt: skip
        return ListObject((), False, "/v1/accounts")
