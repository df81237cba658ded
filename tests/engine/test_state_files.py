"""sim.save(path) / Simulator.load(path): round trips, atomic writes and bad files."""

from __future__ import annotations

import gc
import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pmsim
from pmsim.domain.models import PaymentMethod
from pmsim.engine import state_codec, state_files
from pmsim.ids import LENGTHS
from tests.support import busy, story, views


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "state.json"
    busy().save(path)
    return path


def test_save_and_load_give_back_the_same_state(saved: Path) -> None:
    sim = busy()
    loaded = pmsim.Simulator.load(saved)
    assert loaded.snapshot() == sim.snapshot()
    assert views(loaded) == views(sim)
    assert loaded.seed == sim.seed and loaded.clock.now() == sim.clock.now()


def test_the_story_goes_on_the_same_after_loading(saved: Path) -> None:
    assert story(pmsim.Simulator.load(saved)) == story(busy())


def test_every_table_is_in_the_file(saved: Path) -> None:
    data = json.loads(saved.read_text())
    assert (data["format"], data["version"]) == ("pmsim-state", 5)
    assert data["api_version"] == "2026-11-18.endive"
    for table in state_files.TABLES:
        assert data[table], f"the story left {table} empty: it proves nothing for it"
    kinds = {event["object"]["record"] for event in data["events"]}
    # No event carries an endpoint or a setup attempt (Stripe sends none about either).
    assert kinds == set(state_codec.EVENT_OBJECTS) - {"WebhookEndpoint", "SetupAttempt"}


def test_the_webhooks_an_event_still_owes_survive(saved: Path) -> None:
    sim = pmsim.Simulator(seed=2)
    hook = sim.webhook_endpoints.create(url="https://example.com/h", enabled_events=["*"])
    sim.customers.create()
    sim.customers.create()
    first, second = sim.events.list().data[::-1]
    sim.webhook_endpoints.delivered(first.id, hook.id)
    sim.save(saved)
    loaded = pmsim.Simulator.load(saved)
    pending = [loaded.events.retrieve(e.id).to_dict()["pending_webhooks"] for e in (first, second)]
    assert pending == [0, 1]


def test_pmsims_private_fields_survive(saved: Path) -> None:
    """What Stripe JSON leaves out: lifecycle state, the test-card row, endpoint secrets."""
    sim, loaded = busy(), pmsim.Simulator.load(saved)
    for before, after in zip(sim.snapshot().payment_methods, loaded.snapshot().payment_methods,
                             strict=True):  # fmt: skip
        assert (after.state, after.test_row, after.cvc_given) == (
            before.state, before.test_row, before.cvc_given
        )  # fmt: skip
    assert loaded.snapshot().webhook_endpoints[0].secret.startswith("whsec_")


def test_saving_over_a_file_replaces_it_whole(saved: Path) -> None:
    pmsim.Simulator(seed=9).save(saved)
    assert pmsim.Simulator.load(saved).snapshot() == pmsim.Simulator(seed=9).snapshot()
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]  # no temporary left


def test_a_failed_save_leaves_the_old_file_as_it_was(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = saved.read_bytes()

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(pmsim.StateFileError, match=r"cannot be saved \(disk full\)"):
        pmsim.Simulator(seed=9).save(saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_saving_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(pmsim.StateFileError, match="cannot be saved there"):
        pmsim.Simulator().save(tmp_path / "no" / "such" / "state.json")


def damage(data: dict[str, Any], change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    change(data)
    return data


def pm_on_missing_customer(data: dict[str, Any]) -> None:
    attached = next(pm for pm in data["payment_methods"] if pm["state"] == "attached")
    attached["customer"] = "cus_nobody"


def default_not_attached(data: dict[str, Any]) -> None:
    loose = next(pm for pm in data["payment_methods"] if pm["customer"] is None)
    data["customers"][0]["invoice_settings"]["default_payment_method"] = loose["id"]


def card_on_deleted_customer(data: dict[str, Any]) -> None:
    gone = next(c for c in data["customers"] if c["deleted"])
    attached = next(pm for pm in data["payment_methods"] if pm["state"] == "attached")
    attached["customer"] = gone["id"]


CHANGES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "wrong type": (
        lambda d: d["customers"][1].update(created="yesterday"),
        r"customers\[1\]\.created: expected an integer, got text \('yesterday'\)",
    ),
    "bool for int": (
        lambda d: d["customers"][0].update(balance=True),
        r"customers\[0\]\.balance: expected an integer",
    ),
    "unknown state": (
        lambda d: d["payment_methods"][0].update(state="zombie"),
        r"payment_methods\[0\]\.state: 'zombie' is not one of 'new', 'set_up', 'attached'",
    ),
    "unknown field": (
        lambda d: d["customers"][0].update(colour="blue"),
        r"customers\[0\]: Customer has no field 'colour'",
    ),
    "missing field": (
        lambda d: d["customers"][0].pop("id"),
        r"customers\[0\]: the Customer has no 'id'",
    ),
    "unknown event object": (
        lambda d: d["events"][0]["object"].update(record="Invoice"),
        r"events\[0\]\.object\.record: 'Invoice' is not one of Customer",
    ),
    "event object's record not text": (
        lambda d: d["events"][0]["object"].update(record=["Customer"]),
        r"events\[0\]\.object\.record: \['Customer'\] is not one of Customer",
    ),
    "table not a list": (lambda d: d.update(customers={}), r"customers: expected a list"),
    "time out of range": (lambda d: d.update(time=-5), r"simulated time must stay between"),
    "duplicate id": (
        lambda d: d["customers"].append(d["customers"][0]),
        r"customers\[\d+\]: the id cus_\w+ appears twice",
    ),
    "pm on a missing customer": (pm_on_missing_customer, r"which is not in the file"),
    "default not attached": (default_not_attached, r"customers\[0\]: the default pm_\w+ is not"),
    "newer version": (lambda d: d.update(version=6), r"version 6; this pmsim reads version 5"),
    "unknown api_version": (
        lambda d: d.update(api_version="2019-2-19"),
        r"api_version: text \('2019-2-19'\) is not an API version pmsim simulates",
    ),
    "ids rolled back": (lambda d: d.update(id_count=0), r"id_count 0 is less than the \d+ ids"),
    "id_count too large": (  # was an OverflowError making the next id
        lambda d: d.update(id_count=10**30),
        r"id_count 10{30} is not between 0 and 9223372036854775807",
    ),
    "ids that would repeat": (
        # The last id made comes again (one event less, so the ids still outnumber nothing).
        lambda d: (d["events"].pop(0), d.update(id_count=d["id_count"] - 1)),
        r"would make \w+_ ids that exist already",
    ),
    "time before its objects": (lambda d: d.update(time=0), r"time 0 is before the newest"),
    "card on a deleted customer": (card_on_deleted_customer, r"which is deleted"),
    "unknown test card": (
        lambda d: d["payment_methods"][0].update(test_row="nope"),
        r"payment_methods\[0\]: test_row 'nope' is no test card pmsim knows",
    ),
    "unknown type": (
        lambda d: d["payment_methods"][0].update(type="paypal"),
        r"payment_methods\[0\]: test_row 'visa' is no test paypal pmsim knows",
    ),
    "a card without its card details": (
        lambda d: d["payment_methods"][0].update(card=None),
        r"payment_methods\[0\]: a card needs its card details, and no others",
    ),
    "intent with a missing card": (
        lambda d: next(i for i in d["setup_intents"] if i["payment_method"]).update(
            payment_method="pm_gone"
        ),
        r"setup_intents\[\d\]: its payment method pm_gone is not in the file",
    ),
    "intent with a missing customer": (
        lambda d: next(i for i in d["payment_intents"] if i["customer"]).update(customer="cus_x"),
        r"payment_intents\[\d\]: its customer cus_x is not in the file",
    ),
    "mandate of a missing payment method": (
        lambda d: d["mandates"][0].update(payment_method="pm_gone"),
        r"mandates\[0\]: its payment method pm_gone is not in the file",
    ),
    "customer on a missing test clock": (
        lambda d: d["customers"][0].update(test_clock="clock_gone"),
        r"customers\[0\]: its test clock clock_gone is not in the file",
    ),
    # what create would refuse, refused with the engine's own words
    "51 metadata keys": (
        lambda d: d["customers"][0].update(metadata={f"k{n}": "v" for n in range(51)}),
        r"customers\[0\]\.metadata: Metadata can have up to 50 keys",
    ),
    "a metadata value too long": (
        lambda d: d["payment_methods"][0].update(metadata={"k": "v" * 501}),
        r"payment_methods\[0\]\.metadata: .*500 characters",
    ),
    "a bad email": (
        lambda d: d["customers"][0].update(email="not an email"),
        r"customers\[0\]\.email: Invalid email address: not an email",
    ),
    "a webhook url that is not http": (
        lambda d: d["webhook_endpoints"][0].update(url="file:///etc/passwd"),
        r"webhook_endpoints\[0\]\.url: Invalid URL",
    ),
    "a negative amount": (
        lambda d: d["payment_intents"][0].update(amount=-5),
        r"payment_intents\[0\]\.amount: Amount must be at least",
    ),
    "an unknown currency": (
        lambda d: d["payment_intents"][0].update(currency="xyz"),
        r"payment_intents\[0\]\.currency: Invalid currency: xyz",
    ),
    "an event's copy with a bad email": (
        lambda d: next(e for e in d["events"] if e["object"]["record"] == "Customer")["object"][
            "fields"
        ].update(email="@"),
        r"events\[\d+\]\.object\.email: Invalid email address",
    ),
    "foreign JSON": (lambda d: d.pop("format"), r"not a pmsim state file \(no \"format\""),
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_damaged_file_says_what_and_where_and_is_left_untouched(saved: Path, name: str) -> None:
    change, message = CHANGES[name]
    saved.write_text(json.dumps(damage(json.loads(saved.read_text()), change)))
    before = saved.read_bytes()
    with pytest.raises(pmsim.StateFileError, match=message) as caught:
        pmsim.Simulator.load(saved)
    assert str(caught.value).startswith(str(saved) + ": ")
    assert caught.value.path == str(saved)
    assert saved.read_bytes() == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"not JSON \(Expecting value at line 1, column 1\)"),
        ('{"format": "pmsim-state", "version": 1, "seed"', r"not JSON .* may be truncated"),
        ('{"name": "my-app", "version": "1.0.0"}', r"not a pmsim state file"),
        ("[1, 2, 3]", r"not a pmsim state file"),
        ("\u00ff\u00fe", r"not JSON"),
    ],
)
def test_files_that_are_not_state_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "other.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(pmsim.StateFileError, match=message):
        pmsim.Simulator.load(path)
    assert path.read_text(encoding="utf-8") == text


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(pmsim.StateFileError, match="cannot be read as a state file"):
        pmsim.Simulator.load(binary)
    with pytest.raises(pmsim.StateFileError, match="no such file; save one with sim.save"):
        pmsim.Simulator.load(tmp_path / "missing.json")


def test_a_truncated_save_is_refused(saved: Path) -> None:
    text = saved.read_text()
    saved.write_text(text[: len(text) // 2])
    with pytest.raises(pmsim.StateFileError, match="may be truncated"):
        pmsim.Simulator.load(saved)


def test_state_file_errors_are_usage_errors() -> None:
    assert issubclass(pmsim.StateFileError, pmsim.PmsimUsageError)
    assert not issubclass(pmsim.StateFileError, pmsim.StripeError)


def test_saving_onto_a_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(pmsim.StateFileError, match="cannot be saved"):
        pmsim.Simulator().save(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_saved_file_keeps_the_old_files_permissions(saved: Path) -> None:
    saved.chmod(0o644)
    busy().save(saved)
    assert saved.stat().st_mode & 0o777 == 0o644


def test_any_text_the_simulator_holds_survives_a_file(tmp_path: Path) -> None:
    sim = pmsim.Simulator()
    sim.customers.create(name="Zo\u00eb \ud800 \U0001f4b3", metadata={"note": "\u00e9t\u00e9"})
    sim.save(tmp_path / "state.json")
    assert pmsim.Simulator.load(tmp_path / "state.json").snapshot() == sim.snapshot()


@pytest.mark.parametrize(
    ("text", "message"),
    [("1" * 5000, "unreadable JSON"), ("[" * 100_000 + "]" * 100_000, "unreadable JSON")],
    ids=["a 5000-digit number", "arrays nested 100000 deep"],
)
def test_json_that_python_refuses_to_read(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text)
    with pytest.raises(pmsim.StateFileError, match=message):
        pmsim.Simulator.load(path)


GOLDEN = Path(__file__).parent / "golden" / f"state-v{state_files.VERSION}.json"


def test_the_file_format_has_not_moved_without_a_new_version() -> None:
    """A state file is its records' fields, so a renamed or added field changes the format.
    This file pins the current version: when the test fails, bump ``state_files.VERSION`` (or teach
    ``from_data`` to read the old shape) and write a new golden file beside this one."""
    expected = state_files.to_data(busy().snapshot())
    assert json.loads(GOLDEN.read_text()) == expected, (
        f"the state file's shape moved: bump VERSION and add {GOLDEN.parent}/"
        f"state-v{state_files.VERSION + 1}.json, keeping the old one loadable"
    )
    assert pmsim.Simulator.load(GOLDEN).snapshot() == busy().snapshot()


#: An id as pmsim makes them (``cus_`` and 14 characters, the others 24), and the fields made
#: from their object's id (a client secret, a customer's invoice prefix, an endpoint's secret).
PMSIM_ID = re.compile(
    rf"\b(?:{'|'.join(sorted({*LENGTHS, 'card'}))})_[A-Za-z0-9]{{14}}(?:[A-Za-z0-9]{{10}})?"
    r"(?![A-Za-z0-9])"
)
FROM_THE_ID = frozenset({"client_secret", "invoice_prefix", "secret"})


def before_charges(sim: pmsim.Simulator | dict[str, Any]) -> Any:
    """``sim``'s state file (or that file's data) as pmsim wrote the same story before it kept
    charges, to compare a golden file older than version 5 with :func:`busy`, whose payments
    now make charges.

    Those files hold no ``charges`` table, no ``charge.succeeded`` / ``charge.failed`` events and
    no ``charge`` on a decline's ``last_payment_error``: all three are left out here. pmsim made
    the charge ids then too (``latest_charge``), but each charge event now uses up one more id,
    and ids are a hash of a running count: every id made after the first charge event differs,
    and so does what is made from an id. So ids are renamed in order of first appearance (equal
    results still mean the same objects naming each other the same way), fields made from an id
    are blanked, and ``id_count`` is taken back by the charge events' ids, the only ones added.
    """
    data = dict(state_files.to_data(sim.snapshot()) if isinstance(sim, pmsim.Simulator) else sim)
    charge_events = [e for e in data["events"] if e["type"].startswith("charge.")]
    data["events"] = [e for e in data["events"] if e not in charge_events]
    data["id_count"] -= len(charge_events)
    data.pop("charges", None)
    data.pop("refunds", None)  # busy() refunds nothing when it tells its old story
    data.pop("setup_attempts", None)  # recorded since version 5 (their ids were made before)
    names: dict[str, str] = {}

    def renamed(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: "<from the id>" if key in FROM_THE_ID else renamed(
                    {**item, "charge": None} if key == "last_payment_error" and item else item
                )
                for key, item in value.items()
            }  # fmt: skip
        if isinstance(value, list):
            return [renamed(item) for item in value]
        if isinstance(value, str):
            return PMSIM_ID.sub(lambda m: names.setdefault(m[0], f"<id {len(names)}>"), value)
        return value

    return renamed(data)


def test_before_charges_tells_apart_what_it_must() -> None:
    """The renaming keeps which object names which: a reference moved to another object of the
    file still shows."""
    sim = busy(sources=False, old_intents=True)
    assert before_charges(sim) == before_charges(busy(sources=False, old_intents=True))
    moved = state_files.to_data(sim.snapshot())
    ada, other_card = moved["customers"][0], moved["payment_methods"][1]["id"]
    assert ada["invoice_settings"]["default_payment_method"] != other_card
    ada["invoice_settings"]["default_payment_method"] = other_card
    assert before_charges(moved) != before_charges(sim)
    left = re.findall(r"\b[a-z]+_[A-Za-z0-9]{14,}", json.dumps(before_charges(busy())))
    assert left == []  # every id was renamed: none escaped the pattern


def test_a_version_1_file_still_loads_its_events_owing_no_webhooks() -> None:
    """Version 2 added ``owed`` to events (their pending webhooks); version 1 had none."""
    old = GOLDEN.parent / "state-v1.json"
    assert json.loads(old.read_text())["version"] == 1
    loaded = pmsim.Simulator.load(old)
    assert loaded.snapshot().charges == ()
    assert before_charges(loaded) == before_charges(busy(sources=False, old_intents=True))


def test_a_version_2_file_loads_its_cards_and_endpoints_with_the_defaults() -> None:
    """Version 3 added a card's ``allow_redisplay`` and an endpoint's ``connect``."""
    old = GOLDEN.parent / "state-v2.json"
    assert json.loads(old.read_text())["version"] == 2
    loaded = pmsim.Simulator.load(old)
    assert loaded.snapshot().charges == ()
    assert before_charges(loaded) == before_charges(busy(sources=False, old_intents=True))
    assert {pm.allow_redisplay for pm in loaded.snapshot().payment_methods} == {"unspecified"}
    assert not any(hook.connect for hook in loaded.snapshot().webhook_endpoints)


def test_a_version_3_file_loads_with_no_sources_and_no_default_source() -> None:
    """Version 4 added the ``sources`` table and a customer's ``default_source``."""
    old = GOLDEN.parent / "state-v3.json"
    assert json.loads(old.read_text())["version"] == 3
    sim = pmsim.Simulator.load(old)
    assert before_charges(sim) == before_charges(busy(sources=False, old_intents=True))
    loaded = sim.snapshot()
    assert loaded.sources == () and loaded.charges == ()
    assert {customer.default_source for customer in loaded.customers} == {None}


def test_a_default_source_that_is_not_the_customers_card_is_refused(tmp_path: Path) -> None:
    data = state_files.to_data(busy().snapshot())
    data["customers"][0]["default_source"] = data["sources"][0]["id"]  # cara's deleted card
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data))
    with pytest.raises(pmsim.StateFileError, match="default source"):
        pmsim.Simulator.load(path)


def test_allow_redisplay_and_connect_survive_a_state_file(tmp_path: Path) -> None:
    sim = pmsim.Simulator()
    cus = sim.customers.create()
    pm = sim.payment_methods.create(
        type="card", card={"token": "tok_visa"}, allow_redisplay="always"
    )
    sim.payment_methods.attach(pm.id, customer=cus.id)
    sim.webhook_endpoints.create(url="https://example.com/h", enabled_events=["*"], connect=True)
    sim.save(tmp_path / "state.json")
    assert pmsim.Simulator.load(tmp_path / "state.json").snapshot() == sim.snapshot()


def test_saving_and_loading_leave_the_garbage_collector_as_they_found_it(
    saved: Path,
) -> None:
    assert gc.isenabled()
    busy().save(saved)
    pmsim.Simulator.load(saved)
    assert gc.isenabled()
    gc.disable()
    try:
        pmsim.Simulator.load(saved)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit, MemoryError])
def test_an_interrupted_save_leaves_no_temporary_file(
    saved: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    before = saved.read_bytes()

    def interrupt(*args: object) -> None:
        raise interruption

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(interruption):
        pmsim.Simulator(seed=9).save(saved)
    assert saved.read_bytes() == before
    assert [p.name for p in saved.parent.iterdir()] == [saved.name]


def test_a_save_removes_the_stale_temporary_files_an_earlier_killed_save_left(
    saved: Path,
) -> None:
    folder = saved.parent
    hour_ago = time.time() - 3601
    names = {
        "stale": f".{saved.name}.pmsim-tmp-abc123",  # ours, an hour old: removed
        "fresh": f".{saved.name}.pmsim-tmp-def456",  # ours, being written now: kept
        "other target": ".other.json.pmsim-tmp-abc123",  # another file's: kept
        "look-alike": f".{saved.name}.abc123",  # not our pattern: kept
    }
    for name in names.values():
        (folder / name).write_text("{")
    for key in ("stale", "other target", "look-alike"):
        os.utime(folder / names[key], (hour_ago, hour_ago))
    (folder / f".{saved.name}.pmsim-tmp-dir").mkdir()  # not a file: kept
    os.utime(folder / f".{saved.name}.pmsim-tmp-dir", (hour_ago, hour_ago))
    pmsim.Simulator(seed=9).save(saved)
    left = {p.name for p in folder.iterdir()}
    assert left == {saved.name, f".{saved.name}.pmsim-tmp-dir"} | (
        set(names.values()) - {names["stale"]}
    )


def test_a_save_names_its_temporary_file_recognisably(
    saved: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: str, target: object) -> None:
        seen.append(Path(source).name)
        real_replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", spy)
    pmsim.Simulator(seed=9).save(saved)
    assert len(seen) == 1 and seen[0].startswith(f".{saved.name}.pmsim-tmp-")


def test_an_older_files_test_card_is_read_as_the_test_row() -> None:
    """Before other types, a payment method's test row was its ``test_card``: the old name
    still reads (``state_codec``'s ``formerly``), and a file naming both keeps the new one."""
    old = json.loads((GOLDEN.parent / "state-v4.json").read_text())
    assert "test_card" in old["payment_methods"][0] and "test_row" not in old["payment_methods"][0]
    first = state_codec.decode(PaymentMethod, old["payment_methods"][0], "payment_methods[0]")
    assert (first.test_row, first.type, first.card is not None) == ("visa", "card", True)
    both = {**old["payment_methods"][0], "test_row": "amex"}
    assert state_codec.decode(PaymentMethod, both, "pm").test_row == "amex"


def test_a_version_4_file_loads_its_intents_and_events_on_the_newest_version() -> None:
    """Version 5 added the account's ``api_version`` and each event's; before, intents were
    card-only and captured ``automatic``, as pmsim made them then."""
    old = GOLDEN.parent / "state-v4.json"
    assert json.loads(old.read_text())["version"] == 4
    loaded = pmsim.Simulator.load(old)
    assert loaded.snapshot().charges == ()
    assert before_charges(loaded) == before_charges(busy(old_intents=True))
    assert str(loaded.api_version) == "2026-11-18.endive"


def test_the_account_version_and_each_events_version_survive_a_round_trip(tmp_path: Path) -> None:
    sim = pmsim.Simulator(seed=3, api_version="2024-06-20")
    sim.payment_intents.create(amount=500, currency="usd")
    sim.save(tmp_path / "state.json")
    loaded = pmsim.Simulator.load(tmp_path / "state.json")
    assert str(loaded.api_version) == "2024-06-20"
    event = loaded.events.list().data[0].to_dict()
    assert event["api_version"] == "2024-06-20" and event["data"]["object"]["invoice"] is None
    assert loaded.snapshot() == sim.snapshot()
