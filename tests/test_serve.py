"""`pressgen serve` as a comms officer uses it: a browser open on the preview while files are saved.

Chromium (Debian's, through Playwright) watches the page change by itself; the
event stream, the CLI and Ctrl-C are checked over real HTTP and a real process.
"""

from __future__ import annotations

import faulthandler
import http.client
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import edit, flat, run_cli
from pdfread import pdf_text

from pressgen.errors import UsageError
from pressgen.serve import PreviewServer

WAIT_MS = 30_000
"""Generous: the test machine is shared, and the first PDFs import WeasyPrint."""

BAD_STYLE = "releases/hello.yaml:2: 'style' must be one of statement, wire, got 'memo'"
BAD_CATALOG = ("locales/kk/releases/hello.po:23: invalid msgstr line: a string that does not end on its line; "
               "end it with '\"' (write a quote inside the text as \\\")")


def preview_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("pressgen-")]


@pytest.fixture
def served(project):
    """The minimal project served on a free port, its first PDFs rendered; stopped at the end, whatever happens."""
    root = project("minimal")
    server = PreviewServer(root, port=0)
    server.start()
    try:
        server.live.wait(lambda state: state.pdf == state.html, timeout=WAIT_MS / 1000)
        yield server
    finally:
        # Stopped from a thread so that a server that does not stop fails the test, with every
        # thread's stack, instead of hanging the suite.
        stopping = threading.Thread(target=server.stop, name="test-stop")
        stopping.start()
        stopping.join(timeout=60)
        if stopping.is_alive():
            faulthandler.dump_traceback(all_threads=True)
            pytest.fail("the preview server did not stop within 60 s")
        assert preview_threads() == []


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


def bar(page, lang: str):
    return page.locator(f"#bar-{lang}")


def test_a_saved_record_shows_in_every_language_without_a_reload(served, page):
    from playwright.sync_api import expect

    root = served.root
    page.goto(served.url + "_preview/release/hello")
    frames = page.locator("iframe")
    expect(frames).to_have_count(3)
    en = page.frame_locator('iframe[title="English (en)"]')
    kk = page.frame_locator('iframe[title="Қазақ тілі (kk)"]')
    expect(en.locator("h1")).to_have_text("Hello from Istanbul")
    expect(kk.locator("h1")).to_have_text("Ыстанбұлдан сәлем")
    expect(bar(page, "kk")).to_contain_text("ready")
    expect(bar(page, "kk")).to_contain_text("8/8 translated; ready")
    old_pdf = bar(page, "en").locator("a.pdf").get_attribute("href")

    edit(root / "releases/hello.yaml", "Hello from Istanbul", "Hello from Ankara")

    # The page follows by itself: the test never reloads it.
    expect(en.locator("h1")).to_have_text("Hello from Ankara", timeout=WAIT_MS)
    # The translations lack the new headline: drafts, marked in the preview and on the page.
    expect(bar(page, "kk")).to_contain_text("DRAFT")
    expect(bar(page, "kk")).to_contain_text("7/8 translated, 1 untranslated; not ready")
    expect(kk.locator(".draft-mark strong")).to_have_text("ЖОБА")  # DRAFT, in Kazakh
    expect(kk.locator("h1")).to_have_text("Hello from Ankara")
    # Then the PDFs: the link changes once the new PDF is rendered, and it has the new headline.
    expect(bar(page, "en").locator("a.pdf")).not_to_have_attribute("href", old_pdf, timeout=WAIT_MS)
    expect(bar(page, "en").locator(".pdf-note")).to_have_count(0)
    href = bar(page, "en").locator("a.pdf").get_attribute("href")
    assert re.fullmatch(r"/en/hello\.pdf\?v=\d+", href)
    response = page.request.get(served.url.rstrip("/") + href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = root / "fetched.pdf"
    pdf.write_bytes(response.body())
    assert "Hello from Ankara" in flat(pdf_text(pdf))


def test_a_problem_shows_in_the_page_and_clears_when_fixed(served, page):
    from playwright.sync_api import expect

    root = served.root
    page.goto(served.url + "_preview/release/hello")
    problems = page.locator("#pressgen-problems")
    expect(page.locator("iframe")).to_have_count(3)
    expect(problems).to_have_count(0)

    edit(root / "releases/hello.yaml", "style: statement", "style: memo")
    expect(problems).to_contain_text(BAD_STYLE, timeout=WAIT_MS)
    # The server goes on: the last good pages stay on show, marked as such.
    expect(page.frame_locator('iframe[title="English (en)"]').locator("h1")).to_have_text("Hello from Istanbul")
    expect(bar(page, "en")).to_contain_text("last good version this version failed: see the problems above")

    edit(root / "releases/hello.yaml", "style: memo", "style: statement")
    expect(problems).to_have_count(0, timeout=WAIT_MS)

    # A translator's slip in a catalog, on the newsroom's own page of that release.
    page.goto(served.url + "kk/hello.html")
    catalog = root / "locales/kk/releases/hello.po"
    edit(catalog, 'msgstr "Ыстанбұлдан сәлем"', 'msgstr "Ыстанбұлдан сәлем')
    expect(problems).to_contain_text(BAD_CATALOG, timeout=WAIT_MS)
    edit(catalog, 'msgstr "Ыстанбұлдан сәлем', 'msgstr "Ыстанбұлдан сәлем"')
    expect(problems).to_have_count(0, timeout=WAIT_MS)


def test_a_newsroom_page_reloads_itself(served, page):
    from playwright.sync_api import expect

    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served.url + "en/hello.html")
    page.evaluate("window.loadedOnce = true")
    # Idle, the page asks nothing more of the server: it holds one event stream, no polling.
    page.wait_for_timeout(2000)
    assert [url for url in requests if "/_preview/" in url] == [served.url + "_preview/live.js",
                                                                served.url + "_preview/events"]
    edit(served.root / "releases/hello.yaml", "The first paragraph.", "The first paragraph, edited.")
    expect(page.locator("body")).to_contain_text("The first paragraph, edited.", timeout=WAIT_MS)
    assert page.evaluate("window.loadedOnce") is None  # a new page: the script reloaded it
    page.click("#pressgen-preview-link")
    expect(page).to_have_url(served.url + "_preview/release/hello")
    expect(page.locator("iframe")).to_have_count(3)
    page.goto(served.url)
    expect(page.locator("a[hreflang=kk]")).to_have_count(1)
    expect(page.locator("#pressgen-preview-link")).to_have_count(0)  # not a release


def events(server: PreviewServer):
    """The event stream as a browser's EventSource reads it: one JSON state per 'data:' line."""
    host, port = server.httpd.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=WAIT_MS / 1000)
    connection.request("GET", "/_preview/events")
    response = connection.getresponse()
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    while True:
        line = response.fp.readline()
        if line.startswith(b"data: "):
            yield json.loads(line[len(b"data: "):])


def test_the_event_stream_says_when_pages_then_pdfs_are_ready(served):
    stream = events(served)
    assert next(stream) == {"html": 1, "pdf": 1, "errors": []}
    edit(served.root / "releases/hello.yaml", "Hello from Istanbul", "Hello from Ankara")
    assert next(stream) == {"html": 2, "pdf": 1, "errors": []}
    assert "Hello from Ankara" in (served.out / "en/hello.html").read_text(encoding="utf-8")
    assert next(stream) == {"html": 2, "pdf": 2, "errors": []}
    assert "Hello from Ankara" in flat(pdf_text(served.out / "en/hello.pdf"))


def test_a_newer_save_comes_before_the_pdfs_of_the_last(served):
    stream = events(served)
    assert next(stream)["pdf"] == 1
    record = served.root / "releases/hello.yaml"
    first_pdf = served.out / "en/hello.pdf"  # the first of the three in the order they render
    rendered = first_pdf.stat().st_mtime_ns
    edit(record, "Hello from Istanbul", "Hello from Ankara")
    assert next(stream) == {"html": 2, "pdf": 1, "errors": []}
    deadline = time.monotonic() + WAIT_MS / 1000
    while first_pdf.stat().st_mtime_ns == rendered and time.monotonic() < deadline:
        time.sleep(0.005)
    edit(record, "Hello from Ankara", "Hello from Almaty")  # while the first save's other PDFs render
    # The second save's pages come next; the first save's PDFs are never finished on their own.
    assert next(stream) == {"html": 3, "pdf": 1, "errors": []}
    assert next(stream) == {"html": 3, "pdf": 3, "errors": []}
    assert "Hello from Almaty" in flat(pdf_text(served.out / "en/hello.pdf"))


def test_a_preview_publishes_nothing_and_leaves_out_alone(served):
    # A normal build of this project would write published/ snapshots of tr and kk, and out/.
    assert not (served.root / "published").exists()
    assert not (served.root / "out").exists()
    assert served.out == served.root / ".pressgen/preview"
    assert sorted(p.relative_to(served.out).as_posix() for p in served.out.glob("*/hello.*")) == [
        "en/hello.html", "en/hello.pdf", "kk/hello.html", "kk/hello.pdf", "tr/hello.html", "tr/hello.pdf"]


def test_it_listens_on_this_machine_only_unless_told(served):
    assert served.httpd.server_address[0] == "127.0.0.1"
    with urllib.request.urlopen(served.url + "_preview/") as response:
        assert response.headers["Cache-Control"] == "no-store"
        assert 'href="/_preview/release/hello"' in response.read().decode("utf-8")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(served.url + "_preview/release/no-such-release")
    assert missing.value.code == 404


def test_a_port_in_use_and_out_are_refused(served, project):
    port = served.httpd.server_address[1]
    with pytest.raises(UsageError) as in_use:
        PreviewServer(served.root, port=port)
    assert in_use.value.format() == f"port {port} on 127.0.0.1 is in use (another pressgen serve?); choose another with --port"
    with pytest.raises(UsageError) as published:
        PreviewServer(served.root, port=0, out=served.root / "out")
    assert published.value.format() == ("pressgen serve never writes into out/, the published site: choose another "
                                        "folder with --out, or leave it to the default .pressgen/preview")


def test_a_broken_pressgen_yaml_is_served_with_its_problem_until_fixed(project):
    root = project("minimal")
    config = root / "pressgen.yaml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "colour: red\n", encoding="utf-8")
    with PreviewServer(root, port=0) as server:
        stream = events(server)
        assert next(stream)["errors"] == ["pressgen.yaml:12: unknown field 'colour' in pressgen.yaml; "
                                          "expected one of: languages, organisations, base_url, timezone, english, mail, newsroom"]
        config.write_text(good, encoding="utf-8")
        while (state := next(stream))["html"] < 2:  # the broken build's PDF step may come first
            pass
        assert state["errors"] == []
        assert (server.out / "kk/hello.html").is_file()
    assert preview_threads() == []


def test_a_folder_without_pressgen_yaml_is_not_served(tmp_path):
    result = run_cli("serve", "-C", str(tmp_path), "--port", "0")
    assert result.exit_code == 2
    assert result.stderr == (f"no pressgen.yaml in {tmp_path}: run pressgen in the press office's folder, "
                             "or name it with -C DIR\n")


def _ignore_sigint() -> None:
    """What a shell without job control (a script, a Makefile, CI) does to a command it starts with `&`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("stop, launch", [
    (signal.SIGINT, None),
    (signal.SIGINT, _ignore_sigint),  # `pressgen serve &` from a script, then `kill -INT`
    (signal.SIGTERM, None),  # `kill`, or a process manager
], ids=["ctrl-c", "sigint-in-background", "sigterm"])
def test_ctrl_c_stops_the_command_cleanly(project, stop, launch):
    root = project("minimal")
    command = [str(Path(sys.executable).with_name("pressgen")), "serve", "-C", str(root), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=launch)
    try:
        lines = []
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            lines.append(process.stderr.readline())
            if found := re.search(r"Serving the newsroom at (http://127\.0\.0\.1:\d+/)", lines[-1]):
                break
        assert found, lines
        with urllib.request.urlopen(found.group(1) + "en/hello.html") as response:
            assert "Hello from Istanbul" in response.read().decode("utf-8")
        # A page left open holds its event stream: it must not keep the server from stopping.
        stream = urllib.request.urlopen(found.group(1) + "_preview/events", timeout=WAIT_MS / 1000)
        assert stream.readline().startswith(b"data: ")
        process.send_signal(stop)
        stdout, stderr = process.communicate(timeout=WAIT_MS / 1000)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert stream.read() in (b"\n", b"")  # the stream ended with the server
    assert process.returncode == 0
    assert stderr.splitlines()[-1] == "Stopped."
    assert "Traceback" not in stderr
