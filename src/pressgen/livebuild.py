"""The live build behind `pressgen serve`: watch the project, keep a preview built.

Every save under releases/, locales/ or templates/, or of pressgen.yaml, brings
the preview folder up to date through build() and its incremental cache, in
two steps: the pages (with drafts, marked), then the PDFs. A browser reloads
the page as soon as the first step is done, long before the PDFs are printed.
A save that arrives while PDFs render stops them: the pages of the newer text
come first, and the PDFs are taken up again after them.

PDFs render in this process (-j 1): WeasyPrint is imported once, at the first
build, and each later PDF costs only its rendering, not a worker's start.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .build import build
from .projectfiles import CACHE_DIR
from .config import CONFIG_NAME, load_config
from .errors import PressgenError, PressgenErrors, UsageError

WATCHED_FOLDERS = ("releases", "locales", "templates")
"""What a preview is made from, besides pressgen.yaml."""

PREVIEW_FOLDER = f"{CACHE_DIR}/preview"
"""The default preview folder, relative to the project: never the published out/."""


@dataclass(frozen=True)
class LiveState:
    """What the preview folder holds now; each finished step makes a new one."""

    html: int = 0
    """Page builds finished so far. A page loaded after build n is out of date once this exceeds n."""
    pdf: int = 0
    """The page build whose PDFs are all rendered: equal to ``html`` when none are pending."""
    errors: tuple[str, ...] = ()
    """The last build's problems as 'file:line: message', paths relative to the project."""
    drafts: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """(release id, language) of the versions shown as drafts: not ready to publish."""
    current: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    """(release id, language) of the pages the last build made or found up to date; the
    preview folder's other pages are the last good ones of a version that failed."""

    def as_json(self) -> dict:
        return {"html": self.html, "pdf": self.pdf, "errors": list(self.errors)}


class _Interrupted(Exception):
    """Raised from build()'s progress callback to stop rendering PDFs (a newer save, or stop())."""


class LiveBuild:
    """Watches a project and rebuilds its preview folder on every save, in a thread of its own."""

    def __init__(self, root: Path, out: Path | None = None, say: Callable[[str], None] = lambda line: None):
        self.root = Path(root).resolve()
        try:
            load_config(self.root)  # no pressgen.yaml: not a project (a UsageError)
        except UsageError:
            raise
        except PressgenError:
            pass  # a broken one is a problem to show in the page, and to fix while serving
        self.out = Path(out).resolve() if out else self.root / PREVIEW_FOLDER
        if self.out == self.root / "out":
            raise UsageError("pressgen serve never writes into out/, the published site: "
                             f"choose another folder with --out, or leave it to the default {PREVIEW_FOLDER}")
        self.say = say
        self.state = LiveState()
        self._changed = threading.Condition()
        self._saves: queue.Queue[set[Path]] = queue.Queue()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # --- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        """Start watching and building; returns once the first pages are built."""
        folders = [self.root / name for name in WATCHED_FOLDERS if (self.root / name).is_dir()]
        # Two watchers: the folders recursively, the project folder itself only for
        # pressgen.yaml (watched as a file, an editor's save-by-rename would lose it;
        # watched recursively, the project folder would bring out/, .venv and .git).
        watches = [(folders, True, None), ([self.root], False, self.root / CONFIG_NAME)]
        for paths, recursive, only in watches:
            if paths:
                self._spawn(f"pressgen-watch-{'folders' if recursive else 'config'}", self._watch, paths, recursive, only)
        self._spawn("pressgen-build", self._run)
        self.wait(lambda state: state.html > 0)

    def stop(self) -> None:
        """Stop watching and building (a PDF being rendered is finished first) and wait for it."""
        self._stop.set()
        with self._changed:
            self._changed.notify_all()
        for thread in self._threads:
            thread.join()
        self._threads.clear()

    def _spawn(self, name: str, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def wait(self, until: Callable[[LiveState], bool], timeout: float | None = None) -> LiveState:
        """The state once ``until(state)`` holds (or the timeout passed, or the build stopped)."""
        with self._changed:
            self._changed.wait_for(lambda: until(self.state) or self._stop.is_set(), timeout)
            return self.state

    # --- watching ----------------------------------------------------------------

    def _watch(self, paths: list[Path], recursive: bool, only: Path | None) -> None:
        from watchfiles import watch

        # step: the quiet time (ms) that ends a save; an editor's write-and-rename is one save.
        for changes in watch(*paths, recursive=recursive, stop_event=self._stop, step=30, raise_interrupt=False):
            saved = {Path(path) for _, path in changes}
            if only is not None:
                saved &= {only}
            if saved:
                self._saves.put(saved)

    def _next_saves(self) -> set[Path] | None:
        """The files saved since the last build (waiting for one); None once stopped."""
        while not self._stop.is_set():
            try:
                saved = self._saves.get(timeout=0.2)
            except queue.Empty:
                continue
            while not self._saves.empty():
                saved |= self._saves.get_nowait()
            return saved
        return None

    # --- building ----------------------------------------------------------------

    def _run(self) -> None:
        self._build_pages()
        pdfs_due = True
        while not self._stop.is_set():
            if pdfs_due and self._saves.empty():
                pdfs_due = not self._build_pdfs()
            saved = self._next_saves()
            if saved is None:
                return
            # An editor's or sed's temporary file, gone already, is not worth naming.
            named = sorted(self._rel(path) for path in saved if path.exists() or path.suffix)
            self.say("changed: " + ", ".join(named or ["(temporary files)"]))
            self._build_pages()
            pdfs_due = True

    def _build_pages(self) -> None:
        started = time.perf_counter()
        errors, drafts, current = self._build(("html",))
        self._publish(html=self.state.html + 1, pdf=self.state.pdf, errors=errors, drafts=drafts, current=current)
        self._report("pages", started, errors)

    def _build_pdfs(self) -> bool:
        """Render the PDFs of the last page build; False when a save (or stop()) came first."""
        started = time.perf_counter()
        try:
            errors, _, _ = self._build(("pdf",), stoppable=True)
        except _Interrupted:
            return False
        new = tuple(error for error in errors if error not in self.state.errors)  # the pages' are told already
        self._publish(html=self.state.html, pdf=self.state.html, drafts=self.state.drafts, current=self.state.current,
                      errors=(*self.state.errors, *new))
        self._report("PDFs", started, new)
        return True

    def _build(self, formats: tuple[str, ...], stoppable: bool = False) -> tuple[tuple[str, ...], frozenset, frozenset]:
        """One build of the preview: its problems, drafts and current pages. Never raises but to stop."""

        def progress(*_) -> None:
            if self._stop.is_set() or not self._saves.empty():
                raise _Interrupted

        try:
            report = build(self.root, self.out, formats=formats, jobs=1, drafts=True, publish=False,
                           progress=progress if stoppable else None)
        except _Interrupted:
            raise
        except PressgenError as exc:  # pressgen.yaml or the theme: nothing could be built
            found = exc.errors if isinstance(exc, PressgenErrors) else [exc]
            return tuple(dict.fromkeys(error.format(self.root) for error in found)), self.state.drafts, frozenset()
        except Exception as exc:  # a bug in pressgen must not end the preview; say it as a build would
            self.say("".join(traceback.format_exception(exc)).rstrip())
            failed = f"pressgen failed: {exc!r}; the details are in the terminal running pressgen serve"
            return (failed,), self.state.drafts, frozenset()
        errors = tuple(dict.fromkeys(error.format(self.root) for error in report.errors))
        drafts = frozenset((release_id, lang) for release_id, lang, _ in report.not_ready)
        current = frozenset((path.stem, path.parent.name) for path in report.outputs() if path.suffix == ".html")
        return errors, drafts, current

    def _publish(self, **state) -> None:
        with self._changed:
            self.state = LiveState(**state)
            self._changed.notify_all()

    def _report(self, what: str, started: float, errors: tuple[str, ...]) -> None:
        self.say(f"{what} built in {time.perf_counter() - started:.2f} s"
                 + (f"; {len(errors)} problem(s):" if errors else ""))
        for error in errors:
            self.say(f"  {error}")

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
