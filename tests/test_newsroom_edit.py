"""An edit that leaves a release where the newsroom lists it (a headline, a paragraph, a
translation) makes only the listing pages and feeds that show it; one that moves it (its
date, organisation or tags, a language that comes or goes) plans the whole newsroom again.
Either way, out/ is that of a full build, byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil

import pytest

import pressgen.builder
import pressgen.newsroom
from archive import make_archive
from conftest import edit, run_cli
from pressgen.config import load_config
from pressgen.site import Entry, in_place, plan_remembered, plan_site
from test_stamp import _site, aged

KK = "locales/kk/releases/r-{:02d}.po"
PUBLISHED_AT = re.compile(r"published \d{4}-\d\d-\d\d \d\d:\d\d UTC")

STEPS = [
    # (what a user does, whether the release stays where it was listed)
    ("a Kazakh paragraph", True,
     lambda root: edit(root / KK.format(5), 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац, жаңа."')),
    ("an English headline", True,
     lambda root: edit(root / "releases/r-07.yaml", "headline: Hello from Istanbul", "headline: Hello again")),
    ("a Kazakh headline", True,
     lambda root: edit(root / KK.format(2), 'msgstr "Ыстанбұлдан сәлем"', 'msgstr "Ыстанбұлдан жаңа сәлем"')),
    ("a date moved to another month", False,
     lambda root: edit(root / "releases/r-03.yaml", "date: 2023-02-07", "date: 2023-05-20")),
    ("another organisation", False,
     lambda root: edit(root / "releases/r-04.yaml", "organisation: office", "organisation: agency")),
    ("a Kazakh tag", False,
     lambda root: edit(root / KK.format(8), 'msgstr "мәдениет"', 'msgstr "өнер"')),
    ("withdrawn: it leaves the newsroom", False,
     lambda root: edit(root / "releases/r-09.yaml", "date: ", "withdrawn: 2023-06-01\ndate: ")),
]


def test_an_edit_makes_what_a_full_build_makes(tmp_path, monkeypatch):
    """The same edits in two copies of an archive, built after each: one on its stamp's path,
    the other with no stamp. The first plans only the files that show an edit that moves
    nothing; both give the same out/ and say the same."""
    planned, remembered = [], []

    def spy(real, calls):
        def planning(*args, **kwargs):
            plan = real(*args, **kwargs)
            calls.append(set(plan))
            return plan
        return planning

    monkeypatch.setattr(pressgen.newsroom, "plan_site", spy(pressgen.newsroom.plan_site, planned))
    monkeypatch.setattr(pressgen.newsroom, "plan_remembered", spy(pressgen.newsroom.plan_remembered, remembered))
    indexed = []  # the search index started from every listed page (search.start_index)
    real_index = pressgen.builder.start_index
    monkeypatch.setattr(pressgen.builder, "start_index", lambda *args: indexed.append(1) or real_index(*args))
    stamped = aged(make_archive(tmp_path / "stamped", count=24))
    full = tmp_path / "full"
    shutil.copytree(stamped, full)
    for root in (stamped, full):
        assert run_cli("build", "-C", str(root), "--format", "html", "-j", "1").exit_code == 0
    whole = planned[-1]
    assert "kk/tags/index.html" in whole and "sitemap.xml" in whole
    for step, stays, change in STEPS:
        results = []
        for root in (stamped, full):
            change(root)
            if root == full:
                for stamp in (root / ".pressgen").glob("stamp-*"):
                    stamp.unlink()
            planned.clear()
            remembered.clear()
            indexed.clear()
            results.append(run_cli("build", "-C", str(root), "--format", "html", "-j", "1"))
            if root == stamped:
                # An edit in place plans from what the last whole plan remembered (sitememory).
                assert (remembered, bool(planned)) == (([shown := remembered[0]], False) if stays else ([], True)), step
                assert bool(indexed) is not stays, step  # its shards alone, from their pages laid out
                if not stays:
                    shown = planned[0]
        # Each copy's versions went out when it was first built: a minute apart, if the two
        # builds fell on either side of one.
        said = [(r.exit_code, r.stdout, PUBLISHED_AT.sub("published <when> UTC", r.stderr)) for r in results]
        assert said == [said[1]] * 2, step
        assert _site(stamped) == _site(full), step
        # The search index too: the same shards, made from the same pages (search.start_in_place).
        assert search_entry(stamped) == search_entry(full), step
        if stays:
            # The pages of its release (newsroom, organisation, month, tags) and feeds, and those
            # of the releases edited in the seconds before (looked at again: their files are
            # "racy"); never the index of tags, the archive's years or the sitemap.
            assert len(shown) < len(whole) / 2 and not shown & {"kk/tags/index.html", "kk/archive/index.html",
                                                                "sitemap.xml", "index.html"}, (step, shown)
        else:
            assert shown == planned[-1] and "sitemap.xml" in shown, step


def search_entry(root) -> dict:
    """What the cache says of the search index: each shard's key (its pages' keys) and size."""
    said = json.loads((root / ".pressgen/cache.json").read_text(encoding="utf-8"))["outputs"]["out"]["pagefind/"]
    assert said["shards"]
    return said


def entry(release_id: str, lang: str, date: str = "2023-01-02", organisation: str = "office",
          tags: tuple[str, ...] = ("culture",), headline: str = "Hello",
          languages: tuple[str, ...] = ("en", "kk")) -> Entry:
    meta = {"headline": headline, "summary": None, "date": date, "embargo": None, "organisation": organisation,
            "tags": list(tags), "source": "en", "digest": headline}
    return Entry.from_listing(release_id, lang, meta, languages)


@pytest.mark.parametrize("now, expected", [
    ({"headline": "Hello again"}, {("en", "a"), ("kk", "a")}),
    ({"date": "2023-01-03"}, None),
    ({"organisation": "agency"}, None),
    ({"tags": ("culture", "music")}, None),
    ({"tags": ("Culture",)}, None),  # the same slug, but the tag's name may change
])
def test_in_place_tells_an_edit_that_moves_nothing(now, expected):
    last = {f"{lang}/{rid}.html": entry(rid, lang).meta for rid in ("a", "b") for lang in ("en", "kk")}
    entries = {lang: [entry("a", lang, **now), entry("b", lang)] for lang in ("en", "kk")}
    assert in_place(entries, last, {"a"}, ("en", "tr", "kk")) == expected


def test_in_place_sees_a_version_come_or_go():
    last = {f"{lang}/a.html": entry("a", lang).meta for lang in ("en", "kk")}
    gone = {"en": [entry("a", "en", languages=("en",))]}
    assert in_place(gone, last, {"a"}, ("en", "tr", "kk")) is None
    came = {lang: [entry("a", lang, languages=("en", "tr", "kk"))] for lang in ("en", "tr", "kk")}
    assert in_place(came, last, {"a"}, ("en", "tr", "kk")) is None
    assert in_place({}, {}, {"a"}, ("en",)) == set()  # never listed (a draft): no file shows it


def test_a_plan_of_some_entries_keys_them_as_the_whole_plan_does(tmp_path):
    """plan_site's ``only``: the files that list one of those entries, each with the key the
    whole plan gives it, whether the tags' alternates are kept or counted again."""
    root = make_archive(tmp_path / "office", count=24)
    config = load_config(root)
    dates = [dt.date(2023, 1, 2) + dt.timedelta(days=12 * n) for n in range(24)]
    entries = {lang: [entry(f"r-{n:02d}", lang, date.isoformat(), "agency" if n % 3 == 0 else "office",
                            ("culture", "music") if n % 2 else ("culture",), languages=config.languages)
                      for n, date in enumerate(dates)] for lang in config.languages}
    keys = dict(fingerprint=lambda code: code, feed_texts=lambda digest: {})
    kept: dict = {}
    whole = plan_site(config, None, entries, **keys, kept=kept)
    assert kept["tag_links"]
    only = {("kk", "r-05")}
    # Its place in the newsroom (page 2 of 10 a page) and its organisation's, its month and
    # its two tags; not the feed (the five latest only).
    shows = {"kk/page/2.html", "kk/org/office/page/2.html", "kk/archive/2023/03.html", "kk/tags/culture/page/2.html",
             "kk/tags/music/index.html"}
    for given in (kept, None):
        some = plan_site(config, None, entries, **keys, only=only, kept=given)
        assert set(some) == shows and {rel: key for rel, (key, _) in some.items()} == \
            {rel: whole[rel][0] for rel in shows}
    # The same files, planned from what the whole plan remembered of them (sitememory).
    remember: dict = {}
    assert plan_site(config, None, entries, **keys, remember=remember).keys() == whole.keys()
    by_id = {(e.lang, e.id): e for listed in entries.values() for e in listed}
    files = {rel: remember["files"][rel] for rel in remember["shows"]["kk/r-05"]}
    again = plan_remembered(config, None, files, lambda code, release_id: by_id[code, release_id], **keys)
    assert {rel: key for rel, (key, _) in again.items()} == {rel: whole[rel][0] for rel in shows}


def test_an_edit_whose_remembered_plan_is_gone_plans_as_before(tmp_path, monkeypatch):
    """What the last whole plan remembered is used only when the stamp names it: with its
    token gone (a build killed while it wrote it), an edit in place plans from the archive,
    and out/ is a full build's all the same."""
    planned = []
    real = pressgen.newsroom.plan_site
    monkeypatch.setattr(pressgen.newsroom, "plan_site", lambda *args, **kwargs: planned.append(1) or real(*args, **kwargs))
    stamped = aged(make_archive(tmp_path / "stamped", count=12))
    full = tmp_path / "full"
    shutil.copytree(stamped, full)
    for root in (stamped, full):
        assert run_cli("build", "-C", str(root), "--format", "html", "-j", "1").exit_code == 0
    [token] = (stamped / ".pressgen/cache-parts").glob("newsroom-*/token")
    token.unlink()
    planned.clear()
    for root in (stamped, full):
        STEPS[0][2](root)
        for stamp in (full / ".pressgen").glob("stamp-*"):
            stamp.unlink()
        assert run_cli("build", "-C", str(root), "--format", "html", "-j", "1").exit_code == 0
    assert len(planned) == 2 and _site(stamped) == _site(full)


def test_an_organisation_with_no_release_listed_is_named_not_linked(tmp_path):
    """The newsroom's masthead names every organisation, and links to an organisation's page
    only where it has one: one whose releases are all withdrawn has none (a new user's trial
    found 23 pages a language linking to a missing org/<key>/index.html)."""
    root = aged(make_archive(tmp_path / "office", count=3))
    assert run_cli("build", "-C", str(root), "--format", "html", "-j", "1").exit_code == 0
    assert 'href="org/agency/index.html"' in (root / "out/en/index.html").read_text(encoding="utf-8")
    edit(root / "releases/r-00.yaml", "date: ", "withdrawn: 2023-06-01\ndate: ")  # the agency's only release
    assert run_cli("build", "-C", str(root), "--format", "html", "-j", "1").exit_code == 0
    pages = {path.relative_to(root / "out").as_posix(): path.read_text(encoding="utf-8")
             for path in (root / "out").glob("*/**/*.html") if path.parent.name != "assets"}
    assert not (root / "out/en/org/agency").exists()
    assert [rel for rel, page in pages.items() if "org/agency/index.html" in page] == []
    assert "News Agency" in pages["en/index.html"] and 'href="org/office/index.html"' in pages["en/index.html"]
