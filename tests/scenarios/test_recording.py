"""Recording round-trips: record a session, write it, replay it, get the identical transcript."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import pmsim
from pmsim.scenarios import loads

# Text that YAML treats specially when unquoted, references that are not, and non-ASCII:
# the written file must still read back as exactly these strings.
TRICKY = st.sampled_from(
    ["yes", "no", "null", "~", "1e3", "0x10", "-", "a: b", "#x", "${ada}", "$${x}", "x${", "",
     " lead", "trail ", "line\nbreak", "é€😀", "'quote\"", "@at", "*star", "&amp", "2024-01-01"]
)  # fmt: skip
TEXT = TRICKY | st.text(max_size=12)
CARDS = st.sampled_from(["pm_card_visa", "pm_card_mastercard", "pm_card_visa_chargeDeclined",
                         "pm_card_amex", "pm_card_chargeDeclinedExpiredCard"])  # fmt: skip

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("customer"), TEXT, st.dictionaries(TEXT, TEXT, max_size=2)),
        st.tuples(st.just("card"), CARDS, st.integers(0, 9)),
        st.tuples(st.just("token"), st.sampled_from(["tok_visa", "tok_chargeDeclined", "tok_x"])),
        st.tuples(st.just("detach"), st.integers(0, 9)),
        st.tuples(st.just("default"), st.integers(0, 9), st.integers(0, 9)),
        st.tuples(st.just("delete"), st.integers(0, 9)),
        st.tuples(st.just("metadata"), st.integers(0, 9), TEXT, TEXT),
        st.tuples(st.just("list"), st.integers(-1, 3)),
        st.tuples(st.just("clock"), st.integers(0, 10**6)),
        st.tuples(st.just("retrieve"), TEXT),
    ),
    max_size=25,
)


def pick(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else "cus_missing"


def play(sim: pmsim.Simulator, actions: list[tuple[Any, ...]]) -> None:
    """Run a random session through the Python API; Stripe errors are part of the story."""
    customers: list[Any] = []
    cards: list[Any] = []
    steps: dict[str, Any] = {
        "customer": lambda email, metadata: customers.append(
            sim.customers.create(email=email or None, metadata=metadata or None)
        ),
        "card": lambda test_id, who: cards.append(
            sim.payment_methods.attach(test_id, customer=pick(customers, who))
        ),
        "token": lambda token: cards.append(
            sim.payment_methods.create(type="card", card={"token": token})
        ),
        "detach": lambda which: sim.payment_methods.detach(pick(cards, which)),
        "default": lambda who, which: sim.customers.update(
            pick(customers, who), invoice_settings={"default_payment_method": pick(cards, which)}
        ),
        "delete": lambda who: sim.customers.delete(pick(customers, who)),
        "metadata": lambda who, key, value: sim.customers.update(
            pick(customers, who), metadata={key: value}
        ),
        "list": lambda limit: sim.customers.list(limit=limit if limit >= 0 else None),
        "clock": lambda seconds: sim.clock.advance(seconds=seconds),
        "retrieve": lambda text: sim.customers.retrieve(text),
    }
    for kind, *args in actions:
        with contextlib.suppress(pmsim.StripeError):
            steps[kind](*args)


@given(ACTIONS, st.integers(0, 2**32 - 1))
def test_a_recorded_session_replays_to_the_identical_transcript(
    actions: list[tuple[Any, ...]], seed: int
) -> None:
    sim = pmsim.Simulator(seed=seed)
    with pmsim.record(sim) as recording:
        play(sim, actions)
    text = recording.to_yaml(name="A random session")
    replay_sim = pmsim.Simulator(seed=seed)
    transcript = pmsim.replay(loads(text), replay_sim)
    assert transcript.passed, transcript.failed_step
    assert transcript.to_jsonl() == recording.transcript(name="A random session").to_jsonl()
    assert replay_sim.snapshot() == sim.snapshot()


def test_the_written_file_reads_well_and_loads_from_disk(tmp_path: Path) -> None:
    sim = pmsim.Simulator(seed=5)
    with pmsim.record(sim) as recording:
        ada = sim.customers.create(email="ada@example.com")
        visa = sim.payment_methods.attach("pm_card_visa", customer=ada)
        sim.customers.update(ada.id, invoice_settings={"default_payment_method": visa.id})
        with pytest.raises(pmsim.CardError):
            sim.payment_methods.attach("pm_card_visa_chargeDeclined", customer=ada.id)
        sim.clock.advance(days=2)
    path = recording.write(tmp_path / "ada.yaml", name="Ada", description="Recorded in a test")
    text = path.read_text(encoding="utf-8")
    assert "    as: customer_1\n" in text and "customer: '${customer_1}'" in text
    assert "default_payment_method: '${card_1}'" in text
    assert "# 4. card_error card_declined (402): Your card was declined." in text
    assert (
        "expect_error: {type: card_error, code: card_declined, decline_code: generic_decline"
        in text
    )
    assert "  - clock.advance: {seconds: 172800}" in text
    assert "as: card_2" not in text  # names only what a later step uses
    transcript = pmsim.replay(pmsim.load_scenario(path))
    assert transcript.passed and len(transcript.steps) == 5


def test_recording_needs_a_fresh_simulator() -> None:
    sim = pmsim.Simulator()
    sim.customers.create()
    with pytest.raises(pmsim.PmsimUsageError, match="record a fresh simulator"):
        pmsim.record(sim)


def test_recording_stops_at_the_end_of_the_block() -> None:
    sim = pmsim.Simulator()
    with pmsim.record(sim) as recording:
        sim.customers.create()
    sim.customers.create()
    assert [call.op for call in recording.calls] == ["customers.create"]
    assert type(sim.customers).__name__ == "Customers"


def test_calls_through_the_stripe_client_are_recorded_too() -> None:
    pytest.importorskip("stripe")
    sim = pmsim.Simulator()
    with pmsim.record(sim) as recording:
        client = pmsim.stripe_client(sim)
        cus = client.v1.customers.create({"email": "a@example.com"})
        client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    assert [call.op for call in recording.calls] == ["customers.create", "payment_methods.attach"]
    assert pmsim.replay(recording.scenario()).passed


def test_restoring_while_recording_is_refused_and_changes_nothing() -> None:
    sim = pmsim.Simulator(seed=3)
    with pmsim.record(sim) as recording:
        ada = sim.customers.create()
        saved = sim.snapshot()
        sim.customers.delete(ada.id)
        before = sim.snapshot()
        with pytest.raises(pmsim.PmsimUsageError, match="a scenario cannot rewind"):
            sim.restore(saved)
        assert sim.snapshot() == before
    assert pmsim.replay(recording.scenario()).passed
