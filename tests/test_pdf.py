"""PDFs fit for inboxes and archives: tagged PDF/A-3b, metadata, strict glyphs, size."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap

import pytest
from pypdf import PdfReader

from conftest import copy_project, run_cli
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


def test_a_pdf_with_a_photo_is_the_same_wherever_the_office_is_built(project, tmp_path):
    """WeasyPrint names a photo in the PDF by a hash of its URL: a trial's office built in
    another folder (a clone, a CI runner) gave PDFs with other bytes, re-sent as changed."""
    here = project("fields")
    there = copy_project("fields", tmp_path / "elsewhere" / "office")
    assert run_cli("build", "--project", str(here), "--format", "pdf", "--lang", "en").exit_code == 0
    assert run_cli("build", "--project", str(there), "--format", "pdf", "--lang", "en",
                   "--out", str(tmp_path / "public")).exit_code == 0
    pdf = (here / "out/en/signed-statement.pdf").read_bytes()
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf
    assert pdf == (tmp_path / "public/en/signed-statement.pdf").read_bytes()


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


LIBRARIES = textwrap.dedent("""
    import ctypes.util, sys
    from pathlib import Path
    from pressgen import pdf

    def libraries():
        return {line.rpartition("/")[2] for line in Path("/proc/self/maps").read_text().splitlines()
                if ".so" in line and "cpython" not in line}

    before = libraries()
    asked = []
    search = ctypes.util.find_library
    ctypes.util.find_library = lambda name: asked.append(name) or search(name)
    if sys.argv[1] == "pressgen":
        pdf.import_weasyprint()
    else:
        import weasyprint.text.fonts
    print(len(asked), sorted(libraries() - before))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux loads WeasyPrint's libraries by soname")
def test_weasyprint_loads_its_libraries_without_searching_for_other_systems_names():
    """WeasyPrint tries each library's names on every platform; ctypes' search for each one
    that Linux does not use runs ldconfig, gcc and ld (0.2 s at every build's start)."""
    plain, ours = (subprocess.run([sys.executable, "-c", LIBRARIES, how], capture_output=True, text=True, check=True)
                   .stdout.split(" ", 1) for how in ("weasyprint", "pressgen"))
    assert int(plain[0]) > 0 and ours[0] == "0"
    assert ours[1] == plain[1]  # the same libraries, the same files


SONAMES_FAIL = textwrap.dedent("""
    import ctypes.util, sys
    import cffi
    # A system whose libraries only the search finds: each name tried without it fails.
    dlopen = cffi.FFI.dlopen
    def only_if_searched(ffi, name, *args):
        if ctypes.util.find_library("c") is None:
            raise OSError(f"cannot load library {name!r}")
        return dlopen(ffi, name, *args)
    cffi.FFI.dlopen = only_if_searched
    from pressgen import pdf
    pdf.import_weasyprint()
    from weasyprint import HTML
    print(HTML(string="<p>Қазақ</p>").write_pdf()[:5])
""")


def test_weasyprint_is_imported_with_the_usual_search_where_the_loader_alone_finds_nothing():
    done = subprocess.run([sys.executable, "-c", SONAMES_FAIL], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "b'%PDF-'\n"  # and WeasyPrint's message of a library it could not load, not printed
