"""Writing files so that a crash never leaves a torn one behind."""

from __future__ import annotations

import functools
import itertools
import os
import re
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


def _write_renamed(path: Path, data: bytes, sync: bool, to: str | None = None) -> None:
    """``data`` into a temporary file beside ``path``, renamed to ``path``; or left there,
    as ``to``, for the caller to rename."""
    temporary = to or _temporary(path)
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
        if to is None:
            os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:
            exc.filename = str(path)  # os.write names no file; the build's message names the one it was writing
        raise


_MODE = 0o644
_counter = itertools.count()


def _temporary(path: Path) -> str:
    """'.name.<pid>-<n>.tmp' beside ``path`` (outputs.sweep_temporaries finds what a killed build
    left): by process, for a build's plan child may write the same file at the same moment (two
    versions with the same feed text), and by a counter, for its threads may too."""
    return f"{path.parent}/.{path.name}.{os.getpid()}-{next(_counter)}.tmp"


def written_as(name: str, of: int | None = None) -> str | None:
    """The name of the file a temporary of _temporary's pattern was to become (of process
    ``of`` only, if given); None for any other name.

    >>> written_as(".hello.html.4242-7.tmp"), written_as(".hello.html.4242-7.tmp", of=1), written_as(".notes.tmp")
    ('hello.html', None, None)
    """
    process = str(of) if of is not None else r"\d+"
    found = re.fullmatch(rf"\.(.+)\.{process}-\d+\.tmp", name)
    return found[1] if found else None


def _create(temporary: str, path: Path) -> int:
    """The temporary file, created (its folder too, the first time); readable by all, as a
    page the web server serves must be, whatever the umask."""
    # Not O_EXCL: a file of this name is one a killed process of the same pid left.
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(temporary, flags, _MODE)
    except FileNotFoundError:
        # Asked only when a folder is missing: a build writes thousands of files into a few folders.
        make_folder(path.parent)
        fd = os.open(temporary, flags, _MODE)
    os.fchmod(fd, _MODE)
    return fd


def make_folder(folder: Path) -> None:
    """``folder`` and its missing parents, open to all (0755) whatever the umask, as the
    folders of a site a web server serves must be (under umask 077 they were 0700)."""
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        try:
            os.mkdir(level, _FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile, by the plan's other process
        os.chmod(level, _FOLDER_MODE)


_FOLDER_MODE = 0o755


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
    """A build's many files: written as they come, made durable together by ``close``.

    Each output (a page, an item, a site file) is renamed into place at once, where the rest of
    the build may read it; ``close`` then syncs each filesystem written to, once, before the
    cache and the stamp that name the outputs are written. An fsync a file, even in eight
    threads, cost a cold build of 1,000 releases x 3 a tenth of its CPU: the threads' turns
    at the interpreter's lock, twice a system call, while the build rendered.

    A record the office keeps (``write_record``: published/'s snapshots) must never be found
    empty after a power cut, as a file renamed before its data reached the disk may be: it
    waits in its temporary file until the sync, and is renamed then (and the renames synced).
    A build killed or failing before that leaves the temporaries, which the next one removes.
    """

    def __init__(self) -> None:
        self._folders: set[str] = set()
        """Where this writer put files: synced by ``close``."""
        self._held: list[tuple[str, str]] = []
        """(temporary, path) of the records written, renamed by ``close``."""

    def write_if_changed(self, path: Path, data: bytes) -> bool:
        """As fsutil.write_if_changed; durable once ``close`` returns."""
        if holds(path, data):
            return False
        _write_renamed(path, data, sync=False)
        self._folders.add(os.path.dirname(path))
        return True

    def write_record(self, path: Path, data: bytes) -> bool:
        """As write_if_changed, but in place only once ``close`` has made it durable."""
        if holds(path, data):
            return False
        temporary = _temporary(path)
        _write_renamed(path, data, sync=False, to=temporary)
        self._held.append((temporary, str(path)))
        return True

    def write_unsynced(self, path: Path, data: bytes) -> None:
        """As fsutil.write_unsynced (what a build can work out again): not synced by ``close``."""
        write_unsynced(path, data)

    def hand_over(self) -> tuple[set[str], list[tuple[str, str]]]:
        """What a plan's child wrote, for the build's own writer to make durable (take_over)."""
        handed = self._folders, self._held
        self._folders, self._held = set(), []
        return handed

    def take_over(self, handed: tuple[set[str], list[tuple[str, str]]]) -> None:
        folders, held = handed
        self._folders |= folders
        self._held.extend(held)

    def close(self) -> None:
        """Make every file written durable, then put the records in place."""
        held, self._held = self._held, []
        folders, self._folders = self._folders, set()
        sync_filesystems(folders | {os.path.dirname(path) for _, path in held})
        if held:
            for temporary, path in held:
                os.replace(temporary, path)
            sync_filesystems({os.path.dirname(path) for _, path in held})


def sync_filesystems(folders: set[str]) -> None:
    """Make what was written to the filesystems holding ``folders`` durable: one syncfs each
    (Linux), or one sync of every filesystem elsewhere."""
    if not folders:
        return
    devices: dict[int, str] = {}
    for folder in folders:
        try:
            devices.setdefault(os.stat(folder).st_dev, folder)
        except FileNotFoundError:
            continue  # removed since: nothing of it to keep
    syncfs = _syncfs()
    if syncfs is None:
        os.sync()
        return
    for folder in devices.values():
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if syncfs(fd) != 0:
                import ctypes

                error = ctypes.get_errno()
                raise OSError(error, os.strerror(error), folder)
        finally:
            os.close(fd)


@functools.lru_cache(maxsize=None)
def _syncfs():
    """Linux's syncfs(2), from the C library; None where there is none."""
    import ctypes  # here: 2 ms of every command's start, where most write nothing

    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
