"""fsutil's atomic writes: what every output, snapshot and cache part goes through."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pressgen import fsutil


@pytest.mark.parametrize("write", [fsutil.write_atomic, fsutil.write_unsynced])
def test_a_file_is_written_whole_in_a_folder_made_for_it_and_readable_by_the_web_server(tmp_path: Path, write):
    """Its folder is made when missing; the file is readable by all (a web server serves out/)
    whatever the build's umask; no temporary file is left beside it."""
    target = tmp_path / "out/kk/new/page.html"
    previous = os.umask(0o077)
    try:
        write(target, "Сәлем".encode("utf-8"))
        write(target, "Сәлеметсіз бе".encode("utf-8"))
    finally:
        os.umask(previous)
    assert target.read_text(encoding="utf-8") == "Сәлеметсіз бе"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.html"]


def test_a_temporary_file_a_killed_process_left_under_the_same_name_is_written_over(tmp_path: Path, monkeypatch):
    """Temporary names are the process's id and a counter: a process of the same id, killed
    while writing, may have left one of the same name, which must not stop the write."""
    target = tmp_path / "page.html"
    monkeypatch.setattr(fsutil, "_counter", iter([7]))
    left = tmp_path / f".page.html.{os.getpid()}-7.tmp"
    left.write_bytes(b"cut sh")
    fsutil.write_atomic(target, b"whole")
    assert target.read_bytes() == b"whole" and not left.exists()
