"""Writing files so that a crash never leaves a torn one behind."""

from __future__ import annotations

import itertools
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder, fsync, rename.

    Readers see the old file or the new one, never half of either.
    """
    _write_renamed(path, data, sync=True)


def write_unsynced(path: Path, data: bytes) -> None:
    """Renamed into place, not fsynced: for what a build can work out again (the cache's parts
    and feed texts, compiled templates), which may be lost in a crash, never torn."""
    _write_renamed(path, data, sync=False)


def _write_renamed(path: Path, data: bytes, sync: bool) -> None:
    temporary = _temporary(path)
    fd = _create(temporary, path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_MODE = 0o644
_counter = itertools.count()


def _temporary(path: Path) -> str:
    """'.name.<pid>-<n>.tmp' beside ``path`` (outputs.sweep_temporaries finds what a killed build
    left): by process, for a build's plan child may write the same file at the same moment (two
    versions with the same feed text), and by a counter, for its threads may too."""
    return f"{path.parent}/.{path.name}.{os.getpid()}-{next(_counter)}.tmp"


def _create(temporary: str, path: Path) -> int:
    """The temporary file, created (its folder too, the first time); readable by all, as a
    page the web server serves must be, whatever the umask."""
    # Not O_EXCL: a file of this name is one a killed process of the same pid left.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temporary, flags, _MODE)
    except FileNotFoundError:
        # Asked only when a folder is missing: a build writes thousands of files into a few folders.
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(temporary, flags, _MODE)
    os.fchmod(fd, _MODE)
    return fd


def write_if_changed(path: Path, data: bytes, sync: bool = True) -> bool:
    """Write atomically unless the file already holds ``data``; True if written. ``sync=False``:
    not fsynced (write_unsynced), for what a build can work out again."""
    if holds(path, data):
        return False
    (write_atomic if sync else write_unsynced)(path, data)
    return True


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds ``data``: read only when its size is the same (a
    cold build's thousands of outputs are not there yet, a changed page most often has
    another size)."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except FileNotFoundError:
        return False


class Writer:
    """Atomic writes of many files, their fsyncs waiting together in a few threads.

    Each file is still renamed into place only after its own fsync, so a crash leaves
    the old file or the new one; but a build of thousands of pages no longer waits for
    the disk once per file: the filesystem commits concurrent fsyncs together (a cold
    build of 1,000 releases x 3 spent most of its time in fsync, one file at a time).
    ``close`` waits for every write and raises the first error.
    """

    THREADS = 8
    BACKLOG = 256
    """Files at most waiting to be written: a few MB."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future] = []

    def write_if_changed(self, path: Path, data: bytes) -> bool:
        """As fsutil.write_if_changed; the file is in place by ``close``."""
        if holds(path, data):
            return False
        self._submit(write_atomic, path, data)
        return True

    def _submit(self, write, path: Path, data: bytes) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.THREADS, thread_name_prefix="pressgen-write")
        self._pending.append(self._pool.submit(write, path, data))
        # A slow disk must not make the files waiting for it pile up in memory.
        while len(self._pending) > self.BACKLOG:
            self._pending.pop(0).result()

    def write_unsynced(self, path: Path, data: bytes) -> None:
        """As fsutil.write_unsynced, whatever the file holds; in place by ``close``."""
        self._submit(write_unsynced, path, data)

    def wait(self) -> None:
        """Wait until every file written so far is in place (another process is to read them)."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
