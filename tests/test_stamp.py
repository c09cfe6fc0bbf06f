"""A build with nothing to do is told by its stamp (stamp.py): the last build's report
again, from stat calls alone. These tests hold the promise that matters more than its
speed: any change a full build would act on is never replayed away."""

from __future__ import annotations

import ast
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import edit, outputs, run_cli
from pressgen import build

HOUR_AGO = time.time() - 3600


def aged(root: Path) -> Path:
    """Every file of the project saved an hour ago, as in an office: none is "racy"."""
    for folder, _, names in os.walk(root):
        for name in names:
            os.utime(Path(folder) / name, (HOUR_AGO, HOUR_AGO), follow_symlinks=False)
    return root


def html(root: Path, **options):
    return build(root, formats=("html",), jobs=1, **options)


@pytest.fixture
def office(project) -> Path:
    """A built, aged project whose next build is a replay."""
    root = aged(project("minimal"))
    first = html(root)
    assert first.ok and not first.replayed and first.written
    assert html(root).replayed
    return root


def test_a_build_with_nothing_to_do_repeats_what_waits_for_the_office_to_mend(project):
    """Found by a trial: a published record missing, or a published version left without its
    release, was said by the build that found it and then by no replayed build (a cron job
    running `build -q` heard of it once)."""
    root = project("minimal")
    assert html(root).ok
    shutil.copy(root / "published/kk/hello.yaml", root / "published/kk/gone.yaml")  # its record deleted since
    edit(root / "locales/tr/LC_MESSAGES/messages.po", 'msgctxt "office: about"', '#, fuzzy\nmsgctxt "office: about"')
    (root / "published/tr.messages.yaml").unlink()
    aged(root)
    first = html(root)
    assert not first.replayed and len(first.standing) == 2, first.warnings
    assert "tr.messages.yaml is missing" in first.standing[0] and "no record has the id 'gone'" in first.standing[1]
    again = html(root)
    assert again.replayed and again.warnings == first.standing
    told = run_cli("build", "-C", str(root), "-f", "html", "-q")
    assert told.stderr.count("warning: ") == 2, told.stderr


def test_a_build_with_nothing_to_do_says_what_a_full_one_says(project):
    root = project("minimal")
    # Work left and an embargo ahead, so the report has something to say.
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."', 'msgstr ""')
    moment = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    (root / "releases/later.yaml").write_text((root / "releases/hello.yaml").read_text(encoding="utf-8")
                                              .replace("Hello from Istanbul", "Hello again")
                                              + f"embargo: {moment} UTC\n", encoding="utf-8")
    aged(root)
    assert run_cli("build", "-C", str(root), "-j", "1").exit_code == 0
    replayed = run_cli("build", "-C", str(root), "-j", "1")
    for stamp in (root / ".pressgen").glob("stamp-*"):
        stamp.unlink()
    full = run_cli("build", "-C", str(root), "-j", "1")
    assert "not built: kk/hello" in full.stderr and "next embargo lifts" in full.stdout
    assert (replayed.exit_code, replayed.stdout, replayed.stderr) == (full.exit_code, full.stdout, full.stderr)


def loaded_by_a_build(root: Path, packages: set[str]) -> set[str]:
    """Which of ``packages`` an HTML build of ``root`` imports: the command as a user runs it,
    in a new process."""
    script = ("import sys\nfrom pressgen.cli import cli\n"
              f"try:\n    cli(['build', '-C', {str(root)!r}, '-q', '--format', 'html'])\n"
              "except SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
              f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(packages)!r}))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(ast.literal_eval(result.stdout.strip()))


def test_a_build_with_nothing_to_do_imports_no_renderer(office):
    # Jinja, Babel, YAML and WeasyPrint stay unloaded.
    assert loaded_by_a_build(office, {"jinja2", "babel", "yaml", "weasyprint"}) == set()


def test_the_build_of_an_edited_release_reads_no_font(office):
    """Which characters the theme's fonts have is kept in the cache by their content: reading
    their character maps was 0.03 s of every edit's build (and of a preview's)."""
    edit(office / "locales/tr/releases/hello.po", "İlk", "Birinci")
    assert loaded_by_a_build(office, {"fontTools", "jinja2"}) == {"jinja2"}  # it rendered, without the fonts
    assert "Birinci" in (office / "out/tr/hello.html").read_text(encoding="utf-8")


def _rewrite_same_size(path: Path) -> None:
    """An edit that keeps the size and, with cp -p, the modification time: only the change time tells."""
    text = path.read_text(encoding="utf-8")
    info = path.stat()
    path.write_text(text.replace("first", "firsT"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _moved_out_and_linked_back(root: Path) -> None:
    outside = root.parent / "shared-drive-kk"
    shutil.move(root / "locales/kk", outside)
    (root / "locales/kk").symlink_to(outside, target_is_directory=True)


def _record_moved_out_and_linked_back(root: Path) -> None:
    outside = root.parent / "hello.yaml"
    shutil.move(root / "releases/hello.yaml", outside)
    (root / "releases/hello.yaml").symlink_to(outside)


CHANGES = {
    "a record edited": lambda root: edit(root / "releases/hello.yaml", "The last paragraph.", "The final paragraph."),
    "a record edited, same size and time": lambda root: _rewrite_same_size(root / "releases/hello.yaml"),
    "a catalog edited": lambda root: edit(root / "locales/tr/releases/hello.po", "İlk", "Birinci"),
    "a catalog removed": lambda root: (root / "locales/kk/releases/hello.po").unlink(),
    "a record added": lambda root: shutil.copy(root / "releases/hello.yaml", root / "releases/again.yaml"),
    "a record removed": lambda root: (root / "releases/hello.yaml").unlink(),
    "an office catalog edited": lambda root: edit(root / "locales/tr/LC_MESSAGES/messages.po", "#", "# ", 1),
    "pressgen.yaml edited": lambda root: edit(root / "pressgen.yaml", "Office of Culture", "Office for Culture"),
    "a template added": lambda root: (root / "templates/assets").mkdir(parents=True)
    or (root / "templates/assets/extra.css").write_text("p { color: black }\n"),
    "a photo added": lambda root: (root / "images").mkdir() or (root / "images/x.txt").write_text("not yet"),
    "a published snapshot removed": lambda root: (root / "published/tr/hello.yaml").unlink(),
    "an output deleted": lambda root: (root / "out/tr/hello.html").unlink(),
    "a newsroom page deleted": lambda root: (root / "out/tr/index.html").unlink(),
    "the cache deleted": lambda root: (root / ".pressgen/cache.json").unlink(),
    "a catalog folder moved out and linked back": _moved_out_and_linked_back,
    "a record moved out and linked back": _record_moved_out_and_linked_back,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_is_never_replayed_away(office, change):
    CHANGES[change](office)
    if "linked back" in change:
        for _ in range(2):  # a build that found problems leaves no stamp
            result = run_cli("build", "-C", str(office), "--format", "html", "-j", "1")
            assert result.exit_code == 1 and "outside the project" in result.stderr
        return
    after = html(office)
    assert not after.replayed and after.ok, [e.format(office) for e in after.errors]
    aged(office)
    assert not html(office).replayed  # aged again: every file's change time moved
    assert html(office).replayed



def test_another_version_of_the_same_size_and_time_is_rendered(office):
    # cp -p of another version over a catalog: same size, same modification time, same
    # inode; only the change time tells, and the page must show the new text.
    catalog = office / "locales/tr/releases/hello.po"
    info = catalog.stat()
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("Son paragraf.", "Son paragraF."), encoding="utf-8")
    os.utime(catalog, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert catalog.stat().st_size == info.st_size
    after = html(office)
    assert not after.replayed and after.ok
    assert "Son paragraF." in (office / "out/tr/hello.html").read_text(encoding="utf-8")


def test_a_deleted_search_index_is_made_again(office):
    assert (office / "out/pagefind/shards.json").is_file()
    shutil.rmtree(office / "out/pagefind")
    after = html(office)
    assert not after.replayed and after.ok
    assert (office / "out/pagefind/shards.json").is_file()
    aged(office)  # its published snapshots, read just after they were written, are "racy"
    assert not html(office).replayed
    assert html(office).replayed
    (office / "out/pagefind/shards.json").unlink()
    assert not html(office).replayed
    assert (office / "out/pagefind/shards.json").is_file()

def test_the_replayed_outputs_are_the_full_builds(office, tmp_path):
    before = outputs(office / "out")
    assert html(office).replayed and outputs(office / "out") == before
    assert html(office, force=True).written and outputs(office / "out") == before


@pytest.mark.parametrize("options", [dict(languages=["tr"]), dict(formats=("html", "ninjs")), dict(drafts=True),
                                     dict(out="elsewhere")])
def test_other_options_are_a_full_build(office, options):
    if "out" in options:
        options["out"] = office / options["out"]
    report = build(office, **{"formats": ("html",), "jobs": 1, **options})
    assert report.ok and not report.replayed


def test_a_release_or_a_moment_given_is_a_full_build(office):
    assert not html(office, release_ids=["hello"]).replayed
    assert not html(office, now=dt.datetime.now(dt.timezone.utc)).replayed
    assert not html(office, force=True).replayed


def test_an_embargo_lifting_ends_the_replay(office):
    # Embargoes are to the minute: the next minute that leaves time for two builds first.
    moment = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=70)).replace(second=0, microsecond=0)
    (office / "releases/later.yaml").write_text((office / "releases/hello.yaml").read_text(encoding="utf-8")
                                                .replace("Hello from Istanbul", "Hello later")
                                                + f"embargo: {moment:%Y-%m-%d %H:%M} UTC\n", encoding="utf-8")
    shutil.copy(office / "locales/tr/releases/hello.po", office / "locales/tr/releases/later.po")
    aged(office)
    first = html(office)
    assert first.ok and first.next_lift and first.next_lift[1] == "later"
    replayed = html(office)
    assert replayed.replayed and replayed.next_lift == first.next_lift
    time.sleep(max(0.0, (moment - dt.datetime.now(dt.timezone.utc)).total_seconds()) + 0.5)
    lifted = html(office)
    assert not lifted.replayed and lifted.next_lift is None
    assert "later.html" in (office / "out/en/index.html").read_text(encoding="utf-8")


def test_a_file_saved_just_before_the_build_is_looked_at_again(office):
    edit(office / "releases/hello.yaml", "The last paragraph.", "The final paragraph.")  # now, not an hour ago
    assert not html(office).replayed
    # Its change could hide in the same clock tick: no stamp until it has aged.
    assert not html(office).replayed


# --- a build of the changed releases only ------------------------------------------

KK = "locales/kk/releases/ashimbayev-raev-meeting.po"
STEPS = {
    "a Kazakh message emptied": lambda root: edit(root / KK, 'msgstr "Нұр-Сұлтан', 'msgstr "', 1),
    "nothing": lambda root: None,
    "a record's headline edited": lambda root: edit(root / "releases/turksoy-isesco-agreement.yaml", "agreement",
                                                   "accord", 1),
    "the Kazakh message back": lambda root: edit(root / KK, 'msgstr "', 'msgstr "Нұр-Сұлтан', 1),
    "a snapshot deleted": lambda root: (root / "published/tr/ashimbayev-raev-meeting.yaml").unlink(),
    "a catalog deleted": lambda root: (root / "locales/tr/releases/turksoy-isesco-agreement.po").unlink(),
}


def test_a_build_of_the_changed_releases_is_a_full_builds_twin(tmp_path):
    """The same edits in two copies of the office, built at once after each (as a user
    does): one uses its stamp, the other none. Same outputs, same words on screen."""
    from conftest import copy_office

    twins = [aged(copy_office(tmp_path / name)) for name in ("stamped", "full")]
    results = []
    for step, change in ["first build", lambda root: None], *STEPS.items():
        results = []
        for root in twins:
            change(root)
            if root.name == "full":
                for stamp in (root / ".pressgen").glob("stamp-*"):
                    stamp.unlink()
            results.append(run_cli("build", "-C", str(root), "--format", "html,ninjs"))
        stamped, full = results
        assert (stamped.exit_code, stamped.stdout, stamped.stderr) == (full.exit_code, full.stdout, full.stderr), step
        assert _site(twins[0]) == _site(twins[1]), step
    assert "outdated" in full.stderr  # the edits left work to report


def _site(root: Path) -> dict[str, bytes]:
    """out/ without the search index, whose file names are content hashes of its own making."""
    return {path.relative_to(root / "out").as_posix(): path.read_bytes()
            for path in (root / "out").rglob("*") if path.is_file() and "pagefind" not in path.parts}


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", "marshal of another shape"])
def test_a_damaged_or_foreign_stamp_means_a_full_build(office, damage):
    import marshal

    stamp = next((office / ".pressgen").glob("stamp-*"))
    if damage == "marshal of another shape":
        data = marshal.loads(stamp.read_bytes())
        del data["languages"]
        damage = marshal.dumps(data)
    stamp.write_bytes(damage)
    result = run_cli("build", "-C", str(office), "--format", "html", "-j", "1")
    # Nothing said but that its pages link PDFs a full build makes (a build of pages only).
    said = [line for line in result.stderr.splitlines() if not line.startswith("note: 3 page(s) link to a PDF not made yet")]
    assert result.exit_code == 0 and said == [], result.stderr
    assert marshal.loads(stamp.read_bytes())["languages"]  # the full build left a good stamp


def test_an_input_saved_just_before_it_was_read_is_trusted_once_it_has_settled_unchanged(tmp_path):
    """A checkout right before a long cold build: what the build read early has aged, unchanged,
    by the time it ends, so its stamp trusts it (and the next build is a replay); one that
    changed meanwhile, even keeping its size and time, stays looked at."""
    from pressgen.cache import Fingerprints

    catalog = tmp_path / "hello.po"
    catalog.write_text("msgstr \"one\"\n", encoding="utf-8")
    fingerprints = Fingerprints(tmp_path, None)
    fingerprints.file(catalog)
    assert catalog in fingerprints.racy and fingerprints.settled(catalog) is None  # too young yet
    os.utime(catalog, (HOUR_AGO, HOUR_AGO))  # the build ran on; the file has aged
    settled = fingerprints.settled(catalog)
    assert settled is not None and settled[1:3] == (catalog.stat().st_size, catalog.stat().st_mtime_ns)
    catalog.write_text("msgstr \"two\"\n", encoding="utf-8")  # changed meanwhile, same size
    os.utime(catalog, (HOUR_AGO, HOUR_AGO))
    assert fingerprints.settled(catalog) is None


def test_after_a_build_of_one_release_a_folder_linked_back_is_never_replayed_away(office):
    """The stamp of a build of the changed releases keeps the last one's folders (stamp.write):
    they are still checked."""
    edit(office / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    aged(office)
    assert not html(office).replayed
    assert html(office).replayed
    _moved_out_and_linked_back(office)
    result = run_cli("build", "-C", str(office), "--format", "html", "-j", "1")
    assert result.exit_code == 1 and "outside the project" in result.stderr


def test_a_template_of_the_office_in_place_of_a_bundled_one_is_seen(office):
    # The same name in the theme (base.html), now from the office's templates/: the stamp
    # listed the theme by names alone, and the build said nothing had changed.
    own = office / "templates/base.html"
    own.parent.mkdir()
    own.write_text("<!DOCTYPE html><html lang=\"{{ lang }}\"><title>Own</title><p>Our own base</p></html>\n",
                   encoding="utf-8")
    for path in (own, own.parent):
        os.utime(path, (HOUR_AGO, HOUR_AGO))  # saved long ago: no racy second look
    report = html(office)
    assert not report.replayed and report.written
    assert "Our own base" in (office / "out/en/hello.html").read_text(encoding="utf-8")


def test_the_files_looked_at_by_a_child_tell_what_this_process_tells(office, monkeypatch):
    """At 10,000 releases a child process lstats the stamp's 50,000 files while the build
    imports what it builds with (stamp._Differing): the same verdicts, every one."""
    import pressgen.stamp as stamp_module

    forks = []
    real_fork = os.fork
    monkeypatch.setattr(stamp_module._Differing, "FORK_FROM", 0)
    monkeypatch.setattr(stamp_module.os, "fork", lambda: forks.append(1) or real_fork())
    assert html(office).replayed and forks
    edit(office / "locales/tr/releases/hello.po", "İlk", "Birinci")
    changed = stamp_module.look_request(office, None, (), ("html",), False, True, meanwhile=lambda: None)
    assert isinstance(changed, stamp_module.Changed) and changed.release_ids == {"hello"}
    after = html(office)
    assert after.ok and not after.replayed and [p.name for p in after.written] == ["hello.html"]
    aged(office)
    assert not html(office).replayed and html(office).replayed
    edit(office / "pressgen.yaml", "Office of Culture", "Office for Culture")
    assert stamp_module.look_request(office, None, (), ("html",), False, True, meanwhile=lambda: None) is None
    assert html(office).ok


def test_a_child_that_cannot_look_means_a_full_build(office, monkeypatch):
    import pressgen.stamp as stamp_module

    monkeypatch.setattr(stamp_module._Differing, "FORK_FROM", 0)

    def fails(root, files):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return []

    parent = os.getpid()
    monkeypatch.setattr(stamp_module, "_differ", fails)
    assert stamp_module.look_request(office, None, (), ("html",), False, True, meanwhile=lambda: None) is None
    result = run_cli("build", "-C", str(office), "--format", "html", "-j", "1")
    assert result.exit_code == 0 and "Traceback" not in result.output
