"""``pmsim serve``: the simulated Stripe API over HTTP, for any client in any language.

The ASGI app (``asgi.py``) on uvicorn, with uvloop and httptools where they are installed. Each
API key gets its own simulator, so parallel test workers can share one server without seeing
each other's data. Anything pmsim-specific lives under ``/_pmsim/`` (see ``control.py``).

The socket is bound here, before uvicorn starts, so that a port in use or a bad host is one
clear line (``StartupError``), and ``port=0`` tells the port it picked.

>>> import json, urllib.request
>>> with Server(port=0).running() as server:
...     url = f"http://127.0.0.1:{server.port}/v1/customers"
...     request = urllib.request.Request(url, data=b"name=Ada",
...                                      headers={"Authorization": "Bearer sk_test_doc"})
...     json.load(urllib.request.urlopen(request))["name"]
'Ada'
"""

from __future__ import annotations

import contextlib
import errno
import gc
import ipaddress
import socket
import threading
from collections.abc import Iterable, Iterator

import uvicorn

from pmsim.domain import versions
from pmsim.domain.versions import ApiVersion
from pmsim.transports.asgi import Log, app
from pmsim.transports.endpoint_delivery import RETRY_DELAYS
from pmsim.transports.http_protocol import REQUEST_TIMEOUT, stripe_protocol
from pmsim.transports.pool import IDLE_TIMEOUT, SimulatorPool
from pmsim.transports.webhook_hosts import HostPolicy

#: Seconds an idle keep-alive connection stays open between requests (uvicorn's default).
KEEP_ALIVE_TIMEOUT = 5


class StartupError(Exception):
    """The server cannot start: the one line ``pmsim serve`` prints before exiting 2."""


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (``port=0``: a free one), or a ``StartupError``
    that says what to do."""
    if not 0 <= port <= 65535:
        raise StartupError(f"port {port} is out of range; use 0 to 65535 (0 picks a free one)")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as err:
        raise StartupError(f"cannot listen on host {host!r}: {err}; try 127.0.0.1") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(1024)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise StartupError(f"port {port} is in use; try --port 0") from None
        reason = err.strerror or err
        raise StartupError(f"cannot listen on {host}:{port}: {reason}; try 127.0.0.1") from None
    sock.setblocking(False)
    return sock


class Server:
    """pmsim's API on ``host:port``: ``serve_forever()`` in the foreground, ``running()`` in a
    background thread (for tests and notebooks).

    Events are posted to the webhook endpoints of each key's simulator; a failed post is
    retried after each of ``webhook_retry_delays`` (seconds). Endpoints may be on loopback
    addresses, or on the public ``webhook_hosts`` (see ``webhook_hosts.HostPolicy``). ``log``
    receives one line per request. A request must arrive whole within ``request_timeout``
    seconds; a key unused for ``idle_key_timeout`` seconds is forgotten (None: never)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 12111,
        seed: int = 0,
        webhook_retry_delays: tuple[float, ...] = RETRY_DELAYS,
        webhook_hosts: Iterable[str] = (),
        log: Log | None = None,
        request_timeout: float = REQUEST_TIMEOUT,
        idle_key_timeout: float | None = IDLE_TIMEOUT,
        api_version: ApiVersion = versions.NEWEST,
    ) -> None:
        hosts = HostPolicy(frozenset(webhook_hosts))
        self.pool = SimulatorPool(
            seed, webhook_retry_delays, hosts, idle_key_timeout, api_version=api_version
        )
        self.socket = bind(host, port)
        self.host = host
        self.port: int = self.socket.getsockname()[1]
        config = uvicorn.Config(
            app(self.pool, log),
            http=stripe_protocol(self.pool.anonymous, timeout=request_timeout),
            lifespan="on",
            ws="none",
            log_config=None,
            log_level="error",
            access_log=False,
            proxy_headers=False,
            server_header=False,
            timeout_keep_alive=KEEP_ALIVE_TIMEOUT,
            timeout_graceful_shutdown=1,
        )
        self._uvicorn = uvicorn.Server(config)

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        """Answer requests until ``shutdown()`` (or, in the main thread, Ctrl-C or SIGTERM)."""
        try:
            self._uvicorn.run(sockets=[self.socket])
        finally:
            self.pool.close()  # when start-up failed, lifespan shutdown never ran
            self.socket.close()

    def shutdown(self) -> None:
        """Ask ``serve_forever`` to return (from another thread)."""
        self._uvicorn.should_exit = True

    @contextlib.contextmanager
    def running(self) -> Iterator[Server]:
        """Serve in a background thread while the block runs, then stop."""
        thread = threading.Thread(target=self.serve_forever, name="pmsim-serve", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.shutdown()
            thread.join(10)


def exposure_warning(host: str) -> str | None:
    """What to say when binding beyond this machine; None for a loopback address.

    >>> exposure_warning("127.0.0.1") is None, exposure_warning("0.0.0.0") is not None
    (True, True)
    """
    if host == "localhost":
        return None
    try:
        if ipaddress.ip_address(host).is_loopback:
            return None
    except ValueError:
        pass  # a host name: it may resolve anywhere
    return (
        f"warning: {host} is not a loopback address, so other machines can reach this "
        "simulator, and it checks no real credentials. Use 127.0.0.1 unless you mean it."
    )


#: The garbage collector's thresholds in ``pmsim serve``: Python's, but for the oldest
#: generation, collected after 100 collections of the middle one rather than 10.
GC_THRESHOLDS = (700, 10, 100)


def tune_gc() -> None:
    """Take what start-up made (modules, tables) out of the garbage collector's scans, and make
    full collections rarer.

    A full collection walks every object a server holds, and a server creating objects holds
    ever more: with Python's thresholds, 20 s of customer creates (275,000) cost 7 full
    collections and 0.5-0.8 s, 2-3 µs a create. Few objects need one: a forgotten key's
    simulator is freed by reference counting, and the HTTP stack's cyclic garbage is mostly
    caught by the young collections. Only the oldest threshold is raised: a raised youngest
    (a young collection every 10,000 objects rather than 700) let cyclic garbage reach the
    oldest generation and wait there, and memory grew by 80 MiB a minute under
    benchmarks/soak.py instead of staying flat.
    Process-wide, so ``pmsim serve`` calls it, not the ``Server`` a test may run in a thread.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
