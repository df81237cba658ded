"""One page of a search: the records of one type that match a parsed query, newest first,
from the ``page`` cursor on.

Search has no index (a query can ask anything of any searchable field), so each page reads
every record of its type once and counts ``total_count`` on the same pass: a page costs time
in proportion to the objects of that type, where a list page does not.

``next_page`` is the id of the page's last object, in unpadded base64url: opaque to clients,
the same in every run, and stable while objects are created, since the next page starts
after that object in creation order (an offset would shift). A ``page`` is accepted only if
it decodes, as written, to an id of the searched type.

>>> encode_page("cus_123")
'Y3VzXzEyMw'
>>> decode_page("Y3VzXzEyMw"), decode_page("Y3VzXzEyMw=="), decode_page("not a cursor")
('cus_123', None, None)
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Mapping, Sequence
from typing import Final, TypeVar

from pmsim.domain import params
from pmsim.domain.messages import search as messages
from pmsim.domain.models import StripeObject
from pmsim.domain.pages import SearchResult
from pmsim.domain.search import Query
from pmsim.engine.listing import check_page

S = TypeVar("S", bound=StripeObject)

BASE64URL: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def search_page(
    records: Mapping[str, S],
    ids: Sequence[str],
    position_of: Callable[[str], int | None],
    query: Query,
    *,
    url: str,
    limit: object,
    page: object,
    keep: Callable[[S], bool] | None = None,
) -> SearchResult[S]:
    """The page of ``records`` (``ids`` oldest first) matching ``query`` that ``page`` asks
    for; ``keep`` leaves records out of the search altogether (deleted customers)."""
    size = check_page(limit, None, None)
    before = len(ids) if page is None else _cursor(page, position_of)
    found: list[S] = []
    total = 0
    for index in range(len(ids) - 1, -1, -1):
        record = records[ids[index]]
        if (keep is None or keep(record)) and query.matches(record):
            total += 1
            if index < before and len(found) <= size:
                found.append(record)
    shown, has_more = tuple(found[:size]), len(found) > size
    next_page = encode_page(shown[-1].id) if has_more else None
    return SearchResult(shown, has_more, next_page, url, total)


def encode_page(last_id: str) -> str:
    """The cursor for the page after the object ``last_id``."""
    return base64.urlsafe_b64encode(last_id.encode()).decode("ascii").rstrip("=")


def decode_page(page: str) -> str | None:
    """The id a cursor names, or None if ``page`` is not a cursor ``encode_page`` writes."""
    if not BASE64URL.issuperset(page):
        return None
    try:
        decoded = base64.urlsafe_b64decode(page + "=" * (-len(page) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if encode_page(decoded) == page else None


def _cursor(page: object, position_of: Callable[[str], int | None]) -> int:
    text = params.string(page, "page")
    last_id = decode_page(text)
    position = None if last_id is None else position_of(last_id)
    if position is None:
        raise messages.invalid_page(text)
    return position
