"""Stripe's API versions as data: the versions pmsim answers as, and the gates, each breaking
change in pmsim's area with the version it starts at (``../shared/reference/stripe-versions.md``).

Rules and renderers ask a gate (``gate.holds(version)``); nothing compares version strings. As
at Stripe, additive changes (new fields, new optional parameters) are in every version; only
removals and new rules are gated.

>>> version = parse("2024-06-20")
>>> CAPTURE_AUTOMATIC_ASYNC.holds(version), PAYMENT_METHOD_TYPES_REMOVED.holds(version)
(True, False)
>>> NEWEST.name
'2026-11-18.endive'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from attrs import frozen

from pmsim.domain.messages import versions as messages


@frozen(order=False)
class ApiVersion:
    """One version Stripe accepts in ``Stripe-Version``: its name, its release family
    (``None`` for the dated ones before acacia) and its place in time (``rank``)."""

    name: str
    release: str | None
    breaking: bool  # the first of a major release (or a dated version): breaking changes
    rank: int

    def __str__(self) -> str:
        return self.name


#: (name, breaking) from the oldest pmsim simulates to the newest: the dated versions, then
#: each named release's first (breaking) version and its monthly (additive) ones.
_TABLE: tuple[tuple[str, bool], ...] = (
    ("2023-08-16", True),
    ("2023-10-16", True),
    ("2024-04-10", True),
    ("2024-06-20", True),
    ("2024-09-30.acacia", True),
    ("2024-10-28.acacia", False),
    ("2024-11-20.acacia", False),
    ("2024-12-18.acacia", False),
    ("2025-01-27.acacia", False),
    ("2025-02-24.acacia", False),
    ("2025-03-31.basil", True),
    ("2025-04-30.basil", False),
    ("2025-05-28.basil", False),
    ("2025-06-30.basil", False),
    ("2025-07-30.basil", False),
    ("2025-08-27.basil", False),
    ("2025-09-30.clover", True),
    ("2025-10-29.clover", False),
    ("2025-11-17.clover", False),
    ("2025-12-15.clover", False),
    ("2026-01-28.clover", False),
    ("2026-02-25.clover", False),
    ("2026-03-25.dahlia", True),
    ("2026-04-22.dahlia", False),
    ("2026-05-27.dahlia", False),
    ("2026-06-24.dahlia", False),
    ("2026-07-29.dahlia", False),
    ("2026-08-26.dahlia", False),
    ("2026-09-30.endive", True),
    ("2026-10-28.endive", False),
    ("2026-11-18.endive", False),
)

VERSIONS: tuple[ApiVersion, ...] = tuple(
    ApiVersion(name, name.partition(".")[2] or None, breaking, rank)
    for rank, (name, breaking) in enumerate(_TABLE)
)
BY_NAME: Mapping[str, ApiVersion] = MappingProxyType({v.name: v for v in VERSIONS})
OLDEST = VERSIONS[0]
#: What a simulator answers as unless told otherwise (``Simulator(api_version=...)``).
NEWEST = VERSIONS[-1]


def parse(text: object, param: str | None = None) -> ApiVersion:
    """The version named ``text``, or Stripe's 400 for one it does not know (``param`` names
    the parameter when the version came in one, not in the ``Stripe-Version`` header).

    >>> parse("2025-03-31.basil").release
    'basil'
    >>> parse("2025-09-30.acacia")
    Traceback (most recent call last):
    pmsim.domain.errors.InvalidRequestError: Invalid Stripe API version: 2025-09-30.acacia
    """
    if isinstance(text, ApiVersion):
        return text
    if isinstance(text, str):
        found = BY_NAME.get(text)
        if found is not None:
            return found
        if text.endswith(".preview"):
            raise messages.preview_not_simulated(text, param)
        if _DATED.fullmatch(text) and text < OLDEST.name:
            raise messages.older_than_simulated(text, OLDEST.name, NEWEST.name, param)
    raise messages.invalid_version(text, param)


_DATED = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@frozen
class Gate:
    """A breaking change: what changed, from which version, and how sure the reference is
    (``C`` Stripe's own docs, ``S`` a recorded response or Stripe's SDKs, ``U`` inferred)."""

    name: str
    starts: ApiVersion
    what: str
    source: str
    confidence: str

    def holds(self, version: ApiVersion) -> bool:
        """Whether ``version`` has this change (it is the gate's version or newer)."""
        return version.rank >= self.starts.rank


def _gate(name: str, starts: str, what: str, source: str, confidence: str = "C") -> Gate:
    return Gate(name, BY_NAME[starts], what, source, confidence)


_CHANGELOG = "https://docs.stripe.com/changelog/"

AUTOMATIC_PAYMENT_METHODS = _gate(
    "automatic_payment_methods",
    "2023-08-16",
    "Intents created without payment_method_types use automatic payment methods "
    "(automatic_payment_methods[enabled]=true, allow_redirects=always), so confirming one "
    "needs a return_url unless it is off_session or allow_redirects is never.",
    _CHANGELOG + "2023-08-16/automatic-payment-methods",
)
CAPTURE_AUTOMATIC_ASYNC = _gate(
    "capture_automatic_async",
    "2024-04-10",
    "A PaymentIntent created without capture_method has capture_method automatic_async.",
    _CHANGELOG + "2024-04-10/automatic-sync-default-paymentintents",
)
REFUND_EVENTS = _gate(
    "refund_events",
    "2024-10-28.acacia",
    "refund.created, refund.updated and refund.failed are sent for card refunds too (before, "
    "a card refund sent charge.refunded only); the account's version decides.",
    _CHANGELOG + "acacia/2024-10-28/refund-webhook-update",
)
PAYMENT_INTENT_INVOICE_REMOVED = _gate(
    "payment_intent_invoice_removed",
    "2025-03-31.basil",
    "PaymentIntent and Charge objects no longer have an invoice field.",
    _CHANGELOG + "basil/2025-03-31/add-support-for-multiple-partial-payments-on-invoices",
)
CUSTOMER_COUPON_REMOVED = _gate(
    "customer_coupon_removed",
    "2025-03-31.basil",
    "Customer create and update no longer take coupon or promotion_code.",
    _CHANGELOG + "basil/2025-03-31/deprecate-singular-coupon-promotion-code",
)
TOTAL_COUNT_FORBIDDEN = _gate(
    "total_count_forbidden",
    "2025-03-31.basil",
    "Expanding total_count on a list is refused (400, property_forbidden); search results "
    "still carry it.",
    _CHANGELOG + "basil/2025-03-31/deprecate-total-count-expansion",
)
NAVER_PAY_UPDATE_REMOVED = _gate(
    "naver_pay_update_removed",
    "2025-03-31.basil",
    "PaymentMethod update no longer takes naver_pay.",
    "stripe-python 12.0.0 and stripe-node 18.0.0 changelogs",
    "S",
)
LINK_UPDATE_REMOVED = _gate(
    "link_pay_by_bank_update_removed",
    "2025-09-30.clover",
    "PaymentMethod update no longer takes link or pay_by_bank.",
    "stripe-python 13.0.0 and stripe-node 19.0.0 changelogs",
    "S",
)
PAYMENT_METHOD_TYPES_REMOVED = _gate(
    "payment_method_types_removed",
    "2026-09-30.endive",
    "payment_method_types is refused on PaymentIntent create, update and confirm and on "
    "SetupIntent create and update (400, payment_method_types_no_longer_supported); the "
    "objects still show the computed list.",
    _CHANGELOG + "endive/2026-09-30/removes-the-payment-method-types-parameter-from-payment-"
    "intents-and-setup-intents",
)
PAYTO_UPDATE_REMOVED = _gate(
    "payto_update_removed",
    "2026-09-30.endive",
    "PaymentMethod update no longer takes payto.",
    _CHANGELOG + "endive/2026-09-30/removed-payto-fields",
)

#: Every gate, oldest first: what docs/api-versions.md lists.
GATES: tuple[Gate, ...] = tuple(
    sorted(
        (
            AUTOMATIC_PAYMENT_METHODS,
            CAPTURE_AUTOMATIC_ASYNC,
            REFUND_EVENTS,
            PAYMENT_INTENT_INVOICE_REMOVED,
            CUSTOMER_COUPON_REMOVED,
            TOTAL_COUNT_FORBIDDEN,
            NAVER_PAY_UPDATE_REMOVED,
            LINK_UPDATE_REMOVED,
            PAYMENT_METHOD_TYPES_REMOVED,
            PAYTO_UPDATE_REMOVED,
        ),
        key=lambda gate: gate.starts.rank,
    )
)
