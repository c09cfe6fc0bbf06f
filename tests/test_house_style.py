"""House style as a journalist reads it: datelines, quotes, embargo, corrections, boilerplate."""

from __future__ import annotations

import pytest

from conftest import flat, run_cli
from htmlread import Page
from pdfread import pdf_text
from pressgen.catalogs import read_catalog, render_po


def translate(root, lang: str, table: dict[str, str]) -> None:
    """Fill a release catalog as a translator would (after `pressgen catalogs update`)."""
    path = root / f"locales/{lang}/releases/hello.po"
    catalog = read_catalog(path, lang)
    for message in catalog:
        if message.id in table:
            message.string = table[message.id]
    path.write_bytes(render_po(catalog))


@pytest.fixture
def built_minimal(project):
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    return root


@pytest.mark.parametrize(
    "lang, dateline, quote",
    [
        ("en", "ISTANBUL, April 8, 2011 – The first paragraph.", "“We are ready”"),
        ("tr", "İSTANBUL, 8 Nisan 2011 – İlk paragraf.", "“Biz hazırız”"),
        ("kk", "ЫСТАНБҰЛ, 2011 ж. 8 сәуір – Бірінші абзац.", "«Біз дайынбыз»"),
    ],
)
def test_dateline_and_quotes_in_each_language(built_minimal, lang, dateline, quote):
    pdf = flat(pdf_text(built_minimal / f"out/{lang}/hello.pdf"))
    html = Page((built_minimal / f"out/{lang}/hello.html").read_text(encoding="utf-8")).text
    for text in (pdf, flat(html)):
        assert dateline in text
        assert quote in text


def test_capitals_are_in_the_text_not_only_in_css(built_minimal):
    """Copied or extracted text keeps Turkish capitals: the dateline is written İSTANBUL."""
    html = (built_minimal / "out/tr/hello.html").read_text(encoding="utf-8")
    assert '<span class="dateline">İSTANBUL, 8 Nisan 2011 –</span>' in html


@pytest.mark.parametrize(
    "lang, about",
    [
        ("en", "ABOUT TÜRKSOY TÜRKSOY, the International Organization of Turkic Culture, was founded in 1993"),
        ("tr", "TÜRKSOY HAKKINDA"),
        ("kk", "ТҮРКСОЙ ТУРАЛЫ"),
    ],
)
def test_boilerplate_in_every_language(built_office, lang, about):
    page = Page((built_office / f"out/{lang}/turksoy-isesco-agreement.html").read_text(encoding="utf-8"))
    sections = [a for a in page.tags("section") if a.get("class") == "about"]
    assert sections
    pdf = flat(pdf_text(built_office / f"out/{lang}/turksoy-isesco-agreement.pdf")).replace(" ", "")
    assert about.replace(" ", "") in pdf


@pytest.mark.parametrize(
    "lang, credit",
    [
        ("en", "Reproduction of this item is permitted with a link to inform.kz."),
        ("tr", "Bu haber, inform.kz’ye bağlantı verilerek yeniden yayımlanabilir."),
        ("kk", "Бұл материалды inform.kz сайтына сілтеме берген жағдайда көшіріп басуға рұқсат етіледі."),
    ],
)
def test_wire_carries_the_agency_credit_line(built_office, lang, credit):
    assert credit in flat(pdf_text(built_office / f"out/{lang}/ashimbayev-raev-meeting.pdf"))


@pytest.mark.parametrize(
    "lang, line",
    [
        ("en", "EMBARGOED UNTIL April 8, 2011, 10:00 (Azerbaijan Time)"),
        ("tr", "8 Nisan 2011, 10:00 (Azerbaycan Saati) TARİHİNE KADAR AMBARGOLU"),
        ("kk", "ЭМБАРГО: 2011 ж. 8 сәуір, 10:00 (Әзірбайжан уақыты)"),
    ],
)
def test_embargo_line(project, lang, line):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "embargo: 2011-04-08 10:00 Asia/Baku\n")
    assert run_cli("build", "--project", str(root), "--lang", lang, "--now", "2011-04-08 09:59 Asia/Baku").exit_code == 0
    # The label is set in capitals by CSS, which follows the page's language (Turkish İ);
    # its date and time keep their case (Kazakh 'ж.' is the year's abbreviation).
    pdf = flat(pdf_text(root / f"out/{lang}/hello.pdf"))
    assert line.replace(" ", "") in pdf.replace(" ", "")
    assert "IMMEDIATE" not in pdf


def test_corrections_and_version(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "version: 2\ncorrections:\n  - date: 2011-04-09\n"
                      "    note: Corrects the director's name.\n")
    run_cli("catalogs", "update", "--project", str(root))
    translate(root, "tr", {"Corrects the director's name.": "Müdürün adı düzeltildi."})
    translate(root, "kk", {"Corrects the director's name.": "Директордың аты түзетілді."})
    assert run_cli("build", "--project", str(root)).exit_code == 0
    expected = {
        "en": ("Corrected on April 9, 2011: Corrects the director’s name.", "Version 2"),
        "tr": ("9 Nisan 2011 tarihinde düzeltildi: Müdürün adı düzeltildi.", "Sürüm 2"),
        "kk": ("Түзету (2011 ж. 9 сәуір): Директордың аты түзетілді.", "2-нұсқа"),
    }
    for lang, (correction, version) in expected.items():
        html = flat(Page((root / f"out/{lang}/hello.html").read_text(encoding="utf-8")).text)
        pdf = flat(pdf_text(root / f"out/{lang}/hello.pdf"))
        for text in (html, pdf):
            assert correction in text
            assert version in text


def test_correction_needs_date_and_note(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + "version: zero\ncorrections:\n  - note: No date.\n")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "releases/hello.yaml:14: 'version' must be a whole number from 1 up, got 'zero'",
        "releases/hello.yaml:16: a correction is missing the required field 'date'",
    ]


def test_typographic_apostrophes_and_no_one_word_headline_line(built_office):
    """Turkish suffixes after a name take ’, not the typewriter's '; a headline's last two words stay
    together, and so do the two words of 'iş birliği'."""
    pdf = pdf_text(built_office / "out/tr/turksoy-isesco-agreement.pdf")
    assert "TÜRKSOY’un" in pdf and "TÜRKSOY'un" not in pdf
    html = (built_office / "out/tr/turksoy-isesco-agreement.html").read_text(encoding="utf-8")
    assert "<h1>TÜRKSOY ile ISESCO arasında iş\u00a0birliği\u00a0anlaşması</h1>" in html
    # Machine-readable copies keep the text as written.
    assert "TÜRKSOY'un" in (built_office / "out/tr/turksoy-isesco-agreement.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, quote_end", [("en", "meetings,» said Ashimbayev."),
                                             ("tr", "veriliyor» dedi Aşimbayev."),
                                             ("kk", "аударылады», – деді Мәулен Әшімбаев.")])
def test_wire_quote_joins_its_speaker_as_each_language_punctuates(built_office, lang, quote_end):
    assert quote_end in flat(pdf_text(built_office / f"out/{lang}/ashimbayev-raev-meeting.pdf"))


def test_wire_dateline_signs_as_the_agency_writes_its_name(office):
    """'dateline: KAZINFORM' keeps the brand's capitals in Turkish; without it the short name
    takes Turkish capitals, with a dotted İ."""
    page = office / "out/tr/ashimbayev-raev-meeting.html"
    build = ("build", "--project", str(office), "--lang", "tr", "--release", "ashimbayev-raev-meeting", "--format", "html")
    assert run_cli(*build).exit_code == 0
    assert "NUR-SULTAN. KAZINFORM –" in Page(page.read_text(encoding="utf-8")).text
    config = office / "pressgen.yaml"
    config.write_text("".join(line for line in config.read_text(encoding="utf-8").splitlines(keepends=True)
                              if not line.strip().startswith("dateline:")), encoding="utf-8")
    assert run_cli(*build).exit_code == 0
    assert "NUR-SULTAN. KAZİNFORM –" in Page(page.read_text(encoding="utf-8")).text


@pytest.mark.parametrize("words, printed", [
    ("Who could have imagined it's 5 nations?", "«Who could have imagined it’s 5\u00a0nations?» said Ashimbayev."),
    ("We are ready.", "«We are ready,» said Ashimbayev."),
])
def test_wire_quote_punctuation_gives_way_to_the_quotes_own(office, words, printed):
    record = office / "releases/ashimbayev-raev-meeting.yaml"
    text = record.read_text(encoding="utf-8")
    start = text.index("  - quote: >")
    end = text.index("    by:", start)
    record.write_text(text[:start] + f"  - quote: {words}\n" + text[end:], encoding="utf-8")
    args = ("--project", str(office), "--lang", "en", "--release", "ashimbayev-raev-meeting", "--format", "html,ninjs")
    assert run_cli("build", *args).exit_code == 0
    page = (office / "out/en/ashimbayev-raev-meeting.html").read_text(encoding="utf-8")
    assert printed in page
    # ninjs keeps the text as written, with the same punctuation.
    item = (office / "out/en/ashimbayev-raev-meeting.json").read_text(encoding="utf-8")
    assert printed.replace("’", "'").replace("\u00a0", " ") in item


def test_the_dateline_opens_the_first_paragraph_even_after_an_opening_quote(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    text = record.read_text(encoding="utf-8")
    start = text.index("  - quote: We are ready")
    end = text.index("  - The last paragraph.")
    quote = text[start:end]
    record.write_text(text[:start].replace("body:\n", "body:\n" + quote) + text[end:], encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--lang", "en", "--format", "html").exit_code == 0
    page = flat(Page((root / "out/en/hello.html").read_text(encoding="utf-8")).text)
    assert "“We are ready” — Ayşe Yılmaz, Director ISTANBUL, April 8, 2011 – The first paragraph." in page
