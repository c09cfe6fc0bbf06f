"""Turkish and Kazakh hyphenation at syllable boundaries, on real words."""

from __future__ import annotations

import pytest

from conftest import REPO, run_cli
from pdfread import pdf_text
from pressgen.hyphenate import SOFT_HYPHEN, Names, hyphenate, hyphenate_word


def points(word: str, lang: str) -> str:
    return hyphenate_word(word, lang).replace(SOFT_HYPHEN, "-")


@pytest.mark.parametrize(
    "word, expected",
    [
        ("işbirliği", "iş-bir-liği"),
        ("imzaladı", "im-za-ladı"),
        ("parlamentolar", "par-la-men-to-lar"),
        ("güçlendirilmesinde", "güç-len-di-ril-me-sinde"),
        ("kontrol", "kont-rol"),          # three consonants: before the last one
        ("saatleri", "sa-at-leri"),       # two vowels meet: between them
        ("teşkilatı", "teş-ki-latı"),
        ("yıldönümü", "yıl-dö-nümü"),
        ("ağustos", "ağus-tos"),          # a single letter never stays behind
        ("kültür", "kül-tür"),
        ("sanat", "sanat"),               # under six letters: never split
    ],
)
def test_turkish_words(word, expected):
    assert points(word, "tr") == expected


@pytest.mark.parametrize(
    "word, expected",
    [
        ("ынтымақтастық", "ын-ты-мақ-тас-тық"),
        ("келісімге", "ке-лі-сімге"),
        ("мәдениеті", "мә-де-ни-еті"),
        ("ұйымдастырылған", "ұйым-дас-ты-рыл-ған"),
        ("салтанатты", "сал-та-натты"),
        ("мемлекеттерінің", "мем-ле-кет-те-рі-нің"),
        ("ауыл", "ауыл"),                 # у after a vowel is a consonant: а-уыл leaves one letter
        ("тауының", "та-уы-ның"),
        ("университет", "уни-вер-си-тет"),
        ("көшбасшыларының", "көш-бас-шы-ла-ры-ның"),
    ],
)
def test_kazakh_words(word, expected):
    assert points(word, "kk") == expected


@pytest.mark.parametrize("word", ["TÜRKSOY", "ISESCO", "ТҮРКСОЙ", "ҚазАқпарат", "ИСЕСКО-ның", "2011-де"])
def test_abbreviations_are_never_split(word):
    assert SOFT_HYPHEN not in hyphenate(word, "kk") and SOFT_HYPHEN not in hyphenate(word, "tr")


KAZAKH_NAMES = Names.of(["Қасейінов", "Дүйсен Қасейінов", "Нұр-Сұлтан", "Әзербайжан"], "kk")


@pytest.mark.parametrize("word", ["Қасейінов", "Қасейіновтің", "Дүйсен", "Нұр-Сұлтан", "Әзербайжандағы"])
def test_the_glossarys_people_and_places_are_never_split(word):
    assert SOFT_HYPHEN not in hyphenate(word, "kk", KAZAKH_NAMES)


@pytest.mark.parametrize("text, lang, expected", [
    ("Парламенті мен Сенатының Төрағасы келді", "kk", "Пар-ла-менті мен Се-на-ты-ның Тө-ра-ғасы келді"),
    ("Мәдениетаралық диалог", "kk", "Мә-де-ни-е-та-ра-лық диалог"),
    ("Ambassador Primbetov spoke", "en", "Am-bas-sador Primbetov spoke"),
    ("Parlamentolar arası toplantı", "tr", "Par-la-men-to-lar arası toplantı"),
])
def test_capitalised_common_words_break_like_any_word(text, lang, expected):
    names = Names.of(["Serik Primbetov"], lang)
    assert points_of(text, lang, names) == expected


def test_english_takes_pyphens_dictionary_under_the_same_rules():
    # Names stay whole (pyphen alone gives 'Ashim-bayev' and 'Kaza-kh-stan').
    names = Names.of(["Maulen Ashimbayev", "Kazakhstan"], "en")
    assert points_of("Ashimbayev of Kazakhstan met international partners", "en", names) == \
        "Ashimbayev of Kazakhstan met in-ter-na-tional partners"


@pytest.mark.parametrize("variant, expected", [
    ("en", "or-ga-nized and rec-og-nized the or-ga-ni-za-tion today"),     # the default: US patterns
    ("en-US", "or-ga-nized and rec-og-nized the or-ga-ni-za-tion today"),
    ("en-GB", "or-gan-ized and re-cog-nized the or-gan-iz-a-tion today"),
])
def test_english_breaks_by_the_offices_variant(variant, expected):
    assert points_of("organized and recognized the organization today", variant) == expected


def test_the_last_word_breaks_only_leaving_two_syllables_and_six_letters():
    # 'gerçekleşti-rildi.' would leave a five-letter stub on the paragraph's last line.
    assert points_of("töreni Sarayında gerçekleştirildi.", "tr") == "tö-reni Sa-ra-yında ger-çek-leş-tirildi."
    # 'ya-pıldı' would leave five letters, 'yapıl-dı' one syllable.
    assert points_of("imza töreni yapıldı.", "tr") == "imza tö-reni yapıldı."


def points_of(text: str, lang: str, names: Names = Names()) -> str:
    return hyphenate(text, lang, names).replace(SOFT_HYPHEN, "-")


LONG = {"kk": "ынтымақтастықтың мемлекеттерінің ұйымдастырылған салтанатты көшбасшыларының келісімге " * 3,
        "tr": "güçlendirilmesinde parlamentolar imzaladı teşkilatı işbirliğinin kültürlerinin " * 3}


def narrow_project(project):
    """The minimal project on a narrow page, with long Turkish and Kazakh last paragraphs."""
    root = project("minimal")
    (root / "templates/assets").mkdir(parents=True)
    # A narrow page forces many line breaks.
    (root / "templates/assets/pressgen.css").write_text(
        (REPO / "src/pressgen/templates/assets/pressgen.css").read_text()
        + "\n@media print { @page { size: 70mm 297mm; margin: 10mm; } }\n")
    for lang, text in LONG.items():
        po = root / f"locales/{lang}/releases/hello.po"
        source = po.read_text(encoding="utf-8")
        start = source.index('msgid "The last paragraph."')
        end = source.index("\n", source.index("msgstr", start))
        po.write_text(source[:start] + f'msgid "The last paragraph."\nmsgstr "{text.strip()}."' + source[end:],
                      encoding="utf-8")
    return root


def test_justified_kazakh_and_turkish_pdfs_break_words_at_syllables(project):
    """In a narrow column the PDF breaks words, and only where the rules allow."""
    root = narrow_project(project)
    long = LONG
    assert run_cli("build", "--project", str(root), "--format", "pdf,html").exit_code == 0
    for lang in long:
        # The web page is ragged-right: text copied from it carries no invisible soft hyphens.
        assert SOFT_HYPHEN not in (root / f"out/{lang}/hello.html").read_text(encoding="utf-8")
    for lang, text in long.items():
        lines = pdf_text(root / f"out/{lang}/hello.pdf").splitlines()
        # WeasyPrint draws the break as U+2010 HYPHEN.
        broken = [(a.split()[-1].replace("\u2010", "-"), b.split()[0]) for a, b in zip(lines, lines[1:])
                  if a.endswith(("-", "\u2010")) and a.split() and b.split()]
        assert len(broken) >= 3, (lang, lines)
        for head, tail in broken:
            word = head[:-1] + tail.rstrip(".,")
            allowed, index = set(), 0
            for part in points(word, lang).split("-")[:-1]:
                index += len(part)
                allowed.add(index)
            assert len(head) - 1 in allowed, (head, tail, points(word, lang))


def test_an_html_only_build_writes_the_pages_a_build_with_pdfs_writes(project):
    """Without PDFs a build hyphenates nothing (its pages would only lose the soft hyphens
    again): the pages are the same, byte for byte, and a PDF built after them still breaks words."""
    root = narrow_project(project)
    assert run_cli("build", "--project", str(root), "--format", "html", "-o", str(root / "web")).exit_code == 0
    assert run_cli("build", "--project", str(root), "--format", "pdf,html").exit_code == 0
    pages = sorted(path.relative_to(root / "web") for path in (root / "web").rglob("*.html"))
    assert len(pages) > 6 and pages == sorted(path.relative_to(root / "out") for path in (root / "out").rglob("*.html"))
    for page in pages:
        assert (root / "web" / page).read_bytes() == (root / "out" / page).read_bytes(), page
    assert run_cli("build", "--project", str(root), "--format", "pdf", "-o", str(root / "web")).exit_code == 0
    for lang in LONG:
        assert pdf_text(root / f"web/{lang}/hello.pdf") == pdf_text(root / f"out/{lang}/hello.pdf")
        assert "\u2010\n" in pdf_text(root / f"web/{lang}/hello.pdf")
