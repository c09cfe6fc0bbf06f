"""A large build plans half of its releases in a forked child (plan.py). What it builds,
reports and remembers must be what a plan in one process gives, releases that fail,
are not ready, are embargoed or keep a placeholder included; and a child that fails
costs time, never outputs."""

from __future__ import annotations

import datetime as dt
import json
import marshal
import os
import re
import time
from pathlib import Path

import orjson
import pytest

from archive import make_archive
from conftest import edit
from pressgen import build, plan

RELEASES = 8


def office(root: Path) -> Path:
    """Eight releases; in the second half, which the child plans: a Kazakh catalog that does
    not parse, a Turkish translation missing, an embargo ahead, a placeholder paragraph."""
    make_archive(root, RELEASES)
    edit(root / "locales/kk/releases/r-05.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац.')
    edit(root / "locales/tr/releases/r-06.po", 'msgstr "İlk paragraf."', 'msgstr ""')
    moment = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    with (root / "releases/r-07.yaml").open("a", encoding="utf-8") as record:
        record.write(f"embargo: {moment} UTC\n")
    edit(root / "releases/r-04.yaml", "The last paragraph.", "Write the next paragraph here.")
    # Saved an hour ago, as in an office: their hashes are remembered (young files' are not).
    for path in root.rglob("*"):
        os.utime(path, (time.time() - 3600,) * 2)
    return root


PARENT_PACE = 0.1
"""Seconds the build's process waits before each release it takes in a shared plan, so that
the child, taking them from the last back, plans most of them: the second half at least."""


@pytest.fixture
def planned_by(tmp_path: Path, monkeypatch):
    """Plans of two releases or more are shared; each part says which process planned which releases."""
    log = tmp_path / "parts.log"
    part = plan._plan_part
    parent = os.getpid()

    def logged(builder, selected, *options):
        with log.open("a", encoding="utf-8") as parts:
            parts.write(json.dumps([os.getpid(), [record.id for record in selected]]) + "\n")
        if os.getpid() == parent and len(selected) == 1:
            time.sleep(PARENT_PACE)
        return part(builder, selected, *options)

    monkeypatch.setattr(plan, "PARALLEL_FROM", 2)
    monkeypatch.setattr(plan, "_plan_part", logged)
    return lambda: [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def said(report, root: Path) -> dict:
    """Everything a build reports, with the project's folder taken out."""
    def text(value) -> str:
        return str(value).replace(str(root), "ROOT")

    return {
        "written": [text(p) for p in report.written], "unchanged": [text(p) for p in report.unchanged],
        "removed": [text(p) for p in report.removed], "published": [text(p) for p in report.published],
        "errors": [text(e.format()) for e in report.errors], "warnings": [text(w) for w in report.warnings],
        "not_ready": [(i, lang, [text(g.message) for g in gaps]) for i, lang, gaps in report.not_ready],
        "outdated": [(i, lang) for i, lang, *_ in report.outdated],
        "embargoes": report.embargoes, "next_lift": report.next_lift,
    }


def files(root: Path) -> dict[str, bytes]:
    """out/ and published/ (less the moment each snapshot was published), by relative path."""
    found = {}
    for folder in ("out", "published"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                if folder == "published":
                    data = b"".join(line for line in data.splitlines(True) if not line.startswith(b"published:"))
                found[path.relative_to(root).as_posix()] = data
    return found


def cache(root: Path) -> tuple:
    """What the build cache holds: cache.json and its parts (cache.py), less snapshot hashes."""
    data = orjson.loads((root / ".pressgen/cache.json").read_bytes())
    versions, files = dict(data.get("versions", {})), set(data["files"])
    for part in sorted((root / ".pressgen/cache-parts").glob("*.json")):
        table = orjson.loads(part.read_bytes())
        versions.update(table["versions"])
        files |= set(table["files"])
    versions = {key: {k: v for k, v in state.items() if k != "snapshot"} for key, state in versions.items()}
    return versions, sorted(files), data["outputs"]


def published_verdicts(root: Path) -> list[str]:
    kept = marshal.loads((root / ".pressgen/verdicts").read_bytes())["verdicts"]
    return [name for name in kept if name.startswith("published:")]


def test_a_plan_in_two_processes_builds_reports_and_remembers_what_one_process_does(tmp_path, planned_by):
    one, two = office(tmp_path / "one"), office(tmp_path / "two")
    alone = build(one, jobs=1, formats=("html", "ninjs"))
    split = build(two, jobs=2, formats=("html", "ninjs"))
    parts = planned_by()
    # One plan in this process; then one shared with a child of it, a release at a time: this
    # process takes them from the first, the child from the last back, until they meet.
    assert parts[0] == [os.getpid(), [f"r-{n:02d}" for n in range(RELEASES)]]
    assert {len(ids) for _, ids in parts[1:]} == {1}
    mine = [ids[0] for pid, ids in parts[1:] if pid == os.getpid()]
    theirs = [ids[0] for pid, ids in parts[1:] if pid != os.getpid()]
    assert mine and theirs[:4] == [f"r-{n:02d}" for n in reversed(range(4, RELEASES))]
    assert mine + theirs[::-1] == [f"r-{n:02d}" for n in range(RELEASES)]
    assert said(split, two) == said(alone, one)
    # What the second half found is in the report, from the child.
    assert any("r-05.po" in e.format() for e in split.errors)
    assert [(i, lang) for i, lang, _ in split.not_ready] == [("r-04", "tr"), ("r-04", "kk"), ("r-06", "tr")]
    assert set(split.embargoes) == {"r-07"}
    assert any("releases/r-04.yaml" in w for w in split.warnings)
    assert files(two) == files(one)
    assert cache(two) == cache(one)
    # The published records the child proved clean are kept for check too (verdicts.py).
    assert len(published_verdicts(two)) == len(published_verdicts(one)) > 0
    # What the child learnt is remembered: the next build finds everything as it was left.
    for stamp in (two / ".pressgen").glob("stamp-*"):
        stamp.unlink()
    again = build(two, jobs=2, formats=("html", "ninjs"))
    # Planned in this process at once: nothing new to judge.
    assert not again.written and planned_by()[-1] == [os.getpid(), [f"r-{n:02d}" for n in range(RELEASES)]]
    assert len(planned_by()) == len(parts) + 1


def test_a_child_that_fails_costs_time_not_outputs(tmp_path, planned_by, monkeypatch):
    one, two = office(tmp_path / "one"), office(tmp_path / "two")
    alone = build(one, jobs=1, formats=("html",))
    parent, part = os.getpid(), plan._plan_part

    def failing(builder, selected, *options):
        if os.getpid() != parent:
            (tmp_path / "child failed").write_text(str(os.getpid()))
            raise RuntimeError("the child fails")
        return part(builder, selected, *options)

    monkeypatch.setattr(plan, "_plan_part", failing)
    split = build(two, jobs=2, formats=("html",))
    assert (tmp_path / "child failed").read_text() != str(parent)
    # This process took every release but the one the child took before it failed: planned
    # here after all.
    assert planned_by()[1:] == [*([parent, [f"r-{n:02d}"]] for n in range(RELEASES - 1)),
                                [parent, [f"r-{RELEASES - 1:02d}"]]]
    assert said(split, two) == said(alone, one)
    assert files(two) == files(one)
    assert cache(two) == cache(one)


def test_what_the_child_saw_and_served_holds_after_the_plan(tmp_path, planned_by):
    """The child's inputs are in the build's stamp (a later edit of one is seen), and a version
    it found outdated is printed from its published snapshot, as in a plan of one process."""
    from pdfread import pdf_text

    roots = []
    for name in ("one", "two"):
        root = make_archive(tmp_path / name, RELEASES)
        assert build(root, jobs=1, formats=("html",)).ok  # every version published
        # The source of r-06 changes: its translations are outdated, served as published.
        edit(root / "releases/r-06.yaml", "The first paragraph.", "The first paragraph, changed.")
        edit(root / "locales/kk/releases/r-05.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац!"')
        for path in root.rglob("*"):
            os.utime(path, (time.time() - 3600,) * 2)
        roots.append(root)
    one, two = roots
    chosen = ("r-05", "r-06")
    alone = build(one, jobs=1, formats=("html", "pdf"), release_ids=chosen)
    split = build(two, jobs=2, formats=("html", "pdf"), release_ids=chosen)
    assert [ids for pid, ids in planned_by() if pid != os.getpid()] == [["r-06"]]
    assert [(i, lang) for i, lang, *_ in split.outdated] == [("r-06", "tr"), ("r-06", "kk")]
    # PDFs are reported as their workers finish them, in any order.
    assert sorted(split.written) == sorted(two / p.relative_to(one) for p in alone.written)
    split.written = alone.written = []
    assert said(split, two) == said(alone, one)
    for lang in ("tr", "kk"):
        printed = pdf_text(two / f"out/{lang}/r-06.pdf")
        assert printed == pdf_text(one / f"out/{lang}/r-06.pdf")
    assert "İlk paragraf." in pdf_text(two / "out/tr/r-06.pdf")

    # A build of everything in two processes (a label changed: every Turkish version is judged
    # again) leaves a stamp of every input read, the snapshots only the child read included:
    # a snapshot changed by hand afterwards is seen, not replayed away.
    with (two / "locales/tr/LC_MESSAGES/messages.po").open("a", encoding="utf-8") as catalog:
        catalog.write("\n# A translator's note.\n")
    before = len(planned_by())
    assert build(two, jobs=2, formats=("html",)).ok
    assert any(pid != os.getpid() for pid, _ in planned_by()[before:])  # shared again
    snapshot = two / "published/tr/r-07.yaml"
    edit(snapshot, "translation: İlk paragraf.", "translation: İlk paragraf, elle.")
    os.utime(snapshot, (time.time() - 3600,) * 2)
    after = build(two, jobs=2, formats=("html",))
    assert not after.replayed and after.published == [snapshot]
    assert "İlk paragraf, elle." not in snapshot.read_text(encoding="utf-8")


def test_a_terminal_progress_bar_leaves_the_plan_free_to_split(tmp_path, planned_by):
    """On a terminal the CLI shows a rich progress bar; it must run no thread of its own, or
    the build would never fork (plan.py forks only from a process with one thread)."""
    from pressgen.cli import _progress

    root = office(tmp_path / "office")
    bar = _progress(root, quiet=False, verbose=False)
    bar.mode = "bar"  # as on a terminal
    with bar as progress:
        report = build(root, jobs=2, formats=("html",), progress=progress)
    assert report.written
    assert [pid for pid, _ in planned_by() if pid != os.getpid()], "the plan was not split"


def test_both_processes_lay_out_their_pages_for_the_search_index_as_they_render_them(tmp_path, planned_by,
                                                                                     monkeypatch):
    """Each process of the plan lays out what Pagefind reads of each page it renders
    (search.EarlyPages): once the index starts, no page is read back from out/ and laid out
    there. The pages laid out are what a layout from out/ gives, and the folder they were
    made in is gone when the build ends."""
    from pressgen import search

    root = office(tmp_path / "office")
    late = []
    lay_out, start = search.indexed_document, search.Indexing.__init__

    def started(self, *args, **kwargs):
        search.indexed_document = lambda html: late.append(html) or lay_out(html)
        start(self, *args, **kwargs)

    monkeypatch.setattr(search.Indexing, "__init__", started)
    try:
        report = build(root, jobs=2, formats=("html",))
    finally:
        search.indexed_document = lay_out
    assert any(pid != os.getpid() for pid, _ in planned_by())  # the plan was shared
    assert report.written and [re.search(r'<link rel="canonical" href="([^"]*)', html)[1] for html in late] == []
    [folder] = (root / ".pressgen").glob("search-pages-*")
    pages = {p.relative_to(folder / lang / "all").as_posix(): p.read_text(encoding="utf-8")
             for lang in ("en", "tr", "kk") for p in (folder / lang / "all").rglob("*.html")}
    # Every listed page of each half (r-07 is under embargo, r-05's Kazakh does not parse).
    assert sorted(pages) == sorted(f"{lang}/r-{n:02d}.html" for lang in ("en", "tr", "kk") for n in range(RELEASES)
                                   if n != 7 and (lang, n) not in (("kk", 5), ("tr", 6), ("tr", 4), ("kk", 4)))
    assert pages == {rel: lay_out((root / "out" / rel).read_text(encoding="utf-8")) for rel in pages}
    assert not (folder / search.EARLY).exists()


def test_what_a_child_that_dies_was_writing_does_not_stay(tmp_path, planned_by, monkeypatch):
    """A child killed while it writes leaves temporary files (found by a new user's trial, in
    out/, published/ and .pressgen): the build, which plans what the child took again,
    removes them, and only them."""
    one, two = office(tmp_path / "one"), office(tmp_path / "two")
    alone = build(one, jobs=1, formats=("html",))
    parent, part = os.getpid(), plan._plan_part
    folders = [two / "out/en", two / "published/tr", two / ".pressgen/cache-parts"]

    def killed(builder, selected, *options):
        if os.getpid() != parent:
            for folder in folders:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f".cut-short.html.{os.getpid()}-7.tmp").write_bytes(b"<html")
            (two / "out/en/.another-process.html.1-1.tmp").write_bytes(b"<html")
            os._exit(1)  # killed: nothing reported, nothing cleaned
        return part(builder, selected, *options)

    monkeypatch.setattr(plan, "_plan_part", killed)
    split = build(two, jobs=2, formats=("html",))
    assert said(split, two) == said(alone, one)
    assert [p.relative_to(two).as_posix() for p in two.rglob("*.tmp")] == ["out/en/.another-process.html.1-1.tmp"]
