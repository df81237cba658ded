"""``pmsim serve`` answers every malformed request with Stripe's envelope, over a raw socket:
a Content-Length that is not a number, negative or huge, a body shorter than announced, a
body over the limit, bytes that are not UTF-8 (issue 12)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import pytest

from pmsim.api.wire import MAX_BODY_BYTES
from pmsim.transports.server import Server


@pytest.fixture
def address() -> Iterator[tuple[str, int]]:
    with Server("127.0.0.1", 0, seed=3).running() as server:
        yield "127.0.0.1", server.port


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
    assert "ended before the request was whole" in message
    status, _, body = exchange(address, None, b"", line="GET /v1/customers")
    assert (status, body["data"]) == (200, [])  # nothing was made from the truncated body


def chunked(address: tuple[str, int], chunks: list[bytes]) -> bytes:
    """POST /v1/customers with a chunked body; the raw answer."""
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(
            b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk_test_raw\r\n"
            b"Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for chunk in chunks:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        sock.sendall(b"0\r\n\r\n")
        return read_all(sock)


def read_all(sock: socket.socket) -> bytes:
    answer = b""
    while chunk := sock.recv(65536):  # the server closes after answering
        answer += chunk
    return answer


def test_a_chunked_body_is_read_whole(address: tuple[str, int]) -> None:
    answer = chunked(address, [b"name=", b"Chunked"])
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b'"name":"Chunked"' in answer


def test_a_chunked_body_over_the_limit_is_a_413(address: tuple[str, int]) -> None:
    piece = b"x" * 65536
    answer = chunked(address, [b"name="] + [piece] * (MAX_BODY_BYTES // len(piece) + 1))
    assert answer.startswith(b"HTTP/1.1 413 ")
    status, _, listing = exchange(address, None, b"", line="GET /v1/customers")
    assert (status, listing["data"]) == (200, [])


@pytest.mark.parametrize(
    "request_bytes",
    [b"NOT HTTP AT ALL\r\n\r\n", b"GET /v1/customers HTTP/9.9\r\n\r\n", b"\x00\xff\r\n\r\n"],
)
def test_a_request_that_is_not_http_is_a_400_envelope(
    address: tuple[str, int], request_bytes: bytes
) -> None:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(request_bytes)
        answer = read_all(sock)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/json" in head
    assert json.loads(body)["error"]["type"] == "invalid_request_error"


def test_headers_over_64_kib_are_a_431(address: tuple[str, int]) -> None:
    with socket.create_connection(address, timeout=10) as sock:
        filler = b"".join(b"X-Filler-%d: %s\r\n" % (n, b"y" * 1000) for n in range(70))
        sock.sendall(b"GET /v1/customers HTTP/1.1\r\nHost: x\r\n" + filler)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"headers are over 65536 bytes" in answer


@pytest.fixture
def impatient() -> Iterator[tuple[str, int]]:
    with Server("127.0.0.1", 0, seed=3, request_timeout=0.3).running() as server:
        yield "127.0.0.1", server.port


@pytest.mark.parametrize(
    "sent",
    [
        b"",
        b"GET /v1/cust",
        b"POST /v1/customers HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nname",
    ],
    ids=["nothing", "half a request line", "half a body"],
)
def test_a_request_that_never_arrives_whole_is_a_408_and_the_connection_closes(
    impatient: tuple[str, int], sent: bytes
) -> None:
    """A client that opens a connection and stalls holds it for the request timeout only."""
    with socket.create_connection(impatient, timeout=10) as sock:
        sock.sendall(sent)
        started = time.monotonic()
        answer = read_all(sock)
    assert time.monotonic() - started < 5
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert "did not arrive whole within 0.3 seconds" in json.loads(body)["error"]["message"]


def test_a_stalled_connection_does_not_hold_up_others(impatient: tuple[str, int]) -> None:
    with socket.create_connection(impatient, timeout=10) as stalled:
        stalled.sendall(b"POST /v1/customers HTTP/1.1\r\nContent-Length: 50\r\n\r\nna")
        status, _, body = exchange(impatient, "6", b"name=x")
        assert (status, body["name"]) == (200, "x")


def test_a_body_that_is_not_utf8_is_a_400(address: tuple[str, int]) -> None:
    message = refusal(exchange(address, "8", b"name=\xff\xfe\xfd"))
    assert "not valid UTF-8" in message


def test_a_well_formed_request_still_works(address: tuple[str, int]) -> None:
    body = "name=Zoë".encode()
    status, headers, answer = exchange(address, str(len(body)), body)
    assert status == 200
    assert answer["name"] == "Zoë"
