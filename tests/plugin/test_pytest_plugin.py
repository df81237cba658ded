"""The pytest plugin, run the way users run it: in a fresh pytest, through its entry point."""

from __future__ import annotations

import pytest

import pmsim


def test_fixtures_in_this_very_suite(pmsim: pmsim.Simulator, pmsim_stripe) -> None:  # type: ignore[no-untyped-def]
    customer = pmsim_stripe.v1.customers.create({"email": "ada@example.com"})
    assert pmsim.customers.retrieve(customer.id).email == "ada@example.com"


def test_plugin_in_a_users_project(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.pmsim(seed=7, start_time="2030-01-01T00:00:00Z")
        def test_marker(pmsim, pmsim_stripe):
            cus = pmsim_stripe.v1.customers.create({"email": "a@example.com"})
            assert pmsim.seed == 7
            assert cus.created == 1893456000

        def test_fresh_simulator_each_time(pmsim):
            assert pmsim.customers.list().data == ()
            pmsim.customers.create()

        def test_fresh_again(pmsim):
            assert pmsim.customers.list().data == ()
            pmsim.customers.create()

        @pytest.mark.pmsim(colour="blue")
        def test_bad_marker(pmsim):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.pmsim got colour; it takes seed, start_time*"])


def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers", "-p", "no:randomly")
    result.stdout.fnmatch_lines(["*pmsim(seed=0, start_time=None)*"])


def test_plugin_under_xdist(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.parametrize("n", range(8))
        def test_isolated(pmsim, pmsim_stripe, n):
            assert pmsim.customers.list().data == ()
            pmsim_stripe.v1.customers.create({"email": f"c{n}@example.com"})
            assert len(pmsim.customers.list().data) == 1
        """
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=8)
