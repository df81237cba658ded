"""Every message pmsim answers with, in one home with a room per subject.

The error *classes* (``StripeError``, ``InvalidRequestError``, ``CardError``, ...) are in
:mod:`pmsim.domain.errors`; the *words* are here, as named templates and the small functions
that make an error from one. No other module writes a Stripe message. The rooms:

* :mod:`~pmsim.domain.messages.lookups`: "No such ...", for ids that do not exist;
* :mod:`~pmsim.domain.messages.parameters`: parameter values, metadata, lists, amounts and
  currencies, webhook endpoints and test clocks;
* :mod:`~pmsim.domain.messages.http`: the HTTP surface: unknown URLs, API keys, idempotency,
  form encoding and ``expand``;
* :mod:`~pmsim.domain.messages.payment_methods`: the attach lifecycle, defaults, card errors
  and the test cards' declines;
* :mod:`~pmsim.domain.messages.intents`: SetupIntents and PaymentIntents, their refusal
  tables by (action, status) and 3-D Secure.

Import a room, not this package: ``from pmsim.domain.messages import lookups``. The rooms
import only the error classes and the domain's enums, so every domain module can use them.

Where a text comes from is noted beside it, when it is not Stripe's documentation:
*recorded* means seen verbatim in real Stripe responses that others recorded; *unverified*
means a guess to check against live test mode (``shared/reference/stripe-behavior.md``
holds the sources).

>>> from pmsim.domain.messages import lookups
>>> lookups.no_such_customer("cus_x").message
"No such customer: 'cus_x'"
"""
