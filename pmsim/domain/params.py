"""Checking and coercing parameter values the way Stripe does, with Stripe's errors.

Values arrive either as Python values (the Python API) or as strings (form-encoded requests),
so each checker takes both: ``"12"`` is a fine integer, ``12`` a fine string. ``""`` means
"unset" and is handled by the caller, because only some fields can be unset.

>>> integer("12", "card[exp_month]")
12
>>> integer("twelve", "card[exp_month]")
Traceback (most recent call last):
pmsim.domain.errors.InvalidRequestError: Invalid integer: twelve
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Any

from pmsim.domain.messages import parameters

MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500

#: Stripe's longest string parameter (the OpenAPI spec's ``maxLength`` for most strings);
#: fields with a tighter limit name theirs (``STRING_LIMITS``).
MAX_STRING_LENGTH = 5000
#: The spec's ``maxLength`` for the fields whose limit is not 5000.
MAX_EMAIL_LENGTH = 512
MAX_NAME_LENGTH = 256
MAX_INTENT_DESCRIPTION_LENGTH = 1000
MAX_TEST_CLOCK_NAME_LENGTH = 300

# An email is "local@domain.tld": no "@" or whitespace in any part. The parts are split with
# str methods (one pass each), never matched by a regex: the old ``[^@\s]+@[^@\s]+\.[^@\s]+``
# backtracked over every "." of a long domain, quadratic in the input (a 32,000-character
# address held the lock for seconds). The length is checked first, so the work is bounded.
_NOT_IN_EMAIL = re.compile(r"[@\s]")  # one character class, no repetition: linear
# ASCII digits only, and few enough that int() is cheap: Stripe's integers are 64-bit.
_INTEGER = re.compile(r"-?[0-9]{1,18}")


def string(value: object, param: str, max_length: int = MAX_STRING_LENGTH) -> str:
    """A string of at most ``max_length`` characters; numbers are kept as text
    (``name=12345``), and an object with a string ``id`` (a pmsim or stripe-python object)
    stands for its id, as stripe-python encodes it.

    >>> string(12345, "name")
    '12345'
    >>> string("x" * 300, "name", 256)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    pmsim.domain.errors.InvalidRequestError: Invalid string: ...; must be at most 256 characters
    """
    if isinstance(value, str):
        text = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
    else:
        object_id = getattr(value, "id", None)
        if not isinstance(object_id, str):
            raise parameters.invalid_string(param, value)
        text = object_id
    if len(text) > max_length:
        raise parameters.string_too_long(param, text, max_length)
    return text


def integer(value: object, param: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and -(10**18) < value < 10**18:
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    raise parameters.invalid_integer(param, value)


def boolean(value: object, param: str) -> bool:
    """``true``/``false`` as forms send them, or a Python bool.

    >>> boolean("true", "confirm"), boolean(False, "confirm")
    (True, False)
    """
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise parameters.invalid_boolean(param, value)


def choice(value: object, param: str, choices: tuple[str, ...]) -> str:
    text = string(value, param)
    if text not in choices:
        raise parameters.invalid_choice(param, choices)
    return text


def email(value: object, param: str = "email") -> str:
    """An address ``local@domain.tld``, at most 512 characters, checked in linear time.

    >>> email("ada@example.com")
    'ada@example.com'
    """
    text = string(value, param, MAX_EMAIL_LENGTH)
    local, _, domain = text.partition("@")
    # A "." with something on each side, somewhere in the domain, as the old pattern asked.
    if not local or "." not in domain[1:-1] or _NOT_IN_EMAIL.search(domain + local):
        raise parameters.invalid_email(text, param)
    return text


def bounded(value: object, param: str, minimum: int, maximum: int) -> int:
    number = integer(value, param)
    if number < minimum:
        raise parameters.too_small(param, minimum)
    if number > maximum:
        raise parameters.too_large(param, maximum)
    return number


def hash_of(value: object, param: str, allowed: Collection[str]) -> dict[str, Any]:
    """A hash whose keys are all in ``allowed``; any other key is an unknown parameter.

    ``None`` values are dropped: stripe-python leaves them out of the request at every level.

    >>> hash_of({"city": "Oslo", "line1": None}, "address", ("city", "line1"))
    {'city': 'Oslo'}
    """
    if type(value) is not dict and not isinstance(value, Mapping):  # a dict: no ABC check
        raise parameters.invalid_hash(param)
    for key in value:
        if key not in allowed:  # a handful of names: a tuple is searched as fast as a set
            raise parameters.unknown_parameter(f"{param}[{key}]")
    return {key: item for key, item in value.items() if item is not None}


def string_list(value: object, param: str) -> tuple[str, ...]:
    """A list or tuple of strings (not a set: its order would differ between runs)."""
    if not isinstance(value, list | tuple):
        raise parameters.invalid_array(param)
    return tuple(string(item, f"{param}[{index}]") for index, item in enumerate(value))


def metadata(current: Mapping[str, str], update: object) -> Mapping[str, str]:
    """``current`` with ``update`` merged in: ``""`` removes a key, ``metadata=""`` removes all.

    >>> dict(metadata({"a": "1", "b": "2"}, {"a": "", "c": 3}))
    {'b': '2', 'c': '3'}
    """
    if update == "":
        return MappingProxyType({})
    if not isinstance(update, Mapping):
        raise parameters.invalid_hash("metadata")
    merged = dict(current)
    for raw_key, raw_value in update.items():
        if raw_value is None:
            continue  # not sent, as stripe-python encodes it
        key = string(raw_key, "metadata")
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise parameters.metadata_key_too_long(key)
        if "[" in key or "]" in key:
            raise parameters.metadata_key_has_brackets(key)
        if isinstance(raw_value, bool):
            value = "true" if raw_value else "false"
        else:
            value = string(raw_value, f"metadata[{key}]")
        if len(value) > MAX_METADATA_VALUE_LENGTH:
            raise parameters.metadata_value_too_long(value)
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    if len(merged) > MAX_METADATA_KEYS:
        raise parameters.metadata_too_many_keys(len(merged))
    return MappingProxyType(merged)
