"""Waivers: a translator waives one named check for one message with Weblate's `#, ignore-…` flag."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import edit, run_cli
from test_glossary import write_glossary

from pressgen.catalogs import read_catalog


def check(root: Path):
    return run_cli("check", "--project", str(root))


def flag(po: Path, msgid: str, flags: str) -> int:
    """Put a '#, …' line above the entry of ``msgid``, as Poedit or a text editor does; its line."""
    text = po.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = lines.index(f'msgid "{msgid}"')
    while lines[at - 1].startswith("msgctxt"):
        at -= 1
    lines.insert(at, f"#, {flags}")
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def test_a_waiver_lets_correct_wording_through(project):
    root = project("minimal")
    po = root / "locales/kk/releases/hello.po"
    edit(po, 'msgstr "Соңғы абзац."', 'msgstr "Соңғы абзац"')
    result = check(root)
    assert result.exit_code == 1 and "paragraph 'The last paragraph.' ends without the source's final '.'" in result.stderr
    flag(po, "The last paragraph.", "ignore-end-stop")
    result = check(root)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == "No problems found.\n1 check waived in 1 catalog (see their '#, ignore-…' flags)\n"
    build = run_cli("build", "--project", str(root), "--lang", "kk", "--format", "html")
    assert build.exit_code == 0, build.output
    assert "Соңғы абзац<" in (root / "out/kk/hello.html").read_text(encoding="utf-8")
    rows = {(r["release"], r["lang"]): r for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]}
    assert (rows["hello", "kk"]["waived"], rows["hello", "kk"]["problems"], rows["hello", "kk"]["ready"]) == (1, 0, True)
    assert rows["hello", "tr"]["waived"] == 0
    table = subprocess.run([sys.executable, "-m", "pressgen", "status", "-C", str(root)], capture_output=True,
                           text=True).stdout.splitlines()
    assert table[0].split() == ["release", "lang", "translated", "fuzzy", "untranslated", "problems", "waived", "ready"]
    assert table[4].split() == ["hello", "kk", "8/8", "0", "0", "0", "1", "ready"]


def test_the_glossary_can_be_waived_where_official_wording_differs(project):
    root = project("minimal")
    write_glossary(root, "tr", [("place", "Istanbul", "İstanbul")])
    po = root / "locales/tr/releases/hello.po"
    edit(po, "msgstr \"İstanbul'dan merhaba\"", 'msgstr "Boğaz\'dan merhaba"')
    result = check(root)
    assert re.search(r"^locales/tr/releases/hello\.po:\d+: headline 'Hello from Istanbul' has 'Istanbul' but not "
                     r"the glossary's 'İstanbul'; use it, or flag the message '#, ignore-check-glossary' where it does not fit$",
                     result.stderr, re.M), result.stderr
    flag(po, "Hello from Istanbul", "ignore-check-glossary")
    assert check(root).exit_code == 0


def test_a_waiver_waives_its_own_check_only(project):
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    edit(po, 'msgstr "Son paragraf."', 'msgstr "Son (paragraf"')
    flag(po, "The last paragraph.", "ignore-end-stop")
    result = check(root)
    assert result.exit_code == 1
    assert "paragraph 'The last paragraph.' has unbalanced ( )" in result.stderr
    assert "final" not in result.stderr
    assert result.stdout == "1 check waived in 1 catalog (see their '#, ignore-…' flags)\n"
    # Two flags, two checks, one message.
    edit(po, "#, ignore-end-stop", "#, ignore-end-stop, ignore-brackets")
    result = check(root)
    assert result.exit_code == 0
    assert result.stdout == "No problems found.\n2 checks waived in 1 catalog (see their '#, ignore-…' flags)\n"
    rows = {(r["release"], r["lang"]): r for r in json.loads(run_cli("status", "--project", str(root), "--json").stdout)["catalogs"]}
    assert rows["hello", "tr"]["waived"] == 1  # messages, not checks


def test_a_placeholder_mismatch_cannot_be_waived(project):
    root = project("minimal")
    po = root / "locales/tr/LC_MESSAGES/messages.po"
    edit(po, 'msgstr "%(organisation)s hakkında"', 'msgstr "Hakkında"')
    edit(po, '#, python-format\nmsgid "About %(organisation)s"', '#, python-format, ignore-placeholders\nmsgid "About %(organisation)s"')
    line = po.read_text(encoding="utf-8").splitlines().index("#, python-format, ignore-placeholders") + 1
    result = check(root)
    assert result.exit_code == 1
    assert re.search(r"^locales/tr/LC_MESSAGES/messages\.po:\d+: 'About %\(organisation\)s' drops the placeholder "
                     r"'%\(organisation\)s'; put it back, where your language needs it: pressgen fills it in$", result.stderr,
                     re.M), result.stderr
    assert (f"locales/tr/LC_MESSAGES/messages.po:{line}: 'ignore-placeholders' is not accepted: a placeholder that "
            "does not match the source breaks the text pressgen fills in") in result.stderr.splitlines()
    build = run_cli("build", "--project", str(root), "--lang", "tr", "--format", "html")
    assert build.exit_code == 1 and "drops the placeholder '%(organisation)s'" in build.stderr


def test_waiving_every_check_at_once_is_refused(project):
    root = project("minimal")
    po = root / "locales/kk/releases/hello.po"
    line = flag(po, "The last paragraph.", "ignore-all-checks")
    result = check(root)
    assert result.stderr.splitlines() == [
        f"locales/kk/releases/hello.po:{line}: 'ignore-all-checks' is not accepted: waive one named check at a time "
        "(placeholders can never be waived)"]


def test_an_unknown_waiver_is_reported_at_its_line(project):
    root = project("minimal")
    po = root / "locales/kk/releases/hello.po"
    edit(po, 'msgstr "Соңғы абзац."', 'msgstr "Соңғы абзац"')
    line = flag(po, "The last paragraph.", "ignore-endstop")
    result = check(root)
    assert result.exit_code == 1
    assert f"locales/kk/releases/hello.po:{line}: unknown waiver 'ignore-endstop'; did you mean 'ignore-end-stop'?" \
        in result.stderr.splitlines()
    assert "ends without the source's final '.'" in result.stderr  # it waives nothing
    edit(po, "#, ignore-endstop", "#, ignore-nonsense")
    assert (f"locales/kk/releases/hello.po:{line}: unknown waiver 'ignore-nonsense'; pressgen waives ignore-xml-tags, "
            "ignore-brackets, ignore-begin-space, ignore-end-space, ignore-end-stop, ignore-end-colon, "
            "ignore-end-question, ignore-end-exclamation, ignore-end-semicolon, ignore-end-ellipsis, "
            "ignore-check-glossary, ignore-newline-count, ignore-mixed-script") in check(root).stderr.splitlines()


def test_weblate_flags_for_checks_pressgen_does_not_run_are_no_mistake(project):
    root = project("minimal")
    flag(root / "locales/kk/releases/hello.po", "The last paragraph.", "ignore-same, ignore-double-space, max-length:80")
    result = check(root)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "No problems found.\n", "")


def test_catalogs_update_keeps_waivers(project):
    root = project("minimal")
    po = root / "locales/kk/releases/hello.po"
    edit(po, 'msgstr "Соңғы абзац."', 'msgstr "Соңғы абзац"')
    flag(po, "The last paragraph.", "ignore-end-stop")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    message = read_catalog(po, "kk").get("The last paragraph.", "paragraph")
    assert message.flags == {"ignore-end-stop"}
    assert "#, ignore-end-stop\n" in po.read_text(encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(root)).stdout == "All catalogs are up to date.\n"
    # A changed source keeps the translation as fuzzy, and the waiver with it.
    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    message = read_catalog(po, "kk").get("The very last paragraph.", "paragraph")
    assert (message.string, message.flags) == ("Соңғы абзац", {"fuzzy", "ignore-end-stop"})
    assert "#, fuzzy, ignore-end-stop\n" in po.read_text(encoding="utf-8")


@pytest.mark.parametrize("flags", ["fuzzy, ignore-end-stop", "ignore-end-stop, fuzzy"])
def test_a_waiver_does_not_publish_a_fuzzy_message(project, flags):
    root = project("minimal")
    po = root / "locales/kk/releases/hello.po"
    flag(po, "The last paragraph.", flags)
    result = run_cli("build", "--project", str(root), "--lang", "kk", "--format", "html")
    assert "not built: kk/hello (1 fuzzy)" in result.stderr
