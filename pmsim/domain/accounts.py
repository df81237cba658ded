"""The platform's own Stripe account (``GET /v1/account``), as a record.

Each simulator is one Stripe account in test mode: a US Standard account, verified, able to
charge and be paid out, with no connected accounts. Its id comes from the seed; nothing about
it changes, so it is not kept in the store (docs/fidelity.md, "The account").

>>> account = Account("acct_1Nv0FGQ9RKHgCVdK", 1_704_067_200)
>>> account.to_dict()["charges_enabled"], account.to_dict()["default_currency"]
(True, 'usd')
"""

from __future__ import annotations

from typing import Any, Final

from attrs import frozen

COUNTRY: Final = "US"
DEFAULT_CURRENCY: Final = "usd"
EMAIL: Final = "pmsim@example.com"
NAME: Final = "pmsim"
TIMEZONE: Final = "Etc/UTC"
#: Stripe's default payout schedule for a new US account: daily, two days after the charge.
PAYOUT_SCHEDULE: Final = {"delay_days": 2, "interval": "daily"}
#: The capabilities a verified account uses to take card payments.
CAPABILITIES: Final = {"card_payments": "active", "transfers": "active"}


_REQUIREMENT_LISTS: Final = ("alternatives", "currently_due", "errors", "eventually_due",
                             "past_due", "pending_verification")  # fmt: skip


def _requirements() -> dict[str, Any]:
    """Nothing due: the account is verified."""
    return {"current_deadline": None, "disabled_reason": None} | {
        name: [] for name in _REQUIREMENT_LISTS
    }


def _settings() -> dict[str, Any]:
    nothing = None
    return {
        "branding": {"icon": nothing, "logo": nothing, "primary_color": nothing,
                     "secondary_color": nothing},
        "card_payments": {
            "decline_on": {"avs_failure": False, "cvc_failure": False},
            "statement_descriptor_prefix": nothing,
            "statement_descriptor_prefix_kana": nothing,
            "statement_descriptor_prefix_kanji": nothing,
        },
        "dashboard": {"display_name": NAME, "timezone": TIMEZONE},
        "payments": {
            "statement_descriptor": nothing,
            "statement_descriptor_kana": nothing,
            "statement_descriptor_kanji": nothing,
            "statement_descriptor_prefix_kana": nothing,
            "statement_descriptor_prefix_kanji": nothing,
        },
        "payouts": {"debit_negative_balances": True, "schedule": dict(PAYOUT_SCHEDULE),
                    "statement_descriptor": nothing},
        "sepa_debit_payments": {},
    }  # fmt: skip


@frozen
class Account:
    """A Stripe Account: the simulator's own, the only one there is."""

    id: str
    created: int

    def to_dict(self) -> dict[str, Any]:
        profile_fields = ("mcc", "product_description", "support_address", "support_email",
                          "support_phone", "support_url", "url")  # fmt: skip
        return {
            "id": self.id,
            "object": "account",
            "business_profile": {"name": NAME} | dict.fromkeys(profile_fields),
            "business_type": None,
            "capabilities": dict(CAPABILITIES),
            "charges_enabled": True,
            "controller": {"type": "account"},
            "country": COUNTRY,
            "created": self.created,
            "default_currency": DEFAULT_CURRENCY,
            "details_submitted": True,
            "email": EMAIL,
            "external_accounts": {
                "object": "list",
                "data": [],
                "has_more": False,
                "url": f"/v1/accounts/{self.id}/external_accounts",
            },
            "future_requirements": _requirements(),
            "metadata": {},
            "payouts_enabled": True,
            "requirements": _requirements(),
            "settings": _settings(),
            "tos_acceptance": {"date": self.created, "ip": None, "user_agent": None},
            "type": "standard",
        }
