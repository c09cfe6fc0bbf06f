"""A browsable archive: newsroom pages of a fixed size, years and months, organisations,
feeds of the latest releases, and a sitemap index, on a generated archive of 60 releases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archive import COUNT, make_archive, organisation, release_date
from conftest import copy_project, run_cli
from htmlread import Page

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://news.office.example/"


@pytest.fixture(scope="module")
def archive(built_archive) -> Path:
    return built_archive


def newest(ids_of=lambda n: True) -> list[str]:
    return [f"r-{n:02d}" for n in reversed(range(COUNT)) if ids_of(n)]


def listed(path: Path) -> list[str]:
    """The releases a listing page links to, in order."""
    page = Page(path.read_text(encoding="utf-8"))
    return [a["href"].rsplit("/", 1)[-1].removesuffix(".html") for a in page.tags("a")
            if a["href"].rsplit("/", 1)[-1].startswith("r-") and a["href"].endswith(".html")]


def links(path: Path, rel: str) -> list[str]:
    page = Page(path.read_text(encoding="utf-8"))
    return [t["href"] for t in page.tags("link") if t.get("rel") == rel]


def test_newsroom_pages_of_a_fixed_size_newest_first(archive):
    out = archive / "out/kk"
    pages = [out / "index.html", *(out / f"page/{n}.html" for n in range(2, 7))]
    assert sorted(p.name for p in (out / "page").iterdir()) == [f"{n}.html" for n in range(2, 7)]
    assert [listed(p) for p in pages] == [newest()[i:i + 10] for i in range(0, COUNT, 10)]
    assert links(pages[0], "prev") == [] and links(pages[0], "next") == ["page/2.html"]
    assert links(pages[2], "prev") == ["../page/2.html"] and links(pages[2], "next") == ["../page/4.html"]
    assert links(pages[-1], "next") == []
    text = Page(pages[2].read_text(encoding="utf-8")).text
    assert "Бет 3 / 6" in text and "Жаңарақ релиздер" in text and "Ескірек релиздер" in text
    # Release links and assets resolve from a page one folder down.
    assert (pages[2].parent / "../r-39.html").resolve().is_file()
    assert all((pages[2].parent / i["src"]).resolve().is_file() for i in Page(pages[2].read_text()).tags("img"))


def test_archive_by_year_and_month(archive):
    out = archive / "out/tr/archive"
    years = Page((out / "index.html").read_text(encoding="utf-8"))
    hrefs = [a["href"] for a in years.tags("a") if a["href"].endswith("/index.html") and a["href"][0].isdigit()]
    assert hrefs == ["2024/index.html", "2023/index.html"]
    in_2023 = [n for n in range(COUNT) if release_date(n).year == 2023]
    assert f"2023 ({len(in_2023)})" in " ".join(years.text.split())
    year = Page((out / "2024/index.html").read_text(encoding="utf-8"))
    assert "Aralık 2024" in year.text and "Ocak 2024" in year.text
    march = [n for n in range(COUNT) if release_date(n).strftime("%Y-%m") == "2024-03"]
    assert listed(out / "2024/03.html") == newest(lambda n: n in march)
    assert "<h1>Mart 2024</h1>" in (out / "2024/03.html").read_text(encoding="utf-8")


def test_listing_per_organisation(archive):
    out = archive / "out/en/org/agency"
    assert listed(out / "index.html") == newest(lambda n: organisation(n) == "agency")[:10]
    assert listed(out / "page/2.html") == newest(lambda n: organisation(n) == "agency")[10:20]
    assert not (out / "page/3.html").exists()
    assert "<h1>News Agency</h1>" in (out / "index.html").read_text(encoding="utf-8")
    # The newsroom's masthead leads to each organisation's listing.
    assert "org/agency/index.html" in [a["href"] for a in Page((archive / "out/en/index.html").read_text()).tags("a")]


def feed_ids(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return [e.findtext(f"{ATOM}id").rsplit("/", 1)[-1].removesuffix(".html") for e in root.findall(f"{ATOM}entry")]


def test_feeds_hold_the_latest_releases_only(archive):
    assert feed_ids(archive / "out/kk/feed.xml") == newest()[:5]
    agency = archive / "out/kk/org/agency/feed.xml"
    assert feed_ids(agency) == newest(lambda n: organisation(n) == "agency")[:5]
    root = ET.parse(agency).getroot()
    assert root.findtext(f"{ATOM}id") == f"{BASE}kk/org/agency/"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}kk/org/agency/feed.xml"
    assert root.findtext(f"{ATOM}title") == "Баспасөз релиздері · АА"
    # The organisation's pages name its feed for autodiscovery.
    page = archive / "out/kk/org/agency/page/2.html"
    assert (page.parent / links(page, "alternate")[-1]).resolve() == agency


def test_listing_pages_link_the_same_page_in_other_languages(archive):
    page = archive / "out/tr/page/3.html"
    html = Page(page.read_text(encoding="utf-8"))
    alternates = {t["hreflang"]: t["href"] for t in html.tags("link") if t.get("hreflang")}
    assert alternates == {"en": f"{BASE}en/page/3.html", "tr": f"{BASE}tr/page/3.html", "kk": f"{BASE}kk/page/3.html",
                          "x-default": BASE}
    assert [t["href"] for t in html.tags("link") if t.get("rel") == "canonical"] == [f"{BASE}tr/page/3.html"]
    languages = {a["hreflang"]: a["href"] for a in html.tags("a") if a.get("hreflang")}
    assert languages == {"en": "../../en/page/3.html", "kk": "../../kk/page/3.html"}
    month = Page((archive / "out/kk/archive/2023/01.html").read_text(encoding="utf-8"))
    assert {t["hreflang"]: t["href"] for t in month.tags("link") if t.get("hreflang")}["en"] == \
        f"{BASE}en/archive/2023/01.html"


def test_sitemap_becomes_an_index_past_its_size(archive):
    index = ET.parse(archive / "out/sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [s.findtext(f"{SITEMAP}loc") for s in index.findall(f"{SITEMAP}sitemap")]
    assert parts == [f"{BASE}sitemap-{n}.xml" for n in range(1, len(parts) + 1)] and len(parts) > 1
    urls = []
    for part in parts:
        urlset = ET.parse(archive / "out" / part.removeprefix(BASE)).getroot()
        assert urlset.tag == f"{SITEMAP}urlset"
        assert len(urlset.findall(f"{SITEMAP}url")) <= 100
        urls += urlset.findall(f"{SITEMAP}url")
    locs = [url.findtext(f"{SITEMAP}loc") for url in urls]
    # Every public page once: each release page, and the first page of each listing (the
    # newsrooms, organisations, years, months, tags and their indexes); not the later pages.
    pages = {BASE + str(page.relative_to(archive / "out")).removesuffix("index.html")
             for lang in ("en", "tr", "kk") for page in (archive / "out" / lang).rglob("*.html")
             if "page" not in page.relative_to(archive / "out").parts}
    assert len(locs) == len(set(locs)) and set(locs) == pages
    assert {f"{BASE}kk/r-07.html", f"{BASE}tr/archive/2023/01.html", f"{BASE}en/org/agency/",
            f"{BASE}en/tags/", f"{BASE}kk/archive/"} <= pages
    # A listing has the alternates its page gives, and no lastmod; a release has its date.
    for url in urls:
        loc = url.findtext(f"{SITEMAP}loc")
        given = {link.get("hreflang"): link.get("href") for link in url.findall("{http://www.w3.org/1999/xhtml}link")}
        if loc.endswith("/") or "/archive/" in loc:
            page = archive / "out" / (loc.removeprefix(BASE) + ("index.html" if loc.endswith("/") else ""))
            head = Page(page.read_text(encoding="utf-8"))
            assert given == {t["hreflang"]: t["href"] for t in head.tags("link") if t.get("hreflang")}, loc
            assert url.findtext(f"{SITEMAP}lastmod") is None
        else:
            assert url.findtext(f"{SITEMAP}lastmod") is not None and set(given) == {"en", "tr", "kk", "x-default"}


def test_a_smaller_archive_drops_its_pages_and_sitemap_parts(tmp_path):
    root = make_archive(tmp_path / "office", count=35)  # 105 release pages and the listings: two sitemaps
    assert run_cli("build", "-C", str(root), "--format", "html", "-q").exit_code == 0
    assert (root / "out/en/page/3.html").is_file() and (root / "out/sitemap-1.xml").is_file()
    for n in range(5, 35):
        (root / f"releases/r-{n:02d}.yaml").unlink()
    result = run_cli("build", "-C", str(root), "--format", "html", "-q")
    assert result.exit_code == 0, result.output
    assert not (root / "out/en/page").exists() or not any((root / "out/en/page").iterdir())
    assert not (root / "out/sitemap-1.xml").exists()
    assert ET.parse(root / "out/sitemap.xml").getroot().tag == f"{SITEMAP}urlset"
    assert listed(root / "out/en/index.html") == [f"r-{n:02d}" for n in reversed(range(5))]


def test_newsroom_settings_are_checked(tmp_path):
    root = copy_project("minimal", tmp_path / "office")
    with (root / "pressgen.yaml").open("a", encoding="utf-8") as config:
        config.write("newsroom:\n  page_size: 0\n  sitemap_size: 60000\n")
    result = run_cli("build", "-C", str(root))
    assert result.exit_code == 1
    lines = (root / "pressgen.yaml").read_text().count("\n")
    assert result.stderr.splitlines()[:2] == [
        f"pressgen.yaml:{lines - 1}: 'page_size' must be a whole number from 1 to 1,000, got '0'",
        f"pressgen.yaml:{lines}: 'sitemap_size' must be a whole number from 1 to 50,000, got '60000'",
    ]
    assert not (root / "out").exists()


def test_feeds_made_from_the_cache_keep_every_entry_body(tmp_path):
    root = make_archive(tmp_path / "office", count=8)
    assert run_cli("build", "-C", str(root), "--format", "html", "-q").exit_code == 0
    # cache.json, which every build reads whole, holds no release's body.
    assert "The first paragraph." not in (root / ".pressgen/cache.json").read_text(encoding="utf-8")
    # The newest release goes: the feed is made again from what the cache keeps of the others.
    (root / "releases/r-07.yaml").unlink()
    result = run_cli("build", "-C", str(root), "--format", "html")
    assert result.exit_code == 0, result.output
    assert "0 rendered" in result.output
    entries = ET.parse(root / "out/kk/feed.xml").getroot().findall(f"{ATOM}entry")
    assert len(entries) == 5
    assert {e.findtext(f"{ATOM}content") for e in entries} == {
        "<p>Бірінші абзац.</p><p>«Біз дайынбыз» — Айше Йылмаз, директор</p><p>Соңғы абзац.</p>"}


CARD = """<li class="card" lang="{{ lang }}"><a href="{{ up }}{{ entry.id }}.html">{{ entry.headline }}</a>
{{ organisations[entry.organisation].short_name }}</li>
"""


def test_an_offices_own_entry_card_is_on_every_listing_page_with_links_that_hold(tmp_path):
    # Each card is rendered once for all pages at the same depth: from the newsroom's first
    # page (out/<lang>/) to an organisation's second page three folders down, its link still
    # leads to its release.
    root = make_archive(tmp_path / "office", count=25)
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/entry.html").write_text(CARD, encoding="utf-8")
    assert run_cli("build", "-C", str(root), "--format", "html", "-q").exit_code == 0
    out = root / "out/kk"
    ids = [f"r-{n:02d}" for n in reversed(range(25))]
    office = [f"r-{n:02d}" for n in reversed(range(25)) if organisation(n) == "office"]
    pages = {"index.html": ids[:10], "page/3.html": ids[20:], "org/office/index.html": office[:10],
             "org/office/page/2.html": office[10:], "archive/2023/01.html": ["r-02", "r-01", "r-00"]}
    for path, ids in pages.items():
        page = Page((out / path).read_text(encoding="utf-8"))
        cards = [li for li in page.tags("li") if li.get("class") == "card"]
        assert [li["lang"] for li in cards] == ["kk"] * len(ids), path
        hrefs = [a["href"] for a in page.tags("a") if a["href"].rsplit("/", 1)[-1].startswith("r-")]
        assert [href.rsplit("/", 1)[-1].removesuffix(".html") for href in hrefs] == ids, path
        assert all((out / path).parent.joinpath(href).resolve() == (out / href.rsplit("/", 1)[-1]).resolve()
                   for href in hrefs), path
    assert "· АА</li>" not in (out / "index.html").read_text(encoding="utf-8")  # the text as the card has it
    assert "\nАА</li>" in (out / "org/agency/index.html").read_text(encoding="utf-8")


def test_an_entry_card_that_reads_the_page_is_named_at_its_line(tmp_path):
    # A card is shared by pages, so it sees the entry and not the page it is on.
    root = make_archive(tmp_path / "office", count=3)
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/entry.html").write_text(CARD.replace("</li>", "{{ listing.page }}</li>"),
                                                        encoding="utf-8")
    # `pressgen check` finds it too, before a build does (it said "No problems found").
    for command in ("check", "build"):
        result = run_cli(command, "-C", str(root), *(("--format", "html", "-q") if command == "build" else ()))
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0] == "templates/partials/entry.html:2: template error: 'listing' is undefined"
        assert "Traceback" not in result.output + result.stderr


def test_a_syntax_error_in_an_entry_card_is_named_at_its_line(tmp_path):
    root = make_archive(tmp_path / "office", count=3)
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/entry.html").write_text(CARD.replace("</li>", "{% if up %}</li>"), encoding="utf-8")
    for command in ("check", "build"):
        result = run_cli(command, "-C", str(root))
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0].startswith(
            "templates/partials/entry.html:2: template error: Unexpected end of template."), result.stderr


def test_check_finds_an_error_of_the_newsroom_page_or_the_root_page(tmp_path):
    root = make_archive(tmp_path / "office", count=3)
    (root / "templates").mkdir(exist_ok=True)
    for template in ("index.html", "root.html"):
        (root / "templates" / template).write_text("<html>{{ languages|length + 'x' }}</html>\n", encoding="utf-8")
        result = run_cli("check", "-C", str(root))
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == \
            f"templates/{template}:1: template error: unsupported operand type(s) for +: 'int' and 'str'"
        (root / "templates" / template).unlink()
    assert run_cli("check", "-C", str(root)).exit_code == 0


def test_an_offices_own_search_box_is_on_every_listing_page_and_reads_no_page(tmp_path):
    # Like a card, the search box is rendered once for all pages at one depth: its scripts are
    # found from each page, and it sees the language and the way to out/, not the page.
    root = make_archive(tmp_path / "office", count=25)
    (root / "templates/partials").mkdir(parents=True)
    box = "<p class=\"box\" lang=\"{{ lang }}\" data-scripts=\"{{ root }}pagefind/\">{{ _('Search press releases') }}</p>\n"
    (root / "templates/partials/search.html").write_text(box, encoding="utf-8")
    assert run_cli("build", "-C", str(root), "--format", "html", "-q").exit_code == 0
    out = root / "out/tr"
    for path in ("index.html", "page/2.html", "org/office/index.html", "org/office/page/2.html", "archive/index.html",
                 "archive/2023/01.html"):
        boxes = [p for p in Page((out / path).read_text(encoding="utf-8")).tags("p") if p.get("class") == "box"]
        assert [b["lang"] for b in boxes] == ["tr"], path
        assert (out / path).parent.joinpath(boxes[0]["data-scripts"]).resolve() == (root / "out/pagefind"), path
    (root / "templates/partials/search.html").write_text(box.replace("</p>", "{{ heading }}</p>"), encoding="utf-8")
    result = run_cli("build", "-C", str(root), "--format", "html", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == "templates/partials/search.html:1: template error: 'heading' is undefined"


@pytest.mark.parametrize("card, extra", [
    ('<li><a href="{{ up }}{{ entry.id }}.html">{% if up %}deeper{% else %}the top{% endif %}</a></li>\n', None),
    # Its output captured, then tested (found by a new user's trial).
    ('{% set back %}{{ up }}{% endset %}<li><a href="{{ up }}{{ entry.id }}.html">'
     '{% if back %}deeper{% else %}the top{% endif %}</a></li>\n', None),
    # Tested in a template it includes, which the card's own syntax tree does not show.
    ('<li><a href="{{ up }}{{ entry.id }}.html">{% include "partials/where.html" %}</a></li>\n',
     "{% if up %}deeper{% else %}the top{% endif %}"),
    # Printed in a block that the card renders again through self (a second trial's finding).
    ('<li><a href="{% block where %}{{ up }}{% endblock %}{{ entry.id }}.html">'
     '{% if self.where() %}deeper{% else %}the top{% endif %}</a></li>\n', None),
], ids=["if", "set-block", "include", "block"])
def test_a_card_that_uses_up_otherwise_than_printing_it_is_made_for_each_depth(tmp_path, card, extra):
    """The bundled card prints ``up`` only, so it is made once for every depth, the way back
    put in after (site.ListingParts). A project's own card may test it: then each depth has
    its own, as the template says."""
    root = make_archive(tmp_path / "office", 3)
    partials = root / "templates/partials"
    partials.mkdir(parents=True, exist_ok=True)
    (partials / "entry.html").write_text(card, encoding="utf-8")
    if extra:
        (partials / "where.html").write_text(extra, encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0, result.output
    top = Page((root / "out/en/index.html").read_text(encoding="utf-8"))
    month = release_date(0)
    deeper = Page((root / f"out/en/archive/{month.year}/{month.month:02d}.html").read_text(encoding="utf-8"))
    assert [(href, text) for href, text, _ in top.links() if href.startswith("r-")][:1] == [("r-02.html", "the top")]
    assert [(href, text) for href, text, _ in deeper.links() if "r-0" in href][:1] == [("../../r-02.html", "deeper")]


def test_a_card_whose_code_fails_as_it_runs_is_named_at_its_line(tmp_path):
    """A mistake only running the card shows (Python's own TypeError, which Jinja passes on):
    its file and line, no traceback (a new user's trial)."""
    root = make_archive(tmp_path / "office", 3)
    card = root / "templates/partials/entry.html"
    card.parent.mkdir(parents=True, exist_ok=True)
    card.write_text("<li>{{ entry.id + 1 }}</li>\n", encoding="utf-8")
    result = run_cli("build", "-C", str(root), "--format", "html", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        'templates/partials/entry.html:1: template error: can only concatenate str (not "int") to str')
