"""Processes and state: PDF workers die with their build, one build at a time, a cache that moves."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import run_cli
from test_crash import make_archive

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


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever adopted it (a container's pid 1 may never reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


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
def test_workers_die_when_the_build_is_killed(project, sessions):
    root = project("minimal")
    make_archive(root, 8)  # 27 PDFs: the workers live for seconds
    for delay in (0.0, 0.4, 0.8):  # while they import WeasyPrint, and while they render
        process = subprocess.Popen(BUILD + ["--project", str(root), "-j", "2", "--force", "-q"],
                                   start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sessions.append(process)
        assert wait_for(lambda: len(children(process.pid)) == 2, timeout=30), "the PDF workers never started"
        time.sleep(delay)
        workers = children(process.pid)
        assert process.poll() is None and len(workers) == 2
        os.kill(process.pid, signal.SIGKILL)  # the build only, not its process group
        process.wait()
        assert wait_for(lambda: not any(alive(pid) for pid in workers), timeout=5), \
            f"workers {sorted(p for p in workers if alive(p))} outlived their build"


def test_a_worker_whose_parent_dies_ends_without_prctl(tmp_path, sessions):
    """The portable fallback alone (macOS, BSD): the thread that watches the parent."""
    script = textwrap.dedent("""
        import multiprocessing, os, sys, time
        from pressgen import pdfpool

        def worker():
            pdfpool._watch_parent(os.getppid())

        child = multiprocessing.get_context("fork").Process(target=worker)
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
