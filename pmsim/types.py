"""The types of the Python API's parameters, for annotating your own code.

The simulator's methods are annotated with these, so an editor completes the keys of a hash
and mypy (or pyright) reports a misspelt parameter, key or value before anything runs. Import
them when you build a parameter apart from the call:

>>> import pmsim
>>> from pmsim.types import AddressParams
>>> home: AddressParams = {"line1": "1 Main St", "city": "Oslo", "country": "NO"}
>>> pmsim.Simulator().customers.create(address=home).address.city
'Oslo'

The values are still checked when the call runs, with Stripe's errors, whatever their type.
"""

from __future__ import annotations

from pmsim.domain.inputs import (
    AddressParams,
    AllowRedisplay,
    BillingDetailsParams,
    CaptureMethod,
    CardExpiryParams,
    CardNumberParams,
    CardParams,
    CardTokenParams,
    Created,
    CreatedRange,
    CustomerAcceptanceParams,
    InvoiceSettingsParams,
    MandateDataParams,
    MetadataParams,
    OnlineAcceptanceParams,
    PaymentCancellationReason,
    PaymentMethodType,
    SepaDebitParams,
    SetupCancellationReason,
    ShippingParams,
    SimulatedType,
    SimulatedTypes,
    StrList,
    TaxExempt,
    ThreeDSecureOutcome,
    Unset,
    Usage,
)

__all__ = [
    "AddressParams",
    "AllowRedisplay",
    "BillingDetailsParams",
    "CaptureMethod",
    "CardExpiryParams",
    "CardNumberParams",
    "CardParams",
    "CardTokenParams",
    "Created",
    "CreatedRange",
    "CustomerAcceptanceParams",
    "InvoiceSettingsParams",
    "MandateDataParams",
    "MetadataParams",
    "OnlineAcceptanceParams",
    "PaymentCancellationReason",
    "PaymentMethodType",
    "SepaDebitParams",
    "SetupCancellationReason",
    "ShippingParams",
    "SimulatedType",
    "SimulatedTypes",
    "StrList",
    "TaxExempt",
    "ThreeDSecureOutcome",
    "Unset",
    "Usage",
]
