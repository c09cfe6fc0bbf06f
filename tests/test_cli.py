"""The command line: exit codes, help, `python -m pressgen`."""

from __future__ import annotations

import shlex
import subprocess
import sys

import pytest

from conftest import edit, run_cli


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["check", "--help"], ["catalogs", "update", "--help"]])
def test_help_everywhere(args):
    result = run_cli(*args)
    assert result.exit_code == 0
    assert "Usage: pressgen" in result.stdout


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pressgen", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "build" in result.stdout and "catalogs" in result.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_in_a_process_of_its_own_says_nothing_more_as_it_ends(project, jobs):
    """`pressgen build` as a user runs it, PDFs included: a quiet build prints nothing, even as
    Python ends (WeasyPrint's font configurations, freed after their module was torn down,
    printed "Exception ignored in: FontConfiguration.__del__" when the build froze its objects
    for the exit)."""
    root = project("minimal")
    result = subprocess.run([sys.executable, "-m", "pressgen", "build", "-C", str(root), "-q", "-j", jobs],
                            capture_output=True, text=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (root / "out/kk/hello.pdf").is_file()


def test_unknown_language_is_a_usage_error(project):
    result = run_cli("build", "--project", str(project("minimal")), "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr == "unknown language fr; this project publishes in en, tr, kk\n"


def test_unknown_release_is_a_usage_error(project):
    result = run_cli("build", "--project", str(project("minimal")), "--release", "nope")
    assert result.exit_code == 2
    assert result.stderr == "no release 'nope'; releases: hello\n"


@pytest.mark.parametrize("asked", ["releases/hello.yaml", "Hello", "helo"])
def test_a_release_asked_for_by_its_file_name_or_a_letter_off_is_named(project, asked):
    """Found by a trial: no did-you-mean, and every id of the archive on one line (7 KB at 300)."""
    root = project("minimal")
    for n in range(12):
        (root / f"releases/other-{n:02d}.yaml").write_text(
            (root / "releases/hello.yaml").read_text(encoding="utf-8").replace("Hello from Istanbul", f"Other {n}"),
            encoding="utf-8")
    result = run_cli("build", "--release", asked, "--project", str(root))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"no release '{asked}'; did you mean 'hello'?"
    far = run_cli("build", "--release", "nothing-like-it", "--project", str(root))
    assert far.stderr.splitlines()[-1] == (
        "no release 'nothing-like-it'; releases: hello, other-00, other-01, other-02, other-03, other-04, other-05, "
        "other-06 and 5 more (their ids are the names of releases/*.yaml)")


def test_mail_of_a_release_a_letter_off_is_named(office):
    result = run_cli("mail", "turksoy-isesco-agreemnt", "--project", str(office))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "no release 'turksoy-isesco-agreemnt'; did you mean 'turksoy-isesco-agreement'?"


def test_unknown_option_is_a_usage_error():
    assert run_cli("build", "--frobnicate").exit_code == 2


def test_check_on_a_good_project(project):
    result = run_cli("check", "--project", str(project("minimal")))
    assert result.exit_code == 0
    assert result.stdout == "No problems found.\n"


def test_check_writes_nothing(project):
    root = project("minimal")
    before = sorted(p for p in root.rglob("*"))
    run_cli("check", "--project", str(root))
    assert sorted(p for p in root.rglob("*")) == before


def test_check_and_status_write_nothing_but_their_verdicts_in_the_cache(project):
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".pressgen" not in p.parts}
    for command in ("check", "status", "check"):
        run_cli(command, "--project", str(root))
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".pressgen" not in p.parts} == before
    assert (root / ".pressgen" / "verdicts").is_file()


@pytest.mark.parametrize("command", [["build"], ["check"], ["status"], ["catalogs", "update"], ["mail", "x"]])
def test_a_folder_without_pressgen_yaml_is_refused_and_left_empty(tmp_path, command):
    result = run_cli(*command, "--project", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.strip() == (f"no pressgen.yaml in {tmp_path.resolve()}: run pressgen in the press office's "
                                     "folder, or name it with -C DIR")
    assert list(tmp_path.iterdir()) == []


def test_quiet_says_nothing_of_translations_on_their_way(project):
    """-q in cron every minute: a translation pending for a day was a mail a minute. Problems
    still print."""
    root = project("minimal")
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."', 'msgstr ""')
    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    for _ in range(2):  # the build, then its stamp's replay
        result = run_cli("build", "--project", str(root), "--format", "html", "-q")
        assert (result.exit_code, result.output) == (0, "")
    assert "not built: kk/hello" in run_cli("build", "--project", str(root), "--format", "html").stderr
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Biz hazırız"', 'msgstr "Biz hazırız."')
    result = run_cli("build", "--project", str(root), "--format", "html", "-q")
    assert result.exit_code == 1 and "quote 'We are ready' ends with '.' where the source has no final " \
        "punctuation" in result.stderr


TEARDOWN = """
import atexit, os, sys, threading, time
from pressgen.cli import main
class Freed:
    def __del__(self, write=os.write):
        write(2, b"Python's own exit\\n")
freed = Freed()  # freed by Python's exit only
atexit.register(print, "exit handlers", file=sys.stderr)
if sys.argv[1] == "thread":
    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()  # still running at the end
sys.argv[1:] = sys.argv[2:]
main()
"""


@pytest.mark.parametrize("running, exit_by", [("nothing", "at once"), ("thread", "Python")])
def test_the_command_ends_at_once_when_nothing_it_started_runs(project, running, exit_by):
    """Python's exit frees every object of a build one by one (0.2 s at 10,000 releases);
    `pressgen` leaves at once instead, with everything it printed delivered."""
    root = project("minimal")
    done = subprocess.run([sys.executable, "-c", TEARDOWN, running, "build", "-C", str(root), "--format", "html"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "3 outputs (3 rendered, 0 up to date)"
    assert ("Python's own exit" in done.stderr) == (exit_by == "Python")
    assert "exit handlers" in done.stderr  # run either way (logging's, the temporary fonts')


def test_a_failing_command_ending_at_once_keeps_its_exit_code_and_message(project):
    root = project("minimal")
    (root / "releases/hello.yaml").write_text("date: 2011-13-08\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", TEARDOWN, "nothing", "build", "-C", str(root)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Python's own exit" not in done.stderr
    assert "releases/hello.yaml" in done.stderr


@pytest.mark.parametrize("errors", ["apart", "in the same pipe"])
def test_a_build_whose_reader_stops_reading_goes_on_to_the_end(project, errors):
    """`pressgen build -v | head -2`, or `2>&1 | head -2`: the build's work is its files, not its lines."""
    from test_crash import make_archive

    root = project("minimal")
    make_archive(root, 2)
    # Versions no longer ready, said on stderr at the end.
    edit(root / "releases/hello.yaml", "place: Istanbul", "place: Izmir")
    process = subprocess.Popen([sys.executable, "-m", "pressgen", "build", "-v", "-j", "1", "--format", "pdf",
                                "-C", str(root)], stdout=subprocess.PIPE, text=True,
                               stderr=subprocess.PIPE if errors == "apart" else subprocess.STDOUT)
    assert process.stdout.readline().startswith("[1/")
    process.stdout.close()
    _, said = process.communicate(timeout=300)
    assert process.returncode == 0, said
    assert "Traceback" not in (said or "") and "Error" not in (said or "")
    assert len(list((root / "out").glob("*/*.pdf"))) == 3 * len(list((root / "releases").glob("*.yaml"))) - 2


def test_a_command_with_its_output_closed_ends_as_usual():
    done = subprocess.run(f"{shlex.quote(sys.executable)} -m pressgen --version >&-", shell=True,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("out, said", [
    (".", "-o .: the site would be written among the office's own files"),
    ("..", "-o ..: the site would be written among the office's own files"),
    ("releases", "-o releases: inside releases/, the office's own folder"),
    ("locales/kk", "-o locales/kk: inside locales/, the office's own folder"),
    ("out/en", "-o out/en: inside out/, the site the office publishes"),
    (".git/site", "-o .git/site: inside .git/, a hidden folder of the project"),
])
def test_an_output_folder_among_the_offices_own_files_is_refused(project, monkeypatch, out, said):
    """Found by a trial: -o . and -o locales mixed the site into the office's sources, silently."""
    root = project("minimal")
    monkeypatch.chdir(root)
    before = sorted(root.rglob("*"))
    result = run_cli("build", "-o", out)
    assert (result.exit_code, result.stderr) == (2, f"{said}; give the site a folder of its own, such as -o site (or "
                                                    "leave -o out: the project's out/)\n")
    assert sorted(root.rglob("*")) == before
