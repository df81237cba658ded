"""Stripe's search query language: each clause form, quoting, AND/OR, negation, and the
400s for queries it cannot run; no text, however malformed, raises anything but those."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmsim.domain.errors import InvalidRequestError, StripeError
from pmsim.domain.models import Customer
from pmsim.domain.payment_intents import PaymentIntent, PaymentStatus
from pmsim.domain.search import CUSTOMER_FIELDS, MAX_CLAUSES, PAYMENT_INTENT_FIELDS, parse

LANGUAGE = "https://docs.stripe.com/search#search-query-language"
EXAMPLES = f"""Queries look like email:"ada@example.com" or metadata["plan"]:"pro" ({LANGUAGE})."""


def customers(text: str):
    return parse(text, CUSTOMER_FIELDS, "customers")


def intents(text: str):
    return parse(text, PAYMENT_INTENT_FIELDS, "payment_intents")


def shape(query) -> list[tuple[object, ...]]:
    return [(c.field, c.key, c.operator, c.operand, c.negated) for c in query.clauses]


@pytest.mark.parametrize(
    ("text", "clause"),
    [
        ('email:"ada@example.com"', ("email", None, ":", "ada@example.com", False)),
        ("email:'ada@example.com'", ("email", None, ":", "ada@example.com", False)),
        ('name:"Ada LOVELACE"', ("name", None, ":", "ada lovelace", False)),  # casefolded
        ('name~"love"', ("name", None, "~", "love", False)),
        ('-email:"x@y.z"', ("email", None, ":", "x@y.z", True)),
        ("phone:5555", ("phone", None, ":", "5555", False)),  # a bare number as text
        ('metadata["plan"]:"pro"', ("metadata", "plan", ":", "pro", False)),
        ("metadata['plan']:'pro'", ("metadata", "plan", ":", "pro", False)),
        ('metadata["a b"]:7', ("metadata", "a b", ":", "7", False)),
        ('metadata["k"]:null', ("metadata", "k", ":", None, False)),
        ('-metadata["k"]:NULL', ("metadata", "k", ":", None, True)),
        ("email:null", ("email", None, ":", None, False)),
        ('email:"null"', ("email", None, ":", "null", False)),  # quoted: the word itself
        (r'name:"the \"Sky\" and \\ sea"', ("name", None, ":", 'the "sky" and \\ sea', False)),
        (r"name:'it\'s'", ("name", None, ":", "it's", False)),
        ("created>1609459200", ("created", None, ">", Decimal(1609459200), False)),
        ("created>=1609459200", ("created", None, ">=", Decimal(1609459200), False)),
        ("created<1609459200", ("created", None, "<", Decimal(1609459200), False)),
        ("created<=1609459200", ("created", None, "<=", Decimal(1609459200), False)),
        ("created=1609459200", ("created", None, "=", Decimal(1609459200), False)),
        ("created:1609459200", ("created", None, ":", Decimal(1609459200), False)),
        ('created>"1609459200"', ("created", None, ">", Decimal(1609459200), False)),
        ("created>-1.5", ("created", None, ">", Decimal("-1.5"), False)),
    ],
)
def test_each_clause_form(text: str, clause: tuple[object, ...]) -> None:
    assert shape(customers(text)) == [clause]
    assert shape(customers(f"  {text}\t")) == [clause]  # whitespace around the query


@pytest.mark.parametrize(
    ("text", "joiner"),
    [
        ('email:"a@b.c" name:"ada"', "AND"),
        ('email:"a@b.c" AND name:"ada"', "AND"),
        ('email:"a@b.c" and name:"ada" AND phone:"1"', "AND"),
        ('email:"a@b.c" AND name:"ada" phone:"1"', "AND"),  # spaces and AND are one joiner
        ('email:"a@b.c" OR name:"ada"', "OR"),
        ('email:"a@b.c"  or\nname:"ada" Or phone:"1"', "OR"),
    ],
)
def test_and_or(text: str, joiner: str) -> None:
    assert customers(text).joiner == joiner


def test_payment_intent_fields() -> None:
    query = intents('amount>=1000 currency:"USD" customer:"cus_1" status:"succeeded"')
    assert shape(query) == [
        ("amount", None, ">=", Decimal(1000), False),
        ("currency", None, ":", "usd", False),
        ("customer", None, ":", "cus_1", False),
        ("status", None, ":", "succeeded", False),
    ]


def test_evaluation_against_records() -> None:
    ada = Customer("cus_1", 100, "A", email="Ada@Example.com", name="Ada", metadata={"p": "Pro"})
    bo = Customer("cus_2", 200, "B", email="bo@example.com", phone="+4755501234")
    cases = {
        'email:"ada@example.com"': (True, False),  # ignoring case
        'email~"EXAMPLE"': (True, True),
        '-email~"ada"': (False, True),
        "name:null": (False, True),
        "-name:null": (True, False),
        'metadata["p"]:"pro"': (True, False),
        '-metadata["p"]:null': (True, False),
        'metadata["p"]:"pro" OR phone~"555"': (True, True),
        'metadata["p"]:"pro" phone~"555"': (False, False),
        "created>100": (False, True),
        "created>=100 created<=150": (True, False),
        "created:200": (False, True),
        "created>99.5": (True, True),
    }
    for text, expected in cases.items():
        query = customers(text)
        assert (query.matches(ada), query.matches(bo)) == expected, text
    pi = PaymentIntent("pi_1", 5, "s", 2000, "eur", status=PaymentStatus.SUCCEEDED)
    assert intents('status:"SUCCEEDED" currency:"eur" amount>1999 -customer:null').joiner == "AND"
    assert intents('status:"SUCCEEDED" currency:"eur" amount>1999 customer:null').matches(pi)
    assert not intents('-status:"succeeded"').matches(pi)


def unparsable(character: int, expected: str) -> str:
    return f"Invalid search query: expected {expected} at character {character}. {EXAMPLES}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", unparsable(1, "a field name")),
        ("   ", unparsable(4, "a field name")),
        ('(email:"a")', unparsable(1, "a field name")),
        ('- email:"a"', unparsable(2, "a field name")),
        ('email:"a" AND', unparsable(14, "a field name")),
        ('email:"a" OR ', unparsable(14, "a field name")),
        ('email:"a"name:"b"', unparsable(10, "a space before the next clause")),
        ('email "a"', unparsable(6, "an operator (: ~ > >= < <= =) after 'email'")),
        ("email:", unparsable(7, "a value after 'email:'")),
        ('email:"abc', unparsable(11, 'the closing " of the quote opened at character 7')),
        ("email:'abc\\'", unparsable(13, "the closing ' of the quote opened at character 7")),
        (
            'metadata:"x"',
            unparsable(9, "a key in brackets after 'metadata', as in metadata[\"key\"]"),
        ),
        ("metadata[plan]:'x'", unparsable(10, 'a quoted metadata key, as in metadata["key"]')),
        ("metadata['plan':'x'", unparsable(16, "']' after the metadata key")),
        (
            "email:ada",
            "Invalid search query: the value 'ada' at character 7 must be quoted (only numbers "
            f"and null may go without quotes). {EXAMPLES}",
        ),
        (
            'colour:"red"',
            "Field 'colour' is an unsupported search field for resource 'customers'. See "
            "https://stripe.com/docs/search#query-fields-for-customers for a list of supported "
            "fields.",
        ),
        (
            'email["k"]:"x"',
            "Invalid search query: the field 'email' takes no key in brackets; only metadata "
            'does, as in metadata["key"]:"value".',
        ),
        (
            'email>"a"',
            "Invalid search query: the field 'email' does not take the '>' operator; it takes "
            "':' or '~'.",
        ),
        (
            'metadata["k"]~"abc"',
            "Invalid search query: the field 'metadata' does not take the '~' operator; it takes "
            "':'.",
        ),
        (
            "created~'123'",
            "Invalid search query: the field 'created' does not take the '~' operator; it takes "
            "':' or '=' or '>' or '>=' or '<' or '<='.",
        ),
        (
            "email~null",
            "Invalid search query: the field 'email' does not take the '~' operator before "
            "null; it takes ':'.",
        ),
        (
            'name~"ad"',
            "Invalid search query: a substring match (name~) needs at least 3 characters; 'ad' "
            "has 2.",
        ),
        (
            'created>"soon"',
            "Invalid search query: the field 'created' is numeric, and 'soon' is not a number.",
        ),
        (
            'email:"a" OR name:"b" AND phone:"c"',
            "Invalid search query: AND and OR cannot be used in the same query (clauses "
            "separated by spaces alone are joined with AND).",
        ),
        (
            'email:"a" OR name:"b" phone:"c"',
            "Invalid search query: AND and OR cannot be used in the same query (clauses "
            "separated by spaces alone are joined with AND).",
        ),
        (
            " ".join(["created>1"] * (MAX_CLAUSES + 1)),
            f"Invalid search query: it has {MAX_CLAUSES + 1} clauses; pmsim searches with at "
            f"most {MAX_CLAUSES}.",
        ),
    ],
)
def test_queries_it_cannot_run_are_400s_naming_query(text: str, message: str) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        customers(text)
    err = caught.value
    assert (err.http_status, err.message, err.param, err.code) == (400, message, "query", None)


def test_payment_intents_name_their_own_fields_page() -> None:
    with pytest.raises(InvalidRequestError, match="query-fields-for-payment-intents"):
        intents('email:"a@b.c"')


def test_missing_and_over_long_queries() -> None:
    with pytest.raises(InvalidRequestError) as caught:
        parse(None, CUSTOMER_FIELDS, "customers")
    assert (caught.value.code, caught.value.param) == ("parameter_missing", "query")
    with pytest.raises(InvalidRequestError, match="must be at most 5000 characters"):
        customers('name:"' + "a" * 5000 + '"')
    assert customers(" " * 4000 + 'name:"' + "a" * 900 + '"').clauses[0].operand == "a" * 900


#: Characters the language gives meaning to, so random text often gets far into a query.
QUERYISH = st.text(alphabet=st.sampled_from(list("emailnamtdcr:~<>=-\"'[]\\ .0123456789ANDORul")))


@given(st.one_of(st.text(), QUERYISH))
def test_no_text_raises_anything_but_a_stripe_error(text: str) -> None:
    for fields, resource in ((CUSTOMER_FIELDS, "customers"), (PAYMENT_INTENT_FIELDS, "pi")):
        try:
            query = parse(text, fields, resource)
        except StripeError as err:
            assert err.http_status == 400
            assert err.param == "query"
        else:
            assert 1 <= len(query.clauses) <= MAX_CLAUSES


@pytest.mark.parametrize(
    "text",
    [
        '"' * 5000,
        "\\" * 5000,
        "-" * 5000,
        "a" * 5000,
        "[" * 5000,
        'email:"' + "\\" * 4993,
        "1" * 5000,
    ],
)
def test_long_pathological_queries_are_refused_quickly(text: str) -> None:
    # No timing assertion: the parser reads each character a bounded number of times.
    with pytest.raises(InvalidRequestError):
        customers(text)
