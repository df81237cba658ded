"""Simulated time as people read it: Stripe's Unix seconds as ISO 8601 text.

>>> iso(1_704_067_200)
'2024-01-01T00:00:00Z'
>>> date(1_704_067_200 + 86_399)
'2024-01-01'
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso(timestamp: int) -> str:
    """Unix seconds as ISO 8601 UTC text ending in ``Z``, the one spelling pmsim prints."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def date(timestamp: int) -> str:
    """The UTC day of Unix seconds, ``YYYY-MM-DD``: Stripe's spelling of a date string (a bank
    debit's ``expected_debit_date``)."""
    return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%Y-%m-%d")
