"""SEPA Direct Debit payment methods (issue 15, "Bank debits"): made from IBANs, attached,
listed by type, and saved for later only with a mandate (SetupIntents). Payments are in
``test_sepa_payments.py``."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from pmsim.domain.ibans import BANK_CODES, TEST_IBANS, TestIban
from pmsim.domain.lifecycle import PMState
from tests.support import RETURN_URL, assert_stripe_error, event_types

Sim = pmsim.Simulator

#: Every test IBAN, as Stripe's testing docs list them.
ROWS = [row for row in TEST_IBANS if row.iban]
NAME = {"name": "Jenny Rosen", "email": "jenny@example.com"}
ONLINE: dict[str, Any] = {
    "customer_acceptance": {
        "type": "online",
        "online": {"ip_address": "192.0.2.1", "user_agent": "Mozilla/5.0"},
    }
}
OFFLINE: dict[str, Any] = {"customer_acceptance": {"type": "offline"}}


def spaced(iban: str) -> str:
    """The IBAN as people write it: in lower case, in groups of four."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()


def sepa(sim: Sim, iban: str = "DE89370400440532013000") -> pmsim.domain.models.PaymentMethod:
    return sim.payment_methods.create(
        type="sepa_debit", sepa_debit={"iban": iban}, billing_details=NAME
    )


# --- Creating -------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_each_test_iban_makes_its_row_and_shows_only_what_stripe_shows(
    sim: Sim, row: TestIban
) -> None:
    iban = str(row.iban)
    pm = sepa(sim, spaced(iban))
    bank, branch = BANK_CODES[row.country]
    account = iban[4:]
    assert (pm.type, pm.test_row, pm.card, pm.state) == ("sepa_debit", row.name, None, PMState.NEW)
    body = pm.to_dict()
    assert "card" not in body and body["type"] == "sepa_debit"
    assert body["sepa_debit"] == {
        "bank_code": account[bank],
        "branch_code": None if branch is None else account[branch],
        "country": row.country,
        "fingerprint": pm.sepa_debit.fingerprint if pm.sepa_debit else None,
        "generated_from": None,
        "last4": iban[-4:],
    }
    assert iban not in str(body) and account not in str(body)  # never the account number
    assert dict(body["billing_details"], address=None) == {**NAME, "address": None, "phone": None}
    # Its test id makes the same account, again and again.
    from_id = sim.payment_methods.attach(str(row.test_pm), customer=sim.customers.create().id)
    assert (from_id.sepa_debit, from_id.test_row) == (pm.sepa_debit, pm.test_row)


def test_a_fingerprint_is_the_accounts_and_an_unlisted_iban_plays_a_success(sim: Sim) -> None:
    assert sepa(sim).sepa_debit == sepa(sim, "de89 3704 0044 0532 0130 00").sepa_debit
    assert sepa(sim).sepa_debit != sepa(sim, "DE62370400440532013001").sepa_debit
    italian = sepa(sim, "IT60X0542811101000000123456")  # valid, in no table: a success
    assert italian.test_row == "other_iban"
    assert (italian.sepa_debit.bank_code, italian.sepa_debit.branch_code) == ("05428", "11101")
    portuguese = sepa(sim, "PT50000201231234567890154")
    assert portuguese.sepa_debit.bank_code == "0002"
    swedish = sepa(sim, "SE4550000000058398257466")  # no bank code layout here: none shown
    assert (swedish.sepa_debit.bank_code, swedish.sepa_debit.country) == (None, "SE")


INVALID = "The IBAN you entered is invalid."


@pytest.mark.parametrize(
    ("iban", "message"),
    [
        ("DE89370400440532013001", INVALID),  # check digits fail
        ("DE8937040044053201300", INVALID),  # one character short
        ("DE89 3704 0044 0532 0130 00 0", INVALID),  # one too many
        (
            "US64SVBKUS6S3300958879",
            'The IBAN you entered is invalid, "US" is not a supported country code.',
        ),  # fmt: skip
        ("12345", INVALID),
        ("DEAB370400440532013000", INVALID),  # check digits are digits
        ("", "Missing required param: sepa_debit[iban]."),
    ],
)
def test_ibans_stripe_refuses(sim: Sim, iban: str, message: str) -> None:
    missing = iban == ""
    assert_stripe_error(
        lambda: sepa(sim, iban),
        message=message,
        code="parameter_missing" if missing else "invalid_bank_account_iban",
        param="sepa_debit[iban]",
        sim=sim,
    )


def test_the_account_holders_name_is_required(sim: Sim) -> None:
    assert_stripe_error(
        lambda: sim.payment_methods.create(
            type="sepa_debit",
            sepa_debit={"iban": "DE89370400440532013000"},
            billing_details={"email": "jenny@example.com"},
        ),  # fmt: skip
        message="Missing required param: billing_details[name].",
        code="parameter_missing",
        param="billing_details[name]",
        sim=sim,
    )
    assert_stripe_error(
        lambda: sim.payment_methods.create(type="sepa_debit", billing_details=NAME),
        message="Missing required param: sepa_debit.",
        code="parameter_missing",
        param="sepa_debit",
        sim=sim,
    )


def test_one_types_details_are_refused_on_another_type(sim: Sim) -> None:
    assert_stripe_error(
        lambda: sim.payment_methods.create(
            type="card", card={"token": "tok_visa"}, sepa_debit={"iban": "x"}
        ),
        message="You passed `sepa_debit` details, but this PaymentMethod's type is `card`: send "
        "only the details of its own type.",
        param="sepa_debit",
        sim=sim,
    )
    pm = sim.payment_methods.attach(sepa(sim).id, customer=sim.customers.create().id)
    assert_stripe_error(
        lambda: sim.payment_methods.update(pm.id, card={"exp_month": 1, "exp_year": 2030}),
        message="You passed `card` details, but this PaymentMethod's type is `sepa_debit`: send "
        "only the details of its own type.",
        param="card",
        sim=sim,
    )
    renamed = sim.payment_methods.update(pm.id, billing_details={"name": "J. Rosen"})
    assert renamed.billing_details.name == "J. Rosen" and renamed.sepa_debit == pm.sepa_debit


# --- Attaching and listing --------------------------------------------------------------------


def test_a_direct_attach_is_accepted_and_makes_no_mandate(sim: Sim) -> None:
    cus = sim.customers.create()
    mark = sim.event_count
    pm = sim.payment_methods.attach(sepa(sim).id, customer=cus.id)
    assert (pm.customer, pm.state) == (cus.id, PMState.ATTACHED)
    assert event_types(sim, mark) == ["payment_method.attached"]
    assert sim.snapshot().mandates == ()


def test_a_customers_payment_methods_are_listed_by_type(sim: Sim) -> None:
    cus = sim.customers.create()
    card = sim.payment_methods.attach("pm_card_visa", customer=cus.id)
    first = sim.payment_methods.attach(sepa(sim).id, customer=cus.id)
    second = sim.payment_methods.attach("pm_sepaDebit_success_at", customer=cus.id)
    listed = {
        kind: [pm.id for pm in sim.customers.list_payment_methods(cus.id, type=kind)]
        for kind in ("card", "sepa_debit", "us_bank_account")
    }
    assert listed == {"card": [card.id], "sepa_debit": [second.id, first.id], "us_bank_account": []}
    everything = sim.customers.list_payment_methods(cus.id)
    assert [pm.id for pm in everything] == [second.id, first.id, card.id]
    page = sim.payment_methods.list(customer=cus.id, type="sepa_debit", limit=1)
    assert ([pm.id for pm in page], page.has_more) == ([second.id], True)
    after = sim.payment_methods.list(customer=cus.id, type="sepa_debit", starting_after=second.id)
    assert [pm.id for pm in after] == [first.id]


# --- Saving for later: SetupIntents and mandates ---------------------------------------------


def test_a_setup_intent_with_mandate_data_makes_a_mandate_and_attaches(sim: Sim) -> None:
    cus = sim.customers.create()
    pm = sepa(sim)
    mark = sim.event_count
    seti = sim.setup_intents.create(
        customer=cus.id, payment_method=pm.id, confirm=True, return_url=RETURN_URL,
        mandate_data=ONLINE,
    )  # fmt: skip
    assert seti.status.value == "succeeded" and seti.mandate is not None
    assert seti.to_dict()["mandate"] == seti.mandate
    assert sim.payment_methods.retrieve(pm.id).customer == cus.id
    # No event for the mandate: Stripe's catalogue has mandate.updated only.
    assert event_types(sim, mark) == [
        "setup_intent.created", "payment_method.attached", "setup_intent.succeeded",
    ]  # fmt: skip
    mandate = sim.mandates.retrieve(seti.mandate).to_dict()
    assert mandate["customer_acceptance"] == {
        "accepted_at": sim.clock.now(), "online": ONLINE["customer_acceptance"]["online"],
        "type": "online",
    }  # fmt: skip
    assert (mandate["status"], mandate["type"], mandate["multi_use"]) == ("active", "multi_use", {})
    assert mandate["payment_method"] == pm.id
    assert mandate["payment_method_details"]["type"] == "sepa_debit"
    assert set(mandate["payment_method_details"]["sepa_debit"]) == {"reference", "url"}


def test_an_offline_acceptance_keeps_its_time_and_confirm_takes_mandate_data(sim: Sim) -> None:
    seti = sim.setup_intents.create(payment_method="pm_sepaDebit_success_de")
    accepted = {"customer_acceptance": {"type": "offline", "accepted_at": 1_600_000_000}}
    seti = sim.setup_intents.confirm(seti.id, return_url=RETURN_URL, mandate_data=accepted)
    mandate = sim.mandates.retrieve(str(seti.mandate)).to_dict()
    assert mandate["customer_acceptance"] == {
        "accepted_at": 1_600_000_000, "offline": {}, "type": "offline",
    }  # fmt: skip
    # Without a customer it is set up, with its mandate, and attachable once.
    pm = sim.payment_methods.retrieve(str(seti.payment_method))
    assert pm.state is PMState.SET_UP
    assert sim.payment_methods.attach(pm.id, customer=sim.customers.create().id).customer


def test_a_setup_intent_without_mandate_data_is_refused_and_changes_nothing(sim: Sim) -> None:
    cus = sim.customers.create()
    pm = sim.payment_methods.attach(sepa(sim).id, customer=cus.id)  # saved already: still
    seti = sim.setup_intents.create(customer=cus.id, payment_method=pm.id)
    error = assert_stripe_error(
        lambda: sim.setup_intents.confirm(seti.id, return_url=RETURN_URL),
        message="Missing required param: mandate_data.",
        code="parameter_missing",
        param="mandate_data",
        sim=sim,
    )
    assert error.hint is not None and "mandate_data" in error.hint
    assert sim.snapshot().mandates == ()


MANDATE_DATA_REFUSALS = [
    ({}, "mandate_data[customer_acceptance]"),
    ({"customer_acceptance": {}}, "mandate_data[customer_acceptance][type]"),
    ({"customer_acceptance": {"type": "online"}}, "mandate_data[customer_acceptance][online]"),
    (
        {"customer_acceptance": {"type": "online", "online": {"user_agent": "curl"}}},
        "mandate_data[customer_acceptance][online][ip_address]",
    ),
    (
        {"customer_acceptance": {"type": "online", "online": {"ip_address": "192.0.2.1"}}},
        "mandate_data[customer_acceptance][online][user_agent]",
    ),
]


@pytest.mark.parametrize(("mandate_data", "param"), MANDATE_DATA_REFUSALS)
def test_mandate_data_needs_its_acceptance(sim: Sim, mandate_data: Any, param: str) -> None:
    assert_stripe_error(
        lambda: sim.setup_intents.create(
            payment_method="pm_sepaDebit_success_de",
            confirm=True,
            return_url=RETURN_URL,
            mandate_data=mandate_data,
        ),  # fmt: skip
        message=f"Missing required param: {param}.",
        code="parameter_missing",
        param=param,
        sim=sim,
    )


def test_an_unknown_acceptance_type_and_mandate_data_without_confirm(sim: Sim) -> None:
    bad = {"customer_acceptance": {"type": "paper"}}
    error = assert_stripe_error(
        lambda: sim.setup_intents.create(payment_method="pm_sepaDebit_success_de",
                                         confirm=True, return_url=RETURN_URL, mandate_data=bad),
        message="Invalid mandate_data[customer_acceptance][type]: must be one of offline, or "
        "online",
        param="mandate_data[customer_acceptance][type]",
        sim=sim,
    )  # fmt: skip
    assert error.code is None
    for kind, create in (("SetupIntent", sim.setup_intents.create),
                         ("PaymentIntent", lambda **kw: sim.payment_intents.create(
                             amount=100, currency="eur", **kw))):  # fmt: skip
        assert_stripe_error(
            lambda create=create: create(mandate_data=OFFLINE),
            message=f"The parameter `mandate_data` cannot be passed when creating a {kind} "
            "unless `confirm` is set to true",
            param="mandate_data",
            sim=sim,
        )


def test_a_setup_intent_that_lists_only_cards_refuses_a_bank_debit() -> None:
    sim = pmsim.Simulator(api_version="2024-06-20")  # payment_method_types can still be sent
    seti = sim.setup_intents.create(payment_method_types=["card"])
    assert_stripe_error(
        lambda: sim.setup_intents.confirm(
            seti.id, payment_method="pm_sepaDebit_success_de", mandate_data=OFFLINE
        ),
        message="The PaymentMethod provided (sepa_debit) is not allowed for this SetupIntent. "
        "Please attach a PaymentMethod of one of the following types: card. Alternatively, "
        'update the allowed payment_method_types for this SetupIntent to include "sepa_debit"',
        sim=sim,
    )
    listed = sim.setup_intents.create(payment_method_types=["sepa_debit"])
    done = sim.setup_intents.confirm(
        listed.id, payment_method="pm_sepaDebit_success_de", mandate_data=OFFLINE
    )
    assert done.status.value == "succeeded"


def test_a_mandate_that_does_not_exist(sim: Sim) -> None:
    assert_stripe_error(
        lambda: sim.mandates.retrieve("mandate_nope"),
        status=404,
        message="No such mandate: 'mandate_nope'",
        code="resource_missing",
        param="mandate",
        sim=sim,
    )


def test_detaching_ends_the_payment_methods_mandates(sim: Sim) -> None:
    cus = sim.customers.create()
    first = sim.setup_intents.create(customer=cus.id, payment_method=sepa(sim).id, confirm=True,
                                     return_url=RETURN_URL, mandate_data=ONLINE)  # fmt: skip
    pm = str(first.payment_method)
    second = sim.setup_intents.create(customer=cus.id, payment_method=pm, confirm=True,
                                      return_url=RETURN_URL, mandate_data=OFFLINE)  # fmt: skip
    assert first.mandate != second.mandate  # one payment method, many mandates
    mark = sim.event_count
    sim.payment_methods.detach(pm)
    assert event_types(sim, mark) == [
        "payment_method.detached", "mandate.updated", "mandate.updated",
    ]  # fmt: skip
    for event in sim.events_since(mark)[1:]:
        assert event.to_dict()["data"]["previous_attributes"] == {"status": "active"}
        assert event.object.to_dict()["status"] == "inactive"
    for mandate in (first.mandate, second.mandate):
        assert sim.mandates.retrieve(str(mandate)).status.value == "inactive"
    # A card's detach, or deleting a customer whose debits have none, sends no mandate event.
    mark = sim.event_count
    sim.payment_methods.detach(sim.payment_methods.attach("pm_card_visa", customer=cus.id).id)
    sim.customers.delete(cus.id)
    assert "mandate.updated" not in event_types(sim, mark)


def test_deleting_the_customer_ends_the_mandates_too(sim: Sim) -> None:
    cus = sim.customers.create()
    seti = sim.setup_intents.create(
        customer=cus.id, payment_method="pm_sepaDebit_success_at", confirm=True,
        return_url=RETURN_URL, mandate_data=OFFLINE,
    )  # fmt: skip
    mark = sim.event_count
    sim.customers.delete(cus.id)
    assert event_types(sim, mark) == [
        "payment_method.detached", "mandate.updated", "customer.deleted",
    ]  # fmt: skip
    assert sim.mandates.retrieve(str(seti.mandate)).status.value == "inactive"
