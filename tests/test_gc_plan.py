"""The build keeps what it plans out of Python's cycle collector (plan.py, collector.py): it
freezes the heap after each release it plans. That is right only while planning a release
leaves no garbage cycle, which a frozen heap would keep for the rest of the build."""

from __future__ import annotations

import gc

from archive import make_archive
from pressgen import build, plan


def test_planning_a_release_leaves_no_garbage_cycle(tmp_path, monkeypatch):
    root = make_archive(tmp_path / "office", 6)
    found: list[int] = []
    freeze = gc.freeze

    def collect_then_freeze():
        found.append(gc.collect())  # what the freeze would have kept
        freeze()

    monkeypatch.setattr(plan, "PARALLEL_FROM", 10**9)  # one process: the collections are this one's
    monkeypatch.setattr(plan.gc, "freeze", collect_then_freeze)
    enabled = gc.isenabled()
    gc.disable()  # no collection but these: each finds every cycle made since the one before
    try:
        report = build(root, formats=("html",))
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()
    assert report.ok, report.errors
    # The build's start (imports, configuration), the records and the first release (the modules
    # it imports on first use) may leave some; the five releases after it and the plan, none.
    assert len(found) >= 9
    assert found[3:] == [0] * (len(found) - 3)
