"""Which account a request may act on: the key's own only, as pmsim simulates no connected
accounts. A ``Stripe-Account`` header, or an account in the path (``/v1/accounts/{account}``),
naming any other is refused as Stripe refuses an account the key cannot reach.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> check_account(sim, "sk_test_123", sim.accounts.platform_id)
>>> try:
...     check_account(sim, "sk_test_123", "acct_other")
... except pmsim.StripeError as err:
...     print(err.http_status, err.code, err.message[:62])
403 account_invalid The provided key 'sk_test_123' does not have access to account
"""

from __future__ import annotations

from pmsim.api.routes import ROUTES, Route
from pmsim.domain.messages import http
from pmsim.engine import Simulator

#: The path placeholders that name an account, checked like the header.
ACCOUNT_PLACEHOLDERS = frozenset({"account"})
#: For each route with such a placeholder, where its value is among the path values.
_ACCOUNT_AT: dict[Route, tuple[int, ...]] = {
    route: found
    for route in ROUTES
    if (found := tuple(i for i, name in enumerate(route.placeholders)
                       if name in ACCOUNT_PLACEHOLDERS))
}  # fmt: skip


def check_account(sim: Simulator, key: str, account: str) -> None:
    """Refuse ``account`` (403, ``account_invalid``) unless it is the simulator's own."""
    if account != sim.accounts.platform_id:
        raise http.no_access_to_account(account, key)


def check_path(sim: Simulator, key: str, route: Route, path_values: tuple[str, ...]) -> None:
    """An account named in the path is checked like the ``Stripe-Account`` header, so the
    refusal names the key."""
    for index in _ACCOUNT_AT.get(route, ()):
        check_account(sim, key, path_values[index])
