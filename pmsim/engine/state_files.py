"""State files: ``sim.save(path)`` and ``Simulator.load(path)``.

A state file is JSON: a header naming the format, then every table as lists of records in
creation order (see :mod:`pmsim.engine.state_codec`). Saving writes a temporary file beside
the target (``.{name}.pmsim-tmp-*``) and renames it over the target, so the target is either
the old file or the new one, never half of each. An interrupted save removes its temporary
file; one a killed save left is removed by a later save of the same file once it is an hour
old. Loading checks everything before it hands back a snapshot, including that no record
holds what ``create`` would refuse, and never writes: a bad file gets a
:class:`StateFileError` that says what is wrong and where.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from pmsim.clock import to_timestamp
from pmsim.domain.errors import StateFileError
from pmsim.domain.versions import ApiVersion
from pmsim.engine.snapshots import TABLES, Snapshot
from pmsim.engine.state_checks import inconsistencies
from pmsim.engine.state_codec import DecodeError, decode, encode, encode_event

FORMAT: Final = "pmsim-state"
#: Bumped when the file's shape changes; a file from a newer pmsim is refused, not misread.
VERSION: Final = 5
#: The versions this pmsim reads. Version 2 added each event's ``owed`` webhook endpoints (a
#: version 1 file's events owe none); version 3 a payment method's ``allow_redisplay`` and an
#: endpoint's ``connect`` (an older file's are ``unspecified`` and false); version 4 the
#: ``sources`` table (legacy cards) and a customer's ``default_source`` (none in older files);
#: version 5 the account's ``api_version`` and each event's (an older file's are the newest
#: version pmsim knows).
READS: Final = (1, 2, 3, 4, 5)
#: The most ids a simulator can have made (the ids hash the count as 8 bytes).
MAX_ID_COUNT: Final = 2**63 - 1


def to_data(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as a state file's JSON data."""
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "seed": snapshot.seed,
                            "time": snapshot.time, "id_count": snapshot.id_count,
                            "api_version": snapshot.api_version.name}  # fmt: skip
    for table in TABLES:
        write = encode_event if table == "events" else encode
        data[table] = [write(record) for record in getattr(snapshot, table)]
    return data


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a whole state is turned into JSON or back:
    that makes hundreds of thousands of acyclic containers, which the collector would scan
    again and again (doubling the time) without ever freeing one."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save(snapshot: Snapshot, path: str | os.PathLike[str]) -> None:
    """Write ``snapshot`` to ``path`` atomically (a temporary file, then a rename), with the
    permissions a file written in place would have; :class:`StateFileError` if it cannot."""
    target = Path(path)
    # ASCII JSON: any text the simulator holds (even a lone surrogate) survives the trip.
    with _collector_paused():
        text = json.dumps(to_data(snapshot), separators=(",", ":"))
    prefix = _temporary_prefix(target)
    _remove_stale_temporaries(target.parent, prefix)
    try:
        handle, temporary = tempfile.mkstemp(prefix=prefix, dir=target.parent)
    except OSError as error:
        raise StateFileError(path, f"cannot be saved there ({error.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, _mode_for(target))  # mkstemp makes it private (0600)
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        raise StateFileError(path, f"cannot be saved ({error.strerror or error})") from None
    except BaseException:  # KeyboardInterrupt, SystemExit...: no temporary file left behind
        _remove(temporary)
        raise


#: A temporary file older than this (seconds) is one an earlier save left behind (killed
#: before it could clean up): the next save into that folder removes it.
STALE_AFTER: Final = 3600


def _temporary_prefix(target: Path) -> str:
    """How a save's temporary file is named (``.state.json.pmsim-tmp-<random>``), so that
    only files pmsim made are ever cleaned up."""
    return f".{target.name}.pmsim-tmp-"


def _remove_stale_temporaries(folder: Path, prefix: str) -> None:
    """Remove the temporary files an interrupted earlier save of the same target left in
    ``folder``: only regular files named with ``prefix`` and untouched for an hour (a save
    running now in another process has touched its own recently). Never fails a save."""
    limit = time.time() - STALE_AFTER
    try:
        with os.scandir(folder) as entries:
            stale = [entry.path for entry in entries if entry.name.startswith(prefix)
                     and entry.is_file(follow_symlinks=False)
                     and entry.stat(follow_symlinks=False).st_mtime < limit]  # fmt: skip
    except OSError:
        return
    for name in stale:
        _remove(name)


def _remove(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _mode_for(target: Path) -> int:
    """The permissions the saved file gets: the old file's, or the umask's for a new one."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def load(path: str | os.PathLike[str]) -> Snapshot:
    """The snapshot in the state file at ``path``; :class:`StateFileError` if there is none."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise StateFileError(path, "no such file; save one with sim.save(path)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise StateFileError(path, f"cannot be read as a state file ({error})") from None
    try:
        with _collector_paused():
            data = json.loads(text)
    except json.JSONDecodeError as error:
        raise StateFileError(
            path,
            f"not a pmsim state file: not JSON ({error.msg} at line {error.lineno}, "
            f"column {error.colno}); it may be truncated or damaged",
        ) from None
    except (ValueError, RecursionError) as error:  # a huge number, nesting too deep
        raise StateFileError(path, f"not a pmsim state file: unreadable JSON ({error})") from None
    try:
        with _collector_paused():
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
    if version not in READS or type(version) is not int:
        raise ValueError(
            f"written in state file version {version!r}; this pmsim reads version {VERSION} "
            "(a file from a newer pmsim needs that pmsim)"
        )
    header: dict[str, Any] = {
        name: decode(int, data.get(name), name) for name in ("seed", "time", "id_count")
    }
    if "api_version" in data:
        header["api_version"] = decode(ApiVersion, data["api_version"], "api_version")
    tables: dict[str, Any] = {}
    for table, kind in TABLES.items():
        rows = data.get(table, [])
        if not isinstance(rows, list):
            raise DecodeError(table, "expected a list")
        tables[table] = tuple(decode(kind, row, f"{table}[{i}]") for i, row in enumerate(rows))
    to_timestamp(header["time"])  # in range, or ValueError saying so
    if not 0 <= header["id_count"] <= MAX_ID_COUNT:  # ids hash the count as 8 bytes
        raise ValueError(f"damaged state file: id_count {header['id_count']} is not between "
                         f"0 and {MAX_ID_COUNT}")  # fmt: skip
    snapshot = Snapshot(**header, **tables)
    problem = next(inconsistencies(snapshot), None)
    if problem is not None:
        raise ValueError(f"damaged state file: {problem}")
    return snapshot
