"""Lists: newest first, limit 1..100, starting_after / ending_before, and no store scans."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.engine.customers import Customers
from pmsim.engine.kernel import Kernel
from pmsim.engine.payment_methods import PaymentMethods
from tests.support import assert_stripe_error


@pytest.fixture
def ids(sim: pmsim.Simulator) -> list[str]:
    """Twelve customers, oldest first, one second apart."""
    made = []
    for i in range(12):
        made.append(sim.customers.create(email=f"c{i}@example.com").id)
        sim.clock.advance(seconds=1)
    return made


def test_newest_first_with_default_limit_of_ten(sim: pmsim.Simulator, ids: list[str]) -> None:
    page = sim.customers.list()
    assert [c.id for c in page] == ids[::-1][:10]
    assert page.has_more is True


def test_walking_every_page_sees_each_item_once(sim: pmsim.Simulator, ids: list[str]) -> None:
    seen, cursor = [], None
    while True:
        page = sim.customers.list(limit=5, starting_after=cursor)
        seen += [c.id for c in page]
        if not page.has_more:
            break
        cursor = page.data[-1].id
    assert seen == ids[::-1]
    back, cursor = [], ids[0]
    while True:
        page = sim.customers.list(limit=5, ending_before=cursor)
        back = [c.id for c in page] + back
        if not page.has_more:
            break
        cursor = page.data[0].id
    assert back == ids[::-1][:-1]


def test_deleted_customers_and_filters(sim: pmsim.Simulator, ids: list[str]) -> None:
    sim.customers.delete(ids[-1])
    assert ids[-1] not in [c.id for c in sim.customers.list(limit=100)]
    assert [c.id for c in sim.customers.list(email="c3@example.com")] == [ids[3]]
    created = sim.customers.retrieve(ids[5]).created
    in_range = sim.customers.list(created={"gte": created, "lt": created + 2})
    assert [c.id for c in in_range] == [ids[6], ids[5]]


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (0, "This value must be greater than or equal to 1."),
        (101, "This value must be less than or equal to 100."),
    ],
)
def test_limit_bounds(sim: pmsim.Simulator, limit: int, message: str) -> None:
    assert_stripe_error(lambda: sim.customers.list(limit=limit), message=message, param="limit")
    assert len(sim.customers.list(limit=100)) == 0


def test_cursor_rules(sim: pmsim.Simulator, ids: list[str]) -> None:
    assert_stripe_error(
        lambda: sim.customers.list(starting_after=ids[0], ending_before=ids[1]),
        message="You may only specify one of these parameters: ending_before, starting_after.",
    )
    assert_stripe_error(
        lambda: sim.customers.list(starting_after="cus_nope"),
        message="No such customer: 'cus_nope'", code="resource_missing", param="starting_after",
    )  # fmt: skip


def test_customer_payment_methods_page_newest_first(sim: pmsim.Simulator) -> None:
    cus = sim.customers.create()
    made = [sim.payment_methods.attach("pm_card_visa", customer=cus.id).id for _ in range(5)]
    first = sim.customers.list_payment_methods(cus.id, limit=2)
    assert [p.id for p in first] == made[::-1][:2] and first.has_more
    rest = sim.customers.list_payment_methods(cus.id, starting_after=first.data[-1].id)
    assert [p.id for p in rest] == made[::-1][2:] and not rest.has_more


class NoScanDict(dict):  # type: ignore[type-arg]
    """A dict that fails the test if anything walks through it."""

    def __iter__(self):
        raise AssertionError("listing one customer's cards scanned the whole store")

    values = items = keys = __iter__


def test_listing_one_customers_cards_does_not_scan_the_store() -> None:
    kernel = Kernel()  # the namespaces over a kernel whose tables the test can watch
    customers, payment_methods = Customers(kernel), PaymentMethods(kernel)
    for _ in range(50):
        customers.create(payment_method="pm_card_visa")
    target = customers.create(payment_method="pm_card_mastercard")
    store = kernel.store
    store.payment_methods = NoScanDict(store.payment_methods)
    store.customers = NoScanDict(store.customers)
    assert [p.card.brand for p in customers.list_payment_methods(target.id)] == ["mastercard"]
    assert len(payment_methods.list(customer=target.id)) == 1
