"""A child process's life bound to its parent's: a build's helpers (PDF workers, the
second half of a plan) end the moment the build ends, however it ends, and a Ctrl-C
stops the build, not them on their own."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_WATCH_EVERY = 0.5
"""Seconds between a worker's checks that its parent still lives, where the kernel cannot tell it."""

_PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""


def die_with_parent(parent: int) -> None:
    """End this process (a child of the build) the moment the build that forked it dies, however it dies.

    A pool's workers otherwise outlive a parent killed with SIGKILL (or by the
    OOM killer): they wait forever on a queue nobody writes to, 55-70 MB each.
    On Linux the kernel sends SIGKILL when the parent goes. Everywhere, and in
    case the parent died before prctl took effect (the race its manual page
    warns of), a thread also checks that the parent is still ours.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl (an unusual libc): the thread below still does it
    if os.getppid() != parent:
        os._exit(1)  # the parent died between fork and prctl: the signal will never come
    threading.Thread(target=_watch_parent, args=(parent,), name="pressgen-parent-watch", daemon=True).start()


def _watch_parent(parent: int) -> None:
    """When the parent dies the worker is adopted (by init or a subreaper): its parent id changes."""
    while os.getppid() == parent:
        time.sleep(_WATCH_EVERY)
    os.kill(os.getpid(), signal.SIGKILL)  # like PDEATHSIG: no cleanup, no half-written file renamed


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C back while the build forks its helpers (the build takes it when this ends).

    Ctrl-C reaches the terminal's whole process group: a child it caught in the middle of
    its fork, before it could decide what to do with it, would print a traceback. Forked
    here, a child starts with Ctrl-C held too, until it calls ``ignore_ctrl_c`` or
    ``take_ctrl_c``. (For a fork whose child never leaves this block: a pool's.)
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def fork_holding_ctrl_c() -> int:
    """os.fork() as in ``ctrl_c_held``; the child goes on with Ctrl-C held."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    pid = os.fork()
    if pid:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pid


def ignore_ctrl_c() -> None:
    """In a PDF worker: Ctrl-C is the build's to act on (it stops, and its workers die with it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def take_ctrl_c() -> None:
    """In the plan's child: Ctrl-C ends it, quietly (plan.py), like its build."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
