"""API keys: Bearer or basic auth with a test-mode key; live keys are refused.

>>> api_key(ApiRequest("GET", "/v1/customers", headers={"Authorization": "Bearer sk_test_1"}))
'sk_test_1'
"""

from __future__ import annotations

import base64

from pmsim.api.wire import ApiRequest
from pmsim.domain.messages import http

TEST_PREFIXES = ("sk_test_", "rk_test_")
LIVE_PREFIXES = ("sk_live_", "rk_live_")


def api_key(request: ApiRequest) -> str:
    """The request's test-mode key, or Stripe's 401 for a missing, live or malformed one."""
    header = request.header("authorization")
    if not header:
        raise http.no_api_key()
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
