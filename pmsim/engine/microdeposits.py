"""US bank accounts verified with microdeposits, by a SetupIntent or a PaymentIntent
(``../shared/reference/stripe-charges-refunds-debits.md`` §4.2).

Confirming a SetupIntent with an unverified account (and ``mandate_data``: ACH mandates are
enforced) sends microdeposits: the intent waits in ``requires_action`` with
``next_action.verify_with_microdeposits``. ``setup_intents.verify_microdeposits`` reads them
back (Stripe's test values: ``SM11AA`` or amounts 32 and 45 verify; ``SM33CC`` / 10 and 11
exceed the attempts; ``SM44DD`` / 40 and 41 time out). Verified, the account is attached to
the intent's customer under a new mandate. Wrong values are refused with the attempts left,
and counted: the tenth wrong code (third wrong amounts) sends the intent back to
``requires_payment_method``, as does the 10-day deadline on the clock (:func:`waiting_due`).
A PaymentIntent confirmed with an unverified account waits the same way
(``payment_intents.verify_microdeposits``); verified, its debit is submitted (``processing``).

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> cus = sim.customers.create(name="Ada")
>>> seti = sim.setup_intents.create(customer=cus.id, payment_method="pm_usBankAccount_success",
...     confirm=True, return_url="https://example.com/return",
...     mandate_data={"customer_acceptance": {"type": "offline"}})
>>> seti.status.value, seti.next_action["type"]
('requires_action', 'verify_with_microdeposits')
>>> seti = sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
>>> seti.status.value, sim.payment_methods.retrieve(seti.payment_method).customer == cus.id
('succeeded', True)
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from attrs import evolve

from pmsim.domain import errors, params
from pmsim.domain.bank_account_states import (
    AccountAction,
    AccountRefusal,
    AccountState,
    account_state,
    moves,
    refusal,
)
from pmsim.domain.delays import MICRODEPOSITS_EXPIRE
from pmsim.domain.events import (
    PAYMENT_INTENT_PAYMENT_FAILED,
    PAYMENT_INTENT_REQUIRES_ACTION,
    SETUP_INTENT_REQUIRES_ACTION,
)
from pmsim.domain.intents import IntentError
from pmsim.domain.mandates import CustomerAcceptance, Given
from pmsim.domain.messages import microdeposits as messages
from pmsim.domain.messages import parameters
from pmsim.domain.models import PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent, PaymentStatus
from pmsim.domain.setup_attempts import AttemptStatus
from pmsim.domain.setup_intents import SetupIntent, SetupStatus
from pmsim.domain.us_bank_accounts import (
    ACCOUNTS_BY_NAME,
    ATTEMPTS,
    MICRODEPOSITS_BY_AMOUNTS,
    MICRODEPOSITS_BY_CODE,
    Microdeposits,
    TestMicrodeposit,
    Verification,
)
from pmsim.engine import bank_debits, hints, rules
from pmsim.engine import intents as shared
from pmsim.engine.kernel import Due
from pmsim.engine.setup_outcomes import attempted, failed, succeed

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation
    from pmsim.store import Store

Intent = SetupIntent | PaymentIntent
Outcome = tuple[Intent, errors.StripeError | None]
#: What an unhappy test value records on the intent: Stripe's code and message.
_ENDINGS = {
    Verification.ATTEMPTS_EXCEEDED: (messages.EXCEEDED_CODE, messages.EXCEEDED),
    Verification.TIMEOUT: (messages.TIMEOUT_CODE, messages.TIMEOUT),
}


def set_up(
    op: Operation, intent: SetupIntent, pm: PaymentMethod, acceptance: CustomerAcceptance | None
) -> tuple[SetupIntent, errors.StripeError | None]:
    """Confirm a SetupIntent with a US bank account: a verified one is saved at once; an
    unverified one gets microdeposits and waits; an account whose microdeposits cannot be
    sent fails (recorded on the intent, as Stripe's asynchronous failure is)."""
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    if acceptance is None:
        error = parameters.missing_param("mandate_data")
        raise hints.explain(error, "mandate.setup", pm=hints.named(op.store, pm))
    attempt = op.new_id("setatt")
    if _saved_at_once(pm):
        mandate = bank_debits.new_mandate(op, pm, acceptance)
        return succeed(op, evolve(intent, mandate=mandate.id), pm, attempt), None
    if ACCOUNTS_BY_NAME[pm.test_row].microdeposits_fail:
        unsent = IntentError("invalid_request_error", messages.FAILED, messages.FAILED_CODE,
                             payment_method=pm)  # fmt: skip
        return failed(op, intent, unsent, attempt), None
    sent = Microdeposits(op.now, op.now + MICRODEPOSITS_EXPIRE.seconds, acceptance)
    attempted(op, intent, pm, attempt, AttemptStatus.REQUIRES_ACTION)
    waiting = shared.moved(
        op, intent, SETUP_INTENT_REQUIRES_ACTION, status=SetupStatus.REQUIRES_ACTION,
        payment_method=pm.id, last_setup_error=None, latest_attempt=attempt,
        microdeposits=sent,
    )  # fmt: skip
    return waiting, None


def pay(
    op: Operation,
    intent: PaymentIntent,
    pm: PaymentMethod,
    off_session: bool,
    given: Given,
) -> tuple[PaymentIntent, errors.StripeError | None]:
    """Confirm a PaymentIntent with a US bank account: a verified one is debited at once
    (``engine/bank_debits.py``); an unverified one needs ``mandate_data`` and gets
    microdeposits first, as a SetupIntent's does."""
    if _saved_at_once(pm):
        return bank_debits.pay(op, intent, pm, off_session, given)
    rules.check_intent_card(op.store, pm, intent.customer, "PaymentIntent")
    # An unverified account has no mandate yet (one is made once verified): only new data.
    if not isinstance(given, CustomerAcceptance):
        error = parameters.missing_param("mandate_data")
        raise hints.explain(error, "mandate.missing", pm=hints.named(op.store, pm))
    if ACCOUNTS_BY_NAME[pm.test_row].microdeposits_fail:
        unsent = IntentError("invalid_request_error", messages.FAILED, messages.FAILED_CODE,
                             payment_method=pm)  # fmt: skip
        return _payment_failed(op, intent, unsent), None
    sent = Microdeposits(op.now, op.now + MICRODEPOSITS_EXPIRE.seconds, given)
    waiting = shared.moved(
        op, intent, PAYMENT_INTENT_REQUIRES_ACTION, status=PaymentStatus.REQUIRES_ACTION,
        payment_method=pm.id, last_payment_error=None, microdeposits=sent,
    )  # fmt: skip
    return waiting, None


def _saved_at_once(pm: PaymentMethod) -> bool:
    """Whether confirming with ``pm`` leaves it verified (saved or debited at once) rather
    than sending microdeposits (``domain/bank_account_states.py``)."""
    account = pm.us_bank_account
    state = account_state(account is not None and account.verified, waiting=False)
    return AccountState.VERIFIED in moves(state, AccountAction.CONFIRM)


def verify(kernel: Kernel, table: str, intent: str, amounts: object, code: object) -> Intent:
    """Read back the microdeposits of an intent of ``table`` (``setup_intents`` or
    ``payment_intents``); a wrong value is kept (counted) and then raised."""
    with kernel.operation() as op:
        current: Intent = rules.find_intent(getattr(op.store, table), intent, table[:-1])
        waiting = current.microdeposits if current.status.value == "requires_action" else None
        if waiting is None:
            raise _not_waiting(op.store, current)
        deposit, sent_kind = _read(amounts, code)
        answered, error = _answered(op, current, waiting, deposit, sent_kind)
    if error is not None:  # raised once the operation has kept what it counted
        raise error
    return answered


class SetupVerifications:
    """``sim.setup_intents.verify_microdeposits`` (a mixin of the SetupIntents namespace)."""

    _kernel: Kernel

    def verify_microdeposits(
        self, intent: str, *, amounts: list[int] | None = None, descriptor_code: str | None = None
    ) -> SetupIntent:
        """Read back a US bank account's microdeposits: ``descriptor_code`` (``SM11AA``) or
        the two ``amounts`` in cents (32 and 45), not both. Verified, the account is saved;
        a wrong value is refused with the attempts left (and counted)."""
        verified = verify(self._kernel, "setup_intents", intent, amounts, descriptor_code)
        if not isinstance(verified, SetupIntent):  # never: read from the SetupIntents table
            raise TypeError(f"{intent} is not a SetupIntent")
        return verified


class PaymentVerifications:
    """``sim.payment_intents.verify_microdeposits`` (a mixin of the PaymentIntents namespace)."""

    _kernel: Kernel

    def verify_microdeposits(
        self, intent: str, *, amounts: list[int] | None = None, descriptor_code: str | None = None
    ) -> PaymentIntent:
        """Read back a US bank account's microdeposits: ``descriptor_code`` (``SM11AA``) or
        the two ``amounts`` in cents (32 and 45), not both. Verified, the debit goes to the
        bank (``processing``); a wrong value is refused with the attempts left (counted)."""
        verified = verify(self._kernel, "payment_intents", intent, amounts, descriptor_code)
        if not isinstance(verified, PaymentIntent):  # never: read from the PaymentIntents table
            raise TypeError(f"{intent} is not a PaymentIntent")
        return verified


def _not_waiting(store: Store, intent: Intent) -> errors.StripeError:
    """Why an intent with no microdeposits out refuses them: its account is verified already
    (Stripe's error), or it never sent any (``domain/bank_account_states.py``)."""
    pm = store.payment_methods.get(intent.payment_method or "")
    account = None if pm is None else pm.us_bank_account
    state = account_state(account is not None and account.verified, waiting=False)
    if refusal(state, AccountAction.VERIFY) is AccountRefusal.ALREADY_VERIFIED:
        error = messages.already_verified()
        return hints.explain(error, "microdeposits.already_verified", intent=intent.id)
    label = "SetupIntent" if isinstance(intent, SetupIntent) else "PaymentIntent"
    error = messages.not_waiting(label, intent.id, intent.status.value)
    return hints.explain(error, "microdeposits.not_waiting", intent=intent.id, kind=label)


def _read(amounts: object, code: object) -> tuple[TestMicrodeposit | None, str]:
    """The test microdeposit the values name (None: wrong values), and which kind they are."""
    if (amounts is None) == (code is None):
        raise messages.amounts_or_code()
    if code is not None:
        return MICRODEPOSITS_BY_CODE.get(params.string(code, "descriptor_code")), "descriptor_code"
    if not isinstance(amounts, list | tuple) or len(amounts) != 2:
        raise messages.amounts_invalid()
    pair = (params.integer(amounts[0], "amounts[0]"), params.integer(amounts[1], "amounts[1]"))
    return MICRODEPOSITS_BY_AMOUNTS.get(pair), "amounts"


def _answered(
    op: Operation,
    intent: Intent,
    waiting: Microdeposits,
    deposit: TestMicrodeposit | None,
    kind: str,
) -> Outcome:
    """What the values do: verify, end the verification, or count one more wrong answer
    (kept, then refused: like a decline, the intent remembers it)."""
    if deposit is None:
        failures = waiting.failures + 1
        left = ATTEMPTS[kind] - failures
        if left <= 0:
            return _ended(op, intent, Verification.ATTEMPTS_EXCEEDED), messages.attempts_exceeded()
        counted = evolve(intent, microdeposits=evolve(waiting, failures=failures))
        op.put(counted)
        mismatch = (
            messages.amounts_mismatch if kind == "amounts" else messages.descriptor_code_mismatch
        )
        return counted, mismatch(left)
    if deposit.outcome is not Verification.VERIFIED:
        return _ended(op, intent, deposit.outcome), None
    pm = op.store.payment_methods[str(intent.payment_method)]
    account = pm.us_bank_account
    if account is None:  # only bank accounts get microdeposits
        raise TypeError(f"{pm.id} is not a US bank account")
    verified = evolve(pm, us_bank_account=evolve(account, verified=True))
    op.put(verified)
    if isinstance(intent, PaymentIntent):  # verified: the debit goes to the bank now
        return bank_debits.pay(
            op, evolve(intent, microdeposits=None), verified, False, waiting.acceptance
        )
    mandate = bank_debits.new_mandate(op, verified, waiting.acceptance)
    done = evolve(intent, mandate=mandate.id, microdeposits=None)
    return succeed(op, done, verified, intent.latest_attempt or op.new_id("setatt")), None


def _ended(op: Operation, intent: Intent, how: Verification) -> Intent:
    """Back to ``requires_payment_method`` with Stripe's error for how verification ended."""
    code, message = _ENDINGS[how]
    pm = op.store.payment_methods[str(intent.payment_method)]
    error = IntentError("invalid_request_error", message, code, payment_method=pm)
    if isinstance(intent, PaymentIntent):
        return _payment_failed(op, evolve(intent, microdeposits=None), error)
    attempt = intent.latest_attempt or op.new_id("setatt")
    return failed(op, evolve(intent, microdeposits=None), error, attempt)


def _payment_failed(op: Operation, intent: PaymentIntent, error: IntentError) -> PaymentIntent:
    return shared.moved(
        op, intent, PAYMENT_INTENT_PAYMENT_FAILED, status=PaymentStatus.REQUIRES_PAYMENT_METHOD,
        payment_method=None, last_payment_error=error,
    )  # fmt: skip


def waiting_due(store: Store, now: int) -> Iterator[Due]:
    """The intents whose microdeposits were not verified in time (a timer)."""
    intents: list[Intent] = [*store.setup_intents.values(), *store.payment_intents.values()]
    for intent in intents:
        waiting = intent.microdeposits
        if waiting is not None and waiting.expires_at <= now:
            yield Due(waiting.expires_at, partial(_expire, intent_id=intent.id))


def _expire(op: Operation, intent_id: str) -> None:
    table = op.store.setup_intents if intent_id.startswith("seti_") else op.store.payment_intents
    _ended(op, table[intent_id], Verification.TIMEOUT)
