"""Helpers for experiments and users' test suites.

* ``populate(sim, customers=N)``: realistic customers and cards, for experiments (needs the
  ``populate`` extra: faker and tqdm, imported only when it runs);
* ``pmsim.testing.strategies``: Hypothesis strategies for property tests of billing code
  (``from pmsim.testing import strategies``; needs hypothesis);
* ``pmsim.testing.pytest_plugin``: the pytest plugin, with the ``pmsim`` fixtures.

>>> from pmsim.testing import populate
>>> populate.__module__
'pmsim.testing.populate'
"""

from __future__ import annotations

from pmsim.testing.populate import DEFAULT_CARDS, populate
from pmsim.testing.population import Population, Tally, failure_reason

__all__ = ["DEFAULT_CARDS", "Population", "Tally", "failure_reason", "populate"]
