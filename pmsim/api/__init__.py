"""Stripe's REST surface, framework-free: ``handle(sim, request) -> response`` is the one seam.

>>> import pmsim
>>> from pmsim.api import ApiRequest, handle
>>> sim = pmsim.Simulator()
>>> response = handle(sim, ApiRequest("POST", "/v1/customers", body="email=ada%40example.com",
...                                   headers={"Authorization": "Bearer sk_test_123"}))
>>> response.status, response.body["email"]
(200, 'ada@example.com')
"""

from __future__ import annotations

from typing import Any

from pmsim.api import forms, routes
from pmsim.api.auth import api_key
from pmsim.api.expand import check as check_expand
from pmsim.api.expand import expand
from pmsim.api.messages import ApiRequest, ApiResponse
from pmsim.api.session import ApiState, Saved, Sent, state_of
from pmsim.domain import errors, params
from pmsim.domain.models import API_VERSION
from pmsim.engine import Simulator

__all__ = ["ApiRequest", "ApiResponse", "api_key", "handle"]

READ_METHODS = ("GET", "DELETE")


def handle(sim: Simulator, request: ApiRequest) -> ApiResponse:
    """Answer one request as Stripe test mode would: a JSON object, or Stripe's error envelope.

    Never raises for anything a client can send; pmsim's own limits (an endpoint or payment
    method type it does not simulate) come back as JSON errors that say so.
    """
    state = state_of(sim)
    with sim._lock:
        request_id = state.request_ids.new("req")
    headers = {
        "content-type": "application/json",
        "request-id": request_id,
        "stripe-version": request.header("stripe-version") or API_VERSION,
    }
    try:
        api_key(request)
        sim._answer((request_id, request.header("idempotency-key")))
        try:
            return _dispatch(sim, state, request, headers)
        finally:
            sim._answer(None)
    except errors.StripeError as err:
        return ApiResponse(err.http_status, headers, err.to_dict())
    except errors.PmsimUsageError as err:
        body = {"error": {"message": str(err), "type": "invalid_request_error"}}
        return ApiResponse(400, headers, body)


def _dispatch(
    sim: Simulator, state: ApiState, request: ApiRequest, headers: dict[str, str]
) -> ApiResponse:
    found = routes.match(request.method, request.path)
    if found is None:
        simulated = [route.label for route in routes.ROUTES]
        raise errors.unrecognized_url(request.method, request.path, simulated)
    route, path_values = found
    text = request.query if request.method in READ_METHODS else request.body
    values = forms.decode(text)
    sent = dict(values)  # as sent, for comparing idempotent retries
    expand_paths = params.string_list(values.pop("expand", []), "expand")
    for name in values:
        if name not in route.parameters:
            raise errors.unknown_parameter(name)
    check_expand(route.returns, route.many, expand_paths)  # before anything changes
    key = request.header("idempotency-key") if request.method == "POST" else None
    key = key or None  # an empty key is no key
    if key is None:
        return ApiResponse(200, headers, _run(sim, route, path_values, values, expand_paths))
    call = (route, path_values, values, expand_paths)
    return _idempotent(sim, state, Sent(request.path, sent, key), headers, call)


def _run(
    sim: Simulator,
    route: routes.Route,
    path_values: tuple[str, ...],
    values: dict[str, Any],
    expand_paths: tuple[str, ...],
) -> dict[str, Any]:
    operation = getattr(getattr(sim, route.namespace), route.operation)
    return expand(sim, operation(*path_values, **values).to_dict(), expand_paths)


def _idempotent(
    sim: Simulator,
    state: ApiState,
    sent: Sent,
    headers: dict[str, str],
    call: tuple[routes.Route, tuple[str, ...], dict[str, Any], tuple[str, ...]],
) -> ApiResponse:
    """Replay the saved response for a key seen before, or run and save (§11.5).

    Only responses from requests that ran are saved: 200s and card errors (402). Requests
    refused while checking parameters (other 4xx) are not, so they can be retried.
    """
    key = sent.key
    with sim._lock:  # one request per key at a time, so a retry never runs twice
        saved = state.lookup(key, sim.clock.now())
        if saved is not None:
            if saved.path != sent.path:
                raise errors.idempotency_endpoint_differs(key, saved.path, sent.path)
            if saved.params != sent.params:
                raise errors.idempotency_params_differ(key)
            replayed = dict(saved.response.headers) | {
                "idempotent-replayed": "true",
                "request-id": headers["request-id"],
            }
            return ApiResponse(saved.response.status, replayed, saved.response.body)
        try:
            response = ApiResponse(200, headers, _run(sim, *call))
        except errors.CardError as err:
            response = ApiResponse(err.http_status, headers, err.to_dict())
        state.save(key, Saved(sent.path, sent.params, response, sim.clock.now()))
        return response
