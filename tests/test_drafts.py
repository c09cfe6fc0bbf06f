"""Drafts show a fuzzy message's previous translation, marked for review, not the source text."""

from __future__ import annotations

import re

from conftest import REPO, flat, run_cli
from htmlread import Page
from pdfread import pdf_text

from pressgen.catalogs import read_catalog, render_po

RELEASE = "turksoy-isesco-agreement"


def test_a_draft_shows_a_fuzzy_translation_marked_for_review(office):
    (office / f"published/kk/{RELEASE}.yaml").unlink()  # a version never published yet
    po = office / f"locales/kk/releases/{RELEASE}.po"
    catalog = read_catalog(po, "kk")
    fuzzy = next(m for m in catalog if m.id.startswith("Signing an agreement"))
    fuzzy.flags.add("fuzzy")
    missing = next(m for m in catalog if m.id.startswith("The ceremony was attended"))
    missing.string = ""
    po.write_bytes(render_po(catalog))
    previous = fuzzy.string

    result = run_cli("build", "--project", str(office), "--lang", "kk", "--release", RELEASE, "--drafts")
    assert result.exit_code == 0, result.output
    assert f"draft only: kk/{RELEASE} (1 fuzzy, 1 untranslated)" in result.stderr

    html = (office / f"out/kk/{RELEASE}.html").read_text(encoding="utf-8")
    page = Page(html)
    marks = page.find_all("span", class_="fuzzy")
    # Marked fuzzy by hand, no '#|' lines: not "the source text changed" (a trial).
    assert marks == [{"class": "fuzzy", "lang": "kk", "title": "Needs review: marked for review"}]
    assert flat(previous) in flat(page.text)
    assert "Signing an agreement" not in page.text  # the English source does not stand in for it
    # A missing translation still shows the source, marked otherwise.
    assert page.find_all("span", class_="untranslated") == [{"class": "untranslated", "lang": "en"}]
    assert "The ceremony was attended by eminent personalities" in flat(page.text)
    # The previous translation is typeset as the page's language: a Kazakh paragraph.
    span = re.search(r'<span class="fuzzy"[^>]*>(.*?)</span>', html, re.S).group(1)
    assert flat(span) == flat(previous).replace("'", "’")

    text = flat(pdf_text(office / f"out/kk/{RELEASE}.pdf"))
    assert flat(previous) in text
    assert "Signing an agreement" not in text and "The ceremony was attended by eminent" in text


def test_fuzzy_and_untranslated_are_styled_apart_on_the_page_and_in_print():
    css = (REPO / "src/pressgen/templates/assets/pressgen.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"^\.(fuzzy|untranslated) \{ (.*?) \}$", css, re.M))
    assert set(rules) == {"fuzzy", "untranslated"} and rules["fuzzy"] != rules["untranslated"]
    # Outside @media blocks: the same marks on the page and in the PDF.
    before = css[:css.index(".fuzzy {")]
    assert before.count("{") == before.count("}")
