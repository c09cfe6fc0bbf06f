"""The glossary: a term written once, keyed by its English msgid, checked in every pair of languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import edit, run_cli

from pressgen.catalogs import read_catalog, render_po
from pressgen.qa import Term, glossary_problems

TURKISH_RELEASE = """\
language: tr
style: statement
organisation: office
date: 2011-04-08
place: Ankara
headline: TÜRKSOY'dan Türkiye'ye selam
summary: Testler için kısa bir bülten.
body:
  - Genel Sekreter Düsen Kaseinov Türkiye'yi ziyaret etti.
tags: [kültür]
"""

ENGLISH = {
    "TÜRKSOY'dan Türkiye'ye selam": "Greetings from TÜRKSOY to Turkey",
    "Testler için kısa bir bülten.": "A short release for tests.",
    "Ankara": "Ankara",
    "Genel Sekreter Düsen Kaseinov Türkiye'yi ziyaret etti.": "Secretary General Düsen Kaseinov visited Turkey.",
    "kültür": "culture",
}
KAZAKH = {
    "TÜRKSOY'dan Türkiye'ye selam": "ТҮРКСОЙ-дан Түркияға сәлем",
    "Testler için kısa bir bülten.": "Сынақтарға арналған қысқа релиз.",
    "Ankara": "Анкара",
    "Genel Sekreter Düsen Kaseinov Türkiye'yi ziyaret etti.": "Бас хатшы Дүйсен Қасейінов Түркияға барды.",
    "kültür": "мәдениет",
}


def write_glossary(root: Path, lang: str, terms: list[tuple[str, str, str]]) -> Path:
    """locales/<lang>/glossary.po with (msgctxt, msgid, msgstr) terms, as a translator writes it."""
    path = root / "locales" / lang / "glossary.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    entries = "".join(f'\nmsgctxt "{c}"\nmsgid "{i}"\nmsgstr "{s}"\n' for c, i, s in terms)
    path.write_text(f'msgid ""\nmsgstr ""\n"Language: {lang}\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
                    f'"Content-Type: text/plain; charset=UTF-8\\n"\n{entries}', encoding="utf-8")
    return path


def translate(path: Path, lang: str, strings: dict[str, str]) -> None:
    catalog = read_catalog(path, lang)
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
            message.flags.discard("fuzzy")
    path.write_bytes(render_po(catalog))


def check(root: Path):
    return run_cli("check", "--project", str(root))


@pytest.fixture
def turkish(project):
    """The minimal office with a release written in Turkish, translated into English and Kazakh,
    and glossaries that give TÜRKSOY, Turkey and Düsen Kaseinov in each language."""
    root = project("minimal")
    (root / "releases/merhaba.yaml").write_text(TURKISH_RELEASE, encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    translate(root / "locales/en/releases/merhaba.po", "en", ENGLISH)
    translate(root / "locales/kk/releases/merhaba.po", "kk", KAZAKH)
    write_glossary(root, "tr", [("organisation", "TÜRKSOY", "TÜRKSOY"), ("place", "Turkey", "Türkiye"),
                                ("person", "Düsen Kaseinov", "Düsen Kaseinov")])
    write_glossary(root, "kk", [("organisation", "TÜRKSOY", "ТҮРКСОЙ"), ("place", "Turkey", "Түркия"),
                                ("person", "Düsen Kaseinov", "Дүйсен Қасейінов")])
    assert check(root).exit_code == 0, check(root).output
    return root


def test_a_release_written_in_turkish_is_checked_against_the_turkish_terms(turkish):
    edit(turkish / "locales/kk/releases/merhaba.po", "Түркияға барды", "Туркияға барды")
    edit(turkish / "locales/en/releases/merhaba.po", "Greetings from TÜRKSOY", "Greetings from Turksoy")
    result = check(turkish)
    assert result.exit_code == 1
    assert re.search(r"^locales/kk/releases/merhaba\.po:\d+: paragraph 'Genel Sekreter Düsen Kaseinov Türkiye'yi…' "
                     r"has 'Türkiye' but not the glossary's 'Түркия'; use it, or flag the "
                     r"message '#, ignore-check-glossary' where it does not fit$", result.stderr, re.M), result.stderr
    # English needs no glossary of its own: its form of a term is the msgid.
    assert re.search(r"^locales/en/releases/merhaba\.po:\d+: headline 'TÜRKSOY'dan Türkiye'ye selam' has 'TÜRKSOY' "
                     r"but not the glossary's 'TÜRKSOY'; use it, or flag the message '#, ignore-check-glossary' where it "
                     r"does not fit$", result.stderr, re.M), result.stderr
    # The build refuses both versions, and publishes the Turkish original.
    build = run_cli("build", "--project", str(turkish), "--format", "html", "--release", "merhaba")
    assert build.exit_code == 1
    assert "has 'Türkiye' but not the glossary's 'Түркия'" in build.stderr
    assert (turkish / "out/tr/merhaba.html").exists()
    assert not (turkish / "out/kk/merhaba.html").exists() and not (turkish / "out/en/merhaba.html").exists()
    status = {(r["release"], r["lang"]): r for r in json.loads(run_cli("status", "--project", str(turkish),
                                                                       "--json").stdout)["catalogs"]}
    assert (status["merhaba", "kk"]["problems"], status["merhaba", "en"]["problems"]) == (1, 1)


def test_a_turkish_release_is_not_checked_against_english_spellings(turkish):
    # The English msgid 'Turkey' is not looked for in a Turkish text, nor its Kazakh
    # rendering required for it: the Turkish form 'Türkiye' is the term.
    edit(turkish / "releases/merhaba.yaml", "selam", "selam, Turkey")
    run_cli("catalogs", "update", "--project", str(turkish))
    translate(turkish / "locales/kk/releases/merhaba.po", "kk",
              {"TÜRKSOY'dan Türkiye'ye selam, Turkey": "ТҮРКСОЙ-дан Түркияға сәлем, Turkey"})
    translate(turkish / "locales/en/releases/merhaba.po", "en",
              {"TÜRKSOY'dan Türkiye'ye selam, Turkey": "Greetings from TÜRKSOY to Turkey, Turkey"})
    assert check(turkish).exit_code == 0, check(turkish).output


def test_an_english_glossary_gives_the_form_english_translations_need(turkish):
    write_glossary(turkish, "en", [("place", "Turkey", "Türkiye")])
    result = check(turkish)
    assert re.search(r"^locales/en/releases/merhaba\.po:\d+: headline 'TÜRKSOY'dan Türkiye'ye selam' has 'Türkiye' "
                     r"but not the glossary's 'Türkiye'; use it, or flag the message '#, ignore-check-glossary' where it "
                     r"does not fit$", result.stderr, re.M), result.stderr
    translate(turkish / "locales/en/releases/merhaba.po", "en", {
        "TÜRKSOY'dan Türkiye'ye selam": "Greetings from TÜRKSOY to Türkiye",
        "Genel Sekreter Düsen Kaseinov Türkiye'yi ziyaret etti.": "Secretary General Düsen Kaseinov visited Türkiye."})
    assert check(turkish).exit_code == 0, check(turkish).output
    # An English source is searched for both forms: the msgid and the office's English form.
    edit(turkish / "locales/kk/releases/hello.po", 'msgstr "Соңғы абзац."', 'msgstr "Соңғы абзац, Туркия."')
    edit(turkish / "locales/kk/releases/hello.po", 'msgid "The last paragraph."', 'msgid "The last paragraph, Türkiye."')
    edit(turkish / "releases/hello.yaml", "The last paragraph.", "The last paragraph, Türkiye.")
    assert "has 'Türkiye' but not the glossary's 'Түркия'" in check(turkish).stderr


def test_an_english_glossary_is_no_catalog_to_update_and_no_status_row(turkish):
    glossary = write_glossary(turkish, "en", [("place", "Turkey", "Türkiye")])
    before = glossary.read_bytes()
    update = run_cli("catalogs", "update", "--project", str(turkish))
    assert (update.exit_code, update.stdout) == (0, "All catalogs are up to date.\n")
    assert glossary.read_bytes() == before
    status = run_cli("status", "--project", str(turkish), "--json")
    # What it asks of the English translation is named, as check names it (status said nothing, exit 0).
    checked = check(turkish)
    assert (status.exit_code, json.loads(status.stdout)["errors"]) == (1, checked.stderr.splitlines()), checked.stderr
    assert "has 'Türkiye' but not the glossary's 'Türkiye'" in checked.stderr
    assert "locales/en/glossary.po" not in [r["catalog"] for r in json.loads(status.stdout)["catalogs"]]
    # Like every catalog, it is read strictly.
    glossary.write_text(before.decode() + 'msgid "x"\nbroken\n', encoding="utf-8")
    result = check(turkish)
    assert re.search(r"^locales/en/glossary\.po:11: unknown keyword 'broken'; a line is a comment", result.stderr, re.M), result.stderr


def test_a_term_in_wire_capitals_is_found(project):
    root = project("minimal")
    write_glossary(root, "kk", [("person", "Ayşe Yılmaz", "Айше Йылмаз")])
    write_glossary(root, "tr", [("person", "Ayşe Yılmaz", "Ayşe Yılmaz")])
    assert check(root).exit_code == 0
    # Wire style writes surnames in capitals.
    edit(root / "releases/hello.yaml", "Ayşe Yılmaz", "Ayşe YILMAZ")
    for lang in ("tr", "kk"):
        edit(root / f"locales/{lang}/releases/hello.po", "Ayşe Yılmaz, Director", "Ayşe YILMAZ, Director")
    edit(root / "locales/kk/releases/hello.po", "Айше Йылмаз", "Айша Йилмаз")
    result = check(root)
    assert result.exit_code == 1
    assert re.search(r"^locales/kk/releases/hello\.po:\d+: quote attribution 'Ayşe YILMAZ, Director' has 'Ayşe Yılmaz' "
                     r"but not the glossary's 'Айше Йылмаз'; use it, or flag the message '#, ignore-check-glossary' where "
                     r"it does not fit$", result.stderr, re.M), result.stderr
    # The rendering in capitals is the rendering: case is ignored by each language's rules.
    edit(root / "locales/kk/releases/hello.po", "Айша Йилмаз", "Айше ЙЫЛМАЗ")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Ayşe Yılmaz, Müdür"', 'msgstr "Ayşe YILMAZ, Müdür"')
    assert check(root).exit_code == 0, check(root).output


TERMS = [Term("TÜRKSOY", "ТҮРКСОЙ"), Term("Kaseinov", "Қасейінов"), Term("OC", "МК"), Term("Yalçın Topçu", "Ялчын Топчу"),
         Term("Kyrgyzstan", "Қырғызстан"), Term("Turkey", "Түркия")]

MATCHING = [
    # (source, translation, the terms reported missing)
    ("TÜRKSOY met", "ТҮРКСОЙ-дың отырысы", []),
    ("TURKSOY met", "Туркусой", ["TÜRKSOY"]),  # an unaccented spelling in the source is the term
    ("Turksoy's members", "Түрксой мүшелері", []),  # the translation's case is its own
    ("TÜRKSOY'un üyeleri", "мүшелері", ["TÜRKSOY"]),  # inflected forms count
    ("Kaseinov said", "Қасейіновтің айтуынша", []),
    ("KASEINOV said", "Касеинов айтты", ["Kaseinov"]),
    ("Yalçın TOPÇU said", "Ялчын ТОПЧУ айтты", []),
    ("Yalcin Topcu said", "Ялчин Топчу айтты", ["Yalçın Topçu"]),
    ("In October", "Қазанда", []),  # a short term is found as a word only, not as the start of one
    ("The OC's staff", "МК қызметкерлері", []),
    ("The OC's staff", "Кеңсе қызметкерлері", ["OC"]),
    ("the Kyrgyzstani delegation", "Қырғызстандық делегация", []),
    ("Bakhyt Kaseinova", "Бақыт Қасейінова", []),  # a prefix of a longer name is the term, as an inflection is
    ("Mokaseinov", "Мокасейнов", []),  # not inside a word
    # An address is no term: turksoy in www.turksoy.org is a domain, written as it is.
    ("Details at www.turksoy.org and press@turksoy.org.", "Толығырақ: www.turksoy.org, press@turksoy.org.", []),
    ("See https://turksoy.org/haberler'de", "https://turksoy.org/haberler сайтын қараңыз", []),
    ("TÜRKSOY's site, www.turksoy.org", "Ұйымның сайты, www.turksoy.org", ["TÜRKSOY"]),  # the name itself still counts
    # A name is not in a word that begins in lower case (a trial: 'Астана' in 'астанасы', 'its capital').
    ("a turkey's feathers", "күркетауықтың қауырсыны", []),
    ("TURKEY'S capital", "астанасы", ["Turkey"]),
    ("a turkey from Turkey", "күркетауық", ["Turkey"]),
    ("Turkey's capital", "елдің астанасы, түркия", ["Turkey"]),  # nor in the translation (a trial)
    ("Turkey's capital", "ТҮРКИЯНЫҢ астанасы", []),
]


@pytest.mark.parametrize("source, translation, missing", MATCHING, ids=[m[0] for m in MATCHING])
def test_how_a_term_is_found(source, translation, missing):
    problems = glossary_problems(source, translation, TERMS, "kk")
    assert [re.match(r"has '(.*?)'", p).group(1) for p in problems] == missing


def test_turkish_capitals_are_read_by_turkish_rules():
    terms = [Term("Isparta", "Isparta"), Term("İzmir", "İzmir"), Term("Kazinform", "Kazinform")]
    # ISPARTA is Isparta and İZMİR İzmir in Turkish; a brand keeps its own capitals (KAZINFORM).
    assert glossary_problems("Isparta, İzmir, Kazinform", "ISPARTA'da, İZMİR'de, KAZINFORM", terms, "tr") == []
    assert glossary_problems("İzmir", "Izmir", terms, "tr") == []  # I may stand for either i
    assert glossary_problems("İzmir", "Ismir", terms, "tr") == [
        "has 'İzmir' but not the glossary's 'İzmir'; use it, or flag the message '#, ignore-check-glossary' where it does not fit"]
    assert glossary_problems("Baku", "Baku'da", [Term("Baku", "Bakü")], "tr") == [
        "has 'Baku' but not the glossary's 'Bakü'; use it, or flag the message '#, ignore-check-glossary' where it does not fit"]


def test_an_edit_to_the_source_languages_glossary_reaches_a_built_version(turkish):
    assert run_cli("build", "--project", str(turkish), "--format", "html").exit_code == 0
    assert (turkish / "out/kk/merhaba.html").exists()
    # The Kazakh version of a Turkish release depends on the Turkish glossary too.
    edit(turkish / "locales/tr/glossary.po", 'msgstr "TÜRKSOY"', 'msgstr "ziyaret"')
    result = run_cli("build", "--project", str(turkish), "--format", "html")
    assert result.exit_code == 1
    assert ("paragraph 'Genel Sekreter Düsen Kaseinov Türkiye'yi…' has 'ziyaret' but not the glossary's "
            "'ТҮРКСОЙ'") in result.stderr


def test_status_names_an_unreadable_glossary_not_the_catalogs_it_holds_back(project):
    """Found by a trial: the Turkish rows said 'the catalog cannot be read', of catalogs that were
    whole; the glossary was the file to mend."""
    root = project("minimal")
    (root / "locales/tr/glossary.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: tr\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "organisation"\nmsgid "Office"\nmsgstr "Ofis\\y"\n', encoding="utf-8")
    result = run_cli("status", "--project", str(root))
    rows = {tuple(line.split()[:2]): line for line in result.stdout.splitlines()[1:]}
    for row in (("messages.po", "tr"), ("hello", "tr")):
        assert rows[row].endswith("not ready (locales/tr/glossary.po cannot be read (see the error))"), rows[row]
