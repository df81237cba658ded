"""Where ``pmsim serve`` may post webhooks: loopback addresses, and the hosts you name.

A webhook endpoint's URL comes from whoever holds an API key, and the server posts to it and
shows the reply at ``/_pmsim/webhook_deliveries``: without a rule, it would fetch any address
its machine can reach (a cloud's metadata service at 169.254.169.254, a database on the
private network) for anyone. So a URL is checked when it is posted to:

- every address its host resolves to must be a loopback address, or
- the host is one you allowed (``pmsim serve --allow-webhook-host HOST``) and every address is
  a public one: link-local, private, reserved and multicast ranges stay refused even then.

The post then goes to the address that was checked (a second lookup could answer otherwise),
and redirects are never followed.

>>> table = {"db": ["10.0.0.7"], "localhost": ["127.0.0.1"]}
>>> policy = HostPolicy(resolve=lambda host, port: table[host])
>>> policy.address("http://localhost:9000/hook")
'127.0.0.1'
>>> policy.address("http://db/hook")
Traceback (most recent call last):
pmsim.transports.webhook_hosts.HostRefused: db resolves to 10.0.0.7, not a loopback address; \
pmsim serve --allow-webhook-host db allows a public host
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from attrs import field, frozen

#: ``resolve(host, port)``: the addresses a host name stands for.
Resolver = Callable[[str, int], list[str]]


class HostRefused(Exception):
    """A webhook URL the server will not post to, and why."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def _lowered(hosts: Iterable[str]) -> frozenset[str]:
    return frozenset(host.lower() for host in hosts)


@frozen
class HostPolicy:
    """Loopback always; ``allowed`` host names (or addresses) too, when they are public."""

    allowed: frozenset[str] = field(default=frozenset(), converter=_lowered)
    resolve: Resolver = system_resolver

    def address(self, url: str) -> str:
        """The address to post ``url`` to, or :class:`HostRefused` saying why not."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise HostRefused(f"{url!r} is not an http(s) URL with a host")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            found = self.resolve(host, port)
        except (OSError, UnicodeError) as err:
            raise HostRefused(f"{host} does not resolve: {err}") from None
        if not found:
            raise HostRefused(f"{host} does not resolve")
        for text in found:
            self._check(host, ipaddress.ip_address(text.split("%")[0]))
        return found[0]

    def _check(self, host: str, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> None:
        if ip.is_loopback:
            return
        if host not in self.allowed and str(ip) not in self.allowed:
            raise HostRefused(
                f"{host} resolves to {ip}, not a loopback address; "
                f"pmsim serve --allow-webhook-host {host} allows a public host"
            )
        if not ip.is_global or ip.is_multicast:
            raise HostRefused(
                f"{host} resolves to {ip}, a private, link-local or reserved address, "
                "which webhooks never reach, even when the host is allowed"
            )


#: Loopback only: what ``pmsim serve`` allows unless told otherwise.
LOOPBACK_ONLY = HostPolicy()

#: The most of an endpoint's reply that is kept (and shown at /_pmsim/webhook_deliveries).
REPLY_BYTES = 300


def post(
    url: str, address: str, body: bytes, headers: dict[str, str], timeout: float
) -> tuple[int, bytes]:
    """POST ``body`` to ``url`` at the checked ``address``; the status and the start of the
    reply. A redirect is an answer like any other (3xx), never followed."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = f"[{address}]" if ":" in address else address
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPS(target, port, host, timeout)
    else:
        connection = http.client.HTTPConnection(target, port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        connection.request("POST", path, body, {**headers, "Host": parts.netloc.rpartition("@")[2]})
        answer = connection.getresponse()
        return answer.status, answer.read(REPLY_BYTES)
    finally:
        connection.close()


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with the certificate checked against the URL's host."""

    def __init__(self, address: str, port: int, host: str, timeout: float) -> None:
        super().__init__(address, port, timeout=timeout, context=ssl.create_default_context())
        self._server_name = host

    def connect(self) -> None:
        raw = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self._server_name)  # type: ignore[attr-defined]
