"""Catalog headers, through `pressgen catalogs update` on a small real project: filled from the
office, a POT-Creation-Date that moves only when the messages do, and what a translator's tool
wrote kept. GNU msgfmt --check reads every result without a warning."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, edit, run_cli
from pressgen.poheader import read_header

DEC_4 = "1796409000"  # 2026-12-04 18:30 UTC
DEC_5 = "1796495400"  # 2026-12-05 18:30 UTC
DEC_6 = "1796581800"  # 2026-12-06 18:30 UTC


def update(root: Path, monkeypatch, epoch: str):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = run_cli("catalogs", "update", "--project", str(root))
    assert result.exit_code == 0, result.output
    return result


def header(path: Path) -> dict[str, str]:
    return dict(read_header(path.read_text(encoding="utf-8")))


def msgfmt_check(path: Path) -> str:
    """GNU msgfmt's complaints ('' when none): placeholders are warnings there."""
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_new_catalogs_are_filled_from_the_office(project, monkeypatch):
    root = project("ministry")
    shutil.rmtree(root / "locales")
    update(root, monkeypatch, DEC_4)
    assert header(root / "locales/tr/releases/hello.po") == {
        "Project-Id-Version": "MFA hello",
        "Report-Msgid-Bugs-To": "spokesperson@mfa.example",  # the release's press contact
        "POT-Creation-Date": "2026-12-04 18:30+0000",
        "PO-Revision-Date": "2026-12-04 18:30+0000",
        "Last-Translator": "",
        "Language": "tr",
        "Language-Team": "Turkish <press@office.example>",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Transfer-Encoding": "8bit",
        "Generated-By": header(root / "locales/tr/releases/hello.po")["Generated-By"],
    }
    messages = header(root / "locales/kk/LC_MESSAGES/messages.po")
    assert messages["Project-Id-Version"] == "OC, MFA"
    assert messages["Report-Msgid-Bugs-To"] == "press@office.example"  # no mail section: the first press contact
    assert messages["Language-Team"] == "Kazakh <press@office.example>"
    assert messages["Generated-By"].startswith("Babel ")
    for path in (root / "locales").rglob("*.po"):
        assert msgfmt_check(path) == "", path


def test_the_creation_date_moves_only_when_the_messages_change(project, monkeypatch):
    root = project("ministry")
    shutil.rmtree(root / "locales")
    update(root, monkeypatch, DEC_4)
    created = {path: path.read_bytes() for path in (root / "locales").rglob("*.po")}
    assert update(root, monkeypatch, DEC_5).stdout == "All catalogs are up to date.\n"
    assert {path: path.read_bytes() for path in created} == created

    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    assert update(root, monkeypatch, DEC_5).stdout == ("updated locales/tr/releases/hello.po\n"
                                                        "updated locales/kk/releases/hello.po\n")
    tr = header(root / "locales/tr/releases/hello.po")
    assert tr["POT-Creation-Date"] == "2026-12-05 18:30+0000"
    assert tr["PO-Revision-Date"] == "2026-12-04 18:30+0000"  # the translator has not revised it since
    assert header(root / "locales/tr/LC_MESSAGES/messages.po")["POT-Creation-Date"] == "2026-12-04 18:30+0000"

    # A translated message that keeps the '#|' lines of its last change, its fuzzy flag removed
    # (valid, msgfmt passes): the next update drops them, as msgmerge does, but no message changed.
    po = root / "locales/tr/releases/hello.po"
    text = po.read_text(encoding="utf-8")
    entry = 'msgctxt "paragraph"\nmsgid "The very last paragraph."\nmsgstr ""'
    assert entry in text
    po.write_text(text.replace(entry, '#| msgctxt "paragraph"\n#| msgid "The last paragraph."\n'
                               + entry.replace('msgstr ""', 'msgstr "En son paragraf."')), encoding="utf-8")
    assert update(root, monkeypatch, DEC_6).stdout == "updated locales/tr/releases/hello.po\n"
    assert "#| msgid" not in po.read_text(encoding="utf-8")
    assert header(po)["POT-Creation-Date"] == "2026-12-05 18:30+0000"

    # So does the memory's comment of an offer approved (its flag removed), wrapped as Babel
    # wraps a long one: a trial saw the date move for it.
    text = po.read_text(encoding="utf-8")
    entry = 'msgctxt "paragraph"\nmsgid "The very last paragraph."\n'
    po.write_text(text.replace(entry, "# Translation memory: 100%\n# locales/tr/releases/an-older-release-of-the-office.po\n"
                               + entry), encoding="utf-8")
    assert update(root, monkeypatch, DEC_6).stdout == "updated locales/tr/releases/hello.po\n"
    assert "Translation memory" not in po.read_text(encoding="utf-8")
    assert header(po)["POT-Creation-Date"] == "2026-12-05 18:30+0000"

    # The organisation's short name, which Project-Id-Version gives, edited and reverted: the
    # release catalogs' messages never changed, nor does their date (a trial's moved, in every
    # release catalog of the organisation, and stayed moved).
    # Its translator's tool left a long translation on one line, as Poedit does: kept so through both
    # (a trial's were re-wrapped at 76 columns by the header's change).
    long = "En son paragraf, çevirmenin aracının tek satırda bıraktığı uzun bir çeviri olarak burada duruyor."
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "En son paragraf."', f'msgstr "{long}"'), encoding="utf-8")
    kept = po.read_bytes()
    for short_name, day in (("MFA-TR", DEC_6), ("MFA", "1796668200")):
        edit(root / "pressgen.yaml", f"short_name: {'MFA' if short_name != 'MFA' else 'MFA-TR'}\n",
             f"short_name: {short_name}\n")
        update(root, monkeypatch, day)
        assert (header(po)["Project-Id-Version"], header(po)["POT-Creation-Date"]) == (
            f"{short_name} hello", "2026-12-05 18:30+0000")
        assert f'msgstr "{long}"' in po.read_text(encoding="utf-8")
    assert po.read_bytes() == kept


POEDIT_HEADER = '''msgid ""
msgstr ""
"Project-Id-Version: MFA hello\\n"
"Report-Msgid-Bugs-To: spokesperson@mfa.example\\n"
"POT-Creation-Date: 2026-11-01 09:00+0000\\n"
"PO-Revision-Date: 2026-11-30 14:05+0300\\n"
"Last-Translator: Ayşe Yılmaz <ayse@translators.example>\\n"
"Language-Team: Türkçe <tr@translators.example>\\n"
"Language: tr\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Generator: Poedit 3.4.2\\n"
"X-Poedit-SourceCharset: UTF-8\\n"
'''


def test_what_poedit_wrote_is_kept_when_the_messages_change(project, monkeypatch):
    root = project("ministry")
    po = root / "locales/tr/releases/hello.po"
    text = po.read_text(encoding="utf-8")
    start, end = text.index('msgid ""'), text.index("\n\n", text.index('msgid ""'))
    po.write_text(text[:start] + POEDIT_HEADER.rstrip("\n") + text[end:], encoding="utf-8")
    saved = po.read_bytes()
    update(root, monkeypatch, DEC_4)
    assert po.read_bytes() == saved  # nothing new: the file is not touched

    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    update(root, monkeypatch, DEC_5)
    assert list(header(po).items()) == [
        ("Project-Id-Version", "MFA hello"),
        ("Report-Msgid-Bugs-To", "spokesperson@mfa.example"),
        ("POT-Creation-Date", "2026-12-05 18:30+0000"),
        ("PO-Revision-Date", "2026-11-30 14:05+0300"),
        ("Last-Translator", "Ayşe Yılmaz <ayse@translators.example>"),
        ("Language-Team", "Türkçe <tr@translators.example>"),
        ("Language", "tr"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Plural-Forms", "nplurals=2; plural=(n != 1);"),
        ("X-Generator", "Poedit 3.4.2"),
        ("X-Poedit-SourceCharset", "UTF-8"),
    ]
    assert msgfmt_check(po) == ""


@pytest.mark.parametrize("path", sorted(REPO.glob("locales/**/*.po")) + sorted(REPO.glob("src/pressgen/locales/**/*.po")),
                         ids=lambda p: p.relative_to(REPO).as_posix())
def test_shipped_catalogs_have_no_placeholder_headers(path):
    fields = header(path)
    assert not [value for value in fields.values() if any(
        p in value for p in ("VERSION", "EMAIL@ADDRESS", "FULL NAME", "YEAR-MO-DA", "2000-01-01"))], fields
    assert msgfmt_check(path) == ""


OLD_PRESSGEN_HEADER = {
    '"Project-Id-Version: MFA hello\\n"': '"Project-Id-Version: hello VERSION\\n"',
    '"Report-Msgid-Bugs-To: spokesperson@mfa.example\\n"': '"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"',
    '"Last-Translator: \\n"': '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"',
    '"Language-Team: Turkish <press@office.example>\\n"': '"Language-Team: Turkish\\n"',
}


def test_a_catalog_with_babel_s_placeholders_is_filled_and_its_messages_left_alone(project, monkeypatch):
    root = project("ministry")
    po = root / "locales/tr/releases/hello.po"
    for filled, placeholder in OLD_PRESSGEN_HEADER.items():
        edit(po, filled, placeholder)
    edit(po, "PO-Revision-Date: " + header(po)["PO-Revision-Date"], "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE")
    messages = po.read_text(encoding="utf-8").partition("\n\n")[2]
    created = header(po)["POT-Creation-Date"]
    assert "warning: header field 'Last-Translator' still has the initial default value" in msgfmt_check(po)
    assert update(root, monkeypatch, DEC_5).stdout == "updated locales/tr/releases/hello.po\n"
    fields = header(po)
    assert (fields["Project-Id-Version"], fields["Report-Msgid-Bugs-To"], fields["Last-Translator"],
            fields["Language-Team"]) == ("MFA hello", "spokesperson@mfa.example", "", "Turkish <press@office.example>")
    # Its messages did not change: their date stays, and stands for the revision never dated.
    assert fields["POT-Creation-Date"] == fields["PO-Revision-Date"] == created
    assert po.read_text(encoding="utf-8").partition("\n\n")[2] == messages
    assert msgfmt_check(po) == ""


def test_a_catalog_made_by_an_update_is_not_rewritten_by_the_next_change_elsewhere(project):
    """A new catalog ended its header with an empty line (Babel's Generated-By carries a line
    break) that the first update changing a message removed: a line of diff for nothing."""
    root = project("minimal")
    shutil.copy(root / "releases/hello.yaml", root / "releases/second.yaml")
    edit(root / "releases/second.yaml", "Hello from Istanbul", "Second from Istanbul")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    po = root / "locales/tr/releases/second.po"

    def header() -> list[str]:  # less the date of the messages, which the change moves
        return [line for line in po.read_text(encoding="utf-8").split("\n\n")[0].splitlines()
                if not line.startswith('"POT-Creation-Date')]

    made = header()
    assert '"\\n"' not in made
    edit(root / "releases/second.yaml", "The last paragraph.", "The very last paragraph.")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    assert header() == made


def test_an_update_keeps_the_entries_it_does_not_change_as_the_translator_s_tool_wrapped_them(project, monkeypatch):
    """One paragraph of the record edited: its entry becomes fuzzy, and the others stay as the
    translator left them, a long translation on one line included. A trial's were all re-wrapped
    at 76 columns by any change to another entry: a diff of lines no one touched."""
    root = project("ministry")
    po = root / "locales/tr/releases/hello.po"
    long = "İlk paragraf, çevirmenin aracının tek satırda bıraktığı uzun bir çeviri olarak burada duruyor."
    edit(po, 'msgstr "İlk paragraf."', f'msgstr "{long}"')
    assert msgfmt_check(po) == ""
    edit(root / "releases/hello.yaml", "  - The last paragraph.", "  - The very last paragraph.")
    assert update(root, monkeypatch, DEC_5).stdout.count("updated locales/tr/releases/hello.po") == 1
    text = po.read_text(encoding="utf-8")
    assert f'msgid "The first paragraph."\nmsgstr "{long}"\n' in text
    assert '#, fuzzy\n#| msgid "The last paragraph."\nmsgctxt "paragraph"\n' \
           'msgid "The very last paragraph."\nmsgstr "Son paragraf."\n' in text
    assert msgfmt_check(po) == ""


def test_an_update_keeps_a_sorted_catalog_s_translations_as_its_tool_wrapped_them_when_only_references_move(
        project, monkeypatch):
    """A trial sorted a catalog (`msgcat --sort-output`), then a line added to the record moved
    every reference: three msgstrs no one touched were wrapped again, in a file sorted otherwise."""
    root = project("ministry")
    po = root / "locales/tr/releases/hello.po"
    long = "İlk paragraf, çevirmenin aracının tek satırda bıraktığı uzun bir çeviri olarak burada duruyor."
    edit(po, 'msgstr "İlk paragraf."', f'msgstr "{long}"')
    subprocess.run(["msgcat", "--sort-output", "--no-wrap", "-o", str(po), str(po)], check=True)
    assert msgfmt_check(po) == ""
    created = header(po)["POT-Creation-Date"]
    edit(root / "releases/hello.yaml", "date:", "# Approved by the director.\ndate:")
    assert "updated locales/tr/releases/hello.po" in update(root, monkeypatch, DEC_5).stdout
    text = po.read_text(encoding="utf-8")
    assert f'msgid "The first paragraph."\nmsgstr "{long}"\n' in text
    assert msgfmt_check(po) == ""
    # Its messages are as they were: their references moved, not the date they last changed (a trial's moved).
    assert header(po)["POT-Creation-Date"] == created


def test_an_update_keeps_a_windows_editor_s_line_endings(project, monkeypatch):
    """Saved with CRLF by a Windows editor, a catalog came back LF on its first real update:
    every line of it in the diff."""
    root = project("ministry")
    po = root / "locales/tr/releases/hello.po"
    po.write_bytes(po.read_bytes().replace(b"\n", b"\r\n"))
    assert msgfmt_check(po) == ""
    before = po.read_bytes().split(b"\r\n")
    edit(root / "releases/hello.yaml", "  - The last paragraph.", "  - The very last paragraph.")
    assert "updated locales/tr/releases/hello.po" in update(root, monkeypatch, DEC_5).stdout
    data = po.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") > 20
    after = data.split(b"\r\n")
    changed = [line for line in after if line not in before]
    assert changed == [b'"POT-Creation-Date: 2026-12-05 18:30+0000\\n"', b"#, fuzzy", b'#| msgid "The last paragraph."',
                       b'msgid "The very last paragraph."'], changed
    assert msgfmt_check(po) == ""


def test_an_update_keeps_the_header_fields_it_does_not_change_as_the_translator_s_tool_wrapped_them(project,
                                                                                                 monkeypatch):
    """Poedit's Russian Plural-Forms on one line of 110 columns: a trial's was wrapped again at 76
    whenever an edit moved the creation date, a diff of a line no one touched."""
    root = project("minimal")
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, ru]")
    update(root, monkeypatch, DEC_4)
    po = root / "locales/ru/releases/hello.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms: ')
    one_line = f'"Plural-Forms: {GNU_RUSSIAN}\\n"\n'
    po.write_text(text[:start] + one_line + text[text.index('\\n"\n', start) + 4:], encoding="utf-8")
    edit(root / "releases/hello.yaml", "  - The last paragraph.", "  - The very last paragraph.")
    assert "updated locales/ru/releases/hello.po" in update(root, monkeypatch, DEC_5).stdout
    text = po.read_text(encoding="utf-8")
    assert one_line in text
    assert header(po)["POT-Creation-Date"] == "2026-12-05 18:30+0000"
    assert msgfmt_check(po) == ""


@pytest.mark.parametrize("lang, rule", [
    ("fr", "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"),
    ("es", "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;"),
])
def test_a_language_whose_cldr_rule_names_the_exponent_gets_catalogs_gettext_reads(project, monkeypatch, lang, rule):
    """CLDR's rules of French, Spanish, Italian and Portuguese name the exponent of a number in
    compact form ('e'), which Babel's gettext rule keeps and gettext cannot read: adding French
    to an office ended `catalogs update` in a traceback (ValueError: invalid token in plural form: e)."""
    root = project("minimal")
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", f"languages: [en, tr, kk, {lang}]")
    result = update(root, monkeypatch, DEC_4)
    assert f"created locales/{lang}/releases/hello.po" in result.stdout
    for path in (root / f"locales/{lang}/releases/hello.po", root / f"locales/{lang}/LC_MESSAGES/messages.po"):
        assert header(path)["Plural-Forms"] == rule
        assert msgfmt_check(path) == ""
    assert run_cli("check", "--project", str(root)).exit_code == 0
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0


GNU_RUSSIAN = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
               "? 1 : 2);")


def test_russian_gets_poedit_s_three_forms_and_a_catalog_with_cldr_s_four_is_kept(project, monkeypatch):
    """Poedit and GNU msginit write Russian's three forms (one, few, many); CLDR adds a fourth for
    fractions, which gettext is never given. pressgen wrote CLDR's four, spelt out by Babel over
    four lines, and took Poedit's header for a wrong one (`catalogs update` rewrote it, which
    Poedit's next save undid). Now it writes the three; a catalog with the four, as pressgen
    wrote it before, is kept as it is."""
    from babel import Locale
    from babel.plural import to_gettext

    root = project("minimal")
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, ru]")
    update(root, monkeypatch, DEC_4)
    path = root / "locales/ru/releases/hello.po"
    assert header(path)["Plural-Forms"] == GNU_RUSSIAN
    assert msgfmt_check(path) == ""
    cldr = to_gettext(Locale.parse("ru").plural_form)
    text = path.read_text(encoding="utf-8")
    start = text.index('"Plural-Forms: ')
    end = text.index('\\n"\n', start) + 4
    path.write_text(text[:start] + f'"Plural-Forms: {cldr}\\n"\n' + text[end:], encoding="utf-8")
    assert header(path)["Plural-Forms"] == cldr
    assert msgfmt_check(path) == ""
    before = path.read_text(encoding="utf-8")
    assert "Plural-Forms" not in run_cli("check", "--project", str(root)).output
    assert run_cli("catalogs", "update", "--project", str(root)).stdout == "All catalogs are up to date.\n"
    assert path.read_text(encoding="utf-8") == before
    # A rule that is not the language's still is refused.
    path.write_text(before.replace(cldr, "nplurals=2; plural=(n != 1);"), encoding="utf-8")
    assert "locales/ru/releases/hello.po:" in run_cli("check", "--project", str(root)).output


def test_an_obsolete_entry_is_wrapped_as_msgmerge_wraps_it(project, monkeypatch):
    """A paragraph deleted from the record: its entry goes obsolete ('#~'). Babel's writer counts
    the '#~ ' prefix once per word, and a trial's obsolete texts were cut at 40 columns."""
    root = project("minimal")
    long = ("The festival brings together ensembles from every member country, with concerts, "
            "workshops and exhibitions held over ten days in the city's historic centre.")
    edit(root / "releases/hello.yaml", "  - The last paragraph.", f"  - {long}")
    update(root, monkeypatch, DEC_4)
    edit(root / "releases/hello.yaml", f"  - {long}", "")
    update(root, monkeypatch, DEC_5)
    po = root / "locales/tr/releases/hello.po"
    obsolete = [line for line in po.read_text(encoding="utf-8").splitlines() if line.startswith('#~ "')]
    assert obsolete and min(len(line) for line in obsolete[:-1]) > 60 and max(map(len, obsolete)) <= 79, obsolete
    assert msgfmt_check(po) == ""


def test_an_update_keeps_the_file_s_own_ending(project, monkeypatch):
    """msgcat ends a catalog with its last line, Babel with a blank line after it: a trial's file
    saved by msgcat gained a blank line whenever an update changed its last entry."""
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    subprocess.run(["msgcat", "--width=79", "-o", str(po), str(po)], check=True)
    assert po.read_bytes().endswith(b'"\n')
    edit(root / "releases/hello.yaml", "tags: [culture]", "tags: [culture, music]")
    assert "updated locales/tr/releases/hello.po" in update(root, monkeypatch, DEC_5).stdout
    assert po.read_bytes().endswith(b'msgid "music"\nmsgstr ""\n')
    assert msgfmt_check(po) == ""
