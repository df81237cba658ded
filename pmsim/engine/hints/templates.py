"""Every teaching hint's words, as templates in one table (:data:`TEMPLATES`).

The hints are pmsim's words, not Stripe's: they never reach the API's error envelope, and
their blanks are facts only the engine can find in a simulator's history (the event that
detached a card, the intent that used it up). So they live here, beside the engine code
that fills them in, rather than with Stripe's messages in :mod:`pmsim.domain.messages`,
which the domain uses and which cannot read the store.

``{when}`` is always there: `` at <time> (event <id>)`` for the event the hint is about, or
nothing; templates write ``{owner}{when}.`` and read well either way. The other blanks are
named where the table is filled in (:func:`pmsim.engine.hints.explain`).

>>> TEMPLATES["new.detach"].format(pm="pm_1", when="")
'pm_1 was never attached to a customer, so there is nothing to detach.'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

_NEW_CARD = (
    "Create a new PaymentMethod (in a real integration, collect the card again, for example "
    "with a SetupIntent) and use that instead."
)
_ATTACH_FIRST = (
    "A default must be attached to {customer}: attach a card to {customer} first "
    "(payment_methods.attach), then make it the default."
)
_MADE_FROM = "{card} was made from Stripe's test card {test_card!r}"
_DECLINES = (
    _MADE_FROM + "{number}, which always declines with {code}: it is there to test how your "
    "code handles a decline. "
)
_WORKS = "For a card that works, use pm_card_visa or tok_visa."
_NEVER_MADE = (
    "No object {id!r} was ever made in this simulator. Ids come from the simulator's seed, "
    "so use the id that {maker} returned here (ids from real Stripe or from another "
    "simulator do not exist in this one)."
)

#: Each hint by name. A payment method the lifecycle refuses is named ``<state>.<action>``
#: (``{pm}``, and ``{owner}`` or ``{intent}`` from its history; an intent's use of a card reads
#: as ``attach``, or ``use`` where the state has its own words); an intent's "unexpected
#: state" is ``intent.<status>`` (``{intent}``, ``{kind}``: SetupIntent or PaymentIntent).
TEMPLATES: Final[Mapping[str, str]] = MappingProxyType(
    {
        # --- The attach lifecycle's refusals (a card used by an intent reads as attach) ---
        "detached.attach": (
            "{pm} was detached from {owner}{when}. A detached PaymentMethod can never be "
            "attached or used again: detaching is permanent. " + _NEW_CARD
        ),
        "consumed.attach": (
            "{pm} was used by {intent}{when} without being saved to a customer, which uses a "
            "card up: it can never be attached afterwards. To pay now and save the card, "
            "create the PaymentIntent with a customer and setup_future_usage. " + _NEW_CARD
        ),
        "set_up.use": (
            "{pm} was set up by {intent}{when} without a customer, so it belongs to nobody "
            "yet, and until it does no other intent may use it. Attach it to a customer first "
            "(sim.payment_methods.attach({pm!r}, customer=...), or "
            "customers.create(payment_method={pm!r})), then use it with that customer. To "
            "save a card in one step, give the SetupIntent its customer."
        ),
        "new.detach": "{pm} was never attached to a customer, so there is nothing to detach.",
        "detached.detach": (
            "{pm} was already detached from {owner}{when}; detaching twice is refused."
        ),
        "set_up.detach": (
            "{pm} was set up by {intent}{when} without a customer and has not been attached "
            "since, so there is nothing to detach. It can still be attached to one customer."
        ),
        "consumed.detach": (
            "{pm} was used by {intent}{when} without being saved; it was never attached."
        ),
        "new.update": (
            "{pm} is not attached to a customer. Only saved payment methods can be updated: "
            "attach it first (sim.payment_methods.attach({pm!r}, customer=...))."
        ),
        "detached.update": (
            "{pm} was detached from {owner}{when}; a detached PaymentMethod cannot be updated."
        ),
        "set_up.update": (
            "{pm} was set up by {intent}{when} without a customer and is not attached yet. "
            "Only saved payment methods can be updated: attach it first "
            "(sim.payment_methods.attach({pm!r}, customer=...))."
        ),
        "consumed.update": (
            "{pm} was used by {intent}{when} without being saved, so it cannot be updated."
        ),
        "another_customer": (
            "{pm} has belonged to {owner} since it was attached{when}. A PaymentMethod belongs "
            "to at most one customer, so it cannot also be {wanted}'s. Detaching it from "
            "{owner} would not help: a detached card can never be attached again. Give "
            "{wanted} a new PaymentMethod of their own."
        ),
        # --- A default that is not one of the customer's own payment methods ---
        "default.test_id": (
            "{pm} is a test id, which makes a new, unattached card each time. " + _ATTACH_FIRST
        ),
        "default.elsewhere": "{pm} is attached to {owner}, not to {customer}. " + _ATTACH_FIRST,
        "default.new": "{pm} is not attached to any customer yet. " + _ATTACH_FIRST,
        "default.set_up": (
            "{pm} was set up by {intent}{when} without a customer and is not attached to any "
            "customer yet. " + _ATTACH_FIRST
        ),
        "default.unusable": "{why} " + _ATTACH_FIRST,  # why: its lifecycle refusal's hint
        # --- Test cards that decline, and 3-D Secure off session ---
        "declined": _DECLINES + "Nothing was saved. " + _WORKS,
        "declined.recorded": (
            _DECLINES + "The decline is recorded on the {intent}, which can be confirmed again "
            "with another card. " + _WORKS
        ),
        "authentication.required": (
            _MADE_FROM + ", whose bank wants the customer to "
            "authenticate (3-D Secure) on every payment, saved or not; an off-session payment "
            "has no customer present to do it. Bring the customer back on-session to confirm "
            "the payment."
        ),
        "authentication.required_on_setup": (
            _MADE_FROM + ", whose bank wants the customer to "
            "authenticate once, when the card is saved. It was not saved for later, so an "
            "off-session payment cannot use it: save it first with a SetupIntent (or a "
            "PaymentIntent with setup_future_usage) while the customer is there."
        ),
        # --- Ids that do not exist ---
        "customer.deleted": (
            "{id} was deleted{when}. Stripe answers a deleted customer's id as if it did not "
            "exist (its payment methods were detached). Create a new customer."
        ),
        "customer.never_made": _NEVER_MADE,
        # --- Legacy card sources ---
        "source.payment_method": (
            "{pm} is a PaymentMethod, and `source` takes a card token such as tok_visa. To save "
            "{pm} on a customer, attach it (payment_methods.attach) or create the customer "
            "with payment_method={pm}."
        ),
        "source.deleted": (
            "{id} was deleted{when}: a deleted card source is gone for good. Add a new card "
            'with customers.create_source(customer, source="tok_visa").'
        ),
        "source.elsewhere": (
            "{id} is a card of {owner}, not of {customer}: a card source belongs to the "
            "customer it was added to."
        ),
        "source.never_made": _NEVER_MADE,
        "payment_method.never_made": (
            _NEVER_MADE + " Test ids like pm_card_visa make a new card at each use."
        ),
        # --- What an intent's status allows ---
        "intent.succeeded": (
            "{intent} succeeded{when}, and a succeeded {kind} is final: it cannot be "
            "confirmed, changed or canceled. Create a new {kind} for another card or payment."
        ),
        "intent.canceled": (
            "{intent} was canceled{when}; a canceled {kind} cannot be used again. "
            "Create a new {kind}."
        ),
        "intent.requires_action": (
            "{intent} has been waiting for the customer to complete 3-D Secure since{when}. "
            "In pmsim you play the customer: sim.three_d_secure.complete({intent!r}, "
            'outcome="succeed") or outcome="fail".'
        ),
        "intent.requires_payment_method": (
            "{intent} has no payment method to use{declined}. Confirm it with "
            "payment_method=..., or update it with one first."
        ),
        "intent.requires_confirmation": (
            "{intent} has a payment method and is waiting to be confirmed."
        ),
        "intent.processing": (
            "{intent} is processing: its bank debit was submitted{when}, and the bank answers "
            "when the simulator's clock passes its time (sim.clock.advance(minutes=1), or 3 "
            "for a delayed test IBAN). A SEPA Direct Debit cannot be canceled meanwhile; "
            "refund it once it has succeeded."
        ),
        # --- Bank debits: mandates, currencies, capture ---
        "mandate.missing": (
            "{pm} has no active mandate, and a SEPA Direct Debit is only debited under one. "
            "Confirm with mandate_data (customer_acceptance of type online, with the customer's "
            "ip_address and user_agent, or offline), or save it first with a SetupIntent and "
            "mandate_data. Attaching it directly (payment_methods.attach) makes no mandate."
        ),
        "mandate.saving": (
            "{pm} is saved for later (setup_future_usage) only under the customer's mandate, "
            "which this payment makes: confirm with mandate_data (customer_acceptance of type "
            "online, with ip_address and user_agent, or offline)."
        ),
        "mandate.setup": (
            "{pm} is saved by a SetupIntent only with the customer's permission to debit it: "
            "confirm with mandate_data (customer_acceptance of type online, with ip_address and "
            "user_agent, or offline), and it makes the mandate."
        ),
        "debit.currency": (
            "{pm} can pay in {currencies} only. Create the PaymentIntent in that currency, or "
            "pay with a card."
        ),
        "debit.manual_capture": (
            "{pm} is captured when its bank answers, never by a capture call: confirm it with "
            "capture_method=automatic (the default), and keep manual capture for cards."
        ),
        "intent.requires_capture": (
            "{intent} was authorized{when} (capture_method=manual) and holds the money until "
            "it is captured or released: capture it (payment_intents.capture), or cancel it "
            "to release the hold. Stripe releases it by itself once its charge's "
            "capture_before passes (7 days later)."
        ),
        # --- US bank accounts: verified before they are saved ---
        "bank_account.unverified": (
            "{pm} is a US bank account typed in by hand, and Stripe saves one only once its "
            "owner has proved it is theirs with microdeposits. Confirm a SetupIntent for the "
            "customer with it and mandate_data, then setup_intents.verify_microdeposits(seti, "
            'descriptor_code="SM11AA") (Stripe\'s test code): that verifies and attaches it.'
        ),
        "microdeposits.not_waiting": (
            "{intent} sent no microdeposits to read back: a {kind} sends them when it is "
            "confirmed with an unverified US bank account and mandate_data, and waits in "
            "requires_action (next_action.verify_with_microdeposits). Confirm it that way "
            "first, or read them back on the intent that sent them."
        ),
        "microdeposits.already_verified": (
            "The bank account of {intent} has been verified already, so there is nothing to "
            "read back: it is saved or debited at once under its mandate."
        ),
        # --- Mandates: a debit names one the customer gave for this account ---
        "mandate.not_for": (
            "{mandate} was given for {owner}, not for {pm}: a mandate is the customer's "
            "permission to debit one account. Name one of {pm}'s mandates, or send "
            "mandate_data to record a new one."
        ),
        "mandate.inactive": (
            "{mandate} ended when its payment method was detached (mandate.updated, status "
            "inactive), and an ended mandate serves no new payment. A detached payment "
            "method cannot be used again either: collect the account again under new "
            "mandate_data."
        ),
        # --- Refunds: a charge gives back at most what it took ---
        "refund.nothing_left": (
            "{charge} took {captured}, and {refunds} gave all of it back (the latest was "
            "created{when}). A charge gives back at most what it took: pending refunds count, "
            "failed ones do not."
        ),
        "refund.more_than_left": (
            "{charge} took {captured}, and {refunds} already gave back {refunded} (the latest "
            "was created{when}; pending refunds count, failed ones do not), so at most {left} "
            "is left. Ask for that much or less, or leave amount out to refund all that is left."
        ),
        # --- Manual capture: an authorization is held, not money taken ---
        "capture.more_than_held": (
            "{intent} holds {held}, authorized{when}, and a capture takes at most that. "
            "Leave amount_to_capture out to capture all of it, or ask for less: the rest is "
            "released."
        ),
        "refund.uncaptured": (
            "{charge} is {intent}'s authorization of {held}, made{when} with "
            "capture_method=manual: no money was taken yet, so there is none to give back. "
            "Capture it first (payment_intents.capture) and then refund, or cancel {intent} "
            "to release the hold."
        ),
        "refund.more_than_charged": (
            "{charge} took {captured}, and a refund gives back at most that. Leave amount out "
            "to refund all of it, or ask for less."
        ),
    }
)
