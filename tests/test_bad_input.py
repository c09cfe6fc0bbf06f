"""Bad input of every kind: `file:line: message` saying what to do, exit 1, no traceback,
and out/ exactly as it was. One case per mistake, each with its exact message."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, outputs, run_cli

HEADLINE = "headline: Hello from Istanbul\n"


def record(text: str):
    return lambda root: (root / "releases/hello.yaml").write_bytes(
        (root / "releases/hello.yaml").read_bytes().replace(HEADLINE.encode(), text.encode("utf-8")
                                                             if isinstance(text, str) else text))


def raw(data: bytes):
    return lambda root: (root / "releases/hello.yaml").write_bytes(
        (root / "releases/hello.yaml").read_bytes().replace(HEADLINE.encode(), data))


def change(rel: str, old: str, new: str):
    """A mistake made by replacing ``old`` with ``new`` in one project file."""
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
    return apply


def config(old: str, new: str):
    return change("pressgen.yaml", old, new)


def catalog(old: str, new: str):
    return change("locales/tr/releases/hello.po", old, new)


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))

CASES = {
    "vertical tab": (record("headline: Hello\vfrom Istanbul\n"),
                     "releases/hello.yaml:6: a control character (U+000B) at column 16; delete it: only tabs and "
                     "line breaks may stand between the words (it often comes from copying out of a word processor)"),
    "C1 control": (record("headline: Hello\u0082 from Istanbul\n"),
                   "releases/hello.yaml:6: a control character (U+0082) at column 16; delete it: only tabs and "
                   "line breaks may stand between the words (it often comes from copying out of a word processor)"),
    "NUL byte": (raw(b"headline: Hello\x00\n"),
                 "releases/hello.yaml:6: a control character (U+0000) at column 16; delete it: only tabs and "
                 "line breaks may stand between the words (it often comes from copying out of a word processor)"),
    "Latin-1 bytes": (raw("headline: Merhaba İstanbul’dan çok\n".encode("utf-8").replace("ç".encode(), b"\xe7")),
                      "releases/hello.yaml:6: not UTF-8 text (byte 0xe7 at column 35); save the file as UTF-8"),
    "alias bomb": (record(HEADLINE + ALIAS_BOMB),
                   "releases/hello.yaml:8: an alias (*a) repeats another part of the file; pressgen does not read "
                   "aliases: write the text out"),
    "empty body": (lambda root: (root / "releases/hello.yaml").write_text(
        (root / "releases/hello.yaml").read_text(encoding="utf-8").split("body:")[0] + "body: []\ntags: [culture]\n",
        encoding="utf-8"),
        "releases/hello.yaml:8: 'body' is empty; add at least one paragraph"),
    "long headline": (record("headline: " + "Merhaba " * 50 + "\n"),
                      "releases/hello.yaml:6: this headline is 399 characters long; a headline is at most 300: "
                      "shorten it"),
    "huge record": (record("headline: " + "x" * 1_100_000 + "\n"),
                    "releases/hello.yaml: is 1,100,258 bytes; a record or config is at most 1,000,000 (a press "
                    "release is a few thousand): is this the right file?"),
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
    "empty config": (lambda root: (root / "pressgen.yaml").write_text("# nothing yet\n"),
                     "pressgen.yaml:1: pressgen.yaml is empty; expected fields such as 'languages: [en, tr, kk]'"),
    "control character in a catalog": (
        catalog("İlk paragraf.", "İlk\vparagraf."),
        "locales/tr/releases/hello.po:41: a control character (U+000B) at column 12; delete it: a translation "
        "holds plain text (it often comes from copying out of a word processor)"),
    "UTF-8 catalog that says ISO-8859-9": (
        catalog("charset=utf-8", "charset=iso-8859-9"),
        "locales/tr/releases/hello.po:15: the header says charset=iso-8859-9, but the file is UTF-8 (as Poedit "
        "and Weblate save it); change the header to charset=UTF-8"),
    "wrong Plural-Forms": (
        catalog("nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;"),
        "locales/tr/releases/hello.po:13: Plural-Forms is 'nplurals=1; plural=0;'; CLDR gives 'nplurals=2; "
        "plural=(n != 1);' (run `pressgen catalogs update` to fix it)"),
    "misspelt waiver": (
        catalog('msgctxt "summary"', '#, ignore-endstop\nmsgctxt "summary"'),
        "locales/tr/releases/hello.po:27: unknown waiver 'ignore-endstop'; did you mean 'ignore-end-stop'?"),
    "record linked out of the project": (
        lambda root: (root / "releases/notes.yaml").symlink_to("/etc/hostname"),
        "releases/notes.yaml: a link to /etc/hostname, outside the project; pressgen reads only the project's own "
        "files: copy the record here instead of linking to it"),
    "asset linked out of the project": (
        lambda root: ((root / "templates/assets").mkdir(parents=True, exist_ok=True),
                      (root / "templates/assets/notes.txt").symlink_to("/etc/hostname")),
        "templates/assets/notes.txt: a link to /etc/hostname, outside the project; pressgen publishes only the "
        "project's own files: copy the file here instead of linking to it"),
    "missing logo": (config("    short_name: OC\n", "    short_name: OC\n    logo: assets/oc.svg\n"),
                     "pressgen.yaml:8: the logo 'assets/oc.svg' of 'office' is not a file under templates/; put the "
                     "image in templates/assets/ and name it as assets/<file>"),
    "unknown CSS property": (
        lambda root: ((root / "templates/assets").mkdir(parents=True, exist_ok=True),
                      (root / "templates/assets/pressgen.css").write_text(
                          (REPO / "src/pressgen/templates/assets/pressgen.css").read_text(encoding="utf-8")
                          + "\n.headline { colr: red }\n", encoding="utf-8")),
        None),
    "CSS import of a system file": (
        lambda root: ((root / "templates/assets").mkdir(parents=True, exist_ok=True),
                      (root / "templates/assets/pressgen.css").write_text(
                          "@import url(file:///etc/passwd);\n"
                          + (REPO / "src/pressgen/templates/assets/pressgen.css").read_text(encoding="utf-8"),
                          encoding="utf-8")),
        None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_mistake_is_named_with_its_line_and_changes_nothing(project, case):
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html,ninjs").exit_code == 0
    before = outputs(root)
    mistake, message = CASES[case]
    mistake(root)
    for command in ("check", "build"):
        result = run_cli(command, "--project", str(root), "--format", "html,ninjs") if command == "build" else \
            run_cli(command, "--project", str(root))
        assert result.exit_code == 1, (command, result.output)
        if message is None:  # WeasyPrint's own words: the file and line are pressgen's
            assert result.stderr.startswith("templates/assets/pressgen.css:"), result.stderr
            assert "stylesheet problem: " in result.stderr and "; a PDF would not be written" in result.stderr
        else:
            assert message in result.stderr.splitlines(), (command, result.stderr)
        assert "Traceback" not in result.output
    assert outputs(root) == before


def test_a_translators_slip_is_an_error_not_an_empty_not_ready_line(project):
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "İlk paragraf."', 'msgstr "İlk paragraf"'),
                  encoding="utf-8")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "locales/tr/releases/hello.po:40: paragraph 'The first paragraph.' ends without the source's final '.'"]
