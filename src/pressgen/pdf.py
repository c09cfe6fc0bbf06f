"""HTML -> PDF with WeasyPrint, strictly.

WeasyPrint logs problems instead of raising: a missing glyph, an unreachable
image, bad CSS. A PDF that leaves by email must have none, so every warning
of a render fails that document. Only files of the project, of the bundled
theme and of out/assets may be fetched: no remote URL and no file:///etc/…
from a record or a translation reaches a PDF.

WeasyPrint is imported here only, and only when a PDF is rendered.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import PressgenError
from .hyphenate import hyphenate_name
from .linefit import settle


class _Gather(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


SITE_PATH = "/out/"
"""Where a PDF's page says its out/ folder is (PdfWriter.write_pdf)."""

SCRATCH_PREFIX = "pressgen-pdf-"
"""Temporary folders of PDF rendering: pressgen-pdf-<pid of the process that made it>-<random>."""


class PdfWriter:
    """Renders PDFs in this process, sharing one font configuration.

    A FontConfiguration per render grows memory by ~0.2 MB each time
    (WeasyPrint 70); one per process stays flat and renders faster.
    """

    def __init__(self, allowed: list[Path], families: frozenset[str] = frozenset()):
        import_weasyprint()
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.owner = os.getpid()
        # WeasyPrint copies the theme's @font-face fonts to a temporary folder of its own;
        # this one is named for the process, so that a build killed before it could remove
        # it is known by its pid and removed by a later one (pdfpool.sweep_scratch).
        self.font_config._folder = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{self.owner}-"))  # noqa: SLF001
        """The process whose font folder this is: a forked copy of the writer leaves it alone."""
        self.fetcher = _make_fetcher([p.resolve() for p in allowed])
        self.families = families
        """The theme's @font-face families: any other font in a PDF is a system font standing in."""

    def write_pdf(self, html: str, base_url: Path, source: Path) -> bytes:
        """The PDF of ``html``; a WeasyPrint warning raises PressgenError naming ``source``."""
        from weasyprint import HTML
        from weasyprint.logger import LOGGER

        gather = _Gather()
        LOGGER.addHandler(gather)
        # The page's address as if its out/ (whatever its name) were /out/ (file:///out/en/x.html):
        # WeasyPrint names a photo in the PDF by a hash of its URL, so the same office built in
        # another folder (a clone, a CI runner) gave other bytes. The fetcher reads the real out/.
        site = base_url.parent.parent
        self.fetcher.site = (SITE_PATH, f"{site.resolve().as_posix()}/")
        try:
            page = HTML(string=html, base_url=f"file://{SITE_PATH}{base_url.relative_to(site).as_posix()}",
                        url_fetcher=self.fetcher)
            # A hyphen ladder or a loose line before a name is mended in the parsed page,
            # which is laid out again (linefit.py).
            document = settle(lambda: page.render(font_config=self.font_config), hyphenate_name)
            # Tagged (structure for screen readers and reflow) and PDF/A-3b (archives):
            # both read their dates from the page's meta, never the clock.
            data = document.write_pdf(pdf_variant="pdf/a-3b", pdf_tags=True)
        finally:
            LOGGER.removeHandler(gather)
        problems = list(dict.fromkeys(gather.messages))
        if self.families:
            # Pango falls back to any installed font for a character the bundled fonts
            # lack, without a warning: the PDF would differ from machine to machine.
            for family in sorted({font.family for font in document.fonts.values()} - self.families):
                problems.append(f"the system font '{family}' stood in for characters the bundled fonts lack; "
                                "remove those characters or add a font that has them to templates/assets")
        if problems:
            raise PressgenError(source, None, f"PDF not written: {'; '.join(problems)}")
        return data

    def close(self) -> None:
        """Remove the folder of fonts WeasyPrint copied the theme's @font-face fonts to (3.4 MB
        in the temporary folder, one per process). Its font configuration removes it when
        collected, which never happens in a process that ends by os._exit: a pool's worker,
        and pressgen's command line (cli.leave). Only the process that made it removes it."""
        # WeasyPrint keeps the folder to itself; set aside, its own __del__ leaves it be.
        folder, self.font_config._folder = self.font_config._folder, None  # noqa: SLF001
        if folder is not None and self.owner == os.getpid():
            shutil.rmtree(folder, ignore_errors=True)


def _make_fetcher(allowed: list[Path]):
    from weasyprint.urls import URLFetcher

    class ProjectFetcher(URLFetcher):
        """Fetches file: URLs inside the allowed folders, and data: URLs; refuses the rest.
        ``site``: (SITE_PATH, out/'s real path), see write_pdf."""

        site: tuple[str, str] | None = None

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "file":
                named = unquote(parts.path)
                given = self.site is not None and named.startswith(self.site[0])
                if given:
                    named = self.site[1] + named[len(self.site[0]):]
                path = Path(named).resolve()
                if any(path.is_relative_to(folder) for folder in allowed):
                    response = super().fetch(path.as_uri() if given else url, headers)
                    if given:
                        response.url = url  # what a stylesheet's own URLs resolve from: out/ as given too
                    return response
            raise ValueError(f"refused to fetch {url}: only the project's own files may be used in a PDF")

    return ProjectFetcher(allowed_protocols=("file", "data"))


# --- worker processes ----------------------------------------------------------

_writer: PdfWriter | None = None
_allowed: list[Path] = []
_families: frozenset[str] = frozenset()


def init_worker(allowed: list[Path], families: frozenset[str] = frozenset()) -> None:
    """Pool initializer: each worker keeps one PdfWriter (and one font configuration)."""
    global _writer, _allowed, _families
    _allowed, _families = allowed, families
    if _writer is not None:
        _writer.close()  # in a forked worker, its parent's writer: that folder stays the parent's
    _writer = None


def import_weasyprint() -> None:
    """Import WeasyPrint (every module but the font configuration's making): the build does
    it once, before its workers fork and inherit it.

    WeasyPrint opens each of its C libraries by trying the names it has on every platform in
    turn ('gobject-2.0-0', 'libgobject-2.0-0', ..., 'libgobject-2.0.so.0'), and cffi hands
    each name that is no file to ctypes' find_library, which runs ldconfig, gcc and ld to
    look for it: 0.2 s of subprocesses at every build's start, for names that Linux does
    not use. On Linux each library loads by its soname, which WeasyPrint tries too, so the
    import first asks the dynamic loader alone; where that fails (another system's names),
    it imports again with the search as WeasyPrint expects it.
    """
    with _IMPORTING:  # ctypes and sys.stdout are the process's: one thread at a time changes them
        if "weasyprint.text.fonts" in sys.modules:
            return
        if sys.platform.startswith("linux"):
            try:
                with _loader_names_only():
                    import weasyprint.text.fonts  # noqa: F401
                return
            except OSError:
                for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
                    del sys.modules[name]
        import weasyprint.text.fonts  # noqa: F401,F811


_IMPORTING = threading.Lock()


@contextlib.contextmanager
def _loader_names_only():
    """ctypes' find_library finding nothing, and WeasyPrint's message of a library not found
    kept back: the import is tried again as usual if this one fails."""
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        ctypes.util.find_library = search


def warm_up() -> None:
    """Import WeasyPrint and make the writer before the first page arrives."""
    global _writer, _closes_at_exit
    if _writer is None:
        _writer = PdfWriter(_allowed, _families)
        if _closes_at_exit != os.getpid():
            import multiprocessing.util

            # Run when a pool's worker ends, and at this process's exit (atexit), even one
            # that ends by os._exit through cli.leave; never in a process forked from this one.
            multiprocessing.util.Finalize(None, _close_writer, exitpriority=0)
            _closes_at_exit = os.getpid()


_closes_at_exit: int | None = None
"""The process that has _close_writer run at its exit."""


def _close_writer() -> None:
    if _writer is not None:
        _writer.close()


def render_to_file(html: str, base_url: Path, target: Path, source: Path) -> tuple[Path, int]:
    """Render one PDF and write it atomically; returns (target, size). Runs in a worker or in-process."""
    from .fsutil import write_if_changed

    warm_up()
    data = _writer.write_pdf(html, base_url, source)
    write_if_changed(target, data)
    return target, len(data)
