"""The verb table: every public method a step can reach is a verb or is left out on purpose."""

from __future__ import annotations

from pmsim.scenarios.verbs import NOT_VERBS, REACHABLE, VERB_NAMES, VERBS


def public_methods() -> set[str]:
    return {
        f"{namespace}.{name}"
        for namespace, cls in REACHABLE.items()
        for name in dir(cls)
        if not name.startswith("_") and callable(getattr(cls, name))
    }


def test_every_public_method_is_a_verb_or_left_out_on_purpose() -> None:
    # A new engine method fails here until it is added to VERB_NAMES (a scenario step can name
    # it) or to NOT_VERBS with the reason it is not one: which methods are verbs is a choice.
    undecided = public_methods() - set(VERB_NAMES) - set(NOT_VERBS)
    where = "pmsim/scenarios/verbs.py"
    assert not undecided, f"add each to VERB_NAMES or NOT_VERBS in {where}: {sorted(undecided)}"


def test_both_lists_name_only_public_methods_and_never_the_same_one() -> None:
    assert set(VERB_NAMES) <= public_methods()
    assert set(NOT_VERBS) <= public_methods()
    assert not set(VERB_NAMES) & set(NOT_VERBS)
    assert len(set(VERB_NAMES)) == len(VERB_NAMES)


def test_every_reason_says_something() -> None:
    assert all(reason.strip() for reason in NOT_VERBS.values())


def test_verbs_are_sorted_by_name_and_call_what_they_name() -> None:
    assert list(VERBS) == sorted(VERB_NAMES)
    for name, verb in VERBS.items():
        assert (verb.name, f"{verb.namespace}.{verb.method}") == (name, name)
