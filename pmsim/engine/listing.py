"""Stripe's cursor pagination over an oldest-first sequence of ids.

Lists are newest first; ``starting_after`` pages towards older items and ``ending_before``
towards newer ones. Cursors are found through a position index, so a page costs the same
however large the store is (unless a filter has to skip many items).

>>> ids = ["a", "b", "c", "d"]
>>> position = {k: i for i, k in enumerate(ids)}.get
>>> page(ids, position, kind="customer", limit=2)
(['d', 'c'], True)
>>> page(ids, position, kind="customer", limit=2, starting_after="c")
(['b', 'a'], False)
>>> page(ids, position, kind="customer", limit=1, ending_before="b")
(['c'], True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pmsim.domain import params
from pmsim.domain.messages import lookups, parameters
from pmsim.domain.models import PaymentMethod
from pmsim.domain.pages import ListObject
from pmsim.domain.pm_params import allow_redisplay, listed_type
from pmsim.store import R, Store, Table

DEFAULT_LIMIT = 10
MAX_LIMIT = 100
RANGE_KEYS = ("gt", "gte", "lt", "lte")


def page(
    ids: Sequence[str],
    position_of: Callable[[str], int | None],
    *,
    kind: str,
    limit: object = None,
    starting_after: str | None = None,
    ending_before: str | None = None,
    keep: Callable[[str], bool] | None = None,
) -> tuple[list[str], bool]:
    """One page of ``ids`` (oldest first), newest first, and whether more lie beyond it."""
    size = check_page(limit, starting_after, ending_before)
    if ending_before is not None:
        start, step = _cursor(position_of, ending_before, kind, "ending_before") + 1, 1
    elif starting_after is not None:
        start, step = _cursor(position_of, starting_after, kind, "starting_after") - 1, -1
    else:
        start, step = len(ids) - 1, -1
    found: list[str] = []
    index = start
    while 0 <= index < len(ids):
        candidate = ids[index]
        index += step
        if keep is not None and not keep(candidate):
            continue
        if len(found) == size:
            return (found[::-1] if step == 1 else found), True
        found.append(candidate)
    return (found[::-1] if step == 1 else found), False


def table_page(
    table: Table[R],
    *,
    kind: str,
    url: str,
    keep: Callable[[R], bool] | None = None,
    **cursors: Any,
) -> ListObject[R]:
    """One page of a store table (intents, test clocks, endpoints), newest first; ``keep``
    filters records; ``cursors`` are ``limit``, ``starting_after`` and ``ending_before``."""
    wanted = None if keep is None else (lambda record_id: keep(table[record_id]))
    ids, has_more = page(table.ids, table.position.get, kind=kind, keep=wanted, **cursors)
    return ListObject(tuple(table[i] for i in ids), has_more, url)


def filtered_page(
    table: Table[R],
    *,
    kind: str,
    url: str,
    created: object,
    filters: Mapping[str, object],
    **cursors: Any,
) -> ListObject[R]:
    """One page of a table, newest first: the records whose fields equal the ``filters``
    sent (``None``: not sent) and made within ``created`` (intents, charges, refunds)."""
    when = created_filter(created)
    sent = {name: value for name, value in filters.items() if value is not None}
    wanted = {name: params.string(value, name) for name, value in sent.items()}

    def keep(found: R) -> bool:
        matches = all(getattr(found, name) == value for name, value in wanted.items())
        return matches and (when is None or when(found.created))

    return table_page(table, kind=kind, url=url, keep=keep if wanted or when else None, **cursors)


def check_page(limit: object, starting_after: object, ending_before: object) -> int:
    """The page size, after checking ``limit`` and the cursors (one at most) as Stripe does."""
    size = DEFAULT_LIMIT if limit is None else params.bounded(limit, "limit", 1, MAX_LIMIT)
    if starting_after is not None and ending_before is not None:
        raise parameters.only_one_of("starting_after", "ending_before")
    for param, cursor in (("starting_after", starting_after), ("ending_before", ending_before)):
        if cursor is not None:
            params.string(cursor, param)
    return size


def customer_payment_methods(
    store: Store, customer_id: str, url: str, type: object, redisplay: object, **cursors: Any
) -> ListObject[PaymentMethod]:
    """One page of a customer's payment methods, read from its own index, never the store;
    ``type`` keeps those of that type, ``redisplay`` those whose ``allow_redisplay`` it is."""
    kind = listed_type(type)
    wanted = None if redisplay is None else allow_redisplay(redisplay)
    pm_ids = store.attached_pm_ids(customer_id)
    position: Callable[[str], int | None] = {pm_id: i for i, pm_id in enumerate(pm_ids)}.get

    def keep(pm_id: str) -> bool:
        pm = store.payment_methods[pm_id]
        return (kind is None or pm.type == kind) and (
            wanted is None or pm.allow_redisplay == wanted
        )

    filtered = kind is not None or wanted is not None
    ids, has_more = page(
        pm_ids, position, kind="payment_method", keep=keep if filtered else None, **cursors
    )
    return ListObject(tuple(store.payment_methods[i] for i in ids), has_more, url)


def _cursor(position_of: Callable[[str], int | None], cursor: str, kind: str, param: str) -> int:
    position = position_of(params.string(cursor, param))
    if position is None:
        raise lookups.no_such(kind, cursor, param=param)
    return position


def created_filter(created: object) -> Callable[[int], bool] | None:
    """``created=…`` as Stripe takes it: an exact Unix time or a ``{gt, gte, lt, lte}`` hash."""
    if created is None:
        return None
    if not isinstance(created, Mapping):
        exact = params.integer(created, "created")
        return lambda value: value == exact
    bounds = params.hash_of(created, "created", RANGE_KEYS)
    limits = {key: params.integer(value, f"created[{key}]") for key, value in bounds.items()}
    checks: dict[str, Callable[[int, int], bool]] = {
        "gt": lambda value, bound: value > bound,
        "gte": lambda value, bound: value >= bound,
        "lt": lambda value, bound: value < bound,
        "lte": lambda value, bound: value <= bound,
    }
    return lambda value: all(checks[key](value, bound) for key, bound in limits.items())
