"""PDF text a journalist can quote: every word of a release comes back out of its PDF.

A journalist copies from the PDF, searches it, or feeds it to a tool; poppler
(pdftotext, what most viewers and search engines use) and pypdf must both give the
words of the headline, standfirst and body exactly. A line broken at a soft hyphen
reads as 'organ‐\\nized' (U+2010, or U+00AD), which is joined first. Page furniture
(the running headline, the footer's organisation and page number) sits in the page
margins and is left out, so a paragraph that runs onto the next page stays whole.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import run_cli
from pdfread import pdf_text
from pressgen.catalogs import read_catalog, render_po

MM = 72 / 25.4
TOP, BOTTOM = 20 * MM, 22 * MM
"""The print stylesheet's @page margins (20mm 22mm 22mm): the margin boxes live there."""

LIGATURE_PRONE = ["office", "affiliated", "fjord", "efficient", "official", "difficult", "Effendi"]


def poppler_text(path: Path) -> str:
    """pdftotext's text of the page areas inside the margins, page after page."""
    width, height = 595, 842  # A4 in points
    crop = ["-x", "0", "-y", str(int(TOP)), "-W", str(width), "-H", str(int(height - TOP - BOTTOM))]
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pypdf_text(path: Path) -> str:
    """pypdf's text of the same areas; a new line wherever the text moves to another line."""
    pages = []
    for page in PdfReader(path).pages:
        height = float(page.mediabox.height)
        parts: list[str] = []
        last: list[float] = []

        def visit(text, cm, tm, font, size):
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if not text or not BOTTOM <= y <= height - TOP:
                return
            if last and abs(y - last[-1]) > 1:
                parts.append("\n")
            last.append(y)
            parts.append(text)

        page.extract_text(visitor_text=visit)
        pages.append("".join(parts))
    return "\f".join(pages)


def words(text: str) -> list[str]:
    """The words of a text, with a word broken at a soft hyphen at a line's end joined again."""
    text = re.sub(r"[\u00ad\u2010]+[ \t]*\n", "", unicodedata.normalize("NFC", text))
    return re.findall(r"\w+", text)


def missing(expected: list[str], found: list[str]) -> list[str]:
    """Each expected text whose words do not come out of the PDF together, in order."""
    joined = " " + " ".join(" ".join(words(text)) for text in found) + " "
    return [text for text in expected if f" {' '.join(words(text))} " not in joined]


def release_texts(out: Path, lang: str, release_id: str) -> list[str]:
    """Headline, standfirst and body paragraphs (quotes with their speakers, as printed),
    from the release's ninjs item: the same translated release, not read from the PDF."""
    item = json.loads((out / lang / f"{release_id}.json").read_text(encoding="utf-8"))
    texts = [item["headlines"][0]["value"]]
    texts += [d["value"] for d in item.get("descriptions", [])]
    body = next(b["value"] for b in item["bodies"] if b["contentType"] == "text/plain")
    return texts + body.split("\n\n")


def ligatures(path: Path) -> set[str]:
    """The texts of the ligature glyphs in a PDF's fonts (ToUnicode entries of several letters)."""
    found = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"]["/Font"].values():
            cmap = ref.get_object()["/ToUnicode"].get_object().get_data().decode("ascii")
            for target in re.findall(r"<[0-9a-f]+> <([0-9a-f]*)>", cmap):
                text = bytes.fromhex(target).decode("utf-16-be")
                if len(text) != 1:
                    found.add(text)
    return found


RELEASES = ["turksoy-isesco-agreement", "ashimbayev-raev-meeting"]


@pytest.mark.parametrize("tool", [poppler_text, pypdf_text], ids=["pdftotext", "pypdf"])
@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
@pytest.mark.parametrize("release_id", RELEASES)
def test_every_word_of_every_shipped_release_comes_back(built_office, release_id, lang, tool):
    out = built_office / "out"
    expected = release_texts(out, lang, release_id)
    assert missing(expected, [tool(out / lang / f"{release_id}.pdf")]) == []


SPACED_CAPITALS = {
    "en": ["PRESS RELEASE", "ABOUT TÜRKSOY", "PRESS CONTACTS"],
    "tr": ["BASIN BÜLTENİ", "TÜRKSOY HAKKINDA", "BASIN İÇİN İLETİŞİM"],
    "kk": ["БАСПАСӨЗ РЕЛИЗІ", "ТҮРКСОЙ ТУРАЛЫ", "БАСПАСӨЗ ҮШІН БАЙЛАНЫС"],
}


@pytest.mark.parametrize("lang", SPACED_CAPITALS)
def test_labels_in_spaced_capitals_come_back_as_words(built_office, lang):
    """The document's kind and the end's headings are spaced capitals: poppler read them as
    'B A S I N B Ü LT E N İ', 'A BOUT TÜRKSOY', so a journalist's copy and a search missed them."""
    lines = [line.strip() for line in pdf_text(built_office / f"out/{lang}/turksoy-isesco-agreement.pdf").splitlines()]
    for label in SPACED_CAPITALS[lang]:
        assert label in lines, (label, [line for line in lines if line.isupper()])


def test_the_measured_words_are_whole(built_office):
    """Issue 14's measurements: 'o cials', 'ocials', 'dierent' were what readers got."""
    statement = poppler_text(built_office / "out/en/turksoy-isesco-agreement.pdf")
    wire = pypdf_text(built_office / "out/en/ashimbayev-raev-meeting.pdf")
    assert "officials of the Ministries" in " ".join(statement.split())
    assert {"different", "effective"} <= set(words(wire))
    # The look stays: English keeps its ligatures, now mapped to their letters.
    assert {"fi", "ffi"} <= ligatures(built_office / "out/en/turksoy-isesco-agreement.pdf")


def test_empty_ligature_maps_are_gone(built_office):
    for path in (built_office / "out").glob("*/*.pdf"):
        assert "" not in ligatures(path), path


LIGATURE_RECORD = """\
language: en
style: statement
organisation: office
date: 2011-04-08
place: Reykjavik
headline: Official office affiliated with the fjord efficiency difficulties
summary: Effendi, the official, found the difficult efficient offices affiliated.
body:
  - The officials of the affiliated offices said that the difficulties of efficient office work were
    different in every fjord. Effendi called the offices sufficiently effective, and the officials
    affirmed it; officially, difficulties suffice to find the effective affiliation of offices, fluffy
    waffles and baffling affidavits notwithstanding.
  - quote: Efficiency is difficult, official offices are affiliated
    by: Effendi Affleck, Official of the Office
  - The fjord office offers efficient, effortless and affordable official affiliation to officials.
"""

TURKISH = {
    "Official office affiliated with the fjord efficiency difficulties": "Fiyortdaki resmî ofisin fırsatları ve fikirleri",
    "Effendi, the official, found the difficult efficient offices affiliated.":
        "Efendi, fındık fiyatlarını ofiste fısıldadı.",
    "The officials of the affiliated offices said that the difficulties of efficient office work were "
    "different in every fjord. Effendi called the offices sufficiently effective, and the officials "
    "affirmed it; officially, difficulties suffice to find the effective affiliation of offices, fluffy "
    "waffles and baffling affidavits notwithstanding.":
        "Ofislerin yetkilileri, fiyortlardaki fikir ayrılıklarının fırsat olduğunu söyledi. Efendi, "
        "affedilmez fıkraları ve fiyat farklarını müfettişlere fısıldadı; fikirler, fırınlar ve fincanlar "
        "ofislerde affedildi.",
    "Efficiency is difficult, official offices are affiliated": "Fikir fırsattır, ofis fıkradır",
    "Effendi Affleck, Official of the Office": "Efendi Affleck, Ofisin Yetkilisi",
    "The fjord office offers efficient, effortless and affordable official affiliation to officials.":
        "Fiyorttaki ofis, fırıncılara ve fikir insanlarına affetmeyi öğretir.",
    "Reykjavik": "Reykjavik",
}


@pytest.fixture(scope="module")
def ligature_project(tmp_path_factory):
    from conftest import copy_project

    root = copy_project("minimal", tmp_path_factory.mktemp("ligatures") / "minimal")
    (root / "releases/ligatures.yaml").write_text(LIGATURE_RECORD, encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    path = root / "locales/tr/releases/ligatures.po"
    catalog = read_catalog(path, "tr")
    for message in catalog:
        if message.id in TURKISH:
            message.string = TURKISH[message.id]
    path.write_bytes(render_po(catalog))
    result = run_cli("build", "--project", str(root), "--lang", "en,tr", "--release", "ligatures")
    assert result.exit_code == 0, result.output
    return root


@pytest.mark.parametrize("tool", [poppler_text, pypdf_text], ids=["pdftotext", "pypdf"])
@pytest.mark.parametrize("lang", ["en", "tr"])
def test_ligature_prone_words_come_back(ligature_project, lang, tool):
    out = ligature_project / "out"
    text = tool(out / lang / "ligatures.pdf")
    assert missing(release_texts(out, lang, "ligatures"), [text]) == []
    if lang == "en":
        assert set(LIGATURE_PRONE) <= set(words(text))


def test_english_keeps_its_ligatures_and_breaks_lines_around_them(ligature_project):
    path = ligature_project / "out/en/ligatures.pdf"
    assert {"ff", "fi", "ffi"} <= ligatures(path)
    # Some of those words are broken at a line's end, and still read whole.
    assert re.search(r"\w[\u00ad\u2010]\n", poppler_text(path))


def test_turkish_never_forms_an_fi_ligature(ligature_project):
    """Turkish fi and fı are different letters; a ligature's f would swallow the dot."""
    path = ligature_project / "out/tr/ligatures.pdf"
    assert ligatures(path) == set()
    text = " ".join(words(poppler_text(path)))
    assert "fikir" in text and "fırsat" in text and "fiyat" in text and "fındık" in text
