"""Deterministic, Stripe-shaped ids: the same seed gives the same ids, on any machine."""

from __future__ import annotations

from pmsim.domain.digests import Hasher

#: How long the random part of each id is, as in the example ids of Stripe's API docs.
LENGTHS = {
    "cus": 14,
    "req": 14,
    "pm": 24,
    "evt": 24,
    "seti": 24,
    "pi": 24,
    "setatt": 24,
    "ch": 24,
    "clock": 24,
    "we": 24,
}


class IdFactory:
    """Makes ids like Stripe's (``pm_1…`` with 24 characters, ``cus_…`` with 14) from a seed.

    Ids are a hash of the seed and a running count, so they look random but never change
    between runs. The count can be saved and restored, so a failed call uses up no ids.

    >>> ids = IdFactory(seed=7)
    >>> first = ids.new("pm")
    >>> first.startswith("pm_1") and len(first) == 3 + 24
    True
    >>> IdFactory(seed=7).new("pm") == first
    True
    """

    __slots__ = ("_count", "_hashers", "_seed")

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._count = 0
        self._hashers: dict[str, Hasher] = {}

    @property
    def seed(self) -> int:
        return self._seed

    def new(self, prefix: str) -> str:
        """The next id with this prefix."""
        self._count += 1
        hasher = self._hashers.get(prefix)
        if hasher is None:
            hasher = self._hashers[prefix] = Hasher(
                f"{self._seed}:{prefix}:", LENGTHS.get(prefix, 24)
            )
        body = hasher.digest(self._count)
        # Stripe's long ids start with "1" after the prefix (pm_1MqLiJ…); the short ones do not.
        return f"{prefix}_1{body[1:]}" if hasher.length == 24 else f"{prefix}_{body}"

    def checkpoint(self) -> int:
        """The current count, to hand back to :meth:`restore` if a call fails."""
        return self._count

    def restore(self, count: int) -> None:
        """Forget every id made since :meth:`checkpoint` returned ``count``."""
        self._count = count
