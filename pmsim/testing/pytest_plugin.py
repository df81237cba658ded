"""The pytest plugin, registered through the ``pytest11`` entry point when pmsim is installed.

Fixtures:

* ``pmsim``: a fresh :class:`pmsim.Simulator` for each test;
* ``pmsim_sim``: the same simulator under a second name (one object: ``pmsim_sim is pmsim``),
  for a test module that also does ``import pmsim``. A test that takes the ``pmsim`` fixture
  hides the module inside its body (``pmsim.Simulator`` there is an AttributeError); with
  ``pmsim_sim`` the module stays reachable;
* ``pmsim_stripe``: a real ``stripe.StripeClient`` answered in-process by that simulator;
* ``pmsim_transcript``: the transcript of the marker's scenario (None without one); its
  ``names`` are the objects the scenario named with ``as:``.

Marker: ``@pytest.mark.pmsim(seed=7, start_time="2030-01-01T00:00:00Z")`` configures them
(``api_version="2024-06-20"`` too); ``scenario="scenarios/ada.yaml"`` replays that scenario
into the simulator first, so the test starts from its story, on the scenario's seed, start
and ``api_version`` unless the marker names them. A relative scenario path is looked for
beside the test file first, then under the rootdir; when it is in neither, the error names
both places. A scenario that does not replay cleanly fails the test before it starts. Nothing
is shared between tests, so the fixtures work under pytest-xdist.

Example, in a user's test file::

    import pmsim
    import pytest

    @pytest.mark.pmsim(seed=7)
    def test_checkout(pmsim, pmsim_stripe):
        customer = pmsim_stripe.v1.customers.create({"email": "ada@example.com"})
        assert pmsim.customers.retrieve(customer.id).email == "ada@example.com"

    @pytest.mark.pmsim(scenario="scenarios/01-happy-path.yaml")
    def test_charging_the_default(pmsim, pmsim_transcript):
        ada = pmsim_transcript.names["ada"]
        assert ada["invoice_settings"]["default_payment_method"]

    def test_with_the_module_in_reach(pmsim_sim):  # pmsim is still the module here
        with pytest.raises(pmsim.InvalidRequestError):
            pmsim_sim.customers.retrieve("cus_missing")
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from pmsim.domain.versions import NEWEST
from pmsim.engine import Simulator
from pmsim.scenarios import ScenarioError, Transcript, load_scenario, replay
from pmsim.scenarios.report import render
from pmsim.transports import stripe_client

if TYPE_CHECKING:
    import stripe

MARKER = (
    "pmsim(seed=0, start_time=None, api_version=None, scenario=None): configure the pmsim "
    "(also named pmsim_sim) and pmsim_stripe fixtures; scenario= replays a scenario file, "
    "found beside the test file or under the rootdir, into the simulator first"
)
OPTIONS = (*inspect.signature(Simulator).parameters, "scenario")
TRANSCRIPT = pytest.StashKey[Transcript]()


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
    path = options.pop("scenario", None)
    if path is None:
        return Simulator(**options)
    try:
        scenario = load_scenario(_find(request, Path(path)))
    except ScenarioError as err:
        pytest.fail(f"@pytest.mark.pmsim(scenario=...): {err}", pytrace=False)
    sim = Simulator(
        options.get("seed", scenario.seed),
        options.get("start_time", scenario.start_time),
        options.get("api_version", scenario.api_version or NEWEST),
    )
    transcript = replay(scenario, sim)
    if not transcript.passed:
        pytest.fail(f"the scenario did not replay cleanly:\n{render(transcript)}", pytrace=False)
    request.node.stash[TRANSCRIPT] = transcript
    return sim


def _find(request: pytest.FixtureRequest, path: Path) -> Path:
    """A relative path is looked for beside the test file, then under the rootdir."""
    if path.is_absolute():
        places = {path: "as given"}
    else:
        places = {Path(request.node.path).parent / path: "beside the test file"}
        places.setdefault(Path(request.config.rootpath) / path, "under the rootdir")
    for place in places:
        if place.is_file():
            return place
    looked = "; ".join(f"{place} ({where})" for place, where in places.items())
    pytest.fail(
        f"@pytest.mark.pmsim(scenario={str(path)!r}): no such scenario file. Looked at {looked}",
        pytrace=False,
    )


@pytest.fixture
def pmsim_sim(pmsim: Simulator) -> Simulator:
    """The ``pmsim`` fixture's simulator, under a name that leaves ``import pmsim`` usable."""
    return pmsim


@pytest.fixture
def pmsim_transcript(request: pytest.FixtureRequest, pmsim: Simulator) -> Transcript | None:
    """The transcript of ``@pytest.mark.pmsim(scenario=...)``'s replay, or None."""
    found: Transcript | None = request.node.stash.get(TRANSCRIPT, None)
    return found


@pytest.fixture
def pmsim_stripe(pmsim: Simulator) -> stripe.StripeClient:
    """A ``stripe.StripeClient`` whose every request the ``pmsim`` fixture answers."""
    return stripe_client(pmsim)
