"""Snapshots, forks and state files: the part of the :class:`~pmsim.engine.simulator.Simulator`
that copies its whole state, kept apart so the facade stays short.

>>> import pmsim
>>> sim = pmsim.Simulator(seed=7)
>>> mark = sim.snapshot()
>>> _ = sim.customers.create()
>>> sim.restore(mark)
>>> sim.customers.list().data
()
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar

from pmsim.domain.errors import PmsimUsageError
from pmsim.domain.versions import ApiVersion
from pmsim.engine import snapshots
from pmsim.engine.kernel import Kernel
from pmsim.engine.snapshots import Snapshot

if TYPE_CHECKING:
    pass

S = TypeVar("S", bound="Persistent")


class Persistent:
    """What a simulator does with its whole state (the Simulator is the only subclass)."""

    _kernel: Kernel

    if TYPE_CHECKING:

        def __init__(self, seed: int = 0, *, api_version: str | ApiVersion = ...) -> None: ...

        @property
        def seed(self) -> int: ...

        @property
        def api_version(self) -> ApiVersion: ...

    def snapshot(self) -> Snapshot:
        """Everything the simulator holds now, as a frozen :class:`Snapshot` (cheap: records
        are frozen, so it keeps references, not copies). ``snapshot().to_dict()`` shows its
        objects as plain Stripe JSON for reading (the snapshot itself also holds the seed, the
        id count and pmsim's private fields, which ``sim.save`` writes).

        Two simulators given the same seed and calls have equal snapshots; a call that fails
        leaves the snapshot unchanged.

        >>> from pmsim import Simulator
        >>> sim = Simulator(seed=7)
        >>> before = sim.snapshot()
        >>> _ = sim.customers.create()
        >>> sim.snapshot() == before
        False
        """
        with self._kernel.lock:
            return snapshots.take(self._kernel)

    def restore(self, snapshot: Snapshot) -> None:
        """Go back to ``snapshot``: its objects, events, clock and the ids it would make next,
        so the same calls afterwards give the same results as they did the first time.

        Event ids are rewound too, so a subscriber that has seen events made after the
        snapshot sees their ids again, on other events. Refused while ``pmsim.record`` records.

        >>> from pmsim import Simulator
        >>> sim = Simulator(seed=7)
        >>> start = sim.snapshot()
        >>> first = sim.customers.create().id
        >>> sim.restore(start)
        >>> sim.customers.create().id == first
        True
        """
        if not isinstance(snapshot, Snapshot):
            raise TypeError(
                f"restore() takes a pmsim Snapshot (from sim.snapshot()), not "
                f"{type(snapshot).__name__}; to read a saved file use pmsim.Simulator.load(path)"
            )
        with self._kernel.lock:
            if self._kernel.restore_refusals:
                raise PmsimUsageError(self._kernel.restore_refusals[0])
            snapshots.put_back(self._kernel, snapshot)

    def fork(self: S) -> S:
        """An independent copy for what-if experiments: changes to either never reach the
        other. Subscriptions (``pmsim.subscribe``) stay with the original.

        >>> from pmsim import Simulator
        >>> sim = Simulator(seed=7)
        >>> cus = sim.customers.create()
        >>> what_if = sim.fork()
        >>> _ = what_if.customers.delete(cus.id)
        >>> sim.customers.retrieve(cus.id).deleted, what_if.customers.retrieve(cus.id).deleted
        (False, True)
        """
        copy = type(self)(seed=self.seed, api_version=self.api_version)
        copy.restore(self.snapshot())
        return copy

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the whole state to a JSON file, atomically: a crash or an error midway leaves
        any file already at ``path`` as it was. ``Simulator.load(path)`` reads it back.

        Idempotency keys and request ids (the API layer's memory) are not saved.
        """
        from pmsim.engine import state_files  # json and tempfile: only for those who save

        state_files.save(self.snapshot(), path)

    @classmethod
    def load(cls: type[S], path: str | os.PathLike[str]) -> S:
        """A simulator holding what ``sim.save(path)`` wrote; a file that is not JSON, not a
        pmsim state file, or damaged raises :class:`~pmsim.StateFileError` saying which, and
        is left untouched.

        >>> import tempfile, pathlib
        >>> from pmsim import Simulator
        >>> sim = Simulator(seed=7)
        >>> cus = sim.customers.create(email="ada@example.com")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "state.json"
        >>> sim.save(path)
        >>> Simulator.load(path).customers.retrieve(cus.id).email
        'ada@example.com'
        """
        from pmsim.engine import state_files

        snapshot = state_files.load(path)
        sim = cls(seed=snapshot.seed)
        sim.restore(snapshot)
        return sim
