"""``pmsim serve`` answers every malformed request with Stripe's envelope, over a raw socket:
a Content-Length that is not a number, negative or huge, a body shorter than announced, a
body over the limit, bytes that are not UTF-8 (issue 12)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import pytest

from pmsim.api.wire import MAX_BODY_BYTES
from pmsim.transports.server import make_server


@pytest.fixture
def address() -> Iterator[tuple[str, int]]:
    server = make_server("127.0.0.1", 0, seed=3)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield str(host), int(port)
    server.shutdown()
    server.server_close()


def exchange(
    address: tuple[str, int],
    length: str | None,
    body: bytes,
    half_close: bool = False,
    line: str = "POST /v1/customers",
) -> tuple[int, dict[str, str], dict[str, object]]:
    """Send one request (POST /v1/customers unless ``line`` says otherwise) as raw bytes; the
    status, headers and JSON body answered."""
    head = (
        f"{line} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_raw\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
    )
    if length is not None:
        head += f"Content-Length: {length}\r\n"
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed with no answer: {answer!r}"
            answer += chunk
        header_text, _, rest = answer.partition(b"\r\n\r\n")
        lines = header_text.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {
            name.lower(): value.strip()
            for name, _, value in (line.partition(":") for line in lines[1:])
        }
        while len(rest) < int(headers["content-length"]):
            chunk = sock.recv(65536)
            assert chunk, "connection closed mid-answer"
            rest += chunk
    return status, headers, json.loads(rest)


def refusal(answer: tuple[int, dict[str, str], dict[str, object]], status: int = 400) -> str:
    code, headers, body = answer
    assert code == status, body
    assert headers["content-type"] == "application/json"
    assert headers["request-id"].startswith("req_")
    error = body["error"]
    assert isinstance(error, dict)
    assert error["type"] == "invalid_request_error"
    return str(error["message"])


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "0x10", "٣", " ", "9" * 40])
def test_a_content_length_that_is_not_a_whole_number_is_a_400(
    address: tuple[str, int], length: str
) -> None:
    message = refusal(exchange(address, length, b"name=x"))
    assert "Content-Length" in message


def test_a_huge_content_length_is_a_413_and_nothing_is_read(address: tuple[str, int]) -> None:
    message = refusal(exchange(address, str(10**15), b"name=x"), 413)
    assert "at most 1048576 bytes" in message


def test_a_body_over_the_limit_is_a_413_before_it_is_sent(address: tuple[str, int]) -> None:
    """Refused from its Content-Length, unread: the client need not send the rest."""
    refusal(exchange(address, str(MAX_BODY_BYTES + 1), b"name=" + b"x" * 1000), 413)


def test_a_body_shorter_than_its_content_length_is_a_400_not_processed(
    address: tuple[str, int],
) -> None:
    message = refusal(exchange(address, "100", b"name=Truncated", half_close=True))
    assert "ended after 14 of the 100 bytes" in message
    status, _, body = exchange(address, None, b"", line="GET /v1/customers")
    assert (status, body["data"]) == (200, [])  # nothing was made from the truncated body


def test_a_chunked_body_is_a_400_not_ignored(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(
            b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_raw\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n6\r\nname=x\r\n0\r\n\r\n"
        )
        answer = b""
        while chunk := sock.recv(65536):  # the server closes after answering
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"Content-Length only" in body
    status, _, listing = exchange(address, None, b"", line="GET /v1/customers")
    assert (status, listing["data"]) == (200, [])


def test_a_body_that_is_not_utf8_is_a_400(address: tuple[str, int]) -> None:
    message = refusal(exchange(address, "8", b"name=\xff\xfe\xfd"))
    assert "not valid UTF-8" in message


def test_a_well_formed_request_still_works(address: tuple[str, int]) -> None:
    body = "name=Zoë".encode()
    status, headers, answer = exchange(address, str(len(body)), body)
    assert status == 200
    assert answer["name"] == "Zoë"
