"""Any damage to a state file is a StateFileError: a valid file with one value replaced by
arbitrary JSON either loads or is refused with that one error, never another exception."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

import pmsim
from tests.support import busy

GOLDEN = Path(__file__).parent / "golden" / "state-v1.json"
VALID: dict[str, Any] = json.loads(GOLDEN.read_text())

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["Customer", "PaymentMethod", "attached", "card", "cus_", "pm_", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=6,
)  # fmt: skip


REMOVE = "<remove>"


@st.composite
def damage(draw: st.DrawFn, valid: dict[str, Any]) -> tuple[tuple[Any, ...], Any]:
    """Where and what: the path of one value in ``valid`` (the whole file included) and the
    arbitrary JSON that replaces it, or REMOVE for a key to remove (kept small, for its repr)."""
    path: tuple[Any, ...] = ()
    value: Any = valid
    while isinstance(value, dict | list) and value and draw(st.integers(0, 9)) > 0:
        key = draw(st.sampled_from(sorted(value) if isinstance(value, dict) else range(len(value))))
        path, value = (*path, key), value[key]
    removable = bool(path) and isinstance(path[-1], str)
    return path, (REMOVE if removable and draw(st.integers(0, 3)) == 0 else draw(JSON))


def damaged(valid: dict[str, Any], path: tuple[Any, ...], new: Any) -> Any:
    data = json.loads(json.dumps(valid))
    if not path:
        return new
    holder = data
    for key in path[:-1]:
        holder = holder[key]
    if new == REMOVE:
        del holder[path[-1]]
    else:
        holder[path[-1]] = new
    return data


def assert_loads_or_refuses(data: Any) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.json"
        path.write_text(json.dumps(data))
        with contextlib.suppress(pmsim.StateFileError):
            pmsim.Simulator.load(path)


@given(damage(VALID))
@example((("events", 0, "object", "record"), []))  # was a TypeError: a list is unhashable
def test_a_damaged_golden_file_loads_or_is_a_state_file_error(change: Any) -> None:
    assert_loads_or_refuses(damaged(VALID, *change))


BUSY: dict[str, Any] = json.loads(json.dumps(pmsim.engine.state_files.to_data(busy().snapshot())))


@given(damage(BUSY))
def test_a_damaged_busy_file_loads_or_is_a_state_file_error(change: Any) -> None:
    assert_loads_or_refuses(damaged(BUSY, *change))
