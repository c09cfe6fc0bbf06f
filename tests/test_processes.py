"""Processes and state: PDF workers die with their build, one build at a time, a cache that moves."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import run_cli
from test_crash import assert_whole, make_archive

BUILD = [sys.executable, "-m", "pressgen", "build"]


def children(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (from /proc/*/stat, which every Linux has)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # it ended while we looked
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def forks(pid: int) -> set[int]:
    """The PDF workers: children running the build's own command line (WeasyPrint's import
    also runs ldconfig and gcc, briefly, to find its C libraries)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return set()
    found = set()
    for child in children(pid):
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == command:
                found.add(child)
        except OSError:
            pass  # it ended while we looked
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever adopted it (a container's pid 1 may never reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def lock_is_free(root: Path) -> bool:
    """Nobody holds the project's build lock (flock, as lock.py takes it)."""
    fd = os.open(root / ".pressgen" / "build.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def wait_for(condition, timeout: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture
def sessions():
    """Processes a test started, each in its own session; whatever is left of them is killed at the end."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


# --- workers end with their build -------------------------------------------------

@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_workers_die_when_the_build_is_killed(project, sessions, tmp_path):
    root = project("minimal")
    # 51 PDFs: the workers live for seconds. (27 were done in about a second on a fast day, and
    # the workers of the last build were gone before the kill: CI failed, the code was right.)
    make_archive(root, 16)
    env = with_own_tmp(tmp_path)
    for delay in (0.0, 0.4, 0.8):  # while they make their font configurations, and while they render
        # -j 3: the build's own process and two workers render.
        process = subprocess.Popen(BUILD + ["--project", str(root), "-j", "3", "--force", "-q"], env=env,
                                   start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sessions.append(process)
        assert wait_for(lambda: len(forks(process.pid)) == 2, timeout=30), "the PDF workers never started"
        time.sleep(delay)
        workers = forks(process.pid)
        assert process.poll() is None and len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)  # the build only, not its process group
        process.wait()
        assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=5), \
            f"workers {sorted(p for p in workers if alive(p))} outlived their build"
    # Workers share the build's lock: had one survived, it would hold the lock. On a loaded
    # machine a worker forked just before the kill may take a moment longer to end.
    assert wait_for(lambda: lock_is_free(root), timeout=10), "a worker outlived its build and holds the lock"
    # Killed, the builds left their workers' temporary files (their copies of the fonts): the
    # next build with PDF workers removes them.
    assert [p.name for p in (tmp_path / "tmp").iterdir() if p.name.startswith("pressgen-pdf-")]
    result = subprocess.run(BUILD + ["--project", str(root), "-j", "2", "--force", "--release", "hello-1"], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "waiting" not in result.stderr, result.stderr
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_ctrl_c_stops_a_build_with_130_and_says_so(project, sessions):
    """Ctrl-C reaches the build and its workers (the terminal's process group): exit 130, as
    a shell reports an interrupted command, one line and no traceback; the next build works."""
    root = project("minimal")
    make_archive(root, 8)
    process = subprocess.Popen(BUILD + ["--project", str(root), "-j", "3", "--force", "-q"], start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sessions.append(process)
    assert wait_for(lambda: len(forks(process.pid)) == 2, timeout=30), "the PDF workers never started"
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert (process.returncode, stdout, stderr) == (
        130, "", "Interrupted: every file written is whole, and the next build brings the rest up to date.\n")
    assert_whole(root / "out")
    assert run_cli("build", "--project", str(root), "-q").exit_code == 0


def test_a_worker_whose_parent_dies_ends_without_prctl(tmp_path, sessions):
    """The portable fallback alone (macOS, BSD): the thread that watches the parent."""
    script = textwrap.dedent("""
        import multiprocessing, os, sys, time
        from pressgen import lifeline

        # The parent's pid, taken before the fork, as PdfRunner does: the child's getppid()
        # would already name its new parent if this one died first.
        child = multiprocessing.get_context("fork").Process(target=lifeline._watch_parent, args=(os.getpid(),))
        child.start()
        print(child.pid, flush=True)
        time.sleep(60)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], start_new_session=True, stdout=subprocess.PIPE,
                               text=True)
    sessions.append(process)
    worker = int(process.stdout.readline())
    assert alive(worker)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert wait_for(lambda: not alive(worker), timeout=5)


PARENT_RENDERS = textwrap.dedent("""
    import sys
    from pressgen import build, pdf
    assert build(sys.argv[1], sys.argv[2], jobs=int(sys.argv[3]), force=True).ok
    print(pdf._writer is not None)
""")


def test_j2_renders_pdfs_in_the_build_and_one_worker_byte_for_byte_as_j1(project, tmp_path):
    """-j N counts the build's own process: it renders PDFs when its worker has enough queued,
    so no core waits (a queue of every page for the workers would hold the archive's HTML)."""
    root = project("minimal")
    make_archive(root, 8)  # 27 PDFs: the worker is still starting when its queue is full
    outs = {}
    for jobs in ("1", "2"):
        outs[jobs] = tmp_path / f"j{jobs}"
        done = subprocess.run([sys.executable, "-c", PARENT_RENDERS, str(root), str(outs[jobs]), jobs],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert done.stdout == "True\n"  # this process rendered PDFs itself
    files = {jobs: sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) for jobs, out in outs.items()}
    assert files["1"] == files["2"] and len([p for p in files["1"] if p.suffix == ".pdf"]) == 27
    for path in files["1"]:
        assert (outs["1"] / path).read_bytes() == (outs["2"] / path).read_bytes(), path


WORKER_HELD = textwrap.dedent("""
    import concurrent.futures, functools, os, sys, time
    from pathlib import Path
    from pressgen import build, pdf, pdfpool

    log, finishing, parent = Path(sys.argv[2]) / "log", Path(sys.argv[2]) / "finishing", os.getpid()
    render, submit, finish = pdf.render_to_file, concurrent.futures.ProcessPoolExecutor.submit, pdfpool.PdfRunner.finish

    @functools.wraps(render)
    def render_to_file(html, base_url, target, source):
        # The worker takes its first PDF, and holds it until the build has handed out every PDF.
        while os.getpid() != parent and not finishing.exists():
            time.sleep(0.01)
        with log.open("a") as lines:
            print("here" if os.getpid() == parent else "worker", f"{target.parent.name}/{target.name}", file=lines)
        return render(html, base_url, target, source)

    def queued(pool, function, *args):
        if function is render_to_file:
            with log.open("a") as lines:
                print("queued", f"{args[2].parent.name}/{args[2].name}", file=lines)
        return submit(pool, function, *args)

    def finishing_now(runner):
        finishing.touch()
        return finish(runner)

    pdf.render_to_file, concurrent.futures.ProcessPoolExecutor.submit = render_to_file, queued
    pdfpool.PdfRunner.finish = finishing_now
    assert build(sys.argv[1], Path(sys.argv[2]) / "out", jobs=2, formats=("pdf",), force=True).ok
""")


@pytest.mark.parametrize("releases, queued", [(9, 4), (1, 1)])
def test_a_busy_worker_has_four_pdfs_queued_and_never_more_than_the_build_has_left(project, tmp_path,
                                                                                  releases, queued):
    """Four PDFs queued keep a worker busy while the build's process renders one of its own;
    toward the end, the worker gets no more than the build has left to render itself, so
    that neither waits for the other's last PDFs (3 PDFs: one for the worker, two here)."""
    root = project("minimal")
    if releases > 1:
        make_archive(root, releases - 1)
    done = subprocess.run([sys.executable, "-c", WORKER_HELD, str(root), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in (tmp_path / "log").read_text().splitlines()]
    rendered = {name: who for who, name in lines if who != "queued"}
    handed = [name for who, name in lines if who == "queued"]
    assert len([who for who, _ in lines if who != "queued"]) == len(rendered) == 3 * releases  # each PDF once
    assert len(handed) == queued
    assert {name for name, who in rendered.items() if who == "worker"} == set(handed)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the workers through /proc")
def test_j2_starts_one_worker(project, sessions):
    root = project("minimal")
    make_archive(root, 8)
    # PDFs only: an HTML build also runs Pagefind.
    process = subprocess.Popen(BUILD + ["--project", str(root), "-j", "2", "--format", "pdf", "-q"],
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sessions.append(process)
    assert wait_for(lambda: len(forks(process.pid)) == 1, timeout=30), "the PDF worker never started"
    seen: set[int] = set()
    last: set[int] = set()
    while process.poll() is None:
        now = forks(process.pid)
        # Seen twice in a row: a worker, not a program the build runs (ldconfig, while WeasyPrint
        # loads), which shows the build's command line between its fork and its exec.
        seen |= now & last
        last = now
        time.sleep(0.05)
    assert process.returncode == 0 and len(seen) == 1



WORKER_DIES = textwrap.dedent("""
    import functools, os, signal, sys
    from pathlib import Path
    from pressgen import build, pdf, pdfpool

    root, scratch, when = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    parent, render, rendered = os.getpid(), pdf.render_to_file, {}

    @functools.wraps(render)
    def render_to_file(html, base_url, target, source):
        pid = os.getpid()
        if pid != parent:
            with (scratch / "workers").open("a") as workers:
                print(pid, file=workers)
            # Killed (the kernel's out-of-memory killer): on every PDF, or once, on a worker's
            # second PDF (the first has copied the fonts to its temporary folder).
            rendered[pid] = rendered.get(pid, 0) + 1
            if when == "always" or (rendered[pid] == 2 and not (scratch / "died").exists()):
                (scratch / "died").touch()
                os.kill(pid, signal.SIGKILL)
        return render(html, base_url, target, source)

    pdf.render_to_file = render_to_file
    report = build(root, scratch / "out", jobs=3, formats=("pdf",), force=True)
    for error in report.errors:
        print(error)
    print(sum(path.suffix == ".pdf" for path in report.written), "PDFs written")
""")


def test_the_pdfs_of_a_worker_that_died_are_rendered_by_new_workers(project, tmp_path):
    """A worker killed mid-build (out of memory) took every PDF queued to its pool with it,
    reported as failed: now new workers render them again, and the build is whole."""
    root = project("minimal")
    make_archive(root, 8)  # 27 PDFs
    done = subprocess.run([sys.executable, "-c", WORKER_DIES, str(root), str(tmp_path), "once"],
                          capture_output=True, text=True, timeout=300, env=with_own_tmp(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "27 PDFs written\n"
    # Nor is anything left in the temporary folder: the killed worker's copy of the fonts, and
    # those of the others, which the pool ends with SIGTERM once one died, went with its folder.
    assert list((tmp_path / "tmp").iterdir()) == []
    assert (tmp_path / "died").exists() and len(set((tmp_path / "workers").read_text().split())) >= 3
    for pdf in (tmp_path / "out").rglob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes().rstrip().endswith(b"%%EOF"), pdf


def test_a_pdf_that_kills_every_worker_fails_alone_and_the_build_ends(project, tmp_path):
    """Each PDF a dead pool had queued is tried once more in a new worker of its own; after
    three new pools the build's own process renders the rest: it ends, and names the PDFs that
    killed a worker twice, those alone."""
    root = project("minimal")
    make_archive(root, 8)
    done = subprocess.run([sys.executable, "-c", WORKER_DIES, str(root), str(tmp_path), "always"],
                          capture_output=True, text=True, timeout=300, env=with_own_tmp(tmp_path))
    assert done.returncode == 0, done.stderr
    *errors, written = done.stdout.splitlines()
    assert 1 <= len(errors) <= 3 and all(error.endswith(
        "not rendered: the PDF worker rendering it died twice (a crash in WeasyPrint or a library it uses, or "
        "out of memory); the next `pressgen build` tries again") for error in errors), errors
    pdfs = len(list((tmp_path / "out").rglob("*.pdf")))
    assert written == f"{pdfs} PDFs written" and pdfs + len(errors) == 27
    # The first pool's workers (one or both died rendering), then RESTARTS more pools.
    assert 1 + 3 <= len(set((tmp_path / "workers").read_text().split())) <= 2 * (1 + 3)
    assert list((tmp_path / "tmp").iterdir()) == []


def with_own_tmp(tmp_path: Path) -> dict:
    (tmp_path / "tmp").mkdir()
    return {**os.environ, "TMPDIR": str(tmp_path / "tmp")}


LIBRARY_BUILD = "import sys; from pressgen import build; assert build(sys.argv[1], jobs=int(sys.argv[2]), force=True).ok"


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_build_leaves_nothing_in_the_temporary_folder(project, tmp_path, jobs):
    """WeasyPrint copies the theme's fonts to a temporary folder in every process that renders a
    PDF (3.4 MB), and removes it only when collected, which a process ending by os._exit never
    is: the command line's, and every worker's. Each build left them in /tmp."""
    root = project("minimal")
    make_archive(root, 2)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    for command in (BUILD + ["--project", str(root), "-j", jobs, "--force", "-q"],
                    [sys.executable, "-c", LIBRARY_BUILD, str(root), jobs]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert list(temporary.iterdir()) == []


FORKED_WRITER = textwrap.dedent("""
    import multiprocessing, sys
    from pathlib import Path
    from pressgen import pdf, theme

    root = Path(sys.argv[1])
    pdf.init_worker(theme.template_dirs(root), theme.font_families(root))
    pdf.warm_up()
    font = theme.BUNDLED_TEMPLATES / "assets/fonts/NotoSans-Regular.ttf"
    html = (f'<html lang="en"><style>@font-face {{ font-family: "Pressgen Sans"; src: url({font.as_uri()}) }}</style>'
            "<body style='font-family: Pressgen Sans'>Test</body></html>")
    pdf.render_to_file(html, root / "x.html", Path(sys.argv[2]) / "x.pdf", root / "x.yaml")
    folder = pdf._writer.font_config._folder
    assert folder.is_dir()
    worker = multiprocessing.get_context("fork").Process(target=pdf.init_worker, args=([],))
    worker.start()
    worker.join()
    assert worker.exitcode == 0 and folder.is_dir(), "a forked worker removed its parent's fonts"
    pdf.init_worker([])
    assert not folder.exists(), "a writer set aside kept its fonts"
""")


def test_a_forked_worker_leaves_its_parents_fonts_alone(project, tmp_path):
    """A second build in one process forks its workers while the first build's writer is there:
    dropping their copy of it must not remove the fonts the parent renders with."""
    root = project("minimal")
    done = subprocess.run([sys.executable, "-c", FORKED_WRITER, str(root), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


# --- one build at a time ------------------------------------------------------------

WAITING = "waiting for another pressgen build in this project (pid {}) to finish…"
HOLD = textwrap.dedent("""
    import sys
    from pressgen.lock import project_lock
    with project_lock(sys.argv[1], sys.argv[2]):
        print("held", flush=True)
        sys.stdin.readline()
""")


def holder(root: Path, sessions, what: str = "build") -> subprocess.Popen:
    """Another pressgen process holding the project's lock until its stdin is closed."""
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(root), what], start_new_session=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sessions.append(process)
    assert process.stdout.readline() == "held\n"
    return process


def first_line(process: subprocess.Popen, timeout: float = 30) -> str:
    """The first line the process writes on stderr, without hanging the test if it never does."""
    import select

    ready, _, _ = select.select([process.stderr], [], [], timeout)
    assert ready, "the process said nothing"
    return process.stderr.readline().rstrip("\n")


def test_a_second_build_waits_for_the_first_and_renders_nothing(project, sessions):
    from test_crash import assert_whole

    root = project("minimal")
    # 17 releases, 153 outputs: the first build takes seconds, the second reaches the lock
    # in a fraction of one (its imports), even on a loaded machine.
    make_archive(root, 16)
    command = BUILD + ["--project", str(root), "-j", "2"]
    first = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sessions.append(first)
    lock = root / ".pressgen/build.lock"
    assert wait_for(lambda: lock.is_file() and lock.read_text().startswith(f"{first.pid} "), timeout=30)
    second = subprocess.Popen(command, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    sessions.append(second)
    assert first_line(second) == WAITING.format(first.pid)
    first_out, first_err = first.communicate(timeout=120)
    second_out, second_err = second.communicate(timeout=120)
    assert (first.returncode, second.returncode) == (0, 0), first_err + second_err
    assert first_out.strip().splitlines()[-1] == "153 outputs (153 rendered, 0 up to date)"
    assert second_out.strip().splitlines()[-1] == "153 outputs (0 rendered, 153 up to date)"
    assert second_err == ""  # the waiting line was read above; nothing else
    assert_whole(root / "out")


def test_mail_and_catalogs_update_wait_for_a_build(project, sessions):
    from test_mail import office

    root = office(project, port=9)  # a dry run: no message is sent
    lock = holder(root, sessions)
    waiting = [subprocess.Popen([sys.executable, "-m", "pressgen", *args, "--project", str(root)],
                                start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for args in (["mail", "hello"], ["catalogs", "update"])]
    sessions.extend(waiting)
    for process in waiting:
        assert first_line(process) == WAITING.format(lock.pid)
    time.sleep(0.3)
    assert [p.poll() for p in waiting] == [None, None]  # still waiting
    lock.stdin.close()
    for process in waiting:
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    assert len(list((root / "mail/hello").glob("*.eml"))) == 4


def test_a_build_waits_for_catalogs_update_by_name(project, sessions):
    root = project("minimal")
    lock = holder(root, sessions, "catalogs update")
    build = subprocess.Popen(BUILD + ["--project", str(root), "-j", "1"], start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sessions.append(build)
    assert first_line(build) == f"waiting for another pressgen catalogs update in this project (pid {lock.pid}) to finish…"
    lock.stdin.close()
    assert build.wait(timeout=60) == 0


def test_a_killed_build_leaves_no_lock_behind(project, sessions):
    root = project("minimal")
    lock = holder(root, sessions)
    os.kill(lock.pid, signal.SIGKILL)
    lock.wait()
    assert (root / ".pressgen/build.lock").read_text() == f"{lock.pid} build\n"  # the file stays; the lock is gone
    result = run_cli("build", "--project", str(root), "-j", "1")
    assert result.exit_code == 0 and "waiting" not in result.stderr


def test_a_build_inside_a_locked_command_does_not_wait_for_itself(project):
    from pressgen import build
    from pressgen.lock import project_lock

    root = project("minimal")
    with project_lock(root, "mail"):
        assert build(root, jobs=1).ok


# --- a cache that moves with its project ----------------------------------------------

def build(root: Path, *args: str):
    return run_cli("build", "--project", str(root), "-j", "1", *args)


def summary(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_a_copied_or_moved_project_renders_nothing(project, tmp_path):
    import shutil

    root = project("minimal")
    assert summary(build(root)) == "9 outputs (9 rendered, 0 up to date)"
    copy = shutil.copytree(root, tmp_path / "elsewhere/office2")  # cp -r office /elsewhere/office2
    assert summary(build(copy)) == "9 outputs (0 rendered, 9 up to date)"
    moved = shutil.move(root, tmp_path / "moved")  # mv
    assert summary(build(moved)) == "9 outputs (0 rendered, 9 up to date)"


def test_an_output_folder_outside_the_project_is_kept_by_its_absolute_path(project, tmp_path):
    import shutil

    root = project("minimal")
    site = tmp_path / "srv/www"
    assert summary(build(root, "-o", str(site), "-f", "html")) == "3 outputs (3 rendered, 0 up to date)"
    copy = shutil.copytree(root, tmp_path / "copy")
    assert summary(build(copy, "-o", str(site), "-f", "html")) == "3 outputs (0 rendered, 3 up to date)"


def test_a_release_broken_in_the_first_build_of_a_moved_project_stays_listed(project, tmp_path):
    import shutil

    from conftest import edit

    root = project("minimal")
    build(root)
    moved = Path(shutil.move(root, tmp_path / "moved"))
    site = {rel: (moved / "out" / rel).read_bytes() for rel in ("en/index.html", "en/feed.xml", "tr/index.html",
                                                                 "kk/feed.xml", "sitemap.xml")}
    assert all(b"hello.html" in data for data in site.values())
    edit(moved / "releases/hello.yaml", "headline: Hello from Istanbul", "headline: [Hello from Istanbul")
    result = build(moved)
    assert result.exit_code == 1
    assert result.stderr == "releases/hello.yaml:6: YAML syntax error: did not find expected ',' or ']'\n"
    assert {rel: (moved / "out" / rel).read_bytes() for rel in site} == site  # its last listing stays


def test_problems_kept_in_the_cache_name_files_in_the_new_place(project, tmp_path):
    import shutil

    from conftest import edit

    root = project("minimal")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Son paragraf."', 'msgstr ""')
    first = build(root)  # never published: it is simply not ready
    assert first.stderr == ("not built: tr/hello (1 untranslated)\n"
                            "  locales/tr/releases/hello.po:58: paragraph 'The last paragraph.' is not translated\n")
    moved = Path(shutil.move(root, tmp_path / "moved"))
    again = build(moved)
    assert summary(again) == "6 outputs (0 rendered, 6 up to date)"  # from the cache, not read again
    assert again.stderr == first.stderr


def test_a_cache_of_the_old_layout_is_ignored_with_a_warning(project):
    import json

    root = project("minimal")
    build(root)
    cache = root / ".pressgen/cache.json"
    data = json.loads(cache.read_text())
    data["format"] = 2
    data["outputs"] = {str(root / "out"): data["outputs"]["out"]}  # format 2 named out/ by its absolute path
    cache.write_text(json.dumps(data))
    result = build(root)
    assert result.exit_code == 0
    assert result.stderr == ("warning: .pressgen/cache.json: ignoring the build cache (written by another version "
                             "of pressgen); everything is rendered again\n")
    assert summary(result) == "9 outputs (9 rendered, 0 up to date)"
    data = json.loads(cache.read_text())
    from pressgen.cache import FORMAT

    assert data["format"] == FORMAT and list(data["outputs"]) == ["out"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the child through /proc")
def test_the_child_planning_half_a_build_dies_with_it(project, sessions):
    """A build of 600 new releases plans the second half in a forked child (plan.py): killed
    with SIGKILL, the build takes the child with it at once (its half takes seconds), and the
    next build waits for nobody."""
    root = project("minimal")
    make_archive(root, 600)
    process = subprocess.Popen(BUILD + ["--project", str(root), "-j", "2", "--format", "html", "-q"],
                               start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sessions.append(process)
    # The child, seen twice in a row: not a program the build runs, between its fork and exec.
    seen: list[set[int]] = [set()]
    assert wait_for(lambda: seen.append(forks(process.pid)) or len(seen[-1] & seen[-2]) == 1, timeout=30,
                    step=0.01), "the plan's child never started"
    child = next(iter(seen[-1] & seen[-2]))
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert wait_for(lambda: not alive(child), timeout=1), "the plan's child outlived its build"
    assert wait_for(lambda: lock_is_free(root), timeout=1)
    result = run_cli("build", "--project", str(root), "--format", "html", "-q")
    assert result.exit_code == 0 and "waiting" not in result.stderr
    assert len(list((root / "out").glob("*/hello-*.html"))) == 600 * 3
