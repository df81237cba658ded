"""A US bank account's verification, and a mandate's life, as tables: state × action → next
states, or the refusal (``../shared/reference/stripe-charges-refunds-debits.md`` §4.1-4.2).

A card is saved as soon as its bank agrees. A US bank account typed in by hand is saved only
once its owner proves it is theirs: a SetupIntent or PaymentIntent confirmed with it (and
``mandate_data``) sends two microdeposits, and the account is ``verification_pending`` until
``verify_microdeposits`` reads them back. Once ``verified`` it is saved, or debited, under a
mandate; detaching it ends its mandates (``inactive``), and no debit is made under one then.

The engine asks these tables (``engine/microdeposits.py``, ``engine/rules.py``,
``engine/mandates.py``), and ``pmsim diagram bank_account`` / ``mandate`` draw them, so the
pictures cannot drift from the code. The tables say *that* an action is refused; the engine
words the error, which names the payment method or intent.

>>> TRANSITIONS[AccountState.UNVERIFIED, AccountAction.CONFIRM]
frozenset({<AccountState.VERIFICATION_PENDING: 'verification_pending'>})
>>> TRANSITIONS[AccountState.VERIFICATION_PENDING, AccountAction.ATTACH]
<AccountRefusal.NOT_VERIFIED: 'not_verified'>
>>> MANDATE_TRANSITIONS[MandateStatus.INACTIVE, MandateAction.DEBIT]
<MandateRefusal.INACTIVE: 'inactive'>
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Final

from pmsim.domain.mandates import MandateStatus


class AccountState(StrEnum):
    """Where a US bank account is in proving it is its owner's. Seen from one intent while it
    waits: ``verification_pending`` is that intent's microdeposits, sent and not yet read."""

    UNVERIFIED = "unverified"  # typed in by hand: no microdeposits read back yet
    VERIFICATION_PENDING = "verification_pending"  # microdeposits sent, the intent waits
    VERIFIED = "verified"  # proved: attachable, saved or debited under a mandate


class AccountAction(Enum):
    """What is done to a US bank account while it is verified."""

    __hash__ = object.__hash__

    CONFIRM = "confirm"  # a SetupIntent or PaymentIntent confirmed with it and mandate_data
    VERIFY = "verify"  # verify_microdeposits with the right values (SM11AA, or 32 and 45)
    WRONG_VALUES = "wrong values"  # counted; the last attempt allowed ends the verification
    END = "end"  # attempts exceeded (SM33CC), or timed out (SM44DD, the 10-day deadline)
    ATTACH = "attach"  # payment_methods.attach, or any save without microdeposits


class AccountRefusal(Enum):
    """Why an action is refused in a state (the engine words each error)."""

    NOT_VERIFIED = "not_verified"  # an unverified account is never attached
    NOT_WAITING = "not_waiting"  # no microdeposits were sent to read back
    ALREADY_VERIFIED = "already_verified"  # Stripe's payment_method_bank_account_already_verified


_S, _A, _R = AccountState, AccountAction, AccountRefusal
_NONE: Final[frozenset[AccountState]] = frozenset()

Outcome = frozenset[AccountState] | AccountRefusal
_TABLE: Final[dict[tuple[AccountState, AccountAction], Outcome]] = {
    (_S.UNVERIFIED, _A.CONFIRM): frozenset({_S.VERIFICATION_PENDING}),  # microdeposits sent
    (_S.UNVERIFIED, _A.VERIFY): _R.NOT_WAITING,
    (_S.UNVERIFIED, _A.WRONG_VALUES): _R.NOT_WAITING,
    (_S.UNVERIFIED, _A.END): _NONE,  # nothing is waiting, so nothing ends
    (_S.UNVERIFIED, _A.ATTACH): _R.NOT_VERIFIED,
    # Confirming again starts over: new microdeposits, the old ones forgotten.
    (_S.VERIFICATION_PENDING, _A.CONFIRM): frozenset({_S.VERIFICATION_PENDING}),
    (_S.VERIFICATION_PENDING, _A.VERIFY): frozenset({_S.VERIFIED}),
    (_S.VERIFICATION_PENDING, _A.WRONG_VALUES): frozenset({_S.VERIFICATION_PENDING, _S.UNVERIFIED}),
    (_S.VERIFICATION_PENDING, _A.END): frozenset({_S.UNVERIFIED}),  # the intent needs another
    (_S.VERIFICATION_PENDING, _A.ATTACH): _R.NOT_VERIFIED,
    (_S.VERIFIED, _A.CONFIRM): frozenset({_S.VERIFIED}),  # saved or debited under a mandate
    (_S.VERIFIED, _A.VERIFY): _R.ALREADY_VERIFIED,
    (_S.VERIFIED, _A.WRONG_VALUES): _R.ALREADY_VERIFIED,
    (_S.VERIFIED, _A.END): _NONE,
    (_S.VERIFIED, _A.ATTACH): frozenset({_S.VERIFIED}),  # then the PaymentMethod lifecycle's rules
}  # fmt: skip

#: The whole verification. Every (state, action) pair has an entry; a test keeps it that way.
TRANSITIONS: Final[Mapping[tuple[AccountState, AccountAction], Outcome]] = MappingProxyType(_TABLE)


def refusal(state: AccountState, action: AccountAction) -> AccountRefusal | None:
    """Why ``action`` is refused in ``state`` (None: it is allowed).

    >>> refusal(AccountState.VERIFIED, AccountAction.VERIFY)
    <AccountRefusal.ALREADY_VERIFIED: 'already_verified'>
    >>> refusal(AccountState.VERIFIED, AccountAction.ATTACH) is None
    True
    """
    outcome = _TABLE[state, action]
    return outcome if isinstance(outcome, AccountRefusal) else None


def moves(state: AccountState, action: AccountAction) -> frozenset[AccountState]:
    """The states ``action`` can lead to from ``state`` (none when it is refused).

    >>> sorted(moves(AccountState.VERIFICATION_PENDING, AccountAction.WRONG_VALUES))
    [<AccountState.UNVERIFIED: 'unverified'>, <AccountState.VERIFICATION_PENDING: ...>]
    """
    outcome = _TABLE[state, action]
    return _NONE if isinstance(outcome, AccountRefusal) else outcome


def account_state(verified: bool, waiting: bool) -> AccountState:
    """The state seen from an intent: ``waiting`` for its microdeposits, else the account's.

    >>> account_state(verified=False, waiting=True).value
    'verification_pending'
    """
    if waiting:
        return AccountState.VERIFICATION_PENDING
    return AccountState.VERIFIED if verified else AccountState.UNVERIFIED


class MandateAction(Enum):
    """What happens to a mandate."""

    __hash__ = object.__hash__

    DEBIT = "debit"  # a payment made under it (its own, or named by `mandate`)
    DETACH = "detach"  # its payment method detached: "cancel active mandates by detaching"


class MandateRefusal(Enum):
    INACTIVE = "inactive"  # an ended mandate serves no new payment


_M = MandateStatus
#: The statuses a pmsim mandate has: Stripe makes one active at once in test mode, so
#: ``pending`` is never shown.
MANDATE_STATES: Final = (_M.ACTIVE, _M.INACTIVE)
MANDATE_TRANSITIONS: Final[
    Mapping[tuple[MandateStatus, MandateAction], frozenset[MandateStatus] | MandateRefusal]
] = MappingProxyType(
    {
        (_M.ACTIVE, MandateAction.DEBIT): frozenset({_M.ACTIVE}),
        (_M.ACTIVE, MandateAction.DETACH): frozenset({_M.INACTIVE}),
        (_M.INACTIVE, MandateAction.DEBIT): MandateRefusal.INACTIVE,
        (_M.INACTIVE, MandateAction.DETACH): frozenset({_M.INACTIVE}),
    }
)


def mandate_after(status: MandateStatus, action: MandateAction) -> MandateStatus | None:
    """A mandate's status after ``action`` (None: refused, as an inactive one's debit is).

    >>> mandate_after(MandateStatus.ACTIVE, MandateAction.DETACH).value
    'inactive'
    """
    outcome = MANDATE_TRANSITIONS[status, action]
    return None if isinstance(outcome, MandateRefusal) else next(iter(outcome))
