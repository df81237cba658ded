"""The changes Stripe makes on its own, later: one table of timers, each finding what has
fallen due by a time (``Kernel.settle`` makes them, earliest first, when the clock advances).

How long each waits is ``domain/delays.py``; how each is made lives with its resource's rules.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> pi = sim.payment_intents.create(amount=500, currency="usd", confirm=True,
...     payment_method="pm_card_pendingRefund", off_session=True)
>>> refund = sim.refunds.create(payment_intent=pi.id)
>>> refund.status.value
'pending'
>>> _ = sim.clock.advance(minutes=1)
>>> sim.refunds.retrieve(refund.id).status.value
'succeeded'
"""

from __future__ import annotations

from typing import Final

from pmsim.engine.bank_debits import debits_due
from pmsim.engine.captures import authorizations_due
from pmsim.engine.kernel import Timer
from pmsim.engine.microdeposits import waiting_due
from pmsim.engine.refunds import refunds_due

#: Every timer, in the order ties between them go (same time: the earlier timer first).
TIMERS: Final[tuple[Timer, ...]] = (refunds_due, authorizations_due, debits_due, waiting_due)
