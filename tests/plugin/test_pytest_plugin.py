"""The pytest plugin, run the way users run it: in a fresh pytest, through its entry point."""

from __future__ import annotations

import pytest

import pmsim


def test_fixtures_in_this_very_suite(pmsim: pmsim.Simulator, pmsim_stripe) -> None:  # type: ignore[no-untyped-def]
    customer = pmsim_stripe.v1.customers.create({"email": "ada@example.com"})
    assert pmsim.customers.retrieve(customer.id).email == "ada@example.com"


def test_pmsim_sim_is_the_same_simulator_with_the_module_in_reach(
    pmsim_sim, pmsim_stripe, request: pytest.FixtureRequest
) -> None:
    assert isinstance(pmsim_sim, pmsim.Simulator)  # here pmsim is still the module
    assert request.getfixturevalue("pmsim") is pmsim_sim
    customer = pmsim_stripe.v1.customers.create({"email": "ada@example.com"})
    assert pmsim_sim.customers.retrieve(customer.id).email == "ada@example.com"


@pytest.mark.slow
def test_pmsim_sim_in_a_users_project(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pmsim
        import pytest

        @pytest.mark.pmsim(seed=5)
        def test_alias(pmsim_sim, pmsim_stripe):
            assert isinstance(pmsim_sim, pmsim.Simulator) and pmsim_sim.seed == 5
            with pytest.raises(pmsim.InvalidRequestError):
                pmsim_sim.customers.retrieve("cus_missing")
            customer = pmsim_stripe.v1.customers.create()
            assert pmsim_sim.customers.retrieve(customer.id).id == customer.id

        def test_one_simulator_under_both_names(pmsim, pmsim_sim):
            assert pmsim_sim is pmsim

        def test_the_fixture_named_pmsim_hides_the_module(pmsim):
            assert isinstance(pmsim, type(pmsim)) and not hasattr(pmsim, "Simulator")
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


@pytest.mark.slow
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


@pytest.mark.slow
def test_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest_subprocess("--markers", "-p", "no:randomly")
    result.stdout.fnmatch_lines(
        ["*pmsim(seed=0, start_time=None, api_version=None, scenario=None)*"]
    )


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_marker_replays_a_scenario_first(pytester: pytest.Pytester) -> None:
    pytester.makefile(
        ".yaml",
        story="name: Ada\nseed: 3\nsteps:\n"
        "  - customers.create: {email: ada@example.com}\n    as: ada\n"
        "  - payment_methods.attach: {payment_method: pm_card_visa, customer: '${ada}'}\n"
        "    as: visa\n",
        broken="name: Broken\nsteps:\n  - customers.retrieve: {customer: cus_nope}\n",
        invalid="name: Invalid\nsteps:\n  - customers.craete: {}\n",
        # payment_method_types is refused on the newest version: this replays only on its own
        pinned="name: Pinned\napi_version: 2024-06-20\nsteps:\n"
        "  - payment_intents.create: {amount: 500, currency: usd, payment_method_types: [card]}\n",
    )
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.pmsim(scenario="story.yaml")
        def test_starts_from_the_story(pmsim, pmsim_transcript, pmsim_stripe):
            ada = pmsim_transcript.names["ada"]
            assert pmsim.seed == 3
            cards = pmsim_stripe.v1.customers.payment_methods.list(ada["id"])
            assert [card.id for card in cards] == [pmsim_transcript.names["visa"]["id"]]

        @pytest.mark.pmsim(scenario="story.yaml", seed=11)
        def test_seed_overrides(pmsim, pmsim_transcript):
            assert pmsim.seed == 11 and pmsim_transcript.seed == 11

        @pytest.mark.pmsim(scenario="pinned.yaml")
        def test_on_the_scenario_s_api_version(pmsim, pmsim_transcript):
            assert str(pmsim.api_version) == pmsim_transcript.api_version == "2024-06-20"

        def test_no_scenario_no_transcript(pmsim_transcript):
            assert pmsim_transcript is None

        @pytest.mark.pmsim(scenario="broken.yaml")
        def test_broken(pmsim):
            pass

        @pytest.mark.pmsim(scenario="invalid.yaml")
        def test_invalid(pmsim):
            pass
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*the scenario did not replay cleanly:*",
            "*FAIL  1  customers.retrieve(customer='cus_nope')*",
            "*invalid.yaml:3:5: step 1: unknown operation 'customers.craete'*",
        ]
    )


@pytest.mark.slow
def test_the_scenario_path_is_looked_for_beside_the_test_then_under_the_rootdir(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini("[pytest]\n")  # the rootdir is pytester's folder, the tests one below
    story = "name: {0}\nseed: {1}\nsteps:\n  - customers.create: {{}}\n"
    pytester.mkdir("tests")
    pytester.mkdir("scenarios")
    (pytester.path / "tests" / "story.yaml").write_text(story.format("Beside", 1))
    (pytester.path / "story.yaml").write_text(story.format("Rootdir", 2))
    (pytester.path / "scenarios" / "root.yaml").write_text(story.format("Root", 3))
    absent = pytester.path / "absent.yaml"
    (pytester.path / "tests" / "test_paths.py").write_text(
        f"""
import pytest

@pytest.mark.pmsim(scenario="story.yaml")
def test_beside_the_test_file_first(pmsim):
    assert pmsim.seed == 1

@pytest.mark.pmsim(scenario="scenarios/root.yaml")
def test_then_under_the_rootdir(pmsim):
    assert pmsim.seed == 3

@pytest.mark.pmsim(scenario="scenarios/nowhere.yaml")
def test_in_neither(pmsim):
    pass

@pytest.mark.pmsim(scenario={str(absent)!r})
def test_absolute_and_absent(pmsim):
    pass
"""
    )
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=2)
    tests, root = pytester.path / "tests", pytester.path
    result.stdout.fnmatch_lines(
        [
            "*@pytest.mark.pmsim(scenario='scenarios/nowhere.yaml'): no such scenario file. "
            f"Looked at {tests}/scenarios/nowhere.yaml (beside the test file); "
            f"{root}/scenarios/nowhere.yaml (under the rootdir)",
            f"*@pytest.mark.pmsim(scenario='{absent}'): no such scenario file. "
            f"Looked at {absent} (as given)",
        ],
        consecutive=False,
    )
