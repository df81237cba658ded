"""pmsim.testing.populate: realistic, deterministic populations made through the public API."""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

import pmsim
from pmsim.testing import Population, Tally, failure_reason, populate
from pmsim.testing.emails import Emails
from tests.support import run_python

SANE_EMAIL = re.compile(r"[a-z0-9][a-z0-9._+-]*@[a-z0-9.-]+\.[a-z]+")


def test_same_seed_same_population_byte_for_byte() -> None:
    first, second = pmsim.Simulator(seed=5), pmsim.Simulator(seed=5)
    assert populate(first, 30) == populate(second, 30)
    assert json.dumps(first.snapshot().to_dict()) == json.dumps(second.snapshot().to_dict())


def test_another_seed_another_population() -> None:
    first, second = pmsim.Simulator(seed=5), pmsim.Simulator(seed=5)
    one, two = populate(first, 10, seed=1), populate(second, 10, seed=2)
    names = [
        [sim.customers.retrieve(cus_id).name for cus_id in population.customer_ids]
        for sim, population in ((first, one), (second, two))
    ]
    assert names[0] != names[1]


def test_the_requested_counts() -> None:
    sim = pmsim.Simulator()
    population = populate(sim, 40, payment_methods=2)
    assert len(population.customer_ids) == len(set(population.customer_ids)) == 40
    tried = population.payment_method_ids + population.declined_ids
    assert len(tried) == len(set(tried)) == population.outcomes.total() == 80
    assert population.outcomes["attached"] == len(population.payment_method_ids)
    owned = {
        pm.id
        for cus_id in population.customer_ids
        for pm in sim.customers.list_payment_methods(cus_id, limit=100).data
    }
    assert owned == set(population.payment_method_ids)
    defaults = [
        sim.customers.retrieve(cus_id).invoice_settings.default_payment_method
        for cus_id in population.customer_ids
    ]
    assert population.defaults == sum(default is not None for default in defaults)
    assert {d for d in defaults if d is not None} <= set(population.payment_method_ids)


@pytest.mark.parametrize(("payment_methods", "fewest", "most"), [(0, 0, 0), ((1, 3), 1, 3)])
def test_payment_methods_per_customer(payment_methods, fewest, most) -> None:
    sim = pmsim.Simulator()
    population = populate(sim, 30, payment_methods=payment_methods, cards={"visa": 1})
    counts = [
        len(sim.customers.list_payment_methods(cus_id).data) for cus_id in population.customer_ids
    ]
    assert min(counts) >= fewest and max(counts) <= most
    if fewest != most:
        assert len(set(counts)) > 1


@pytest.mark.parametrize(("share", "expected"), [(0.0, 0), (1.0, 20)])
def test_with_default_is_the_share_of_customers_with_a_default(share, expected) -> None:
    population = populate(pmsim.Simulator(), 20, cards={"visa": 1}, with_default=share)
    assert population.defaults == expected


def test_a_declined_first_card_leaves_the_next_one_as_the_default() -> None:
    sim = pmsim.Simulator()
    cards = {"generic_decline": 1, "visa": 1}
    population = populate(sim, 30, payment_methods=2, cards=cards, with_default=1.0)
    for cus_id in population.customer_ids:
        owned = [pm.id for pm in sim.customers.list_payment_methods(cus_id).data]
        default = sim.customers.retrieve(cus_id).invoice_settings.default_payment_method
        assert (default is None) == (not owned)
        assert default is None or default in owned


def test_declines_are_counted_by_reason_and_each_failing_call_changes_nothing(
    monkeypatch,
) -> None:
    sim = pmsim.Simulator(seed=2)
    seen: list[str] = []
    for namespace, name in ((sim.customers, "create"), (sim.payment_methods, "attach")):
        original = getattr(namespace, name)

        def checked(*args, _original=original, **kwargs):
            before = sim.snapshot()
            try:
                return _original(*args, **kwargs)
            except pmsim.StripeError as err:
                assert sim.snapshot() == before, f"{err!r} left a trace"
                seen.append(failure_reason(err))
                raise

        monkeypatch.setattr(namespace, name, checked)
    cards = {"insufficient_funds": 1, "expired_card": 1, "incorrect_cvc": 1, "visa": 3}
    population = populate(sim, 40, payment_methods=(1, 2), cards=cards)
    failures = {k: v for k, v in population.outcomes.items() if k != "attached"}
    assert set(failures) == {"card_declined/insufficient_funds", "expired_card", "incorrect_cvc"}
    assert Counter(seen) == failures
    assert len(population.declined_ids) == sum(failures.values())
    for pm_id in population.declined_ids:
        assert sim.payment_methods.retrieve(pm_id).customer is None
    attached_events = sim.events.list(type="payment_method.attached", limit=100).data
    assert len(attached_events) == population.outcomes["attached"]


def test_people_look_real() -> None:
    sim = pmsim.Simulator()
    population = populate(sim, 60)
    people = [sim.customers.retrieve(cus_id) for cus_id in population.customer_ids]
    emails = [person.email for person in people]
    assert len(set(emails)) == len(emails)
    for person in people:
        first, _, last = person.name.partition(" ")
        assert first and last
        local, at, domain = person.email.partition("@")
        assert local and at and "." in domain
        assert person.address.line1 and person.address.city and person.address.postal_code
        assert person.address.country == "US"
    assert 0 < sum(person.phone is not None for person in people) < len(people)
    card = sim.payment_methods.retrieve(population.payment_method_ids[0])
    assert card.billing_details.name == people[0].name


@pytest.mark.parametrize(("locale", "country"), [("de_DE", "DE"), ("ja_JP", "JP")])
def test_other_locales(locale, country) -> None:
    sim = pmsim.Simulator()
    population = populate(sim, 15, locale=locale)
    people = [sim.customers.retrieve(cus_id) for cus_id in population.customer_ids]
    assert {person.address.country for person in people} == {country}
    # Names in other scripts have no ASCII letters for an address: "customer", numbered.
    emails = [person.email for person in people]
    assert len(set(emails)) == len(emails) and all("@" in email for email in emails)


@pytest.mark.parametrize("locale", ["en_US", "de_DE", "ja_JP", "ru_RU", "zh_CN", "el_GR"])
def test_every_email_is_a_plain_address_the_engine_accepts(locale) -> None:
    sim = pmsim.Simulator()
    population = populate(sim, 100, locale=locale)
    emails = [sim.customers.retrieve(cus_id).email for cus_id in population.customer_ids]
    assert len(set(emails)) == len(emails) == 100
    assert [email for email in emails if not SANE_EMAIL.fullmatch(email)] == []
    fresh = pmsim.Simulator()
    assert [fresh.customers.create(email=email).email for email in emails] == emails


def test_a_name_with_no_ascii_form_gives_customer_numbered() -> None:
    emails = Emails(random.Random(0), domains=("example.com",))
    made = [emails.make(first, last) for first, last in [("大翔", "佐藤"), ("Anna", "Иванова")]]
    assert made == ["customer@example.com", "customer2@example.com"]
    assert emails.make("Anna", "Smith").startswith(("anna", "asmith", "smith"))


def test_a_progress_bar_for_large_populations_only(capsys) -> None:
    populate(pmsim.Simulator(), 4, progress_threshold=5)
    assert capsys.readouterr().err == ""
    populate(pmsim.Simulator(), 5, progress_threshold=5)
    err = capsys.readouterr().err
    assert "populate" in err and "5/5" in err
    populate(pmsim.Simulator(), 2, progress=True)
    assert "2/2" in capsys.readouterr().err
    populate(pmsim.Simulator(), 5, progress=False, progress_threshold=1)
    assert capsys.readouterr().err == ""


def test_without_faker_the_message_names_the_extra(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "faker", None)  # makes "import faker" fail
    with pytest.raises(pmsim.PmsimUsageError, match=r"pip install 'pmsim\[populate\]'"):
        populate(pmsim.Simulator(), 3)


def test_tqdm_is_needed_only_for_the_bar(monkeypatch) -> None:
    for module in ("tqdm", "tqdm.std", "tqdm.auto"):
        monkeypatch.setitem(sys.modules, module, None)
    assert len(populate(pmsim.Simulator(), 3).customer_ids) == 3
    with pytest.raises(pmsim.PmsimUsageError, match=r"needs tqdm.*pmsim\[populate\]"):
        populate(pmsim.Simulator(), 3, progress=True)


@pytest.mark.slow
def test_import_pmsim_testing_loads_no_optional_dependency() -> None:
    code = (
        "import sys, pmsim.testing; "
        "print([m for m in ('faker', 'tqdm', 'hypothesis') if m in sys.modules])"
    )
    assert run_python(code).strip() == "[]"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"cards": {"visa_card": 1}}, "did you mean .*visa"),
        ({"cards": {"visa": 0}}, "positive weight"),
        ({"payment_methods": (2, 1)}, "payment_methods=(2, 1)"),
        ({"with_default": 1.5}, "with_default=1.5"),
        ({"customers": -1}, "customers=-1"),
    ],
)
def test_bad_options_say_what_to_do(options, message) -> None:
    with pytest.raises(
        pmsim.PmsimUsageError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        populate(pmsim.Simulator(), **{"customers": 3} | options)


def test_population_and_tally_read_well() -> None:
    population = populate(pmsim.Simulator(), 12, cards={"visa": 3, "lost_card": 1})
    text = repr(population)
    assert text.startswith("<Population seed=0: 12 customers, ")
    assert "card_declined/lost_card" in text
    assert isinstance(population, Population)
    tally = Tally({"b": 1, "a": 1, "c": 2})
    assert list(tally) == ["c", "a", "b"]  # most frequent first, then by name
    assert tally["missing"] == 0 and "missing" not in tally
    assert tally == {"a": 1, "b": 1, "c": 2} and hash(tally) == hash(Tally(dict(tally)))
    with pytest.raises(TypeError):
        tally["a"] = 5  # type: ignore[index]


def test_each_module_keeps_to_the_size_budget() -> None:
    # STYLE.md R15: at most about 300 lines a module.
    folder = Path(pmsim.testing.__file__).parent
    sizes = {path.name: len(path.read_text().splitlines()) for path in folder.glob("*.py")}
    assert {name: lines for name, lines in sizes.items() if lines > 300} == {}
