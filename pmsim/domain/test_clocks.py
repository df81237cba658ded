"""Stripe's test clocks (``/v1/test_helpers/test_clocks``) as a record.

pmsim has one clock per simulator; a test clock is a named view on it (see
``engine/test_clocks.py`` and docs/fidelity.md "Test clocks").

>>> TestClock("clock_1", 0, 100, "Renewal").to_dict()["status"]
'ready'
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

#: Stripe deletes a test clock 30 days after it is created.
LIFETIME = 30 * 24 * 60 * 60


@frozen
class TestClock:
    """A test clock: its frozen time moves only when it is advanced."""

    __test__ = False  # not a pytest test class

    id: str
    created: int
    frozen_time: int
    name: str | None = None
    deleted: bool = False

    def to_dict(self) -> dict[str, Any]:
        if self.deleted:
            return {"id": self.id, "object": "test_helpers.test_clock", "deleted": True}
        return {
            "id": self.id,
            "object": "test_helpers.test_clock",
            "created": self.created,
            "deletes_after": self.created + LIFETIME,
            "frozen_time": self.frozen_time,
            "livemode": False,
            "name": self.name,
            "status": "ready",
        }
