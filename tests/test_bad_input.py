"""Bad input of every kind: `file:line: message` saying what to do, exit 1, no traceback,
and out/ exactly as it was. One case per mistake, each with its exact message.

Each case starts from the same small project, built once (`--format html,ninjs`) and
copied with its out/ and .pressgen/; the copy rebuilds nothing, as a moved project
should not. The mistake is then made, and `check` and `build` (for the media list:
`check` and `mail`) must both name it and change no file in out/.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import REPO, copy_project, outputs, run_cli
from htmlread import Page
from pressgen.theme import BUNDLED_TEMPLATES

PUT_BACK = "; put it back, where your language needs it: pressgen fills it in"
"""What the QA says to do about a dropped placeholder."""
END_STOP = "; end with it too, or flag the message '#, ignore-end-stop' where your language ends otherwise"


RECORD = "releases/hello.yaml"
HEADLINE = "headline: Hello from Istanbul\n"
MEDIA = """name,email,outlet,language,lists
Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,culture
Мәдина Оспанова,madina@kazakh.example,Kazakh News,kk,culture
"""
MAIL = """
mail:
  from: press@office.example
  smtp: {host: 127.0.0.1, port: 2525, security: none}
"""
PO_HEADER = """msgid ""
msgstr ""
"Language: tr\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"""
CSS = (REPO / "src/pressgen/templates/assets/pressgen.css").read_text(encoding="utf-8")
LABEL_LINE = (REPO / "tests/projects/minimal/locales/tr/LC_MESSAGES/messages.po").read_text(
    encoding="utf-8").split("\n").index('msgstr "Basın bülteni"') + 1
"""Where the cases below break the label catalog: it moves whenever the templates do."""
WORD_PROCESSOR = ("delete it: only tabs and line breaks may stand between the words (it often comes from copying "
                  "out of a word processor)")
LINKED = "outside the project; pressgen publishes only the project's own files: copy the"
EMPTY_CONTACT_ADDRESS = ("'email' is empty; write the contact's address after the colon, as in 'email: press@example.org' "
                         "(journalists' replies to the mail go to it), or delete the line if the contact has none")


# --- how a mistake is made ------------------------------------------------------

def change(rel: str, old: str | bytes, new: str | bytes, count: int = 1):
    """A mistake made by replacing ``old`` with ``new`` in one project file."""
    def apply(root: Path) -> None:
        path = root / rel
        data = path.read_bytes()
        before = old.encode("utf-8") if isinstance(old, str) else old
        assert before in data, old
        path.write_bytes(data.replace(before, new.encode("utf-8") if isinstance(new, str) else new, count))
    return apply


def write(rel: str, data: str | bytes):
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return apply


def link(rel: str, target: str):
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        path.unlink(missing_ok=True)
        path.symlink_to(target)
    return apply


def away(root: Path, name: str) -> Path:
    return (root.parent / "shared-drive" / name).resolve()


def moved_out(rel: str):
    """Files moved out of the project unchanged and linked back: the cache must not vouch for them."""
    def apply(root: Path) -> None:
        target = away(root, Path(rel).name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / rel, target)
        (root / rel).symlink_to(target)
    return apply


def both(*mistakes):
    def apply(root: Path) -> None:
        for mistake in mistakes:
            mistake(root)
    return apply


def record(old: str, new: str | bytes):
    return change(RECORD, old, new)


def headline(text: str | bytes):
    return record(HEADLINE, text)


def config(old: str, new: str):
    return change("pressgen.yaml", old, new)


def catalog(old: str, new: str | bytes, lang: str = "tr"):
    return change(f"locales/{lang}/releases/hello.po", old, new)


def labels(old: str, new: str):
    return change("locales/tr/LC_MESSAGES/messages.po", old, new)


def glossary(entries: str | bytes):
    """A Turkish glossary of these entries (PO text after the header)."""
    body = entries.encode("utf-8") if isinstance(entries, str) else entries
    return write("locales/tr/glossary.po", PO_HEADER.encode("utf-8") + b"\n" + body)


def stylesheet(extra: str, first: bool = False):
    return write("templates/assets/pressgen.css", extra + CSS if first else CSS + extra)


def template(name: str, text: str):
    return write(f"templates/{name}", text)


def statement(old: str, new: str):
    """The bundled statement template, copied into the project with one change."""
    text = (REPO / "src/pressgen/templates/statement.html").read_text(encoding="utf-8")
    assert old in text
    return write("templates/statement.html", text.replace(old, new, 1))


def media(data: str | bytes):
    return write("media.csv", data)


def unusable_url(url: str, problem: str) -> str:
    """check's words for a url() a PDF could not load, on the line the cases add."""
    return (f"templates/assets/pressgen.css:{CSS.count(chr(10)) + 2}: stylesheet problem: url({url}) {problem}, so a PDF would not be "
            "written; put the file in templates/assets/ and name it relative to this stylesheet")


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
PARAGRAPH = "  - The first paragraph.\n"
BODY = PARAGRAPH + "  - quote: We are ready\n    by: Ayşe Yılmaz, Director\n  - The last paragraph.\n"


CASES = {
    # --- records -----------------------------------------------------------------
    "vertical tab": (headline("headline: Hello\vfrom Istanbul\n"),
                     f"releases/hello.yaml:6: a control character (U+000B) at column 16; {WORD_PROCESSOR}"),
    "C1 control": (headline("headline: Hello\u0082 from Istanbul\n"),
                   f"releases/hello.yaml:6: a control character (U+0082) at column 16; {WORD_PROCESSOR}"),
    "U+0001": (headline("headline: Hello\x01 from Istanbul\n"),
               f"releases/hello.yaml:6: a control character (U+0001) at column 16; {WORD_PROCESSOR}"),
    "U+0010": (record(PARAGRAPH, "  - The first\x10 paragraph.\n"),
               f"releases/hello.yaml:9: a control character (U+0010) at column 14; {WORD_PROCESSOR}"),
    # Found by a trial: a right-to-left override printed the headline backwards in the PDF.
    "bidi override": (headline("headline: Hello \u202efrom Istanbul\n"),
                      f"releases/hello.yaml:6: a control character (U+202E) at column 17; {WORD_PROCESSOR}"),
    "zero-width space": (record(PARAGRAPH, "  - The first\u200b paragraph.\n"),
                         f"releases/hello.yaml:9: a control character (U+200B) at column 14; {WORD_PROCESSOR}"),
    "a second document": (record(BODY, BODY + "---\nlanguage: en\n"),
                          "releases/hello.yaml:13: YAML syntax error: but found another document; a '---' line starts "
                          "a second record in this file, which holds one release: delete the '---' line, and move "
                          "what follows it to a record of its own"),
    "NUL byte": (headline(b"headline: Hello\x00\n"),
                 f"releases/hello.yaml:6: a control character (U+0000) at column 16; {WORD_PROCESSOR}"),
    "Latin-1 bytes": (headline("headline: Merhaba İstanbul’dan çok\n".encode("utf-8").replace("ç".encode(), b"\xe7")),
                      "releases/hello.yaml:6: not UTF-8 text (byte 0xe7 at column 35); save the file as UTF-8"),
    "UTF-16 record": (lambda root: (root / RECORD).write_bytes((root / RECORD).read_text().encode("utf-16")),
        'releases/hello.yaml:1: not UTF-8 text (byte 0xff at column 1); save the file as UTF-8'),
    "alias bomb": (headline(HEADLINE + ALIAS_BOMB),
                   "releases/hello.yaml:8: an alias (*a) repeats another part of the file; pressgen does not read "
                   "aliases: write the text out"),
    "merge key": (record("tags: [culture]\n", "tags: [culture]\n<<: {place: Ankara}\n"),
        'releases/hello.yaml:14: merge keys (<<) are not supported; write the fields out'),
    "python tag": (headline("headline: !!python/object:os.system echo\n"),
        'releases/hello.yaml:6: a YAML tag (!!python/object:os.system) is not read; remove it: pressgen '
        'reads every value as the text you typed'),
    "custom tag": (record("place: Istanbul", "place: !city Istanbul"),
        'releases/hello.yaml:5: a YAML tag (!city) is not read; remove it: pressgen reads every value as '
        'the text you typed'),
    "empty body": (record("body:\n" + BODY, "body: []\n"),
                   "releases/hello.yaml:8: 'body' is empty; add at least one paragraph"),
    "body as text": (change(RECORD, "body:\n" + PARAGRAPH, "body: The first paragraph.\nx:\n"),
        "releases/hello.yaml:8: 'body' must be a list (lines starting with '- '), got 'The first "
        "paragraph.'"),
    "empty paragraph": (record(PARAGRAPH, '  - ""\n'),
        "releases/hello.yaml:9: an empty paragraph in 'body'; remove the '-' line"),
    "misspelt quote": (record("  - quote: We are ready", "  - qoute: We are ready"),
        "releases/hello.yaml:10: a body block must be a paragraph (plain text, or 'paragraph:' with "
        "'note:') or a quote ('quote:' with 'by:'), got 'qoute', 'by'; did you mean 'quote'?"),
    "unknown key in a quote": (record("    by: Ayşe Yılmaz, Director\n",
                                      "    by: Ayşe Yılmaz, Director\n    role: Director\n"),
        "releases/hello.yaml:12: unknown field 'role' in a quote; expected one of: quote, by, note"),
    "long headline": (headline("headline: " + "Merhaba " * 50 + "\n"),
                      "releases/hello.yaml:6: this headline is 399 characters long; a headline is at most 300: "
                      "shorten it"),
    "long summary": (record("summary: A short release for tests.", "summary: " + "Kısa. " * 260),
        'releases/hello.yaml:7: this summary is 1,559 characters long; a summary is at most 1,500: '
        'shorten it'),
    "long paragraph": (record(PARAGRAPH, "  - " + "Söz. " * 1300 + "\n"),
        'releases/hello.yaml:9: this paragraph is 6,499 characters long; a paragraph is at most 6,000: '
        'shorten it'),
    "long quote": (record("  - quote: We are ready", "  - quote: " + "Hazır. " * 500),
        'releases/hello.yaml:10: this quote is 3,499 characters long; a quote is at most 3,000: shorten '
        'it'),
    "long attribution": (record("    by: Ayşe Yılmaz, Director", "    by: " + "Ayşe " * 70),
        'releases/hello.yaml:11: this quote attribution is 349 characters long; a quote attribution is '
        'at most 300: shorten it'),
    "long place": (record("place: Istanbul", "place: " + "Istanbul" * 13),
        'releases/hello.yaml:5: this dateline place is 104 characters long; a dateline place is at most '
        '100: shorten it'),
    "long tag": (record("tags: [culture]", "tags: [" + "culture" * 15 + "]"),
        'releases/hello.yaml:13: this tag is 105 characters long; a tag is at most 100: shorten it'),
    "too many paragraphs": (record(PARAGRAPH, PARAGRAPH * 201),
        "releases/hello.yaml:8: 'body' has 203 paragraphs and quotes; a release has at most 200: split "
        'it into several releases'),
    "huge record": (headline("headline: " + "x" * 1_100_000 + "\n"),
                    "releases/hello.yaml: is 1,100,258 bytes; a record or config is at most 1,000,000 (a press "
                    "release is a few thousand): is this the right file?"),
    "unknown style": (record("style: statement", "style: memo"),
        "releases/hello.yaml:2: 'style' must be one of statement, wire, got 'memo'"),
    "unknown language": (record("language: en", "language: fr"),
        "releases/hello.yaml:1: unknown language 'fr'; this office publishes in en, tr, kk "
        '(pressgen.yaml)'),
    "unknown organisation": (record("organisation: office", "organisation: ministry"),
        "releases/hello.yaml:3: unknown organisation 'ministry'; pressgen.yaml defines: office"),
    "misspelt organisation": (record("organisation: office", "organisation: ofice"),
        "releases/hello.yaml:3: unknown organisation 'ofice'; pressgen.yaml defines: office; did you mean 'office'?"),
    "month 13": (record("date: 2011-04-08", "date: 2011-13-08"),
        "releases/hello.yaml:4: 'date' must be YYYY-MM-DD, got '2011-13-08'"),
    "February 30": (record("date: 2011-04-08", "date: 2024-02-30"),
        "releases/hello.yaml:4: 'date' must be a real day, got '2024-02-30': that month has no day 30"),
    "date in words": (record("date: 2011-04-08", "date: 8 April 2011"),
        "releases/hello.yaml:4: 'date' must be YYYY-MM-DD, got '8 April 2011'"),
    # A trial's: told the form, but not the day it meant.
    "date a digit short": (record("date: 2011-04-08", "date: 2011-4-8"),
        "releases/hello.yaml:4: 'date' must be YYYY-MM-DD, got '2011-4-8'; write '2011-04-08'"),
    "date day first": (record("date: 2011-04-08", "date: 08.04.2011"),
        "releases/hello.yaml:4: 'date' must be YYYY-MM-DD, got '08.04.2011'; write '2011-04-08'"),
    "embargo without a time": (record("date: 2011-04-08", "date: 2011-04-08\nembargo: 2011-04-08"),
        "releases/hello.yaml:5: 'embargo' must be 'YYYY-MM-DD HH:MM Area/City' (e.g. '2011-04-08 10:00 "
        "Asia/Baku'), got '2011-04-08'"),
    "embargo in an unknown zone": (record("date: 2011-04-08", "date: 2011-04-08\nembargo: 2011-04-08 10:00 Asia/Bakü"),
        "releases/hello.yaml:5: 'embargo' has an unknown timezone 'Asia/Bakü'; use an IANA name such as "
        'Asia/Almaty or Europe/Istanbul, or an offset such as +06:00'),
    "withdrawn not a date": (record("date: 2011-04-08", "date: 2011-04-08\nwithdrawn: yes"),
        "releases/hello.yaml:5: 'withdrawn' must be YYYY-MM-DD, got 'yes'"),
    "duplicate key": (record("place: Istanbul\n", "place: Istanbul\nplace: Ankara\n"),
        "releases/hello.yaml:6: duplicate key 'place' (first on line 5); keep one"),
    "missing field": (record("place: Istanbul\n", ""),
        "releases/hello.yaml:1: the release record is missing the required field 'place'"),
    "unknown field": (record("summary:", "sumary:"),
        "releases/hello.yaml:7: unknown field 'sumary' in the release record; did you mean 'summary'?"),
    "headline as a list": (headline("headline:\n  - Hello\n"),
        "releases/hello.yaml:7: 'headline' must be text, got a list"),
    "empty headline": (headline("headline:\n"),
        "releases/hello.yaml:6: 'headline' is empty; write the release's headline after the colon"),
    "empty date": (record("date: 2011-04-08", "date:"),
        "releases/hello.yaml:4: 'date' is empty; write the release's date after the colon, as in 'date: 2011-04-08'"),
    "empty organisation": (record("organisation: office", "organisation:"),
        "releases/hello.yaml:3: 'organisation' is empty; write the key of an organisation in pressgen.yaml after the "
        "colon, as in 'organisation: office'"),
    "empty place": (record("place: Istanbul", "place: ''"),
        "releases/hello.yaml:5: 'place' is empty; write the city of the dateline after the colon, as in 'place: Baku'"),
    "empty tag": (record("tags: [culture]", 'tags: [culture, ""]'),
        "releases/hello.yaml:13: a tag is empty; write a word or phrase, or delete it"),
    "blank tag in a list": (record("tags: [culture]", "tags:\n  - culture\n  -\n"),
        "releases/hello.yaml:15: a tag is empty; write a word or phrase, or delete it"),
    "a list item indented less than the others": (record("  - quote: We are ready", " - quote: We are ready"),
        "releases/hello.yaml:10: YAML syntax error: did not find expected key; this "
        "line is indented unlike the lines above it: line it up with them (the fields of one level start in the same "
        "column, and so do the '- ' of a list's items)"),
    "tab indentation": (record("    by: Ayşe", "\tby: Ayşe"),
        'releases/hello.yaml:11: YAML syntax error: found a tab character that violates indentation; indent with spaces, not tabs'),
    "colon in a text": (headline("headline: Note: hello from Istanbul\n"),
        'releases/hello.yaml:6: YAML syntax error: mapping values are not allowed in this context; check '
        "the indentation of this line, or put quotes around a text that contains ': '"),
    "headline that starts with a quotation": (headline("headline: 'Kültür haftası' İstanbul'da açıldı\n"),
        "releases/hello.yaml:6: YAML syntax error: did not find expected key; a text that starts with a quotation "
        "mark ends where that mark closes: put the whole text in quotes: headline: \"'Kültür haftası' İstanbul'da "
        "açıldı\""),
    "paragraph text not indented under '- >'": (record("  - The first paragraph.", "  - >\n  The first paragraph."),
        "releases/hello.yaml:10: YAML syntax error: could not find expected ':'; the text under '- >' must be "
        "indented further than that line: put spaces before this line (and before the lines of text after it)"),
    "paragraph text with a colon not indented under '- >'": (
        record("  - The last paragraph.", "  - >\n  The last paragraph: it ends here."),
        "releases/hello.yaml:13: YAML syntax error: did not find expected '-' indicator; the text under '- >' must be "
        "indented further than that line: put spaces before this line (and before the lines of text after it)"),
    "paragraph text at the margin under '- >', read as a field": (
        record("  - The last paragraph.\n", "  - >\nOpening hours: every day except Monday.\n"),
        "releases/hello.yaml:13: the text under '- >' must be indented further than that line: put spaces before "
        "this line (and before the lines of text after it)"),
    "standfirst at the margin under 'summary: >', read as a field": (
        record("summary: A short release for tests.", "summary: >\nNote: a short release for tests."),
        "releases/hello.yaml:8: the text under 'summary: >' must be indented further than that line: put spaces "
        "before this line (and before the lines of text after it)"),
    "an item in brackets that starts with a quotation": (record("tags: [culture]", "tags: ['kültür' haftası, İstanbul]"),
        "releases/hello.yaml:13: YAML syntax error: did not find expected ',' or ']'; an item in [ ] that starts with "
        "a quotation mark ends where that mark closes: put the whole item in quotes of the other kind (\"'kültür' "
        "haftası\"), or write the list one '- ' item a line"),
    "tags written without brackets": (record("tags: [culture]", "tags: music, dance"),
        "releases/hello.yaml:13: 'tags' must be a list (lines starting with '- '), got 'music, dance'; write tags: "
        "[music, dance]"),
    "a tag twice": (record("tags: [culture]", "tags:\n  - Music\n  - dance\n  - music"),
        "releases/hello.yaml:16: the tag 'music' is there twice (first on line 14); delete one"),
    "an empty item in a list in brackets": (record("tags: [culture]", "tags: [culture, ,]"),
        "releases/hello.yaml:13: YAML syntax error: did not find expected node content; a list in [ ] has an empty "
        "item (a comma with nothing before it): remove that comma"),
    "quote left open": (headline('headline: "Hello from Istanbul\n'),
        'releases/hello.yaml:6: YAML syntax error: found unexpected end of stream; a text on this line opens a '
        'quote that is never closed: end it with the same mark (" or \') it starts with'),
    "bracket left open": (record("tags: [culture]", "tags: [culture"),
        "releases/hello.yaml:13: YAML syntax error: did not find expected ',' or ']'"),
    "merge conflict": (headline("<<<<<<< HEAD\nheadline: Hello from Istanbul\n=======\nheadline: Hello\n>>>>>>> x\n"),
        "releases/hello.yaml:6: a merge conflict is left in this file (<<<<<<< … >>>>>>>): delete the other side "
        "and the marker lines by hand"),
    "merge conflict in pressgen.yaml": (config("base_url: https://news.office.example/",
                                               "<<<<<<< HEAD\nbase_url: https://news.office.example/\n=======\n"
                                               "base_url: https://press.office.example/\n>>>>>>> x"),
        "pressgen.yaml:3: a merge conflict is left in this file (<<<<<<< … >>>>>>>): delete the other side and the "
        "marker lines by hand"),
    "bad id": (record("language: en", "id: Hello_World\nlanguage: en"),
        "releases/hello.yaml:1: 'id' must give an id of lower-case letters, digits and hyphens (e.g. "
        "'turksoy-isesco-agreement'), got 'Hello_World'"),
    "id used twice": (both(lambda root: shutil.copy(root / RECORD, root / "releases/hello-again.yaml"),
                           change("releases/hello-again.yaml", "language: en", "id: hello\nlanguage: en")),
        "releases/hello-again.yaml:1: release id 'hello' is also used by releases/hello.yaml; give each release "
        "its own 'id' (neither is built until then)"),
    "id of the newsroom's front page": (record("language: en", "id: index\nlanguage: en"),
        "releases/hello.yaml:1: 'id' 'index' is the name of the newsroom's front page (out/<language>/index.html), "
        "which would take the release's page's place; choose another id"),
    "file name giving the newsroom's front page": (lambda root: shutil.copy(root / RECORD, root / "releases/index.yaml"),
        "releases/index.yaml:1: the file name 'index.yaml' gives the id 'index', the name of the newsroom's front page "
        "(out/<language>/index.html), which would take the release's page's place; rename the file or give the "
        "release an 'id'"),
    "file name no id can come from": (lambda root: shutil.copy(root / RECORD, root / "releases/Hello World.yaml"),
        "releases/Hello World.yaml:1: the file name 'Hello World.yaml' must give an id of lower-case "
        "letters, digits and hyphens (e.g. 'turksoy-isesco-agreement'), got 'Hello World'"),
    "record that is a list": (write("releases/list.yaml", "- headline: Hello\n"),
        "releases/list.yaml:1: the release record must be a mapping of 'field: value' lines, got a list"),
    "empty record": (write("releases/empty.yaml", "# to do\n"),
        "releases/empty.yaml:1: the release record is empty; expected fields such as 'headline: …'"),
    "contacts not a list": (record("tags: [culture]", "tags: [culture]\ncontacts: press@office.example"),
        "releases/hello.yaml:14: 'contacts' must be a list (lines starting with '- '), got "
        "'press@office.example'"),
    "contact with a bad address": (record("tags: [culture]", "tags: [culture]\ncontacts:\n  - name: Desk\n"
                                          "    email: desk(at)office.example"),
        "releases/hello.yaml:16: 'email' must be an address such as press@example.org, got "
        "'desk(at)office.example'"),
    "contact with an empty address": (record("tags: [culture]", "tags: [culture]\ncontacts:\n  - name: Press Office\n"
                                             "    email:"),
        f"releases/hello.yaml:16: {EMPTY_CONTACT_ADDRESS}"),
    "a character no font has": (
        headline("headline: Hello from Istanbul ᚠ\n"),
        "releases/hello.yaml:6: headline 'Hello from Istanbul ᚠ' has 'ᚠ' (U+16A0), which no font of the theme has, "
        "so its PDF would not be written; remove it, or add a font that has it to templates/assets/"),
    "record linked out of the project": (
        link("releases/notes.yaml", "/etc/hostname"),
        "releases/notes.yaml: a link to /etc/hostname, outside the project; pressgen reads only the project's own "
        "files: copy the record here instead of linking to it"),
    "records folder linked out of the project": (
        lambda root: (shutil.move(root / "releases", root.parent / "releases"),
                      link("releases", str(root.parent / "releases"))(root)),
        lambda root: f"releases: a link to {root.parent / 'releases'}, outside the project; pressgen reads only the "
                     "project's own files: copy the records here instead of linking to them"),

    # --- pressgen.yaml -------------------------------------------------------------
    "base_url not a url": (config("base_url: https://news.office.example/", "base_url: not a url"),
                           "pressgen.yaml:3: 'base_url' must be the newsroom's web address, such as "
                           "https://press.example.org/, got 'not a url'"),
    "base_url javascript": (config("base_url: https://news.office.example/", 'base_url: "javascript:alert(1)//"'),
                            "pressgen.yaml:3: 'base_url' must be the newsroom's web address, such as "
                            "https://press.example.org/, got 'javascript:alert(1)//'"),
    "unknown English variant": (config("base_url: https://news.office.example/",
                                       "base_url: https://news.office.example/\nenglish: en-AU"),
                                "pressgen.yaml:4: 'english' must be en-US or en-GB, the patterns English words break "
                                "by in PDFs (organized: or-ga-nized in en-US, or-gan-ized in en-GB), got 'en-AU'"),
    "base_url ftp": (config("base_url: https://news.office.example/", "base_url: ftp://news.office.example/"),
        "pressgen.yaml:3: 'base_url' must be the newsroom's web address, such as "
        "https://press.example.org/, got 'ftp://news.office.example/'"),
    "empty config": (write("pressgen.yaml", "# nothing yet\n"),
                     "pressgen.yaml:1: pressgen.yaml is empty; expected fields such as 'languages: [en, tr, kk]'"),
    "config that is a list": (write("pressgen.yaml", "- en\n- tr\n"),
        "pressgen.yaml:1: pressgen.yaml must be a mapping of 'field: value' lines, got a list"),
    "unknown language code": (config("languages: [en, tr, kk]", "languages: [en, tr, xx]"),
        "pressgen.yaml:2: unknown language 'xx'; use a CLDR code such as 'en', 'tr' or 'kk'"),
    # A code spelt otherwise, or a region added, was another language to pressgen: a trial's `fr-FR`
    # took its published French offline, with a warning alone.
    "language code in capitals": (config("languages: [en, tr, kk]", "languages: [en, tr, KK]"),
        "pressgen.yaml:2: write 'kk', as CLDR writes Kazakh, not 'KK': catalogs, published/ and out/ keep a "
        "language in folders by its code"),
    "three-letter language code": (config("languages: [en, tr, kk]", "languages: [en, tur, kk]"),
        "pressgen.yaml:2: write 'tr', as CLDR writes Turkish, not 'tur': catalogs, published/ and out/ keep a "
        "language in folders by its code"),
    "a published language under a new code": (config("languages: [en, tr, kk]", "languages: [en, tr, kk-KZ]"),
        "pressgen.yaml:2: 'kk-KZ' is new to this office, and Kazakh is in locales/kk/ and published/kk/ under 'kk', "
        "which pressgen.yaml no longer lists: write 'kk' to go on with them; to move them to 'kk-KZ', rename those "
        "folders first"),
    "no languages": (config("languages: [en, tr, kk]", "languages: []"),
        "pressgen.yaml:2: 'languages' must list at least one language"),
    "a language twice": (config("languages: [en, tr, kk]", "languages: [en, tr, kk, tr]"),
        "pressgen.yaml:2: language 'tr' is listed twice; keep one"),
    "languages as text": (config("languages: [en, tr, kk]", "languages: en, tr, kk"),
        "pressgen.yaml:2: 'languages' must be a list (lines starting with '- '), got 'en, tr, kk'; write languages: "
        "[en, tr, kk]"),
    "misspelt top-level key": (config("languages:", "langauges:"),
        "pressgen.yaml:2: unknown field 'langauges' in pressgen.yaml; did you mean 'languages'?"),
    "no organisations": (config("organisations:\n", "organisations: {}\nx:\n"),
        "pressgen.yaml:5: unknown field 'x' in pressgen.yaml; expected one of: languages, organisations, "
        'base_url, timezone, english, mail, newsroom'),
    "organisation without a name": (config("    name: Office of Culture\n", ""),
        "pressgen.yaml:6: organisation 'office' is missing the required field 'name'"),
    "unknown organisation key": (config("    short_name: OC\n", "    short_name: OC\n    motto: Culture\n"),
        "pressgen.yaml:8: unknown field 'motto' in organisation 'office'; expected one of: name, "
        'short_name, about, credit, dateline, website, logo, contacts, mail, reference_label, former_keys'),
    "former key of its own": (config("    short_name: OC\n", "    short_name: OC\n    former_keys: [office]\n"),
        "pressgen.yaml:8: 'office' cannot be a former key of its own"),
    "former key not a key": (config("    short_name: OC\n", "    short_name: OC\n    former_keys: [Old Office]\n"),
        "pressgen.yaml:8: each former key of 'office' must be a key it had, of lower-case letters, digits, '-' or "
        "'_'"),
    "former keys not a list": (config("    short_name: OC\n", "    short_name: OC\n    former_keys: ministry\n"),
        "pressgen.yaml:8: 'former_keys' must be a list (lines starting with '- '), got 'ministry'; write former_keys: "
        "[ministry]"),
    "former key of an organisation of today": (
        config("    short_name: OC\n", "    short_name: OC\n    former_keys: [ministry]\n  ministry:\n    name: M\n"
               "    short_name: M\n"),
        "pressgen.yaml:5: 'ministry' is a former key of 'office' and an organisation of its own; keep one"),
    "contact with a bad address in the config": (config("email: press@office.example", "email: press.office.example"),
        "pressgen.yaml:11: 'email' must be an address such as press@example.org, got "
        "'press.office.example'"),
    "contact with an empty address in the config": (config("email: press@office.example", "email: ''"),
        f"pressgen.yaml:11: {EMPTY_CONTACT_ADDRESS}"),
    "website not a url": (config("    short_name: OC\n", "    short_name: OC\n    website: www.office.example\n"),
        "pressgen.yaml:8: 'website' of 'office' must be a web address, such as https://www.example.org, "
        "got 'www.office.example'"),
    "duplicate key in the config": (config("base_url:", "languages: [en]\nbase_url:"),
        "pressgen.yaml:3: duplicate key 'languages' (first on line 2); keep one"),
    "config syntax error": (config("    short_name: OC\n", "   short_name: OC\n"),
        "pressgen.yaml:7: YAML syntax error: did not find expected key; this line is indented unlike the lines above "
        "it: line it up with them (the fields of one level start in the same column, and so do the '- ' of a list's "
        "items)"),
    "alias in the config": (config("    short_name: OC\n", "    short_name: &oc OC\n    dateline: *oc\n"),
        'pressgen.yaml:8: an alias (*oc) repeats another part of the file; pressgen does not read '
        'aliases: write the text out'),
    "control character in the config": (config("Office of Culture", "Office\x07of Culture"),
        'pressgen.yaml:6: a control character (U+0007) at column 17; delete it: only tabs and line '
        'breaks may stand between the words (it often comes from copying out of a word processor)'),
    "config not UTF-8": (config("Office of Culture", "Office of Cültüre".encode("latin-1")),
        'pressgen.yaml:6: not UTF-8 text (byte 0xfc at column 22); save the file as UTF-8'),
    "mail without from": (config("  from: press@office.example\n", ""),
        "pressgen.yaml:14: 'mail' is missing the required field 'from'"),
    "mail from not an address": (config("  from: press@office.example", "  from: press office"),
        "pressgen.yaml:14: 'from' must be an address such as press@example.org, got 'press office'"),
    "unknown SMTP security": (config("security: none", "security: tls"),
        "pressgen.yaml:15: 'security' must be one of starttls, ssl, none, got 'tls'"),
    "login without encryption": (config("security: none", "security: none, username: press"),
        "pressgen.yaml:15: a 'username' with security 'none' would send the password unencrypted; use "
        "security 'starttls' or 'ssl'"),
    "SMTP port not a number": (config("port: 2525", "port: smtp"),
        "pressgen.yaml:15: 'port' must be a number from 1 to 65535, got 'smtp'"),
    "SMTP timeout not a number of seconds": (config("port: 2525", "port: 2525, timeout: 30s"),
        "pressgen.yaml:15: 'timeout' must be a number of seconds from 1 to 600, got '30s'"),
    "missing logo": (config("    short_name: OC\n", "    short_name: OC\n    logo: assets/oc.svg\n"),
                     "pressgen.yaml:8: the logo 'assets/oc.svg' of 'office' is not a file under templates/; put the "
                     "image in templates/assets/ and name it as assets/<file>"),
    "logo outside the project": (config("    short_name: OC\n", "    short_name: OC\n    logo: /etc/hostname\n"),
                                 "pressgen.yaml:8: the logo '/etc/hostname' of 'office' is not a file under "
                                 "templates/; put the image in templates/assets/ and name it as assets/<file>"),
    "logo up and out": (config("    short_name: OC\n", "    short_name: OC\n    logo: ../../etc/hostname\n"),
                        "pressgen.yaml:8: the logo '../../etc/hostname' of 'office' is not a file under templates/; "
                        "put the image in templates/assets/ and name it as assets/<file>"),
    "logo that is an empty file": (both(write("templates/assets/oc.png", b""),
                                        config("    short_name: OC\n", "    short_name: OC\n    logo: assets/oc.png\n")),
        "pressgen.yaml:8: the logo 'assets/oc.png' of 'office' is not an image that can be read (an empty file, or "
        "another kind saved under this name); save it again as SVG or PNG"),
    "logo that is a web page saved as SVG": (
        both(write("templates/assets/oc.svg", "<!DOCTYPE html><html><body>Logo</body></html>\n"),
             config("    short_name: OC\n", "    short_name: OC\n    logo: assets/oc.svg\n")),
        "pressgen.yaml:8: the logo 'assets/oc.svg' of 'office' is not an image that can be read (an empty file, or "
        "another kind saved under this name); save it again as SVG or PNG"),
    "logo that is a folder": (both(write("templates/assets/oc/logo.svg", "<svg/>"),
                                   config("    short_name: OC\n", "    short_name: OC\n    logo: assets/oc\n")),
                              "pressgen.yaml:8: the logo 'assets/oc' of 'office' is not a file under templates/; put "
                              "the image in templates/assets/ and name it as assets/<file>"),

    # --- release catalogs ------------------------------------------------------------
    "control character in a catalog": (
        catalog("İlk paragraf.", "İlk\vparagraf."),
        "locales/tr/releases/hello.po:41: a control character (U+000B) at column 12; delete it: a translation "
        "holds plain text (it often comes from copying out of a word processor)"),
    "bidi override in a catalog": (
        catalog("İlk paragraf.", "İlk \u202eparagraf."),
        "locales/tr/releases/hello.po:41: a control character (U+202E) at column 13; delete it: a translation "
        "holds plain text (it often comes from copying out of a word processor)"),
    "UTF-8 catalog that says ISO-8859-9": (
        catalog("charset=utf-8", "charset=iso-8859-9"),
        "locales/tr/releases/hello.po:15: the header says charset=iso-8859-9, but the file is UTF-8 (as Poedit "
        "and Weblate save it); change the header to charset=UTF-8"),
    "unknown charset": (catalog("charset=utf-8", "charset=utf-9"),
        'locales/tr/releases/hello.po:15: unknown encoding: utf-9; the Content-Type header should say '
        'charset=UTF-8'),
    "merge conflict in a catalog": (
        catalog('msgstr "İlk paragraf."', '<<<<<<< HEAD\nmsgstr "İlk paragraf."\n=======\nmsgstr "Birinci paragraf."'
                '\n>>>>>>> ayse'),
        "locales/tr/releases/hello.po:41: a merge conflict is left in this catalog (<<<<<<< … >>>>>>>): delete the "
        "other side and the marker lines by hand"),
    "two merge conflicts in a catalog": (
        both(catalog('msgstr "İlk paragraf."', '<<<<<<< HEAD\nmsgstr "İlk paragraf."\n=======\nmsgstr "Birinci."'
                     '\n>>>>>>> ayse'),
             catalog('msgstr "Son paragraf."', '<<<<<<< HEAD\nmsgstr "Son paragraf."\n=======\nmsgstr "Sonuncu."'
                     '\n>>>>>>> ayse')),
        "locales/tr/releases/hello.po:41: a merge conflict is left in this catalog (<<<<<<< … >>>>>>>): delete the "
        "other side and the marker lines by hand (and 1 more conflict below it)"),
    "half-resolved merge conflict in a catalog": (
        catalog('msgstr "İlk paragraf."', 'msgstr "İlk paragraf."\n=======\nmsgstr "Birinci paragraf."'),
        "locales/tr/releases/hello.po:42: a merge conflict is left in this catalog (<<<<<<< … >>>>>>>): delete the "
        "other side and the marker lines by hand"),
    "catalog not UTF-8": (catalog("İlk paragraf.", "İlk paragraf.".encode("iso-8859-9")),
        'locales/tr/releases/hello.po:41: not valid utf-8; save the file as utf-8'),
    "byte order mark": (lambda root: (root / "locales/tr/releases/hello.po").write_bytes(
        b"\xef\xbb\xbf" + (root / "locales/tr/releases/hello.po").read_bytes()),
        "locales/tr/releases/hello.po:1: the file starts with a byte order mark (BOM), which GNU gettext rejects; "
        "save it as UTF-8 without BOM (in Notepad: 'UTF-8', not 'UTF-8 with BOM')"),
    "wrong Plural-Forms": (
        catalog("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;"),
        "locales/tr/releases/hello.po:13: Plural-Forms is 'nplurals=1; plural=0;'; CLDR gives 'nplurals=2; "
        "plural=(n != 1);' (run `pressgen catalogs update` to fix it)"),
    "no header": (catalog('msgid ""\nmsgstr ""\n', 'msgid "x"\nmsgstr ""\n'),
        'locales/tr/releases/hello.po:1: no header entry (msgid "" with Language, Content-Type and '
        'Plural-Forms); copy it from another catalog, or run `pressgen catalogs update`'),
    "unterminated msgstr": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk paragraf.'),
        'locales/tr/releases/hello.po:41: invalid msgstr line: a string that does not end on its line; '
        "end it with '\"' (write a quote inside the text as \\\")"),
    "invalid escape": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk \\q paragraf."'),
        "locales/tr/releases/hello.po:41: invalid msgstr line: invalid escape '\\q'; write '\\\\' for a "
        "backslash, '\\\"' for a quote, '\\n' for a line break"),
    "backslash at the end": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk paragraf.\\'),
        'locales/tr/releases/hello.po:41: invalid msgstr line: a backslash at the end of the line; write '
        "'\\\\' for a backslash, or end the string with '\"'"),
    "text after the closing quote": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk" paragraf."'),
        'locales/tr/releases/hello.po:41: invalid msgstr line: text after the closing quote '
        "('paragraf.\"'); write a quote inside the text as \\\""),
    "two strings on a line": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk " "paragraf."'),
        'locales/tr/releases/hello.po:41: invalid msgstr line: several strings on one line, which Babel '
        'misreads; put each string on a line of its own'),
    "unknown keyword": (catalog('msgstr "İlk paragraf."', 'msgstring "İlk paragraf."'),
        "locales/tr/releases/hello.po:41: unknown keyword 'msgstring'; a line is a comment (#), a "
        'keyword (msgctxt, msgid, msgid_plural, msgstr) or a string in quotes'),
    "msgid without msgstr": (catalog('msgstr "İlk paragraf."\n', ""),
        'locales/tr/releases/hello.po:40: msgid without msgstr; add `msgstr ""` under it'),
    "duplicate message": (catalog('#. A keyword', 'msgctxt "paragraph"\nmsgid "The first paragraph."\n'
                                  'msgstr "Birinci paragraf."\n\n#. A keyword'),
        "locales/tr/releases/hello.po:61: msgid 'The first paragraph.' (msgctxt 'paragraph') again "
        '(first on line 40); keep one of the two entries'),
    "plural forms in a singular message": (catalog('msgstr "İlk paragraf."', 'msgstr[0] "İlk paragraf."'),
        "locales/tr/releases/hello.po:41: 'msgstr[0]' without msgid_plural; write msgstr, or add the "
        'msgid_plural'),
    "broken previous msgid": (catalog('msgctxt "paragraph"\nmsgid "The first',
                                      '#| msgid "The first\nmsgctxt "paragraph"\nmsgid "The first'),
        "locales/tr/releases/hello.po:39: invalid '#|' line: a string that does not end on its line; run "
        '`pressgen catalogs update` to rewrite it, or fix the quotes'),
    "comment between #| and msgid": (catalog('msgctxt "paragraph"\nmsgid "The first',
                                             '#| msgid "The 1st paragraph."\n# note\nmsgctxt "paragraph"\n'
                                             'msgid "The first'),
        "locales/tr/releases/hello.po:40: a comment between '#|' lines and their msgid; '#,' flags and "
        "other comments go above the '#|' lines"),
    "misspelt waiver": (
        catalog('msgctxt "summary"', '#, ignore-endstop\nmsgctxt "summary"'),
        "locales/tr/releases/hello.po:27: unknown waiver 'ignore-endstop'; did you mean 'ignore-end-stop'?"),
    "refused waiver": (catalog('msgctxt "summary"', '#, ignore-placeholders\nmsgctxt "summary"'),
        "locales/tr/releases/hello.po:27: 'ignore-placeholders' is not accepted: a placeholder that does "
        'not match the source breaks the text pressgen fills in'),
    "markup in a translation": (catalog('msgstr "İlk paragraf."', 'msgstr "<b>İlk</b> paragraf."'),
        "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' adds markup '<b>': write "
        'plain text, pressgen does the formatting'),
    "bracket left open in a translation": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk (birinci paragraf."'),
        "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' has unbalanced ( ); pair them as the "
        "source does"),
    "a quote translated in its quotation marks": (catalog('msgstr "Biz hazırız"', 'msgstr "“Biz hazırız”"'),
        "locales/tr/releases/hello.po:47: quote 'We are ready' is written in its quotation marks (“…”); leave them "
        "out: pressgen adds the language's own"),
    "trailing space": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk paragraf. "'),
        "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' ends with a space where the "
        'source does not; remove it'),
    "final stop dropped": (catalog('msgstr "İlk paragraf."', 'msgstr "İlk paragraf"'),
        "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' ends without the source's "
        f"final '.'{END_STOP}"),
    "a document pasted into a translation": (
        catalog('msgstr "İlk paragraf."', 'msgstr "' + "Bu bir belgedir. " * 12_000 + '"'),
        "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' is 204,000 characters long, where its "
        "source has 20: is this the right text? (a translation of it is at most 6,000 characters)"),
    "an emoji in a translation": (
        catalog('msgstr "İlk paragraf."', 'msgstr "İlk 🂡 paragraf."'),
        "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' has '🂡' (U+1F0A1), which no font of the "
        "theme has, so its PDF would not be written; remove it, or add a font that has it to templates/assets/"),
    "Kazakh catalog with a C1 control": (catalog("Ыстанбұлдан сәлем", "Ыстанбұлдан\x85сәлем", "kk"),
        'locales/kk/releases/hello.po:23: a control character (U+0085) at column 20; delete it: a '
        'translation holds plain text (it often comes from copying out of a word processor)'),
    "catalog linked out of the project": (link("locales/tr/releases/hello.po", "/etc/hostname"),
        'locales/tr/releases/hello.po: a link to /etc/hostname, outside the project; pressgen reads only '
        "the project's own files: copy the catalog here instead of linking to it"),
    "catalogs of a language moved out and linked back": (
        moved_out("locales/kk"),
        lambda root: f"locales/kk: a link to {away(root, 'kk')}, outside the project; pressgen reads only the "
                     "project's own files: copy the catalog here instead of linking to it"),
    "locales moved out and linked back": (
        moved_out("locales"),
        lambda root: f"locales: a link to {away(root, 'locales')}, outside the project; pressgen reads only the "
                     "project's own files: copy the catalog here instead of linking to it"),
    "Kazakh catalog copied into the Turkish folder": (catalog('"Language: tr\\n"', '"Language: kk\\n"'),
        "locales/tr/releases/hello.po:11: the header says 'Language: kk', but this catalog is for 'tr'; if it is a "
        "Turkish translation, correct the header to 'Language: tr', else move the file to the folder of its language"),
    "catalog that is a folder": (lambda root: ((root / "locales/tr/releases/hello.po").unlink(),
                                               (root / "locales/tr/releases/hello.po").mkdir()),
        'locales/tr/releases/hello.po: cannot read this catalog: Is a directory'),

    # --- template and office catalogs -------------------------------------------------
    "placeholder dropped": (labels('msgstr "Sayfa %(page)s / %(pages)s"', 'msgstr "Sayfa %(page)s"'),
        "locales/tr/LC_MESSAGES/messages.po:22: 'Page %(page)s of %(pages)s' drops the placeholder "
        f"'%(pages)s'{PUT_BACK}"),
    "placeholder misspelt": (labels('msgstr "Sayfa %(page)s / %(pages)s"', 'msgstr "Sayfa %(sayfa)s / %(pages)s"'),
        "locales/tr/LC_MESSAGES/messages.po:22: 'Page %(page)s of %(pages)s' drops the placeholder "
        f"'%(page)s'{PUT_BACK}"),
    "label catalog unterminated": (labels('msgstr "Basın bülteni"', 'msgstr "Basın bülteni'),
        f'locales/tr/LC_MESSAGES/messages.po:{LABEL_LINE}: invalid msgstr line: a string that does not end on its '
        "line; end it with '\"' (write a quote inside the text as \\\")"),
    "label catalog control character": (labels('msgstr "Basın bülteni"', 'msgstr "Basın\x1bbülteni"'),
        f'locales/tr/LC_MESSAGES/messages.po:{LABEL_LINE}: a control character (U+001B) at column 14; delete it: a '
        'translation holds plain text (it often comes from copying out of a word processor)'),
    # Reported at its line, not as a missing header at line 1, which sent a trial's translator to
    # `catalogs update`, which left the file as it was.
    "a header line left open": (labels('"Last-Translator: \\n"', '"Last-Translator: Ayşe Yılmaz <ayse@office.example>'),
        "locales/tr/LC_MESSAGES/messages.po:10: invalid string line: a string that does not end on its line; end it "
        "with '\"' (write a quote inside the text as \\\")"),
    "a release catalog's header line left open": (catalog('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
                                                          '"Plural-Forms: nplurals=2; plural=(n != 1);'),
        "locales/tr/releases/hello.po:13: invalid string line: a string that does not end on its line; end it "
        "with '\"' (write a quote inside the text as \\\")"),
    "label catalog wrong Plural-Forms": (labels("nplurals=2; plural=(n != 1);", "nplurals=3; plural=(n%3);"),
        "locales/tr/LC_MESSAGES/messages.po:13: Plural-Forms is 'nplurals=3; plural=(n%3);'; CLDR gives "
        "'nplurals=2; plural=(n != 1);' (run `pressgen catalogs update` to fix it)"),

    # --- glossaries ------------------------------------------------------------------
    "glossary term with two renderings": (
        glossary('msgctxt "place"\nmsgid "Istanbul"\nmsgstr "İstanbul"\n\n'
                 'msgctxt "organisation"\nmsgid "Istanbul"\nmsgstr "Istanbul"\n'),
        "locales/tr/glossary.po:12: the term 'Istanbul' is rendered 'Istanbul' here and 'İstanbul' on line 8; a "
        "term has one rendering in a language: keep one of the two entries"),
    "glossary term twice": (glossary('msgctxt "place"\nmsgid "Istanbul"\nmsgstr "İstanbul"\n\n'
                                     'msgctxt "place"\nmsgid "Istanbul"\nmsgstr "Istanbul"\n'),
        "locales/tr/glossary.po:12: msgid 'Istanbul' (msgctxt 'place') again (first on line 8); keep one "
        'of the two entries'),
    "glossary rendering left open": (glossary('msgctxt "place"\nmsgid "Baku"\nmsgstr "Bakü\n'),
        'locales/tr/glossary.po:9: invalid msgstr line: a string that does not end on its line; end it '
        "with '\"' (write a quote inside the text as \\\")"),
    "glossary bad escape": (glossary('msgctxt "place"\nmsgid "Baku"\nmsgstr "Ba\\qkü"\n'),
        "locales/tr/glossary.po:9: invalid msgstr line: invalid escape '\\q'; write '\\\\' for a backslash, "
        "'\\\"' for a quote, '\\n' for a line break"),
    "glossary plural index left empty": (glossary('msgid "Baku"\nmsgid_plural "Bakus"\nmsgstr[] "Bakü"\n'),
        "locales/tr/glossary.po:9: 'msgstr[]' must be followed by one space and its string in quotes"),
    "glossary control character": (glossary('msgctxt "place"\nmsgid "Baku"\nmsgstr "Bakü\x02"\n'),
        'locales/tr/glossary.po:9: a control character (U+0002) at column 13; delete it: a translation '
        'holds plain text (it often comes from copying out of a word processor)'),
    "glossary not UTF-8": (glossary('msgctxt "place"\nmsgid "Baku"\nmsgstr "Bakü"\n'.encode("iso-8859-9")),
        'locales/tr/glossary.po:9: not valid utf-8; save the file as utf-8'),
    "glossary with a byte order mark": (write("locales/tr/glossary.po", b"\xef\xbb\xbf" + PO_HEADER.encode()),
        'locales/tr/glossary.po:1: the file starts with a byte order mark (BOM), which GNU gettext '
        "rejects; save it as UTF-8 without BOM (in Notepad: 'UTF-8', not 'UTF-8 with BOM')"),
    "glossary term missing from a translation": (
        glossary('msgctxt "place"\nmsgid "Istanbul"\nmsgstr "Konstantiniyye"\n'),
        "locales/tr/releases/hello.po:23: headline 'Hello from Istanbul' has 'Istanbul' but not the "
        "glossary's 'Konstantiniyye'; use it, or flag the message '#, ignore-check-glossary' where it does not fit"),

    # --- templates -------------------------------------------------------------------
    "template syntax error": (statement("{% block content %}", "{% block content %}{% if %}"),
        "templates/statement.html:4: template error: Expected an expression, got 'end of statement "
        "block'"),
    "unknown filter": (statement("{{ org.name }}", "{{ org.name|shout }}"),
        "templates/statement.html:11: template error: No filter named 'shout'."),
    "upper on Turkish": (statement("{{ org.name }}", "{{ org.name|upper }}"),
        "templates/statement.html:11: '|upper' cases Turkish wrongly (i → I, not İ); use the "
        "locale-aware '|caps' filter"),
    "upper on a Turkish block": (statement("{{ org.name }}", "{% filter upper %}{{ org.name }}{% endfilter %}"),
        "templates/statement.html:11: '{% filter upper %}' cases Turkish wrongly (i → I, not İ); use the "
        "locale-aware '{% filter caps %}'"),
    "unclosed block": (statement("{% endblock %}", ""),
        'templates/statement.html:62: template error: Unexpected end of template. Jinja was looking for '
        "the following tags: 'endblock'. The innermost block that needs to be closed is 'block'."),
    "template that includes itself": (
        template("statement.html", '{% include "statement.html" %}\n'
                 + (REPO / "src/pressgen/templates/statement.html").read_text(encoding="utf-8")),
        "templates/statement.html:1: template error (hello, en): this template includes or calls itself without end "
        "(directly or through another template); remove the include, extends or macro call that leads back to it"),
    "missing include": (statement('{% include "partials/heading.html" %}', '{% include "partials/head.html" %}'),
        lambda root: "templates/statement.html:27: template error (hello, en): 'partials/head.html' not found "
                     f"in search paths: '{root / 'templates'}', '{BUNDLED_TEMPLATES}'"),
    # A mistake only running the template shows, which Jinja passes on as Python's own
    # (a new user's trial: a traceback before).
    "template adding a number to a text": (statement("{{ org.name }}", "{{ org.name + 1 }}"),
        "templates/statement.html:11: template error (hello, en): unsupported operand type(s) for +: 'Text' and 'int'"),
    "template not UTF-8": (write("templates/statement.html", "{% extends 'base.html' %}ç".encode("latin-1")),
        'templates/statement.html:1: not UTF-8 text (byte 0xe7 at column 26); save the file as UTF-8'),
    "template linked out of the project": (
        link("templates/page.html", "/etc/hostname"),
        f"templates/page.html: a link to /etc/hostname, {LINKED} file here instead of linking to it"),
    "template folder linked out of the project": (
        lambda root: (shutil.copytree(REPO / "src/pressgen/templates/partials", root.parent / "partials"),
                      link("templates/partials", str(root.parent / "partials"))(root)),
        lambda root: f"templates/partials: a link to {root.parent / 'partials'}, {LINKED} folder here instead of "
                     "linking to it"),
    "templates linked out of the project": (
        lambda root: (shutil.copytree(REPO / "src/pressgen/templates", root.parent / "theme"),
                      link("templates", str(root.parent / "theme"))(root)),
        lambda root: f"templates: a link to {root.parent / 'theme'}, {LINKED} folder here instead of linking to it"),

    # --- stylesheets -----------------------------------------------------------------
    "unknown CSS property": (stylesheet("\n.headline { colr: red }\n"), None),
    "CSS import of a system file": (stylesheet("@import url(file:///etc/passwd);\n", first=True), None),
    "invalid CSS value": (stylesheet("\n.headline { color: reddish }\n"), None),
    "CSS url of a system file": (stylesheet("\n.headline { background: url(file:///etc/hostname) }\n"),
                                 unusable_url("file:///etc/hostname", "is outside the project")),
    "CSS font that is not there": (stylesheet("\n@font-face { font-family: X; src: url(fonts/none.woff2) }\n"),
                                   unusable_url("fonts/none.woff2", "names no file of the theme")),
    "CSS font file that is a web page": (
        both(write("templates/assets/fonts/House.woff2", "<!DOCTYPE html><title>404 Not Found</title>\n"),
             stylesheet("\n@font-face { font-family: House; src: url(fonts/House.woff2) }\n")),
        f"templates/assets/pressgen.css:{CSS.count(chr(10)) + 2}: stylesheet problem: url(fonts/House.woff2) is not a "
        "font file that can be read (Not a TrueType or OpenType font (bad sfntVersion)), so a PDF would not be written; "
        "download the font again, as .ttf, .otf or .woff2"),
    "CSS image from the network": (stylesheet("\n.headline { background: url(https://cdn.example/x.png) }\n"),
                                   unusable_url("https://cdn.example/x.png",
                                                "would be fetched from the network, which a PDF never does")),
    "stylesheet not UTF-8": (write("templates/assets/pressgen.css", b"/* \xe7 */\n" + CSS.encode()),
        "templates/assets/pressgen.css:1: not UTF-8 text (byte 0xe7 at column 4); save the file as UTF-8"),

    # --- assets ----------------------------------------------------------------------
    "asset linked out of the project": (
        link("templates/assets/notes.txt", "/etc/hostname"),
        f"templates/assets/notes.txt: a link to /etc/hostname, {LINKED} file here instead of linking to it"),
    "asset link to nowhere": (link("templates/assets/x.css", "/nonexistent/x.css"),
                              f"templates/assets/x.css: a link to /nonexistent/x.css, {LINKED} file here instead "
                              "of linking to it"),
    "assets folder linked out of the project": (
        link("templates/assets", "/etc"),
        f"templates/assets: a link to /etc, {LINKED} folder here instead of linking to it"),
    "fonts folder linked out of the project": (
        link("templates/assets/fonts", "/usr/share/fonts"),
        f"templates/assets/fonts: a link to /usr/share/fonts, {LINKED} folder here instead of linking to it"),
    "logo linked out of the project": (
        both(link("templates/assets/oc.svg", "/etc/hostname"),
             config("    short_name: OC\n", "    short_name: OC\n    logo: assets/oc.svg\n")),
        f"templates/assets/oc.svg: a link to /etc/hostname, {LINKED} file here instead of linking to it"),
}

MEDIA_CASES = {
    "Latin-1 export": (media(MEDIA.encode("utf-8").replace("ş".encode(), b"\xfe")),
        'media.csv:2: not UTF-8 (byte 0xfe at column 3); save the file as UTF-8 (in Excel: CSV UTF-8)'),
    "UTF-16 export": (media(MEDIA.encode("utf-16")),
        "media.csv:1: not UTF-8 (UTF-16, as Excel's 'Unicode Text' writes); save the file as UTF-8 (in "
        'Excel: CSV UTF-8)'),
    "a workbook": (media(b"PK\x03\x04" + b"\x00" * 40),
        'media.csv:1: this is a spreadsheet workbook (.xlsx or .xls), not CSV; export it as CSV (in '
        'Excel: Save As, CSV UTF-8)'),
    "a merge conflict": (media(MEDIA.replace("Мәдина", "<<<<<<< HEAD\nМәдина", 1) + "=======\n>>>>>>> x\n"),
        "media.csv:3: a merge conflict is left in this file (<<<<<<< … >>>>>>>): delete the other side and the "
        "marker lines by hand"),
    "an empty file": (media(""),
        'media.csv:1: the media list is empty; it needs a header row: name,email,outlet,language,lists'),
    "a header alone": (media(MEDIA.split("\n", 1)[0] + "\n"),
        "media.csv:1: the media list has no journalists, only its header; export it again with the journalists' "
        "rows (a spreadsheet filtered to nobody exports the header alone)"),
    "a column missing": (media(MEDIA.replace("name,email", "name,mail")),
        'media.csv:1: the header lacks the column(s) email; expected name, email, outlet, language, '
        'lists'),
    "a line break in a name": (media(MEDIA.replace("Ayşe Yılmaz,", '"Ayşe\nYılmaz",')),
        'media.csv:2: the name contains a line break; keep each journalist on one line (a line break '
        'inside a cell, or a quote (") left open?)'),
    "a control character in an outlet": (media(MEDIA.replace("Gazete", "Gaz\x1bete")),
        'media.csv:2: the outlet contains the control character U+001B; remove it in the spreadsheet'),
    "a bad address": (media(MEDIA.replace("ayse@gazete.example", "ayse(at)gazete.example")),
        "media.csv:2: 'ayse(at)gazete.example' is not an email address; correct it to the journalist's address, "
        "such as name@outlet.example"),
    "an address with a space": (media(MEDIA.replace("ayse@gazete.example", "ayse @gazete.example")),
        "media.csv:2: 'ayse @gazete.example' has a space in it; remove it: ayse@gazete.example"),
    "an address left empty": (media(MEDIA.replace("ayse@gazete.example", "")),
        "media.csv:2: the email address is empty; fill in Ayşe Yılmaz's address, or delete the row"),
    "a journalist twice": (media(MEDIA + "Ayşe Y.,ayse@gazete.example,Gazete,tr,\n"),
        'media.csv:4: ayse@gazete.example is already on line 2; list each journalist once'),
    "an unknown language": (media(MEDIA.replace(",tr,", ",fr,")),
        "media.csv:2: unknown language 'fr' for ayse@gazete.example; use one of en, tr, kk"),
    "an address with Turkish letters": (media(MEDIA.replace("ayse@gazete.example", "ayşe@gazete.example")),
        "media.csv:2: 'ayşe@gazete.example' has letters beyond ASCII, which mail servers do not all accept; use an "
        "ASCII address"),
    "a domain with Turkish letters": (media(MEDIA.replace("ayse@gazete.example", "ayse@gazeteşehir.example")),
        "media.csv:2: 'ayse@gazeteşehir.example' has letters beyond ASCII in its domain; write it as "
        "ayse@xn--gazeteehir-j9b.example"),
    "no media list": (lambda root: (root / "media.csv").unlink(),
        'pressgen.yaml:13: media_list: there is no media.csv in the project; export the media list from '
        'your spreadsheet as CSV, with the columns name, email, outlet, language, lists, and save it as '
        'media.csv'),
    "a broken link to the media list": (link("media.csv", "lists/2026.csv"),
        lambda root: f"pressgen.yaml:13: media_list: media.csv is a link to {root / 'lists/2026.csv'}, which does "
                     "not exist; export the media list from your spreadsheet as CSV, with the columns name, email, "
                     "outlet, language, lists, and save it there"),
    "media list linked out of the project": (link("media.csv", "/etc/passwd"),
        'pressgen.yaml:13: media_list: media.csv is a link to /etc/passwd, outside the project; keep the '
        'media list itself in the project folder'),
    "media list outside the project": (config("mail:\n", "mail:\n  media_list: /etc/passwd\n"),
        'pressgen.yaml:14: media_list: /etc/passwd is outside the project; keep the media list in the '
        'project folder, e.g. media.csv'),
    "media list that is a folder": (lambda root: ((root / "media.csv").unlink(), (root / "media.csv").mkdir()),
        'pressgen.yaml:13: media_list: media.csv is a folder, not a CSV file'),
}


@pytest.fixture(scope="session")
def built_minimal(tmp_path_factory) -> Path:
    """The minimal project with a media list, built once for every case."""
    root = copy_project("minimal", tmp_path_factory.mktemp("bad-input") / "minimal")
    with (root / "pressgen.yaml").open("a", encoding="utf-8") as config:
        config.write(MAIL)
    (root / "media.csv").write_text(MEDIA, encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "html,ninjs")
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def built(built_minimal, tmp_path) -> Path:
    root = tmp_path / "minimal"
    shutil.copytree(built_minimal, root, symlinks=True)
    return root


def commands(root: Path, mail: bool):
    project = ("--project", str(root))
    yield run_cli("check", *project)
    yield run_cli("mail", "hello", *project) if mail else run_cli("build", *project, "--format", "html,ninjs")


def assert_well_formed(out: Path) -> None:
    """Every feed and sitemap parses as XML; every index is a whole HTML page."""
    xml = sorted(out.rglob("*.xml"))
    assert {p.name for p in xml} == {"feed.xml", "sitemap.xml"}
    for path in xml:
        ElementTree.parse(path)
    for path in sorted(out.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>"), path
        tag, attributes = Page(html).elements[0]
        assert tag == "html" and attributes["lang"], path


def assert_refused(root: Path, mistake, message, mail: bool = False) -> None:
    """``message`` is the exact line, a function of the project's folder for one that names
    a path, or None for WeasyPrint's own words about a stylesheet."""
    before = outputs(root)
    mistake(root)
    if callable(message):
        message = message(root)
    for result in commands(root, mail):
        assert result.exit_code == 1, result.output
        if message is None:  # WeasyPrint's own words: the file and line are pressgen's
            assert result.stderr.startswith("templates/assets/pressgen.css:"), result.stderr
            assert "stylesheet" in result.stderr and "; a PDF would not be written" in result.stderr
        else:
            assert message in result.stderr.splitlines(), result.stderr
        assert "Traceback" not in result.output
    assert outputs(root) == before
    assert_well_formed(root / "out")


@pytest.mark.parametrize("case", CASES)
def test_a_mistake_is_named_with_its_line_and_changes_nothing(built, case):
    assert_refused(built, *CASES[case])


def test_an_include_loop_is_named_at_one_include_whatever_the_page(built):
    """Two partials that include each other: the error named the line where Python's recursion
    limit happened to stop the render, which moved with what the page was doing there (a news
    item's label at one line, a press release's at another) and how deep the call stack
    already was: the same loop at another line from one run to the next, and never at an include."""
    for name, other in (("kind", "heading"), ("heading", "kind")):
        bundled = (REPO / f"src/pressgen/templates/partials/{name}.html").read_text(encoding="utf-8")
        template(f"partials/{name}.html", bundled + f'{{% include "partials/{other}.html" %}}\n')(built)
    include_line = len((built / "templates/partials/heading.html").read_text(encoding="utf-8").splitlines())
    # A news item in each style: a statement enters the loop through kind.html, a wire item through heading.html.
    record = (built / RECORD).read_text(encoding="utf-8")
    for style in ("statement", "wire"):
        (built / f"releases/{style}-news.yaml").write_text(record.replace(
            "Hello from Istanbul", f"News in the {style} style").replace("style: statement", f"style: {style}\nkind: news"),
            encoding="utf-8")
    loop = ("template error ({}): this template includes or calls itself without end (directly or through another "
            "template); remove the include, extends or macro call that leads back to it")
    expected = [f"templates/partials/heading.html:{include_line}: {loop.format(f'{release}, {lang}')}"
                for release in ("hello", "statement-news", "wire-news") for lang in ("en", "tr", "kk")]

    def deeper(frames: int):  # a check begun that much deeper in the call stack, as a caller's may be
        return deeper(frames - 1) if frames else run_cli("check", "--project", str(built))

    for result in [*commands(built, mail=False), deeper(5), deeper(11)]:
        assert result.exit_code == 1, result.output
        assert sorted(line for line in result.stderr.splitlines() if "template error" in line) == sorted(expected), \
            result.stderr


def test_text_at_the_margin_is_named_once_not_as_an_empty_text_and_an_unknown_field(built):
    record("  - The last paragraph.\n", "  - >\nOpening hours: every day except Monday.\n")(built)
    result = run_cli("check", "-C", str(built))
    assert result.stderr.splitlines() == [
        "releases/hello.yaml:13: the text under '- >' must be indented further than that line: put spaces before "
        "this line (and before the lines of text after it)"], result.stderr


@pytest.mark.parametrize("case", MEDIA_CASES)
def test_a_media_list_mistake_stops_check_and_mail_alike(built, case):
    assert_refused(built, *MEDIA_CASES[case], mail=True)


def test_a_build_that_fails_in_part_writes_only_whole_feeds_and_indexes(built):
    """One version broken, one new release: the newsroom follows the new one, keeps the
    broken one's last good listing, and every feed, sitemap and index parses."""
    before = outputs(built)
    catalog("İlk paragraf.", "İlk\x0bparagraf.")(built)
    second = (built / RECORD).read_text(encoding="utf-8").replace("Hello from Istanbul", "Second news from Ankara")
    (built / "releases/second.yaml").write_text(second, encoding="utf-8")
    result = run_cli("build", "--project", str(built), "--format", "html,ninjs")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    after = outputs(built)
    out = built / "out"
    for unchanged in ("tr/hello.html", "tr/hello.json", "tr/index.html", "tr/feed.xml"):
        assert after[out / unchanged] == before[out / unchanged], unchanged
    assert b"Second news from Ankara" in after[out / "en/feed.xml"]
    assert_well_formed(out)


def test_an_emptied_catalog_keeps_the_published_version_in_check_and_build(built):
    """Not a mistake but work to do: check and build agree, and the version stays online."""
    before = outputs(built)
    po = built / "locales/tr/releases/hello.po"
    header, _, messages = po.read_text(encoding="utf-8").partition("\n\n")
    emptied = re.sub(r'^msgstr ".+"$', 'msgstr ""', messages, flags=re.M)
    po.write_text(f"{header}\n\n{emptied}", encoding="utf-8")
    for command in ("check", "build"):
        result = run_cli(command, "--project", str(built), *(("--format", "html,ninjs") if command == "build" else ()))
        assert result.exit_code == 0, result.output
        # Its source is as published: not ready, as status says, rather than outdated.
        assert re.search(r"^not ready: tr/hello \(8 untranslated\); the version published .+ stays online until the "
                         r"translation is ready$", result.stderr, re.M), result.stderr
        assert "outdated" not in result.stderr
    assert outputs(built) == before


def test_there_are_120_distinct_cases():
    assert len(CASES) + len(MEDIA_CASES) >= 120
    messages = [message for _, message in [*CASES.values(), *MEDIA_CASES.values()] if isinstance(message, str)]
    assert len(set(messages)) == len(messages), "two cases with one message are one case"


def test_a_translators_slip_is_an_error_not_an_empty_not_ready_line(project):
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "İlk paragraf."', 'msgstr "İlk paragraf"'),
                  encoding="utf-8")
    for command in ("check", "build"):
        result = run_cli(command, "--project", str(root))
        assert result.exit_code == 1
        assert "()" not in result.output
        assert "locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' ends without the source's final " \
            f"'.'{END_STOP}" in result.stderr.splitlines()
    assert run_cli("check", "--project", str(root)).stderr.splitlines() == [
        f"locales/tr/releases/hello.po:41: paragraph 'The first paragraph.' ends without the source's final '.'"
        f"{END_STOP}"]


def test_a_regional_code_is_a_language_of_its_own_where_no_other_was_published_under_its_language(built):
    """Brazilian Portuguese beside none, or Kazakh of Kazakhstan beside Kazakh: what an office means."""
    for languages in ("[en, tr, kk, pt-BR]", "[en, tr, kk, kk-KZ]"):
        config("languages: [en, tr, kk]", f"languages: {languages}")(built)
        result = run_cli("check", "--project", str(built))
        assert result.exit_code == 0, result.output
        assert f"not ready: {languages[-6:-1]}/hello (no catalog yet)" in result.output
        config(f"languages: {languages}", "languages: [en, tr, kk]")(built)
