"""dj-stripe's webhook view, at the path its WebhookEndpoint model builds URLs for."""

from __future__ import annotations

from django.urls import include, path

urlpatterns = [path("stripe/", include("djstripe.urls", namespace="djstripe"))]
