"""`pressgen build` on real projects: real HTML, real PDFs read back."""

from __future__ import annotations

import os
import shutil
import re
import stat
from pathlib import Path

import pytest

from conftest import edit, flat, outputs, run_cli
from htmlread import Page
from pdfread import pdf_fonts, pdf_info, pdf_text

RELEASES = ("turksoy-isesco-agreement", "ashimbayev-raev-meeting")
LANGS = ("en", "tr", "kk")


# --- the shipped office ------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("release", RELEASES)
def test_office_builds_html_and_pdf_for_every_language(built_office, release, lang):
    out = built_office / "out" / lang
    assert (out / f"{release}.html").stat().st_size > 1000
    assert (out / f"{release}.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "lang, release, expected",
    [
        ("en", "turksoy-isesco-agreement", ["BAKU, April 8, 2011 –", "Düsen Kaseinov", "TÜRKSOY Secretariat, Ankara"]),
        ("tr", "turksoy-isesco-agreement", ["BAKÜ, 8 Nisan 2011 –", "Düsen Kaseinov", "Nevruz"]),
        ("kk", "turksoy-isesco-agreement", ["БАКУ, 2011 ж. 8 сәуір –", "Дүйсен Қасейінов", "ТҮРКСОЙ"]),
        ("en", "ashimbayev-raev-meeting", ["NUR-SULTAN. KAZINFORM –", "June 27, 2022", "«TÜRKSOY is a key organization"]),
        ("tr", "ashimbayev-raev-meeting", ["NUR-SULTAN. KAZINFORM –", "27 Haziran 2022", "Maulen Aşimbayev"]),
        ("kk", "ashimbayev-raev-meeting", ["НҰР-СҰЛТАН. ҚАЗАҚПАРАТ –", "2022 ж. 27 маусым", "Мәулен Әшімбаев"]),
    ],
)
def test_pdf_text_reads_back_in_its_language(built_office, lang, release, expected):
    text = flat(pdf_text(built_office / "out" / lang / f"{release}.pdf"))
    for snippet in expected:
        assert snippet in text


def test_kazakh_letters_survive_extraction(built_office):
    text = pdf_text(built_office / "out" / "kk" / "turksoy-isesco-agreement.pdf")
    for letter in "әғқңөұүі":
        assert letter in text, letter


@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_bundled_embedded_and_subset(built_office, lang):
    for release in RELEASES:
        fonts = pdf_fonts(built_office / "out" / lang / f"{release}.pdf")
        assert fonts
        for font in fonts:
            assert font.embedded, font.name
            # Subset fonts carry a 6-letter tag; all come from the bundled families.
            assert re.fullmatch(r"/[A-Z]{6}\+Pressgen-(Serif|Sans)(-\w+)?", font.name), font.name


@pytest.mark.parametrize(
    "lang, title, author",
    [
        ("en", "Cooperation agreement between TÜRKSOY and ISESCO", "International Organization of Turkic Culture"),
        ("tr", None, "Uluslararası Türk Kültürü Teşkilatı"),
        ("kk", None, "Халықаралық түркі мәдениеті ұйымы"),
    ],
)
def test_pdf_metadata(built_office, lang, title, author):
    info = pdf_info(built_office / "out" / lang / "turksoy-isesco-agreement.pdf")
    assert info["Lang"] == lang
    assert info["Author"] == author
    if title:
        assert info["Title"] == title
    else:
        assert info["Title"] and info["Title"] != "Cooperation agreement between TÜRKSOY and ISESCO"
    assert info["CreationDate"].startswith("D:20110408")
    assert info["Pages"] in ("1", "2")


@pytest.mark.parametrize(
    "lang, label", [("en", "Page 1 of 2"), ("tr", "Sayfa 1 / 2"), ("kk", "Бет 1 / 2")]
)
def test_page_numbers_are_localised(built_office, lang, label):
    assert label in pdf_text(built_office / "out" / lang / "turksoy-isesco-agreement.pdf")


@pytest.mark.parametrize("lang", LANGS)
def test_html_page_language_links_and_pdf(built_office, lang):
    out = built_office / "out" / lang
    page = Page((out / "turksoy-isesco-agreement.html").read_text(encoding="utf-8"))
    assert page.tags("html")[0]["lang"] == lang
    links = {a["hreflang"]: a["href"] for a in page.find_all("link", rel="alternate") if "hreflang" in a}
    # x-default: the source language's page, for readers of any other language.
    assert links.pop("x-default") == "https://press.turksoy.example/en/turksoy-isesco-agreement.html"
    alternates = links
    assert set(alternates) == set(LANGS)
    base = "https://press.turksoy.example/"
    for href in alternates.values():
        assert href.startswith(base) and (built_office / "out" / href.removeprefix(base)).is_file()
    switcher = [a["href"] for a in page.tags("a") if a.get("hreflang")]
    assert switcher and all((out / href).resolve().is_file() for href in switcher)
    assert page.find_all("link", rel="canonical")[0]["href"] == f"{base}{lang}/turksoy-isesco-agreement.html"
    pdf_links = [a["href"] for a in page.tags("a") if a.get("type") == "application/pdf"]
    assert pdf_links == ["turksoy-isesco-agreement.pdf"]
    stylesheets = [a["href"] for a in page.find_all("link", rel="stylesheet")]
    assert all((out / href).resolve().is_file() for href in stylesheets)


def test_kazakh_dates_come_from_cldr(built_office):
    page = Page((built_office / "out" / "kk" / "turksoy-isesco-agreement.html").read_text(encoding="utf-8"))
    assert "2011 ж. 8 сәуір" in page.text


# --- behaviour on small projects ----------------------------------------------


def build(root: Path, *args: str):
    return run_cli("build", "--project", str(root), *args)


def test_untranslated_message_keeps_that_version_unbuilt(project):
    root = project("minimal")
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."', 'msgstr ""')
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    out = root / "out"
    assert (out / "en/hello.html").exists() and (out / "tr/hello.html").exists()
    assert not (out / "kk/hello.html").exists()
    lines = result.stderr.splitlines()
    assert "not built: kk/hello (1 untranslated)" in lines
    assert any(re.fullmatch(r"  locales/kk/releases/hello\.po:\d+: paragraph 'The first paragraph\.' is not translated", line)
               for line in lines), lines
    # The other versions do not link to a version that does not exist.
    links = Page((out / "en/hello.html").read_text()).find_all("link", rel="alternate")
    assert sorted(a["hreflang"] for a in links if "hreflang" in a) == ["en", "tr", "x-default"]


def test_fuzzy_message_keeps_that_version_unbuilt(project):
    root = project("minimal")
    edit(root / "locales/tr/releases/hello.po", 'msgctxt "headline"', '#, fuzzy\nmsgctxt "headline"')
    result = build(root, "--format", "html")
    assert result.exit_code == 0
    assert not (root / "out/tr/hello.html").exists()
    assert "is fuzzy: marked for review; check the translation and remove the fuzzy flag" in result.stderr


def test_template_message_missing_in_a_language(project):
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates/statement.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>{{ release.headline }}</h1>'
        "<p>{{ _('A label nobody translated') }}</p>{% endblock %}")
    result = build(root, "--format", "html")
    assert result.exit_code == 0
    assert (root / "out/en/hello.html").exists()
    assert not (root / "out/tr/hello.html").exists()
    assert "not built: tr/hello (1 untranslated)" in result.stderr
    assert "locales/tr/LC_MESSAGES/messages.po: 'A label nobody translated' is not in the catalog; run `pressgen catalogs update`" in result.stderr


def test_project_template_overrides_bundled_one_file_by_file(project):
    root = project("minimal")
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/contacts.html").write_text('<p class="custom">{{ contacts[0].name }}</p>')
    assert build(root, "--format", "html", "--lang", "en").exit_code == 0
    page = Page((root / "out/en/hello.html").read_text())
    assert page.find_all("p", class_="custom")
    assert page.find_all("h1")  # the rest still comes from the bundled statement.html


def test_template_error_names_template_and_line(project):
    root = project("minimal")
    (root / "templates").mkdir()
    (root / "templates/statement.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ release.nope }}\n{% endblock %}\n')
    result = build(root, "--format", "html")
    assert result.exit_code == 1
    assert re.search(r"templates/statement\.html:3: template error \(hello, en\): .*nope", result.stderr), result.stderr
    assert "Traceback" not in result.output


def test_failed_builds_in_a_row_change_no_feed(project):
    """A template error, mended, then a record's mistake: the first failed build forgot the feed
    texts of the versions it could not render (a trial), and the second wrote the feeds without
    the release's text, though every output was to stay as the last good build made it."""
    root = project("minimal")
    assert build(root, "--format", "html").exit_code == 0
    before = outputs(root)
    (root / "templates").mkdir()
    (root / "templates/statement.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ _("x") }\n'
                                                 '{% endblock %}\n')
    assert build(root, "--format", "html").exit_code == 1
    assert outputs(root) == before
    shutil.rmtree(root / "templates")
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-02-30")
    result = build(root, "--format", "html")
    assert result.exit_code == 1
    assert "feed text" not in result.stderr
    assert outputs(root) == before
    edit(root / "releases/hello.yaml", "date: 2011-02-30", "date: 2011-04-08")
    assert build(root, "--format", "html").exit_code == 0
    assert outputs(root) == before


def test_force_makes_the_newsroom_files_again_too(project):
    """`--force` renders everything again: a trial's index cut short stayed so, up to date by its key."""
    root = project("minimal")
    assert build(root, "--format", "html").exit_code == 0
    before = outputs(root)
    for rel in ("out/en/index.html", "out/en/feed.xml", "out/sitemap.xml"):
        (root / rel).write_bytes((root / rel).read_bytes()[:100])
    assert build(root, "--format", "html", "--force").exit_code == 0
    assert outputs(root) == before


def test_markup_in_records_and_translations_stays_text(project):
    root = project("minimal")
    edit(root / "releases/hello.yaml", "headline: Hello from Istanbul", "headline: Hello <script>alert(1)</script> & co")
    run_cli("catalogs", "update", "--project", str(root))
    # The translation keeps the source's markup (so QA lets it through): it must still be inert.
    edit(root / "locales/tr/releases/hello.po", 'msgid "Hello <script>alert(1)</script> & co"\nmsgstr ""',
         'msgid "Hello <script>alert(1)</script> & co"\nmsgstr "Merhaba <script>alert(1)</script> & co"')
    assert build(root).exit_code == 0
    en = (root / "out/en/hello.html").read_text()
    assert "<script>alert" not in en and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in en
    tr = (root / "out/tr/hello.html").read_text()
    assert "<script>alert" not in tr and "Merhaba &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in tr
    assert "Hello <script>alert(1)</script> & co" in flat(pdf_text(root / "out/en/hello.pdf"))


def test_markup_added_by_a_translator_is_never_published(project):
    root = project("minimal")
    edit(root / "locales/tr/LC_MESSAGES/messages.po", 'msgstr "Basın bülteni"', 'msgstr "<b>Basın</b> bülteni"')
    result = build(root, "--format", "html")
    assert result.exit_code == 1
    assert not (root / "out/tr/hello.html").exists()
    assert re.search(r"locales/tr/LC_MESSAGES/messages\.po:\d+: 'Press release' adds markup '<b>': write plain text",
                     result.stderr), result.stderr
    # Not even as a draft: a mistake is fixed first.
    assert build(root, "--format", "html", "--drafts").exit_code == 1
    assert not (root / "out/tr/hello.html").exists()


def test_failed_build_leaves_existing_outputs_untouched(project):
    root = project("minimal")
    assert build(root).exit_code == 0
    before = outputs(root)
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-04-99")
    result = build(root)
    assert result.exit_code == 1
    after = outputs(root)
    assert after == before
    assert not [p for p in (root / "out").rglob("*.tmp")]


def test_a_broken_record_keeps_the_outputs_of_the_id_it_declares(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    renamed = root / "releases/2011-04-08-hello.yaml"
    renamed.write_text("id: hello\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    record.unlink()
    assert build(root).exit_code == 0
    before = outputs(root)
    edit(renamed, "style: statement", "style: statment")
    result = build(root)
    assert result.exit_code == 1 and "'style' must be one of statement, wire" in result.stderr
    assert outputs(root) == before
    # Asked for by its id, the record's problem is shown, not 'no release'.
    result = build(root, "--release", "hello")
    assert result.exit_code == 1 and "'style' must be one of statement, wire" in result.stderr


@pytest.mark.parametrize("command", ["build", "check"])
def test_two_records_with_one_id_are_both_refused_and_nothing_is_overwritten(project, command):
    root = project("minimal")
    assert build(root).exit_code == 0
    before = outputs(root)
    source = (root / "releases/hello.yaml").read_text(encoding="utf-8")
    (root / "releases/another.yaml").write_text("id: hello\n" + source.replace("Hello from Istanbul", "Another"),
                                                encoding="utf-8")
    result = run_cli(command, "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "releases/another.yaml:1: release id 'hello' is also used by releases/hello.yaml; give each release its own 'id' "
        "(neither is built until then)",
        "releases/hello.yaml:1: release id 'hello' (from the file name) is also used by releases/another.yaml; give each "
        "release its own 'id' (neither is built until then)"]
    after = outputs(root)
    assert after == before


def test_rebuild_gives_byte_identical_pdfs(project, tmp_path):
    root = project("minimal")
    assert build(root, "--out", str(tmp_path / "a"), "--lang", "kk").exit_code == 0
    assert build(root, "--out", str(tmp_path / "b"), "--lang", "kk").exit_code == 0
    assert (tmp_path / "a/kk/hello.pdf").read_bytes() == (tmp_path / "b/kk/hello.pdf").read_bytes()


def test_pdf_refuses_files_outside_the_project(project):
    root = project("minimal")
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/contacts.html").write_text('<img src="file:///etc/hostname" alt="">')
    result = build(root, "--lang", "en")
    assert result.exit_code == 1
    assert ("releases/hello.yaml: en: PDF not written: Failed to load image at 'file:///etc/hostname': "
            "ValueError: refused to fetch file:///etc/hostname: only the project's own files may be used in a PDF"
            ) in result.stderr.splitlines()
    assert not (root / "out/en/hello.pdf").exists()


def test_selection_of_release_language_and_format(project):
    root = project("minimal")
    result = build(root, "--release", "hello", "--lang", "tr", "--format", "pdf")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(root / "out").as_posix() for p in (root / "out").glob("*/*.*") if "assets" not in p.parts)
    assert written == ["tr/hello.pdf"]


def test_outputs_unchanged_on_rebuild_are_not_rewritten(project):
    root = project("minimal")
    assert build(root, "--format", "html").exit_code == 0
    result = build(root, "--format", "html")
    assert "3 outputs (0 rendered, 3 up to date)" in result.stdout


def test_a_build_leaves_the_cycle_collector_as_it_found_it(project):
    """A build freezes the cache's objects out of the collector's way (builder.py); a process
    that lives on (pressgen serve, an application) gets them back when the build ends, even
    a build that stops on an error."""
    import gc

    import pressgen
    from pressgen.errors import PressgenError

    root = project("minimal")
    assert gc.get_freeze_count() == 0
    assert pressgen.build(root, formats=("html",), jobs=1).ok
    assert gc.get_freeze_count() == 0
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/base.html").write_text("{{ headline|upper }}", encoding="utf-8")  # refused by the theme check
    with pytest.raises(PressgenError):
        pressgen.build(root, formats=("html",), jobs=1)
    assert gc.get_freeze_count() == 0


def test_under_a_strict_umask_the_site_is_still_readable_by_the_web_server(project):
    """A web server runs as another user: every folder of out/ must be open to it and every
    file readable, whatever the umask of the build (077 made folders 0700 and Pagefind's
    index 0600: the site answered 403, its search nothing)."""
    root = project("minimal")
    previous = os.umask(0o077)
    try:
        assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    finally:
        os.umask(previous)
    closed = [f"{path.relative_to(root).as_posix()} {stat.S_IMODE(path.stat().st_mode):o}"
              for path in [root / "out", *(root / "out").rglob("*")]
              if stat.S_IMODE(path.stat().st_mode) & (0o005 if path.is_dir() else 0o004) != (0o005 if path.is_dir() else 0o004)]
    assert closed == []
    assert (root / "out/pagefind").is_dir()


def test_the_progress_counts_up_to_date_outputs_as_the_summary_does(project):
    """The terminal's bar said '(8 up to date)' from the first output of a --force build, whose
    summary said '0 up to date': it counted the assets copied to out/."""
    from pressgen.build import build

    root = project("minimal")
    build(root, jobs=1, formats=("html",))
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Соңғы абзац."', 'msgstr "Ең соңғы абзац."')
    told = []
    report = build(root, jobs=1, formats=("html",),
                   progress=lambda done, total, label, up_to_date, failed: told.append(up_to_date))
    assert told == [len(report.outputs(written=False))] == [2]  # kk/hello.html rendered; en and tr not
    told.clear()
    report = build(root, jobs=1, formats=("html",), force=True,
                   progress=lambda done, total, label, up_to_date, failed: told.append(up_to_date))
    assert set(told) == {0} and len(told) == 3 and not report.outputs(written=False)


def test_the_progress_of_an_edits_build_counts_the_releases_it_does_not_look_at(project):
    """A build after an edit looks only at the edited release (its stamp says the others are
    as they were); its summary counts their outputs as up to date, and so does the bar."""
    from pressgen.build import build
    from test_crash import make_archive
    from test_stamp import aged

    root = project("minimal")
    make_archive(root, 2)
    build(aged(root), jobs=1, formats=("html",))
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Соңғы абзац."', 'msgstr "Ең соңғы абзац."')
    told = []
    report = build(root, jobs=1, formats=("html",),
                   progress=lambda done, total, label, up_to_date, failed: told.append(up_to_date))
    assert not report.replayed and [path.name for path in report.outputs(written=True)] == ["hello.html"]
    assert told == [len(report.outputs(written=False))] == [8]


def test_an_html_only_build_says_its_pages_link_to_pdfs_not_made_and_removes_a_gone_releases_pdfs(project):
    """A trial deployed `--format html` builds: a new release's pages linked to PDFs that were not
    there, unsaid, and a deleted release's PDF and ninjs item stayed in out/ for good."""
    root = project("minimal")
    said = ("note: 3 page(s) link to a PDF not made yet (en/hello.html, kk/hello.html, tr/hello.html): this build "
            "made pages only; run `pressgen build` before you publish out/")
    result = build(root, "--format", "html")
    assert result.exit_code == 0 and said in result.stderr.splitlines(), result.stderr
    assert build(root).exit_code == 0
    result = build(root, "--format", "html")
    assert result.exit_code == 0 and "link to a PDF" not in result.stderr, result.stderr
    # A page made anew, its PDF and ninjs item not: they are behind it, and said to be, in every such
    # build until a full one (a trial's PDFs kept an old headline, unsaid).
    edit(root / "releases/hello.yaml", "headline: Hello from Istanbul", "headline: Greetings from Istanbul")
    for _ in range(2):
        result = build(root, "--format", "html")
        assert "note: 2 PDF or ninjs file(s) no longer match their page (en/hello.pdf, en/hello.json): this build " \
               "made pages only; run `pressgen build` before you publish out/" in result.stderr.splitlines(), result.stderr
    assert build(root).exit_code == 0
    assert "no longer match" not in build(root, "--format", "html").stderr
    gone = [root / f"out/{lang}/hello.{suffix}" for lang in ("en", "tr", "kk") for suffix in ("html", "pdf", "json")]
    assert all(path.is_file() for path in gone)
    (root / "releases/hello.yaml").unlink()
    result = build(root, "--format", "html")
    assert result.exit_code == 0, result.output
    assert [path for path in gone if path.exists()] == []


@pytest.mark.parametrize("blocked, made, said", [
    ("out/kk", "file", "out/kk: a file where pressgen writes a folder"),
    ("out/en/tags", "file", "out/en/tags: a file where pressgen writes a folder"),
    ("out/assets", "file", "out/assets: a file where pressgen writes a folder"),
    ("out/en/hello.html", "folder", "out/en/hello.html: a folder where pressgen writes a file"),
])
def test_a_file_or_folder_in_the_way_in_out_is_named_without_a_traceback(project, blocked, made, said):
    """Found by a trial: each of these ended the build in a Python traceback."""
    root = project("minimal")
    assert build(root, "--format", "html").exit_code == 0
    path = root / blocked
    shutil.rmtree(path) if path.is_dir() else path.unlink()
    path.write_text("x") if made == "file" else path.mkdir()
    result = build(root, "--format", "html", "--force")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (f"{said}; move it away or delete it, then build again: every "
                                                      "file already written is whole")
    assert "Traceback" not in result.output


def test_a_refused_record_named_index_counts_no_newsroom_page_as_its_own(project):
    """Found by a trial: releases/index.yaml, refused, counted out/*/index.html (the newsroom's
    front pages) as its outputs 'kept as the last good build made them'."""
    root = project("minimal")
    assert build(root, "--format", "html").exit_code == 0
    shutil.copy(root / "releases/hello.yaml", root / "releases/index.yaml")
    edit(root / "releases/index.yaml", "Hello from Istanbul", "Another release")
    result = build(root, "--format", "html")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "3 outputs (0 rendered, 3 up to date; 1 problem(s))"
