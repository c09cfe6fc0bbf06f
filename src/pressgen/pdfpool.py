"""The PDF worker pool: HTML -> PDF in this process (-j 1) or in forked workers.

pdf.py renders one PDF; this module runs many and tells the build how each one
went, saving the cache now and then so a killed build keeps most of its work.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

from . import theme
from .cache import BuildCache
from .errors import PressgenError
from .images import IMAGES_DIR
from .outputs import Job

_SAVE_EVERY = 2.0
"""Seconds between cache saves during a long build, so a killed build keeps most of its work."""

_WATCH_EVERY = 0.5
"""Seconds between a worker's checks that its parent still lives, where the kernel cannot tell it."""

_PR_SET_PDEATHSIG = 1
"""From <linux/prctl.h>."""


def _die_with_parent(parent: int) -> None:
    """End this worker the moment the build that forked it dies, however it dies.

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


def _init_worker(parent: int, allowed: list[Path], families: frozenset[str]) -> None:
    """Pool initializer: bind the worker's life to the build's, then set up pdf.py."""
    from . import pdf

    _die_with_parent(parent)
    pdf.init_worker(allowed, families)



class PdfRunner:
    """Renders PDFs in this process (one job or -j 1) or in a pool of worker processes."""

    def __init__(self, root: Path, out: Path, jobs: int | None, count: int, finished, failed, cache: BuildCache):
        self.out = out
        self.finished = finished
        self.failed = failed
        self.cache = cache
        self.allowed = [out / theme.ASSETS, out / IMAGES_DIR, *theme.template_dirs(root)]
        self.families = theme.font_families(root)
        self.workers = min(jobs or os.cpu_count() or 1, count)
        self.futures: dict = {}
        self.started = False
        self.last_save = time.monotonic()
        self.pool = None
        if self.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from . import pdf

            # fork: a worker starts in milliseconds and, unlike spawn and forkserver,
            # does not re-run the caller's __main__ (a script calling build() without
            # an `if __name__ == "__main__"` guard would start workers recursively).
            # Workers touch nothing of the parent's threads (the progress bar).
            # PDEATHSIG fires when the forking *thread* ends: ProcessPoolExecutor forks
            # every worker from the thread that first submits (this one, for fork), and
            # finish() shuts the pool down before that thread returns from build().
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_init_worker,
                                            initargs=(os.getpid(), self.allowed, self.families))
            # Start every worker now: each imports WeasyPrint while the pages render.
            for _ in range(self.workers):
                self.pool.submit(pdf.warm_up)

    def _args(self, job: Job, html: str):
        return html, self.out / f"{job.lang}/{job.record.id}.html", self.out / job.rel, job.record.path

    def submit(self, job: Job, html: str) -> None:
        from . import pdf

        if self.pool is None:
            if not self.started:
                pdf.init_worker(self.allowed, self.families)
                self.started = True
            try:
                path, _ = pdf.render_to_file(*self._args(job, html))
            except PressgenError as exc:
                self._failed(job, exc)
            else:
                self.finished(job, path)
            self._save_now_and_then()
        else:
            self.futures[self.pool.submit(pdf.render_to_file, *self._args(job, html))] = job

    def finish(self) -> None:
        if self.pool is None:
            return
        from concurrent.futures import as_completed

        try:
            for future in as_completed(self.futures):
                job = self.futures[future]
                try:
                    path, _ = future.result()
                except PressgenError as exc:
                    self._failed(job, exc)
                except Exception as exc:  # a worker died (out of memory, killed): say so, go on
                    self._failed(job, PressgenError(job.record.path, None, f"the PDF worker failed: {exc!r}"))
                else:
                    self.finished(job, path)
                self._save_now_and_then()
        finally:
            self.pool.shutdown()

    def _failed(self, job: Job, exc: PressgenError) -> None:
        self.failed(job, PressgenError(exc.path, exc.line, f"{job.lang}: {exc.message}"))

    def _save_now_and_then(self) -> None:
        if time.monotonic() - self.last_save > _SAVE_EVERY:
            self.cache.save()
            self.last_save = time.monotonic()
