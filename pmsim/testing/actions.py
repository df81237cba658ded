"""Lifecycle actions as plain records, and ``apply_actions`` to run them on a simulator.

Each action names customers and payment methods by position among those made so far,
counted from the oldest: 0 is the first made, and a number past the last counts round again
(n modulo how many there are). Any number names one, so every sequence can run, and a
sequence is easy to read, store and shrink. ``pmsim.testing.strategies.lifecycle_actions()``
draws them with hypothesis; the records themselves need nothing but pmsim.

>>> import pmsim
>>> outcomes = apply_actions(pmsim.Simulator(), [CreateCustomer(), Attach("pm_card_visa", 0)])
>>> [outcome.error for outcome in outcomes]
[None, None]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from attrs import frozen

from pmsim.domain.errors import StripeError
from pmsim.testing.population import failure_reason

if TYPE_CHECKING:
    from pmsim.engine import Simulator


class _NothingYet(Exception):
    """The action names a customer or payment method, and none has been made yet."""


class _Made:
    """The customers and payment methods made so far, oldest first."""

    def __init__(self) -> None:
        self.customers: list[str] = []
        self.payment_methods: list[str] = []

    @staticmethod
    def nth(ids: list[str], n: int) -> str:
        if not ids:
            raise _NothingYet
        return ids[n % len(ids)]  # any number names one, so every sequence can run


@frozen
class CreateCustomer:
    """``customers.create``; a test id such as ``pm_card_visa`` is attached on sign-up.

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [CreateCustomer(email="ada@example.com")])[0].result[:4]
    'cus_'
    """

    email: str | None = None
    payment_method: str | None = None

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        customer = sim.customers.create(email=self.email, payment_method=self.payment_method)
        made.customers.append(customer.id)
        made.payment_methods += [
            pm.id for pm in sim.customers.list_payment_methods(customer.id).data
        ]
        return customer.id


@frozen
class CreatePaymentMethod:
    """``payment_methods.create`` with a test token.

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [CreatePaymentMethod("tok_visa")])[0].result[:3]
    'pm_'
    """

    token: str

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        pm = sim.payment_methods.create(type="card", card={"token": self.token})
        made.payment_methods.append(pm.id)
        return pm.id


@frozen
class Attach:
    """``payment_methods.attach``: a number names a payment method by position, counted from
    the oldest made and round again (``Attach(3, 0)`` with two made attaches the second), a test
    id makes a new one; ``customer`` names a customer the same way.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> [o.error for o in apply_actions(sim, [CreateCustomer(), Attach("pm_card_visa", 0)])]
    [None, None]
    """

    payment_method: int | str
    customer: int

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        customer = made.nth(made.customers, self.customer)
        pm = self.payment_method
        pm_id = made.nth(made.payment_methods, pm) if isinstance(pm, int) else pm
        attached = sim.payment_methods.attach(pm_id, customer=customer)
        if attached.id != pm_id:  # a test id made a new payment method
            made.payment_methods.append(attached.id)
        return attached.id


@frozen
class Detach:
    """``payment_methods.detach`` of a payment method named by position, as in ``Attach``.

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [Detach(0)])[0].skipped  # none made yet
    True
    """

    payment_method: int

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        return sim.payment_methods.detach(made.nth(made.payment_methods, self.payment_method)).id


@frozen
class SetDefault:
    """``customers.update(invoice_settings=...)``: make a payment method the default, or
    with None, unset it.

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [CreateCustomer(), SetDefault(0, None)])[1].error
    """

    customer: int
    payment_method: int | None

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        customer = made.nth(made.customers, self.customer)
        pm = self.payment_method
        default = "" if pm is None else made.nth(made.payment_methods, pm)
        sim.customers.update(customer, invoice_settings={"default_payment_method": default})
        return customer


@frozen
class DeleteCustomer:
    """``customers.delete`` (its payment methods are detached).

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [CreateCustomer(), DeleteCustomer(0)])[1].error
    """

    customer: int

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        return sim.customers.delete(made.nth(made.customers, self.customer)).id


@frozen
class AdvanceClock:
    """``sim.clock.advance(days=...)``.

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [AdvanceClock(days=1)])[0]
    Outcome(action=AdvanceClock(days=1), result=None, error=None, skipped=False)
    """

    days: int

    def _run(self, sim: Simulator, made: _Made) -> str | None:
        sim.clock.advance(days=self.days)
        return None


LifecycleAction = (
    CreateCustomer | CreatePaymentMethod | Attach | Detach | SetDefault | DeleteCustomer
    | AdvanceClock
)  # fmt: skip


@frozen
class Outcome:
    """What one action did: the id it returned, Stripe's refusal (``failure_reason``), or
    ``skipped`` when it names a customer or payment method and none was made yet.

    >>> import pmsim
    >>> apply_actions(pmsim.Simulator(), [Attach(0, 0)])[0].skipped
    True
    """

    action: LifecycleAction
    result: str | None = None
    error: str | None = None
    skipped: bool = False


def apply_actions(sim: Simulator, actions: Iterable[LifecycleAction]) -> tuple[Outcome, ...]:
    """Run ``actions`` on ``sim`` in order; a Stripe error is an outcome, not an exception.

    >>> import pmsim
    >>> outcomes = apply_actions(pmsim.Simulator(), [
    ...     CreateCustomer(), CreateCustomer(), Attach("pm_card_visa", 0), Attach(0, 1)])
    >>> outcomes[-1].error
    'The payment method you provided has already been attached to a customer.'
    """
    made, outcomes = _Made(), []
    for action in actions:
        try:
            outcomes.append(Outcome(action, result=action._run(sim, made)))
        except _NothingYet:
            outcomes.append(Outcome(action, skipped=True))
        except StripeError as err:
            outcomes.append(Outcome(action, error=failure_reason(err)))
    return tuple(outcomes)
