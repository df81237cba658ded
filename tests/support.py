"""Helpers that more than one test module uses (fixtures are in the conftest.py files)."""

from __future__ import annotations

import contextlib
import gc
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import pmsim
from pmsim.api import ApiRequest, ApiResponse, handle
from pmsim.engine import state_files
from pmsim.scenarios.model import Scenario, Step

# Stripe's words for the attach and detach refusals, written out independently of
# pmsim's own message table so a changed message fails the tests.
ALREADY_ATTACHED = "The payment method you provided has already been attached to a customer."
NOT_REUSABLE = (
    "This PaymentMethod was previously used without being attached to a Customer or was "
    "detached from a Customer, and may not be used again."
)
#: (g)'s newer wording: a card set up without a customer, used again before being attached.
ATTACH_FIRST = (
    "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
    "attachment, shared with a connected account without Customer attachment, or was detached "
    "from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must "
    "attach it to a Customer first."
)
NOT_ATTACHED = (
    "The payment method you provided is not attached to a customer so detachment is impossible."
)


#: The test key the API tests send (Stripe's documentation's example key).
TEST_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"
BEARER = {"Authorization": f"Bearer {TEST_KEY}"}


def api_call(
    sim: pmsim.Simulator,
    method: str,
    path: str,
    *,
    query: str = "",
    body: str = "",
    headers: Mapping[str, str] = BEARER,
) -> ApiResponse:
    """One request through ``pmsim.api.handle``, with the test key unless ``headers`` say."""
    return handle(sim, ApiRequest(method, path, query=query, headers=headers, body=body))


def assert_stripe_error(
    call: Callable[[], object],
    *,
    cls: type[pmsim.StripeError] = pmsim.InvalidRequestError,
    status: int = 400,
    message: str,
    code: str | None = None,
    param: str | None = None,
    decline_code: str | None = None,
    sim: pmsim.Simulator | None = None,
) -> pmsim.StripeError:
    """Run ``call``, expect exactly this Stripe error; with ``sim``, expect no state change."""
    before = sim.snapshot() if sim is not None else None
    with pytest.raises(pmsim.StripeError) as caught:
        call()
    err = caught.value
    assert type(err) is cls, f"{type(err).__name__} is not {cls.__name__}: {err!r}"
    assert (err.http_status, err.message) == (status, message), repr(err)
    assert (err.code, err.param, err.decline_code) == (code, param, decline_code), repr(err)
    if sim is not None:
        assert sim.snapshot() == before, "a failed call changed the simulator's state"
    return err


@contextlib.contextmanager
def cycle_collector_off() -> Iterator[None]:
    """Within it, only reference counting frees objects: what is then still alive after its
    last reference goes is held in a reference cycle (or by something else)."""
    gc.collect()  # what earlier tests left for the collector goes first
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def refused_unchanged(sim: pmsim.Simulator, call: Callable[[], object]) -> Exception:
    """The error ``call`` raises (Stripe's or a usage error), checking it changed nothing."""
    before = sim.snapshot()
    with pytest.raises((pmsim.StripeError, pmsim.PmsimUsageError)) as caught:
        call()
    assert sim.snapshot() == before, "a refused call changed the state"
    return caught.value


def assert_state_survives_saving_and_forking(sim: pmsim.Simulator) -> None:
    """A state file's JSON and a fork both hold exactly the simulator's state."""
    state = sim.snapshot()
    text = json.dumps(state_files.to_data(state))
    assert state_files.from_data(json.loads(text)) == state, "a state file lost something"
    assert sim.fork().snapshot() == state, "a fork differs from its original"


def assert_waiting_change_survives(
    sim: pmsim.Simulator, path: Path, wait: timedelta, status: Callable[[pmsim.Simulator], object],
    waiting: object, done: object,
) -> None:  # fmt: skip
    """A change waiting on the clock (``status`` reads ``waiting``, then ``done`` once the
    clock has moved by ``wait``) happens alike in ``sim``, its fork and its state file saved
    at ``path``, and restoring a snapshot from before brings it back to wait."""
    mark = sim.snapshot()
    copy = sim.fork()
    sim.save(path)
    loaded = pmsim.Simulator.load(path)
    for each in (sim, copy, loaded):
        each.clock.advance(wait)
        assert status(each) == done
    sim.restore(mark)
    assert status(sim) == waiting
    sim.clock.advance(wait)
    assert sim.snapshot() == copy.snapshot() == loaded.snapshot()


def more_examples(times: int, **kwargs: Any) -> settings:
    """Settings giving a test ``times`` the examples the hypothesis profile gives others.

    For a cheap test whose inputs are wide (any text, any form): it keeps its share of
    examples under every profile (tests/conftest.py) without a count of its own.
    """
    return settings(max_examples=times * settings.default.max_examples, **kwargs)


def event_types(sim: pmsim.Simulator, mark: int) -> list[str]:
    """The types of the events emitted since ``mark`` (an earlier ``sim.event_count``)."""
    return [event.type for event in sim.events_since(mark)]


def race(
    attempt: Callable[[str], object], contenders: Sequence[str], lost: type[Exception]
) -> list[str]:
    """Run ``attempt`` for every contender at once, a thread each, released together by a
    barrier; return the contenders whose attempt did not raise ``lost``, in finishing order."""
    start = threading.Barrier(len(contenders))
    wins: list[str] = []

    def run(contender: str) -> None:
        start.wait()
        try:
            attempt(contender)
            wins.append(contender)
        except lost:
            pass

    threads = [threading.Thread(target=run, args=(c,)) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return wins


def run_python(code: str) -> str:
    """What ``python -c code`` prints, in a fresh interpreter (nothing this run imported)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout


def refuse_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """pmsim answers in-process: a network socket, a name lookup or a connection is a bug."""

    real_socket = socket.socket

    class LocalOnly(real_socket):  # type: ignore[misc,valid-type]
        """asyncio's event loop needs a local socket pair; anything on a network is refused."""

        def __init__(self, family: int = -1, *args: object, **kwargs: object) -> None:
            if family in (socket.AF_INET, socket.AF_INET6, -1):
                raise AssertionError("a network socket was opened")
            super().__init__(family, *args, **kwargs)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "socket", LocalOnly)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# States to start from: a busy simulator for snapshots and state files (tests/engine), and a
# long scenario for the timeline and its HTML display (tests/display).


#: Where a customer would come back after a redirect: confirming an intent that uses automatic
#: payment methods needs one (Stripe's rule since API version 2023-08-16).
RETURN_URL = "https://example.com/return"


def busy(seed: int = 5, *, sources: bool = True, old_intents: bool = False) -> pmsim.Simulator:
    """A simulator holding one of everything: customers (one deleted, one on a test clock),
    attached, detached, used-up and loose cards, a default, intents in several statuses (one
    authorized for manual capture),
    a webhook endpoint, legacy card sources (a deleted one; ``sources=False`` leaves them
    out, as state files before version 4 hold none), and events with previous_attributes.

    ``old_intents`` makes the intents as pmsim did before it modelled API versions (state
    files before version 5): card-only, captured ``automatic``, so confirmed with no
    return_url; the calls answer as 2023-10-16, the account stays on the newest version."""
    sim = pmsim.Simulator(seed=seed)
    ada = sim.customers.create(email="ada@example.com", metadata={"plan": "pro"})
    bob = sim.customers.create(name="Bob", address={"city": "Paris", "country": "FR"})
    visa = sim.payment_methods.attach("pm_card_visa", customer=ada.id)
    sim.customers.update(ada.id, invoice_settings={"default_payment_method": visa.id})
    amex = sim.payment_methods.attach("pm_card_amex", customer=bob.id)
    sim.payment_methods.detach(amex.id)
    gone = sim.customers.create(payment_method="pm_card_mastercard")
    sim.customers.delete(gone.id)
    sim.payment_methods.create(type="card", card={"token": "tok_visa"})
    with contextlib.suppress(pmsim.CardError):
        sim.payment_methods.attach("pm_card_visa_chargeDeclined", customer=ada.id)
    era = sim.with_version("2023-10-16" if old_intents else None)
    ways: dict[str, Any] = (
        {"payment_method_types": ["card"]} if old_intents else {"return_url": RETURN_URL}
    )
    sim.setup_intents.create(customer=bob.id, payment_method="pm_card_visa", confirm=True, **ways)
    waiting = sim.setup_intents.create(
        customer=bob.id, payment_method="pm_card_authenticationRequired", confirm=True, **ways
    )
    sim.payment_intents.create(amount=900, currency="usd", payment_method="pm_card_visa",
                               confirm=True, **ways)  # fmt: skip
    sim.payment_intents.create(amount=1000, currency="eur", customer=ada.id, **(
        {"payment_method_types": ["card"]} if old_intents else {}
    ))  # fmt: skip
    with contextlib.suppress(pmsim.CardError):
        sim.payment_intents.create(
            amount=500, currency="usd", payment_method="pm_card_visa_chargeDeclined",
            confirm=True, **ways,
        )  # fmt: skip
    era.reset()
    if not old_intents:  # state files before version 5 hold no charges, refunds or mandates
        paid = next(pi for pi in sim.payment_intents.list(limit=100) if pi.amount == 900)
        sim.refunds.create(payment_intent=paid.id, amount=300, reason="requested_by_customer")
        # A SEPA Direct Debit saved with a mandate, debited (settled by the clock's advance
        # below), then detached, which ends its mandate.
        sepa = sim.setup_intents.create(
            customer=ada.id, payment_method="pm_sepaDebit_success_de", confirm=True,
            return_url=RETURN_URL, mandate_data={"customer_acceptance": {"type": "offline"}},
        ).payment_method  # fmt: skip
        sim.payment_intents.create(amount=1200, currency="eur", customer=ada.id,
                                   payment_method=sepa, confirm=True, off_session=True)  # fmt: skip
        sim.payment_methods.detach(str(sepa))
    sim.three_d_secure.complete(waiting.id, outcome="succeed")
    clock = sim.test_clocks.create(frozen_time=sim.clock.now(), name="Renewals")
    sim.customers.create(test_clock=clock.id, email="clocked@example.com")
    sim.test_clocks.advance(clock.id, frozen_time=sim.clock.now() + 3600)
    sim.webhook_endpoints.create(url="https://example.com/hook", enabled_events=["*"])
    if sources:
        cara = sim.customers.create(source="tok_visa", email="cara@example.com")
        sim.customers.create_source(cara.id, source="tok_mastercard", metadata={"k": "v"})
        assert cara.default_source is not None
        sim.customers.delete_source(cara.id, cara.default_source)
    if not old_intents:  # authorized, waiting to be captured (or to expire, 5 days on)
        sim.payment_intents.create(
            amount=700, currency="usd", payment_method="pm_card_visa", capture_method="manual",
            confirm=True, off_session=True,
        )  # fmt: skip
    sim.clock.advance(days=2)
    return sim


def views(sim: pmsim.Simulator) -> list[object]:
    """What the lists show, in their order: restoring must keep every order."""
    ada = sim.customers.list(limit=100).data[-1]
    return [
        sim.customers.list(limit=100).to_dict(),
        sim.customers.list_payment_methods(ada.id).to_dict(),
        sim.events.list(limit=100).to_dict(),
        sim.setup_intents.list().to_dict(),
        sim.payment_intents.list().to_dict(),
        sim.test_clocks.list().to_dict(),
        sim.webhook_endpoints.list().to_dict(),
    ]


def story(sim: pmsim.Simulator) -> list[object]:
    """Some more calls, with their results: run twice from one state, they must agree."""
    cus = sim.customers.create(email="next@example.com")
    pm = sim.payment_methods.attach("pm_card_mastercard", customer=cus.id)
    sim.clock.advance(hours=1)
    intent = sim.setup_intents.create(
        customer=cus.id, payment_method="pm_card_visa", confirm=True, return_url=RETURN_URL
    )
    return [cus.to_dict(), pm.to_dict(), intent.to_dict(), sim.events.list().to_dict()]


def many_customers_each_with_a_card(count: int) -> Scenario:
    """A scenario of ``2 * count`` steps: make a customer, attach a card to it, and again."""
    steps: list[Step] = []
    for n in range(count):
        steps.append(Step(2 * n + 1, 0, "customers.create", {"email": f"c{n}@x.co"}, f"c{n}"))
        attach = {"payment_method": "pm_card_visa", "customer": f"${{c{n}}}"}
        steps.append(Step(2 * n + 2, 0, "payment_methods.attach", attach))
    return Scenario("many", tuple(steps))
