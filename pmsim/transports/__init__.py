"""Thin adapters over ``pmsim.api.handle``: the stripe-python client and the HTTP server.

The entry points here import ``stripe`` only when called, so ``import pmsim`` stays light.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pmsim.engine import Simulator

if TYPE_CHECKING:
    import stripe

    from pmsim.transports.stripe_python import MockStripe

F = TypeVar("F", bound=Callable[..., Any])

MISSING_STRIPE = (
    "pmsim's stripe-python transport needs the official stripe package; install it with "
    "pip install 'pmsim[stripe]'"
)


def _stripe_python() -> Any:
    try:
        from pmsim.transports import stripe_python
    except ModuleNotFoundError as err:
        if err.name != "stripe":
            raise
        raise ModuleNotFoundError(MISSING_STRIPE, name="stripe") from err
    return stripe_python


def stripe_client(
    sim: Simulator, api_key: str = "sk_test_pmsim", **options: Any
) -> stripe.StripeClient:
    """A real ``stripe.StripeClient`` whose requests ``sim`` answers in-process. ``options``
    are ``StripeClient``'s own (``stripe_version="2024-06-20"`` answers as that version; the
    client otherwise sends the version it pins).

    >>> import pmsim
    >>> sim = pmsim.Simulator()
    >>> client = pmsim.stripe_client(sim)
    >>> cus = client.v1.customers.create({"email": "ada@example.com"})
    >>> client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id}).customer == cus.id
    True
    >>> older = pmsim.stripe_client(sim, stripe_version="2024-06-20")
    >>> older.v1.payment_intents.create({"amount": 500, "currency": "usd"}).capture_method
    'automatic_async'
    """
    client = _stripe_python().stripe_client(sim, api_key, **options)
    return client  # type: ignore[no-any-return]


class mock_stripe:  # noqa: N801 - used like a function: with pmsim.mock_stripe(sim): ...
    """Route module-level ``stripe.*`` calls to a simulator, then restore the previous settings.

    A context manager that yields the simulator, and a decorator:

    >>> import pmsim, stripe
    >>> with pmsim.mock_stripe() as sim:
    ...     cus = stripe.Customer.create(email="ada@example.com")
    >>> sim.customers.retrieve(cus.id).email
    'ada@example.com'
    """

    def __init__(self, sim: Simulator | None = None, api_key: str = "sk_test_pmsim") -> None:
        self._mock: MockStripe = _stripe_python().MockStripe(sim, api_key)

    def __enter__(self) -> Simulator:
        return self._mock.__enter__()

    def __exit__(self, *exc_info: object) -> None:
        self._mock.__exit__(*exc_info)

    def __call__(self, function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]
