"""The pytest plugin, registered through the ``pytest11`` entry point when pmsim is installed.

Fixtures:

* ``pmsim``: a fresh :class:`pmsim.Simulator` for each test;
* ``pmsim_stripe``: a real ``stripe.StripeClient`` answered in-process by that simulator.

Marker: ``@pytest.mark.pmsim(seed=7, start_time="2030-01-01T00:00:00Z")`` configures them.
Nothing is shared between tests, so the fixtures work under pytest-xdist.

Example, in a user's test file::

    @pytest.mark.pmsim(seed=7)
    def test_checkout(pmsim, pmsim_stripe):
        customer = pmsim_stripe.v1.customers.create({"email": "ada@example.com"})
        assert pmsim.customers.retrieve(customer.id).email == "ada@example.com"
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

import pytest

from pmsim.engine import Simulator
from pmsim.transports import stripe_client

if TYPE_CHECKING:
    import stripe

MARKER = "pmsim(seed=0, start_time=None): configure the pmsim and pmsim_stripe fixtures"
OPTIONS = tuple(inspect.signature(Simulator).parameters)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


@pytest.fixture
def pmsim(request: pytest.FixtureRequest) -> Simulator:
    """A fresh simulator for this test, configured by ``@pytest.mark.pmsim(...)``."""
    marker = request.node.get_closest_marker("pmsim")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    if marker and marker.args:
        raise pytest.UsageError("@pytest.mark.pmsim takes keywords only, e.g. pmsim(seed=7)")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.pmsim got {', '.join(unknown)}; it takes {', '.join(OPTIONS)}"
        )
    return Simulator(**options)


@pytest.fixture
def pmsim_stripe(pmsim: Simulator) -> stripe.StripeClient:
    """A ``stripe.StripeClient`` whose every request the ``pmsim`` fixture answers."""
    return stripe_client(pmsim)
