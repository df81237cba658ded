"""API versions through the official client: what stripe-python sees of each breaking change
(``pmsim/domain/versions.py``, each with the changelog entry it comes from).

stripe-python 16.1 sends ``Stripe-Version: 2026-10-28.endive`` on every request; a call picks
another with the ``stripe_version`` request option, as an integration pinned to an older
version does. The refusals' exact words for the default version are in the intent-rules
table (``test_stripe_intent_rules.py``); here are the exemptions, the versions either side of
each gate, and the version itself (the header, unknown versions).
"""

from __future__ import annotations

from typing import Any

import pytest
import stripe

import pmsim
from pmsim.domain import versions
from tests.support import RETURN_URL

Client = stripe.StripeClient
BACK = "https://example.com/return"
SENT = stripe.api_version  # what stripe-python sends without a stripe_version option
#: The endive versions, with the client's own pin when it is one (stripe-python 16 on; 12.5,
#: the oldest supported, pins a basil version).
ENDIVE = sorted(
    {"2026-09-30.endive", "2026-11-18.endive"}
    | ({SENT} if versions.PAYMENT_METHOD_TYPES_REMOVED.holds(versions.parse(SENT)) else set())
)


def plain(automatic: Any) -> dict[str, Any]:
    """``automatic_payment_methods`` as a plain dict, read by attribute: ``to_dict()`` is
    deprecated in stripe-python 12 and the only way in 16, where objects are not dicts."""
    return {"allow_redirects": automatic.allow_redirects, "enabled": automatic.enabled}


ALWAYS = {"allow_redirects": "always", "enabled": True}
NEVER = {"allow_redirects": "never", "enabled": True}
NO_RETURN_URL = (  # .format("Payment") or "Setup"
    "A `return_url` must be specified because this {} Intent is configured to automatically "
    "accept the payment methods enabled in the Dashboard, some of which may require a full page "
    "redirect to succeed. If you do not want to accept redirect-based payment methods, set "
    "`automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods"
    "[allow_redirects]` to `never` when creating Setup Intents and Payment Intents."
)


@pytest.fixture
def client(sim: pmsim.Simulator) -> Client:
    """The client as installed, sending the version it pins: these tests choose each call's
    version themselves, so .ci/stripe-versions' PMSIM_STRIPE_VERSION does not apply here."""
    return pmsim.stripe_client(sim)


def at(version: str) -> stripe.RequestOptions:
    return {"stripe_version": version}


def pay(client: Client, options: stripe.RequestOptions | None = None, **params: Any) -> Any:
    sent = {"amount": 1099, "currency": "usd", **params}
    return client.v1.payment_intents.create(sent, options or {})  # type: ignore[arg-type]


def header(obj: stripe.StripeObject, name: str) -> str | None:
    response = obj.last_response
    assert response is not None
    return {key.lower(): value for key, value in response.headers.items()}.get(name)


def refused(call: Any) -> stripe.InvalidRequestError:
    """The 400 ``call`` raises; the caller checks its words."""
    with pytest.raises(stripe.InvalidRequestError) as caught:
        call()
    err = caught.value
    assert err.http_status == 400 and err.error is not None, repr(err)
    assert err.error.type == "invalid_request_error"
    return err


# --- automatic payment methods and the return_url rule (2023-08-16) ---------------------------
def test_intents_without_types_use_automatic_payment_methods(client: Client) -> None:
    pi = pay(client)
    seti = client.v1.setup_intents.create()
    for intent in (pi, seti):
        assert plain(intent.automatic_payment_methods) == ALWAYS
        assert (intent.payment_method_types, intent.excluded_payment_method_types) == (
            ["card"], None,
        )  # fmt: skip
    assert (pi.customer_account, pi.payment_method_configuration_details) == (None, None)


@pytest.mark.parametrize("when", ["create", "confirm"])
def test_a_payment_intent_confirmed_without_a_return_url_is_refused_and_unchanged(
    client: Client, sim: pmsim.Simulator, when: str
) -> None:
    before = len(sim.events.list(limit=100).data)
    if when == "create":
        err = refused(lambda: pay(client, payment_method="pm_card_visa", confirm=True))
        assert client.v1.payment_intents.list().data == []  # nothing was made
    else:
        pi = pay(client, payment_method="pm_card_visa")
        before = len(sim.events.list(limit=100).data)
        err = refused(lambda: client.v1.payment_intents.confirm(pi.id))
        assert client.v1.payment_intents.retrieve(pi.id).status == "requires_confirmation"
    assert (err.user_message, err.code, err.param) == (NO_RETURN_URL.format("Payment"), None, None)
    assert len(sim.events.list(limit=100).data) == before


@pytest.mark.parametrize("when", ["create", "confirm"])
def test_a_setup_intent_confirmed_without_a_return_url_is_refused(
    client: Client, when: str
) -> None:
    if when == "create":
        call = lambda: client.v1.setup_intents.create(  # noqa: E731
            {"payment_method": "pm_card_visa", "confirm": True}
        )
    else:
        seti = client.v1.setup_intents.create({"payment_method": "pm_card_visa"})
        call = lambda: client.v1.setup_intents.confirm(seti.id)  # noqa: E731
    err = refused(call)
    assert (err.user_message, err.code, err.param) == (NO_RETURN_URL.format("Setup"), None, None)


def test_a_return_url_lets_the_same_confirmation_through(client: Client) -> None:
    pi = pay(client, payment_method="pm_card_visa", confirm=True, return_url=BACK)
    seti = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "confirm": True, "return_url": BACK}
    )
    assert (pi.status, seti.status) == ("succeeded", "succeeded")


def test_off_session_exempts_a_payment_intent(client: Client) -> None:
    cus = client.v1.customers.create()
    card = client.v1.payment_methods.attach("pm_card_visa", {"customer": cus.id})
    created = pay(client, customer=cus.id, payment_method=card.id, confirm=True, off_session=True)
    assert (created.status, plain(created.automatic_payment_methods)) == ("succeeded", ALWAYS)
    later = pay(client, customer=cus.id, payment_method=card.id)
    confirmed = client.v1.payment_intents.confirm(later.id, {"off_session": True})
    assert confirmed.status == "succeeded"


def test_off_session_false_does_not_exempt(client: Client) -> None:
    pi = pay(client, payment_method="pm_card_visa")
    err = refused(lambda: client.v1.payment_intents.confirm(pi.id, {"off_session": False}))
    assert err.user_message == NO_RETURN_URL.format("Payment")


def test_allow_redirects_never_exempts_both_intents(client: Client) -> None:
    never = {"automatic_payment_methods": NEVER}
    paid = pay(client, payment_method="pm_card_visa", confirm=True, **never)
    later = pay(client, payment_method="pm_card_visa", **never)
    confirmed = client.v1.payment_intents.confirm(later.id)
    seti = client.v1.setup_intents.create({"payment_method": "pm_card_visa", "confirm": True,
                                           **never})  # fmt: skip
    for intent in (paid, confirmed, seti):
        assert intent.status == "succeeded"
        assert plain(intent.automatic_payment_methods) == NEVER


def test_allow_redirects_always_sent_explicitly_still_needs_a_return_url(client: Client) -> None:
    pi = pay(client, payment_method="pm_card_visa", automatic_payment_methods=ALWAYS)
    err = refused(lambda: client.v1.payment_intents.confirm(pi.id))
    assert err.user_message == NO_RETURN_URL.format("Payment")


# --- payment_method_types: refused from 2026-09-30.endive --------------------------------------
@pytest.mark.parametrize("version", ENDIVE)
def test_payment_method_types_is_refused_from_endive(client: Client, version: str) -> None:
    err = refused(lambda: pay(client, at(version), payment_method_types=["card"]))
    assert (err.code, err.param) == ("payment_method_types_no_longer_supported",
                                     "payment_method_types")  # fmt: skip
    assert f"no longer supported on API version {version}." in (err.user_message or "")
    seti = refused(lambda: client.v1.setup_intents.create(
        {"payment_method_types": ["card"]}, at(version)))  # fmt: skip
    assert seti.code == "payment_method_types_no_longer_supported"


@pytest.mark.parametrize("version", ["2026-08-26.dahlia", "2024-06-20", "2023-08-16"])
def test_payment_method_types_is_accepted_before_endive(client: Client, version: str) -> None:
    """The intent accepts those types only: not automatic, so it never needs a return_url."""
    options = at(version)
    pi = pay(client, options, payment_method="pm_card_visa", payment_method_types=["card"])
    assert (pi.payment_method_types, pi.automatic_payment_methods) == (["card"], None)
    assert client.v1.payment_intents.confirm(pi.id, options=options).status == "succeeded"
    seti = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "payment_method_types": ["card"], "confirm": True},
        options,
    )
    assert (seti.status, seti.automatic_payment_methods) == ("succeeded", None)


def test_payment_method_types_on_update_is_refused_on_endive_only(client: Client) -> None:
    pi = pay(client)
    types = {"payment_method_types": ["card"]}
    err = refused(lambda: client.v1.payment_intents.update(pi.id, types, at(ENDIVE[-1])))
    assert err.code == "payment_method_types_no_longer_supported"
    assert plain(client.v1.payment_intents.retrieve(pi.id).automatic_payment_methods) == ALWAYS
    updated = client.v1.payment_intents.update(pi.id, types, at("2026-08-26.dahlia"))
    assert (updated.payment_method_types, updated.automatic_payment_methods) == (["card"], None)
    assert client.v1.payment_intents.retrieve(pi.id).automatic_payment_methods is None  # kept


def test_a_setup_intents_types_sent_alone_on_update_are_kept(client: Client) -> None:
    seti = client.v1.setup_intents.create()
    types = {"payment_method_types": ["card"]}
    updated = client.v1.setup_intents.update(seti.id, types, at("2026-08-26.dahlia"))
    assert updated.automatic_payment_methods is None
    assert client.v1.setup_intents.retrieve(seti.id).automatic_payment_methods is None


def test_a_succeeded_setup_intents_types_cannot_change(client: Client) -> None:
    seti = client.v1.setup_intents.create(
        {"payment_method": "pm_card_visa", "confirm": True, "return_url": RETURN_URL}
    )
    with pytest.raises(stripe.InvalidRequestError) as caught:
        client.v1.setup_intents.update(
            seti.id, {"payment_method_types": ["card"]}, at("2026-08-26.dahlia")
        )
    assert caught.value.code == "setup_intent_unexpected_state"
    assert client.v1.setup_intents.retrieve(seti.id).automatic_payment_methods is not None


# --- capture_method: automatic_async from 2024-04-10 ------------------------------------------
@pytest.mark.parametrize(
    ("version", "capture"),
    [(None, "automatic_async"), ("2024-04-10", "automatic_async"),
     ("2025-03-31.basil", "automatic_async"), ("2023-10-16", "automatic"),
     ("2023-08-16", "automatic")],
)  # fmt: skip
def test_capture_method_defaults_by_version(
    client: Client, version: str | None, capture: str
) -> None:
    pi = pay(client, at(version) if version else None)
    assert pi.capture_method == capture
    assert client.v1.payment_intents.retrieve(pi.id).capture_method == capture  # as created


def test_a_capture_method_sent_is_kept_whatever_the_version(client: Client) -> None:
    assert pay(client, capture_method="automatic").capture_method == "automatic"
    old = pay(client, at("2023-10-16"), capture_method="automatic_async")
    assert old.capture_method == "automatic_async"


# --- the version itself: the Stripe-Version header ---------------------------------------------
@pytest.mark.parametrize("version", [None, "2024-06-20", "2025-03-31.basil", "2026-08-26.dahlia"])
def test_the_response_says_which_version_answered(client: Client, version: str | None) -> None:
    cus = client.v1.customers.create({}, at(version) if version else {})
    assert header(cus, "stripe-version") == (version or SENT)


@pytest.mark.parametrize("version", ["2019-2-19", "2025-09-30.acacia", "not-a-version"])
def test_an_unknown_version_is_refused(client: Client, sim: pmsim.Simulator, version: str) -> None:
    err = refused(lambda: client.v1.customers.create({}, at(version)))
    assert (err.user_message, err.code, err.param) == (
        f"Invalid Stripe API version: {version}", None, None,
    )  # fmt: skip
    assert len(sim.customers.list().data) == 0  # refused before anything ran


def test_a_preview_version_is_refused(client: Client) -> None:
    err = refused(lambda: client.v1.customers.list({}, at("2026-11-18.preview")))
    assert err.user_message == (
        "Invalid Stripe API version: 2026-11-18.preview. pmsim does not simulate preview "
        "versions; send a dated or named release, such as 2026-11-18.endive."
    )
    assert (err.code, err.param) == (None, None)


def test_a_version_older_than_pmsim_simulates_is_refused(client: Client) -> None:
    err = refused(lambda: client.v1.customers.list({}, at("2020-08-27")))
    assert (err.user_message or "").startswith(
        "Invalid Stripe API version: 2020-08-27. pmsim simulates API versions 2023-08-16 to "
        "2026-11-18.endive"
    )


# --- shapes: PaymentIntent.invoice only before 2025-03-31.basil --------------------------------
@pytest.mark.parametrize(
    ("version", "has_invoice"),
    [("2024-06-20", True), ("2025-02-24.acacia", True), ("2025-03-31.basil", False),
     (None, False)],
)  # fmt: skip
def test_payment_intent_invoice_only_before_basil(
    client: Client, version: str | None, has_invoice: bool
) -> None:
    options = at(version) if version else {}
    pi = pay(client, options)
    shown = [pi, client.v1.payment_intents.retrieve(pi.id, options=options),
             client.v1.payment_intents.list({}, options).data[0]]  # fmt: skip
    for each in shown:
        assert ("invoice" in each) is has_invoice
        if has_invoice:
            assert each["invoice"] is None


def test_a_declines_payment_intent_is_shown_in_the_requests_version(client: Client) -> None:
    for version, has_invoice in (("2024-06-20", True), ("2025-03-31.basil", False)):
        with pytest.raises(stripe.CardError) as caught:
            pay(client, at(version), payment_method="pm_card_visa_chargeDeclined", confirm=True,
                return_url=BACK)  # fmt: skip
        assert caught.value.json_body is not None
        intent = caught.value.json_body["error"]["payment_intent"]
        assert ("invoice" in intent) is has_invoice


def test_events_are_rendered_in_the_accounts_default_version(client: Client) -> None:
    """Not in the request's: stripe-python sent 2026-10-28.endive, the account's is newest."""
    pay(client)
    event = client.v1.events.list({"limit": 1}).data[0]
    assert (event.type, event.api_version) == ("payment_intent.created", "2026-11-18.endive")
    assert "invoice" not in event.data.object


def test_an_older_account_default_renders_its_events_and_answers_as_it() -> None:
    sim = pmsim.Simulator(api_version="2024-06-20")
    client = pmsim.stripe_client(sim)
    pi = pay(client)  # stripe-python still sends its own version: the request's answers
    assert (pi.capture_method, "invoice" in pi) == ("automatic_async", False)
    event = client.v1.events.list({"limit": 1}).data[0]
    assert event.api_version == "2024-06-20"
    assert event.data.object["invoice"] is None


# --- lists: expand[]=total_count refused from basil --------------------------------------------
@pytest.mark.parametrize("version", [None, "2025-03-31.basil", "2026-08-26.dahlia"])
def test_total_count_on_a_list_is_forbidden_from_basil(client: Client, version: str | None) -> None:
    answered = version or SENT
    err = refused(
        lambda: client.v1.customers.list(
            {"expand": ["total_count"]}, at(version) if version else {}
        )
    )
    assert (err.code, err.param) == ("property_forbidden", "expand")
    assert err.user_message == (
        f"You cannot expand total_count on API version {answered}: lists no longer count their "
        "objects. Page through the list with starting_after instead."
    )


def test_total_count_before_basil_is_forbidden_to_a_new_account(client: Client) -> None:
    # "New users can't expand total_count on earlier Stripe versions": every simulator is new.
    err = refused(
        lambda: client.v1.payment_intents.list({"expand": ["total_count"]}, at("2025-02-24.acacia"))
    )
    assert (err.code, err.param) == ("property_forbidden", "expand")
    assert "accounts older than 2025-03-31.basil" in (err.user_message or "")


def test_search_results_still_carry_total_count(client: Client) -> None:
    client.v1.customers.create({"email": "ada@example.com"})
    found = client.v1.customers.search(
        {"query": "email:'ada@example.com'", "expand": ["total_count"]}
    )
    assert found.total_count == 1
