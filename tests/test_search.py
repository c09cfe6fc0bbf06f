"""The newsroom's search: a Pagefind index of the public pages, searched in Chromium over http."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import http.server
import json
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

from conftest import edit, run_cli
from pressgen.cache import out_digest

AGREEMENT, MEETING = "turksoy-isesco-agreement", "ashimbayev-raev-meeting"


def indexed(out: Path) -> set[str]:
    """The URLs in the index, read from its fragments (gzip: a signature, then JSON)."""
    return {json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for f in (out / "pagefind").glob("*/*/fragment/*.pf_fragment")}


@contextlib.contextmanager
def served(folder: Path):
    """``folder`` served over http on 127.0.0.1 (Pagefind's script loads its index with fetch)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def searcher(browser, site: str):
    """search(lang, query) -> (the message, the results' links), typed into the box of <lang>/index.html."""
    pages = {}

    def search(lang: str, query: str) -> tuple[str, list[str]]:
        if lang not in pages:
            pages[lang] = browser.new_page()
            pages[lang].goto(f"{site}/{lang}/index.html")
        page = pages[lang]
        page.fill("#search input", query)
        # The UI waits for typing to stop, then says what it found and shows the results one by
        # one: done when its message names this query with a count, and that many are shown. The
        # query as a whole word: the last message, for 'елдерінің', names 'елдер' too.
        page.wait_for_function("""(q) => {
            const m = document.querySelector('.pagefind-ui__message');
            const t = m ? m.textContent : '';
            let at = t.indexOf(q), whole = false;
            while (at >= 0 && !whole) {
                whole = !/\\p{L}/u.test(t[at - 1] || ' ') && !/\\p{L}/u.test(t[at + q.length] || ' ');
                at = t.indexOf(q, at + 1);
            }
            if (!whole || t.includes('…')) return false;
            const count = Number((m.textContent.replace(q, '').match(/\\d+/) || ['0'])[0]);
            return document.querySelectorAll('.pagefind-ui__result-link').length === count }""", arg=query)
        links = page.eval_on_selector_all(".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))")
        return page.inner_text(".pagefind-ui__message"), links

    search.page = lambda lang: pages[lang]
    search.close = lambda: [page.close() for page in pages.values()]
    return search


@pytest.fixture(scope="module")
def newsroom(built_office, browser):
    """search(lang, query) in the built office's newsroom pages (searcher)."""
    with served(built_office / "out") as site:
        search = searcher(browser, site)
        yield search
        search.close()


@pytest.mark.parametrize("query", [
    "Kırgızistan", "kirgizistan", "KIRGIZISTAN",  # ı typed as ı, as i, and as I in capitals
    "İslam", "islam", "ISLAM",  # İ typed as İ, as i, and as I
    "kırgızistanlı", "anlaşmaları", "imzalanan",  # forms that are not in the text
])
def test_a_turkish_query_finds_its_release_however_its_is_are_typed(newsroom, query):
    message, links = newsroom("tr", query)
    assert links == [f"/tr/{AGREEMENT}.html"]
    assert message == f"{query} için 1 bülten bulundu"


@pytest.mark.parametrize("query, release", [
    ("Сенатта", MEETING), ("сенатпен", MEETING), ("ӘШІМБАЕВПЕН", MEETING),  # Kazakh letters, case endings
    ("келісімнің", AGREEMENT), ("ИСЕСКО-мен", AGREEMENT),
])
def test_a_kazakh_query_finds_its_release_in_an_inflected_form(newsroom, query, release):
    message, links = newsroom("kk", query)
    assert links == [f"/kk/{release}.html"]
    assert message == f"{query} бойынша 1 релиз табылды"


@pytest.mark.parametrize("lang, query, message", [
    ("tr", "келісім", "келісім için bülten bulunamadı"),
    ("kk", "Senato", "Senato бойынша релиз табылмады"),
    ("en", "Kırgızistan", "No release found for Kırgızistan"),
])
def test_a_query_finds_only_pages_of_the_pages_language(newsroom, lang, query, message):
    assert newsroom(lang, query) == (message, [])


def test_results_show_the_headline_and_standfirst_as_written(newsroom):
    newsroom("tr", "kirgizistan")
    page = newsroom.page("tr")
    assert page.inner_text(".pagefind-ui__result-link") == "TÜRKSOY ile ISESCO arasında iş birliği anlaşması"
    # The index reads ı as i; what the reader sees keeps its ı's.
    assert page.inner_text(".pagefind-ui__result-excerpt").startswith(
        "TÜRKSOY Genel Sekreteri Düsen Kaseinov, teşkilatın gelecek yıl Nevruz kutlamalarını")
    assert page.get_attribute("#search input", "placeholder") == "Basın bültenlerinde ara"


def test_the_search_box_shows_over_http_and_is_hidden_from_file_urls(newsroom, built_office, browser):
    """Opened from file://, Pagefind cannot fetch the index: a trial's newsroom showed the box's
    label over nothing. Served, the label and the box show."""
    newsroom("tr", "kirgizistan")
    assert newsroom.page("tr").is_visible("#search-label")
    page = browser.new_page()
    try:
        page.goto((built_office / "out/tr/index.html").as_uri())
        page.wait_for_timeout(300)
        assert page.is_hidden(".search") and page.is_hidden("#search-label")
        assert page.inner_text("h1") == "Basın bültenleri"
    finally:
        page.close()


def test_the_search_box_with_results_is_axe_clean(newsroom):
    import axe_playwright_python

    newsroom("kk", "келісім")
    page = newsroom.page("kk")
    page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
    result = page.evaluate("async () => await axe.run(document, "
                           "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})")
    assert [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]] == []


def test_only_public_pages_are_indexed(office):
    # Withdrawn, embargoed until later, and not yet translated (built as drafts): none searchable.
    edit(office / f"releases/{MEETING}.yaml", "tags:", "withdrawn: 2022-06-01\ntags:", 1)
    record = (office / f"releases/{AGREEMENT}.yaml").read_text(encoding="utf-8")
    (office / "releases/new-agreement.yaml").write_text(record, encoding="utf-8")
    (office / "releases/later-agreement.yaml").write_text(record + "embargo: 2099-01-01 09:00 Asia/Baku\n",
                                                         encoding="utf-8")
    result = run_cli("build", "--project", str(office), "--format", "html", "--drafts")
    assert (office / "out/tr/new-agreement.html").is_file()  # a draft, in out/ but not listed
    assert indexed(office / "out") == {f"/{lang}/{AGREEMENT}.html" for lang in ("en", "tr", "kk")} | {
        "/en/new-agreement.html"}, result.output


def test_the_index_is_made_again_only_when_a_listed_page_changed(office):
    out = office / "out"
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    made = {lang: (out / "pagefind" / lang / "all").stat().st_ino for lang in ("en", "tr", "kk")}
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    # A no-op rebuild leaves the index alone.
    assert {lang: (out / "pagefind" / lang / "all").stat().st_ino for lang in made} == made
    (out / ".pagefind-new-x7k2").mkdir()  # what a build killed while indexing leaves
    edit(office / "locales/kk/releases/ashimbayev-raev-meeting.po", "Сенат Төрағасы", "Сенат төрағасы", 1)
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    # Only the Kazakh index is made again: the other languages' pages did not change.
    assert {lang: (out / "pagefind" / lang / "all").stat().st_ino == made[lang] for lang in made} == {
        "en": True, "tr": True, "kk": False}
    assert not list(out.glob(".pagefind-*"))


def test_a_failed_index_leaves_the_previous_one_whole(office):
    out = office / "out"
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    before = {p: p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}
    # A change that makes the index be made again (its date, which every version's page shows: a
    # comment changes none of them), and a page it cannot lay out for Pagefind.
    edit(office / f"releases/{AGREEMENT}.yaml", "date: 2011-04-08", "date: 2011-04-09")
    [pages] = (office / ".pressgen").glob("search-pages-*")
    blocked = pages / f"tr/all/tr/{AGREEMENT}.html"
    blocked.unlink()
    blocked.mkdir()
    result = run_cli("build", "--project", str(office), "--format", "html")
    assert result.exit_code == 1
    assert (f"out/pagefind: the search index was not updated ([Errno 21] Is a directory: '{blocked}'); "
            "the previous one stays online, run the build again") in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert {p: p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()} == before
    assert not list(out.glob(".pagefind-*"))


def test_a_kazakh_stem_that_changes_its_last_letter_is_not_found_as_documented(newsroom):
    # No Kazakh stemmer (README, Search): ынтымақтастығы (ғ) finds only the page with that form.
    assert newsroom("kk", "ынтымақтастығы")[1] == [f"/kk/{MEETING}.html"]
    assert sorted(newsroom("kk", "ынтымақтастық")[1]) == [f"/kk/{MEETING}.html", f"/kk/{AGREEMENT}.html"]


def test_a_kazakh_form_one_release_holds_finds_that_release_only_as_documented(newsroom):
    # The meeting says елдерінің, the agreement елдер, елдері and елдердің: Pagefind looks a word
    # up by its longest beginning it holds only when it does not hold the whole word (README, Search).
    assert newsroom("kk", "елдерінің")[1] == [f"/kk/{MEETING}.html"]
    assert sorted(newsroom("kk", "елдер")[1]) == [f"/kk/{MEETING}.html", f"/kk/{AGREEMENT}.html"]


def test_the_same_pages_give_the_same_index_bytes(office):
    # Pagefind orders languages as a hash map does, anew in each run; three runs of three languages.
    made = []
    for _ in range(3):
        shutil.rmtree(office / "out", ignore_errors=True)
        shutil.rmtree(office / ".pressgen", ignore_errors=True)
        assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
        made.append({p.relative_to(office / "out"): p.read_bytes() for p in (office / "out/pagefind").rglob("*")
                     if p.is_file()})
    assert made[0] == made[1] == made[2]


# Year shards: SHARD_ABOVE is 500 pages a language; at 0, the office's two releases (2011 and
# 2022) go to two shards in each language, as a large archive's years do.

def shard_files(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of out/pagefind/ by its path there: its modification time and bytes."""
    folder = out / "pagefind"
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.rglob("*")
            if p.is_file()}


@pytest.fixture
def by_year(office, monkeypatch):
    """The office, its search index in year shards."""
    from pressgen import search

    monkeypatch.setattr(search, "SHARD_ABOVE", 0)
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    return office


def test_a_query_finds_releases_in_the_newest_shard_and_in_older_ones(by_year, browser):
    out = by_year / "out"
    assert json.loads((out / "pagefind/shards.json").read_text(encoding="utf-8")) == {
        lang: [f"{lang}/2022/", f"{lang}/2011/"] for lang in ("en", "kk", "tr")}
    # Pagefind's worker and WebAssembly only where the UI starts: the newest shard of each language.
    assert sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").glob("*/*/*.*")
                  if p.suffix in (".js", ".pagefind")) == [
        "en/2022/pagefind-worker.js", "en/2022/wasm.en.pagefind", "kk/2022/pagefind-worker.js",
        "kk/2022/wasm.unknown.pagefind", "tr/2022/pagefind-worker.js", "tr/2022/wasm.tr.pagefind"]
    with served(out) as site:
        search = searcher(browser, site)
        # The newest shard (the UI's own), an older one (merged into it), and both at once.
        assert search("kk", "Сенатта") == ("Сенатта бойынша 1 релиз табылды", [f"/kk/{MEETING}.html"])
        assert search("tr", "kirgizistan") == ("kirgizistan için 1 bülten bulundu", [f"/tr/{AGREEMENT}.html"])
        message, links = search("kk", "ТҮРКСОЙ")
        assert (message, sorted(links)) == ("ТҮРКСОЙ бойынша 2 релиз табылды",
                                            [f"/kk/{MEETING}.html", f"/kk/{AGREEMENT}.html"])
        search.close()


def test_more_shards_than_twice_the_cores_each_run_on_a_core_of_their_own(office, monkeypatch):
    """A cold build of a large archive: as many Pagefinds at once as there are cores, each
    thread's on its core (search._Cores); a few shards run all at once, free."""
    from pressgen import search

    monkeypatch.setattr(search, "SHARD_ABOVE", 0)  # six shards: two years in each language
    held: list[int] = []
    hold = search._Cores.hold
    monkeypatch.setattr(search._Cores, "hold", lambda self: (held.append(threading.get_ident()), hold(self)))
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    cores = len(search.usable_cores())
    assert len(held) == (6 if 6 > 2 * cores else 0)
    assert len(set(held)) <= cores  # the pool's threads, one per core
    assert json.loads((office / "out/pagefind/shards.json").read_text(encoding="utf-8")) == {
        lang: [f"{lang}/2022/", f"{lang}/2011/"] for lang in ("en", "kk", "tr")}


def laid_out(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """The pages as laid out for Pagefind (.pressgen/search-pages-<out>/<shard>/<lang>/<id>.html):
    each one's inode, modification time and bytes."""
    [folder] = (root / ".pressgen").glob("search-pages-*")
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in folder.rglob("*.html")}


def test_an_edited_release_remakes_only_its_own_shard(by_year):
    out = by_year / "out"
    before, pages = shard_files(out), laid_out(by_year)
    assert sorted(pages) == sorted(f"{lang}/{year}/{lang}/{release}.html" for lang in ("en", "tr", "kk")
                                   for year, release in (("2011", AGREEMENT), ("2022", MEETING)))
    edit(by_year / "locales/kk/releases/ashimbayev-raev-meeting.po", "Сенат Төрағасы", "Сенат төрағасы", 1)
    assert run_cli("build", "--project", str(by_year), "--format", "html").exit_code == 0
    after = shard_files(out)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed and {path.rsplit("/", 1)[0].split("/")[:2] == ["kk", "2022"] for path in changed} == {True}
    assert any(path.endswith(".pf_fragment") for path in changed)
    # Of the pages laid out for Pagefind, only the edited one was written again.
    now = laid_out(by_year)
    assert [rel for rel in pages if now[rel] != pages[rel]] == [f"kk/2022/kk/{MEETING}.html"]
    assert "Сенат төрағасы" in now[f"kk/2022/kk/{MEETING}.html"][2].decode("utf-8")


def test_a_page_laid_out_for_pagefind_and_cut_short_is_laid_out_again(by_year):
    """A build killed while it wrote a page for Pagefind leaves it cut short: the next index
    of its shard reads it whole again."""
    from pressgen.search import indexed_document

    [folder] = (by_year / ".pressgen").glob("search-pages-*")
    page = folder / f"tr/2011/tr/{AGREEMENT}.html"
    page.write_bytes(page.read_bytes()[:100])
    (folder / "tr/2011/tr/left-over.html").write_text("<html lang=tr><body data-pagefind-body>x</body></html>")
    edit(by_year / f"locales/tr/releases/{AGREEMENT}.po", "Törene, aralarında", "Törene aralarında", 1)
    assert run_cli("build", "--project", str(by_year), "--format", "html").exit_code == 0
    assert page.read_text(encoding="utf-8") == indexed_document(
        (by_year / f"out/tr/{AGREEMENT}.html").read_text(encoding="utf-8"))
    assert not (folder / "tr/2011/tr/left-over.html").exists()
    assert indexed(by_year / "out") == {f"/{lang}/{release}.html" for lang in ("en", "tr", "kk")
                                        for release in (AGREEMENT, MEETING)}


def test_a_page_a_killed_build_was_laying_out_is_laid_out_again_though_its_size_is_the_same(by_year):
    """A build takes a page out of its shard's record (.laid-out.json) before it writes it: one
    killed between the two leaves a page the record does not vouch for, even one whose new text
    has the old one's size, and the next index writes it again from its page in out/."""
    from pressgen.search import LAID_OUT, indexed_document

    [folder] = (by_year / ".pressgen").glob("search-pages-*")
    page, record = folder / f"kk/2022/kk/{MEETING}.html", folder / "kk/2022" / LAID_OUT
    said = json.loads(record.read_text(encoding="utf-8"))
    assert f"kk/{MEETING}.html" in said["pages"]
    del said["pages"][f"kk/{MEETING}.html"]
    record.write_text(json.dumps(said), encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8").replace("Сенат Төрағасы", "Сенат төрағасы"), encoding="utf-8")
    # Its shard is made again (the index was deleted), its page unchanged in out/.
    shutil.rmtree(by_year / "out/pagefind")
    assert run_cli("build", "--project", str(by_year), "--format", "html").exit_code == 0
    assert page.read_text(encoding="utf-8") == indexed_document(
        (by_year / f"out/kk/{MEETING}.html").read_text(encoding="utf-8"))
    assert f"kk/{MEETING}.html" in json.loads(record.read_text(encoding="utf-8"))["pages"]


def test_what_a_killed_build_laid_out_early_is_never_indexed(by_year):
    """The plan lays out each page it renders (search.EarlyPages, .pressgen/search-pages-…/.early/):
    a build killed after that leaves pages no later build knows the making of, even at the path of
    a page it lays out: they are removed before the plan starts, never moved into a shard."""
    from pressgen.search import EARLY, indexed_document

    [folder] = (by_year / ".pressgen").glob("search-pages-*")
    left = folder / EARLY / f"kk/{MEETING}.html"
    left.parent.mkdir(parents=True)
    left.write_text('<html lang="kk"><body><h1 data-pagefind-body>Қалдық</h1></body></html>', encoding="utf-8")
    edit(by_year / "locales/kk/releases/ashimbayev-raev-meeting.po", "Сенат Төрағасы", "Сенат төрағасы", 1)
    assert run_cli("build", "--project", str(by_year), "--format", "html").exit_code == 0
    page = folder / f"kk/2022/kk/{MEETING}.html"
    assert page.read_text(encoding="utf-8") == indexed_document(
        (by_year / f"out/kk/{MEETING}.html").read_text(encoding="utf-8"))
    assert "Сенат төрағасы" in page.read_text(encoding="utf-8")
    assert not (folder / EARLY).exists()


def test_a_deleted_release_leaves_search_and_so_does_its_emptied_shard(by_year, browser):
    out = by_year / "out"
    (by_year / f"releases/{MEETING}.yaml").unlink()
    for catalog in by_year.glob(f"locales/*/releases/{MEETING}.po"):
        catalog.unlink()
    result = run_cli("build", "--project", str(by_year), "--format", "html")
    assert result.exit_code == 0, result.output
    assert indexed(out) == {f"/{lang}/{AGREEMENT}.html" for lang in ("en", "tr", "kk")}
    assert sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").glob("*/*")) == [
        "en/2011", "kk/2011", "tr/2011"]
    assert json.loads((out / "pagefind/shards.json").read_text(encoding="utf-8")) == {
        lang: [f"{lang}/2011/"] for lang in ("en", "kk", "tr")}
    assert sorted(laid_out(by_year)) == [f"{lang}/2011/{lang}/{AGREEMENT}.html" for lang in ("en", "kk", "tr")]
    # The shard left is the newest now: the UI starts from it, with its own WebAssembly.
    with served(out) as site:
        search = searcher(browser, site)
        assert search("kk", "ТҮРКСОЙ") == ("ТҮРКСОЙ бойынша 1 релиз табылды", [f"/kk/{AGREEMENT}.html"])
        search.close()


def test_what_is_kept_for_a_deleted_output_folder_goes_with_it(office, tmp_path):
    """A one-off build into another folder (-o) lays out its own pages for Pagefind and keeps
    its own listings and remembered newsroom; once that folder is deleted, the next build
    removes them (at 1,000 releases × 3: 16 MB of pages, 1.3 MB of listings, 1.6 MB remembered)."""
    other = tmp_path / "preview"
    for args in ((), ("-o", str(other))):
        assert run_cli("build", "--project", str(office), "--format", "html", *args).exit_code == 0
    kept = [".pressgen/search-pages-{}", ".pressgen/cache-parts/listings-{}", ".pressgen/cache-parts/newsroom-{}"]
    assert all((office / name.format(out_digest(str(other)))).is_dir() for name in kept)
    shutil.rmtree(other)
    edit(office / "locales/kk/releases/ashimbayev-raev-meeting.po", "Сенат Төрағасы", "Сенат төрағасы", 1)
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    assert sorted(path.relative_to(office).as_posix() for pattern in ("search-pages-*", "cache-parts/*-*")
                  for path in (office / ".pressgen").glob(pattern) if path.is_dir()) == sorted(
        name.format(out_digest("out")) for name in kept)


def test_an_index_made_without_a_project_lays_its_pages_out_in_its_staging_folder(office, tmp_path):
    """update_index with a cache kept in memory (the bench's fresh index, no project to keep
    the laid-out pages in): they go with the staging folder."""
    import datetime as dt

    from pressgen.cache import BuildCache
    from pressgen.search import update_index

    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    out = tmp_path / "out"
    shutil.copytree(office / "out", out)
    shutil.rmtree(out / "pagefind")
    pages = {f"{lang}/{release}.html": dt.date(2011, 4, 8) for lang in ("en", "tr", "kk")
             for release in (AGREEMENT, MEETING)}
    assert update_index(out, BuildCache.in_memory(), pages)
    assert indexed(out) == {f"/{rel}" for rel in pages}
    assert not list(out.glob(".pagefind-*"))


def test_a_language_grown_past_the_limit_moves_to_year_shards(office, monkeypatch):
    from pressgen import search

    out = office / "out"
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    assert sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").glob("*/*")) == [
        "en/all", "kk/all", "tr/all"]
    monkeypatch.setattr(search, "SHARD_ABOVE", 1)  # as if each language now had more releases than the limit
    for stamp in (office / ".pressgen").glob("stamp-*"):
        stamp.unlink()  # a limit changed in the code, which the last build's stamp cannot know of
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    assert sorted(p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").glob("*/*")) == [
        "en/2011", "en/2022", "kk/2011", "kk/2022", "tr/2011", "tr/2022"]
    assert indexed(out) == {f"/{lang}/{release}.html" for lang in ("en", "tr", "kk") for release in (AGREEMENT, MEETING)}


def test_an_index_started_in_the_background_is_put_in_place_only_when_finished(office):
    # The build starts Pagefind on the release pages, makes the newsroom meanwhile, then
    # finishes the index; a build that fails in between discards it.
    from pressgen.cache import BuildCache
    from pressgen.search import CACHE_ENTRY, start_index

    out = office / "out"
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    before = shard_files(out)
    pages = {f"{lang}/{release}.html": date for lang in ("en", "tr", "kk")
             for release, date in ((AGREEMENT, dt.date(2011, 4, 8)), (MEETING, dt.date(2022, 6, 27)))}
    cache = BuildCache.load(office, out)
    del cache.outputs[CACHE_ENTRY]  # as if every page had changed
    started = start_index(out, cache, pages)
    assert len(list(out.glob(".pagefind-new-*"))) == 1 and shard_files(out) == before
    started.discard()
    assert not list(out.glob(".pagefind-*")) and shard_files(out) == before and CACHE_ENTRY not in cache.outputs
    assert start_index(out, cache, pages).finish() is True
    assert not list(out.glob(".pagefind-*")) and set(cache.outputs[CACHE_ENTRY]["shards"]) == {
        "en/all", "tr/all", "kk/all"}
    assert indexed(out) == {f"/{lang}/{release}.html" for lang in ("en", "tr", "kk") for release in (AGREEMENT, MEETING)}
    # Nothing changed since: nothing to start, nothing made.
    assert start_index(out, cache, pages).finish() is False


@pytest.mark.skipif(len(getattr(os, "sched_getaffinity", lambda _: ())(0)) < 2, reason="one core, or not Linux")
def test_with_many_shards_each_pagefind_runs_on_its_threads_core():
    """A cold build of a large archive runs Pagefind on one core per pool thread (search._Cores):
    what a thread starts is held to that core, and the pool's threads have different ones."""
    import subprocess
    from concurrent.futures import ThreadPoolExecutor

    from pressgen.search import _Cores, usable_cores

    cores = _Cores(usable_cores())
    probe = [sys.executable, "-c", "import os; print(sorted(os.sched_getaffinity(0)))"]
    both = threading.Barrier(2)  # each item on a thread of its own

    def affinity(_):
        both.wait(timeout=30)
        found = []
        for _ in range(2):
            cores.hold()
            found.append(subprocess.run(probe, capture_output=True, text=True, check=True).stdout.strip())
        return found

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(affinity, range(2))
    assert first[0] == first[1] and second[0] == second[1]  # a thread keeps its core
    assert {first[0], second[0]} == {f"[{core}]" for core in usable_cores()[:2]}
    # The build's own thread is never held.
    assert sorted(os.sched_getaffinity(0)) == usable_cores()


def test_a_core_refused_leaves_pagefind_free(monkeypatch):
    """Where setting a thread's core is refused (a sandbox), Pagefind runs as it would, on any core."""
    from pressgen import search

    def refused(pid, cores):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(search.os, "sched_setaffinity", refused)
    cores = search._Cores([0, 1])
    cores.hold()
    assert sorted(os.sched_getaffinity(0)) == search.usable_cores()


def test_an_empty_newsroom_loads_nothing_that_is_not_there(office, browser):
    """A trial: with every release deleted, the newsroom still loaded Pagefind's script, style and
    shards.json, which no build made (no pages, no index): three requests failed in a browser."""
    assert run_cli("build", "--project", str(office), "--format", "html").exit_code == 0
    for record in office.glob("releases/*.yaml"):
        record.unlink()
    for catalog in office.glob("locales/*/releases/*.po"):
        catalog.unlink()
    result = run_cli("build", "--project", str(office), "--format", "html")
    assert result.exit_code == 0, result.output
    assert not (office / "out/pagefind").exists()
    with served(office / "out") as site:
        page = browser.new_page()
        failed, errors = [], []
        page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        for lang, nothing in (("en", "No releases yet."), ("tr", "Henüz bülten yok."), ("kk", None)):
            page.goto(f"{site}/{lang}/index.html", wait_until="networkidle")
            if nothing:
                assert nothing in page.inner_text("main"), lang
        page.close()
    assert failed == [] and errors == []
