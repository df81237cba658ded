"""The account as stripe-python asks for it: ``GET /v1/account`` (dj-stripe's first call),
``GET /v1/accounts`` (``djstripe_sync_models``) and the ``stripe_account`` request option."""

from __future__ import annotations

from typing import Any

import pytest
import stripe

import pmsim
from pmsim.transports.stripe_python import PmsimHTTPClient

NO_ACCESS = (
    "The provided key 'sk_test_*msim' does not have access to account 'acct_1NotConnected00' "
    "(or that account does not exist). Application access may have been revoked."
)


class Recording(PmsimHTTPClient):
    """pmsim's client, noting each request's method, path and Stripe-Account header."""

    def __init__(self, sim: pmsim.Simulator) -> None:
        super().__init__(sim)
        self.seen: list[tuple[str, str, str | None]] = []

    def request(self, method: str, url: str, headers: Any, post_data: Any = None, **kw: Any):
        path = url.split("://", 1)[-1].partition("/")[2].partition("?")[0]
        self.seen.append((method.upper(), "/" + path, (headers or {}).get("Stripe-Account")))
        return super().request(method, url, headers, post_data, **kw)


@pytest.fixture
def recording(sim: pmsim.Simulator) -> Recording:
    return Recording(sim)


@pytest.fixture
def client(recording: Recording) -> stripe.StripeClient:
    return stripe.StripeClient(
        "sk_test_pmsim", http_client=recording, base_addresses={"api": "http://pmsim.invalid"}
    )


def test_the_current_account_is_get_v1_account(
    sim: pmsim.Simulator, client: stripe.StripeClient, recording: Recording
) -> None:
    account = client.v1.accounts.retrieve_current()
    assert recording.seen == [("GET", "/v1/account", None)]
    assert isinstance(account, stripe.Account)
    assert account.id == sim.accounts.platform_id
    assert (account.charges_enabled, account.default_currency, account.type) == (
        True, "usd", "standard",
    )  # fmt: skip
    by_id = client.v1.accounts.retrieve(account.id)  # to_dict() is deprecated in stripe 12.5
    assert (by_id.id, by_id.email, by_id.created) == (account.id, account.email, account.created)


def test_module_level_account_retrieve_without_an_id_as_dj_stripe_calls_it() -> None:
    with pmsim.mock_stripe() as sim:
        account = stripe.Account.retrieve(api_key="sk_test_pmsim", stripe_version="2024-06-20")
        assert account.id == sim.accounts.platform_id
        assert account.email == "pmsim@example.com"


def test_listing_accounts_finds_none(client: stripe.StripeClient, recording: Recording) -> None:
    page = client.v1.accounts.list({"limit": 100})
    assert recording.seen == [("GET", "/v1/accounts", None)]
    assert (page.data, page.has_more, page.url) == ([], False, "/v1/accounts")
    assert list(page.auto_paging_iter()) == []


def test_another_account_is_a_permission_error(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.PermissionError) as caught:
        client.v1.accounts.retrieve("acct_1NotConnected00")
    err = caught.value  # stripe-python passes no code to PermissionError: it is in err.error
    assert (err.http_status, err.error.code, err.user_message) == (
        403, "account_invalid", NO_ACCESS,
    )  # fmt: skip


def test_the_stripe_account_option_sends_the_header(
    sim: pmsim.Simulator, client: stripe.StripeClient, recording: Recording
) -> None:
    own = sim.accounts.platform_id
    cus = client.v1.customers.create({"email": "ada@example.com"}, {"stripe_account": own})
    assert recording.seen[-1] == ("POST", "/v1/customers", own)
    assert client.v1.customers.retrieve(cus.id, options={"stripe_account": own}).id == cus.id
    before = sim.snapshot()
    with pytest.raises(stripe.PermissionError) as caught:
        client.v1.customers.create({}, {"stripe_account": "acct_1NotConnected00"})
    assert recording.seen[-1][2] == "acct_1NotConnected00"
    assert (caught.value.error.code, caught.value.user_message) == ("account_invalid", NO_ACCESS)
    assert sim.snapshot() == before


def test_a_client_made_for_the_platform_account_works(sim: pmsim.Simulator) -> None:
    """dj-stripe syncs objects with ``stripe_account`` set to the platform's own id."""
    client = stripe.StripeClient(
        "sk_test_pmsim", stripe_account=sim.accounts.platform_id,
        http_client=PmsimHTTPClient(sim), base_addresses={"api": "http://pmsim.invalid"},
    )  # fmt: skip
    client.v1.customers.create()
    assert len(client.v1.customers.list().data) == 1
