"""``pmsim serve``'s garbage-collector setting (issue 12): start-up objects are frozen out of the
scans, and the thresholds stay Python's, because raised ones let the HTTP stack's cyclic
garbage wait minutes in the oldest generation (memory grew 80 MiB a minute under the soak)."""

from __future__ import annotations

import gc

from pmsim.transports.server import tune_gc


def test_tune_gc_freezes_start_up_and_keeps_the_default_thresholds() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()  # this test process goes on collecting as before
