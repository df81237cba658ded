"""What a loaded state file must satisfy before the simulator trusts it: the laws a hand-edited
or damaged file could break (an id twice, a card owned by a deleted customer, a default that
is not attached, an id that is not in the file, a clock behind its objects, ids that would
repeat), each named with its place. ``state_files.load`` refuses a file on the first one.
"""

from __future__ import annotations

from collections.abc import Iterator

from pmsim.domain import pm_types
from pmsim.domain.cards import CARDS_BY_NAME
from pmsim.domain.lifecycle import PMState
from pmsim.domain.pm_types import TYPES
from pmsim.engine.snapshots import TABLES, Snapshot
from pmsim.engine.state_values import refusals
from pmsim.ids import IdFactory


def inconsistencies(snapshot: Snapshot) -> Iterator[str]:
    """What breaks the simulator's laws in a hand-edited or damaged file, if anything: each
    check is one way such a file would corrupt the simulator or crash it later."""
    yield from _repeated_ids(snapshot)
    yield from _refused_values(snapshot)
    yield from _ownership(snapshot)
    yield from _source_ownership(snapshot)
    yield from _references(snapshot)
    yield from _time_and_ids(snapshot)


def _refused_values(snapshot: Snapshot) -> Iterator[str]:
    """Values no call could have made (51 metadata keys, a bad email, a negative amount),
    in the records and in the copies events carry."""
    for table in TABLES:
        for i, record in enumerate(getattr(snapshot, table)):
            if table == "events":
                yield from refusals(record.object, f"events[{i}].object")
            else:
                yield from refusals(record, f"{table}[{i}]")


def _repeated_ids(snapshot: Snapshot) -> Iterator[str]:
    for table in TABLES:
        seen: set[str] = set()
        for i, record in enumerate(getattr(snapshot, table)):
            if record.id in seen:
                yield f"{table}[{i}]: the id {record.id} appears twice"
            seen.add(record.id)


def _ownership(snapshot: Snapshot) -> Iterator[str]:
    """Cards belong to live customers that exist; defaults are their own customer's cards."""
    customers = {customer.id: customer for customer in snapshot.customers}
    owners = {}
    for i, pm in enumerate(snapshot.payment_methods):
        owners[pm.id] = pm.customer
        owner = customers.get(pm.customer or "")
        if (pm.state is PMState.ATTACHED) != (pm.customer is not None):
            yield f"payment_methods[{i}]: state {pm.state.value!r} with customer {pm.customer}"
        elif pm.customer is not None and owner is None:
            yield f"payment_methods[{i}]: attached to {pm.customer}, which is not in the file"
        elif owner is not None and owner.deleted:
            yield f"payment_methods[{i}]: attached to {pm.customer}, which is deleted"
        if not pm_types.known_row(pm.type, pm.test_row):
            yield (f"payment_methods[{i}]: test_row {pm.test_row!r} is no test {pm.type} "
                   "pmsim knows")  # fmt: skip
        elif [kind for kind in TYPES if getattr(pm, kind) is not None] != [pm.type]:
            yield f"payment_methods[{i}]: a {pm.type} needs its {pm.type} details, and no others"
    for i, customer in enumerate(snapshot.customers):
        default = customer.invoice_settings.default_payment_method
        if default is not None and owners.get(default) != customer.id:
            yield f"customers[{i}]: the default {default} is not attached to {customer.id}"


def _source_ownership(snapshot: Snapshot) -> Iterator[str]:
    """Cards belong to customers in the file (live ones, unless the card is deleted); a
    default source is one of its customer's cards."""
    customers = {customer.id: customer for customer in snapshot.customers}
    live = {}
    for i, card in enumerate(snapshot.sources):
        owner = customers.get(card.customer)
        if owner is None:
            yield f"sources[{i}]: its customer {card.customer} is not in the file"
        elif owner.deleted and not card.deleted:
            yield f"sources[{i}]: held by {card.customer}, which is deleted"
        if card.test_card not in CARDS_BY_NAME:
            yield f"sources[{i}]: test_card {card.test_card!r} is no test card pmsim knows"
        if not card.deleted:
            live[card.id] = card.customer
    for i, customer in enumerate(snapshot.customers):
        default = customer.default_source
        if default is not None and live.get(default) != customer.id:
            yield f"customers[{i}]: the default source {default} is not one of its cards"


def _references(snapshot: Snapshot) -> Iterator[str]:
    """Every id a record names is in the file."""
    customers = {customer.id for customer in snapshot.customers}
    cards = {pm.id for pm in snapshot.payment_methods}
    clocks = {clock.id for clock in snapshot.test_clocks}
    for i, customer in enumerate(snapshot.customers):
        if customer.test_clock is not None and customer.test_clock not in clocks:
            yield f"customers[{i}]: its test clock {customer.test_clock} is not in the file"
    for i, mandate in enumerate(snapshot.mandates):
        if mandate.payment_method not in cards:
            yield f"mandates[{i}]: its payment method {mandate.payment_method} is not in the file"
    for table in ("setup_intents", "payment_intents"):
        for i, intent in enumerate(getattr(snapshot, table)):
            if intent.customer is not None and intent.customer not in customers:
                yield f"{table}[{i}]: its customer {intent.customer} is not in the file"
            if intent.payment_method is not None and intent.payment_method not in cards:
                yield f"{table}[{i}]: its payment method {intent.payment_method} is not in the file"


def _time_and_ids(snapshot: Snapshot) -> Iterator[str]:
    """The clock is not before anything it made, and the next ids are not taken already:
    a rolled-back ``id_count`` would hand out the id of an object that exists."""
    records = [record for table in TABLES for record in getattr(snapshot, table)]
    newest = max((record.created for record in records), default=snapshot.time)
    if snapshot.time < newest:
        yield f"time {snapshot.time} is before the newest object's created time ({newest})"
    if snapshot.id_count < len(records):
        yield f"id_count {snapshot.id_count} is less than the {len(records)} ids in the file"
        return
    taken = {record.id for record in records}
    for prefix in sorted({record.id.partition("_")[0] for record in records}):
        ids = IdFactory(snapshot.seed)
        ids.restore(snapshot.id_count)
        if ids.new(prefix) in taken:
            yield f"id_count {snapshot.id_count} would make {prefix}_ ids that exist already"
