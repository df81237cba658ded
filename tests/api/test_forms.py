"""``pmsim.api.forms.decode``: Stripe's form encoding, as stripe-python and curl send it.

Hashes nest as ``a[b][c]``, arrays come indexed (``a[0]``, stripe-python) or appended
(``a[]``, curl), and ``""`` is kept because it means "unset". Anything malformed is Stripe's
own ``invalid_request_error``, never a Python exception.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus as urllib_unquote_plus
from urllib.parse import urlencode

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stripe._encode import _api_encode

import pmsim
from pmsim.api import forms
from pmsim.api.forms import decode
from tests.support import more_examples

# Stripe's words for badly indexed arrays (recorded for expand), written out here so a changed
# message fails the tests.
NOT_SEQUENTIAL = (
    "If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of as an array "
    "(e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from 0. You passed "
    "the keys `{keys}`, we expected to have a key with the value `{missing}`."
)


def stripe_encode(params: dict[str, Any]) -> str:
    """The body stripe-python 16 sends (``_APIRequestor._args_for_request_with_retries``)."""
    encoded = urlencode(list(_api_encode(params)))
    return encoded.replace("%5B", "[").replace("%5D", "]")


def decode_error(text: str) -> pmsim.InvalidRequestError:
    with pytest.raises(pmsim.StripeError) as caught:
        decode(text)
    err = caught.value
    assert type(err) is pmsim.InvalidRequestError, repr(err)
    assert err.http_status == 400
    assert err.to_dict()["error"]["type"] == "invalid_request_error"
    return err


# --- What decodes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("&&", {}),
        ("email=ada%40example.com", {"email": "ada@example.com"}),
        ("name=Ada&email=a%40b.co", {"name": "Ada", "email": "a@b.co"}),
        ("card[token]=tok_visa", {"card": {"token": "tok_visa"}}),
        (
            "billing_details[address][city]=Oslo&billing_details[address][line1]=Gate+1"
            "&billing_details[name]=Ada",
            {"billing_details": {"address": {"city": "Oslo", "line1": "Gate 1"}, "name": "Ada"}},
        ),
        ("a[b][c][d][e]=deep", {"a": {"b": {"c": {"d": {"e": "deep"}}}}}),
    ],
)
def test_nested_hashes(text: str, expected: dict[str, Any]) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("expand[0]=customer", {"expand": ["customer"]}),
        ("expand[0]=a&expand[1]=b&expand[2]=c", {"expand": ["a", "b", "c"]}),
        ("expand[1]=b&expand[0]=a", {"expand": ["a", "b"]}),  # order by index, not arrival
        ("x[0]=a&x[1]=b&x[2]=c&x[3]=d&x[4]=e&x[5]=f&x[6]=g&x[7]=h&x[8]=i&x[9]=j&x[10]=k",
         {"x": list("abcdefghijk")}),  # 10 sorts after 9, not after 1
        ("a[b][0]=x&a[b][1]=y", {"a": {"b": ["x", "y"]}}),
    ],
)  # fmt: skip
def test_indexed_arrays(text: str, expected: dict[str, Any]) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("expand[]=customer", {"expand": ["customer"]}),
        ("expand[]=a&expand[]=b", {"expand": ["a", "b"]}),
        ("expand%5B%5D=a&expand%5B%5D=b", {"expand": ["a", "b"]}),  # curl --data-urlencode
        ("types[]=customer.created&types[]=customer.updated",
         {"types": ["customer.created", "customer.updated"]}),
        ("a[b][]=1&a[b][]=2", {"a": {"b": ["1", "2"]}}),
    ],
)  # fmt: skip
def test_curl_arrays(text: str, expected: dict[str, Any]) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2",
            {"items": [{"price": "p1", "quantity": "2"}, {"price": "p2"}]},
        ),
        ("a[][k]=1&a[][k]=2", {"a": [{"k": "1"}, {"k": "2"}]}),
        ("a[0][b][c]=x&a[1][b][c]=y", {"a": [{"b": {"c": "x"}}, {"b": {"c": "y"}}]}),
        ("a[0][0]=x&a[0][1]=y&a[1][0]=z", {"a": [["x", "y"], ["z"]]}),
    ],
)
def test_arrays_of_hashes_and_arrays(text: str, expected: dict[str, Any]) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("description=", {"description": ""}),
        ("description", {"description": ""}),  # a bare key is an empty value
        ("metadata=", {"metadata": ""}),  # metadata="" clears every key
        ("metadata[order]=&metadata[plan]=pro", {"metadata": {"order": "", "plan": "pro"}}),
        ("invoice_settings[default_payment_method]=",
         {"invoice_settings": {"default_payment_method": ""}}),
        ("expand[]=", {"expand": [""]}),
    ],
)  # fmt: skip
def test_empty_strings_are_kept(text: str, expected: dict[str, Any]) -> None:
    assert decode(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name=Ada+Lovelace", {"name": "Ada Lovelace"}),
        ("name=Ada%20Lovelace", {"name": "Ada Lovelace"}),
        ("name=%E2%82%AC%F0%9F%92%B3", {"name": "\u20ac\U0001f4b3"}),
        ("name=a%26b%3Dc", {"name": "a&b=c"}),  # escaped separators stay in the value
        ("name=100%25", {"name": "100%"}),
        ("name=%2B", {"name": "+"}),
        ("metadata%5Border%5D=1", {"metadata": {"order": "1"}}),  # escaped brackets still nest
        ("metadata[a%20b]=1", {"metadata": {"a b": "1"}}),
        ("metadata[k]=[x]", {"metadata": {"k": "[x]"}}),  # brackets in a value are just text
        ("name=%ZZ", {"name": "%ZZ"}),  # a stray % is kept as text
        ("name=\u00e9", {"name": "\u00e9"}),  # already-decoded text passes through
    ],
)
def test_percent_encoding(text: str, expected: dict[str, Any]) -> None:
    assert decode(text) == expected


def test_a_repeated_key_keeps_the_last_value() -> None:
    assert decode("name=a&name=b") == {"name": "b"}


# --- Arrays whose keys are not 0, 1, 2, ... -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "param", "keys", "missing"),
    [
        ("expand[1]=customer", "expand", "1", "0"),  # the case Stripe's message was recorded for
        ("expand[0]=a&expand[2]=b", "expand", "0, 2", "1"),
        ("expand[2]=a&expand[0]=b", "expand", "2, 0", "1"),  # keys as sent, in order
        ("expand[01]=a", "expand", "01", "0"),
        ("expand[0]=a&expand[00]=b", "expand", "0, 00", "1"),
        ("expand[0]=a&expand[b]=c", "expand", "0, b", "1"),
        ("a[b][1]=x", "a[b]", "1", "0"),  # the param names the nested array
        ("a[0][b][1]=x", "a[0][b]", "1", "0"),
    ],
)
def test_non_sequential_array_keys(text: str, param: str, keys: str, missing: str) -> None:
    err = decode_error(text)
    assert err.message == NOT_SEQUENTIAL.format(keys=keys, missing=missing)
    assert (err.param, err.code) == (param, None)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("a[0]=1&a[\u00b2]=2", "0, \u00b2"),  # superscript two: isdigit() yes, int() no
        ("a[0]=1&a[\uff11]=2", "0, \uff11"),  # FULLWIDTH DIGIT ONE is not index 1
        ("a[" + "9" * 5000 + "]=1", "9" * 5000),  # too many digits for int()
        ("a[0]=1&a[" + "1" * 5000 + "]=2", "0, " + "1" * 5000),
    ],
    ids=["superscript", "fullwidth", "huge", "huge-second"],
)
def test_odd_array_keys_are_not_sequential(text: str, keys: str) -> None:
    err = decode_error(text)
    missing = "1" if keys.startswith("0, ") else "0"
    assert err.message == NOT_SEQUENTIAL.format(keys=keys, missing=missing)
    assert err.param == "a"


@pytest.mark.parametrize("key", ["\u00b2", "\u0663", "\uff11", "\u00bd", "\u2460"])
def test_non_ascii_digit_keys_are_a_hash_key_or_a_stripe_error(key: str) -> None:
    """Only 0-9 make an index; other "digits" may be a hash key, but must never crash."""
    try:
        decoded = decode(f"a[{key}]=1")
    except pmsim.InvalidRequestError as err:
        assert err.http_status == 400
    else:
        assert decoded == {"a": {key: "1"}}


# --- Malformed keys -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "a]b",
        "a[b",
        "a[b]c",
        "a[b]]",
        "a[[b]]",
        "a[]][",
        "[a]",
        "[]",
        "]",
        "[",
        "a[b][c",
        "a[b]\n",  # a trailing newline after the last bracket is not a key
    ],
)
def test_malformed_keys(key: str) -> None:
    err = decode_error(urlencode({key: "1"}))
    assert err.message == f"Invalid parameter name: {key}"
    assert (err.code, err.param) == (None, None)


def test_an_empty_key_is_malformed() -> None:
    assert decode_error("=1").message == "Invalid parameter name: "


@pytest.mark.parametrize(
    "text",
    [
        "a=1&a[b]=2",  # a string, then a hash under the same name
        "a[b]=1&a[b][c]=2",
        "a[0]=1&a[0][b]=2",
    ],
)
def test_a_value_cannot_become_a_hash(text: str) -> None:
    decode_error(text)


# --- Round trips with stripe-python's own encoder -----------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"email": "ada@example.com", "name": "Ada Lovelace"}, None),
        ({"type": "card", "card": {"token": "tok_visa"}, "expand": ["customer"]}, None),
        (
            {
                "invoice_settings": {"default_payment_method": "pm_123"},
                "metadata": {"order": "42", "note": "a&b=c [x] 100%", "gone": ""},
                "address": {"line1": "Gate 1", "city": "Oslo", "country": "NO"},
                "preferred_locales": ["nb", "en"],
                "expand": ["invoice_settings.default_payment_method"],
            },
            None,
        ),
        (
            {"items": [{"price": "p1", "quantity": 2}, {"price": "p2"}], "n": [[1, 2], [3]]},
            {
                "items": [{"price": "p1", "quantity": "2"}, {"price": "p2"}],
                "n": [["1", "2"], ["3"]],
            },
        ),
        (
            {"limit": 3, "flag": True, "off": False, "skip": None, "created": {"gte": 1704067200}},
            {"limit": "3", "flag": "true", "off": "false", "created": {"gte": "1704067200"}},
        ),
        ({"name": "\u00c5se \u20ac \U0001f4b3", "metadata": {"cl\u00e9": "v\u00e6rdi"}}, None),
    ],
)
def test_round_trip_through_stripe_python(
    params: dict[str, Any], expected: dict[str, Any] | None
) -> None:
    assert decode(stripe_encode(params)) == (params if expected is None else expected)


def test_stripe_python_sends_literal_brackets() -> None:
    body = stripe_encode({"card": {"token": "tok_visa"}, "expand": ["customer"]})
    assert body == "card[token]=tok_visa&expand[0]=customer"
    assert decode(body) == {"card": {"token": "tok_visa"}, "expand": ["customer"]}


def _plain_key(text: str) -> bool:
    # Digit-only keys would read as array indexes; brackets are not allowed in names at all.
    return "[" not in text and "]" not in text and not text.isdigit()


KEYS = st.text(min_size=1, max_size=8).filter(_plain_key)
LEAVES = st.text(max_size=10)
TREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, min_size=1, max_size=3),
        st.dictionaries(KEYS, children, min_size=1, max_size=3),
    ),
    max_leaves=12,
)


@more_examples(2)
@given(st.dictionaries(KEYS, TREES, max_size=4))
def test_anything_stripe_python_encodes_decodes_back(params: dict[str, Any]) -> None:
    assert decode(stripe_encode(params)) == params


# Text made of the characters escapes are built from, so broken and partial escapes
# ("%4", "%zz", "%%41") come up as often as real ones.
ESCAPED_TEXT = st.text(alphabet=st.sampled_from("%+40123aAbBcCdDfF5zZ é€"), max_size=12) | st.text()


@more_examples(5)
@given(ESCAPED_TEXT)
def test_unquoting_matches_the_standard_library(text: str) -> None:
    # pmsim's faster unquote_plus must give what urllib's gives, for any text at all.
    assert forms.unquote_plus(text) == urllib_unquote_plus(text)


# Keys built from a few names, brackets and digits, so one-level keys (a[b]) meet the keys
# they clash with (a=1, a[b][c], a[0], a[]) in every order.
FORM_KEYS = st.builds(
    str.__add__,
    st.sampled_from(["a", "b", ""]),
    st.sampled_from(["", "[b]", "[c]", "[0]", "[]", "[b][c]", "[b][0]", "[b][]", "]", "[", "[b"]),
)


def decode_without_shortcut(text: str) -> object:
    """``decoded_or_error(text)`` with every key left to the general walk."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(forms, "_one_level", lambda root, raw_key, value: False)
        return decoded_or_error(text)


def decoded_or_error(text: str) -> object:
    try:
        return decode(text)
    except pmsim.StripeError as err:
        return err.to_dict()


@more_examples(5)
@given(st.lists(st.tuples(FORM_KEYS, st.sampled_from(["x", "", "y"])), max_size=4))
@example([("a[b][c]", "x"), ("a[b]", "y")])  # a hash, then a value in its place
@example([("a[0]", "x"), ("a[b]", "y")])  # an array, then a hash key
@example([("a", "x"), ("a[b]", "y")])  # a value, then a hash
def test_the_one_level_shortcut_decodes_as_the_general_walk_does(
    pairs: list[tuple[str, str]],
) -> None:
    # decode() puts a[b]=v straight into its hash; the general walk must agree, error or not.
    text = "&".join(f"{key}={value}" for key, value in pairs)
    assert decoded_or_error(text) == decode_without_shortcut(text)
