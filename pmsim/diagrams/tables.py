"""The engine's transition tables, each read as a :class:`~pmsim.diagrams.machines.Machine`.

Machines are built on each call, from the table as it is at that moment: change a table and
the next picture follows. For the intents the tables say only *that* an action is refused;
which error the engine answers with is in :data:`SETUP_REFUSALS` and :data:`PAYMENT_REFUSALS`.

>>> build("payment_method").states
('new', 'set_up', 'attached', 'detached', 'consumed')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum
from functools import partial
from types import MappingProxyType
from typing import Any, Final

from pmsim.diagrams.machines import Machine, Outcome, RefusedMove, from_table
from pmsim.domain import bank_account_states as accounts
from pmsim.domain import errors, lifecycle, payment_intents, setup_intents
from pmsim.domain.mandates import MandateStatus
from pmsim.domain.messages import bank_debits, intents, microdeposits, payment_methods

_Seti, _Pi = setup_intents.SetupAction, payment_intents.PaymentAction


def _payment_method_outcome(state: lifecycle.PMState, action: lifecycle.Action) -> Outcome:
    outcome = lifecycle.TRANSITIONS[state, action]
    if isinstance(outcome, lifecycle.Refusal):
        return lifecycle.REFUSAL_ERRORS[outcome](), outcome.value.replace("_", " ")
    return frozenset({outcome})


def payment_method() -> Machine:
    """The PaymentMethod lifecycle, with the "another customer" rule that sits beside it.

    >>> payment_method().refusals[-1].action
    'attach (another customer)'
    """
    # Who owns the card is not a state, so the table cannot hold this rule (lifecycle.py).
    another = RefusedMove.from_error(
        "attach (another customer)",
        ("attached",),
        payment_methods.attached_to_another_customer(),
        "already attached",
    )
    return from_table(
        "payment_method",
        "PaymentMethod lifecycle",
        "pmsim.domain.lifecycle.TRANSITIONS",
        lifecycle.PMState,
        lifecycle.Action,
        _payment_method_outcome,
        extra=[another],
    )


def _awaiting(prefix: str, status: Enum) -> Exception:
    return intents.not_awaiting_authentication(prefix + "…", status.value)


def _not_processing(status: Enum) -> Exception:
    return intents.not_processing("pi_…", status.value)


#: How the engine refuses each SetupIntent action the table forbids (engine/setup_intents.py;
#: authenticate is pmsim's 3-D Secure control, engine/three_d_secure.py).
SETUP_REFUSALS: Final[Mapping[setup_intents.SetupAction, Callable[[Any], Exception]]] = (
    MappingProxyType(
        {
            _Seti.UPDATE_PAYMENT_METHOD: partial(
                intents.unexpected_state, _Seti.UPDATE_PAYMENT_METHOD
            ),
            _Seti.CONFIRM: partial(intents.unexpected_state, _Seti.CONFIRM),
            _Seti.AUTHENTICATE: partial(_awaiting, "seti_"),
            _Seti.CANCEL: partial(intents.unexpected_state, _Seti.CANCEL),
        }
    )
)

#: The same for PaymentIntents (engine/payment_intents.py); an update names the first locked
#: field it meets, shown here for ``payment_method``.
PAYMENT_REFUSALS: Final[Mapping[payment_intents.PaymentAction, Callable[[Any], Exception]]] = (
    MappingProxyType(
        {
            _Pi.UPDATE: partial(intents.pi_unexpected_state, _Pi.UPDATE),
            _Pi.CONFIRM: partial(intents.pi_unexpected_state, _Pi.CONFIRM),
            _Pi.AUTHENTICATE: partial(_awaiting, "pi_"),
            _Pi.CANCEL: partial(intents.pi_unexpected_state, _Pi.CANCEL),
            _Pi.SETTLE: _not_processing,
            _Pi.CAPTURE: partial(intents.pi_unexpected_state, _Pi.CAPTURE),
        }
    )
)

#: Actions nobody calls (Stripe's own, on the clock): where one does not apply there is
#: nothing to refuse, so a picture draws only its moves.
UNREFUSED: Final = frozenset({_Pi.EXPIRE})

#: A short name for the intents' refusals whose error has no code to show (pmsim's own).
UNCODED_REASONS: Final[Mapping[str, str]] = MappingProxyType(
    {"authenticate": "not waiting for 3-D Secure", "settle": "not processing"}
)


def _intent_outcome(
    table: Mapping[tuple[Any, Any], frozenset[Any]],
    refusals: Mapping[Any, Callable[[Any], Exception]],
    status: Enum,
    action: Enum,
) -> Outcome:
    targets = table[status, action]
    if targets or action in UNREFUSED:
        return targets
    return refusals[action](status), UNCODED_REASONS.get(action.value)


def setup_intent() -> Machine:
    """The SetupIntent statuses (:data:`pmsim.domain.setup_intents.TRANSITIONS`).

    >>> setup_intent().refusals[0].message
    'You cannot update this SetupIntent because it is processing.'
    """
    return from_table(
        "setup_intent",
        "SetupIntent statuses",
        "pmsim.domain.setup_intents.TRANSITIONS",
        setup_intents.SetupStatus,
        setup_intents.SetupAction,
        partial(_intent_outcome, setup_intents.TRANSITIONS, SETUP_REFUSALS),
    )


def payment_intent() -> Machine:
    """The PaymentIntent statuses (:data:`pmsim.domain.payment_intents.TRANSITIONS`).

    >>> [t.source for t in payment_intent().transitions if t.target == "canceled"][-2:]
    ['processing', 'requires_capture']
    """
    return from_table(
        "payment_intent",
        "PaymentIntent statuses",
        "pmsim.domain.payment_intents.TRANSITIONS",
        payment_intents.PaymentStatus,
        payment_intents.PaymentAction,
        partial(_intent_outcome, payment_intents.TRANSITIONS, PAYMENT_REFUSALS),
    )


#: How the engine refuses what a US bank account's table forbids, with a short reason each
#: (engine/rules.py for attach, engine/microdeposits.py for reading microdeposits back).
ACCOUNT_REFUSALS: Final[Mapping[accounts.AccountRefusal, Callable[[], Exception]]] = (
    MappingProxyType(
        {
            accounts.AccountRefusal.NOT_VERIFIED: partial(microdeposits.not_verified, "pm_…"),
            accounts.AccountRefusal.NOT_WAITING: partial(
                microdeposits.not_waiting, "SetupIntent", "seti_…", "…"
            ),
            accounts.AccountRefusal.ALREADY_VERIFIED: microdeposits.already_verified,
        }
    )
)


def _account_outcome(state: accounts.AccountState, action: accounts.AccountAction) -> Outcome:
    outcome = accounts.TRANSITIONS[state, action]
    if isinstance(outcome, accounts.AccountRefusal):
        return ACCOUNT_REFUSALS[outcome](), outcome.value.replace("_", " ")
    return outcome


def bank_account() -> Machine:
    """A US bank account's verification by microdeposits
    (:data:`pmsim.domain.bank_account_states.TRANSITIONS`).

    >>> bank_account().outcome("verification_pending", "verify")
    ('verified',)
    >>> bank_account().outcome("unverified", "attach").label
    'invalid_request_error (not verified)'
    """
    return from_table(
        "bank_account",
        "US bank account verification",
        "pmsim.domain.bank_account_states.TRANSITIONS",
        accounts.AccountState,
        accounts.AccountAction,
        _account_outcome,
    )


def _mandate_outcome(status: MandateStatus, action: accounts.MandateAction) -> Outcome:
    outcome = accounts.MANDATE_TRANSITIONS[status, action]
    if isinstance(outcome, accounts.MandateRefusal):
        return bank_debits.mandate_inactive("mandate_…"), "inactive"
    return outcome


def mandate() -> Machine:
    """A mandate's statuses (:data:`pmsim.domain.bank_account_states.MANDATE_TRANSITIONS`).

    >>> mandate().outcome("active", "detach")
    ('inactive',)
    """
    return from_table(
        "mandate",
        "Mandate statuses",
        "pmsim.domain.bank_account_states.MANDATE_TRANSITIONS",
        accounts.MANDATE_STATES,
        accounts.MandateAction,
        _mandate_outcome,
    )


#: Every machine that can be drawn, by the name the CLI and :func:`build` take.
MACHINES: Final[Mapping[str, Callable[[], Machine]]] = MappingProxyType(
    {
        "payment_method": payment_method,
        "setup_intent": setup_intent,
        "payment_intent": payment_intent,
        "bank_account": bank_account,
        "mandate": mandate,
    }
)


def build(name: str) -> Machine:
    """The machine called ``name``, read from its table now.

    >>> build("setup_intent").initial
    'requires_payment_method'
    >>> build("charge")
    Traceback (most recent call last):
    pmsim.domain.errors.PmsimUsageError: No state machine called 'charge'. ...
    """
    try:
        builder = MACHINES[name]
    except KeyError:
        known = ", ".join(MACHINES)
        raise errors.PmsimUsageError(
            f"No state machine called {name!r}. Draw one of: {known}."
        ) from None
    return builder()
