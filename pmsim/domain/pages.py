"""Stripe's pages of objects: a list (``object: list``) and a search result.

>>> ListObject(data=(), has_more=False, url="/v1/customers").to_dict()["object"]
'list'
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from attrs import frozen

from pmsim.domain.models import StripeObject

T = TypeVar("T", bound=StripeObject)


@frozen
class ListObject(Generic[T]):
    """Stripe's list shape: newest first, ``has_more`` when another page exists.

    >>> sim = __import__("pmsim").Simulator()
    >>> page = sim.customers.list(limit=3)
    >>> page.to_dict()
    {'object': 'list', 'data': [], 'has_more': False, 'url': '/v1/customers'}
    """

    data: tuple[T, ...]
    has_more: bool
    url: str

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def to_dict(self) -> dict[str, Any]:
        return {
            "object": "list",
            "data": [item.to_dict() for item in self.data],
            "has_more": self.has_more,
            "url": self.url,
        }


@frozen
class SearchResult(Generic[T]):
    """Stripe's ``search_result``: a page of matches, newest first, and ``next_page``, the
    cursor to pass as ``page`` for the page after (None on the last).

    ``total_count`` counts every match. Stripe sends it only when asked
    (``expand[]=total_count``), so ``to_dict()`` leaves it out unless ``total_count=True``.

    >>> sim = __import__("pmsim").Simulator()
    >>> found = sim.customers.search(query='email:"ada@example.com"')
    >>> found.to_dict(total_count=True)  # doctest: +NORMALIZE_WHITESPACE
    {'object': 'search_result', 'data': [], 'has_more': False, 'next_page': None,
     'total_count': 0, 'url': '/v1/customers/search'}
    """

    data: tuple[T, ...]
    has_more: bool
    next_page: str | None
    url: str
    total_count: int

    def __iter__(self) -> Iterator[T]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    def to_dict(self, *, total_count: bool = False) -> dict[str, Any]:
        rendered: dict[str, Any] = {
            "object": "search_result",
            "data": [item.to_dict() for item in self.data],
            "has_more": self.has_more,
            "next_page": self.next_page,
        }
        if total_count:
            rendered["total_count"] = self.total_count
        rendered["url"] = self.url
        return rendered
