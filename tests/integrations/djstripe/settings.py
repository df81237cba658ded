"""The smallest Django project dj-stripe runs in, pointed at ``pmsim serve`` by settings alone.

``driver.py`` sets PMSIM_URL, PMSIM_KEY and PMSIM_DB before Django reads this module.
"""

from __future__ import annotations

import os

SECRET_KEY = "not-a-secret: a throwaway project"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
ROOT_URLCONF = "urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# djstripe's Customer links to a subscriber, AUTH_USER_MODEL by default: hence auth.
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "djstripe"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["PMSIM_DB"],
        # Two threads write: the driver, and the webhook view pmsim posts to. IMMEDIATE
        # transactions take the write lock up front and wait for it (up to the timeout),
        # where a deferred one that later needs it fails at once with "database is locked".
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE"},
    },
}

# The one setting that points dj-stripe at pmsim: djstripe.settings copies it to stripe.api_base
# (the hook dj-stripe documents for stripe-mock).
STRIPE_API_HOST = os.environ["PMSIM_URL"]
STRIPE_TEST_SECRET_KEY = os.environ["PMSIM_KEY"]
STRIPE_LIVE_MODE = False
# dj-stripe 2.x's recommended value (its models key on Stripe's ids).
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
# Webhooks are checked as in production: Stripe-Signature against the endpoint's secret.
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
