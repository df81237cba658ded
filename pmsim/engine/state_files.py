"""State files: ``sim.save(path)`` and ``Simulator.load(path)``.

A state file is JSON: a header naming the format, then every table as lists of records in
creation order (see :mod:`pmsim.engine.state_codec`). Saving writes a temporary file beside
the target and renames it over the target, so the target is either the old file or the new
one, never half of each. Loading checks everything before it hands back a snapshot, and
never writes: a bad file gets a :class:`StateFileError` that says what is wrong and where.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from pmsim.clock import to_timestamp
from pmsim.domain.errors import StateFileError
from pmsim.domain.events import Event
from pmsim.domain.lifecycle import PMState
from pmsim.domain.models import Customer, PaymentMethod
from pmsim.domain.payment_intents import PaymentIntent
from pmsim.domain.setup_intents import SetupIntent
from pmsim.domain.test_clocks import TestClock
from pmsim.domain.webhooks import WebhookEndpoint
from pmsim.engine.snapshots import Snapshot
from pmsim.engine.state_codec import DecodeError, decode, encode, encode_event

FORMAT: Final = "pmsim-state"
#: Bumped when the file's shape changes; a file from a newer pmsim is refused, not misread.
VERSION: Final = 1

#: The tables a file holds, in the order they are written and read.
TABLES: Final[dict[str, type]] = {
    "customers": Customer,
    "payment_methods": PaymentMethod,
    "setup_intents": SetupIntent,
    "payment_intents": PaymentIntent,
    "test_clocks": TestClock,
    "webhook_endpoints": WebhookEndpoint,
    "events": Event,
}


def to_data(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as a state file's JSON data."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "seed": snapshot.seed,
                            "time": snapshot.time, "id_count": snapshot.id_count}  # fmt: skip
    for table in TABLES:
        write = encode_event if table == "events" else encode
        data[table] = [write(record) for record in getattr(snapshot, table)]
    return data


def save(snapshot: Snapshot, path: str | os.PathLike[str]) -> None:
    """Write ``snapshot`` to ``path`` atomically (a temporary file, then a rename)."""
    target = Path(path)
    text = json.dumps(to_data(snapshot), ensure_ascii=False, separators=(",", ":"))
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise StateFileError(path, f"cannot be saved there ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def load(path: str | os.PathLike[str]) -> Snapshot:
    """The snapshot in the state file at ``path``; :class:`StateFileError` if there is none."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StateFileError(path, "no such file; save one with sim.save(path)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise StateFileError(path, f"cannot be read as a state file ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise StateFileError(
            path,
            f"not a pmsim state file: not JSON ({error.msg} at line {error.lineno}, "
            f"column {error.colno}); it may be truncated or damaged",
        ) from None
    try:
        return from_data(data)
    except DecodeError as error:
        raise StateFileError(path, f"damaged state file: {error}") from None
    except ValueError as error:
        raise StateFileError(path, str(error)) from None


def from_data(data: Any) -> Snapshot:
    """A snapshot from a state file's JSON data, checked; ``ValueError`` saying why not."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(
            f'not a pmsim state file (no "format": "{FORMAT}" header); '
            "state files are written by sim.save(path)"
        )
    version = data.get("version")
    if version != VERSION:
        raise ValueError(
            f"written in state file version {version!r}; this pmsim reads version {VERSION} "
            "(a file from a newer pmsim needs that pmsim)"
        )
    header = {name: decode(int, data.get(name), name) for name in ("seed", "time", "id_count")}
    tables: dict[str, Any] = {}
    for table, kind in TABLES.items():
        rows = data.get(table, [])
        if not isinstance(rows, list):
            raise DecodeError(table, "expected a list")
        tables[table] = tuple(decode(kind, row, f"{table}[{i}]") for i, row in enumerate(rows))
    to_timestamp(header["time"])  # in range, or ValueError saying so
    snapshot = Snapshot(**header, **tables)
    problem = next(_inconsistencies(snapshot), None)
    if problem is not None:
        raise ValueError(f"damaged state file: {problem}")
    return snapshot


def _inconsistencies(snapshot: Snapshot) -> Iterator[str]:
    """What breaks the simulator's laws in a hand-edited or damaged file, if anything."""
    for table in TABLES:
        seen: set[str] = set()
        for i, record in enumerate(getattr(snapshot, table)):
            if record.id in seen:
                yield f"{table}[{i}]: the id {record.id} appears twice"
            seen.add(record.id)
    customers = {customer.id: customer for customer in snapshot.customers}
    owners = {}
    for i, pm in enumerate(snapshot.payment_methods):
        owners[pm.id] = pm.customer
        attached = pm.state is PMState.ATTACHED
        if attached != (pm.customer is not None):
            yield f"payment_methods[{i}]: state {pm.state.value!r} with customer {pm.customer}"
        elif pm.customer is not None and pm.customer not in customers:
            yield f"payment_methods[{i}]: attached to {pm.customer}, which is not in the file"
    for i, customer in enumerate(snapshot.customers):
        default = customer.invoice_settings.default_payment_method
        if default is not None and owners.get(default) != customer.id:
            yield f"customers[{i}]: the default {default} is not attached to {customer.id}"
    if snapshot.id_count < 0:
        yield f"id_count is {snapshot.id_count}; it counts ids made, from 0"
