"""docs/fidelity.md's table of later changes is the code's table (``domain/delays.py``)."""

from __future__ import annotations

import re
from pathlib import Path

from pmsim.domain.delays import DELAYS

FIDELITY = Path(__file__).resolve().parents[1] / "docs" / "fidelity.md"


def test_the_delay_table_in_the_docs_is_the_codes() -> None:
    text = FIDELITY.read_text(encoding="utf-8")
    section = text.split("## Later changes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (\d+) \| (.+?) \| (.+?) \|$", section, flags=re.M)
    assert rows == [
        (delay.name, str(delay.seconds), delay.what, delay.source.split(" (https")[0])
        for delay in DELAYS
    ]
