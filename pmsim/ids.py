"""Deterministic, Stripe-shaped ids: the same seed gives the same ids, on any machine."""

from __future__ import annotations

from pmsim.domain.digests import Hasher, base62_digest

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
    "py": 24,  # a bank debit's charge (Stripe's SEPA charges are py_…)
    "mandate": 24,
    "re": 24,
    "clock": 24,
    "we": 24,
}
#: Stripe's account ids: ``acct_`` and 16 characters, the first "1" (``acct_1032D82eZvKYlo2C``).
ACCOUNT_ID_LENGTH = 16


def account_id(seed: int) -> str:
    """The simulator's own account id, from the seed alone: making it uses up no id, so the
    ids of everything else are what they would be without it.

    >>> account_id(7) == account_id(7) != account_id(8)
    True
    >>> len(account_id(7)), account_id(7)[:6]
    (21, 'acct_1')
    """
    return "acct_1" + base62_digest(f"{seed}:acct", ACCOUNT_ID_LENGTH - 1)


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
