"""A build killed at any moment leaves no torn file, and the next build makes it whole."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

from conftest import run_cli

KILLS = 20


def make_archive(root: Path, copies: int) -> None:
    """Copies of the minimal release under new ids, with their catalogs."""
    source = (root / "releases/hello.yaml").read_text(encoding="utf-8")
    for n in range(copies):
        (root / f"releases/hello-{n}.yaml").write_text(source.replace("Hello from", f"Hello {n} from"), encoding="utf-8")
        for lang in ("tr", "kk"):
            po = (root / f"locales/{lang}/releases/hello.po").read_text(encoding="utf-8")
            (root / f"locales/{lang}/releases/hello-{n}.po").write_text(
                po.replace('msgid "Hello from Istanbul"', f'msgid "Hello {n} from Istanbul"'), encoding="utf-8")


def assert_whole(out: Path) -> None:
    for path in out.rglob("*"):
        if not path.is_file() or path.name.endswith(".tmp"):
            continue  # a temporary file is not an output; the next build sweeps it
        data = path.read_bytes()
        if path.suffix == ".pdf":
            assert data.rstrip().endswith(b"%%EOF"), path
            assert len(PdfReader(path).pages) >= 1
        elif path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path
        elif path.suffix == ".json":
            json.loads(data)


def test_sigkill_at_random_moments(project, tmp_path):
    root = project("minimal")
    make_archive(root, 8)  # 27 releases' worth of outputs across three languages
    out = root / "out"
    rng = random.Random(20261123)
    command = [sys.executable, "-m", "pressgen", "build", "--project", str(root), "--force", "-q"]
    for attempt in range(KILLS):
        jobs = "2" if attempt % 2 else "1"
        process = subprocess.Popen(command + ["-j", jobs], start_new_session=True,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 2.5))
        # The whole process group, workers included: as if the machine lost power.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()
        assert_whole(out)

    assert run_cli("build", "--project", str(root), "-j", "2").exit_code == 0
    assert not list(out.rglob("*.tmp"))
    clean = tmp_path / "clean"
    shutil.copytree(root, clean, ignore=shutil.ignore_patterns("out", ".pressgen"))
    assert run_cli("build", "--project", str(clean), "-j", "2").exit_code == 0
    ours = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    theirs = {p.relative_to(clean / "out"): p.read_bytes() for p in (clean / "out").rglob("*") if p.is_file()}
    assert ours.keys() == theirs.keys()
    assert [k for k in ours if ours[k] != theirs[k]] == []


def test_a_snapshot_half_written_by_a_killed_build_is_swept_away(project):
    """Snapshots are written as pages are (a temporary file, renamed): what a build killed
    in between leaves in published/, a folder the office commits, goes with the next build."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    left = root / "published/tr/.hello.yaml.4242-7.tmp"
    left.write_text("release: hel", encoding="utf-8")
    (root / "releases/hello.yaml").write_text(
        (root / "releases/hello.yaml").read_text(encoding="utf-8").replace("The last paragraph.", "The end."),
        encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    assert not left.exists()


def test_what_a_killed_build_left_in_the_cache_is_swept_away_too(project):
    """The cache parts and compiled templates are written the same way as outputs (and the feed
    texts were, in files of their own before 0.12): a temporary a killed build left beside one
    stayed for good, even through `--force` (found by new users' trials)."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    texts = root / ".pressgen/feed-texts"
    [compiled] = (root / ".pressgen/compiled-templates").iterdir()
    left = [texts / f".{'0' * 32}.json.4242-3.tmp", root / ".pressgen/cache-parts/.00.json.4242-4.tmp",
            compiled / ".0123abcd.4242-5.tmp"]
    for path in left:
        path.write_text("{", encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html", "--force").exit_code == 0
    assert [path for path in left if path.exists()] == []


def test_the_sweep_takes_only_what_a_build_leaves_not_a_deploy_s_own_files(project, tmp_path):
    """The README's promise: pressgen removes only files it wrote. A full build swept every
    '.*.tmp' of the output folder, into a deploy's .git/ too (a new user's trial)."""
    root = project("minimal")
    www = tmp_path / "www"
    theirs = [www / ".deploy-config.tmp", www / ".git/.packed.4242-1.tmp", root / "published/.my-notes.tmp"]
    for path in theirs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine", encoding="utf-8")
    ours = www / "en/.hello.html.4242-2.tmp"
    ours.parent.mkdir(parents=True)
    ours.write_text("<html", encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html", "-o", str(www)).exit_code == 0
    assert [path.exists() for path in theirs] == [True, True, True] and not ours.exists()


def test_a_disk_that_refuses_a_file_is_said_with_the_file_s_name_not_a_traceback(project):
    """A full disk (here: a file-size limit, the same refusal of os.write) printed a traceback
    naming nothing the office knows (a new user's trial with a 3 MB output folder)."""
    root = project("minimal")

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # refused with EFBIG instead of killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))

    done = subprocess.run([sys.executable, "-m", "pressgen", "build", "-C", str(root), "--format", "html"],
                          capture_output=True, text=True, preexec_fn=limited, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("out/en/hello.html: cannot write this (File too large); make room or fix the folder's "
                           "permissions, then build again: every file already written is whole\n")
    assert not list((root / "out").rglob("*.tmp"))
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
