"""The translator's side: status, the ready gate with QA and glossary, drafts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, outputs, run_cli
from conftest import edit as shared_edit
from pdfread import pdf_info, pdf_text
from pypdf import PdfReader

from pressgen.catalogs import read_catalog, render_po


def edit(path: Path, old: str, new: str) -> None:
    shared_edit(path, old, new, count=1)


def check(root: Path):
    return run_cli("check", "--project", str(root))


# --- status --------------------------------------------------------------------


def test_status_counts_and_readiness(project):
    root = project("minimal")
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."', 'msgstr ""')
    edit(root / "locales/tr/releases/hello.po", 'msgctxt "summary"', '#, fuzzy\nmsgctxt "summary"')
    result = run_cli("status", "--project", str(root), "--json")
    assert result.exit_code == 0
    rows = {(r["release"], r["lang"]): r for r in json.loads(result.stdout)["catalogs"]}
    assert rows["hello", "kk"] == {"catalog": "locales/kk/releases/hello.po", "lang": "kk", "release": "hello",
                                   "total": 8, "translated": 7, "fuzzy": 0, "untranslated": 1, "problems": 0,
                                   "ready": False, "waiting_for": "", "waived": 0, "outdated": None,
                                   "withdrawn": None, "stands_in": 0}
    assert (rows["hello", "tr"]["fuzzy"], rows["hello", "tr"]["ready"]) == (1, False)
    assert rows[None, "kk"]["ready"] and rows[None, "kk"]["untranslated"] == 0


def test_status_says_what_a_complete_release_catalog_waits_for(project):
    root = project("minimal")
    edit(root / "locales/kk/LC_MESSAGES/messages.po", 'msgstr "Мәдениет кеңсесі"', 'msgstr ""')
    (root / "locales/tr/releases/hello.po").unlink()
    rows = {(r["release"], r["lang"]): r
            for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]}
    assert (rows["hello", "kk"]["translated"], rows["hello", "kk"]["total"]) == (8, 8)
    assert rows["hello", "kk"]["waiting_for"] == "locales/kk/LC_MESSAGES/messages.po"
    assert rows["hello", "tr"]["waiting_for"] == "no catalog yet"
    # A language just added to pressgen.yaml: its messages.po row says so too (a trial's said only 'not ready').
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, az]")
    rows = {(r["release"], r["lang"]): r
            for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]}
    assert (rows[None, "az"]["ready"], rows[None, "az"]["waiting_for"]) == (False, "no catalog yet")
    assert (rows[None, "kk"]["ready"], rows[None, "kk"]["waiting_for"]) == (False, "")


def test_check_names_a_catalog_still_to_make_first(project):
    """A language just added: its release catalog's line came last, folded into '… and 10 more'
    under messages.po's fifteen (a trial)."""
    root = project("minimal")
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, az]")
    said = check(root).stderr.splitlines()
    start = said.index("not ready: az/hello (no catalog yet)")
    # Both catalogs to make, one line each: messages.po's labels are not listed one by one either.
    assert sorted(line.partition(":")[0] for line in said[start + 1:start + 3]) == [
        "  locales/az/LC_MESSAGES/messages.po", "  locales/az/releases/hello.po"]
    assert all(": catalog missing; run `pressgen catalogs update`" in line for line in said[start + 1:start + 3])
    assert len(said) == start + 3 or not said[start + 3].startswith("  "), said


def test_a_language_with_no_catalogs_is_named_once_not_once_per_release(project):
    """French added to pressgen.yaml, no catalog made: check and the build said 'catalog missing'
    of its messages.po under every release, twice a release and again each time. A release's
    own catalog still missing in a language that has catalogs is still named under it: each is
    a file of its own to make."""
    root = project("minimal")
    source = (root / "releases/hello.yaml").read_text(encoding="utf-8")
    (root / "releases/second.yaml").write_text(source.replace("Hello from Istanbul", "Second from Istanbul"),
                                               encoding="utf-8")
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, fr]")
    todo = ("run `pressgen catalogs update`, which starts them from the translations it finds (a renamed release's, "
            "what was published), then translate what is left")
    for what, *command in (("not ready", "check"), ("not built", "build", "--format", "html")):
        said = run_cli(*command, "--project", str(root)).stderr
        lines = said.splitlines()
        assert [line for line in lines if " fr/" in line or "locales/fr" in line] == [
            f"{what}: fr/hello, fr/second (2 versions, no catalogs yet)",
            f"  locales/fr: no catalogs yet (messages.po, and one for each release); {todo}"], said
        start = lines.index(f"{what}: tr/second (no catalog yet)")
        assert lines[start + 1].startswith("  locales/tr/releases/second.po: catalog missing; run `pressgen catalogs "
                                           "update`"), said


def test_status_keeps_the_row_of_a_catalog_it_cannot_read(project):
    root = project("minimal")
    (root / "locales/kk/releases/hello.po").write_text('msgid "x"\nmsgstr "y"\nbroken', encoding="utf-8")
    result = run_cli("status", "--project", str(root), "--json")
    assert result.exit_code == 1
    rows = {(r["release"], r["lang"]): r for r in json.loads(result.stdout)["catalogs"]}
    assert rows["hello", "kk"]["ready"] is False
    assert rows["hello", "kk"]["waiting_for"] == "the catalog cannot be read (see the error)"
    assert json.loads(result.stdout)["errors"][0].startswith("locales/kk/releases/hello.po")
    # What it holds is not known: not counted as untranslated (a trial's row said 0/8, 8 untranslated).
    assert [rows["hello", "kk"][key] for key in ("translated", "fuzzy", "untranslated", "problems")] == [None] * 4
    assert rows["hello", "kk"]["total"] == 8
    table = run_cli("status", "--project", str(root)).stdout
    [row] = [line for line in table.splitlines() if line.split()[:2] == ["hello", "kk"]]
    assert row.split()[2:6] == ["?/8", "?", "?", "?"], row


def test_status_says_a_published_version_stays_online_while_its_catalog_cannot_be_read(project):
    """A stray quote in a published translation's catalog: the table said 'not ready' and lost
    that the version published before stays online (as the build keeps it)."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    catalog = root / "locales/kk/releases/hello.po"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "', 'msgstr ""', 1), encoding="utf-8")
    result = run_cli("status", "--project", str(root))
    assert result.exit_code == 1
    [row] = [line for line in result.stdout.splitlines() if line.split()[:2] == ["hello", "kk"]]
    assert "the catalog cannot be read (see the error)" in row and "stays online" in row, row
    rows = {(r["release"], r["lang"]): r
            for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]}
    assert rows["hello", "kk"]["outdated"]["published"]


def test_status_keeps_the_rows_of_a_release_whose_record_has_a_mistake(project):
    """An office's typo in the record (a date that does not exist) hid the release's rows from
    the translators' table."""
    root = project("minimal")
    before = {(r["release"], r["lang"]): (r["translated"], r["total"])
              for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]}
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-02-30")
    result = run_cli("status", "--project", str(root), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    rows = {(r["release"], r["lang"]): r for r in data["catalogs"]}
    assert {key: (row["translated"], row["total"], row["ready"], row["waiting_for"]) for key, row in rows.items()
            if key[0] == "hello"} == {("hello", lang): (*before["hello", lang], False,
                                                        "its record has a mistake: releases/hello.yaml:4")
                                      for lang in ("tr", "kk")}
    assert data["errors"][0].startswith("releases/hello.yaml:4: 'date' ")


def test_status_says_where_a_broken_records_published_version_is_online_and_where_not(project):
    """A record mistake in a fresh clone (out/ empty): the build makes nothing of the release,
    yet status said its published versions 'stay online' (trial s14e). Where out/ has its page
    (the office's own folder) they do."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-02-30")

    def row(lang):
        table = run_cli("status", "--project", str(root)).stdout
        [line] = [line for line in table.splitlines() if line.split()[:2] == ["hello", lang]]
        return " ".join(line.split()[6:])

    published = json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]
    when = {r["lang"]: r["outdated"]["published"] for r in published if r["release"] == "hello"}
    assert row("kk").endswith("stays online"), row("kk")
    shutil.rmtree(root / "out")  # as a fresh clone has it
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 1
    assert not (root / "out/kk/hello.html").exists()
    moment = dt.datetime.fromisoformat(when["kk"]).strftime("%Y-%m-%d %H:%M UTC")
    assert row("kk") == ("not ready (its record has a mistake: releases/hello.yaml:4); the version published "
                         f"{moment} is not in out/: a build makes it once the record is mended")


def test_status_names_the_catalog_not_the_record_when_the_catalog_keeps_a_version_out_of_out(project):
    """A merge conflict left in a published translation's catalog, in a clone not built yet: the
    row said '…is not in out/: a build makes it once the record is mended', where the record was
    fine (a trial). The build serves the version published meanwhile; a glossary that cannot be
    read holds its language back until it is mended."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    shutil.rmtree(root / "out")  # as a fresh clone has it
    shutil.rmtree(root / ".pressgen")
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."',
         '<<<<<<< HEAD\nmsgstr "Бірінші абзац."\n=======\nmsgstr "Бірінші абзац!"\n>>>>>>> other')

    def row(lang):
        result = run_cli("status", "--project", str(root))
        assert result.exit_code == 1
        [line] = [line for line in result.stdout.splitlines() if line.split()[:2] == ["hello", lang]]
        return " ".join(line.split()[6:])

    published = {r["lang"]: r["outdated"]["published"]
                 for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]
                 if r["release"] == "hello" and r["outdated"]}
    assert list(published) == ["kk"]
    moment = dt.datetime.fromisoformat(published["kk"]).strftime("%Y-%m-%d %H:%M UTC")
    assert row("kk") == ("not ready (the catalog cannot be read (see the error)); the version published "
                         f"{moment} is not in out/: a build makes it as it went out, until the catalog is mended")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 1
    assert "Бірінші абзац." in (root / "out/kk/hello.html").read_text(encoding="utf-8")  # as it went out
    assert row("kk") == f"not ready (the catalog cannot be read (see the error)); the version published {moment} stays online"
    # Its language's glossary that cannot be read: the build holds back every page of the language.
    edit(root / "locales/kk/releases/hello.po", '<<<<<<< HEAD\nmsgstr "Бірінші абзац."\n=======\nmsgstr "Бірінші абзац!"\n'
         '>>>>>>> other', 'msgstr "Бірінші абзац."')
    (root / "locales/kk/glossary.po").write_text('msgid ""\nmsgstr ""\n"Language: kk\\n"\n\nmsgid "x"\nbroken\n',
                                                 encoding="utf-8")
    shutil.rmtree(root / "out")
    assert row("kk") == ("not ready (locales/kk/glossary.po cannot be read (see the error)); the version published "
                         f"{moment} is not in out/: a build makes it once locales/kk/glossary.po is mended")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 1
    assert not (root / "out/kk/hello.html").exists()


def test_status_says_a_withdrawn_release_is_withdrawn_not_ready(project):
    """However complete its translations, a withdrawn release is never listed or mailed again."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-04-08\nwithdrawn: 2011-05-02")
    rows = json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]
    assert {(r["release"], r["lang"]): r["withdrawn"] for r in rows} == {
        ("hello", "tr"): "2011-05-02", ("hello", "kk"): "2011-05-02", (None, "tr"): None, (None, "kk"): None}
    table = run_cli("status", "--project", str(root)).stdout
    assert re.search(r"^hello +tr +8/8 +0 +0 +0 +withdrawn 2011-05-02$", table, re.M), table


def test_status_table_is_plain_when_piped(project):
    root = project("minimal")
    result = subprocess.run([sys.executable, "-m", "pressgen", "status", "-C", str(root)], capture_output=True, text=True)
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["release", "lang", "translated", "fuzzy", "untranslated", "problems", "ready"]
    assert lines[3].split() == ["hello", "tr", "8/8", "0", "0", "0", "ready"]


def test_shipped_office_is_fully_translated_and_clean(office):
    result = run_cli("status", "--project", str(office), "--json")
    rows = json.loads(result.stdout)["catalogs"]
    assert len(rows) == 6 and all(r["ready"] and r["problems"] == 0 for r in rows)
    result = check(office)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No problems found.\n", "")


# --- drafts --------------------------------------------------------------------


def test_drafts_are_marked_in_html_and_on_every_pdf_page(office):
    (office / "published/kk/turksoy-isesco-agreement.yaml").unlink()  # a version never published yet
    po = office / "locales/kk/releases/turksoy-isesco-agreement.po"
    catalog = read_catalog(po, "kk")
    next(m for m in catalog if m.id.startswith("Signing an agreement")).string = ""
    po.write_bytes(render_po(catalog))
    result = run_cli("build", "--project", str(office), "--lang", "kk", "--release", "turksoy-isesco-agreement")
    assert "not built: kk/turksoy-isesco-agreement (1 untranslated)" in result.stderr
    assert not (office / "out/kk/turksoy-isesco-agreement.pdf").exists()

    result = run_cli("build", "--project", str(office), "--lang", "kk", "--release", "turksoy-isesco-agreement", "--drafts")
    assert result.exit_code == 0
    assert "draft only: kk/turksoy-isesco-agreement (1 untranslated)" in result.stderr
    html = (office / "out/kk/turksoy-isesco-agreement.html").read_text(encoding="utf-8")
    assert '<div class="draft-mark" role="note"><strong>ЖОБА</strong>' in html
    assert '<span class="untranslated" lang="en">Signing an agreement with the Islamic Educational' in html
    # Where markup cannot go (the title, attributes, PDF metadata), the stand-in is plain text.
    title = re.search(r"<title>(.*)</title>", html).group(1)
    assert "span" not in title and "untranslated" not in re.search(r'<meta name="description"[^>]*>', html).group(0)
    assert "<span" not in pdf_info(office / "out/kk/turksoy-isesco-agreement.pdf")["Title"]
    assert not (office / "out/kk/turksoy-isesco-agreement.json").exists(), "no ninjs item of a draft"
    pdf = office / "out/kk/turksoy-isesco-agreement.pdf"
    pages = len(PdfReader(pdf).pages)
    assert pages == 2
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "ЖОБА" in text.replace(" ", ""), f"page {page}"  # letter-spaced: pdftotext may space it out
    assert "Signing an agreement with the Islamic" in " ".join(pdf_text(pdf).split())

    # A normal build takes the draft down again.
    result = run_cli("build", "--project", str(office), "--lang", "kk", "--release", "turksoy-isesco-agreement")
    assert not (office / "out/kk/turksoy-isesco-agreement.pdf").exists()


# --- glossary and QA ------------------------------------------------------------


def test_glossary_violation_is_caught(office):
    assert run_cli("build", "--project", str(office), "--lang", "kk", "--format", "html").exit_code == 0
    edit(office / "locales/kk/releases/turksoy-isesco-agreement.po", "Қасейінов", "Касеинов")
    result = check(office)
    assert result.exit_code == 1
    assert re.search(r"^locales/kk/releases/turksoy-isesco-agreement\.po:\d+: summary 'TÜRKSOY Secretary General "
                     r"Düsen Kaseinov said…' has 'Düsen Kaseinov' but not the glossary's 'Дүйсен Қасейінов'; use it", result.stderr, re.M)
    # In a build it is an error, and the version's last good page stays.
    build = run_cli("build", "--project", str(office), "--lang", "kk", "--format", "html")
    assert build.exit_code == 1 and "has 'Düsen Kaseinov' but not the glossary's 'Дүйсен Қасейінов'" in build.stderr
    assert (office / "out/kk/turksoy-isesco-agreement.html").exists()


def test_a_slip_in_the_shared_catalog_unpublishes_nothing(project):
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    before = outputs(root)
    po = root / "locales/kk/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    slip = re.search(r'msgstr "(.*)%\(pages\)s(.*)"', text)
    po.write_text(text.replace(slip.group(0), f'msgstr "{slip.group(1)}%(pages){slip.group(2)}"'), encoding="utf-8")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 1
    assert re.search(r"^locales/kk/LC_MESSAGES/messages\.po:\d+: 'Page %\(page\)s of %\(pages\)s' drops the "
                     r"placeholder '%\(pages\)s'", result.stderr, re.M), result.stderr
    after = outputs(root)
    assert after == before
    # Nor does a drafts build put a draft in place of the published version.
    assert run_cli("build", "--project", str(root), "--drafts").exit_code == 1
    assert outputs(root) == before


def test_a_slip_in_a_label_only_the_newsroom_uses_fails_the_build_too(project):
    root = project("minimal")
    edit(root / "locales/kk/LC_MESSAGES/messages.po", 'msgstr "Atom арнасы"', 'msgstr "<b>Atom арнасы</b>"')
    for attempt in range(2):  # and again when nothing changed: the problem is still there
        result = run_cli("build", "--project", str(root), "--format", "html")
        assert result.exit_code == 1, attempt
        assert re.search(r"^locales/kk/LC_MESSAGES/messages\.po:\d+: 'Atom feed' adds markup '<b>'", result.stderr, re.M)


def test_glossary_accepts_inflected_forms():
    from pressgen.qa import Term, glossary_problems

    terms = [Term("TÜRKSOY", "TÜRKSOY", 1), Term("Baku", "Bakü", 2)]
    assert glossary_problems("TÜRKSOY met in Baku", "TÜRKSOY'un Bakü'deki toplantısı", terms, "tr") == []
    assert glossary_problems("in Baku", "Bakuda", terms, "tr") == [
        "has 'Baku' but not the glossary's 'Bakü'; use it, or flag the message '#, ignore-check-glossary' where it does "
        "not fit"]


QA_CASES = [
    ("placeholder-dropped", "LC_MESSAGES/messages.po", 'msgstr "%(organisation)s hakkında"', 'msgstr "Hakkında"',
     "'About %(organisation)s' drops the placeholder '%(organisation)s'; put it back, where your language needs it: "
     "pressgen fills it in"),
    ("placeholder-added", "LC_MESSAGES/messages.po", 'msgstr "Basın bülteni"', 'msgstr "Basın bülteni %(x)s"',
     "'Press release' adds the placeholder '%(x)s', which the source does not have; remove it"),
    ("markup", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr "Son <script>x()</script> paragraf."',
     "paragraph 'The last paragraph.' adds markup '<script>': write plain text, pressgen does the formatting"),
    ("brackets", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr "Son (paragraf."',
     "paragraph 'The last paragraph.' has unbalanced ( ); pair them as the source does"),
    ("quotes", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr "Son «paragraf."',
     "paragraph 'The last paragraph.' has unbalanced « »; pair them as the source does"),
    ("leading-space", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr " Son paragraf."',
     "paragraph 'The last paragraph.' starts with a space where the source does not; remove it"),
    ("trailing-space", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr "Son paragraf. "',
     "paragraph 'The last paragraph.' ends with a space where the source does not; remove it"),
    ("final-punctuation", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr "Son paragraf"',
     "paragraph 'The last paragraph.' ends without the source's final '.'; end with it too, or flag the message "
     "'#, ignore-end-stop' where your language ends otherwise"),
    # A keyboard switched mid-word: the Cyrillic а (U+0430) of a Kazakh layout in a Turkish word.
    ("mixed-script", "releases/hello.po", 'msgstr "Son paragraf."', 'msgstr "Son p\u0430ragraf."',
     "paragraph 'The last paragraph.' has the word 'p\u0430ragraf', whose '\u0430' (U+0430) is a Cyrillic letter "
     "among Latin ones, as a keyboard switched mid-word types it; type it again in one alphabet, or flag the message "
     "'#, ignore-mixed-script' where the word is meant so"),
    ("extra-punctuation", "releases/hello.po", 'msgstr "Biz hazırız"', 'msgstr "Biz hazırız."',
     "quote 'We are ready' ends with '.' where the source has no final punctuation; remove it, or flag the message "
     "'#, ignore-end-stop' where your language needs it"),
]


@pytest.mark.parametrize("name, catalog, old, new, expected", QA_CASES, ids=[c[0] for c in QA_CASES])
def test_qa_check_fires(project, name, catalog, old, new, expected):
    root = project("minimal")
    edit(root / "locales/tr" / catalog, old, new)
    result = check(root)
    assert result.exit_code == 1
    assert re.search(rf"^locales/tr/{re.escape(catalog)}:\d+: {re.escape(expected)}$", result.stderr, re.M), result.stderr
    # And the build fails on it too, rather than publish the mistake.
    build = run_cli("build", "--project", str(root), "--lang", "tr", "--format", "html")
    assert build.exit_code == 1 and expected in build.stderr


def test_build_names_every_problem_of_a_message_as_check_does(project):
    """One message with two slips: the build named the first only, so a translator who fixed it
    found the second at the next build."""
    root = project("minimal")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Son paragraf."', 'msgstr " Son paragraf"')
    line = next(n for n, text in enumerate((root / "locales/tr/releases/hello.po").read_text(encoding="utf-8")
                                           .splitlines(), 1) if text == 'msgstr " Son paragraf"')
    expected = [f"locales/tr/releases/hello.po:{line}: paragraph 'The last paragraph.' {problem}" for problem in (
        "starts with a space where the source does not; remove it",
        "ends without the source's final '.'; end with it too, or flag the message '#, ignore-end-stop' where your "
        "language ends otherwise")]
    checked = check(root)
    assert [l for l in checked.stderr.splitlines() if "hello.po" in l] == expected
    built = run_cli("build", "--project", str(root), "--lang", "tr", "--format", "html")
    assert built.exit_code == 1
    assert [l for l in built.stderr.splitlines() if "hello.po" in l] == expected


def test_wrong_plural_forms(project):
    root = project("minimal")
    edit(root / "locales/tr/releases/hello.po", "nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    result = check(root)
    assert re.search(r"^locales/tr/releases/hello\.po:\d+: Plural-Forms is 'nplurals=1; plural=0;'; CLDR gives "
                     r"'nplurals=2; plural=\(n != 1\);' \(run `pressgen catalogs update` to fix it\)$", result.stderr, re.M)
    run_cli("catalogs", "update", "--project", str(root))
    assert check(root).exit_code == 0


def test_plural_forms_that_count_a_form_cldr_does_not_have_are_named(project):
    """Kazakh and Turkish have two forms; 'nplurals=3; plural=(n != 1);' gives only two on whole
    numbers, and was let through as if its third were a form CLDR gives fractions (as Russian's
    fourth is): a translator's tool then asks for a msgstr[2] that no count ever shows."""
    root = project("minimal")
    edit(root / "locales/kk/releases/hello.po", "nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n != 1);")
    edit(root / "locales/tr/LC_MESSAGES/messages.po", "nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n != 1);")
    expected = [
        "locales/kk/releases/hello.po:13: Plural-Forms is 'nplurals=3; plural=(n != 1);'; CLDR gives "
        "'nplurals=2; plural=(n != 1);' (run `pressgen catalogs update` to fix it)",
        "locales/tr/LC_MESSAGES/messages.po:13: Plural-Forms is 'nplurals=3; plural=(n != 1);'; CLDR gives "
        "'nplurals=2; plural=(n != 1);' (run `pressgen catalogs update` to fix it)"]
    checked = check(root)
    assert checked.exit_code == 1
    assert sorted(line for line in checked.stderr.splitlines() if "Plural-Forms" in line) == expected
    built = run_cli("build", "--project", str(root), "--format", "html")
    assert built.exit_code == 1
    assert sorted(line for line in built.stderr.splitlines() if "Plural-Forms" in line) == expected
    # And by status, after that build too (a trial's release row said 'not ready', no more, exit 0).
    said = run_cli("status", "--project", str(root))
    assert said.exit_code == 1
    assert sorted(line for line in said.stderr.splitlines() if "Plural-Forms" in line) == expected
    [row] = [line for line in said.stdout.splitlines() if line.split()[:2] == ["hello", "kk"]]
    assert row.split()[2:7] == ["8/8", "0", "0", "1", "not"], row
    run_cli("catalogs", "update", "--project", str(root))
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in (root / "locales/kk/releases/hello.po").read_text(
        encoding="utf-8")
    assert check(root).stdout == "No problems found.\n"


def test_plural_forms_as_weblate_writes_them_are_the_same_rule(project):
    """Weblate's 'plural=n != 1;' is CLDR's '(n != 1)' without brackets: it held every Weblate
    commit back (found by a trial)."""
    root = project("minimal")
    for catalog in ("releases/hello.po", "LC_MESSAGES/messages.po"):
        edit(root / "locales/tr" / catalog, "nplurals=2; plural=(n != 1);", "nplurals=2; plural=n != 1;")
    assert check(root).stdout == "No problems found.\n"
    built = run_cli("build", "--project", str(root), "--format", "html", "-q")
    assert (built.exit_code, built.stderr) == (0, "")
    # Nor does catalogs update put its own spelling back: each side would rewrite the file at every turn.
    saved = (root / "locales/tr/releases/hello.po").read_bytes()
    assert run_cli("catalogs", "update", "--project", str(root)).stdout == "All catalogs are up to date.\n"
    assert (root / "locales/tr/releases/hello.po").read_bytes() == saved
    edit(root / "locales/tr/releases/hello.po", "nplurals=2; plural=n != 1;", "nplurals=2; plural=n > 1;")
    assert re.search(r"^locales/tr/releases/hello\.po:\d+: Plural-Forms is 'nplurals=2; plural=n > 1;'; CLDR gives",
                     check(root).stderr, re.M)


def test_a_catalog_saved_in_iso_8859_9_is_read(project):
    """A Turkish catalog in Latin-5, as GNU gettext accepts it: check, status and build ended
    in a traceback (found by a trial)."""
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    text = po.read_text(encoding="utf-8").replace("charset=utf-8", "charset=ISO-8859-9").replace("–", "-")
    # A translator's name with letters ASCII lacks, above Content-Type: Babel's reader decoded
    # those lines as UTF-8, and the catalog could not be read (found by a trial).
    text = re.sub(r'"Last-Translator: [^"]*"', r'"Last-Translator: Ayşe Yılmaz <ayse@example.org>\\n"', text)
    po.write_bytes(text.encode("iso-8859-9"))  # the en dash of a comment is not in Latin-5
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True).returncode == 0
    assert check(root).stdout == "No problems found.\n"
    status = run_cli("status", "--project", str(root))
    assert status.exit_code == 0 and "hello        tr           8/8      0             0         0  ready" in status.stdout
    built = run_cli("build", "--project", str(root), "--format", "html", "-q")
    assert (built.exit_code, built.stderr) == (0, "")
    assert "İstanbul’dan merhaba" in (root / "out/tr/hello.html").read_text(encoding="utf-8")
    # catalogs update writes it in UTF-8: Latin-5 lacks the en dash of pressgen's own comments,
    # written '\u2013', and re-wrapped differently at every run (found by a trial).
    assert run_cli("catalogs", "update", "--project", str(root)).stdout == "updated locales/tr/releases/hello.po\n"
    text = po.read_text(encoding="utf-8")
    assert "charset=UTF-8" in text and "İstanbul'dan merhaba" in text and "\\u2013" not in text and "2011 –" in text
    assert '"Last-Translator: Ayşe Yılmaz <ayse@example.org>\\n"' in text
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True).returncode == 0
    assert run_cli("catalogs", "update", "--project", str(root)).stdout == "All catalogs are up to date.\n"


def test_a_catalog_converted_to_a_legacy_charset_keeps_its_creation_date_when_written_back(project):
    """Found by a trial: `catalogs update` wrote a Windows-1254 catalog back in UTF-8, as it
    should, and moved its POT-Creation-Date, though not one message had changed."""
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    text = po.read_text(encoding="utf-8")
    po.write_bytes(text.replace("charset=utf-8", "charset=windows-1254").encode("cp1254"))
    assert run_cli("catalogs", "update", "--project", str(root)).stdout == "updated locales/tr/releases/hello.po\n"
    # Byte for byte as it was in UTF-8, its POT-Creation-Date included.
    assert po.read_text(encoding="utf-8") == text.replace("charset=utf-8", "charset=UTF-8")


@pytest.mark.parametrize("code", ["{{ release.place.value|upper }}", "{{ org.name|title }}", "{{ x|capitalize }}"])
def test_turkish_unsafe_casing_in_templates(project, code):
    root = project("minimal")
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/heading.html").write_text(f"<h1>{{{{ release.headline }}}}</h1>\n<p>{code}</p>\n")
    result = check(root)
    assert result.exit_code == 1
    assert re.search(r"^templates/partials/heading\.html:2: '\|\s*\w+' cases Turkish wrongly \(i → I, not İ\); "
                     r"use the locale-aware '\|caps' filter$", result.stderr, re.M), result.stderr


def test_turkish_unsafe_casing_by_a_filter_named_to_map_is_found(project):
    """Found by a trial: '|upper' was found, '{{ tags|map("upper")|join }}' went out (KÜLTÜR, EDUCATION)."""
    root = project("minimal")
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/heading.html").write_text(
        '<h1>{{ release.headline }}</h1>\n<p>{{ [release.place.value]|map("upper")|join }}</p>\n')
    result = check(root)
    assert result.exit_code == 1
    assert ("templates/partials/heading.html:2: 'map(\"upper\"' cases Turkish wrongly (i → I, not İ); use the "
            "locale-aware '|caps' filter") in result.stderr.splitlines()


def test_bundled_templates_case_safely():
    from pressgen.qa import template_casing_problems

    for path in (REPO / "src/pressgen/templates").rglob("*.html"):
        assert template_casing_problems(path) == [], path


def test_qa_is_quiet_on_a_clean_project(project):
    assert check(project("minimal")).exit_code == 0


def test_a_problem_points_at_the_line_the_translator_edits(project):
    """Babel keeps the line of an entry's msgid; the translator edits its msgstr (lines below it when
    the source text is wrapped) or removes its fuzzy flag. Problems were named at the msgid."""
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    edit(po, 'msgid "The first paragraph."\nmsgstr "İlk paragraf."',
         'msgid ""\n"The first "\n"paragraph."\nmsgstr "İlk paragraf"')
    edit(po, 'msgctxt "quote"\nmsgid "We are ready"', '#, fuzzy\nmsgctxt "quote"\nmsgid "We are ready"')
    lines = po.read_text(encoding="utf-8").split("\n")
    slip, flag = lines.index('msgstr "İlk paragraf"') + 1, lines.index("#, fuzzy") + 1
    mistake = (f"locales/tr/releases/hello.po:{slip}: paragraph 'The first paragraph.' ends without the source's "
               "final '.'; end with it too, or flag the message '#, ignore-end-stop' where your language ends otherwise")
    checked = check(root)
    assert checked.stderr.splitlines() == [
        "not ready: tr/hello (1 fuzzy)",
        f"  locales/tr/releases/hello.po:{flag}: quote 'We are ready' is fuzzy: marked for review; check the "
        "translation and remove the fuzzy flag",
        mistake]
    built = run_cli("build", "--project", str(root), "--format", "html", "-q")
    assert built.exit_code == 1 and built.stderr.splitlines() == [mistake]


def test_a_placeholder_slip_is_named_at_the_line_gnu_msgfmt_names(project):
    root = project("minimal")
    po = root / "locales/tr/LC_MESSAGES/messages.po"
    edit(po, 'msgstr "Sayfa %(page)s / %(pages)s"', 'msgstr "Sayfa %(sayfa)s / %(pages)s"')
    said = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True).stderr
    gnu = re.search(r"messages\.po:(\d+): a format specification for argument 'page' doesn't exist", said)
    assert gnu, said
    ours = re.search(r"^locales/tr/LC_MESSAGES/messages\.po:(\d+): 'Page %\(page\)s of %\(pages\)s' drops",
                     check(root).stderr, re.M)
    assert ours and ours.group(1) == gnu.group(1)


def test_a_text_edited_before_catalogs_update_says_what_changed_in_it(project):
    """A long paragraph's label is its beginning, which an edit rarely touches: the words that
    changed are named beside it (a new-user trial read 'not in the catalog' of a text that
    looked the same)."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    edit(root / "releases/hello.yaml", "The first paragraph.", "The very first paragraph.")
    said = run_cli("build", "--project", str(root), "--format", "html").stderr
    assert re.search(r"^outdated: tr/hello \(1 changed\); ", said, re.M), said
    assert ("  locales/tr/releases/hello.po: paragraph 'The very first paragraph.' is not in the catalog (its source "
            "changed: 'The first' → 'The very first'); run `pressgen catalogs update`") in said.splitlines()


def test_a_translation_typed_over_the_msgid_is_named_at_its_line(project):
    """Found by a trial: a translator typed the Turkish over the msgid and left msgstr empty;
    check said the English paragraph was 'not in the catalog' with no line, and the way out it
    gave (catalogs update) moved the approved translation out of reach. And the earlier text it
    named was another paragraph of the record ('The first' → 'The last')."""
    root = project("minimal")
    catalog = root / "locales/tr/releases/hello.po"
    edit(catalog, 'msgid "The last paragraph."\nmsgstr "Son paragraf."', 'msgid "Son paragraf."\nmsgstr ""')
    line = catalog.read_text(encoding="utf-8").splitlines().index('msgid "Son paragraf."') + 1
    said = run_cli("check", "--project", str(root)).stderr.splitlines()
    assert said[:2] == [
        "not ready: tr/hello (1 untranslated)",
        f"  locales/tr/releases/hello.po:{line}: paragraph 'The last paragraph.' is not in the catalog, and the "
        "paragraph at this line is not in the record ('Son paragraf.'): if its msgid was edited, put the record's "
        "text back there (the translation goes in msgstr); if the record changed, run `pressgen catalogs update`"]


def test_a_message_msgcat_merged_says_to_keep_one_translation(project, tmp_path):
    """Found by a trial: two translators' catalogs merged with msgcat left both translations under
    '#-#-#-#-#' lines, fuzzy, which check called 'marked for review'."""
    root = project("minimal")
    catalog = root / "locales/tr/releases/hello.po"
    other = tmp_path / "other.po"
    other.write_text(catalog.read_text(encoding="utf-8").replace('msgstr "Son paragraf."', 'msgstr "En son paragraf."'),
                     encoding="utf-8")
    mine = tmp_path / "mine.po"
    shutil.copy(catalog, mine)
    subprocess.run(["msgcat", str(mine), str(other), "-o", str(catalog)], check=True, capture_output=True)
    said = run_cli("check", "--project", str(root)).stderr.splitlines()
    assert re.fullmatch(r"  locales/tr/releases/hello\.po:\d+: paragraph 'The last paragraph\.' is fuzzy: msgcat merged "
                        r"several translations into it, each under a '#-#-#-#-#' line: keep the one you want, without "
                        r"those lines; check the translation and remove the fuzzy flag", said[1]), said


def test_a_fuzzy_message_says_why_it_is_fuzzy(project):
    """Fuzzy after a source edit, the line says so (and where the old text is); fuzzy by hand, it
    says it was marked. The message used to offer both reasons at once."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "The first paragraph.", "The very first paragraph.")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    lines = check(root).stderr.splitlines()
    assert any(line.endswith("paragraph 'The very first paragraph.' is fuzzy: its source changed: 'The first' → "
                             "'The very first' ('#|' shows the old text); check the translation and remove the fuzzy "
                             "flag") for line in lines), lines


def test_status_reads_messages_po_s_plural_forms_as_check_does(project):
    """Turkish's old gettext rule (one form) in messages.po: check and the build refused it, and
    status called the catalog ready (a trial's, with Russian's three-form rule)."""
    root = project("minimal")
    edit(root / "locales/tr/LC_MESSAGES/messages.po", "nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    checked = run_cli("check", "--project", str(root))
    [said] = [line for line in checked.stderr.splitlines() if "Plural-Forms is" in line]
    result = run_cli("status", "--project", str(root))
    assert (checked.exit_code, result.exit_code) == (1, 1) and said in result.stderr.splitlines(), result.output
    [row] = [line for line in result.stdout.splitlines() if line.split()[:2] == ["messages.po", "tr"]]
    assert row.split()[5:] == ["1", "not", "ready"], row


def test_status_names_each_problem_it_counts_as_check_does(project):
    """A translation that drops its source's final '.': a trial's row counted it under problems
    and nothing below the table named it, exit 0, '"errors": []' in --json, where check named
    it at its line and exited 1. So in a fresh clone, after a build, and again from the counts
    kept (.pressgen/verdicts): a problem is never kept, it is named each time."""
    root = project("minimal")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "İlk paragraf."', 'msgstr "İlk paragraf"')
    edit(root / "locales/tr/LC_MESSAGES/messages.po", 'msgstr "Henüz bülten yok."', 'msgstr "Henüz bülten yok"')
    end = "; end with it too, or flag the message '#, ignore-end-stop' where your language ends otherwise"
    expected = [f"locales/tr/LC_MESSAGES/messages.po:77: 'No releases yet.' ends without the source's final '.'{end}",
                f"locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' ends without the source's final "
                f"'.'{end}"]
    checked = check(root)
    assert (checked.exit_code, sorted(checked.stderr.splitlines())) == (1, expected), checked.stderr

    def said():
        table = run_cli("status", "--project", str(root))
        assert (table.exit_code, sorted(table.stderr.splitlines())) == (1, expected), table.output
        rows = {tuple(line.split()[:2]): line.split()[2:] for line in table.stdout.splitlines()[1:]}
        assert rows["messages.po", "tr"][:5] == ["47/47", "0", "0", "1", "not"], rows
        assert rows["hello", "tr"][:5] == ["8/8", "0", "0", "1", "not"], rows
        data = run_cli("status", "--project", str(root), "--json")
        assert (data.exit_code, sorted(json.loads(data.stdout)["errors"])) == (1, expected), data.stdout

    said()  # a fresh clone's: nothing built
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 1
    said()  # after a build, which made .pressgen/: this status keeps what it counted
    said()  # and the next counts again what had a problem
    # A release whose record has a mistake keeps its rows, counted from its catalogs: named there too.
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-02-30")
    record = "releases/hello.yaml:4: 'date' must be a real day, got '2011-02-30': that month has no day 30"
    expected = sorted([*expected, record])
    assert sorted(check(root).stderr.splitlines()) == expected
    said()

def test_check_and_status_lay_out_only_what_changed_since_the_last_build(project, monkeypatch):
    """A pre-commit hook's check of 1,000 releases took 14 s for a one-word edit, and status 12 s:
    each translated and laid out every version again. They read what the last build worked out
    (the build cache, keyed on everything a version is made from), and what changed since."""
    import pressgen.render

    laid_out = []
    real = pressgen.render.Renderer.render_release
    monkeypatch.setattr(pressgen.render.Renderer, "render_release",
                        lambda self, release, *args, **kwargs: laid_out.append((release.id, release.language))
                        or real(self, release, *args, **kwargs))
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    for command in ("check", "status"):
        laid_out.clear()
        assert run_cli(command, "--project", str(root)).exit_code == 0
        assert laid_out == [], command
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Бірінші абзац."', 'msgstr "Бірінші абзац!"')
    for command in ("check", "status"):
        laid_out.clear()
        assert run_cli(command, "--project", str(root)).exit_code == 0
        assert set(laid_out) == {("hello", "kk")}, (command, laid_out)
    # A template broken since: every version is laid out again, and the mistake found.
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates/statement.html").write_text('{% extends "base.html" %}{% block content %}{{ release.nope }}{% endblock %}')
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1 and "templates/statement.html" in result.stderr, result.stderr
