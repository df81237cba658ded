"""Shared test helpers: checking a simulated Stripe error field by field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import pmsim

_UNSET: Any = object()


def assert_stripe_error(
    call: Callable[[], object],
    *,
    cls: type[pmsim.StripeError] = pmsim.InvalidRequestError,
    status: int = 400,
    message: str,
    code: str | None = None,
    param: str | None = None,
    decline_code: str | None = None,
    sim: pmsim.Simulator | None = None,
) -> pmsim.StripeError:
    """Run ``call``, expect exactly this Stripe error; with ``sim``, expect no state change."""
    before = sim.snapshot() if sim is not None else None
    with pytest.raises(pmsim.StripeError) as caught:
        call()
    err = caught.value
    assert type(err) is cls, f"{type(err).__name__} is not {cls.__name__}: {err!r}"
    assert (err.http_status, err.message) == (status, message), repr(err)
    assert (err.code, err.param, err.decline_code) == (code, param, decline_code), repr(err)
    if sim is not None:
        assert sim.snapshot() == before, "a failed call changed the simulator's state"
    return err
