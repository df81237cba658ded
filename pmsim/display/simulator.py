"""A simulator at a glance, for notebooks: ``Simulator._repr_html_`` renders it here.

The page shows the seed, the simulated time and the counts, then the customers, newest first,
each with its attached payment methods (the default marked ★), the payment methods that belong
to nobody (new, set up, detached or consumed), and the last few events. It is drawn from
``sim.snapshot()``, the simulator's public picture of its state (frozen records in creation
order, taken under its lock, so the page is consistent even while other threads call the
simulator), never from the simulator's insides.

Everything is capped (the ``SHOWN_*`` limits), so the page stays the same size however big the
simulator grows. Its cost does grow: taking the snapshot is a pass over the tables (it keeps
references, not copies), and the snapshot has no index of each customer's cards, so
:func:`attached_pms` reads every payment method once to find those of the customers shown.
:func:`unowned_pms` walks them from the newest until it has enough. All told, some 25 to
40 ms for 100,000 customers with a card each, half of it the snapshot.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> ada = sim.customers.create(email="ada@example.com")
>>> html = simulator_html(sim)
>>> "ada@example.com" in html, "1 customers" in html
(True, True)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Final

from pmsim.display.html import DEFAULT_MARK, badge, code, esc, iso, lines, table

if TYPE_CHECKING:
    from pmsim.domain.events import Event
    from pmsim.domain.models import Customer, PaymentMethod
    from pmsim.engine.simulator import Simulator
    from pmsim.engine.snapshots import Snapshot

SHOWN_CUSTOMERS: Final = 50
SHOWN_PER_CUSTOMER: Final = 10
SHOWN_UNOWNED: Final = 20
SHOWN_EVENTS: Final = 5


def simulator_html(sim: Simulator) -> str:
    """The simulator as HTML: a summary line, a table of customers and one of recent events.

    >>> import pmsim
    >>> "seed 3" in simulator_html(pmsim.Simulator(seed=3))
    True
    """
    state = sim.snapshot()  # one consistent picture, even while other threads call sim
    summary = (
        f"Simulator seed {state.seed} at {iso(state.time)}: "
        f"{len(state.customers)} customers, {len(state.payment_methods)} payment methods, "
        f"{len(state.events)} events"
    )
    return (
        f"<div>{esc(summary)}"
        + table(
            customer_rows(state),
            ("customer", "email / name", "payment methods"),
            caption="Customers, newest first",
        )  # fmt: skip
        + event_table(state.events)
        + "</div>"
    )


def customer_rows(state: Snapshot) -> list[list[str]]:
    """One row per customer, newest first, capped at :data:`SHOWN_CUSTOMERS`; then a row for
    the payment methods without a customer, when there are any.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> _ = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    >>> [row[0] for row in customer_rows(sim.snapshot())]
    ['no customer']
    """
    customers = state.customers
    newest = customers[max(0, len(customers) - SHOWN_CUSTOMERS) :][::-1]
    cards = attached_pms(state.payment_methods, {customer.id for customer in newest})
    rows = [_customer_row(customer, cards.get(customer.id, [])) for customer in newest]
    if len(customers) > SHOWN_CUSTOMERS:
        rows.append([esc(f"… and {len(customers) - SHOWN_CUSTOMERS} more"), "", ""])
    unowned = unowned_pms(state.payment_methods, SHOWN_UNOWNED + 1)
    if unowned:
        chips = [pm_chip(pm) for pm in unowned[:SHOWN_UNOWNED]]
        if len(unowned) > SHOWN_UNOWNED:
            chips.append(esc("… and more"))
        rows.append(["no customer", esc("new, set up, detached or consumed"), lines(chips)])
    return rows


def _customer_row(customer: Customer, pms: Sequence[PaymentMethod]) -> list[str]:
    default = customer.invoice_settings.default_payment_method
    chips = [pm_chip(pm, default=pm.id == default) for pm in pms[:SHOWN_PER_CUSTOMER]]
    if len(pms) > SHOWN_PER_CUSTOMER:
        chips.append(esc(f"… and {len(pms) - SHOWN_PER_CUSTOMER} more"))
    who = lines([esc(text) for text in (customer.email, customer.name) if text])
    marker = " " + badge("deleted") if customer.deleted else ""
    return [code(customer.id) + marker, who, lines(chips) or esc(None)]


def pm_chip(pm: PaymentMethod, *, default: bool = False) -> str:
    """A payment method in one line: ★ when it is the default, id, details, state badge.

    >>> import pmsim
    >>> pm = pmsim.Simulator().payment_methods.create(type="card", card={"token": "tok_visa"})
    >>> pm_chip(pm, default=True).startswith("★ <code")
    True
    """
    mark = DEFAULT_MARK + " " if default else ""
    return f"{mark}{code(pm.id)} {esc(pm.details.label)} {badge(pm.state.value)}"


def attached_pms(
    pms: Iterable[PaymentMethod], customer_ids: Collection[str]
) -> dict[str, list[PaymentMethod]]:
    """The payment methods attached to each of ``customer_ids``, oldest first (the order of
    ``pms``, a snapshot's creation order); customers with none are left out.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> ada = sim.customers.create()
    >>> visa = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    >>> attached_pms(sim.snapshot().payment_methods, {ada.id}) == {ada.id: [visa]}
    True
    """
    found: dict[str, list[PaymentMethod]] = {}
    for pm in pms:
        owner = pm.customer
        if owner is not None and owner in customer_ids:
            found.setdefault(owner, []).append(pm)
    return found


def unowned_pms(pms: Sequence[PaymentMethod], limit: int) -> list[PaymentMethod]:
    """Up to ``limit`` of ``pms`` (oldest first, as a snapshot holds them) that belong to no
    customer, newest first.

    It walks from the newest and stops as soon as it has ``limit``: with fewer than ``limit``
    to find, it reads them all.

    >>> import pmsim
    >>> unowned_pms(pmsim.Simulator().snapshot().payment_methods, 5)
    []
    """
    return list(islice((pm for pm in reversed(pms) if pm.customer is None), limit))


def event_table(events: Sequence[Event]) -> str:
    """The last few of ``events`` (oldest first, as a snapshot holds them), newest first;
    nothing when there are none.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> _ = sim.customers.create()
    >>> "customer.created" in event_table(sim.snapshot().events)
    True
    """
    recent = events[-SHOWN_EVENTS:][::-1]
    if not recent:
        return ""
    rows = [[code(e.id), esc(iso(e.created)), code(e.type), code(e.object.id)] for e in recent]
    caption = f"Last {len(recent)} of {len(events)} events, newest first"
    return table(rows, ("event", "time", "type", "object"), caption=caption)
