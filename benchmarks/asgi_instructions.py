"""What ``pmsim serve`` adds to a request, in CPU instructions: the ASGI application called
in-process (no sockets, no uvicorn), counted by valgrind's callgrind.

Run from the repository root with valgrind on the PATH::

    python benchmarks/asgi_instructions.py             # about a minute
    python benchmarks/asgi_instructions.py --calls 200 # quicker, as exact
    python benchmarks/asgi_instructions.py --json

``server_throughput.py`` measures the server as users run it, but its figures move by a tenth
between runs on a shared machine; the work pmsim's application adds to uvicorn's is what its
create aim depends on, and these counts of that work do not move. Each figure is one child
process that makes the application, warms it up with 200 requests and then makes ``calls``
measured ones, less a run that does everything but the measured requests. The requests are
``server_throughput.py``'s, with the same headers uvicorn passes on.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

from bench_common import callgrind_main

from pmsim.transports.asgi import app
from pmsim.transports.pool import SimulatorPool

KEY = "sk_test_bench"
#: name → (method, path, form body); ``{customer}`` is a customer made before the run.
REQUESTS = {
    "retrieve_customer": ("GET", "/v1/customers/{customer}", b""),
    "create_customer": ("POST", "/v1/customers", b"name=Ada&email=a%40b.co"),
    "create_card": ("POST", "/v1/payment_methods", b"type=card&card%5Btoken%5D=tok_visa"),
}
WARM_UP = 200


def child(name: str, calls: int) -> None:
    pool = SimulatorPool(seed=1)
    application = app(pool)
    customer = pool.get(KEY).customers.create().id
    method, path, body = REQUESTS[name]
    path = path.format(customer=customer)
    headers = [(b"host", b"127.0.0.1:12111"), (b"authorization", b"Bearer " + KEY.encode()),
               (b"user-agent", b"wrk")]  # fmt: skip
    if method == "POST":
        headers += [(b"content-type", b"application/x-www-form-urlencoded"),
                    (b"content-length", b"%d" % len(body))]  # fmt: skip
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "http", "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": headers}  # fmt: skip
    message = {"type": "http.request", "body": body, "more_body": False}

    async def receive() -> dict[str, Any]:
        return message

    async def send(_: Any) -> None:
        return None

    async def run(n: int) -> None:
        for _ in range(n):
            await application(dict(scope), receive, send)

    loop = asyncio.new_event_loop()
    loop.run_until_complete(run(WARM_UP))
    gc.freeze()  # as pmsim serve does with its start-up objects
    if calls:
        loop.run_until_complete(run(calls))


def main() -> None:
    callgrind_main(
        __doc__, __file__, list(REQUESTS), child, what=f"request, after {WARM_UP} to warm up"
    )


if __name__ == "__main__":
    main()
