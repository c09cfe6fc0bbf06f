"""PDFs fit for inboxes and archives: tagged PDF/A-3b, metadata, strict glyphs, size."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from conftest import run_cli
from pdfread import pdf_info


def test_tagged_pdfa_with_metadata(built_office):
    path = built_office / "out/tr/turksoy-isesco-agreement.pdf"
    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    info = pdf_info(path)
    assert info["Title"] == "TÜRKSOY ile ISESCO arasında iş birliği anlaşması"
    assert info["Author"] == "Uluslararası Türk Kültürü Teşkilatı"
    assert info["Subject"].startswith("TÜRKSOY Genel Sekreteri Düsen Kaseinov, teşkilatın gelecek yıl")
    assert info["Keywords"] == "TÜRKSOY, ISESCO, iş birliği anlaşması, Nevruz"
    assert info["Lang"] == "tr"
    # Dates come from the record, never the clock.
    assert info["CreationDate"].startswith("D:20110408") and info["ModDate"].startswith("D:20110408")


def test_text_only_two_page_release_is_small(built_office):
    for path in (built_office / "out").glob("*/*.pdf"):
        assert path.stat().st_size <= 40 * 1024, path


def test_rebuilt_pdfs_are_byte_identical(built_office, tmp_path):
    result = run_cli("build", "--project", str(built_office), "--out", str(tmp_path / "again"), "--format", "pdf")
    assert result.exit_code == 0
    for path in (built_office / "out").glob("*/*.pdf"):
        assert path.read_bytes() == (tmp_path / "again" / path.relative_to(built_office / "out")).read_bytes(), path


@pytest.mark.parametrize("text, char", [("漢字", "'漢' (U+6F22)"), ("☃", "'☃' (U+2603)")])
def test_a_character_no_font_has_fails_its_version_before_anything_is_written(project, text, char):
    """Found from the fonts' character maps (glyphs.py), at the record's line: the page is
    not written either, as it would link to a PDF that never comes."""
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text().replace("The last paragraph.", f"The last paragraph {text}."))
    result = run_cli("build", "--project", str(root), "--lang", "en")
    assert result.exit_code == 1
    assert f"releases/hello.yaml:12: paragraph 'The last paragraph {text}.' has {char}, which no font of the theme " \
        "has, so its PDF would not be written; remove it, or add a font that has it to templates/assets/" \
        in result.stderr.splitlines(), result.stderr
    assert not (root / "out/en/hello.pdf").exists() and not (root / "out/en/hello.html").exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("漢字", re.escape('.notdef glyph rendered for Unicode string unsupported by fonts: "漢" (U+6F22)')),
        # A snowman: not in Noto Serif or Sans, but in DejaVu Sans (Debian's fonts-dejavu-core).
        ("☃", "the system font '(DejaVu Sans|Noto Sans Symbols2)' stood in for characters the bundled fonts lack"),
    ],
)
def test_a_missing_glyph_in_a_label_fails_that_pdf(project, text, message):
    """The last net, for text no check reads (a template label): a .notdef box, or a system font
    silently standing in, fails the PDF (``message`` is a regex)."""
    root = project("minimal")
    labels = root / "locales/tr/LC_MESSAGES/messages.po"
    labels.write_text(labels.read_text().replace('msgstr "Basın bülteni"', f'msgstr "Basın bülteni {text}"'))
    result = run_cli("build", "--project", str(root), "--lang", "tr")
    assert result.exit_code == 1
    assert re.search(rf"releases/hello\.yaml: tr: PDF not written: {message}", result.stderr), result.stderr
    assert not (root / "out/tr/hello.pdf").exists()
