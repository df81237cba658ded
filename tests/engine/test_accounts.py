"""``sim.accounts``: the simulator's own Stripe account, from the seed, and no connected ones."""

from __future__ import annotations

import re

import pytest

import pmsim
from pmsim.engine.accounts import CREATED

OWN_ID = re.compile(r"acct_1[0-9A-Za-z]{15}")
NO_ACCESS = (
    "The provided key does not have access to account '{}' (or that account does not exist). "
    "Application access may have been revoked."
)


def test_one_account_per_simulator_its_id_from_the_seed() -> None:
    first = pmsim.Simulator(seed=7).accounts.retrieve()
    assert OWN_ID.fullmatch(first.id)
    assert pmsim.Simulator(seed=7).accounts.retrieve() == first
    assert pmsim.Simulator(seed=8).accounts.retrieve().id != first.id
    assert first.created == CREATED


def test_the_account_uses_up_no_id() -> None:
    looked, untouched = pmsim.Simulator(seed=3), pmsim.Simulator(seed=3)
    looked.accounts.retrieve()
    looked.accounts.list()
    assert looked.customers.create().id == untouched.customers.create().id
    assert looked.snapshot() == untouched.snapshot()


def test_forks_restores_and_state_files_keep_the_account(tmp_path) -> None:
    sim = pmsim.Simulator(seed=11)
    own = sim.accounts.retrieve()
    assert sim.fork().accounts.retrieve() == own
    other = pmsim.Simulator(seed=12)
    other.restore(sim.snapshot())  # the snapshot brings its seed, so its account
    assert other.accounts.retrieve() == own
    sim.save(tmp_path / "state.json")
    assert pmsim.Simulator.load(tmp_path / "state.json").accounts.retrieve() == own


def test_retrieving_by_its_own_id_and_no_other(sim: pmsim.Simulator) -> None:
    own = sim.accounts.retrieve()
    assert sim.accounts.retrieve(own.id) == own
    assert sim.accounts.platform_id == own.id
    with pytest.raises(pmsim.PermissionDeniedError) as caught:
        sim.accounts.retrieve("acct_1NotConnected00")
    err = caught.value
    assert (err.http_status, err.type, err.code, err.param) == (
        403, "invalid_request_error", "account_invalid", None,
    )  # fmt: skip
    assert err.message == NO_ACCESS.format("acct_1NotConnected00")


def test_the_account_is_a_verified_us_standard_account(sim: pmsim.Simulator) -> None:
    body = sim.accounts.retrieve().to_dict()
    assert body["object"] == "account"
    assert (body["type"], body["country"], body["default_currency"]) == ("standard", "US", "usd")
    assert body["charges_enabled"] and body["payouts_enabled"] and body["details_submitted"]
    assert body["email"] == "pmsim@example.com"  # dj-stripe stores it in a NOT NULL column
    assert body["capabilities"] == {"card_payments": "active", "transfers": "active"}
    assert body["requirements"]["currently_due"] == []
    assert body["settings"]["dashboard"]["display_name"] == "pmsim"
    assert "livemode" not in body  # the Account object has none


def test_no_connected_accounts(sim: pmsim.Simulator) -> None:
    page = sim.accounts.list()
    empty = {"object": "list", "data": [], "has_more": False, "url": "/v1/accounts"}
    assert page.to_dict() == empty
    assert sim.accounts.list(limit=100, created={"gte": 0}).data == ()


@pytest.mark.parametrize(
    ("kwargs", "message", "param"),
    [
        ({"limit": 0}, "This value must be greater than or equal to 1.", "limit"),
        ({"created": "soon"}, "Invalid integer: soon", "created"),
        ({"starting_after": "acct_1Gone"}, "No such account: 'acct_1Gone'", "starting_after"),
    ],
)
def test_list_parameters_are_checked(
    sim: pmsim.Simulator, kwargs: dict, message: str, param: str
) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.accounts.list(**kwargs)
    assert (caught.value.message, caught.value.param) == (message, param)
