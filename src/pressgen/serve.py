"""`pressgen serve`: the newsroom and a preview page per release, live in a browser.

livebuild.py keeps the preview folder built; this module serves it over HTTP
(the standard library's ThreadingHTTPServer, on 127.0.0.1 unless asked) and
tells browsers when it changed, with server-sent events (one long response per
open page, so nothing polls). Every HTML page served gets a small script
(preview/live.js) that reloads it after a rebuild and shows the build's
problems; /_preview/release/<id> shows every language side by side with its
translation status (status.py) and PDF.

    /                        the newsroom, as `pressgen build --drafts` would make it
    /_preview/               the releases, each linked to its preview page
    /_preview/release/<id>   a release in every language, side by side
    /_preview/events         the event stream: {"html": n, "pdf": n, "errors": [...]}
"""

from __future__ import annotations

import errno
import json
import signal
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup

from .config import load_config
from .errors import PressgenError, UsageError
from .fsutil import make_folder
from .lang import native_name
from .livebuild import LiveBuild, LiveState
from .records import ID_PATTERN

PREVIEW_TEMPLATES = Path(__file__).resolve().parent / "preview"
"""The preview's own pages and script: the office's theme does not shape them."""

KEEPALIVE = 15.0
"""Seconds between comments on a quiet event stream, so a closed tab is noticed."""


class PreviewServer:
    """The live build and the HTTP server over its folder; start() and stop(), or use ``with``."""

    def __init__(self, root: Path | str, host: str = "127.0.0.1", port: int = 8000, out: Path | str | None = None,
                 say: Callable[[str], None] = lambda line: None):
        self.live = LiveBuild(Path(root), Path(out) if out else None, say)
        self.root, self.out = self.live.root, self.live.out
        self.pages = jinja2.Environment(loader=jinja2.FileSystemLoader(PREVIEW_TEMPLATES), autoescape=True)
        self._status: tuple[tuple[int, str] | None, dict] = (None, {})
        self._status_lock = threading.Lock()
        try:
            self.httpd = ThreadingHTTPServer((host, port), partial(_Handler, self), bind_and_activate=True)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(f"port {port} on {host} is in use (another pressgen serve?); "
                                 "choose another with --port") from None
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> None:
        """Build the pages, then serve them (in a thread) while the PDFs render."""
        make_folder(self.out)
        self.live.start()
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="pressgen-http", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving and building; every thread of the preview has ended when this returns."""
        self.live.stop()  # wakes the event streams too: they end with the live build
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
        self.httpd.server_close()

    def __enter__(self) -> PreviewServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- pages -------------------------------------------------------------------

    def live_script(self, state: LiveState) -> Markup:
        """The tag that keeps a served page live, carrying the state the page was served in."""
        return Markup('<script src="/_preview/live.js" data-html="{}" data-pdf="{}" data-errors="{}"></script>').format(
            state.html, state.pdf, json.dumps(list(state.errors), ensure_ascii=False))

    def releases_page(self) -> str:
        current = {release_id for release_id, _ in self.live.state.current}
        ids = sorted({page.stem for page in self.out.glob("*/*.html") if page.name != "index.html"
                      and (page.stem in current or not _leads_on(page))})
        return self.pages.get_template("releases.html").render(releases=ids, live_script=self.live_script(self.live.state))

    def release_page(self, release_id: str) -> str | None:
        state = self.live.state
        try:
            languages = load_config(self.root).languages
        except PressgenError:  # a broken pressgen.yaml: the problems say why; show what was built
            languages = tuple(sorted(p.parent.name for p in self.out.glob(f"*/{release_id}.html")))
        pages = [page for lang in languages if (page := self.out / lang / f"{release_id}.html").is_file()]
        if not pages or (all(map(_leads_on, pages)) and release_id not in {i for i, _ in state.current}):
            return None  # no page, or only a renamed release's pages at its former id
        rows = self.status(state.html, release_id)
        columns = [self._column(release_id, lang, state, rows.get(lang)) for lang in languages]
        return self.pages.get_template("release.html").render(release_id=release_id, columns=columns,
                                                              live_script=self.live_script(state))

    def _column(self, release_id: str, lang: str, state: LiveState, row) -> dict:
        page, pdf = self.out / lang / f"{release_id}.html", self.out / lang / f"{release_id}.pdf"
        current = (release_id, lang) in state.current
        column = {"code": lang, "name": native_name(lang), "draft": (release_id, lang) in state.drafts,
                  "current": current, "page": f"/{lang}/{release_id}.html" if page.is_file() else None,
                  "pdf": None, "pdf_note": "",
                  "status": "" if not current else _status_text(row) if row else "the language it is written in"}
        if pdf.is_file():
            # A new address for each render: the browser never shows a PDF from its cache.
            column["pdf"] = f"/{lang}/{release_id}.pdf?v={pdf.stat().st_mtime_ns}"
        if state.pdf < state.html:
            column["pdf_note"] = "PDF being rendered…"
        elif column["page"] and not pdf.is_file():
            column["pdf_note"] = "no PDF: see the problems above"
        return column

    def status(self, build: int, release_id: str) -> dict[str, object]:
        """status.py's rows of one release, by language; computed once per page build."""
        from .status import status

        with self._status_lock:
            if self._status[0] != (build, release_id):
                try:
                    rows = status(self.root, frozenset([release_id])).rows
                except PressgenError:  # the build's problems say what is wrong
                    rows = []
                self._status = ((build, release_id), {row.lang: row for row in rows if row.release == release_id})
            return self._status[1]


def _leads_on(page: Path) -> bool:
    """Whether ``page`` is a renamed release's page at its former id (moved.html), which sends
    the reader on at once: no release of its own. (A page the last build did not make is
    either that or the last good page of a version that failed, which the preview lists.)"""
    try:
        with page.open("rb") as head:
            return b'http-equiv="refresh"' in head.read(4096)
    except OSError:
        return False


def _status_text(row) -> str:
    """'7/8 translated, 1 untranslated; not ready (no catalog yet)', from a status.py row."""
    counts = [f"{n} {what}" for n, what in ((row.fuzzy, "fuzzy"), (row.untranslated, "untranslated"),
                                           (row.problems, "with problems")) if n]
    text = ", ".join([f"{row.translated}/{row.total} translated", *counts])
    if row.outdated:
        return text + "; published before, outdated since its source changed"
    return text + ("; ready" if row.ready else "; not ready" + (f" ({row.waiting_for})" if row.waiting_for else ""))


class _Handler(SimpleHTTPRequestHandler):
    """Files of the preview folder, every page made live, and the preview's own pages."""

    protocol_version = "HTTP/1.1"

    def __init__(self, preview: PreviewServer, *args, **kwargs):
        self.preview = preview
        super().__init__(*args, directory=str(preview.out), **kwargs)

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == "/_preview/events":
            self._events()
        elif path == "/_preview/live.js":
            self._send((PREVIEW_TEMPLATES / "live.js").read_bytes(), "text/javascript; charset=utf-8")
        elif path == "/_preview/":
            self._send(self.preview.releases_page().encode("utf-8"))
        elif path.startswith("/_preview/release/"):
            release_id = path.removeprefix("/_preview/release/")
            page = self.preview.release_page(release_id) if ID_PATTERN.match(release_id) else None
            if page is None:
                self.send_error(HTTPStatus.NOT_FOUND, "No such release in the preview")
            else:
                self._send(page.encode("utf-8"))
        else:
            file = Path(self.translate_path(self.path))
            if file.is_dir() and path.endswith("/"):
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():
                self._send(self._live(file.read_bytes()))
            else:
                super().do_GET()

    def _live(self, page: bytes) -> bytes:
        """The page with the live script before </body>."""
        tag = str(self.preview.live_script(self.preview.live.state)).encode("utf-8")
        head, found, tail = page.rpartition(b"</body>")
        return head + tag + found + tail if found else page + tag

    def _send(self, body: bytes, content_type: str = "text/html; charset=utf-8") -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # a reload always shows the newest build
        super().end_headers()

    def _events(self) -> None:
        """Server-sent events: the state now, then each new one, until the page or the server goes."""
        live = self.preview.live
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = None
        try:
            while True:
                state = live.wait(lambda now: now is not sent, timeout=KEEPALIVE)
                if live.stopping:
                    break
                if state is sent:
                    self.wfile.write(b": still here\n\n")  # a closed tab shows as a broken pipe
                else:
                    self.wfile.write(f"data: {json.dumps(state.as_json(), ensure_ascii=False)}\n\n".encode("utf-8"))
                    sent = state
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page was closed or reloaded

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal shows builds and problems, not every request


def serve(root: Path | str, host: str = "127.0.0.1", port: int = 8000, out: Path | str | None = None,
          say: Callable[[str], None] = print) -> None:
    """Serve the live preview until interrupted (Ctrl-C raises KeyboardInterrupt here, after stopping)."""
    server = PreviewServer(root, host, port, out, say)
    restore = _stop_on_signals()
    try:
        server.start()
        say(f"Serving the newsroom at {server.url} and the previews at {server.url}_preview/ (Ctrl-C to stop)")
        threading.Event().wait()
    finally:
        server.stop()
        restore()


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> Callable[[], None]:
    """Stop cleanly on SIGINT and SIGTERM, as on Ctrl-C. A shell without job control (a script,
    a Makefile, CI) starts `pressgen serve &` with SIGINT ignored, and Python then leaves it
    ignored, so `kill -INT` did nothing; SIGTERM killed it without stopping the server."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers; a caller's thread keeps its own
    before = {signum: signal.signal(signum, _interrupt) for signum in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for signum, handler in before.items():
            signal.signal(signum, handler)
    return restore
