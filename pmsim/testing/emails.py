"""Email addresses for ``populate``'s customers, made from their names.

A name is folded to ASCII letters and digits. A name written in a script with no ASCII form
(Japanese, Chinese, Cyrillic, ...) folds to nothing, so its holder gets ``customer`` instead of
an address such as ``.@gmail.com``. An address is numbered from its second use, so no two
customers share one.

>>> import random
>>> emails = Emails(random.Random(1), domains=("example.com",))
>>> emails.make("Zoë", "O'Brien"), emails.make("大翔", "佐藤"), emails.make("Юлия", "Иванова")
('zoeobrien@example.com', 'customer@example.com', 'customer2@example.com')
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from typing import Final

#: The shapes of people's email addresses, filled with ASCII-folded names.
EMAIL_FORMATS: Final = (
    "{first}.{last}", "{first}{last}", "{initial}{last}", "{first}_{last}", "{last}.{first}",
)  # fmt: skip
#: The local part for a name with no ASCII form.
FALLBACK: Final = "customer"
_NOT_IN_EMAIL = re.compile(r"[^a-z0-9]")


class Emails:
    """Makes addresses with the seeded ``rng``, at ``domains``, and remembers those taken."""

    def __init__(self, rng: random.Random, domains: tuple[str, ...]) -> None:
        self.rng, self.domains = rng, domains
        self.taken: Counter[str] = Counter()

    def make(self, first: str, last: str) -> str:
        """A realistic address from the name; a number is added when it is already taken."""
        first, last = ascii_word(first), ascii_word(last)
        # The shape is drawn even when unused, so the draws that follow do not depend on the
        # script the names are written in.
        shape = self.rng.choice(EMAIL_FORMATS)
        local = shape.format(first=first, last=last, initial=first[:1])
        address = f"{local if first and last else FALLBACK}@{self.rng.choice(self.domains)}"
        self.taken[address] += 1
        seen = self.taken[address]
        return address if seen == 1 else address.replace("@", f"{seen}@")


def ascii_word(text: str) -> str:
    """``text`` as lower-case ASCII letters and digits, for an email address.

    >>> ascii_word("Zoë O'Brien"), ascii_word("佐藤")
    ('zoeobrien', '')
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_IN_EMAIL.sub("", folded.lower())
