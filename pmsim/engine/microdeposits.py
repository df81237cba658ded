"""US bank accounts saved by a SetupIntent, verified with microdeposits
(``../shared/reference/stripe-charges-refunds-debits.md`` §4.2).

Confirming a SetupIntent with an unverified account (and ``mandate_data``: ACH mandates are
enforced) sends microdeposits: the intent waits in ``requires_action`` with
``next_action.verify_with_microdeposits``. ``setup_intents.verify_microdeposits`` reads them
back (Stripe's test values: ``SM11AA`` or amounts 32 and 45 verify; ``SM33CC`` / 10 and 11
exceed the attempts; ``SM44DD`` / 40 and 41 time out). Verified, the account is attached to
the intent's customer under a new mandate. Wrong values are refused with the attempts left,
and counted: the tenth wrong code (third wrong amounts) sends the intent back to
``requires_payment_method``, as does the 10-day deadline on the clock (:func:`waiting_due`).

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
from pmsim.domain.delays import MICRODEPOSITS_EXPIRE
from pmsim.domain.events import SETUP_INTENT_REQUIRES_ACTION
from pmsim.domain.intents import IntentError
from pmsim.domain.mandates import CustomerAcceptance
from pmsim.domain.messages import microdeposits as messages
from pmsim.domain.messages import parameters
from pmsim.domain.models import PaymentMethod
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
from pmsim.engine.setup_outcomes import failed, succeed

if TYPE_CHECKING:
    from pmsim.engine.kernel import Kernel, Operation
    from pmsim.store import Store

Outcome = tuple[SetupIntent, errors.StripeError | None]
#: What an unhappy test value records on the intent: Stripe's code and message.
_ENDINGS = {
    Verification.ATTEMPTS_EXCEEDED: (messages.EXCEEDED_CODE, messages.EXCEEDED),
    Verification.TIMEOUT: (messages.TIMEOUT_CODE, messages.TIMEOUT),
}


def set_up(
    op: Operation, intent: SetupIntent, pm: PaymentMethod, acceptance: CustomerAcceptance | None
) -> Outcome:
    """Confirm a SetupIntent with a US bank account: a verified one is saved at once; an
    unverified one gets microdeposits and waits; an account whose microdeposits cannot be
    sent fails (recorded on the intent, as Stripe's asynchronous failure is)."""
    rules.check_intent_card(op.store, pm, intent.customer, "SetupIntent")
    if acceptance is None:
        error = parameters.missing_param("mandate_data")
        raise hints.explain(error, "mandate.setup", pm=hints.named(op.store, pm))
    attempt = op.new_id("setatt")
    account = pm.us_bank_account
    if account is not None and account.verified:
        mandate = bank_debits.new_mandate(op, pm, acceptance)
        return succeed(op, evolve(intent, mandate=mandate.id), pm, attempt), None
    if ACCOUNTS_BY_NAME[pm.test_row].microdeposits_fail:
        unsent = IntentError("invalid_request_error", messages.FAILED, messages.FAILED_CODE,
                             payment_method=pm)  # fmt: skip
        return failed(op, intent, unsent, attempt), None
    sent = Microdeposits(op.now, op.now + MICRODEPOSITS_EXPIRE.seconds, acceptance)
    waiting = shared.moved(
        op, intent, SETUP_INTENT_REQUIRES_ACTION, status=SetupStatus.REQUIRES_ACTION,
        payment_method=pm.id, last_setup_error=None, latest_attempt=attempt,
        microdeposits=sent,
    )  # fmt: skip
    return waiting, None


class Verifications:
    """``sim.setup_intents.verify_microdeposits`` (a mixin of the SetupIntents namespace)."""

    _kernel: Kernel

    def verify_microdeposits(
        self,
        intent: str,
        *,
        amounts: list[int] | None = None,
        descriptor_code: str | None = None,
    ) -> SetupIntent:
        """Read back a US bank account's microdeposits: ``descriptor_code`` (``SM11AA``) or
        the two ``amounts`` in cents (32 and 45), not both. Verified, the account is saved;
        a wrong value is refused with the attempts left (and counted)."""
        with self._kernel.operation() as op:
            current = rules.find_intent(op.store.setup_intents, intent, "setup_intent")
            waiting = current.microdeposits
            if current.status is not SetupStatus.REQUIRES_ACTION or waiting is None:
                raise _not_waiting(op.store, current)
            deposit, kind = _read(amounts, descriptor_code)
            outcome = _answered(op, current, waiting, deposit, kind)
        return shared.settled(outcome)


def _not_waiting(store: Store, intent: SetupIntent) -> errors.StripeError:
    pm = store.payment_methods.get(intent.payment_method or "")
    account = None if pm is None else pm.us_bank_account
    if account is not None and account.verified:
        return messages.already_verified()
    return messages.not_waiting(intent.id, intent.status.value)


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
    intent: SetupIntent,
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
        counted = shared.updated(op, intent, {"microdeposits": evolve(waiting, failures=failures)})
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
    mandate = bank_debits.new_mandate(op, verified, waiting.acceptance)
    done = evolve(intent, mandate=mandate.id, microdeposits=None)
    return succeed(op, done, verified, intent.latest_attempt or op.new_id("setatt")), None


def _ended(op: Operation, intent: SetupIntent, how: Verification) -> SetupIntent:
    """Back to ``requires_payment_method`` with Stripe's error for how verification ended."""
    code, message = _ENDINGS[how]
    pm = op.store.payment_methods[str(intent.payment_method)]
    error = IntentError("invalid_request_error", message, code, payment_method=pm)
    attempt = intent.latest_attempt or op.new_id("setatt")
    return failed(op, evolve(intent, microdeposits=None), error, attempt)


def waiting_due(store: Store, now: int) -> Iterator[Due]:
    """The SetupIntents whose microdeposits were not verified in time (a timer)."""
    for intent in store.setup_intents.values():
        waiting = intent.microdeposits
        if waiting is not None and waiting.expires_at <= now:
            yield Due(waiting.expires_at, partial(_expire, intent_id=intent.id))


def _expire(op: Operation, intent_id: str) -> None:
    _ended(op, op.store.setup_intents[intent_id], Verification.TIMEOUT)
