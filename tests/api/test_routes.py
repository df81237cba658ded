"""The route table's rule that tells an id from a word: a path segment where an id could stand
is not an id when a route (or a Stripe path pmsim does not serve) under the same resource uses
it as a literal word, so ``/v1/customers/search`` is never a lookup of customer "search"."""

from __future__ import annotations

import pytest

import pmsim
from pmsim.api import routes
from tests.support import api_call

METHODS = ("GET", "POST", "DELETE")


def answer(sim: pmsim.Simulator, method: str, path: str) -> dict:
    response = api_call(sim, method, path)
    return {"status": response.status, **response.body}


def test_reserved_words_are_the_literal_words_at_each_place() -> None:
    words = routes.reserved_words(
        ["/v1/things", "/v1/things/search", "/v1/things/{thing}", "/v1/things/{thing}/poke"]
    )
    assert words[("v1", "things")] == frozenset({"search"})
    assert words[("v1", "things", "{}")] == frozenset({"poke"})
    assert ("v1", "things", "{}", "poke") not in words


def test_the_table_reserves_stripes_search_words() -> None:
    assert "search" in routes.WORDS[("v1", "customers")]
    assert "search" in routes.WORDS[("v1", "payment_intents")]


@pytest.mark.parametrize("path", ["/v1/customers/search", "/v1/payment_intents/search"])
@pytest.mark.parametrize("method", METHODS)
def test_a_word_is_never_taken_for_an_id(method: str, path: str) -> None:
    # Served as itself (GET) or not at all: never as an {id} route.
    found = routes.match(method, path)
    assert found is None or found[0].template == path


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/customers/search"),
        ("DELETE", "/v1/customers/search"),
        ("GET", "/v1/customers/search/payment_methods"),
        ("POST", "/v1/payment_intents/search"),
        ("POST", "/v1/payment_intents/search/confirm"),
        ("GET", "/v1/customers/cus_x/unknown_thing"),
        ("GET", "/v1/payment_methods/pm_x/foo"),
        ("POST", "/v1/payment_methods/pm_x/foo"),
    ],
)
def test_paths_that_are_not_routes_are_never_no_such(
    sim: pmsim.Simulator, method: str, path: str
) -> None:
    body = answer(sim, method, path)
    assert body["status"] == 404, body
    assert body["error"]["message"].startswith(f"Unrecognized request URL ({method}: {path}).")
    assert "code" not in body["error"]


@pytest.mark.parametrize(
    "path", ["/v1/customers/searching", "/v1/customers/Search", "/v1/customers/cus_search"]
)
def test_ids_that_only_look_like_a_word_are_still_ids(sim: pmsim.Simulator, path: str) -> None:
    body = answer(sim, "GET", path)
    assert body["status"] == 404
    assert body["error"]["message"] == f"No such customer: '{path.rsplit('/', 1)[1]}'"
    assert body["error"]["code"] == "resource_missing"


def test_every_route_is_found_with_its_path_values_in_order() -> None:
    # One expression per method finds the route; its values are read from that same match.
    for route in routes.ROUTES:
        values = tuple(f"id{n}_{name}" for n, name in enumerate(route.placeholders))
        path = route.template
        for name, value in zip(route.placeholders, values, strict=True):
            path = path.replace("{" + name + "}", value)
        assert routes.match(route.method, path) == (route, values), route.label
