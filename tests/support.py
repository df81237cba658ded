"""Helpers that more than one test module uses (fixtures are in the conftest.py files)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import settings

import pmsim
from pmsim.engine import state_files

# Stripe's words for the attach rules (reference §4.4, §4.5), written out independently of
# pmsim's own message table so a changed message fails the tests.
ALREADY_ATTACHED = "The payment method you provided has already been attached to a customer."
NOT_REUSABLE = (
    "This PaymentMethod was previously used without being attached to a Customer or was "
    "detached from a Customer, and may not be used again."
)
NOT_ATTACHED = (
    "The payment method you provided is not attached to a customer so detachment is impossible."
)


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


def assert_state_survives_saving_and_forking(sim: pmsim.Simulator) -> None:
    """A state file's JSON and a fork both hold exactly the simulator's state."""
    state = sim.snapshot()
    text = json.dumps(state_files.to_data(state))
    assert state_files.from_data(json.loads(text)) == state, "a state file lost something"
    assert sim.fork().snapshot() == state, "a fork differs from its original"


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
