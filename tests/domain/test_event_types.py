"""The table of Stripe's event types that ``enabled_events`` accepts, checked against Stripe's
OpenAPI subset (2023-08-16) and the installed stripe-python's generated parameter types."""

from __future__ import annotations

import typing

import pytest
from openapi_schemas import schema_at

from pmsim.domain.event_types import ENABLED_EVENTS, KNOWN
from pmsim.domain.events import EVENT_TYPES

#: Event types Stripe removed in API version 2024-04-10 (stripe-python 9.0.0's changelog,
#: ../shared/reference/stripe-versions.md): in the 2023-08-16 spec, not in the table.
REMOVED_2024_04_10 = {
    "order.created", "recipient.created", "recipient.deleted", "recipient.updated",
    "sku.created", "sku.deleted", "sku.updated",
}  # fmt: skip
ENUM = (
    "/paths/~1v1~1webhook_endpoints/post/requestBody/content/"
    "application~1x-www-form-urlencoded/schema/properties/enabled_events/items/enum"
)


def test_star_first_then_sorted_and_no_repeats() -> None:
    assert ENABLED_EVENTS[0] == "*"
    assert list(ENABLED_EVENTS[1:]) == sorted(set(ENABLED_EVENTS[1:]))
    assert len(KNOWN) == len(ENABLED_EVENTS)


def test_every_type_pmsim_emits_can_be_subscribed_to() -> None:
    assert set(EVENT_TYPES) <= KNOWN


def test_the_spec_subsets_types_are_all_there_but_the_removed_ones() -> None:
    spec = set(schema_at(ENUM))
    assert spec - KNOWN == REMOVED_2024_04_10
    assert not REMOVED_2024_04_10 & KNOWN


def test_the_installed_stripe_python_lists_no_type_the_table_lacks() -> None:
    params = pytest.importorskip("stripe.params._webhook_endpoint_create_params")
    hinted = params.WebhookEndpointCreateParams.__annotations__["enabled_events"]
    listed = set(typing.get_args(typing.get_args(hinted)[0]))
    missing = sorted(listed - KNOWN)
    assert not missing, f"new Stripe event types: add them to pmsim/domain/event_types.py {missing}"
