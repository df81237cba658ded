"""How long what Stripe does on its own takes, in simulated seconds: one table, so that each
choice is written once and easy to change (``docs/fidelity.md``, "Later changes").

Nothing here happens by itself: it happens when the simulator's clock passes the time, by
``sim.clock.advance(...)``, a test clock's advance, or ``POST /_pmsim/clock/advance``.

>>> REFUND_SETTLES.seconds
60
>>> [delay.name for delay in DELAYS][:3]
['refund_settles', 'refund_fails', 'authorization_expires']
"""

from __future__ import annotations

from typing import Final

from attrs import frozen

DAY: Final = 86_400


@frozen
class DebitOutcome:
    """What a bank answers to a debit (SEPA, ACH), and how long after it was submitted."""

    succeeds: bool
    delay: Delay
    failure_code: str | None = None
    failure_message: str | None = None


@frozen
class Delay:
    """How long after its start one later change comes, and why that long."""

    name: str
    seconds: int
    what: str
    source: str


_SOME_TIME_LATER = (
    "pmsim's choice: Stripe's testing docs say only \"some time later\" "
    "(https://docs.stripe.com/testing#refunds)"
)

REFUND_SETTLES: Final = Delay(
    "refund_settles", 60,
    "a refund of a pm_card_pendingRefund payment goes from pending to succeeded",
    _SOME_TIME_LATER,
)  # fmt: skip
REFUND_FAILS: Final = Delay(
    "refund_fails", 60,
    "a refund of a pm_card_refundFail payment goes from succeeded to failed",
    _SOME_TIME_LATER,
)  # fmt: skip

DEBIT_SETTLES: Final = Delay(
    "debit_settles", 60,
    "a SEPA Direct Debit payment goes from processing to succeeded or requires_payment_method",
    "pmsim's choice: Stripe's testing docs give no delay for the plain test IBANs, only that "
    "the delayed ones take \"at least three minutes\"; a minute keeps them apart and a test "
    "short (https://docs.stripe.com/testing#sepa-direct-debit)",
)  # fmt: skip
DEBIT_SETTLES_LATE: Final = Delay(
    "debit_settles_late", 180,
    "a payment from a successDelayed or failedDelayed test IBAN does the same",
    "Stripe's testing docs: \"after at least three minutes\" "
    "(https://docs.stripe.com/testing#sepa-direct-debit)",
)  # fmt: skip

AUTHORIZATION_EXPIRES: Final = Delay(
    "authorization_expires", 7 * DAY,
    "an uncaptured card authorization (manual capture) is released and its PaymentIntent "
    "canceled",
    "Stripe's API reference: \"Uncaptured PaymentIntents are cancelled a set number of days "
    "(7 by default) after their creation\" (https://docs.stripe.com/api/payment_intents/capture)",
)  # fmt: skip

MICRODEPOSITS_EXPIRE: Final = Delay(
    "microdeposits_expire", 10 * DAY,
    "a SetupIntent waiting for its US bank account's microdeposits goes back to "
    "requires_payment_method",
    "Stripe's ACH docs: \"microdeposit verifications have a timeout of 10 days\" "
    "(https://docs.stripe.com/payments/ach-direct-debit/set-up-payment)",
)  # fmt: skip

#: Every delay, in the order docs/fidelity.md lists them.
DELAYS: Final = (
    REFUND_SETTLES,
    REFUND_FAILS,
    AUTHORIZATION_EXPIRES,
    DEBIT_SETTLES,
    DEBIT_SETTLES_LATE,
    MICRODEPOSITS_EXPIRE,
)
