"""Notebook display: every ``_repr_html_`` is well-formed, escaped and says the right things;
plain reprs stay short."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import attrs
import pytest

import pmsim
from pmsim.display import html
from pmsim.display.html import FAILED_ROW
from pmsim.display.simulator import SHOWN_CUSTOMERS, SHOWN_UNOWNED, unowned_pms
from pmsim.display.transcript import SHOWN_CHANGED, SHOWN_STEPS
from pmsim.scenarios.model import Scenario, Step
from tests.support import many_customers_each_with_a_card

NASTY = "<script>alert(1)</script>"


def parse(fragment: str) -> ET.Element:
    """The fragment as XML: it fails on unbalanced tags and on entities XML does not know."""
    assert "<script" not in fragment
    return ET.fromstring(f"<root>{fragment}</root>")


def text(fragment: str | ET.Element) -> str:
    """The visible text, each element's text apart, spaces squeezed."""
    element = parse(fragment) if isinstance(fragment, str) else fragment
    return " ".join(" ".join(element.itertext()).split())


def rows(fragment: str) -> list[ET.Element]:
    """The rows of the fragment's first table, header included."""
    return next(parse(fragment).iter("table")).findall("tr")


def badges(fragment: str) -> list[str]:
    return [
        span.text or ""
        for span in parse(fragment).iter("span")
        if "border:" in span.get("style", "")
    ]


@pytest.fixture
def world() -> dict:
    """A small account: one customer with two cards and a default, one deleted customer, a
    new card, a card set up by a SetupIntent without a customer, and one used up by a
    payment without one."""
    sim = pmsim.Simulator(seed=7)
    ada = sim.customers.create(email="ada@example.com", name=NASTY)
    bob = sim.customers.create(email="bob@example.com")
    visa = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    sim.payment_methods.attach("pm_card_mastercard", customer=ada.id)
    ada = sim.customers.update(ada.id, invoice_settings={"default_payment_method": visa.id})
    fresh = sim.payment_methods.create(type="card", card={"token": "tok_amex"})
    sim.payment_methods.attach("pm_card_visa", customer=bob.id)
    sim.customers.delete(bob.id)
    back = "https://example.com/return"  # on-session confirmations come back here
    seti = sim.setup_intents.create(payment_method="pm_card_visa", confirm=True, return_url=back)
    sim.payment_intents.create(amount=700, currency="usd", payment_method="pm_card_visa",
                               confirm=True, return_url=back)  # fmt: skip
    pi = sim.payment_intents.create(amount=1500, currency="usd", customer=ada.id)
    return {"sim": sim, "ada": ada, "bob": bob, "visa": visa, "fresh": fresh, "seti": seti,
            "pi": pi}  # fmt: skip


def test_every_record_renders_well_formed_html(world) -> None:
    sim = world["sim"]
    for shown in (world["ada"], world["visa"], world["fresh"], world["seti"], world["pi"], sim,
                  *sim.events.list(limit=100)):  # fmt: skip
        parse(shown._repr_html_())


def test_user_text_is_escaped(world) -> None:
    for fragment in (world["ada"]._repr_html_(), world["sim"]._repr_html_()):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in fragment
        assert NASTY in text(fragment)


def test_records_show_their_key_fields(world) -> None:
    ada, visa = world["ada"], world["visa"]
    assert f"default payment method ★ {visa.id}" in text(ada._repr_html_())
    shown = text(visa._repr_html_())
    assert "visa •••• 4242" in shown and "01/2025" in shown and ada.id in shown
    assert badges(visa._repr_html_()) == ["attached"]
    assert badges(world["fresh"]._repr_html_()) == ["new"]
    event = world["sim"].events.list(type="customer.updated").data[0]
    shown = text(event._repr_html_())
    assert "customer.updated" in shown and "2024-01-01T00:00:00Z" in shown and ada.id in shown
    assert '"default_payment_method": null' in shown
    assert "succeeded" in text(world["seti"]._repr_html_())
    assert "1500 usd" in text(world["pi"]._repr_html_())


def test_the_simulator_shows_states_defaults_and_deleted_customers(world) -> None:
    fragment = world["sim"]._repr_html_()
    shown = text(fragment)
    assert "seed 7" in shown and "2 customers, 6 payment methods" in shown
    assert f"★ {world['visa'].id} visa •••• 4242 attached" in shown
    assert sorted(badges(fragment)) == sorted(
        ["deleted", "attached", "attached", "consumed", "detached", "new", "set_up"]
    )
    assert [row[0].text for row in rows(fragment)][-1] == "no customer"
    assert "Last 5 of" in shown and "events, newest first" in shown


def test_a_big_simulator_shows_a_capped_table() -> None:
    sim = pmsim.Simulator()
    customers = [sim.customers.create(email=f"c{n}@example.com") for n in range(200)]
    fragment = sim._repr_html_()
    assert len(rows(fragment)) == 1 + SHOWN_CUSTOMERS + 1  # header, customers, "… and N more"
    assert customers[-1].id in text(fragment) and customers[0].id not in text(fragment)
    assert f"… and {200 - SHOWN_CUSTOMERS} more" in text(fragment)


def test_the_unowned_row_finds_an_old_card_behind_many_attached_ones() -> None:
    # The walk the module's docstring owns up to: with few cards unowned, it reads them all.
    sim = pmsim.Simulator()
    old = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    for _ in range(SHOWN_CUSTOMERS + SHOWN_UNOWNED):
        sim.payment_methods.attach("pm_card_visa", customer=sim.customers.create().id)
    assert unowned_pms(sim.snapshot().payment_methods, SHOWN_UNOWNED + 1) == [old]
    assert old.id in text(rows(sim._repr_html_())[-1])


def test_a_record_is_drawn_as_a_panel_and_card_means_a_payment_card() -> None:
    assert not hasattr(html, "card")  # the widget was card(), beside the payment card's label
    fragment = html.panel("Customer", "cus_1", [("email", html.esc("a@x.co"))])
    assert text(fragment) == "Customer cus_1 email a@x.co"


def test_short_reprs() -> None:
    sim = pmsim.Simulator(seed=7)
    ada = sim.customers.create(email="ada@example.com")
    pm = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    ada = sim.customers.update(ada.id, invoice_settings={"default_payment_method": pm.id})
    assert repr(ada) == f"<Customer {ada.id} ada@example.com default={pm.id}>"
    assert repr(pm) == f"<PaymentMethod {pm.id} visa •••• 4242 attached to {ada.id}>"
    event = sim.events.list().data[1]
    assert repr(event) == f"<Event {event.id} payment_method.attached {pm.id}>"
    detached = sim.payment_methods.detach(pm.id)
    assert repr(detached) == f"<PaymentMethod {pm.id} visa •••• 4242 detached>"
    gone = sim.customers.create(name="Bob")
    sim.customers.delete(gone.id)
    stored = next(c for c in sim.snapshot().customers if c.id == gone.id)
    assert repr(stored) == f"<Customer {gone.id} 'Bob' deleted>"


def test_the_simulator_repr_is_unchanged() -> None:
    sim = pmsim.Simulator(seed=7)
    ada = sim.customers.create()
    sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    assert repr(sim) == (
        "<Simulator seed=7 at 2024-01-01T00:00:00Z: 1 customers, 1 payment methods, 2 events>"
    )


STORY = """\
name: Ada's card
seed: 4
steps:
  - customers.create: {email: ada@example.com, name: "<script>alert(1)</script>"}
    as: ada
  - payment_methods.attach: {payment_method: pm_card_visa, customer: "${ada}"}
    as: visa
    expect: {customer: "${ada}", card: {last4: "1111"}}
"""


def test_the_transcript_timeline_marks_the_failed_expectation() -> None:
    transcript = pmsim.replay(pmsim.scenarios.loads(STORY))
    fragment = transcript._repr_html_()
    steps = rows(fragment)[1:]
    assert [row.get("style") for row in steps] == [None, FAILED_ROW]
    assert text(steps[1][5]) == "✓ succeeds ✗ expect: card.last4: expected '1111', got '4242'"
    assert text(parse(fragment)[0][0]) == (  # the heading
        "Scenario Ada's card, seed 4 from 2024-01-01T00:00:00Z: failed at step 2, line 6"
    )
    assert NASTY in text(fragment) and "<script" not in fragment


def test_the_transcript_says_which_steps_did_not_run() -> None:
    story = STORY + "  - customers.create: {}\n  - customers.create: {}\n"
    fragment = pmsim.replay(pmsim.scenarios.loads(story))._repr_html_()
    assert len(rows(fragment)) == 1 + 2
    assert "failed at step 2, line 6; the 2 steps after it did not run" in text(fragment)


def test_the_transcript_shows_the_state_after_each_step() -> None:
    transcript = pmsim.replay(pmsim.scenarios.loads(STORY.replace('"1111"', '"4242"')))
    steps = rows(transcript._repr_html_())[1:]
    ada, visa = transcript.names["ada"]["id"], transcript.names["visa"]["id"]
    assert [text(row[6]) for row in steps] == [
        f"{ada} ada@example.com",
        f"{ada} ada@example.com {visa} visa •••• 4242 attached → {ada}",
    ]
    assert [div[0].tag for div in steps[1][6]] == ["code", "b"]  # what changed is in bold


def test_the_transcript_shows_errors_with_their_hint() -> None:
    story = """\
name: A declined card
steps:
  - customers.create: {}
    as: ada
  - payment_methods.attach: {payment_method: pm_card_visa_chargeDeclined, customer: "${ada}"}
    expect_error: {type: card_error}
"""
    transcript = pmsim.replay(pmsim.scenarios.loads(story))
    step = transcript.steps[1]
    hinted = attrs.evolve(step, error={**step.error, "hint": "Use <pm_card_visa> instead."})
    transcript = attrs.evolve(transcript, steps=(transcript.steps[0], hinted))
    assert text(rows(transcript._repr_html_())[2][3]) == (
        "error card_error 402 card_declined Your card was declined. "
        "hint: Use <pm_card_visa> instead."
    )


def test_the_other_plain_reprs_are_one_short_line() -> None:
    sim = pmsim.Simulator(seed=1)
    gone = sim.customers.create()
    assert repr(sim.customers.delete(gone.id)) == f"<Customer {gone.id} deleted>"
    transcript = pmsim.replay(pmsim.load_scenario("scenarios/01-happy-path.yaml"))
    assert repr(transcript) == (
        "<Transcript 'The happy path: save a card and make it the default': 4 of 4 steps ran, "
        "passed>"
    )
    assert repr(pmsim.diagrams.diagram("setup_intent")) == "<Diagram setup_intent: 6 states>"


def test_a_long_transcript_shows_its_first_steps_and_stays_small() -> None:
    # 1,000 customers each given a card: once the table showed all 2,000 steps, each with
    # every object after it, some 500 MB of HTML.
    transcript = pmsim.replay(many_customers_each_with_a_card(1000))
    fragment = transcript._repr_html_()
    assert len(fragment) < 1_000_000
    steps = rows(fragment)[1:]
    assert len(steps) == SHOWN_STEPS + 1
    assert text(steps[-1]) == f"… {2000 - SHOWN_STEPS:,} more steps"
    last = steps[SHOWN_STEPS - 1]  # step 50: the 25th card attached
    assert text(last[0]) == str(SHOWN_STEPS)
    assert text(last[6]).endswith(
        "and 25 customers unchanged and 24 other payment methods unchanged"
    )
    assert [len(div) and div[0].tag for div in last[6]] == ["b", 0, 0]  # the card in bold


def test_a_failure_far_down_a_long_transcript_is_shown() -> None:
    scenario = many_customers_each_with_a_card(100)
    failing = Step(201, 0, "customers.create", {}, expect={"email": "nobody@x.co"})
    after = Step(202, 0, "customers.create", {})
    transcript = pmsim.replay(Scenario("many", (*scenario.steps, failing, after)))
    steps = rows(transcript._repr_html_())[1:]
    assert [text(row[0]) for row in steps[-3:]] == [
        str(SHOWN_STEPS),
        f"… {200 - SHOWN_STEPS} more steps",
        "201",
    ]
    assert [row.get("style") for row in steps[-3:]] == [None, None, FAILED_ROW]
    assert text(steps[-1][6]).endswith("and 100 other customers unchanged "
                                       "and 100 payment methods unchanged")  # fmt: skip


def test_a_step_that_changes_many_objects_shows_a_few() -> None:
    sim = pmsim.Simulator()
    with pmsim.record(sim) as recording:
        ada = sim.customers.create()
        for _ in range(SHOWN_CHANGED + 2):
            sim.payment_methods.attach("pm_card_visa", customer=ada.id)
        sim.customers.delete(ada.id)
    shown = text(rows(recording.transcript()._repr_html_())[-1][6])
    assert shown.startswith(f"{ada.id} deleted")  # the customer, then the first 9 of its cards
    assert shown.count("detached") == SHOWN_CHANGED - 1
    assert shown.endswith("… and 3 more changed")
