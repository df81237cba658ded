"""``pmsim serve`` that cannot start says why in one line and exits 2 (issue 12)."""

from __future__ import annotations

import socket

import pytest

from pmsim.cli import main


def refusal(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["serve", *argv])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    last = captured.err.rstrip("\n").split("\n")[-1]
    assert last.startswith("pmsim serve: ")
    assert "Traceback" not in captured.err
    return last


def test_a_port_in_use_says_so_and_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        line = refusal(capsys, "--port", str(port))
    assert line == f"pmsim serve: port {port} is in use; try --port 0"


@pytest.mark.parametrize("port", ["65536", "-1", "99999999"])
def test_a_port_out_of_range(capsys: pytest.CaptureFixture[str], port: str) -> None:
    line = refusal(capsys, "--port", port)
    assert line == f"pmsim serve: port {port} is out of range; use 0 to 65535 (0 picks a free one)"


def test_an_address_this_machine_does_not_have(capsys: pytest.CaptureFixture[str]) -> None:
    line = refusal(capsys, "--host", "192.0.2.1", "--port", "0")  # TEST-NET-1: never local
    assert line.startswith("pmsim serve: cannot listen on 192.0.2.1:0: ")
    assert line.endswith("; try 127.0.0.1")


@pytest.mark.parametrize("value", ["-5", "soon", "nan", "inf"])
def test_forget_idle_keys_takes_seconds_from_zero(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--forget-idle-keys", value])
    assert exit_.value.code == 2
    assert "not a number of seconds from 0" in capsys.readouterr().err
