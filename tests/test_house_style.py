"""House style as a journalist reads it: datelines, quotes, embargo, corrections, boilerplate."""

from __future__ import annotations

import re

import pytest

from conftest import edit, flat, run_cli
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
    assert run_cli("build", "--project", str(root), "-o", str(root / "out"), "--lang", lang, "--now", "2011-04-08 09:59 Asia/Baku").exit_code == 0
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
    assert ">TÜRKSOY ile ISESCO arasında iş\u00a0birliği\u00a0anlaşması</h1>" in html  # <h1 data-pagefind-body>
    # Machine-readable copies keep the text as written.
    assert "TÜRKSOY'un" in (built_office / "out/tr/turksoy-isesco-agreement.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang, quote_end", [("en", "meetings,» said Ashimbayev."),
                                             ("tr", "özel önem veriliyor.” dedi Aşimbayev."),
                                             ("kk", "аударылады», — деді Мәулен Әшімбаев.")])
def test_wire_quote_joins_its_speaker_as_each_language_punctuates(built_office, lang, quote_end):
    """English: comma inside « ». Turkish news style: “ ”, the quoted sentence keeps its full
    stop (the source quote has none: pressgen adds it), no comma. Kazakh: comma after « »,
    then an em dash."""
    assert quote_end in flat(pdf_text(built_office / f"out/{lang}/ashimbayev-raev-meeting.pdf"))
    html = (built_office / f"out/{lang}/ashimbayev-raev-meeting.html").read_text(encoding="utf-8")
    assert quote_end.replace(" — ", "\u00a0— ") in html.replace("\n", " ")
    assert "«" not in html if lang == "tr" else "«" in html


def test_kazakh_dash_never_opens_a_line(built_office):
    """Kazakh writes an em dash, and the space before it does not break: '», — деді',
    'ТҮРКСОЙ — Халықаралық түркі мәдениеті ұйымы' in the boilerplate."""
    wire = (built_office / "out/kk/ashimbayev-raev-meeting.html").read_text(encoding="utf-8")
    assert "аударылады»,\u00a0— деді Мәулен Әшімбаев." in wire
    assert "ТҮРКСОЙ\u00a0— түркі елдерінің" in wire
    statement = (built_office / "out/kk/turksoy-isesco-agreement.html").read_text(encoding="utf-8")
    assert "ТҮРКСОЙ\u00a0— Халықаралық түркі мәдениеті ұйымы." in statement
    for page in (wire, statement):
        assert " – " not in page and " — " not in page


@pytest.mark.parametrize("source, words, printed", [
    ("TÜRKSOY is ready", "TÜRKSOY hazır", "“TÜRKSOY hazır.” dedi Aşimbayev."),
    ("TÜRKSOY is ready.", "TÜRKSOY hazır.", "“TÜRKSOY hazır.” dedi Aşimbayev."),
    ("Is TÜRKSOY ready?", "TÜRKSOY hazır mı?", "“TÜRKSOY hazır mı?” dedi Aşimbayev."),
])
def test_turkish_wire_quote_keeps_its_sentence_whole(office, source, words, printed):
    """Turkish news style: the quoted sentence keeps its full stop inside the marks, and gets
    one when the source quote has none (a translation may not add it: QA follows the source)."""
    record = office / "releases/ashimbayev-raev-meeting.yaml"
    text = record.read_text(encoding="utf-8")
    start = text.index("  - quote: >")
    end = text.index("    by:", start)
    record.write_text(text[:start] + f"  - quote: {source}\n" + text[end:], encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(office)).exit_code == 0
    path = office / "locales/tr/releases/ashimbayev-raev-meeting.po"
    catalog = read_catalog(path, "tr")
    catalog.get(source, context="quote").string = words
    catalog.get(source, context="quote").flags.discard("fuzzy")
    path.write_bytes(render_po(catalog))
    args = ("--project", str(office), "--lang", "tr", "--release", "ashimbayev-raev-meeting", "--format", "html,ninjs")
    result = run_cli("build", *args)
    assert result.exit_code == 0, result.output
    assert printed in (office / "out/tr/ashimbayev-raev-meeting.html").read_text(encoding="utf-8")
    item = (office / "out/tr/ashimbayev-raev-meeting.json").read_text(encoding="utf-8")
    assert printed in item


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


@pytest.mark.parametrize("lang, release, wording", [
    # The standfirst names its speaker in full; it is read before the body that introduces him.
    ("en", "turksoy-isesco-agreement", "TÜRKSOY Secretary General Düsen Kaseinov said the organization would begin"),
    ("tr", "turksoy-isesco-agreement", "TÜRKSOY Genel Sekreteri Düsen Kaseinov, teşkilatın gelecek yıl"),
    ("kk", "turksoy-isesco-agreement", "ТҮРКСОЙ-дың Бас хатшысы Дүйсен Қасейінов ұйымның келесі жылы"),
    # The organisation writes Türkiye in English too.
    ("en", "turksoy-isesco-agreement", "Kyrgyzstan, Türkiye, Turkmenistan and Uzbekistan"),
    # TDK writes -arası compounds as one word; a numbered congress takes its number first.
    ("tr", "ashimbayev-raev-meeting", "Parlamentolararası etkinlik"),
    ("tr", "ashimbayev-raev-meeting", "yaklaşan 7. Dünya ve Geleneksel Dinler Liderleri Kongresi hakkında"),
    # Kazakh spells Azerbaijan as its orthographic dictionary and CLDR do (the embargo line's
    # zone name, 'Әзірбайжан уақыты', already did).
    ("kk", "turksoy-isesco-agreement", "Қазақстанның Әзірбайжандағы елшісі"),
    ("kk", "turksoy-isesco-agreement", "Ұйымды 1993 жылы Әзірбайжан, Қазақстан"),
])
def test_shipped_wording_as_the_language_review_left_it(built_office, lang, release, wording):
    html = Page((built_office / f"out/{lang}/{release}.html").read_text(encoding="utf-8")).text
    assert wording in flat(html)
    assert "Әзербайжан" not in html


def test_english_boilerplate_no_longer_says_turkey(built_office):
    html = (built_office / "out/en/turksoy-isesco-agreement.html").read_text(encoding="utf-8")
    about = html[html.index('<section class="about">'):]
    assert "Turkey" not in about[:about.index("</section>")]


def test_turkish_double_quotes_are_balanced_for_qa(office):
    """“ opens a Turkish (and English) quote and closes a German one („…“): QA counts a “
    that a ” closes as an opening mark, and still finds a „ left open."""
    path = office / "locales/tr/releases/ashimbayev-raev-meeting.po"
    edit(path, "Senato Başkanı Aşimbayev, TÜRKSOY'un", "“Senato Başkanı” Aşimbayev, TÜRKSOY'un")
    result = run_cli("check", "--project", str(office))
    assert result.exit_code == 0, result.stderr
    edit(path, "“Senato Başkanı” Aşimbayev", "„Senato Başkanı Aşimbayev")
    result = run_cli("check", "--project", str(office))
    assert result.exit_code == 1
    assert re.fullmatch(r"locales/tr/releases/ashimbayev-raev-meeting\.po:\d+: paragraph 'Speaker Ashimbayev noted "
                        r"that over the 30…' has unbalanced „ “; pair them as the source does\n", result.stderr), \
        result.stderr


def test_the_kazakh_wire_pattern_supplies_the_em_dash_before_the_speaker(project):
    """A Kazakh writer or translator writes the attribution as the words after the quote
    (`деді Әшімбаев.`); the house's «…», — comes from the pattern, as the comma does in English."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "style: statement", "style: wire")
    edit(root / "releases/hello.yaml", "by: Ayşe Yılmaz, Director", "by: said Ayşe Yılmaz.")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    translate(root, "kk", {"said Ayşe Yılmaz.": "деді Айше Йылмаз."})
    assert run_cli("build", "--project", str(root)).exit_code == 0
    html = (root / "out/kk/hello.html").read_text(encoding="utf-8")
    assert '<p class="quote">«Біз дайынбыз»,\u00a0— деді Айше Йылмаз.</p>' in html
    assert "«Біз дайынбыз», — деді Айше Йылмаз." in flat(pdf_text(root / "out/kk/hello.pdf"))


def test_a_plural_possessive_gets_the_typographic_apostrophe_too(project):
    """officials' offices, like Foundation's: the page and the PDF print ’, the subject too."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "The first paragraph.", "The officials' first paragraph.")
    assert run_cli("build", "--project", str(root), "--lang", "en").exit_code == 0
    html = (root / "out/en/hello.html").read_text(encoding="utf-8")
    assert "ISTANBUL, April 8, 2011 –</span> The officials’ first paragraph.</p>" in html
    assert "The officials’ first paragraph." in flat(pdf_text(root / "out/en/hello.pdf"))
