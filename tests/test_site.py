"""Newsroom outputs read as their readers would: indexes, feeds, JSON-LD, sitemap, embargo."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import run_cli
from htmlread import Page
from pdfread import pdf_text

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://press.turksoy.example/"


def jsonld(path: Path) -> dict | None:
    html = path.read_text(encoding="utf-8")
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found[0]) if found else None


def feed(path: Path) -> list[dict]:
    root = ET.parse(path).getroot()
    return [{"id": e.findtext(f"{ATOM}id"), "title": e.findtext(f"{ATOM}title"),
             "published": e.findtext(f"{ATOM}published")} for e in root.findall(f"{ATOM}entry")]


@pytest.mark.parametrize("lang, first, second", [
    ("en", "Senate Speaker Maulen Ashimbayev", "Cooperation agreement between"),
    ("tr", "Senato Başkanı Maulen Aşimbayev", "TÜRKSOY ile ISESCO"),
    ("kk", "Сенат Төрағасы Мәулен Әшімбаев", "ТҮРКСОЙ мен ИСЕСКО")])
def test_index_per_language_newest_first(built_office, lang, first, second):
    page = Page((built_office / f"out/{lang}/index.html").read_text(encoding="utf-8"))
    assert page.tags("html")[0]["lang"] == lang
    links = [a["href"] for a in page.tags("a") if a["href"].endswith(".html") and "/" not in a["href"]]
    assert links == ["ashimbayev-raev-meeting.html", "turksoy-isesco-agreement.html"]
    assert page.text.index(first) < page.text.index(second)
    # The title names the office, in the page's language.
    office = {"en": "· TÜRKSOY · Kazinform", "tr": "· TÜRKSOY · Kazinform", "kk": "· ТҮРКСОЙ · ҚазАқпарат"}[lang]
    assert office in page.text.split(" English")[0]
    dates = [a["datetime"] for a in page.tags("time")]
    assert dates == ["2022-06-27", "2011-04-08"]


@pytest.mark.parametrize("page", ["index.html", "kk/index.html"])
def test_newsroom_pages_show_the_organisations(built_office, page):
    html = Page((built_office / "out" / page).read_text(encoding="utf-8"))
    logos = [img["src"] for img in html.tags("img")]
    assert [src.rsplit("/", 1)[-1] for src in logos] == ["turksoy-logo.svg", "kazinform-logo.svg"]
    assert all((built_office / "out" / page).parent.joinpath(src).resolve().is_file() for src in logos)
    name = "Халықаралық түркі мәдениеті ұйымы" if page.startswith("kk") else "International Organization of Turkic Culture"
    assert name in html.text


def test_root_page_chooses_a_language(built_office):
    page = Page((built_office / "out/index.html").read_text(encoding="utf-8"))
    assert [(a["href"], a["lang"]) for a in page.tags("a")] == [("en/index.html", "en"), ("tr/index.html", "tr"),
                                                                 ("kk/index.html", "kk")]
    assert "Қазақ тілі" in page.text and "Türkçe" in page.text


@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
def test_atom_feed_per_language(built_office, lang):
    path = built_office / f"out/{lang}/feed.xml"
    root = ET.parse(path).getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    assert root.findtext(f"{ATOM}id") == f"{BASE}{lang}/"
    entries = feed(path)
    assert [e["id"] for e in entries] == [f"{BASE}{lang}/ashimbayev-raev-meeting.html",
                                          f"{BASE}{lang}/turksoy-isesco-agreement.html"]
    # A date without an embargo is published at 12:00 UTC: the same day in every reader's timezone.
    assert root.findtext(f"{ATOM}updated") == entries[0]["published"] == "2022-06-27T12:00:00Z"
    assert entries[1]["title"] == {"en": "Cooperation agreement between TÜRKSOY and ISESCO",
                                   "tr": "TÜRKSOY ile ISESCO arasında iş birliği anlaşması",
                                   "kk": "ТҮРКСОЙ мен ИСЕСКО арасындағы ынтымақтастық туралы келісім"}[lang]


def test_jsonld_newsarticle(built_office):
    article = jsonld(built_office / "out/kk/turksoy-isesco-agreement.html")
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "ТҮРКСОЙ мен ИСЕСКО арасындағы ынтымақтастық туралы келісім"
    assert article["inLanguage"] == "kk"
    assert article["datePublished"] == "2011-04-08"
    assert article["dateline"] == "Баку"
    assert article["translationOfWork"] == {"@id": f"{BASE}en/turksoy-isesco-agreement.html"}
    assert article["publisher"]["name"] == "Халықаралық түркі мәдениеті ұйымы"
    assert article["publisher"]["logo"]["url"] == f"{BASE}assets/turksoy-logo.svg"
    source = jsonld(built_office / "out/en/turksoy-isesco-agreement.html")
    assert "translationOfWork" not in source
    assert {t["@id"] for t in source["workTranslation"]} == {f"{BASE}tr/turksoy-isesco-agreement.html",
                                                             f"{BASE}kk/turksoy-isesco-agreement.html"}


def test_open_graph(built_office):
    page = Page((built_office / "out/tr/ashimbayev-raev-meeting.html").read_text(encoding="utf-8"))
    og = {a["property"]: a["content"] for a in page.tags("meta") if a.get("property", "").startswith("og:")}
    assert og["og:type"] == "article"
    assert og["og:locale"] == "tr_TR"
    assert og["og:url"] == f"{BASE}tr/ashimbayev-raev-meeting.html"
    assert og["og:title"].startswith("Senato Başkanı")



@pytest.mark.parametrize("lang, name", [("en", "Press releases"), ("tr", "Basın bültenleri"), ("kk", "Баспасөз релиздері")])
def test_a_release_page_leads_to_its_newsroom(built_office, lang, name):
    """A journalist who came from a mail's link had no way on from a release without tags."""
    page = built_office / f"out/{lang}/ashimbayev-raev-meeting.html"
    links = [(href, text) for href, text, a in Page(page.read_text(encoding="utf-8")).links() if a.get("class") == "newsroom"]
    assert links == [("index.html", name)]
    assert (page.parent / "index.html").is_file()


def test_sitemap_with_hreflang(built_office):
    root = ET.parse(built_office / "out/sitemap.xml").getroot()
    locs = [u.findtext(f"{SITEMAP}loc") for u in root.findall(f"{SITEMAP}url")]
    assert f"{BASE}kk/turksoy-isesco-agreement.html" in locs and f"{BASE}tr/" in locs
    url = next(u for u in root.findall(f"{SITEMAP}url") if u.findtext(f"{SITEMAP}loc").endswith("kk/turksoy-isesco-agreement.html"))
    links = {link.get("hreflang") for link in url.findall("{http://www.w3.org/1999/xhtml}link")}
    assert links == {"en", "tr", "kk", "x-default"}


def elementtree_sitemap(rows: list[tuple], base: str | None) -> bytes:
    """The sitemap as pressgen 0.5.0 wrote it, a whole ElementTree at once: the streamed one
    (site.sitemap) writes the same bytes."""
    from pressgen.lang import bcp47

    ET.register_namespace("", SITEMAP[1:-1])
    ET.register_namespace("xhtml", "http://www.w3.org/1999/xhtml")
    urlset = ET.Element(f"{SITEMAP}urlset")
    for release_id, lang, lastmod, languages, source in rows:
        url = ET.SubElement(urlset, f"{SITEMAP}url")
        if release_id is None:  # a listing page (in 0.5.0, a language's newsroom only)
            ET.SubElement(url, f"{SITEMAP}loc").text = f"{base}{lang}/{source or ''}"
            for other, path in languages:
                ET.SubElement(url, "{http://www.w3.org/1999/xhtml}link", rel="alternate", hreflang=bcp47(other),
                              href=f"{base}{other}/{path}")
            if languages:
                ET.SubElement(url, "{http://www.w3.org/1999/xhtml}link", rel="alternate", hreflang="x-default",
                              href=base)
            continue
        ET.SubElement(url, f"{SITEMAP}loc").text = f"{base}{lang}/{release_id}.html"
        ET.SubElement(url, f"{SITEMAP}lastmod").text = lastmod
        alternates = [(bcp47(other), other) for other in languages]
        for hreflang, other in alternates + ([("x-default", source)] if source in languages else []):
            ET.SubElement(url, "{http://www.w3.org/1999/xhtml}link", rel="alternate", hreflang=hreflang,
                          href=f"{base}{other}/{release_id}.html")
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("base", [BASE, 'https://x.example/a&b"c<d>\tq/'])
@pytest.mark.parametrize("rows", [
    [],
    [(None, "en", None, (), None)],
    [(None, "en", None, (), None), (None, "kk", None, (), None), ("r-1", "en", "2011-04-08", (), "en"),
     ("r-1", "kk", "2011-04-08", ("en", "kk"), "en"), ("r-2", "tr", "2022-06-27", ("tr", "kk"), "en")],
    [(None, "en", None, (("en", ""), ("kk", "")), ""), (None, "kk", None, (("en", "tags/culture/"),
     ("kk", "tags/mädeniet/")), "tags/mädeniet/"), (None, "en", None, (("en", "archive/2011/04.html"),), "archive/2011/04.html")],
])
def test_the_streamed_sitemap_is_what_elementtree_writes(rows, base):
    from pressgen.render import Urls
    from pressgen.site import sitemap

    assert sitemap(rows, Urls(base)) == elementtree_sitemap(rows, base)


# --- embargo -----------------------------------------------------------------------


def embargo(root: Path, when: str) -> None:
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + f"embargo: {when}\n")


def listed(root: Path) -> dict[str, bool]:
    out = root / "out"
    ids = {
        "index": "hello.html" in (out / "kk/index.html").read_text(encoding="utf-8"),
        "feed": any("hello" in e["id"] for e in feed(out / "kk/feed.xml")),
        "sitemap": "hello.html" in (out / "sitemap.xml").read_text(encoding="utf-8"),
        "jsonld": jsonld(out / "kk/hello.html") is not None,
    }
    return ids


def test_embargoed_release_is_in_nothing_public_until_it_lifts(project):
    root = project("minimal")
    embargo(root, "2030-01-01 09:00 Europe/Istanbul")  # 06:00 UTC
    result = run_cli("build", "--project", str(root), "-o", str(root / "out"), "--format", "html", "--now", "2030-01-01T08:59+03:00")
    assert result.exit_code == 0, result.output
    # The page is built, for journalists, and says so.
    page = (root / "out/kk/hello.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in page
    assert "Эмбарго: 2030" in Page(page).text
    assert listed(root) == {"index": False, "feed": False, "sitemap": False, "jsonld": False}

    # One minute later, in another timezone: the embargo has lifted.
    result = run_cli("build", "--project", str(root), "-o", str(root / "out"), "--format", "html", "--now", "2030-01-01T06:00Z")
    assert listed(root) == {"index": True, "feed": True, "sitemap": True, "jsonld": True}
    assert "noindex" not in (root / "out/kk/hello.html").read_text(encoding="utf-8")


def test_a_build_of_one_release_keeps_the_newsroom_true(built_office, tmp_path):
    """Moving an embargo into the future and building (or mailing) just that release
    takes it out of the newsroom at once; the other releases stay listed."""
    root = tmp_path / "office"
    shutil.copytree(built_office, root)
    record = root / "releases/turksoy-isesco-agreement.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "embargo: 2099-01-01 09:00 Europe/Istanbul\n",
                      encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--release", "turksoy-isesco-agreement", "--format", "html")
    assert result.exit_code == 0, result.output
    index = (root / "out/en/index.html").read_text(encoding="utf-8")
    assert "turksoy-isesco-agreement.html" not in index and "ashimbayev-raev-meeting.html" in index
    assert "turksoy-isesco-agreement" not in (root / "out/sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("selection", [(), ("--release", "turksoy-isesco-agreement")])
def test_a_broken_record_stays_listed_and_the_newsroom_still_follows_the_others(built_office, tmp_path, selection):
    root = tmp_path / "office"
    shutil.copytree(built_office, root)
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0  # the cache knows out/ here
    broken = root / "releases/ashimbayev-raev-meeting.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("style: wire", "style: wiire"), encoding="utf-8")
    record = root / "releases/turksoy-isesco-agreement.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "withdrawn: 2011-05-01\n", encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "html", *selection)
    for lang in ("en", "tr", "kk"):
        index = (root / f"out/{lang}/index.html").read_text(encoding="utf-8")
        assert "turksoy-isesco-agreement.html" not in index, lang  # withdrawn: gone at once
        assert "ashimbayev-raev-meeting.html" in index, lang  # broken: listed as it was
    sitemap = (root / "out/sitemap.xml").read_text(encoding="utf-8")
    assert "turksoy-isesco-agreement" not in sitemap and "ashimbayev-raev-meeting" in sitemap
    assert result.exit_code == (1 if not selection else 0)


# --- withdrawal --------------------------------------------------------------


def test_withdrawn_release_leaves_the_newsroom_and_says_so_everywhere(project):
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    assert listed(root)["index"]
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "withdrawn: 2026-11-20\n")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert listed(root) == {"index": False, "feed": False, "sitemap": False, "jsonld": False}
    notices = {"en": ("WITHDRAWN", "Withdrawn on November 20, 2026. This release is no longer valid"),
               "tr": ("GERİ ÇEKİLDİ", "20 Kasım 2026 tarihinde geri çekildi."),
               "kk": ("ҚАЙТАРЫП АЛЫНДЫ", "Қайтарып алынды (2026 ж. 20 қараша).")}
    for lang, (mark, sentence) in notices.items():
        html = (root / f"out/{lang}/hello.html").read_text(encoding="utf-8")
        assert f"{mark} {sentence}" in Page(html).text
        assert '<meta name="robots" content="noindex">' in html
        assert 'class="immediate"' not in html  # no longer "for immediate release"
        pdf = pdf_text(root / f"out/{lang}/hello.pdf").replace(" ", "")  # the mark is letter-spaced
        assert pdf.count(mark.replace(" ", "")) == pdf.count("\f"), "the mark is on every PDF page"
        item = json.loads((root / f"out/{lang}/hello.json").read_text(encoding="utf-8"))
        assert item["pubStatus"] == "canceled"


def test_a_build_of_one_language_keeps_every_languages_newsroom_true(project):
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "withdrawn: 2026-11-20\n")
    assert run_cli("build", "--project", str(root), "--format", "html", "--lang", "en").exit_code == 0
    assert listed(root) == {"index": False, "feed": False, "sitemap": False, "jsonld": True}  # kk page not rebuilt
    assert "hello.html" not in (root / "out/tr/index.html").read_text(encoding="utf-8")


def test_markup_stays_inert_in_feeds_and_jsonld(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text().replace("headline: Hello from Istanbul",
                                                 "headline: Hello </script><script>alert(1)</script>"))
    assert run_cli("build", "--project", str(root), "--format", "html", "--lang", "en").exit_code == 0
    html = (root / "out/en/hello.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert jsonld(root / "out/en/hello.html")["headline"] == "Hello </script><script>alert(1)</script>"
    assert feed(root / "out/en/feed.xml")[0]["title"] == "Hello </script><script>alert(1)</script>"
    assert "<script>alert" not in (root / "out/en/feed.xml").read_text(encoding="utf-8")


def test_the_index_and_the_title_set_apostrophes_as_the_page_does(project):
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html", "--lang", "tr").exit_code == 0
    index = Page((root / "out/tr/index.html").read_text(encoding="utf-8"))
    page = (root / "out/tr/hello.html").read_text(encoding="utf-8")
    assert "İstanbul’dan merhaba" in index.text and "<title>İstanbul’dan merhaba</title>" in page
    assert "İstanbul'dan merhaba" in feed(root / "out/tr/feed.xml")[0]["title"]  # feeds keep the text as written


def _translate_everything(root: Path, lang: str) -> None:
    """Each message of ``lang``'s catalogs given its English as a stand-in translation, as a
    translator would fill them (Babel's reader and writer, not string edits)."""
    from babel.messages.pofile import read_po, write_po

    for path in [*root.glob(f"locales/{lang}/releases/*.po"), root / f"locales/{lang}/LC_MESSAGES/messages.po"]:
        with path.open("rb") as file:
            catalog = read_po(file, locale=lang)
        for message in catalog:
            if message.id:
                message.string = (message.id if isinstance(message.id, str)
                                  else tuple(message.id[min(n, 1)] for n in range(catalog.num_plurals)))
                message.flags.discard("fuzzy")
        with path.open("wb") as file:
            write_po(file, catalog)


def test_a_language_added_has_a_newsroom_once_a_release_goes_out_in_it(project):
    """A trial added a language to pressgen.yaml: an empty newsroom in it was made at once, linked
    from the root page and every switcher, its labels in English under lang="ru"."""
    root = project("minimal")
    edit = lambda path, old, new: path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")  # noqa: E731
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, ru]")
    assert run_cli("build", "-C", str(root), "--format", "html").exit_code == 0
    assert not (root / "out/ru/index.html").exists() and not (root / "out/ru/feed.xml").exists()
    for page in ("index.html", "en/index.html", "tr/org/office/index.html", "sitemap.xml"):
        assert "ru/" not in (root / "out" / page).read_text("utf-8"), page
    # Its labels wait for a catalog not made yet: said once, not label by label (a trial's).
    said = run_cli("check", "-C", str(root)).stderr
    assert "  locales/ru/LC_MESSAGES/messages.po: catalog missing; run `pressgen catalogs update`" in said, said
    assert "is not in the catalog" not in said, said
    # Its first release translated, it has a newsroom, linked from the others.
    assert run_cli("catalogs", "update", "-C", str(root)).exit_code == 0
    # Its long plural rule, wrapped as pressgen writes it, is read whole (a trial's check said to
    # run `catalogs update`, which wrote it so again).
    checked = run_cli("check", "-C", str(root))
    assert checked.exit_code == 0 and "Plural-Forms" not in checked.output, checked.output
    _translate_everything(root, "ru")
    result = run_cli("build", "-C", str(root), "--format", "html")
    assert result.exit_code == 0, result.output
    assert (root / "out/ru/hello.html").is_file() and (root / "out/ru/index.html").is_file()
    assert 'href="ru/index.html"' in (root / "out/index.html").read_text("utf-8")
    assert 'hreflang="ru"' in (root / "out/en/index.html").read_text("utf-8")
    assert "/ru/" in (root / "out/sitemap.xml").read_text("utf-8")


def test_a_language_code_written_with_an_underscore_is_bcp_47_in_every_attribute(project):
    """gettext's folders are `kk_KZ`, `pt_BR`; hreflang and lang want BCP 47's `kk-KZ`: a trial's
    pages said hreflang="pt_BR" while the sitemap said pt-BR."""
    root = project("minimal")
    shutil.move(root / "locales/kk", root / "locales/kk_KZ")
    text = (root / "pressgen.yaml").read_text(encoding="utf-8").replace("languages: [en, tr, kk]", "languages: [en, tr, kk_KZ]")
    (root / "pressgen.yaml").write_text(text, encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    for page in ("en/hello.html", "kk_KZ/hello.html", "en/index.html", "index.html"):
        html = (root / "out" / page).read_text(encoding="utf-8")
        assert "kk_KZ" not in re.findall(r'(?:hreflang|lang)="([^"]*)"', html), page
        assert 'hreflang="kk-KZ"' in html, page
