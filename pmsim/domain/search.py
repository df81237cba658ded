"""Stripe's search query language (https://docs.stripe.com/search#search-query-language),
parsed once into frozen records and evaluated against records through a field table.

A query is clauses ``field<operator>value``, joined by spaces or ``AND`` (all must hold) or
by ``OR`` (one must), never both; ``-`` before a clause negates it. Operators: ``:`` exact
match, ``~`` substring (3 characters at least), ``>``, ``>=``, ``<``, ``<=`` and ``=`` for
numbers. Values are quoted (``"..."`` or ``'...'``, ``\\`` escapes); numbers and ``null``
(the field is empty) may go bare. Metadata is ``metadata["key"]``. String matching ignores
case. What each field takes is its kind, in the tables ``CUSTOMER_FIELDS`` and
``PAYMENT_INTENT_FIELDS``; docs/fidelity.md "Search" lists the choices made.

The parser reads the text once, left to right, a character at a time, and never goes back:
its time is linear in the query (at most 5,000 characters, the spec's ``maxLength``).

>>> from pmsim.domain.models import Customer
>>> query = parse('email~"example.com" AND -metadata["plan"]:null', CUSTOMER_FIELDS, "customers")
>>> [(c.field, c.key, c.operator, c.operand, c.negated) for c in query.clauses]
[('email', None, '~', 'example.com', False), ('metadata', 'plan', ':', None, True)]
>>> ada = Customer("cus_1", 0, "A", email="Ada@Example.com", metadata={"plan": "pro"})
>>> query.matches(ada), query.matches(Customer("cus_2", 0, "B", email="bo@example.com"))
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from attrs import field as attribute
from attrs import frozen

from pmsim.domain import params
from pmsim.domain.messages import parameters
from pmsim.domain.messages import search as messages
from pmsim.domain.search_fields import (
    COMPARE,
    CUSTOMER_FIELDS,
    OPERATORS,
    PAYMENT_INTENT_FIELDS,
    PREPARE,
    Field,
    Kind,
)

__all__ = ["CUSTOMER_FIELDS", "PAYMENT_INTENT_FIELDS", "Clause", "Query", "is_number", "parse"]

#: pmsim's cap on clauses, so one search costs at most this much per object (Stripe's own
#: limit is not documented; docs/fidelity.md "Search").
MAX_CLAUSES = 100
MIN_SUBSTRING = 3


@frozen
class Clause:
    """One ``[-]field[key]<operator>value``; ``operand`` is casefolded text, a number, or
    None for ``null`` (the field is empty)."""

    field: str
    key: str | None
    operator: str
    operand: str | Decimal | None
    negated: bool
    source: Field = attribute(eq=False, repr=False)  # how to read the field

    def holds(self, record: object) -> bool:
        source = self.source
        value = source.read(record)
        if self.key is not None:
            value = value.get(self.key)
        if self.operand is None:
            found = value is None
        else:
            found = value is not None and COMPARE[self.operator](
                PREPARE[source.kind](value), self.operand
            )
        return found is not self.negated


@frozen
class Query:
    """Clauses that must all hold (``AND``) or of which one must (``OR``)."""

    clauses: tuple[Clause, ...]
    joiner: str = "AND"

    def matches(self, record: object) -> bool:
        test = all if self.joiner == "AND" else any
        return test(clause.holds(record) for clause in self.clauses)


def parse(query: object, fields: Mapping[str, Field], resource: str) -> Query:
    """``query`` parsed and checked against ``fields``, or Stripe's 400 naming ``query``.

    >>> parse("amount>=1000 OR currency:'EUR'", PAYMENT_INTENT_FIELDS, "payment_intents").joiner
    'OR'
    >>> parse("amount~'100'", PAYMENT_INTENT_FIELDS, "payment_intents")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pmsim.domain.errors.InvalidRequestError: Invalid search query: the field 'amount' does not ...
    """
    if query is None:
        raise parameters.missing_param(messages.QUERY)
    return _Parser(params.string(query, messages.QUERY), fields, resource).query()


NAME_CHARACTERS: Final = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_."
)
DIGITS: Final = frozenset("0123456789")
QUOTES: Final = ("'", '"')
JOINERS: Final = ("AND", "OR")
#: Longest operators first, so ">=" is never read as ">" then "=".
OPERATOR_SPELLINGS: Final = (">=", "<=", ":", "~", ">", "<", "=")


def is_number(text: str) -> bool:
    """``-?digits(.digits)?`` in ASCII digits, checked in one pass.

    >>> is_number("-12.5"), is_number("1e3"), is_number("٣")
    (True, False, False)
    """
    whole, _, fraction = text.removeprefix("-").partition(".")
    parts = (whole, fraction) if "." in text else (whole,)
    return all(part and DIGITS.issuperset(part) for part in parts)


class _Parser:
    """A cursor over the text; each method consumes what it reads and never backs up."""

    def __init__(self, text: str, fields: Mapping[str, Field], resource: str) -> None:
        self.text, self.at, self.end = text, 0, len(text)
        self.fields, self.resource = fields, resource

    def query(self) -> Query:
        self._skip_space()
        clauses, joiners = [self._clause()], set()
        while self._skip_space() and self.at < self.end:
            word_end = self._scan(NAME_CHARACTERS)
            word = self.text[self.at : word_end].upper() if word_end - self.at <= 3 else ""
            if word in JOINERS and (word_end == self.end or self.text[word_end].isspace()):
                joiners.add(word)
                self.at = word_end
                self._skip_space()
            else:
                joiners.add("AND")  # clauses side by side are ANDed
            if len(joiners) > 1:
                raise messages.mixed_and_or()
            clauses.append(self._clause())
            if len(clauses) > MAX_CLAUSES:
                raise messages.too_many_clauses(len(clauses), MAX_CLAUSES)
        if self.at < self.end:
            raise messages.unparsable(self.at + 1, "a space before the next clause")
        return Query(tuple(clauses), joiners.pop() if joiners else "AND")

    def _clause(self) -> Clause:
        negated = self._take("-")
        name_end = self._scan(NAME_CHARACTERS)
        if name_end == self.at:
            raise messages.unparsable(self.at + 1, "a field name")
        name, self.at = self.text[self.at : name_end], name_end
        key = None
        if self._take("["):
            key = self._quoted('a quoted metadata key, as in metadata["key"]')
            if not self._take("]"):
                raise messages.unparsable(self.at + 1, "']' after the metadata key")
        source = self.fields.get(name)
        if source is None:
            raise messages.unsupported_field(name, self.resource)
        if key is not None and source.kind is not Kind.METADATA:
            raise messages.key_not_taken(name)
        if key is None and source.kind is Kind.METADATA:
            wanted = f"a key in brackets after '{name}', as in metadata[\"key\"]"
            raise messages.unparsable(self.at + 1, wanted)
        operator = self._operator(name)
        operand = self._operand(name, source.kind, operator)
        return Clause(name, key, operator, operand, negated, source)

    def _operator(self, name: str) -> str:
        for spelling in OPERATOR_SPELLINGS:
            if self.text.startswith(spelling, self.at):
                self.at += len(spelling)
                return spelling
        raise messages.unparsable(self.at + 1, f"an operator (: ~ > >= < <= =) after '{name}'")

    def _operand(self, name: str, kind: Kind, operator: str) -> str | Decimal | None:
        start = self.at + 1
        if self.at < self.end and self.text[self.at] in QUOTES:
            text, bare = self._quoted("a value"), False
        else:
            value_end = self._scan_until_space()
            text, bare, self.at = self.text[self.at : value_end], True, value_end
            if not text:
                raise messages.unparsable(start, f"a value after '{name}{operator}'")
            if text.casefold() != "null" and not is_number(text):
                raise messages.unquoted_value(start, text)
        if operator not in OPERATORS[kind]:
            raise messages.unsupported_operator(name, operator, OPERATORS[kind])
        if bare and text.casefold() == "null":
            if operator != ":":
                raise messages.unsupported_operator(name, operator, (":",), before_null=True)
            return None
        if kind is Kind.NUMERIC:
            if not is_number(text):
                raise messages.not_a_number(name, text)
            return Decimal(text)
        if operator == "~" and len(text) < MIN_SUBSTRING:
            raise messages.substring_too_short(name, text)
        return text.casefold()

    def _quoted(self, expected: str) -> str:
        """A quoted string from here, its escapes resolved; ``\\x`` stands for ``x``."""
        if self.at >= self.end or self.text[self.at] not in QUOTES:
            raise messages.unparsable(self.at + 1, expected)
        opened, quote = self.at, self.text[self.at]
        parts: list[str] = []
        start = at = self.at + 1
        while at < self.end:
            char = self.text[at]
            if char == quote:
                parts.append(self.text[start:at])
                self.at = at + 1
                return "".join(parts)
            if char == "\\" and at + 1 < self.end:
                parts.append(self.text[start:at])
                parts.append(self.text[at + 1])
                at += 2
                start = at
            else:
                at += 1
        raise messages.unparsable(
            self.end + 1, f"the closing {quote} of the quote opened at character {opened + 1}"
        )

    def _take(self, char: str) -> bool:
        if self.at < self.end and self.text[self.at] == char:
            self.at += 1
            return True
        return False

    def _scan(self, allowed: frozenset[str]) -> int:
        """Where the run of ``allowed`` characters from here ends (the cursor stays)."""
        at = self.at
        while at < self.end and self.text[at] in allowed:
            at += 1
        return at

    def _scan_until_space(self) -> int:
        at = self.at
        while at < self.end and not self.text[at].isspace():
            at += 1
        return at

    def _skip_space(self) -> bool:
        """Move past whitespace; whether there was any."""
        start = self.at
        while self.at < self.end and self.text[self.at].isspace():
            self.at += 1
        return self.at > start
