"""The Python API's parameter types: mypy catches a user's typo, and the types say exactly what
the engine's run-time checks accept."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

import pytest

from pmsim.domain import card_input, customer_params, pm_params
from pmsim.engine import (
    NAMESPACES,
    captures,
    listing,
    payment_intents,
    setup_intents,
    three_d_secure,
)
from pmsim.types import (
    AddressParams,
    AllowRedisplay,
    BillingDetailsParams,
    CaptureMethod,
    CardExpiryParams,
    CardNumberParams,
    CardTokenParams,
    CreatedRange,
    InvoiceSettingsParams,
    PaymentCancellationReason,
    PaymentMethodType,
    SetupCancellationReason,
    ShippingParams,
    SimulatedType,
    TaxExempt,
    ThreeDSecureOutcome,
    Usage,
)

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
from __future__ import annotations

import pmsim
from pmsim.types import AddressParams, CardParams

sim = pmsim.Simulator()
home: AddressParams = {"line1": "1 Main St", "city": "Oslo", "country": "NO"}
cus = sim.customers.create(
    email="ada@example.com", address=home, metadata={"plan": "pro", "seats": 3, "vip": True},
    preferred_locales=["nb", "en"], tax_exempt="none",
    shipping={"name": "Ada", "address": {"city": "Oslo"}},
)
card: CardParams = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
pm = sim.payment_methods.create(type="card", card=card, billing_details={"name": "Ada"})
pm = sim.payment_methods.create(type="card", card={"token": "tok_visa"})
pm = sim.payment_methods.attach(pm.id, customer=cus.id)
sim.payment_methods.update(pm.id, card={"exp_year": 2031}, metadata="")
sim.customers.update(cus.id, invoice_settings={"default_payment_method": pm.id}, address="")
sim.setup_intents.create(customer=cus.id, payment_method_types=["card"], usage="on_session")
pi = sim.payment_intents.create(
    amount=2000, currency="eur", customer=cus.id, payment_method="pm_card_visa", confirm=True,
    setup_future_usage="off_session", capture_method="automatic_async",
)
sim.payment_intents.cancel(pi.id, cancellation_reason="requested_by_customer")
held = sim.payment_intents.create(amount=900, currency="usd", capture_method="manual")
sim.payment_intents.capture(held.id, amount_to_capture=500, metadata={"order": "7"})
sim.events.list(created={"gte": 0}, types=["customer.created"], limit=3)
sim.customers.list_payment_methods(cus.id, type="sepa_debit")
sim.three_d_secure.complete(pi.id, outcome="fail")
clock = sim.test_clocks.create(frozen_time=1_704_067_200, name="Renewal")
sim.webhook_endpoints.create(url="https://example.com/hook", enabled_events=["*"])
"""

#: Each line of user code with a mistake, and what mypy says about it.
MISTAKES = {
    'sim.customers.create(emial="x")': 'Unexpected keyword argument "emial"',
    'sim.payment_methods.create(type="card", card={"numbr": "4242424242424242"})': (
        'Argument "card" to "create" of "PaymentMethods"'
    ),
    'sim.customers.update("cus_1", invoice_settings={"default_payment_metod": "pm_1"})': (
        'Argument "invoice_settings" to "update" of "Customers"'
    ),
    'sim.payment_methods.create(type="card", card={"token": "tok_visa", "cvc": "123"})': (
        'Argument "card" to "create" of "PaymentMethods"'
    ),
    'sim.payment_methods.update("pm_1", card={"number": "4242424242424242"})': (
        'Argument "card" to "update" of "PaymentMethods"'
    ),
    'sim.customers.create(address={"zip": "0150"})': 'Argument "address" to "create"',
    'sim.customers.create(shipping={"address": {"city": "Oslo"}})': 'Argument "shipping"',
    'sim.customers.create(tax_exempt="exmpt")': 'Argument "tax_exempt"',
    'sim.customers.create(preferred_locales="fr")': 'Argument "preferred_locales"',
    'sim.customers.create(balance="12")': 'Argument "balance"',
    'sim.payment_methods.create(type="ideal")': 'Argument "type"',
    'sim.setup_intents.create(usage="offsession")': 'Argument "usage"',
    'sim.setup_intents.create(confirm="true")': 'Argument "confirm"',
    'sim.payment_intents.create(amount=100, currency="usd", capture_method="manaul")': (
        'Argument "capture_method"'
    ),
    'sim.payment_intents.cancel("pi_1", cancellation_reason="fraud")': (
        'Argument "cancellation_reason"'
    ),
    'sim.three_d_secure.complete("seti_1", outcome="success")': 'Argument "outcome"',
    'sim.webhook_endpoints.create(url="https://example.com", enabled_events="*")': (
        'Argument "enabled_events"'
    ),
}


def test_mypy_reports_each_typo_and_passes_correct_code(tmp_path, monkeypatch) -> None:
    mypy_api = pytest.importorskip("mypy.api")
    header = "from __future__ import annotations\n\nimport pmsim\n\nsim = pmsim.Simulator()\n"
    bad = tmp_path / "typed_api_typos.py"
    bad.write_text(header + "".join(f"{line}\n" for line in MISTAKES))
    good = tmp_path / "typed_api_correct.py"
    good.write_text(GOOD)
    monkeypatch.chdir(ROOT)  # pmsim is found here; the project's settings (strict) apply
    out, err, status = mypy_api.run(
        ["--config-file", str(ROOT / "pyproject.toml"), "--no-error-summary", str(bad), str(good)]
    )
    assert status == 1, out + err
    # By file name: mypy's cache may repeat a fresh module's errors under an earlier run's path.
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert not [line for line in errors if f"{good.name}:" in line], out
    first = header.count("\n") + 1
    for number, (code, said) in enumerate(MISTAKES.items(), start=first):
        found = [line for line in errors if f"{bad.name}:{number}:" in line]
        assert found, f"mypy said nothing about {code}\n{out}"
        assert any(said in line for line in found), (code, found)


@pytest.mark.parametrize(
    ("hinted", "accepted"),
    [
        (AddressParams, customer_params.ADDRESS_FIELDS),
        (ShippingParams, customer_params.SHIPPING_FIELDS),
        (InvoiceSettingsParams, customer_params.INVOICE_SETTINGS_FIELDS),
        (BillingDetailsParams, pm_params.BILLING_FIELDS),
        (CardExpiryParams, pm_params.EXPIRY_FIELDS),
        (CardNumberParams, card_input.CARD_NUMBER_PARAMS),
        (CardTokenParams, ("token",)),
        (CreatedRange, listing.RANGE_KEYS),
    ],
)
def test_each_hash_type_has_exactly_the_keys_the_engine_accepts(hinted, accepted) -> None:
    assert set(hinted.__annotations__) == set(accepted)


@pytest.mark.parametrize(
    ("hinted", "accepted"),
    [
        (TaxExempt, customer_params.TAX_EXEMPT),
        (SimulatedType, pm_params.SIMULATED_TYPES),
        (PaymentMethodType, pm_params.STRIPE_TYPES),
        (AllowRedisplay, pm_params.ALLOW_REDISPLAY),
        (Usage, setup_intents.USAGES),
        (Usage, payment_intents.FUTURE_USAGES),
        (SetupCancellationReason, setup_intents.CANCELLATION_REASONS),
        (PaymentCancellationReason, payment_intents.CANCELLATION_REASONS),
        (ThreeDSecureOutcome, three_d_secure.OUTCOMES),
        (CaptureMethod, captures.CAPTURE_METHODS),
    ],
)
def test_each_literal_has_exactly_the_values_the_engine_accepts(hinted, accepted) -> None:
    assert set(typing.get_args(hinted)) == set(accepted)


def test_every_public_operation_is_annotated_and_its_annotations_resolve() -> None:
    for name, cls in NAMESPACES.items():
        for method, function in inspect.getmembers(cls, inspect.isfunction):
            if method.startswith("_"):
                continue
            hints = typing.get_type_hints(function)  # no name left unimported at run time
            parameters = list(inspect.signature(function).parameters)[1:]
            missing = [p for p in parameters if p not in hints]
            assert not missing, f"{name}.{method}: {missing}"
            assert typing.Any not in hints.values(), f"{name}.{method}"
