"""API versions in the Python API: the account's default, a call's own (``sim.with_version``),
the versions pmsim refuses, each breaking-change gate, and the rules the versions brought
(automatic payment methods and the return_url they need, payment_method_types refused from
endive, capture_method's default, how events show their objects)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

import pmsim
from pmsim.domain import versions
from pmsim.domain.versions import GATES, NEWEST, OLDEST, VERSIONS, ApiVersion, parse
from tests.support import assert_stripe_error

Sim = pmsim.Simulator
ENDIVE = "2026-09-30.endive"  # the first version that refuses payment_method_types
BEFORE_ENDIVE = "2026-08-26.dahlia"
BACK = "https://example.com/return"
NEVER_REDIRECT = {"enabled": True, "allow_redirects": "never"}
# Stripe's words, written out independently of pmsim's message table.
RETURN_URL_NEEDED = (
    "A `return_url` must be specified because this {} is configured to automatically accept "
    "the payment methods enabled in the Dashboard, some of which may require a full page "
    "redirect to succeed. If you do not want to accept redirect-based payment methods, set "
    "`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods"
    "[allow_redirects]` to `never` when creating Setup Intents and Payment Intents."
)
PI_NEEDS, SI_NEEDS = (
    RETURN_URL_NEEDED.format("Payment Intent"),
    RETURN_URL_NEEDED.format("Setup Intent"),
)
ONLY_ONE = (
    "You may only specify one of these parameters: automatic_payment_methods, payment_method_types."
)
# pmsim's own words (Stripe's code, its message not recorded).
TYPES_REMOVED = (
    "payment_method_types is no longer supported on API version {}. Leave it out to use "
    "automatic payment methods (with automatic_payment_methods[allow_redirects]=never to "
    "accept only those that never redirect), or send an older Stripe-Version."
)
AUTOMATIC = {"allow_redirects": "always", "enabled": True}


def answers_as(sim: Sim) -> tuple[str, bool]:
    """What this thread's calls answer as, seen from outside: capture_method's default, and
    whether payment_method_types is still taken."""
    capture = str(sim.payment_intents.create(amount=500, currency="usd").capture_method)
    try:
        sim.setup_intents.create(payment_method_types=["card"])
    except pmsim.InvalidRequestError as err:
        assert err.code == "payment_method_types_no_longer_supported"
        return capture, False
    return capture, True


#: ``answers_as`` on the newest version, 2024-06-20 and 2023-10-16: three different answers.
AS_NEWEST = ("automatic_async", False)
AS_2024_06_20 = ("automatic_async", True)
AS_2023_10_16 = ("automatic", True)


# --- the account's version ---------------------------------------------------------------------
def test_the_account_answers_as_the_newest_version_by_default() -> None:
    sim = Sim()
    assert sim.api_version == NEWEST == VERSIONS[-1]
    assert str(sim.api_version) == "2026-11-18.endive"
    assert answers_as(sim) == AS_NEWEST


@pytest.mark.parametrize(
    ("version", "answers"),
    [("2024-06-20", AS_2024_06_20), ("2023-10-16", AS_2023_10_16), (OLDEST, AS_2023_10_16)],
    ids=str,
)
def test_the_account_answers_as_the_version_it_was_made_with(
    version: str | ApiVersion, answers: tuple[str, bool]
) -> None:
    sim = Sim(api_version=version)
    assert sim.api_version == parse(version)
    assert answers_as(sim) == answers


INVALID = "Invalid Stripe API version: {}"


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("2019-2-19", INVALID.format("2019-2-19")),  # not zero-padded, as Stripe saw sent
        ("2025-09-30.acacia", INVALID.format("2025-09-30.acacia")),  # the wrong release
        ("2026-12-16.endive", INVALID.format("2026-12-16.endive")),  # newer than pmsim knows
        ("2027-01-01", INVALID.format("2027-01-01")),
        ("endive", INVALID.format("endive")),
        ("2026-08-26.preview", INVALID.format("2026-08-26.preview") + ". pmsim does not "
         "simulate preview versions; send a dated or named release, such as 2026-11-18.endive."),
        ("2022-11-15", INVALID.format("2022-11-15") + ". pmsim simulates API versions "
         "2023-08-16 to 2026-11-18.endive; send one of those (docs/api-versions.md lists them)."),
    ],
)  # fmt: skip
def test_a_version_pmsim_does_not_simulate_is_refused(sent: str, message: str) -> None:
    """Unknown ones as Stripe answers them; previews and those before 2023-08-16 (which
    Stripe answers) with pmsim's reason."""
    assert_stripe_error(lambda: Sim(api_version=sent), message=message)
    sim = Sim()
    assert_stripe_error(lambda: sim.with_version(sent), message=message, sim=sim)
    assert answers_as(sim) == AS_NEWEST  # the refused scope never started


# --- a call's own version: sim.with_version ------------------------------------------------
def test_with_version_answers_as_it_inside_the_block_and_nested_blocks_restore() -> None:
    sim = Sim()
    with sim.with_version("2024-06-20"):
        assert answers_as(sim) == AS_2024_06_20
        with sim.with_version("2023-10-16"):
            assert answers_as(sim) == AS_2023_10_16
        assert answers_as(sim) == AS_2024_06_20  # the outer scope again
        with sim.with_version(None):  # the account's default
            assert answers_as(sim) == AS_NEWEST
        assert answers_as(sim) == AS_2024_06_20
    assert answers_as(sim) == AS_NEWEST
    assert sim.api_version == NEWEST  # a scope never changes the account's default


def test_with_version_ends_when_its_block_raises_or_it_is_reset() -> None:
    sim = Sim()
    with pytest.raises(pmsim.InvalidRequestError), sim.with_version("2023-10-16"):
        sim.payment_intents.create(amount=1, currency="usd")
    assert answers_as(sim) == AS_NEWEST
    outer = sim.with_version("2024-06-20")
    inner = sim.with_version(versions.OLDEST)  # a version object works as its name does
    assert answers_as(sim) == AS_2023_10_16
    inner.reset()
    assert answers_as(sim) == AS_2024_06_20
    outer.reset()
    assert answers_as(sim) == AS_NEWEST


def test_with_version_is_one_threads_own() -> None:
    sim = Sim()
    entered, checked = threading.Event(), threading.Event()
    seen: dict[str, tuple[str, bool]] = {}

    def other() -> None:
        seen["other, outside"] = answers_as(sim)
        with sim.with_version("2023-10-16"):
            entered.set()
            checked.wait(timeout=10)
            seen["other, inside"] = answers_as(sim)

    with sim.with_version("2024-06-20"):
        thread = threading.Thread(target=other)
        thread.start()
        assert entered.wait(timeout=10)
        seen["this, inside"] = answers_as(sim)  # while the other thread is in its own scope
        checked.set()
        thread.join(timeout=10)
    assert seen == {
        "other, outside": AS_NEWEST,  # this thread's scope is not the other's
        "this, inside": AS_2024_06_20,
        "other, inside": AS_2023_10_16,
    }


# --- the gates -----------------------------------------------------------------------------
@pytest.mark.parametrize("gate", GATES, ids=lambda gate: gate.name)
def test_each_gate_holds_from_its_version_on_and_not_before(gate: versions.Gate) -> None:
    start = VERSIONS.index(gate.starts)
    assert [gate.holds(version) for version in VERSIONS] == [
        rank >= start for rank in range(len(VERSIONS))
    ]
    assert gate.holds(gate.starts)
    if start > 0:
        assert not gate.holds(VERSIONS[start - 1])
    else:  # the oldest pmsim simulates: the version before it is refused, not simulated
        assert gate.starts == OLDEST
    # Breaking changes come with a release's first version; refund events for card refunds
    # came with a monthly one (the 2024-10-28.acacia changelog).
    assert gate.starts.breaking or gate is versions.REFUND_EVENTS, "a monthly version?"


def test_the_gates_are_oldest_first_and_the_versions_in_time_order() -> None:
    assert [gate.starts.rank for gate in GATES] == sorted(gate.starts.rank for gate in GATES)
    assert [version.rank for version in VERSIONS] == list(range(len(VERSIONS)))
    dates = [version.name.partition(".")[0] for version in VERSIONS]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


# --- automatic payment methods and the return_url ------------------------------------------
@pytest.mark.parametrize("version", [OLDEST, NEWEST], ids=str)
def test_an_on_session_payment_needs_a_return_url(version: ApiVersion) -> None:
    """Even with a card that never redirects: the intent accepts methods that might."""
    sim = Sim(api_version=version)
    pi = sim.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa")
    assert pi.to_dict()["automatic_payment_methods"] == AUTOMATIC
    for call in (
        lambda: sim.payment_intents.confirm(pi.id),
        lambda: sim.payment_intents.confirm(pi.id, return_url=""),
        lambda: sim.payment_intents.create(
            amount=1099, currency="usd", payment_method="pm_card_visa", confirm=True
        ),
    ):
        assert_stripe_error(call, message=PI_NEEDS, sim=sim)
    assert sim.payment_intents.confirm(pi.id, return_url=BACK).status == "succeeded"
    paid = sim.payment_intents.create(
        amount=1099, currency="usd", payment_method="pm_card_visa", confirm=True, return_url=BACK
    )
    assert paid.status == "succeeded"


@pytest.mark.parametrize("version", [OLDEST, NEWEST], ids=str)
def test_a_setup_needs_a_return_url_off_session_or_not(version: ApiVersion) -> None:
    sim = Sim(api_version=version)
    cus = sim.customers.create().id
    seti = sim.setup_intents.create(customer=cus, payment_method="pm_card_visa")
    assert seti.to_dict()["automatic_payment_methods"] == AUTOMATIC
    assert seti.usage == "off_session"  # saved for later payments, still confirmed on-session
    for call in (
        lambda: sim.setup_intents.confirm(seti.id),
        lambda: sim.setup_intents.create(customer=cus, payment_method="pm_card_visa", confirm=True),
    ):
        assert_stripe_error(call, message=SI_NEEDS, sim=sim)
    assert sim.setup_intents.confirm(seti.id, return_url=BACK).status == "succeeded"


def test_an_off_session_payment_needs_no_return_url(sim: Sim) -> None:
    cus = sim.customers.create().id
    card = sim.payment_methods.attach("pm_card_visa", customer=cus).id
    paid = sim.payment_intents.create(
        amount=1099, currency="usd", customer=cus, payment_method=card, confirm=True,
        off_session=True,
    )  # fmt: skip
    assert paid.status == "succeeded"
    pi = sim.payment_intents.create(amount=1099, currency="usd", customer=cus, payment_method=card)
    assert sim.payment_intents.confirm(pi.id, off_session=True).status == "succeeded"
    assert_stripe_error(  # off_session=False is on-session
        lambda: sim.payment_intents.create(
            amount=1099, currency="usd", customer=cus, payment_method=card, confirm=True,
            off_session=False,
        ),
        message=PI_NEEDS, sim=sim,
    )  # fmt: skip


def test_intents_that_never_redirect_need_no_return_url(sim: Sim) -> None:
    pi = sim.payment_intents.create(
        amount=1099, currency="usd", automatic_payment_methods=NEVER_REDIRECT
    )
    seti = sim.setup_intents.create(automatic_payment_methods=NEVER_REDIRECT)
    never = {"allow_redirects": "never", "enabled": True}
    assert pi.to_dict()["automatic_payment_methods"] == never
    assert seti.to_dict()["automatic_payment_methods"] == never
    assert (pi.payment_method_types, seti.payment_method_types) == (("card",), ("card",))
    paid = sim.payment_intents.confirm(pi.id, payment_method="pm_card_visa")
    set_up = sim.setup_intents.confirm(seti.id, payment_method="pm_card_visa")
    assert (paid.status, set_up.status) == ("succeeded", "succeeded")
    at_once = [
        sim.payment_intents.create(amount=1099, currency="usd", payment_method="pm_card_visa",
                                   confirm=True, automatic_payment_methods=NEVER_REDIRECT),
        sim.setup_intents.create(payment_method="pm_card_visa", confirm=True,
                                 automatic_payment_methods=NEVER_REDIRECT),
    ]  # fmt: skip
    assert [intent.status for intent in at_once] == ["succeeded", "succeeded"]


def test_redirects_allowed_explicitly_still_need_a_return_url(sim: Sim) -> None:
    always = {"enabled": True, "allow_redirects": "always"}
    assert_stripe_error(
        lambda: sim.payment_intents.create(amount=1099, currency="usd", confirm=True,
                                           payment_method="pm_card_visa",
                                           automatic_payment_methods=always),
        message=PI_NEEDS, sim=sim,
    )  # fmt: skip
    assert_stripe_error(
        lambda: sim.setup_intents.create(payment_method="pm_card_visa", confirm=True,
                                         automatic_payment_methods={"enabled": True}),
        message=SI_NEEDS, sim=sim,
    )  # fmt: skip


@pytest.mark.parametrize("sent", [{}, {"allow_redirects": "never"}], ids=["empty", "no enabled"])
@pytest.mark.parametrize("kind", ["payment_intents", "setup_intents"])
def test_automatic_payment_methods_needs_enabled(sim: Sim, kind: str, sent: dict) -> None:
    create: Callable[..., Any] = getattr(sim, kind).create
    money = {"amount": 1099, "currency": "usd"} if kind == "payment_intents" else {}
    assert_stripe_error(
        lambda: create(automatic_payment_methods=sent, **money),
        message="Missing required param: automatic_payment_methods[enabled].",
        code="parameter_missing", param="automatic_payment_methods[enabled]", sim=sim,
    )  # fmt: skip


def test_intents_that_list_their_types_need_no_return_url_on_older_versions() -> None:
    """Before endive an intent may still say which types it takes: then it has no automatic
    payment methods, and nothing to come back from."""
    sim = Sim(api_version=BEFORE_ENDIVE)
    pi = sim.payment_intents.create(amount=1099, currency="usd", payment_method_types=["card"])
    seti = sim.setup_intents.create(payment_method_types=["card"])
    assert pi.to_dict()["automatic_payment_methods"] is None
    assert seti.to_dict()["automatic_payment_methods"] is None
    assert sim.payment_intents.confirm(pi.id, payment_method="pm_card_visa").status == "succeeded"
    assert sim.setup_intents.confirm(seti.id, payment_method="pm_card_visa").status == "succeeded"
    later = sim.payment_intents.create(amount=1099, currency="usd")  # automatic: listed later
    listed = sim.payment_intents.update(later.id, payment_method_types=["card"])
    assert listed.automatic_payment_methods is None
    assert sim.payment_intents.retrieve(later.id).automatic_payment_methods is None
    assert sim.payment_intents.confirm(later.id, payment_method="pm_card_visa").status == (
        "succeeded"
    )
    at_confirm = sim.payment_intents.create(amount=1099, currency="usd")
    paid = sim.payment_intents.confirm(
        at_confirm.id, payment_method="pm_card_visa", payment_method_types=["card"]
    )
    assert (paid.status, paid.automatic_payment_methods) == ("succeeded", None)


def test_a_setup_intent_updated_to_list_its_types_needs_no_return_url() -> None:
    sim = Sim(api_version=BEFORE_ENDIVE)
    seti = sim.setup_intents.create(metadata={"a": "1"})
    sim.setup_intents.update(seti.id, payment_method_types=["card"], metadata={"a": "2"})
    assert sim.setup_intents.retrieve(seti.id).automatic_payment_methods is None
    assert sim.setup_intents.confirm(seti.id, payment_method="pm_card_visa").status == ("succeeded")


def test_a_setup_intent_updated_with_only_its_types_keeps_them() -> None:
    sim = Sim(api_version=BEFORE_ENDIVE)
    seti = sim.setup_intents.create()
    answer = sim.setup_intents.update(seti.id, payment_method_types=["card"])
    assert answer.automatic_payment_methods is None
    assert sim.setup_intents.retrieve(seti.id) == answer


@pytest.mark.parametrize("kind", ["payment_intents", "setup_intents"])
def test_automatic_payment_methods_and_listed_types_are_one_or_the_other(kind: str) -> None:
    sim = Sim(api_version=BEFORE_ENDIVE)
    create: Callable[..., Any] = getattr(sim, kind).create
    money = {"amount": 1099, "currency": "usd"} if kind == "payment_intents" else {}
    both = {"automatic_payment_methods": {"enabled": True}, "payment_method_types": ["card"]}
    assert_stripe_error(lambda: create(**both, **money), message=ONLY_ONE, sim=sim)


# --- payment_method_types from endive ------------------------------------------------------
Made = dict[str, str]
#: Each call that may send payment_method_types, given the intents made for it.
TYPE_CALLS: dict[str, Callable[[Sim, Made], Any]] = {
    "PaymentIntent create": lambda sim, made: sim.payment_intents.create(
        amount=1099, currency="usd", payment_method_types=["card"]
    ),
    "PaymentIntent update": lambda sim, made: sim.payment_intents.update(
        made["pi"], payment_method_types=["card"]
    ),
    "PaymentIntent confirm": lambda sim, made: sim.payment_intents.confirm(
        made["pi"], payment_method="pm_card_visa", payment_method_types=["card"]
    ),
    "SetupIntent create": lambda sim, made: sim.setup_intents.create(payment_method_types=["card"]),
    "SetupIntent update": lambda sim, made: sim.setup_intents.update(
        made["seti"], payment_method_types=["card"], metadata={"k": "v"}
    ),
}


def _intents(sim: Sim) -> Made:
    return {
        "pi": sim.payment_intents.create(amount=1099, currency="usd").id,
        "seti": sim.setup_intents.create().id,
    }


@pytest.mark.parametrize("call", TYPE_CALLS.values(), ids=TYPE_CALLS.keys())
def test_payment_method_types_is_taken_before_endive(call: Callable[[Sim, Made], Any]) -> None:
    for sim in (Sim(api_version=BEFORE_ENDIVE), Sim(api_version=OLDEST)):
        intent = call(sim, _intents(sim))
        assert (intent.payment_method_types, intent.automatic_payment_methods) == (("card",), None)
        kind = sim.payment_intents if intent.id.startswith("pi_") else sim.setup_intents
        stored = kind.retrieve(intent.id)
        assert stored.automatic_payment_methods is None  # kept, not only answered


@pytest.mark.parametrize("call", TYPE_CALLS.values(), ids=TYPE_CALLS.keys())
@pytest.mark.parametrize("version", [ENDIVE, NEWEST.name])
def test_payment_method_types_is_refused_from_endive(
    call: Callable[[Sim, Made], Any], version: str
) -> None:
    sim = Sim(api_version=version)
    made = _intents(sim)
    assert_stripe_error(
        lambda: call(sim, made), message=TYPES_REMOVED.format(version),
        code="payment_method_types_no_longer_supported", param="payment_method_types", sim=sim,
    )  # fmt: skip
    assert sim.payment_intents.retrieve(made["pi"]).to_dict()["automatic_payment_methods"] == (
        AUTOMATIC
    )


@pytest.mark.parametrize("call", TYPE_CALLS.values(), ids=TYPE_CALLS.keys())
def test_the_calls_version_decides_not_the_accounts(call: Callable[[Sim, Made], Any]) -> None:
    old = Sim(api_version=BEFORE_ENDIVE)
    made = _intents(old)
    with old.with_version(ENDIVE):
        assert_stripe_error(
            lambda: call(old, made), message=TYPES_REMOVED.format(ENDIVE),
            code="payment_method_types_no_longer_supported", param="payment_method_types",
            sim=old,
        )  # fmt: skip
    new = Sim()
    made = _intents(new)
    with new.with_version(BEFORE_ENDIVE):
        assert call(new, made).payment_method_types == ("card",)


# --- capture_method ------------------------------------------------------------------------
@pytest.mark.parametrize("version", VERSIONS, ids=str)
def test_capture_method_defaults_to_automatic_async_from_2024_04_10(version: ApiVersion) -> None:
    sim = Sim(api_version=version)
    expected = "automatic_async" if version.rank >= parse("2024-04-10").rank else "automatic"
    assert versions.CAPTURE_AUTOMATIC_ASYNC.holds(version) == (expected == "automatic_async")
    pi = sim.payment_intents.create(amount=1099, currency="usd")
    assert pi.capture_method == expected == pi.to_dict()["capture_method"]
    for sent in ("automatic", "automatic_async"):  # one sent is kept on every version
        kept = sim.payment_intents.create(amount=1099, currency="usd", capture_method=sent)
        assert kept.to_dict()["capture_method"] == sent


# --- events: the account's version ---------------------------------------------------------
def _created_event(sim: Sim, make: Callable[[], object]) -> dict[str, Any]:
    mark = sim.event_count
    make()
    (event,) = sim.events_since(mark)
    body = event.to_dict()
    assert sim.events.retrieve(event.id).to_dict() == body
    return body


def test_events_carry_the_accounts_version_whatever_the_call_answered_as() -> None:
    sim = Sim()
    with sim.with_version("2024-06-20"):
        body = _created_event(sim, lambda: sim.payment_intents.create(amount=500, currency="usd"))
    assert body["api_version"] == NEWEST.name
    assert "invoice" not in body["data"]["object"]  # shown as the account's version shows it
    old = Sim(api_version="2024-06-20")
    with old.with_version(NEWEST):
        body = _created_event(old, lambda: old.payment_intents.create(amount=500, currency="usd"))
    assert body["api_version"] == "2024-06-20"
    assert body["data"]["object"]["invoice"] is None
    assert body["data"]["object"]["capture_method"] == "automatic_async"


@pytest.mark.parametrize("version", VERSIONS, ids=str)
def test_a_payment_intents_invoice_is_shown_until_basil(version: ApiVersion) -> None:
    sim = Sim(api_version=version)
    body = _created_event(sim, lambda: sim.payment_intents.create(amount=500, currency="usd"))
    shown = body["data"]["object"]
    assert body["api_version"] == version.name
    before_basil = version.rank < parse("2025-03-31.basil").rank
    assert ("invoice" in shown) == before_basil
    if before_basil:
        assert shown["invoice"] is None
    new_fields = ("customer_account", "payment_method_configuration_details",
                  "excluded_payment_method_types")  # fmt: skip
    assert {field: shown[field] for field in new_fields} == dict.fromkeys(new_fields)
    assert shown["automatic_payment_methods"] == AUTOMATIC
    assert "invoice" not in sim.payment_intents.retrieve(shown["id"]).to_dict()  # newest shape


def test_an_event_is_shown_in_the_version_asked_for() -> None:
    """As a webhook endpoint with its own version receives it."""
    sim = Sim()
    mark = sim.event_count
    sim.payment_intents.create(amount=500, currency="usd")
    (event,) = sim.events_since(mark)
    older = event.to_dict(parse("2025-02-24.acacia"))
    assert older["api_version"] == "2025-02-24.acacia"
    assert older["data"]["object"]["invoice"] is None
    assert "invoice" not in event.to_dict()["data"]["object"]
    old = Sim(api_version=OLDEST)
    seti = _created_event(old, lambda: old.setup_intents.create())
    assert "invoice" not in seti["data"]["object"]  # only PaymentIntents had one
