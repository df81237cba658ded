"""``sim.customers.search`` and ``sim.payment_intents.search``: newest first, the ``page``
cursor, ``total_count``, deleted customers left out, and refusals that change nothing."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.engine.searching import encode_page
from tests.support import assert_stripe_error


@pytest.fixture
def ids(sim: pmsim.Simulator) -> list[str]:
    """Twelve customers, oldest first, a second apart; the even ones are on the pro plan."""
    made = []
    for i in range(12):
        plan = "pro" if i % 2 == 0 else "free"
        made.append(sim.customers.create(email=f"c{i}@example.com", metadata={"plan": plan}).id)
        sim.clock.advance(seconds=1)
    return made


def test_newest_first_default_limit_ten_and_a_cursor(sim: pmsim.Simulator, ids: list[str]) -> None:
    found = sim.customers.search(query='email~"example.com"')
    assert [c.id for c in found] == ids[::-1][:10]
    assert (found.has_more, found.next_page, found.total_count) == (True, encode_page(ids[2]), 12)
    assert found.url == "/v1/customers/search"
    rest = sim.customers.search(query='email~"example.com"', page=found.next_page)
    assert [c.id for c in rest] == [ids[1], ids[0]]
    assert (rest.has_more, rest.next_page, rest.total_count) == (False, None, 12)


def test_walking_every_page_sees_each_match_once(sim: pmsim.Simulator, ids: list[str]) -> None:
    seen, page = [], None
    while True:
        found = sim.customers.search(query='metadata["plan"]:"pro"', limit=2, page=page)
        seen += [c.id for c in found]
        assert found.total_count == 6
        if not found.has_more:
            assert found.next_page is None
            break
        page = found.next_page
    assert seen == ids[::2][::-1]


def test_a_cursor_holds_while_objects_are_created(sim: pmsim.Simulator, ids: list[str]) -> None:
    first = sim.customers.search(query='email~"example.com"', limit=4)
    newer = sim.customers.create(email="late@example.com")
    second = sim.customers.search(query='email~"example.com"', limit=4, page=first.next_page)
    assert [c.id for c in second] == ids[::-1][4:8]
    assert second.total_count == 13
    assert newer.id not in [c.id for c in second]


def test_immediately_consistent(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create(name="Ada")
    assert [c.id for c in sim.customers.search(query='name:"ada"')] == [cus.id]
    sim.customers.update(cus.id, name="Grace")
    assert list(sim.customers.search(query='name:"ada"')) == []
    assert [c.id for c in sim.customers.search(query='name:"grace"')] == [cus.id]


def test_deleted_customers_are_left_out(sim: pmsim.Simulator, ids: list[str]) -> None:
    sim.customers.delete(ids[-1])
    found = sim.customers.search(query="created>0", limit=100)
    assert [c.id for c in found] == ids[::-1][1:]
    # A deleted customer's cursor still marks its place.
    after = sim.customers.search(query="created>0", page=encode_page(ids[-1]))
    assert [c.id for c in after] == ids[::-1][1:11]


def test_payment_intents(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    paid = sim.payment_intents.create(
        amount=2000,
        currency="usd",
        customer=cus.id,
        payment_method="pm_card_visa",
        confirm=True,
        return_url="https://example.com/return",
    )
    open_ = sim.payment_intents.create(amount=500, currency="eur", metadata={"order": "7"})
    search = sim.payment_intents.search
    assert [pi.id for pi in search(query="amount>100")] == [open_.id, paid.id]
    assert [pi.id for pi in search(query='status:"succeeded"')] == [paid.id]
    assert [pi.id for pi in search(query=f'customer:"{cus.id}"')] == [paid.id]
    assert [pi.id for pi in search(query="-customer:null")] == [paid.id]
    assert [pi.id for pi in search(query='currency:"EUR" OR amount>=2000')] == [open_.id, paid.id]
    assert [pi.id for pi in search(query="metadata['order']:7")] == [open_.id]
    assert search(query="amount<500").total_count == 0
    assert search(query="amount>0").url == "/v1/payment_intents/search"


@pytest.mark.parametrize(
    ("kwargs", "message", "param"),
    [
        ({"limit": 0}, "This value must be greater than or equal to 1.", "limit"),
        ({"limit": 101}, "This value must be less than or equal to 100.", "limit"),
        ({"page": "not a cursor"}, None, "page"),
        ({"page": encode_page("cus_nobody")}, None, "page"),
        ({"page": encode_page("cus_x") + "=="}, None, "page"),
        ({"page": ""}, None, "page"),
    ],
)
def test_refusals_change_nothing(
    sim: pmsim.Simulator, ids: list[str], kwargs: dict, message: str | None, param: str
) -> None:
    page = kwargs.get("page")
    expected = message or (
        f"Invalid page: {page!r} is not a next_page from a search of this resource. Leave page "
        "out for the first page, then pass the next_page of the answer before."
    )
    assert_stripe_error(
        lambda: sim.customers.search(query="created>0", **kwargs),
        message=expected,
        param=param,
        sim=sim,
    )


def test_a_cursor_of_another_resource_is_refused(sim: pmsim.Simulator, ids: list[str]) -> None:
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.payment_intents.search(query="amount>0", page=encode_page(ids[0]))
    assert caught.value.param == "page"


def test_without_a_query(sim: pmsim.Simulator) -> None:
    assert_stripe_error(
        lambda: sim.customers.search(),
        message="Missing required param: query.",
        code="parameter_missing",
        param="query",
    )


def test_the_same_seed_gives_the_same_cursors() -> None:
    def cursors() -> list[str | None]:
        sim = pmsim.Simulator(seed=3)
        for i in range(5):
            sim.customers.create(email=f"c{i}@example.com")
        return [sim.customers.search(query="created>0", limit=2).next_page]

    assert cursors() == cursors()


def test_search_is_a_scenario_verb() -> None:
    story = pmsim.scenarios.loads(
        """
name: Search
steps:
  - customers.create: {email: ada@example.com, metadata: {plan: pro}}
    as: ada
  - customers.create: {email: bo@example.com}
  - customers.search: {query: "metadata['plan']:'pro'", limit: 1}
    expect: {object: search_result, has_more: false, next_page: null}
  - payment_intents.search: {query: "amount>0"}
    expect: {data: []}
""",
        source="test",
    )
    transcript = pmsim.replay(story)
    assert transcript.passed, transcript.failed_step
