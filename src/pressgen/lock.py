"""One build at a time per project: an advisory lock on .pressgen/build.lock (and one
`pressgen mail` at a time, on .pressgen/mail.lock).

Two builds in one project would both render everything and race on the cache
(each saves what it alone did). Like cargo ("Blocking waiting for file lock on
build directory"), the second one says whom it waits for and waits; a user who
does not want to wait presses Ctrl-C. There is no timeout: a long first build
(thousands of PDFs) is not an error, and the lock cannot go stale.

The lock is flock(2) on an open file, not the file's existence: the kernel
releases it when its holder ends, however it ends (SIGKILL, out of memory), so
a killed build never leaves a lock behind, and there is nothing to clean up.
The file is never removed (removing it would let two builds lock two different
files); it only says which process holds the lock, for the waiting message.

Forked PDF workers share the lock's open file, so the project stays locked
until the last of them is gone, and a new build never races a dying worker.
"""

from __future__ import annotations

import fcntl
import functools
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .projectfiles import CACHE_DIR

LOCK_NAME = "build.lock"
MAIL_LOCK_NAME = "mail.lock"
"""`pressgen mail` holds it from reading the sent log to its last message, so that two sends of
one project never both send to the same journalist; builds (cron's) go on meanwhile."""

_held: dict[tuple[Path, int, int], int] = {}
"""(lock file, process, thread) -> depth: `pressgen mail` builds first, under its own lock."""


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@contextmanager
def project_lock(root: Path | str, what: str = "build", notify: Callable[[str], None] = _say,
                 name: str = LOCK_NAME) -> Iterator[None]:
    """Hold the project's lock ``name`` for ``what`` (a pressgen command), waiting for its
    holder if need be.

    Re-entrant in one thread. A folder without pressgen.yaml is no project: nothing is
    locked (or created there), and the command goes on to say what is wrong.
    """
    root = Path(root).resolve()
    path = root / CACHE_DIR / name
    me = (path, os.getpid(), threading.get_ident())
    if me in _held or not (root / "pressgen.yaml").is_file():
        _held[me] = _held.get(me, 0) + 1
        try:
            yield
        finally:
            _held[me] -= 1
            if not _held[me]:
                del _held[me]
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            notify(_waiting(fd, what))
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {what}\n".encode("utf-8"), 0)
        _held[me] = 1
        try:
            yield
        finally:
            del _held[me]
    finally:
        os.close(fd)  # releases the lock (once forked workers have ended too)


def _waiting(fd: int, what: str) -> str:
    """'waiting for another pressgen build in this project (pid 1234) to finish…'"""
    try:
        pid, _, holder = os.pread(fd, 200, 0).decode("utf-8").strip().partition(" ")
    except (OSError, UnicodeDecodeError):
        pid = holder = ""
    who = f" (pid {pid})" if pid.isdigit() else ""  # empty for the instant before its holder writes it
    return f"waiting for another pressgen {holder or what} in this project{who} to finish…"


def locked(what: str, name: str = LOCK_NAME):
    """Decorate a library function whose first argument is the project folder: it runs under
    the lock ``name``."""

    def decorate(func):
        @functools.wraps(func)
        def run(root: Path | str = ".", *args, **kwargs):
            with project_lock(root, what, name=name):
                return func(root, *args, **kwargs)

        return run

    return decorate
