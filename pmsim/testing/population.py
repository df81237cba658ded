"""What ``populate`` gives back: the population it made and its outcomes counted by reason.

>>> Tally({"attached": 2, "expired_card": 1}).total()
3
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType

from attrs import frozen

from pmsim.domain.errors import StripeError


class Tally(Mapping[str, int]):
    """Outcomes counted by reason: read-only, and like a ``Counter``, 0 for a missing reason.

    >>> tally = Tally({"attached": 3, "card_declined/lost_card": 1})
    >>> tally["attached"], tally["expired_card"], "expired_card" in tally, tally.total()
    (3, 0, False, 4)
    """

    __slots__ = ("_counts",)

    def __init__(self, counts: Mapping[str, int]) -> None:
        # Most frequent first, then by name: the same counts always read the same.
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        self._counts: Mapping[str, int] = MappingProxyType(dict(ordered))

    def __getitem__(self, reason: str) -> int:
        return self._counts.get(reason, 0)

    def __contains__(self, reason: object) -> bool:
        return reason in self._counts

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def __hash__(self) -> int:
        return hash(frozenset(self._counts.items()))

    def __repr__(self) -> str:
        return f"Tally({dict(self._counts)!r})"

    def total(self) -> int:
        """The sum of the counts."""
        return sum(self._counts.values())


@frozen(repr=False)
class Population:
    """What ``populate`` made, in creation order, and every attach outcome by reason.

    ``payment_method_ids`` are the cards that were attached; ``declined_ids`` were created but
    refused at attach, and stay unattached, as they would on Stripe after a card form.

    >>> Population(0, ("cus_1",), ("pm_1",), (), 1, Tally({"attached": 1}))
    <Population seed=0: 1 customers, 1 payment methods attached, 0 declined, 1 defaults; \
outcomes Tally({'attached': 1})>
    """

    seed: int
    customer_ids: tuple[str, ...]
    payment_method_ids: tuple[str, ...]
    declined_ids: tuple[str, ...]
    defaults: int  # customers left with a default payment method
    outcomes: Tally

    def __repr__(self) -> str:
        return (
            f"<Population seed={self.seed}: {len(self.customer_ids)} customers, "
            f"{len(self.payment_method_ids)} payment methods attached, "
            f"{len(self.declined_ids)} declined, {self.defaults} defaults; "
            f"outcomes {self.outcomes!r}>"
        )


def failure_reason(err: StripeError) -> str:
    """How a refusal is counted: Stripe's code, with the decline code when it says more.

    Stripe's lifecycle refusals carry no code, so for those the message is the reason.

    >>> import pmsim
    >>> failure_reason(pmsim.CardError("Your card has insufficient funds.",
    ...                code="card_declined", decline_code="insufficient_funds"))
    'card_declined/insufficient_funds'
    """
    if err.code is None:
        return err.message
    if err.decline_code in (None, err.code):
        return err.code
    return f"{err.code}/{err.decline_code}"
