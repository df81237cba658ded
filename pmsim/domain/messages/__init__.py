"""Every message the simulator answers with, in one home with a room per subject: Stripe's
texts, and pmsim's own words where it does not simulate something (a ``PmsimUsageError``).

The error *classes* (``StripeError``, ``InvalidRequestError``, ``CardError``, ...) are in
:mod:`pmsim.domain.errors`; the *words* are here, as named templates and the small functions
that make an error from one. No other module writes a Stripe message (state files word their
own problems in ``pmsim/engine/state_files.py``; teaching hints, which are not Stripe's, are
in :mod:`pmsim.engine.hints`). The rooms:

* :mod:`~pmsim.domain.messages.lookups`: "No such ...", for ids that do not exist;
* :mod:`~pmsim.domain.messages.parameters`: parameter values, metadata, lists, amounts and
  currencies, webhook endpoints and test clocks;
* :mod:`~pmsim.domain.messages.http`: the HTTP surface: unknown URLs, API keys, idempotency,
  form encoding and ``expand``;
* :mod:`~pmsim.domain.messages.payment_methods`: the attach lifecycle, defaults, card errors
  and the test cards' declines;
* :mod:`~pmsim.domain.messages.intents`: SetupIntents and PaymentIntents, their refusal
  tables by (action, status) and 3-D Secure;
* :mod:`~pmsim.domain.messages.search`: the Search API's refusals of queries and cursors.

Import a room, not this package: ``from pmsim.domain.messages import lookups``. Each room
imports only the error classes (and, for the intents, their status and action enums), so this
package re-exports nothing: the test cards read their declines from one room while the
intents' room reads enums from modules that import the test cards.

Where a text comes from is noted beside it, when it is not Stripe's documentation:
*recorded* means seen verbatim in real Stripe responses that others recorded; *unverified*
means a guess to check against live test mode (docs/fidelity.md lists pmsim's guesses).

>>> from pmsim.domain.messages import lookups
>>> lookups.no_such_customer("cus_x").message
"No such customer: 'cus_x'"
"""
