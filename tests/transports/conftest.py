from __future__ import annotations

import socket

import pytest
import stripe

import pmsim


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every transport test runs with sockets disabled: pmsim must never touch the network."""

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


@pytest.fixture
def client(sim: pmsim.Simulator) -> stripe.StripeClient:
    return pmsim.stripe_client(sim)
