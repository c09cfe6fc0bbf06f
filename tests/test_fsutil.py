"""fsutil's atomic writes: what every output, snapshot and cache part goes through."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pressgen import fsutil


@pytest.mark.parametrize("write", [fsutil.write_atomic, fsutil.write_unsynced])
def test_a_file_is_written_whole_in_a_folder_made_for_it_and_readable_by_the_web_server(tmp_path: Path, write):
    """Its folders are made when missing; they are open to all and the file readable by all (a
    web server serves out/) whatever the build's umask; no temporary file is left beside it."""
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
    for folder in ("out", "out/kk", "out/kk/new"):
        assert stat.S_IMODE((tmp_path / folder).stat().st_mode) == 0o755, folder


def test_a_temporary_file_a_killed_process_left_under_the_same_name_is_written_over(tmp_path: Path, monkeypatch):
    """Temporary names are the process's id and a counter: a process of the same id, killed
    while writing, may have left one of the same name, which must not stop the write."""
    target = tmp_path / "page.html"
    monkeypatch.setattr(fsutil, "_counter", iter([7]))
    left = tmp_path / f".page.html.{os.getpid()}-7.tmp"
    left.write_bytes(b"cut sh")
    fsutil.write_atomic(target, b"whole")
    assert target.read_bytes() == b"whole" and not left.exists()


def test_a_build_s_writer_puts_pages_in_place_at_once_and_records_only_once_they_are_durable(tmp_path: Path,
                                                                                             monkeypatch):
    """A page is in place as soon as it is written (the rest of the build reads it); a snapshot
    the office keeps waits in its temporary file until ``close`` has synced the filesystem,
    then is renamed and the rename synced: a power cut never leaves it empty."""
    synced = []

    def sync(folders):
        synced.append((set(folders), snapshot.exists()))
        real_sync(folders)

    real_sync = fsutil.sync_filesystems
    monkeypatch.setattr(fsutil, "sync_filesystems", sync)
    page, snapshot = tmp_path / "out/kk/r.html", tmp_path / "published/kk/r.yaml"
    writer = fsutil.Writer()
    assert writer.write_if_changed(page, "Сәлем".encode("utf-8"))
    assert writer.write_record(snapshot, b"release: r\n")
    assert not writer.write_if_changed(page, "Сәлем".encode("utf-8"))  # holds it already
    assert page.read_text(encoding="utf-8") == "Сәлем" and not snapshot.exists()
    [waiting] = snapshot.parent.iterdir()
    assert waiting.name.startswith(".r.yaml.") and waiting.name.endswith(".tmp")
    writer.close()
    assert snapshot.read_bytes() == b"release: r\n" and sorted(p.name for p in snapshot.parent.iterdir()) == ["r.yaml"]
    assert synced == [({str(page.parent), str(snapshot.parent)}, False), ({str(snapshot.parent)}, True)]
    writer.close()  # nothing more to make durable
    assert synced[2:] == [(set(), True)]


def test_what_a_plan_s_child_wrote_is_made_durable_by_the_build_s_writer(tmp_path: Path):
    child, build = fsutil.Writer(), fsutil.Writer()
    child.write_record(tmp_path / "published/tr/r.yaml", b"release: r\n")
    child.write_if_changed(tmp_path / "out/tr/r.html", b"<p>")
    build.take_over(child.hand_over())
    child.close()  # the child's own has nothing left
    assert not (tmp_path / "published/tr/r.yaml").exists()
    build.close()
    assert (tmp_path / "published/tr/r.yaml").read_bytes() == b"release: r\n"


@pytest.mark.skipif(not os.uname().sysname == "Linux", reason="syncfs(2) is Linux's")
def test_on_linux_each_filesystem_is_synced_by_syncfs_not_the_whole_machine(tmp_path: Path):
    assert fsutil._syncfs() is not None
    fsutil.sync_filesystems({str(tmp_path), str(tmp_path / "gone")})  # a folder removed since is passed over
