"""US bank accounts (issue 15): created from test numbers, refused at attach until verified,
saved by a SetupIntent that waits for microdeposits, with Stripe's verification outcomes."""

from __future__ import annotations

from typing import Any

import pytest

import pmsim
from pmsim.domain.us_bank_accounts import TEST_BANK_ACCOUNTS
from tests.support import refused_unchanged as refused

Sim = pmsim.Simulator
ACCEPTED = {"customer_acceptance": {"type": "offline"}}
RETURN_URL = "https://example.com/return"


def account(sim: Sim, number: str = "000123456789", routing: str = "110000000") -> Any:
    return sim.payment_methods.create(
        type="us_bank_account", billing_details={"name": "Ada Lovelace"},
        us_bank_account={"routing_number": routing, "account_number": number},
    )  # fmt: skip


def waiting(sim: Sim, pm: str = "pm_usBankAccount_success", customer: bool = True) -> Any:
    owner = sim.customers.create(name="Ada").id if customer else None
    return sim.setup_intents.create(
        customer=owner, payment_method=pm, confirm=True, return_url=RETURN_URL,
        mandate_data=ACCEPTED,
    )  # fmt: skip


def test_create_shows_what_stripe_shows(sim: Sim) -> None:
    pm = account(sim)
    assert pm.type == "us_bank_account" and pm.card is None
    body = pm.to_dict()["us_bank_account"]
    assert body == {
        "account_holder_type": "individual", "account_type": "checking",
        "bank_name": "STRIPE TEST BANK", "financial_connections_account": None,
        "fingerprint": body["fingerprint"], "last4": "6789",
        "networks": {"preferred": "ach", "supported": ["ach"]},
        "routing_number": "110000000", "status_details": {},
    }  # fmt: skip
    assert account(sim).us_bank_account.fingerprint == body["fingerprint"]  # same account
    assert "card" not in pm.to_dict() and "verified" not in body


@pytest.mark.parametrize(
    ("fields", "code", "param"),
    [
        ({"routing_number": "110000001", "account_number": "000123456789"},
         "routing_number_invalid", "us_bank_account[routing_number]"),
        ({"routing_number": "110000000", "account_number": "12"},
         "account_number_invalid", "us_bank_account[account_number]"),
        ({"routing_number": "110000000"}, "parameter_missing", "us_bank_account[account_number]"),
    ],
)  # fmt: skip
def test_bad_numbers_are_refused(sim: Sim, fields: dict[str, str], code: str, param: str) -> None:
    error = refused(
        sim,
        lambda: sim.payment_methods.create(
            type="us_bank_account", us_bank_account=fields, billing_details={"name": "Ada"}
        ),
    )
    assert isinstance(error, pmsim.StripeError)
    assert (error.code, error.param) == (code, param)


def test_the_holders_name_is_required_and_instant_verification_is_not_simulated(
    sim: Sim,
) -> None:
    error = refused(
        sim,
        lambda: sim.payment_methods.create(
            type="us_bank_account",
            us_bank_account={"routing_number": "110000000", "account_number": "000123456789"},
        ),
    )
    assert isinstance(error, pmsim.StripeError) and error.param == "billing_details[name]"
    instant = refused(
        sim,
        lambda: sim.payment_methods.create(
            type="us_bank_account",
            billing_details={"name": "Ada"},
            us_bank_account={"financial_connections_account": "fca_1"},
        ),
    )
    assert isinstance(instant, pmsim.PmsimUsageError) and "Financial Connections" in str(instant)


@pytest.mark.parametrize("row", TEST_BANK_ACCOUNTS, ids=lambda row: row.name)
def test_every_test_account_and_its_test_id(sim: Sim, row: Any) -> None:
    made = account(sim, row.account_number)
    assert made.test_row == row.name
    cus = sim.customers.create()
    by_id = sim.setup_intents.create(customer=cus.id, payment_method=row.test_pm)
    pm = sim.payment_methods.retrieve(by_id.payment_method or "")
    assert pm.test_row == row.name and pm.us_bank_account.last4 == row.account_number[-4:]


def test_an_unverified_account_cannot_be_attached(sim: Sim) -> None:
    pm = account(sim)
    cus = sim.customers.create()
    error = refused(sim, lambda: sim.payment_methods.attach(pm.id, customer=cus.id))
    assert isinstance(error, pmsim.StripeError)
    assert "has not been verified" in error.message and error.param == "payment_method"
    refused(sim, lambda: sim.customers.create(payment_method=pm.id))


def test_a_setup_intent_waits_for_microdeposits_then_saves_the_account(sim: Sim) -> None:
    mark = sim.event_count
    seti = waiting(sim)
    assert seti.status.value == "requires_action"
    assert seti.next_action == {
        "type": "verify_with_microdeposits",
        "verify_with_microdeposits": {
            "arrival_date": sim.clock.now() + 86_400,
            "hosted_verification_url": seti.next_action["verify_with_microdeposits"][
                "hosted_verification_url"],
            "microdeposit_type": "descriptor_code",
        },
    }  # fmt: skip
    assert seti.mandate is None
    assert [e.type for e in sim.events_since(mark)] == [
        "customer.created", "setup_intent.created", "setup_intent.requires_action",
    ]  # fmt: skip
    mark = sim.event_count
    done = sim.setup_intents.verify_microdeposits(seti.id, amounts=[32, 45])
    assert done.status.value == "succeeded" and done.next_action is None
    pm = sim.payment_methods.retrieve(done.payment_method or "")
    assert pm.customer == done.customer and pm.us_bank_account.verified
    mandate = sim.mandates.retrieve(done.mandate or "")
    assert (mandate.payment_method, mandate.to_dict()["status"]) == (pm.id, "active")
    assert [e.type for e in sim.events_since(mark)] == [
        "payment_method.attached", "setup_intent.succeeded",
    ]  # fmt: skip
    again = refused(
        sim, lambda: sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    )
    assert isinstance(again, pmsim.StripeError)
    assert again.code == "payment_method_bank_account_already_verified"


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"descriptor_code": "SM33CC"},
         "payment_method_microdeposit_verification_attempts_exceeded"),
        ({"amounts": [10, 11]}, "payment_method_microdeposit_verification_attempts_exceeded"),
        ({"descriptor_code": "SM44DD"}, "payment_method_microdeposit_verification_timeout"),
        ({"amounts": [40, 41]}, "payment_method_microdeposit_verification_timeout"),
    ],
)  # fmt: skip
def test_the_test_values_that_end_verification(sim: Sim, values: dict[str, Any], code: str) -> None:
    seti = waiting(sim)
    mark = sim.event_count
    ended = sim.setup_intents.verify_microdeposits(seti.id, **values)
    assert ended.status.value == "requires_payment_method" and ended.payment_method is None
    assert ended.last_setup_error is not None and ended.last_setup_error.code == code
    assert [e.type for e in sim.events_since(mark)] == ["setup_intent.setup_failed"]


def test_wrong_values_are_counted_until_the_attempts_run_out(sim: Sim) -> None:
    seti = waiting(sim)
    with pytest.raises(pmsim.InvalidRequestError) as first:
        sim.setup_intents.verify_microdeposits(seti.id, amounts=[1, 2])
    assert first.value.code == "payment_method_microdeposit_verification_amounts_mismatch"
    assert first.value.message.endswith("You have 2 verification attempts remaining.")
    assert sim.setup_intents.retrieve(seti.id).status.value == "requires_action"
    with pytest.raises(pmsim.InvalidRequestError):
        sim.setup_intents.verify_microdeposits(seti.id, amounts=[1, 2])
    with pytest.raises(pmsim.InvalidRequestError) as last:
        sim.setup_intents.verify_microdeposits(seti.id, amounts=[1, 2])
    assert last.value.code == "payment_method_microdeposit_verification_attempts_exceeded"
    assert sim.setup_intents.retrieve(seti.id).status.value == "requires_payment_method"
    code = waiting(sim)
    with pytest.raises(pmsim.InvalidRequestError) as wrong_code:
        sim.setup_intents.verify_microdeposits(code.id, descriptor_code="SM99ZZ")
    assert wrong_code.value.message.endswith("You have 9 verification attempts remaining.")


@pytest.mark.parametrize(
    "values", [{}, {"amounts": [32, 45], "descriptor_code": "SM11AA"}, {"amounts": [32]}]
)
def test_verify_needs_exactly_one_kind_of_value(sim: Sim, values: dict[str, Any]) -> None:
    seti = waiting(sim)
    refused(sim, lambda: sim.setup_intents.verify_microdeposits(seti.id, **values))


def test_ten_days_without_verification_time_out_on_the_clock(sim: Sim) -> None:
    seti = waiting(sim)
    sim.clock.advance(days=9)
    assert sim.setup_intents.retrieve(seti.id).status.value == "requires_action"
    mark = sim.event_count
    sim.clock.advance(days=2)
    ended = sim.setup_intents.retrieve(seti.id)
    assert ended.last_setup_error is not None
    assert ended.last_setup_error.code == "payment_method_microdeposit_verification_timeout"
    events = sim.events_since(mark)
    assert [(e.type, e.created) for e in events] == [
        ("setup_intent.setup_failed", seti.created + 10 * 86_400)
    ]


def test_mandate_data_is_required_and_failing_microdeposits_are_recorded(sim: Sim) -> None:
    cus, pm = sim.customers.create(), account(sim)
    error = refused(
        sim,
        lambda: sim.setup_intents.create(
            customer=cus.id, payment_method=pm.id, confirm=True, return_url=RETURN_URL
        ),
    )
    assert isinstance(error, pmsim.StripeError) and error.param == "mandate_data"
    failed = waiting(sim, "pm_usBankAccount_failMicrodeposits")
    assert failed.status.value == "requires_payment_method"
    assert failed.last_setup_error is not None
    assert failed.last_setup_error.code == "payment_method_microdeposit_failed"


def test_without_a_customer_the_verified_account_is_set_up_and_attachable_once(sim: Sim) -> None:
    seti = waiting(sim, customer=False)
    done = sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    pm = sim.payment_methods.retrieve(done.payment_method or "")
    assert pm.state.value == "set_up" and pm.us_bank_account.verified
    cus = sim.customers.create()
    assert sim.payment_methods.attach(pm.id, customer=cus.id).customer == cus.id


def saved(sim: Sim, pm: str = "pm_usBankAccount_success") -> tuple[str, str]:
    """A customer and their verified account, saved by a SetupIntent."""
    seti = waiting(sim, pm)
    done = sim.setup_intents.verify_microdeposits(seti.id, descriptor_code="SM11AA")
    return done.customer or "", done.payment_method or ""


def pay(sim: Sim, customer: str, pm: str, currency: str = "usd") -> Any:
    return sim.payment_intents.create(
        amount=1500, currency=currency, customer=customer, payment_method=pm, confirm=True,
        off_session=True,
    )  # fmt: skip


def test_a_verified_account_pays_and_the_bank_answers_a_minute_later(sim: Sim) -> None:
    customer, pm = saved(sim)
    pi = pay(sim, customer, pm)
    charge = sim.charges.retrieve(pi.latest_charge or "")
    assert (pi.status.value, charge.status.value) == ("processing", "pending")
    details = charge.to_dict()["payment_method_details"]
    assert details["type"] == "us_bank_account"
    assert details["us_bank_account"]["last4"] == "6789"
    assert details["us_bank_account"]["mandate"] is not None
    mark = sim.event_count
    sim.clock.advance(minutes=1)
    assert sim.payment_intents.retrieve(pi.id).status.value == "succeeded"
    assert [e.type for e in sim.events_since(mark)] == [
        "charge.succeeded",
        "payment_intent.succeeded",
    ]
    refund = sim.refunds.create(payment_intent=pi.id, amount=500)
    assert refund.status.value == "succeeded"


@pytest.mark.parametrize(
    ("test_pm", "code"),
    [(row.test_pm, row.failure_code) for row in TEST_BANK_ACCOUNTS if row.failure_code],
)
def test_failing_accounts_fail_with_their_code(sim: Sim, test_pm: str, code: str) -> None:
    customer, pm = saved(sim, test_pm)
    pi = pay(sim, customer, pm)
    sim.clock.advance(minutes=1)
    after = sim.payment_intents.retrieve(pi.id)
    assert after.status.value == "requires_payment_method"
    assert after.last_payment_error is not None
    assert after.last_payment_error.code == "payment_intent_payment_attempt_failed"
    assert sim.charges.retrieve(pi.latest_charge or "").failure_code == code


def test_the_processing_account_never_answers_and_can_be_canceled(sim: Sim) -> None:
    customer, pm = saved(sim, "pm_usBankAccount_processing")
    pi = pay(sim, customer, pm)
    sim.clock.advance(days=30)
    assert sim.payment_intents.retrieve(pi.id).status.value == "processing"
    mark = sim.event_count
    canceled = sim.payment_intents.cancel(pi.id)
    assert canceled.status.value == "canceled"
    assert sim.charges.retrieve(pi.latest_charge or "").status.value == "failed"
    assert [e.type for e in sim.events_since(mark)] == ["charge.failed", "payment_intent.canceled"]


def test_payment_refusals_change_nothing(sim: Sim) -> None:
    customer, pm = saved(sim)
    euros = refused(sim, lambda: pay(sim, customer, pm, currency="eur"))
    assert isinstance(euros, pmsim.StripeError)
    unverified = account(sim)
    error = refused(sim, lambda: sim.payment_intents.create(
        amount=1000, currency="usd", payment_method=unverified.id, confirm=True,
        return_url=RETURN_URL))  # fmt: skip
    assert isinstance(error, pmsim.StripeError) and error.param == "mandate_data"
    manual = refused(
        sim,
        lambda: sim.payment_intents.create(
            amount=1000,
            currency="usd",
            customer=customer,
            payment_method=pm,
            confirm=True,
            off_session=True,
            capture_method="manual",
        ),
    )
    assert isinstance(manual, pmsim.StripeError)


def test_3ds_and_verifying_are_refused_where_they_do_not_apply(sim: Sim) -> None:
    seti = waiting(sim)
    refused(sim, lambda: sim.three_d_secure.complete(seti.id))
    fresh = sim.setup_intents.create()
    not_waiting = refused(
        sim, lambda: sim.setup_intents.verify_microdeposits(fresh.id, descriptor_code="SM11AA")
    )
    assert isinstance(not_waiting, pmsim.StripeError)
    assert not_waiting.code == "setup_intent_unexpected_state"


def test_a_payment_from_an_unverified_account_waits_for_microdeposits(sim: Sim) -> None:
    pi = sim.payment_intents.create(
        amount=2000, currency="usd", payment_method="pm_usBankAccount_success", confirm=True,
        mandate_data=ACCEPTED, return_url=RETURN_URL,
    )  # fmt: skip
    assert pi.status.value == "requires_action" and pi.latest_charge is None
    assert pi.next_action is not None and pi.next_action["type"] == "verify_with_microdeposits"
    with pytest.raises(pmsim.InvalidRequestError) as wrong:
        sim.payment_intents.verify_microdeposits(pi.id, amounts=[1, 1])
    assert wrong.value.message.endswith("You have 2 verification attempts remaining.")
    mark = sim.event_count
    paid = sim.payment_intents.verify_microdeposits(pi.id, descriptor_code="SM11AA")
    assert paid.status.value == "processing" and paid.next_action is None
    assert [e.type for e in sim.events_since(mark)] == ["payment_intent.processing"]
    assert sim.payment_methods.retrieve(paid.payment_method or "").us_bank_account.verified
    sim.clock.advance(minutes=1)
    assert sim.payment_intents.retrieve(pi.id).status.value == "succeeded"


def test_a_payments_microdeposits_time_out_or_fail(sim: Sim) -> None:
    pi = sim.payment_intents.create(
        amount=2000, currency="usd", payment_method="pm_usBankAccount_success", confirm=True,
        mandate_data=ACCEPTED, return_url=RETURN_URL,
    )  # fmt: skip
    sim.clock.advance(days=10)
    ended = sim.payment_intents.retrieve(pi.id)
    assert ended.status.value == "requires_payment_method"
    assert ended.last_payment_error is not None
    assert ended.last_payment_error.code == "payment_method_microdeposit_verification_timeout"
    unsent = sim.payment_intents.create(
        amount=2000, currency="usd", payment_method="pm_usBankAccount_failMicrodeposits",
        confirm=True, mandate_data=ACCEPTED, return_url=RETURN_URL,
    )  # fmt: skip
    assert unsent.last_payment_error is not None
    assert unsent.last_payment_error.code == "payment_method_microdeposit_failed"


def test_the_attach_refusal_teaches_the_microdeposit_path(sim: Sim) -> None:
    pm = account(sim)
    cus = sim.customers.create()
    with pytest.raises(pmsim.InvalidRequestError) as caught:
        sim.payment_methods.attach(pm.id, customer=cus.id)
    assert str(caught.value.hint).startswith(f"{pm.id} is a US bank account typed in by hand")
    assert "verify_microdeposits" in str(caught.value.hint)
