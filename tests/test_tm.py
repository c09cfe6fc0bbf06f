"""The translation memory: reverted texts restored, other releases' translations
offered for review, and the memory exported as TMX for CAT tools."""

from __future__ import annotations

import re

import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import REPO, edit, orphan_warning, run_cli
from pressgen import __version__
from pressgen.catalogs import is_translated, read_catalog, render_po

AGREEMENT = "releases/turksoy-isesco-agreement.yaml"
TR_AGREEMENT = "locales/tr/releases/turksoy-isesco-agreement.po"
KK_AGREEMENT = "locales/kk/releases/turksoy-isesco-agreement.po"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SIGNING = (
    "At the ceremony held on April 8, 2011, TÜRKSOY Secretary General Düsen Kaseinov and ISESCO Director General "
    "Abdulaziz Othman Altwaijri signed the agreement, which aims at developing and enhancing the cooperation between "
    "the two organizations. The signing, organized within the framework of the Intercultural Dialogue Forum, took "
    "place in the Gulustan Palace in Baku, Azerbaijan."
)


def update(root: Path):
    return run_cli("catalogs", "update", "--project", str(root))


def normalised(path: Path, lang: str) -> bytes:
    """A catalog as pressgen writes it, whatever Babel version or editor wrapped the file;
    less its POT-Creation-Date, which an update that changes the messages moves (also
    when a later one changes them back)."""
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", render_po(read_catalog(path, lang)))


def test_a_reverted_paragraph_gets_its_approved_translation_back(office):
    """The measured bug: one word edited, then put back, left both translations fuzzy."""
    edit(office / AGREEMENT, "took place in the", "took place at the")
    assert update(office).stdout == f"updated {TR_AGREEMENT}\nupdated {KK_AGREEMENT}\n"
    edited = SIGNING.replace("took place in the", "took place at the")
    message = read_catalog(office / TR_AGREEMENT, "tr").get(edited, "paragraph")
    assert message.fuzzy and message.previous_id == [SIGNING]
    # Babel writes a long previous msgid wrapped like a comment; it is read back whole.
    assert update(office).stdout == "All catalogs are up to date.\n"
    assert read_catalog(office / TR_AGREEMENT, "tr").get(edited, "paragraph").previous_id == [SIGNING]

    edit(office / AGREEMENT, "took place at the", "took place in the")
    assert update(office).stdout == f"updated {TR_AGREEMENT}\nupdated {KK_AGREEMENT}\n"
    for path, lang in ((TR_AGREEMENT, "tr"), (KK_AGREEMENT, "kk")):
        restored = read_catalog(office / path, lang).get(SIGNING, "paragraph")
        assert is_translated(restored) and not restored.previous_id
        assert restored.string == read_catalog(REPO / path, lang).get(SIGNING, "paragraph").string
        assert normalised(office / path, lang) == normalised(REPO / path, lang)
    assert update(office).stdout == "All catalogs are up to date.\n"
    rows = [line.split() for line in run_cli("status", "--project", str(office)).stdout.splitlines()]
    assert [row[1:] for row in rows if row[0] == "turksoy-isesco-agreement"] == [
        ["tr", "14/14", "0", "0", "0", "ready"], ["kk", "14/14", "0", "0", "0", "ready"]]


def test_an_approved_offer_whose_source_changed_says_so_and_loses_the_memorys_comment(project):
    """Found by a trial: an offer approved by removing its flag alone (Poedit keeps the comment),
    then its source changed: the build said 'the translation memory offered it', not what
    changed, and the comment stayed beside the '#|' lines."""
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    edit(po, 'msgctxt "paragraph"\nmsgid "The last paragraph."',
         '# Translation memory: 100% locales/tr/releases/an-older-release.po\nmsgctxt "paragraph"\nmsgid "The last paragraph."')
    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    text = po.read_text("utf-8")
    assert "Translation memory" not in text
    assert '#, fuzzy\n#| msgid "The last paragraph."\nmsgctxt "paragraph"\nmsgid "The very last paragraph."' in text
    result = run_cli("build", "--project", str(root), "-f", "html", "-l", "tr")
    assert re.search(r"^  locales/tr/releases/hello\.po:\d+: paragraph 'The very last paragraph\.' is fuzzy: its source "
                     r"changed: 'The last' → 'The very last'", result.stderr, re.M), result.stderr


def test_a_removed_text_that_comes_back_gets_its_obsolete_translation(project):
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    original = normalised(po, "tr")
    edit(root / "releases/hello.yaml", "  - The last paragraph.\n", "")
    update(root)
    assert '#~ msgid "The last paragraph."\n#~ msgstr "Son paragraf."' in po.read_text(encoding="utf-8")
    edit(root / "releases/hello.yaml", "tags:", "  - The last paragraph.\ntags:")
    update(root)
    assert "#~" not in po.read_text(encoding="utf-8")
    assert normalised(po, "tr") == original


NEW_RELEASE = """\
language: en
style: statement
organisation: turksoy
date: 2012-04-08
place: Baku
headline: Another agreement for TÜRKSOY
body:
  - >
    Signing an agreement with the Islamic Educational, Scientific and
    Cultural Organization (ISESCO), the International Organization of Turkic
    Culture (TÜRKSOY) has added yet another international cooperation
    agreement to its many existing agreements.
  - >
    The ceremony was attended by eminent personalities from TÜRKSOY member
    countries, among them the Minister of Culture of Kyrgyzstan Nurlan
    Shakiev, the Ambassador of Kazakhstan to Azerbaijan Serik Primbetov, and
    officials of the Ministries of Culture of Turkey and Azerbaijan.
    In conclusion, Ashimbayev stressed that the Senate is ready to work
    actively to strengthen the cultural cooperation between the Turkic
    countries within TÜRKSOY.
  - A paragraph no release has had.
"""


def test_other_releases_translations_are_offered_for_review(office):
    (office / "releases/new-agreement.yaml").write_text(NEW_RELEASE, encoding="utf-8")
    assert update(office).stdout == "created locales/tr/releases/new-agreement.po\ncreated locales/kk/releases/new-agreement.po\n"
    po = office / "locales/tr/releases/new-agreement.po"
    text = po.read_text(encoding="utf-8")
    # An exact match: a text some release has approved, offered for review.
    assert (
        "# Translation memory: 100% locales/tr/releases/turksoy-isesco-agreement.po\n"
        "#. The place in the dateline ('BAKU, April 8, 2011 –'); written in capitals by\n"
        "#. pressgen.\n"
        "#: releases/new-agreement.yaml:5\n"
        "#, fuzzy\n"
        'msgctxt "dateline place"\n'
        'msgid "Baku"\n'
        'msgstr "Bakü"\n'
    ) in text
    # A near match: one word added to a paragraph of another release.
    assert (
        "# Translation memory: 98% locales/tr/releases/turksoy-isesco-agreement.po\n"
        "#: releases/new-agreement.yaml:8\n"
        "#, fuzzy\n"
        'msgctxt "paragraph"\n'
        'msgid ""\n'
        '"Signing an agreement with the Islamic Educational, Scientific and Cultural "\n'
    ) in text
    # Two sentences from two releases, their translations joined.
    assert (
        "# Translation memory: 2 sentences joined (100%)\n"
        "# Translation memory: sentence 1, 100%:\n"
        "# locales/tr/releases/turksoy-isesco-agreement.po\n"
        "# Translation memory: sentence 2, 100%:\n"
        "# locales/tr/releases/ashimbayev-raev-meeting.po\n"
        "#: releases/new-agreement.yaml:13\n"
        "#, fuzzy\n"
    ) in text
    catalog = read_catalog(po, "tr")
    ceremony, conclusion = (
        read_catalog(office / TR_AGREEMENT, "tr").get(
            "The ceremony was attended by eminent personalities from TÜRKSOY member countries, among them the "
            "Minister of Culture of Kyrgyzstan Nurlan Shakiev, the Ambassador of Kazakhstan to Azerbaijan Serik "
            "Primbetov, and officials of the Ministries of Culture of Turkey and Azerbaijan.", "paragraph").string,
        read_catalog(office / "locales/tr/releases/ashimbayev-raev-meeting.po", "tr").get(
            "In conclusion, Ashimbayev stressed that the Senate is ready to work actively to strengthen the cultural "
            "cooperation between the Turkic countries within TÜRKSOY.", "paragraph").string,
    )
    joined = next(m for m in catalog if m.locations == [("releases/new-agreement.yaml", 13)])
    assert joined.string == f"{ceremony} {conclusion}"
    # Nothing like it anywhere: left to the translator.
    fresh = catalog.get("A paragraph no release has had.", "paragraph")
    assert fresh.string == "" and fresh.user_comments == []
    # The other language gets its own language's translations.
    assert "# Translation memory: 100% locales/kk/releases/turksoy-isesco-agreement.po\n" in (
        office / "locales/kk/releases/new-agreement.po").read_text(encoding="utf-8")
    # Nothing published before review: the offers are fuzzy, and said to be the memory's.
    result = run_cli("build", "--project", str(office), "--format", "html", "--release", "new-agreement")
    assert "not built: tr/new-agreement (2 untranslated, 3 fuzzy)" in result.stderr
    line = text.split("\n").index('#, fuzzy', text.split("\n").index('#: releases/new-agreement.yaml:5')) + 1
    assert (f"  locales/tr/releases/new-agreement.po:{line}: dateline place 'Baku' is fuzzy: the translation memory "
            "offered it (its comment says from where); check the translation and remove the fuzzy flag"
            ) in run_cli("check", "--project", str(office)).stderr.splitlines()

    # Same input, same bytes.
    before = {p: p.read_bytes() for p in (office / "locales").rglob("*.po")}
    assert update(office).stdout == "All catalogs are up to date.\n"
    assert {p: p.read_bytes() for p in (office / "locales").rglob("*.po")} == before

    # The translator approves the place: its offer's comment goes at the next update.
    offers = text.count("# Translation memory:")
    edit(po, '#, fuzzy\nmsgctxt "dateline place"', 'msgctxt "dateline place"')
    assert update(office).stdout == "updated locales/tr/releases/new-agreement.po\n"
    text = po.read_text(encoding="utf-8")
    assert ('#. pressgen.\n#: releases/new-agreement.yaml:5\nmsgctxt "dateline place"\nmsgid "Baku"\n'
            'msgstr "Bakü"\n') in text
    assert text.count("# Translation memory:") == offers - 1  # the fuzzy offers keep theirs


def test_sentences_joined_from_one_catalog_are_noted_so_that_a_second_update_changes_nothing(office):
    """Found by a trial: two sentences from one catalog were noted on lines that Babel wrapped
    alike ('Translation memory: 100%', the catalog's path), which its reader merges: the next
    update rewrote the catalog, and others nobody edited."""
    (office / "releases/new-agreement.yaml").write_text(
        NEW_RELEASE.replace("    In conclusion, Ashimbayev stressed that the Senate is ready to work\n"
                            "    actively to strengthen the cultural cooperation between the Turkic\n"
                            "    countries within TÜRKSOY.\n",
                            "    Signing an agreement with the Islamic Educational, Scientific and\n"
                            "    Cultural Organization (ISESCO), the International Organization of Turkic\n"
                            "    Culture (TÜRKSOY) has added yet another international cooperation\n"
                            "    agreement to its many existing agreements.\n"), encoding="utf-8")
    update(office)
    text = (office / "locales/tr/releases/new-agreement.po").read_text(encoding="utf-8")
    assert re.search(r"# Translation memory: 2 sentences joined \(\d+%\)\n"
                     r"# Translation memory: sentences 1 and 2, \d+%:\n"
                     r"# locales/tr/releases/turksoy-isesco-agreement.po\n", text), text
    assert update(office).stdout == "All catalogs are up to date.\n"


SECOND = ("language: en\nstyle: statement\norganisation: office\ndate: 2011-04-09\nplace: Ankara\n"
          "headline: Hello again\nsummary: A short release for tests.\nbody:\n  - A paragraph no release has had.\n")
"""A release that repeats the summary of hello."""


def test_the_translations_of_a_deleted_release_are_still_offered(project):
    """Its catalogs stay (they are the translators' work), and so does what they approved:
    the source language is the one language without a catalog for that id."""
    root = project("minimal")
    (root / "releases/hello.yaml").unlink()
    # A Mac's binary copies beside the catalogs are no catalogs, however many languages have one.
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/._hello.po").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (root / "releases/second.yaml").write_text(SECOND, encoding="utf-8")
    result = update(root)
    assert result.exit_code == 0
    assert result.stdout == "created locales/tr/releases/second.po\ncreated locales/kk/releases/second.po\n"
    assert result.stderr.splitlines() == [orphan_warning(lang, "hello") for lang in ("kk", "tr")]
    assert (
        "# Translation memory: 100% locales/tr/releases/hello.po\n"
        "#. The standfirst: one or two sentences under the headline.\n"
        "#: releases/second.yaml:7\n"
        "#, fuzzy\n"
        'msgctxt "summary"\n'
        'msgid "A short release for tests."\n'
        'msgstr "Testler için kısa bir bülten."\n'
    ) in (root / "locales/tr/releases/second.po").read_text(encoding="utf-8")
    summary = read_catalog(root / "locales/kk/releases/second.po", "kk").get("A short release for tests.", "summary")
    assert summary.fuzzy and summary.user_comments == ["Translation memory: 100% locales/kk/releases/hello.po"]
    assert summary.string == read_catalog(root / "locales/kk/releases/hello.po", "kk").get(
        "A short release for tests.", "summary").string
    tmx = ET.fromstring(run_cli("tm", "export", "--project", str(root), "--lang", "tr").stdout.encode("utf-8"))
    assert ("tr", "summary", "A short release for tests.", "Testler için kısa bir bülten.",
            "locales/tr/releases/hello.po") in tmx_pairs(tmx)


def test_a_catalog_whose_source_language_is_unclear_is_not_offered(project):
    """With a catalog in only one of the two other languages, the source could be either."""
    root = project("minimal")
    (root / "releases/hello.yaml").unlink()
    (root / "locales/kk/releases/hello.po").unlink()
    (root / "releases/second.yaml").write_text(SECOND, encoding="utf-8")
    assert update(root).exit_code == 0
    summary = read_catalog(root / "locales/tr/releases/second.po", "tr").get("A short release for tests.", "summary")
    assert summary.string == "" and summary.user_comments == []


def test_a_match_must_be_75_percent_similar(project):
    root = project("minimal")
    # 'The second paragraph.' shares 3 of 4 words with both paragraphs of hello:
    # 75 %, and the tie goes to the first text in sort order.
    (root / "releases/second.yaml").write_text(
        "language: en\nstyle: statement\norganisation: office\ndate: 2011-04-09\nplace: Istanbul\n"
        "headline: Hello again\nbody:\n  - The second paragraph.\n  - The other paragraph, here.\n", encoding="utf-8")
    assert update(root).exit_code == 0
    catalog = read_catalog(root / "locales/tr/releases/second.po", "tr")
    second = catalog.get("The second paragraph.", "paragraph")
    assert second.fuzzy and second.string == "İlk paragraf."
    assert second.user_comments == ["Translation memory: 75% locales/tr/releases/hello.po"]
    other = catalog.get("The other paragraph, here.", "paragraph")  # 60 %
    assert other.string == "" and not other.fuzzy


def test_an_approved_translation_is_never_replaced(project):
    root = project("minimal")
    record = root / "releases/second.yaml"
    record.write_text("language: en\nstyle: statement\norganisation: office\ndate: 2011-04-09\nplace: Istanbul\n"
                      "headline: Hello again\nbody:\n  - The first paragraph.\n", encoding="utf-8")
    update(root)
    po = root / "locales/tr/releases/second.po"
    offered = "# Translation memory: 100% locales/tr/releases/hello.po\n#: releases/second.yaml:8\n#, fuzzy\n"
    assert offered in po.read_text(encoding="utf-8")
    # The translator prefers another wording and approves it.
    edit(po, offered + 'msgctxt "paragraph"\nmsgid "The first paragraph."\nmsgstr "İlk paragraf."',
         '#: releases/second.yaml:8\nmsgctxt "paragraph"\nmsgid "The first paragraph."\nmsgstr "Birinci paragraf."')
    approved = po.read_bytes()
    assert update(root).stdout == "All catalogs are up to date.\n"
    assert po.read_bytes() == approved
    # hello's approved translation is not touched by second's either.
    assert read_catalog(root / "locales/tr/releases/hello.po", "tr").get("The first paragraph.", "paragraph").string == "İlk paragraf."


def test_an_offer_from_the_memory_is_not_taken_for_approved(project):
    """A text the memory pre-filled, changed and changed back, stays fuzzy: its
    translator never approved that string."""
    root = project("minimal")
    record = root / "releases/second.yaml"
    record.write_text("language: en\nstyle: statement\norganisation: office\ndate: 2011-04-09\nplace: Istanbul\n"
                      "headline: Hello again\nbody:\n  - The first paragraph of the second release.\n", encoding="utf-8")
    update(root)
    po = root / "locales/tr/releases/second.po"
    assert read_catalog(po, "tr").get("The first paragraph of the second release.", "paragraph").string == ""
    edit(record, "of the second release.", "of the second release, changed.")
    update(root)
    edit(record, "of the second release, changed.", "of the second release.")
    update(root)
    headline = read_catalog(po, "tr").get("Hello again", "headline")
    assert headline.string == "" and not headline.fuzzy

    edit(record, "  - The first paragraph of the second release.\n", "  - The first paragraph.\n")
    update(root)
    assert read_catalog(po, "tr").get("The first paragraph.", "paragraph").fuzzy
    edit(record, "  - The first paragraph.\n", "  - The first paragraph, in short.\n")
    update(root)
    edit(record, "  - The first paragraph, in short.\n", "  - The first paragraph.\n")
    update(root)
    back = read_catalog(po, "tr").get("The first paragraph.", "paragraph")
    assert back.fuzzy and back.string == "İlk paragraf."
    assert back.user_comments == ["Translation memory: 100% locales/tr/releases/hello.po"]


# --- TMX -------------------------------------------------------------------------


def office_pairs(root: Path, langs=("tr", "kk")) -> set[tuple[str, str, str, str, str]]:
    """(language, context, source, translation, catalog) of every approved message."""
    pairs = set()
    for lang in langs:
        for path in sorted((root / "locales" / lang).glob("*/*.po")):
            if path.name == "glossary.po":
                continue
            for message in read_catalog(path, lang):
                if message.id and is_translated(message):
                    pairs.add((lang, message.context or "", message.id, message.string,
                               path.relative_to(root).as_posix()))
    return pairs


def tmx_pairs(document: ET.Element) -> set[tuple[str, str, str, str, str]]:
    pairs = set()
    for tu in document.find("body"):
        assert tu.tag == "tu"
        assert [child.tag for child in tu] == sorted((c.tag for c in tu), key=lambda tag: tag == "tuv")
        context = "".join(p.text for p in tu.findall("prop[@type='x-context']"))
        origins = [p.text for p in tu.findall("prop[@type='x-origin']")]
        assert origins == sorted(origins) and origins
        tuvs = tu.findall("tuv")
        assert [tuv.get(XML_LANG) for tuv in tuvs][0] == "en" == tu.get("srclang") and len(tuvs) == 2
        assert all([child.tag for child in tuv] == ["seg"] for tuv in tuvs)
        source, target = (tuv.find("seg").text for tuv in tuvs)
        for origin in origins:
            pairs.add((tuvs[1].get(XML_LANG), context, source, target, origin))
    return pairs


def test_tm_export_writes_every_approved_pair_as_tmx(office, tmp_path):
    result = run_cli("tm", "export", "--project", str(office))
    assert result.exit_code == 0
    assert result.stdout.startswith("<?xml version='1.0' encoding='UTF-8'?>\n<tmx version=\"1.4\">\n")
    document = ET.fromstring(result.stdout.encode("utf-8"))
    assert document.tag == "tmx" and document.get("version") == "1.4"
    assert [child.tag for child in document] == ["header", "body"]
    header = document.find("header")
    assert header.attrib == {
        "creationtool": "pressgen", "creationtoolversion": __version__, "datatype": "plaintext", "segtype": "paragraph",
        "adminlang": "en", "o-tmf": "gettext PO", "srclang": "en",
    }
    assert tmx_pairs(document) == office_pairs(office)
    assert len(office_pairs(office)) > 100

    out = tmp_path / "office.tmx"
    result = run_cli("tm", "export", "-C", str(office), "-o", str(out), "--lang", "kk")
    units = len(ET.parse(out).getroot().find("body"))
    assert result.stderr == f"{units} translation units written to {out}\n"
    assert tmx_pairs(ET.parse(out).getroot()) == office_pairs(office, ("kk",))
    # Deterministic: the same catalogs give the same bytes.
    run_cli("tm", "export", "-C", str(office), "-o", str(tmp_path / "again.tmx"), "--lang", "kk")
    assert (tmp_path / "again.tmx").read_bytes() == out.read_bytes()


def test_tm_export_refuses_an_unknown_language(office):
    result = run_cli("tm", "export", "--project", str(office), "--lang", "tr,fr")
    assert result.exit_code == 2
    assert result.stderr == "unknown language fr; this project publishes in en, tr, kk\n"


def test_a_broken_catalog_is_left_out_of_the_memory_and_the_others_are_updated(project):
    """Its translations are not offered (it cannot be read), and the memory is the same for
    every other catalog: the Turkish one is updated with the change."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    po = root / "locales/kk/releases/hello.po"
    edit(po, 'msgstr "Бірінші абзац."', "garbage line")
    broken = po.read_bytes()
    result = update(root)
    assert result.exit_code == 1
    assert result.stderr == ("locales/kk/releases/hello.po:41: unknown keyword 'garbage'; a line is a comment (#), "
                             "a keyword (msgctxt, msgid, msgid_plural, msgstr) or a string in quotes\n"
                             "1 catalog left as it was: fix what is said above and run `pressgen catalogs update` again\n")
    assert result.stdout == "updated locales/tr/releases/hello.po\n"
    assert po.read_bytes() == broken
    changed = read_catalog(root / "locales/tr/releases/hello.po", "tr").get("The very last paragraph.", "paragraph")
    assert changed.fuzzy and changed.previous_id == ["The last paragraph."]


def test_an_edited_paragraph_of_several_sentences_keeps_its_previous_text_and_reverts(project):
    """The memory's sentence offer (from this very catalog) never hides what changed."""
    root = project("minimal")
    two = "The festival opened in Baku on Friday. Artists from four countries took part."
    translated = "Festival cuma günü Bakü'de açıldı. Dört ülkeden sanatçılar katıldı."
    edit(root / "releases/hello.yaml", "The first paragraph.", two)
    po = root / "locales/tr/releases/hello.po"
    edit(po, 'msgid "The first paragraph."\nmsgstr "İlk paragraf."', f'msgid "{two}"\nmsgstr "{translated}"')
    update(root)
    edit(root / "releases/hello.yaml", "took part.", "performed.")
    update(root)
    changed = read_catalog(po, "tr").get(two.replace("took part.", "performed."), "paragraph")
    assert changed.fuzzy and changed.previous_id == [two] and changed.string == translated
    assert "Translation memory" not in po.read_text(encoding="utf-8")
    edit(root / "releases/hello.yaml", "performed.", "took part.")
    update(root)
    back = read_catalog(po, "tr").get(two, "paragraph")
    assert (back.fuzzy, back.string, back.previous_id) == (False, translated, [])
