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

from pmsim.api import connect, forms, routes, wire
from pmsim.api.auth import api_key
from pmsim.api.expand import TOTAL_COUNT, expand
from pmsim.api.expand import check as check_expand
from pmsim.api.session import ApiState, Saved, state_of
from pmsim.api.wire import ApiRequest, ApiResponse, encode
from pmsim.domain import errors, params, versions
from pmsim.domain.messages import http, parameters
from pmsim.domain.messages import versions as version_messages
from pmsim.domain.version_shapes import render
from pmsim.domain.versions import ApiVersion
from pmsim.engine import Simulator

__all__ = ["ApiRequest", "ApiResponse", "api_key", "handle", "refuse"]

READ_METHODS = ("GET", "DELETE")
#: "Idempotency keys are up to 255 characters long" (https://docs.stripe.com/idempotency).
MAX_IDEMPOTENCY_KEY_LENGTH = 255


def handle(sim: Simulator, request: ApiRequest) -> ApiResponse:
    """Answer one request as Stripe test mode would: a JSON object, or Stripe's error envelope.

    Never raises for anything a client can send; pmsim's own limits (an endpoint or payment
    method type it does not simulate) come back as JSON errors that say so.
    """
    with sim.lock:  # a restore() swaps the API state for its copy
        state = state_of(sim)
        request_id = state.request_ids.new("req")
    version = sim.api_version  # until the request's own is read
    headers = {
        "content-type": "application/json",
        "request-id": request_id,
        "stripe-version": version.name,
    }
    given = request.headers
    try:
        # The version the request asks for answers it, and the response says which it was;
        # without a Stripe-Version header, the account's default answers.
        if asked := given.get("stripe-version"):
            version = requested_version(asked, version)
            headers["stripe-version"] = version.name
        _check_size(request)
        key = given.get("idempotency-key")
        if key is not None and len(key) > MAX_IDEMPOTENCY_KEY_LENGTH:
            raise http.idempotency_key_too_long(len(key), MAX_IDEMPOTENCY_KEY_LENGTH)
        secret = api_key(request)
        on_behalf_of = given.get("stripe-account")
        if on_behalf_of is not None:  # the platform's own account, or Stripe's 403
            connect.check_account(sim, secret, on_behalf_of)
        sim.answering((request_id, key))
        scope = sim.with_version(version)
        try:
            return _dispatch(sim, state, request, headers, secret, version)
        finally:
            scope.reset()
            sim.answering(None)
    except errors.StripeError as err:
        body = render(err.to_dict(), version)  # a decline carries the intent
        return ApiResponse(err.http_status, with_hint(headers, err), body)
    except errors.PmsimUsageError as err:
        body = {"error": {"message": str(err), "type": "invalid_request_error"}}
        return ApiResponse(400, headers, body)


def refuse(sim: Simulator, err: errors.StripeError) -> ApiResponse:
    """Stripe's envelope for ``err``, with a request id from ``sim``: for a transport that
    refuses a request before it can become an ``ApiRequest`` (a bad Content-Length)."""
    with sim.lock:
        request_id = state_of(sim).request_ids.new("req")
    headers = {"content-type": "application/json", "request-id": request_id}
    return ApiResponse(err.http_status, headers, err.to_dict())


def requested_version(text: str, default: ApiVersion) -> ApiVersion:
    """The version a ``Stripe-Version`` header names; Stripe's 400 (naming ``default``, the
    account's) for a version it does not know."""
    if not wire.header_safe(text):  # never echoed: CR/LF would split the response
        raise http.invalid_stripe_version_header(default.name)
    return versions.parse(text)


def _check_size(request: ApiRequest) -> None:
    """Refuse a body or query over the limit (413) or not UTF-8 (400), before reading it."""
    body, query = request.body, request.query
    if body.isascii() and query.isascii() and len(body) + len(query) <= wire.MAX_BODY_BYTES:
        return  # most requests: nothing more to check
    for text in (body, query):
        size = wire.size_in_bytes(text)
        if size > wire.MAX_BODY_BYTES:
            raise http.body_too_large(size, wire.MAX_BODY_BYTES)
        if not wire.is_utf8(text):
            raise http.body_not_utf8()


def _dispatch(
    sim: Simulator,
    state: ApiState,
    request: ApiRequest,
    headers: dict[str, str],
    secret: str,
    version: ApiVersion,
) -> ApiResponse:
    found = routes.match(request.method, request.path)
    if found is None:
        simulated = [route.label for route in routes.ROUTES]
        raise http.unrecognized_url(request.method, request.path, simulated)
    route, path_values = found
    connect.check_path(sim, secret, route, path_values)  # the API key, named if refused
    text = request.query if request.method in READ_METHODS else request.body
    values = forms.decode(text) if text else {}  # most reads: no query, no call
    key = request.headers.get("idempotency-key") if request.method == "POST" else None
    # Path, parameters as sent (before expand is taken out) and key, for comparing retries;
    # None without a key (an empty key is no key).
    sent = (request.path, dict(values), key) if key else None
    wanted = values.pop("expand", None)
    if not route.parameters.issuperset(values):
        raise parameters.unknown_parameter(next(n for n in values if n not in route.parameters))
    expand_paths: tuple[str, ...] = ()
    if wanted is not None:
        expand_paths = params.string_list(wanted, "expand")
        if route.many and not route.searches and TOTAL_COUNT in expand_paths:
            raise _uncounted(version)
        check_expand(route.returns, route.many, expand_paths, counted=route.searches)
    call = (route, path_values, values, expand_paths, version)
    if sent is None:
        return ApiResponse(200, headers, _run(sim, *call))
    return _idempotent(sim, state, sent, headers, call)


def _uncounted(version: ApiVersion) -> errors.StripeError:
    """``expand[]=total_count`` on a list: refused from basil, and before it too for new
    accounts, which every simulator is ("New users can't expand total_count on earlier
    Stripe versions", the basil changelog)."""
    if versions.TOTAL_COUNT_FORBIDDEN.holds(version):
        return version_messages.total_count_forbidden(version.name)
    return version_messages.total_count_forbidden_new_account(version.name)


def _run(
    sim: Simulator,
    route: routes.Route,
    path_values: tuple[str, ...],
    values: dict[str, Any],
    expand_paths: tuple[str, ...],
    version: ApiVersion,
) -> dict[str, Any]:
    operation = getattr(getattr(sim, route.namespace), route.operation)
    result = operation(*path_values, **values)
    if expand_paths and route.searches and TOTAL_COUNT in expand_paths:
        body = result.to_dict(total_count=True)
        expand_paths = tuple(path for path in expand_paths if path != TOTAL_COUNT)
    else:
        body = result.to_dict()
    return render(expand(sim, body, expand_paths) if expand_paths else body, version)


#: pmsim's own response header: the error's teaching hint, beside Stripe's exact envelope
#: (stripe-python keeps it on the error: ``err.headers["pmsim-hint"]``).
HINT_HEADER = "pmsim-hint"


def with_hint(headers: dict[str, str], err: errors.StripeError) -> dict[str, str]:
    """``headers``, plus the error's hint when it has one (in ASCII: a header's alphabet)."""
    if err.hint is None:
        return headers
    return headers | {HINT_HEADER: wire.header_text(err.hint)}


def _idempotent(
    sim: Simulator,
    state: ApiState,
    sent: tuple[str, dict[str, Any], str],
    headers: dict[str, str],
    call: tuple[routes.Route, tuple[str, ...], dict[str, Any], tuple[str, ...], ApiVersion],
) -> ApiResponse:
    """Replay the saved response for a key seen before, or run and save, as Stripe's
    idempotency keys do.

    ``sent`` is the request's path, its parameters as sent and its key. Only responses from
    requests that ran are saved: 200s and card errors (402). Requests refused while checking
    parameters (other 4xx) are not, so they can be retried.
    """
    path, values, key = sent
    with sim.lock:  # one request per key at a time, so a retry never runs twice
        now = sim.clock.now()
        saved = state.lookup(key, now)
        if saved is not None:
            if saved.path != path:
                raise http.idempotency_endpoint_differs(key, saved.path, path)
            if saved.params != values:
                raise http.idempotency_params_differ(key)
            return saved.replay(headers["request-id"])
        try:
            status, body = 200, _run(sim, *call)
        except errors.CardError as err:
            status, headers = err.http_status, with_hint(headers, err)
            body = render(err.to_dict(), call[-1])
        text = encode(body)
        state.save(key, Saved(path, values, status, headers, text, now))
        return ApiResponse(status, headers, body, text)
