"""The PDF worker pool: HTML -> PDF in this process (-j 1) or in forked workers.

pdf.py renders one PDF; this module runs many and tells the build how each one
went, saving the cache now and then so a killed build keeps most of its work.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from . import theme
from .cache import BuildCache
from .errors import PressgenError
from .images import IMAGES_DIR
from .lifeline import ctrl_c_held, die_with_parent, ignore_ctrl_c
from .outputs import Job

QUEUED_PER_WORKER = 4
"""PDFs handed to each worker and not yet done: one rendering, one in its pipe, and two for
this process's pool threads to pass on while this process renders a PDF of its own (they
wait for the interpreter until it lets go between two of its steps). With two, a worker sat
idle 13 % of a -j 2 build, whenever this process's PDF took longer than the worker's two."""

_SAVE_EVERY = 2.0
"""Seconds between cache saves during a long build, so a killed build keeps most of its work."""

RESTARTS = 3
"""New workers a build starts after its workers died (the kernel's out-of-memory killer, a
kill): past that, this process renders the rest alone."""

def sweep_scratch() -> None:
    """Remove the temporary folders of processes that are gone (pdf.SCRATCH_PREFIX): a build
    killed (kill -9, the out-of-memory killer) could not remove its copy of the fonts (3.4 MB),
    nor its pool's folder, where its workers keep theirs."""
    import shutil
    import tempfile

    from .pdf import SCRATCH_PREFIX

    folder = Path(tempfile.gettempdir())
    try:
        left = [entry for entry in folder.iterdir() if entry.name.startswith(SCRATCH_PREFIX)]
    except OSError:
        return
    for entry in left:
        pid = entry.name[len(SCRATCH_PREFIX):].partition("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)  # its build is gone
        except OSError:
            pass  # alive, under another user: not ours to touch


def _init_worker(parent: int, allowed: list[Path], families: frozenset[str], scratch: str) -> None:
    """Pool initializer: bind the worker's life to the build's, then set up pdf.py, with its
    temporary files (WeasyPrint's copy of the fonts) in its pool's ``scratch`` folder."""
    import tempfile

    from . import pdf

    die_with_parent(parent)
    ignore_ctrl_c()
    tempfile.tempdir = scratch
    pdf.init_worker(allowed, families)



class PdfRunner:
    """Renders PDFs in this process and, with -j N, in N - 1 forked worker processes.

    This process renders the pages the PDFs are printed from; whenever its workers have
    enough queued, it renders the PDF at hand itself instead of queueing more. So every
    core renders from the first PDF to the last, no core waits at the end for a queue
    it filled, and no more than a few pages wait in memory for a worker, however large
    the archive (a queue of every PDF's HTML would hold the whole archive's pages).
    """

    def __init__(self, root: Path, out: Path, jobs: int | None, count: int, finished, failed, cache: BuildCache):
        self.out = out
        self.finished = finished
        self.failed = failed
        self.cache = cache
        self.allowed = [out / theme.ASSETS, out / IMAGES_DIR, *theme.template_dirs(root)]
        self.families = theme.font_families(root)
        self.workers = max(min(jobs or os.cpu_count() or 1, count) - 1, 0)
        """Worker processes besides this one: -j counts the build's own process."""
        self.queued: dict = {}
        """Futures of the PDFs handed to a worker and not yet reported, with their jobs and pages."""
        self.count = count
        self.handed = 0
        """PDFs submitted so far, of ``count``."""
        self.started = False
        self.broken = False
        self.last_save = time.monotonic()
        self.pool = None
        self.restarts = 0
        self.dead = False
        """A worker died and took the pool down: the next PDF for a worker needs new ones (_restart)."""
        if count:
            sweep_scratch()
        if self.workers:
            self._start_pool()

    def _start_pool(self) -> None:
        """The worker processes, forked now, each with WeasyPrint ready. Their temporary files
        go to a folder of the pool's own, removed with the pool (_end_pool), or at this process's
        exit after its workers are joined: a worker ends by removing its own, but one that is
        killed (the out-of-memory killer, or the pool ending the others once one died) cannot."""
        import gc
        import multiprocessing
        import multiprocessing.util
        import shutil
        import tempfile
        from concurrent.futures import ProcessPoolExecutor

        from . import pdf

        scratch = tempfile.mkdtemp(prefix=f"{pdf.SCRATCH_PREFIX}{os.getpid()}-")
        self.remove_scratch = multiprocessing.util.Finalize(None, shutil.rmtree, args=(scratch,),
                                                            kwargs={"ignore_errors": True}, exitpriority=-1)

        # fork: a worker starts in milliseconds and, unlike spawn and forkserver,
        # does not re-run the caller's __main__ (a script calling build() without
        # an `if __name__ == "__main__"` guard would start workers recursively).
        # Workers touch nothing of the parent's threads (the progress bar).
        # PDEATHSIG fires when the forking *thread* ends: ProcessPoolExecutor forks
        # every worker from the thread that first submits (this one, for fork), and
        # finish() shuts the pool down before that thread returns from build().
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_init_worker,
                                        initargs=(os.getpid(), self.allowed, self.families, scratch))
        # WeasyPrint is imported once, here, rather than in every process at once: the
        # same wait on two cores, half the CPU, and its modules' memory shared. Each
        # worker then makes its own font configuration (fontconfig's state is not
        # shared across a fork) while this process renders the first pages.
        pdf.import_weasyprint()
        # Frozen, the build's objects stay out of the workers' garbage collections,
        # which would otherwise walk (and copy, page by page) the whole inherited heap.
        # The build froze its cache already (builder.py): thawing it here put 10,000
        # releases' cache back in this process's collections, and each of its PDFs took
        # 18% longer than a worker's.
        thaw = gc.get_freeze_count() == 0
        gc.freeze()
        try:
            with ctrl_c_held():
                for _ in range(self.workers):
                    self.pool.submit(pdf.warm_up)  # the first submit forks them all, here
        finally:
            if thaw:
                gc.unfreeze()

    def _args(self, job: Job, html: str):
        return html, self.out / f"{job.lang}/{job.record.id}.html", self.out / job.rel, job.record.path

    def submit(self, job: Job, html: str) -> None:
        """Render the PDF of ``job``: in a worker if one will soon need work, else here and now."""
        from . import pdf

        self._report(done_only=True)
        left = self.count - self.handed  # this one included
        self.handed += 1
        queued = len(self.queued)
        # Toward the end no worker is handed more than this process has left to render itself,
        # so that all end together: a PDF handed out is not taken back (Future.cancel races a
        # worker's death in Python 3.11, gh-107219), and this process would wait for its queue.
        if self.pool is not None and not self.broken and queued < QUEUED_PER_WORKER * self.workers \
                and (queued + 1) * (self.workers + 1) <= (queued + left) * self.workers:
            from concurrent.futures.process import BrokenProcessPool

            try:
                self.queued[self.pool.submit(pdf.render_to_file, *self._args(job, html))] = (job, html)
                return
            except BrokenProcessPool:
                # A worker died since the last report, and its pool with it: the PDFs it had
                # queued are rendered again by new workers, and this one goes to them too
                # (or is rendered here, past RESTARTS).
                self.dead = True
                self._report(done_only=False)
                if self._restart():
                    self.handed -= 1
                    self.submit(job, html)
                    return
        self._render_here(job, html)
        self._save_now_and_then()

    def _render_here(self, job: Job, html: str) -> None:
        from . import pdf

        if not self.started:
            pdf.init_worker(self.allowed, self.families)
            self.started = True
        try:
            path, _ = pdf.render_to_file(*self._args(job, html))
        except PressgenError as exc:
            self._failed(job, exc)
        else:
            self.finished(job, path)

    def finish(self) -> None:
        """Wait for the workers' last PDFs (this process has rendered its share) and end them."""
        if self.pool is None:
            return
        try:
            self._report(done_only=False)
        finally:
            self._end_pool()

    def _end_pool(self) -> None:
        """Shut the pool down (a dead one too, whose workers are ended), and remove its folder."""
        if self.pool is not None:
            self.pool.shutdown()
            self.remove_scratch()
            self.pool = None

    def abandon(self) -> None:
        """The build stops (Ctrl-C): what no worker has started is dropped, not rendered first."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def _report(self, done_only: bool) -> None:
        """Tell the build how the workers' PDFs went: those done so far, or all of them."""
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        if done_only:
            ready = [future for future in self.queued if future.done()]
        else:
            ready = as_completed(list(self.queued))
        orphans: list[tuple[Job, str]] = []
        for future in ready:
            job, html = self.queued.pop(future)
            try:
                path, _ = future.result()
            except PressgenError as exc:
                self._failed(job, exc)
            except BrokenProcessPool:
                orphans.append((job, html))
            except Exception as exc:  # noqa: BLE001 (whatever it is, it is this PDF's: say so, go on)
                self._failed(job, PressgenError(job.record.path, None, f"the PDF worker failed: {exc!r}"))
            else:
                self.finished(job, path)
            self._save_now_and_then()
        if orphans:
            # A dead worker takes its pool down, and every PDF queued to it: they fail at once.
            self.dead = True
            for future in as_completed(list(self.queued)):
                orphans.append(self.queued.pop(future))
            self._render_again(orphans)

    def _render_again(self, orphans: list[tuple[Job, str]]) -> None:
        """The PDFs a dead worker's pool had queued (the kernel's out-of-memory killer, a kill),
        rendered again by new workers, one at a time: a PDF that kills every worker that
        renders it (a crash in a C library) fails alone, and the others are made."""
        from concurrent.futures.process import BrokenProcessPool

        from . import pdf

        for job, html in orphans:
            if not self._restart():
                self._render_here(job, html)  # no more workers: this process renders the rest
                continue
            try:
                path, _ = self.pool.submit(pdf.render_to_file, *self._args(job, html)).result()
            except PressgenError as exc:
                self._failed(job, exc)
            except BrokenProcessPool:
                self.dead = True
                self._failed(job, PressgenError(job.record.path, None, "not rendered: the PDF worker rendering it "
                                                "died twice (a crash in WeasyPrint or a library it uses, or out of "
                                                "memory); the next `pressgen build` tries again"))
            except Exception as exc:  # noqa: BLE001
                self._failed(job, PressgenError(job.record.path, None, f"the PDF worker failed: {exc!r}"))
            else:
                self.finished(job, path)

    def _restart(self) -> bool:
        """New workers in place of a dead pool's, unless the build has started RESTARTS already
        (then this process renders what is left alone). True if the pool works."""
        if self.broken or self.pool is None:
            return False
        if not self.dead:
            return True  # started after the pool that died
        self._end_pool()
        self.broken = True
        if self.restarts >= RESTARTS:
            return False
        self.restarts += 1
        try:
            self._start_pool()
        except OSError:  # no fork (out of memory, a limit on processes): this process goes on alone
            self.pool = None
            return False
        self.dead = self.broken = False
        return True

    def _failed(self, job: Job, exc: PressgenError) -> None:
        self.failed(job, PressgenError(exc.path, exc.line, f"{job.lang}: {exc.message}"))

    def _save_now_and_then(self) -> None:
        if time.monotonic() - self.last_save > _SAVE_EVERY:
            self.cache.save(now_and_then=True)
            self.last_save = time.monotonic()
