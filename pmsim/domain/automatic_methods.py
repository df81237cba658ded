"""Which payment methods an intent accepts: ``payment_method_types`` as sent, or Stripe's
automatic payment methods, the default since API version 2023-08-16.

An intent created with neither parameter has ``automatic_payment_methods`` enabled with
redirects allowed, so confirming it needs a ``return_url`` (unless the PaymentIntent is
confirmed ``off_session``), even for a card that never redirects. From 2026-09-30.endive
``payment_method_types`` cannot be sent at all. pmsim simulates cards only, so the computed
list is ``["card"]`` either way (``docs/fidelity.md``).

>>> from pmsim.domain.versions import parse
>>> types, automatic = accepted(None, None, parse("2024-06-20"))
>>> types, automatic.to_dict()
(('card',), {'allow_redirects': 'always', 'enabled': True})
>>> accepted(["card"], None, parse("2024-06-20"))
(('card',), None)
"""

from __future__ import annotations

from typing import Any

from attrs import frozen

from pmsim.domain import params, pm_params
from pmsim.domain.messages import parameters
from pmsim.domain.messages import versions as messages
from pmsim.domain.versions import PAYMENT_METHOD_TYPES_REMOVED, ApiVersion

#: ``automatic_payment_methods[allow_redirects]``, in Stripe's order.
ALLOW_REDIRECTS = ("always", "never")
_KEYS = ("allow_redirects", "enabled")


@frozen
class AutomaticPaymentMethods:
    """``automatic_payment_methods`` of an intent that has them enabled."""

    allow_redirects: str = "always"

    @property
    def redirects(self) -> bool:
        """Whether redirect-based methods are accepted, so a confirmation needs a return_url."""
        return self.allow_redirects == "always"

    def to_dict(self) -> dict[str, Any]:
        return {"allow_redirects": self.allow_redirects, "enabled": True}


def accepted(
    payment_method_types: object, automatic_payment_methods: object, version: ApiVersion
) -> tuple[tuple[str, ...], AutomaticPaymentMethods | None]:
    """An intent's ``payment_method_types`` and ``automatic_payment_methods`` from what
    create sent. ``automatic_payment_methods[enabled]=false`` without types means cards only,
    as before 2023-08-16 (pmsim's choice: Stripe's answer is not recorded)."""
    if payment_method_types is not None:
        if PAYMENT_METHOD_TYPES_REMOVED.holds(version):
            raise messages.payment_method_types_removed(version.name)
        if automatic_payment_methods is not None:
            raise parameters.only_one_of("automatic_payment_methods", "payment_method_types")
        return pm_params.intent_types(payment_method_types), None
    if automatic_payment_methods is None:
        return ("card",), AutomaticPaymentMethods()
    return ("card",), automatic(automatic_payment_methods)


def automatic(value: object) -> AutomaticPaymentMethods | None:
    """The ``automatic_payment_methods`` hash: ``enabled`` is required."""
    sent = params.hash_of(value, "automatic_payment_methods", _KEYS)
    if "enabled" not in sent:
        raise parameters.missing_param("automatic_payment_methods[enabled]")
    if not params.boolean(sent["enabled"], "automatic_payment_methods[enabled]"):
        return None
    redirects = sent.get("allow_redirects", "always")
    return AutomaticPaymentMethods(
        params.choice(redirects, "automatic_payment_methods[allow_redirects]", ALLOW_REDIRECTS)
    )


def refuse_types_sent(payment_method_types: object, version: ApiVersion) -> None:
    """Update and confirm: ``payment_method_types`` is refused from endive."""
    if payment_method_types is not None and PAYMENT_METHOD_TYPES_REMOVED.holds(version):
        raise messages.payment_method_types_removed(version.name)


def check_return_url(
    automatic: AutomaticPaymentMethods | None,
    return_url: object,
    off_session: bool,
    intent: str,
) -> None:
    """A confirmation of an intent that may redirect needs somewhere to come back to."""
    if automatic is None or not automatic.redirects or off_session:
        return
    if return_url is None or return_url == "":
        raise messages.return_url_required(intent)
