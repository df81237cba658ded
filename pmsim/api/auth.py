"""API keys: Bearer or basic auth with a test-mode key; live keys are refused.

>>> api_key(ApiRequest("GET", "/v1/customers", headers={"Authorization": "Bearer sk_test_1"}))
'sk_test_1'
"""

from __future__ import annotations

import base64
from functools import lru_cache

from pmsim.api.wire import ApiRequest
from pmsim.domain.messages import http

TEST_PREFIXES = ("sk_test_", "rk_test_")
LIVE_PREFIXES = ("sk_live_", "rk_live_")


#: Authorization headers longer than this are parsed afresh each time, never remembered.
_REMEMBERED_LENGTH = 512


def api_key(request: ApiRequest) -> str:
    """The request's test-mode key, or Stripe's 401 for a missing, live or malformed one."""
    header = request.headers.get("authorization")  # names are kept lower-case
    if not header:
        raise http.no_api_key()
    if len(header) <= _REMEMBERED_LENGTH:
        return _remembered_key(header)
    return _key(header)


def _key(header: str) -> str:
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        key = credentials.strip()
    elif scheme.lower() == "basic":
        # curl -u sk_test_...: sends "key:" base64-encoded; the key is the user name.
        try:
            key = base64.b64decode(credentials.strip()).decode("utf-8").partition(":")[0]
        except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
            raise http.invalid_api_key(credentials) from None
    else:
        raise http.no_api_key()
    if not key:
        raise http.no_api_key()
    if key.startswith(LIVE_PREFIXES):
        raise http.live_api_key(key)
    if not key.startswith(TEST_PREFIXES) or len(key.split()) != 1:
        raise http.invalid_api_key(key)
    return key


# Every request is authorized, by the server's pool and again by ``handle``, and a test
# suite sends the same few headers over and over (a pure function: refusals raise, so only
# accepted keys are kept).
_remembered_key = lru_cache(maxsize=256)(_key)
