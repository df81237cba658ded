"""Each record as a panel for notebooks: what its one-line ``_repr_html_`` shows.

Customers, payment methods, events, SetupIntents and PaymentIntents (the records of
:mod:`pmsim.domain`) each call their function here on first display, so ``import pmsim``
never loads this module. Each panel is a small two-column table (:func:`pmsim.display.html.panel`)
with the record's kind and id above, its state or status as a coloured badge.

>>> import pmsim
>>> sim = pmsim.Simulator()
>>> ada = sim.customers.create(email="ada@example.com")
>>> customer_html(ada) == ada._repr_html_()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pmsim.display.html import DEFAULT_MARK, badge, brief, code, coloured, esc, iso, panel

if TYPE_CHECKING:
    from pmsim.domain.events import Event
    from pmsim.domain.models import Customer, PaymentMethod
    from pmsim.domain.payment_intents import PaymentIntent
    from pmsim.domain.setup_intents import SetupIntent


def customer_html(customer: Customer) -> str:
    """A customer as a panel: email, name, default payment method, and whether it is deleted.

    >>> import pmsim
    >>> ada = pmsim.Simulator().customers.create(email="ada@example.com")
    >>> "ada@example.com" in ada._repr_html_()
    True
    """
    default = customer.invoice_settings.default_payment_method
    pairs = [
        ("email", esc(customer.email)),
        ("name", esc(customer.name)),
        ("default payment method", f"{DEFAULT_MARK} {code(default)}" if default else esc(None)),
        ("created", esc(iso(customer.created))),
    ]
    if customer.metadata:
        pairs.append(("metadata", esc(brief(customer.metadata))))
    if customer.deleted:
        pairs.append(("deleted", badge("deleted")))
    return panel("Customer", customer.id, pairs)


def payment_method_html(pm: PaymentMethod) -> str:
    """A payment method as a panel: its details, lifecycle state and customer.

    >>> import pmsim
    >>> pm = pmsim.Simulator().payment_methods.create(type="card", card={"token": "tok_visa"})
    >>> ">new</span>" in pm._repr_html_()
    True
    """
    pairs = [(pm.type, esc(pm.details.label))]
    if pm.card is not None:  # only cards expire
        pairs.append(("expires", esc(f"{pm.card.exp_month:02d}/{pm.card.exp_year}")))
    pairs += [
        ("state", badge(pm.state.value)),
        ("customer", code(pm.customer)),
        ("created", esc(iso(pm.created))),
    ]
    if pm.billing_details.name:
        pairs.append(("billing name", esc(pm.billing_details.name)))
    if pm.metadata:
        pairs.append(("metadata", esc(brief(pm.metadata))))
    return panel("PaymentMethod", pm.id, pairs)


def event_html(event: Event) -> str:
    """An event as a panel: its type, time, the object it is about and what changed.

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> _ = sim.customers.create()
    >>> "customer.created" in sim.events.list().data[0]._repr_html_()
    True
    """
    pairs = [
        ("type", code(event.type)),
        ("time", esc(iso(event.created))),
        ("object", code(event.object.id)),
    ]
    if event.previous_attributes is not None:
        pairs.append(("previous_attributes", code(brief(event.previous_attributes, 200))))
    if event.request_id is not None:
        pairs.append(("request", code(event.request_id)))
    return panel("Event", event.id, pairs)


def setup_intent_html(intent: SetupIntent) -> str:
    """A SetupIntent as a panel: status, payment method, customer and its last error.

    >>> import pmsim
    >>> seti = pmsim.Simulator().setup_intents.create(
    ...     payment_method="pm_card_visa", confirm=True, return_url="https://example.com/return"
    ... )
    >>> "succeeded" in seti._repr_html_()
    True
    """
    error = intent.last_setup_error
    pairs = [
        ("status", badge(intent.status.value)),
        ("payment method", code(intent.payment_method)),
        ("customer", code(intent.customer)),
        ("usage", esc(intent.usage)),
    ]
    if error is not None:
        pairs.append(("last error", coloured(f"{error.code}: {error.message}", "failed")))
    return panel("SetupIntent", intent.id, pairs)


def payment_intent_html(intent: PaymentIntent) -> str:
    """A PaymentIntent as a panel: amount, status, payment method, customer and its last error.

    >>> import pmsim
    >>> pi = pmsim.Simulator().payment_intents.create(amount=1500, currency="usd")
    >>> "requires_payment_method" in pi._repr_html_()
    True
    """
    error = intent.last_payment_error
    amounts = f"received {intent.amount_received}"
    if intent.amount_capturable:  # manual capture: authorized, not captured yet
        amounts += f", capturable {intent.amount_capturable}"
    pairs = [
        ("amount", esc(f"{intent.amount} {intent.currency} ({amounts})")),
        ("status", badge(intent.status.value)),
        ("payment method", code(intent.payment_method)),
        ("customer", code(intent.customer)),
        ("setup_future_usage", esc(intent.setup_future_usage)),
    ]
    if error is not None:
        pairs.append(("last error", coloured(f"{error.code}: {error.message}", "failed")))
    return panel("PaymentIntent", intent.id, pairs)
