"""``pmsim serve --api-version``: what requests without a Stripe-Version answer as (issue 14)."""

from __future__ import annotations

import httpx
import pytest

from pmsim.cli import main
from pmsim.domain import versions
from pmsim.transports.server import Server

AUTH = {"Authorization": "Bearer sk_test_versions"}


def test_requests_without_a_version_answer_as_the_servers_default() -> None:
    with Server(port=0, api_version=versions.parse("2024-06-20")).running() as server:
        answer = httpx.post(f"{server.url}/v1/payment_intents", headers=AUTH,
                            data={"amount": "500", "currency": "usd"})  # fmt: skip
        assert answer.headers["stripe-version"] == "2024-06-20"
        assert answer.json()["invoice"] is None  # 2024-06-20 still has it
        sent = {**AUTH, "Stripe-Version": "2025-03-31.basil"}
        newer = httpx.post(f"{server.url}/v1/payment_intents", headers=sent,
                           data={"amount": "500", "currency": "usd"})  # fmt: skip
        assert newer.headers["stripe-version"] == "2025-03-31.basil"
        assert "invoice" not in newer.json()
        # Events are rendered in the account's default, whatever the request asked for.
        events = httpx.get(f"{server.url}/v1/events", headers=sent).json()["data"]
        assert {event["api_version"] for event in events} == {"2024-06-20"}


def test_the_default_is_the_newest_version() -> None:
    with Server(port=0).running() as server:
        answer = httpx.get(f"{server.url}/v1/customers", headers=AUTH)
        assert answer.headers["stripe-version"] == versions.NEWEST.name


@pytest.mark.parametrize("value", ["bogus", "2024-06-20.preview", "2020-08-27"])
def test_an_unknown_version_is_refused_at_start(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "0", "--api-version", value])
    assert exit_.value.code == 2
    assert f"Invalid Stripe API version: {value}" in capsys.readouterr().err
