"""Stable base62 digests: the raw material of ids, fingerprints and invoice prefixes."""

from __future__ import annotations

from hashlib import blake2b

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Maps each byte to a base62 character in one C-level call (bytes.translate); the slight bias
# towards the first eight characters is harmless here.
_BASE62 = bytes(ord(ALPHABET[b % 62]) for b in range(256))


class Hasher:
    """``base62_digest(prefix + count)`` for many counts, reusing the hashed prefix.

    Ids are made on every call, so this saves re-hashing the same prefix each time.

    >>> Hasher("7:pm:", 24).digest(1) == Hasher("7:pm:", 24).digest(1)
    True
    """

    __slots__ = ("_base", "length")

    def __init__(self, prefix: str, length: int) -> None:
        self.length = length
        self._base = blake2b(prefix.encode(), digest_size=length)

    def digest(self, count: int) -> str:
        hasher = self._base.copy()
        hasher.update(count.to_bytes(8, "little"))
        return hasher.digest().translate(_BASE62).decode("ascii")


def base62_digest(text: str, length: int) -> str:
    """A base62 string of ``length`` characters derived from ``text``, the same on every machine.

    >>> base62_digest("4242424242424242", 16) == base62_digest("4242424242424242", 16)
    True
    >>> len(base62_digest("x", 24))
    24
    """
    digest = blake2b(text.encode(), digest_size=length).digest()
    return digest.translate(_BASE62).decode("ascii")
