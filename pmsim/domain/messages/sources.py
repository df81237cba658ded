"""What Stripe answers about legacy card sources (``source=tok_…``, ``default_source``).

>>> payment_method_as_source().message[:51]
'You cannot use a PaymentMethod as a source for Cust'
>>> no_such_token("tok_nope").message
"No such token: 'tok_nope'"
"""

from __future__ import annotations

from pmsim.domain.errors import InvalidRequestError
from pmsim.domain.messages.lookups import no_such


def payment_method_as_source() -> InvalidRequestError:
    """A ``pm_…`` passed as ``source``: a 400 with no code and no param (recorded,
    firebase/functions-samples#621)."""
    return InvalidRequestError(
        "You cannot use a PaymentMethod as a source for Customers. Instead, use the "
        "PaymentMethods API to Attach a Customer to a PaymentMethod. See "
        "https://stripe.com/docs/api/payment_methods/attach"
    )


def no_such_token(token: str, param: str = "source") -> InvalidRequestError:
    """A ``source`` that is no test token pmsim knows (unverified: Stripe's "No such token"
    for an unknown token, with pmsim's usual quoting)."""
    return no_such("token", token, param=param)


def no_such_source(
    source_id: str, *, param: str = "id", in_path: bool = False
) -> InvalidRequestError:
    """A card that is not one of this customer's sources: "No such source" (recorded in
    stripe-node#1280 for ``default_source`` and stripe-android#779; quoting unverified)."""
    return no_such("source", source_id, param=param, in_path=in_path)
