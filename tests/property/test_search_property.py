"""Search finds exactly what a brute-force filter of the objects finds, newest first, and
walking its pages with ``next_page`` gives the same objects once each.

The filter below is written from Stripe's docs, apart from pmsim's parser: ``:`` is exact and
``~`` a substring, both ignoring case; numbers compare; ``null`` is an empty field; ``-``
negates; AND needs every clause, OR one.
"""

from __future__ import annotations

import operator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pmsim

WORDS = ["ada", "Ada Lovelace", "grace", "o'brien", 'say "hi"', "ADA@example.com", "bo@x.io"]
KEYS = ["plan", "seats", "a b"]
VALUES = ["pro", "PRO", "free", "3"]
COMPARE = {":": operator.eq, "=": operator.eq, ">": operator.gt, ">=": operator.ge,
           "<": operator.lt, "<=": operator.le}  # fmt: skip

customer = st.fixed_dictionaries(
    {},
    optional={
        "email": st.sampled_from(["ada@example.com", "ADA@example.com", "bo@x.io"]),
        "name": st.sampled_from(WORDS),
        "phone": st.sampled_from(["+4755501234", "5550"]),
        "metadata": st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=2),
    },
)

string_clause = st.tuples(
    st.sampled_from(["email", "name", "phone"]),
    st.just(None),
    st.sampled_from([":", "~"]),
    st.one_of(
        st.sampled_from(WORDS + ["5550", "exa", "lov", "+47"]),
        st.sampled_from(WORDS).map(lambda w: w[1:4]).filter(lambda w: len(w) == 3),
    ),
)
null_clause = st.tuples(
    st.sampled_from(["email", "name", "phone"]), st.just(None), st.just(":"), st.none()
)
metadata_clause = st.tuples(
    st.just("metadata"),
    st.sampled_from(KEYS),
    st.just(":"),
    st.one_of(st.none(), st.sampled_from(VALUES)),
)
created_clause = st.tuples(
    st.just("created"),
    st.just(None),
    st.sampled_from(sorted(COMPARE)),
    st.integers(min_value=1_704_067_195, max_value=1_704_067_215),
)
clause = st.tuples(
    st.one_of(string_clause, null_clause, metadata_clause, created_clause), st.booleans()
)


def quoted(value: str, quote: str) -> str:
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{escaped}{quote}"


def written(clauses: list[Any], joiner: str, quote: str) -> str:
    parts = []
    for (field, key, op, value), negated in clauses:
        name = field if key is None else f"metadata[{quoted(key, quote)}]"
        text = (
            "null" if value is None else str(value) if field == "created" else quoted(value, quote)
        )
        parts.append(f"{'-' if negated else ''}{name}{op}{text}")
    return f" {joiner} ".join(parts) if joiner else " ".join(parts)


def holds(record: Any, clause: Any) -> bool:
    (field, key, op, value), negated = clause
    actual = record.metadata.get(key) if field == "metadata" else getattr(record, field)
    if value is None:
        found = actual is None
    elif actual is None:
        found = False
    elif field == "created":
        found = COMPARE[op](actual, value)
    elif op == "~":
        found = value.casefold() in actual.casefold()
    else:
        found = actual.casefold() == value.casefold()
    return found != negated


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    people=st.lists(customer, max_size=12),
    deleted=st.sets(st.integers(min_value=0, max_value=11), max_size=3),
    clauses=st.lists(clause, min_size=1, max_size=3),
    joiner=st.sampled_from(["", "AND", "and", "OR", "or"]),
    quote=st.sampled_from(["'", '"']),
    limit=st.integers(min_value=1, max_value=5),
)
def test_search_equals_a_brute_force_filter(people, deleted, clauses, joiner, quote, limit):
    sim = pmsim.Simulator(seed=1)
    made = []
    for fields in people:
        made.append(sim.customers.create(**fields))
        sim.clock.advance(seconds=1)
    for index in sorted(deleted):
        if index < len(made):
            sim.customers.delete(made[index].id)
    live = [sim.customers.retrieve(c.id) for c in made]
    combine = any if joiner.upper() == "OR" else all
    expected = [
        c.id
        for c in reversed(live)
        if not getattr(c, "deleted", False) and combine(holds(c, each) for each in clauses)
    ]
    query = written(clauses, joiner, quote)

    everything = sim.customers.search(query=query, limit=100)
    assert [c.id for c in everything] == expected, query
    assert (everything.total_count, everything.has_more) == (len(expected), False)

    walked, page = [], None
    while True:
        found = sim.customers.search(query=query, limit=limit, page=page)
        walked += [c.id for c in found]
        assert len(found) <= limit and found.total_count == len(expected)
        if not found.has_more:
            break
        page = found.next_page
    assert walked == expected
