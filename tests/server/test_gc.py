"""``pmsim serve``'s garbage-collector setting (issue 12): start-up objects are frozen out of the
scans, and full collections are rarer, with only the oldest generation's threshold raised (a
raised youngest one let cyclic garbage wait in the oldest generation: memory grew 80 MiB a
minute under the soak)."""

from __future__ import annotations

import gc

from pmsim.transports.server import GC_THRESHOLDS, tune_gc


def test_tune_gc_freezes_start_up_and_raises_only_the_oldest_threshold() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == GC_THRESHOLDS
        assert GC_THRESHOLDS[:2] == (700, 10)  # Python's own for the young generations
        assert GC_THRESHOLDS[2] > 10
    finally:
        gc.unfreeze()  # this test process goes on collecting as before
        gc.set_threshold(*before)
