"""The build keeps what it plans out of Python's cycle collector (plan.py, builder.py): it
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
    try:
        report = build(root, formats=("html",))
    finally:
        gc.unfreeze()
    assert report.ok, report.errors
    # The build's first freeze (its start: imports, configuration) may find some; then the
    # records', each of the six releases', and the plan's, none.
    assert found[1:] == [0] * 8
