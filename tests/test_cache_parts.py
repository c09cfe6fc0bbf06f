"""The build cache in parts (cache.py's Table): an edit of one release in a large archive
reads and writes the few parts its versions and files are in, and the others are listed
from the parts of what each page was listed as. Whatever part is damaged or gone, the
outputs are those of a full build."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from archive import make_archive
from conftest import but_the_pdf_note, edit, run_cli
from pressgen.cache import BuildCache, file_part, listed_part, version_part
from pressgen.feedtexts import FeedTexts
from test_stamp import _site, aged


def build_html(root: Path):
    # Quiet: a build of pages only notes the PDFs it did not make, which is no concern here.
    result = run_cli("build", "-C", str(root), "--format", "html", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    return result


def parts(root: Path) -> dict[str, bytes]:
    folder = root / ".pressgen/cache-parts"
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def listing_folder(root: Path) -> str:
    return next((root / ".pressgen/cache-parts").glob("listings-*")).name


def full_twin(root: Path, tmp_path: Path) -> Path:
    """The same project built from nothing: no cache, no stamp, no out/."""
    twin = tmp_path / "twin"
    shutil.copytree(root, twin, ignore=shutil.ignore_patterns("out", ".pressgen"))
    build_html(twin)
    return twin


def test_an_edit_rewrites_only_its_own_parts_of_the_cache(tmp_path):
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)
    before = parts(root)
    assert len(before) > 12  # versions and files spread over many parts, and the listings
    edit(root / "locales/kk/releases/r-05.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    result = build_html(root)
    assert result.stderr == ""
    after = parts(root)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    # The new Kazakh version's part, the part of the release's own files, its part of the listings.
    assert 2 <= len(changed) <= 3, changed
    listings = [name for name in changed if name.startswith("listings-")]
    assert listings == [f"{listing_folder(root)}/{listed_part('kk/r-05.html')}"]
    assert _site(root) == _site(full_twin(root, tmp_path))


def test_a_version_is_looked_up_in_its_part_alone(tmp_path):
    root = make_archive(tmp_path / "office", count=6)
    build_html(root)
    key = next(path for path in (root / ".pressgen/cache-parts").glob("*.json")).stem + "0" * 62
    cache = BuildCache.load(root, root / "out")
    assert cache.parts_read == set()
    assert cache.versions.get(key) is None
    assert cache.parts_read == {version_part(key)}
    # What cache.json holds: outputs, records and the shared files, never a version.
    assert '"versions":{}' in (root / ".pressgen/cache.json").read_text(encoding="utf-8")


def test_a_damaged_part_is_worked_out_again_with_a_warning(tmp_path):
    root = aged(make_archive(tmp_path / "office", count=6))
    build_html(root)
    own = root / f".pressgen/cache-parts/{file_part(str(root / 'releases/r-02.yaml'))}.json"
    own.write_bytes(b"{not json")
    edit(root / "locales/kk/releases/r-02.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    result = build_html(root)
    assert result.stderr.startswith(f"warning: .pressgen/cache-parts/{own.name}: ignoring this part of the build "
                                    "cache (unexpected character")
    assert result.stderr.endswith("; what it knew is worked out again\n")
    assert _site(root) == _site(full_twin(root, tmp_path))
    edit(root / "locales/kk/releases/r-02.po", "жаңа", "тағы жаңа")
    assert build_html(root).stderr == ""  # written again whole


def test_damaged_parts_are_one_warning(tmp_path):
    root = make_archive(tmp_path / "office", count=6)
    build_html(root)
    for path in (root / ".pressgen/cache-parts").glob("*.json"):
        path.write_bytes(b"")
    result = run_cli("build", "-C", str(root), "--format", "html", "-j", "1", "--force")
    assert result.exit_code == 0
    said = but_the_pdf_note(result.stderr)
    assert len(said.splitlines()) == 1 and " more parts; what they knew is worked out again" in said
    assert _site(root) == _site(full_twin(root, tmp_path))
    assert build_html(root).stderr == ""


@pytest.mark.parametrize("damage", ["deleted", "overwritten"])
def test_without_the_listings_an_edit_lists_every_release_again(tmp_path, damage):
    """An edit reads only its own parts of the listings when the stamp vouches for all of
    them (stamp.Changed.vouches): one deleted or overwritten since means a full build."""
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)
    # One part of it, not the one of the release edited next.
    part = root / ".pressgen/cache-parts" / listing_folder(root) / listed_part("en/r-00.html")
    if damage == "deleted":
        part.unlink()
    else:
        part.write_bytes(b"\x00not marshal")
    edit(root / "locales/kk/releases/r-05.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    assert build_html(root).stderr == ""
    site = _site(root)
    assert site == _site(full_twin(root, tmp_path))
    assert b"r-00.html" in site["kk/archive/2023/01.html"]


@pytest.mark.parametrize("lost", [".pressgen/feed-texts", ".pressgen/feed-texts/texts.sqlite", ".pressgen/cache.json"])
def test_an_edit_after_the_cache_was_lost_lists_every_release(tmp_path, lost):
    """A cache that is not trusted (its feed texts or cache.json gone) means a full build, also
    for an edit the stamp sees as its release's alone: its listings are not read. With the
    stamp vouching for them, 0.10.0's first code listed the edited release alone in the
    newsroom, the feeds, the sitemap and the search (found by a new user's trial)."""
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)
    target = root / lost
    shutil.rmtree(target) if target.is_dir() else target.unlink()
    edit(root / "locales/kk/releases/r-05.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    said = build_html(root).stderr
    assert lost == ".pressgen/cache.json" or said == ("warning: .pressgen/cache.json: ignoring the build cache (its feed "
                                                       "texts are gone); everything is rendered again\n")
    site = _site(root)
    assert site == _site(full_twin(root, tmp_path))
    assert len(re.findall(rb"<loc>[^<]*/r-\d+\.html</loc>", site["sitemap.xml"])) == 12 * 3


ROW_LOST = ("warning: .pressgen/feed-texts/texts.sqlite: the feed text of a listed version is lost from the build "
            "cache, so the feeds give those releases without their text; the next `pressgen build` makes them whole\n")
MADE_ANEW = ("warning: .pressgen/feed-texts/texts.sqlite: it was damaged, and is made anew; the feeds made now may give "
             "some releases without their text, and the next `pressgen build` works every version out again and makes "
             "them whole\n")


def feeds(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root / "out").as_posix(): path.read_bytes() for path in (root / "out").rglob("feed.xml")}


@pytest.mark.parametrize("damage, said", [("a text deleted", ROW_LOST), ("a text overwritten", ROW_LOST),
                                          ("not a database", MADE_ANEW), ("cut short", MADE_ANEW),
                                          ("its table dropped", MADE_ANEW)])
def test_a_lost_feed_text_is_said_and_the_next_build_makes_every_feed_whole(tmp_path, damage, said):
    """A feed text gone from .pressgen/feed-texts/texts.sqlite (each listed version's body for
    the feeds) is said when a feed needs it, and the next build works its version out again
    and makes every feed that lacked it whole: before, the feeds silently gave that release
    without its text, and not even a forced build wrote it again (a new user's trial); then the
    organisation's feed, made after the language's from the same lost text, stayed without it
    (another). A database damaged as a whole is made anew, and the next build works every
    version out again: before, the texts nobody had asked for yet stayed lost."""
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)
    # The second newest release's text, in the Kazakh feeds that an edit of the newest makes again.
    digest = BuildCache.load(root, root / "out").listing("kk/r-10.html")["digest"]
    database = root / ".pressgen/feed-texts/texts.sqlite"
    assert b"r-10.html" in (root / "out/kk/feed.xml").read_bytes() and len(feeds(root)) > 3
    if damage == "not a database":
        database.write_bytes(b"garbage" * 1000)
    elif damage == "cut short":
        with database.open("r+b") as handle:
            handle.truncate(4096)
    else:
        with sqlite3.connect(database) as db:
            if damage == "a text deleted":
                db.execute("DELETE FROM texts WHERE digest = ?", (digest,))
            elif damage == "a text overwritten":
                db.execute("UPDATE texts SET texts = ? WHERE digest = ?", (b"garbage", digest))
            else:
                db.execute("DROP TABLE texts")
        db.close()
    edit(root / "locales/kk/releases/r-11.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    assert build_html(root).stderr == said
    assert build_html(root).stderr == ""
    with sqlite3.connect(database) as db:
        assert json.loads(db.execute("SELECT texts FROM texts WHERE digest = ?", (digest,)).fetchone()[0])
        # That build worked out every version (no stamp after a loss): the text of r-11 before the edit is gone.
        assert db.execute("SELECT count(*) FROM texts").fetchone()[0] == 12 * 3
    db.close()
    assert feeds(root) == feeds(full_twin(root, tmp_path))
    assert build_html(root).stderr == ""


def test_a_folder_where_the_feed_texts_are_is_made_a_database_again(tmp_path):
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)
    database = root / ".pressgen/feed-texts/texts.sqlite"
    database.unlink()
    database.mkdir()
    (database / "note.txt").write_text("?", encoding="utf-8")
    edit(root / "locales/kk/releases/r-11.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    said = build_html(root).stderr
    assert said == ("warning: .pressgen/cache.json: ignoring the build cache (its feed texts are gone); everything is "
                    "rendered again\n" + MADE_ANEW)
    assert build_html(root).stderr == ""
    assert database.is_file() and feeds(root) == feeds(full_twin(root, tmp_path))


def test_a_database_another_program_holds_locked_is_an_error_not_damage(tmp_path, monkeypatch):
    """A database browser left open on it: the build says so and stops, and the texts stay
    (a new user's trial: the build waited a minute in silence, then deleted the database)."""
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)
    monkeypatch.setattr(FeedTexts, "WAIT", 0.2)
    database = root / ".pressgen/feed-texts/texts.sqlite"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        edit(root / "locales/kk/releases/r-11.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
        result = run_cli("build", "-C", str(root), "--format", "html", "-j", "1")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1
    assert result.stderr == (".pressgen/feed-texts/texts.sqlite: another program holds the build's feed "
                                  "texts locked; close it (a database browser?), then build again\n")
    assert build_html(root).stderr == ""
    assert feeds(root) == feeds(full_twin(root, tmp_path))


def test_a_cache_worked_out_again_keeps_what_the_newsroom_listed(tmp_path):
    """A build that ignored a damaged cache.json and made no newsroom (ninjs only) leaves the
    listings as the last newsroom had them, rather than writing them empty."""
    root = make_archive(tmp_path / "office", count=6)
    build_html(root)
    (root / ".pressgen/cache.json").write_text("{not json")
    result = run_cli("build", "-C", str(root), "--format", "ninjs", "-j", "1")
    assert result.exit_code == 0 and "ignoring the build cache" in result.stderr
    listed = BuildCache.load(root, root / "out").listed
    assert sorted(listed) == sorted(f"{lang}/r-{n:02d}.html" for lang in ("en", "tr", "kk") for n in range(6))


def test_a_full_build_keeps_only_the_feed_texts_of_the_versions_it_lists(tmp_path):
    """An edit adds its version's new text and leaves the old one (a build of one release
    cannot tell whether another folder's newsroom still lists it); the next full build keeps
    only the texts of the versions it used: before 0.12 they piled up for good."""
    root = aged(make_archive(tmp_path / "office", count=12))
    build_html(root)

    def texts() -> set[str]:
        with sqlite3.connect(root / ".pressgen/feed-texts/texts.sqlite") as db:
            found = {digest for (digest,) in db.execute("SELECT digest FROM texts")}
        db.close()
        return found

    def listed() -> set[str]:
        cache = BuildCache.load(root, root / "out")
        return {cache.listing(f"{lang}/r-{n:02d}.html")["digest"] for lang in ("en", "tr", "kk") for n in range(12)}

    first = texts()
    assert first == listed() and len(first) == 36
    edit(root / "locales/kk/releases/r-05.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')
    build_html(root)
    assert len(texts()) == 37 and texts() - first == listed() - first
    assert run_cli("build", "-C", str(root), "--format", "html", "-j", "1", "--force").exit_code == 0
    assert texts() == listed() and len(texts()) == 36


def test_a_save_during_the_build_writes_only_the_parts_looked_at_since_the_last_save(tmp_path):
    """A PDF build saves its cache every two seconds, so that a build killed keeps its work:
    at 10,000 releases x 3, writing every part out again took 0.1 s each time."""
    root = make_archive(tmp_path / "office", count=12)
    build_html(root)
    folder = root / ".pressgen/cache-parts"
    first, second = (json.loads(path.read_bytes()) | {"part": path.stem} for path in sorted(folder.glob("*.json"))[:2])
    one, two = next(iter(first["versions"])), next(iter(second["versions"]))
    cache = BuildCache.load(root, root / "out")
    held = cache.versions[two]
    cache.versions[one]
    cache.save(now_and_then=True)  # the build's first: every part read
    cache.versions[one]["ready"] = held["ready"] = "changed"
    cache.save(now_and_then=True)
    assert json.loads((folder / f"{first['part']}.json").read_bytes())["versions"][one]["ready"] == "changed"
    # Changed in place without being asked for since the last save: left to the build's last, whole save.
    assert json.loads((folder / f"{second['part']}.json").read_bytes())["versions"][two] == second["versions"][two]
    cache.save()
    assert json.loads((folder / f"{second['part']}.json").read_bytes())["versions"][two]["ready"] == "changed"


def test_the_first_save_of_a_build_that_ignored_a_damaged_cache_is_whole(tmp_path):
    """No part beside a cache.json that was ignored is trusted: the first save, also one during
    the build, writes or removes every part, not only the parts the build looked at."""
    root = make_archive(tmp_path / "office", count=12)
    build_html(root)
    folder = root / ".pressgen/cache-parts"
    kept = sorted(folder.glob("*.json"))
    key = next(iter(json.loads(kept[0].read_bytes())["versions"]))
    (root / ".pressgen/cache.json").write_text("{", encoding="utf-8")
    cache = BuildCache.load(root, root / "out")
    assert "ignoring the build cache" in cache.warning
    cache.versions[key] = {"ready": True}
    cache.save(now_and_then=True)
    assert sorted(path.name for path in folder.glob("*.json")) == [f"{version_part(key)}.json"]
