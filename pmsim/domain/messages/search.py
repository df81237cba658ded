"""The Search API's answers to queries it cannot run (``GET /v1/customers/search``,
``GET /v1/payment_intents/search``): each a 400 ``invalid_request_error`` with
``param: query`` (or ``page``) and no ``code``.

Stripe's texts for these are not recorded (*unverified*, docs/fidelity.md "Search"): the
unsupported-field sentence follows the form Stripe is remembered to use; the others are
pmsim's, each naming what was wrong, where, and what a query looks like.

>>> unsupported_field("colour", "customers").message  # doctest: +ELLIPSIS
"Field 'colour' is an unsupported search field for resource 'customers'. See ..."
>>> print(unparsable(7, "a value after 'email:'").message)  # doctest: +ELLIPSIS
Invalid search query: expected a value after 'email:' at character 7. Queries look like ...
"""

from __future__ import annotations

from pmsim.domain.errors import InvalidRequestError
from pmsim.domain.messages.parameters import shortened

QUERY = "query"
LANGUAGE = "https://docs.stripe.com/search#search-query-language"
#: How queries look, ending every syntax error.
EXAMPLES = f"""Queries look like email:"ada@example.com" or metadata["plan"]:"pro" ({LANGUAGE})."""


def unparsable(character: int, expected: str) -> InvalidRequestError:
    """The query stops making sense at ``character`` (counted from 1)."""
    return InvalidRequestError(
        f"Invalid search query: expected {expected} at character {character}. {EXAMPLES}",
        param=QUERY,
    )


def unquoted_value(character: int, value: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid search query: the value {shortened(value)!r} at character {character} must "
        f"be quoted (only numbers and null may go without quotes). {EXAMPLES}",
        param=QUERY,
    )


def unsupported_field(field: str, resource: str) -> InvalidRequestError:
    """``resource`` is the searched path's name: ``customers`` or ``payment_intents``."""
    anchor = resource.replace("_", "-")
    return InvalidRequestError(
        f"Field '{shortened(field)}' is an unsupported search field for resource "
        f"'{resource}'. See https://stripe.com/docs/search#query-fields-for-{anchor} for a "
        "list of supported fields.",
        param=QUERY,
    )


def unsupported_operator(
    field: str, operator: str, allowed: tuple[str, ...], *, before_null: bool = False
) -> InvalidRequestError:
    """``allowed``: the operators the field takes (only ``:`` before ``null``)."""
    takes = " or ".join(f"'{spelling}'" for spelling in allowed)
    where = " before null" if before_null else ""
    return InvalidRequestError(
        f"Invalid search query: the field '{field}' does not take the '{operator}' "
        f"operator{where}; it takes {takes}.",
        param=QUERY,
    )


def key_not_taken(field: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid search query: the field '{field}' takes no key in brackets; only metadata "
        """does, as in metadata["key"]:"value".""",
        param=QUERY,
    )


def substring_too_short(field: str, value: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid search query: a substring match ({field}~) needs at least 3 characters; "
        f"{value!r} has {len(value)}.",
        param=QUERY,
    )


def not_a_number(field: str, value: str) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid search query: the field '{field}' is numeric, and {shortened(value)!r} is "
        "not a number.",
        param=QUERY,
    )


def mixed_and_or() -> InvalidRequestError:
    return InvalidRequestError(
        "Invalid search query: AND and OR cannot be used in the same query (clauses "
        "separated by spaces alone are joined with AND).",
        param=QUERY,
    )


def too_many_clauses(count: int, maximum: int) -> InvalidRequestError:
    return InvalidRequestError(
        f"Invalid search query: it has {count} clauses; pmsim searches with at most {maximum}.",
        param=QUERY,
    )


def invalid_page(page: str) -> InvalidRequestError:
    """A ``page`` that is not a ``next_page`` this simulator gave for this kind of object."""
    return InvalidRequestError(
        f"Invalid page: {shortened(page)!r} is not a next_page from a search of this "
        "resource. Leave page out for the first page, then pass the next_page of the answer "
        "before.",
        param="page",
    )
