"""Catalogs are always valid: pressgen writes what GNU gettext accepts, and refuses what it rejects."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECTS, REPO, copy_office, edit, outputs, run_cli
from pressgen.catalogs import read_catalog
from pressgen.errors import PressgenError

MSGFMT = shutil.which("msgfmt") and shutil.which("msgcat")
needs_gettext = pytest.mark.skipif(not MSGFMT, reason="GNU gettext (msgfmt, msgcat) is not installed")
TR_HELLO = "locales/tr/releases/hello.po"
TR_MESSAGES = "locales/tr/LC_MESSAGES/messages.po"
CEREMONY = "releases/turksoy-isesco-agreement.yaml"


def gnu_problems(path: Path) -> str:
    """'' when GNU msgfmt --check and msgcat accept the file, else what they say."""
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    if result.returncode:
        return result.stderr
    result = subprocess.run(["msgcat", str(path), "-o", "/dev/null"], capture_output=True, text=True)
    return result.stderr if result.returncode else ""


def update(root: Path):
    return run_cli("catalogs", "update", "--project", str(root))


def said(expected: str, stderr: str) -> bool:
    """The message is a line of stderr (followed, if the file has more problems, by their count)."""
    return any(line == expected or line.startswith(f"{expected} (") for line in stderr.splitlines())


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text)


# --- what pressgen writes -------------------------------------------------------


@needs_gettext
def test_a_changed_word_in_a_long_paragraph_gives_valid_previous_msgid(office):
    """The measured bug: Babel wrapped '#| msgid' into lines msgfmt rejects (7 fatal errors)."""
    before = (office / "locales/kk/releases/turksoy-isesco-agreement.po").read_text(encoding="utf-8")
    edit(office / CEREMONY, "took place in the", "took place at the")
    assert update(office).stdout == ("updated locales/tr/releases/turksoy-isesco-agreement.po\n"
                                     "updated locales/kk/releases/turksoy-isesco-agreement.po\n")
    po = office / "locales/kk/releases/turksoy-isesco-agreement.po"
    text = po.read_text(encoding="utf-8")
    assert ('#, fuzzy\n'
            '#| msgid ""\n'
            '#| "At the ceremony held on April 8, 2011, TÜRKSOY Secretary General Düsen "\n'
            '#| "Kaseinov and ISESCO Director General Abdulaziz Othman Altwaijri signed "\n'
            '#| "the agreement, which aims at developing and enhancing the cooperation "\n'
            '#| "between the two organizations. The signing, organized within the "\n'
            '#| "framework of the Intercultural Dialogue Forum, took place in the Gulustan "\n'
            '#| "Palace in Baku, Azerbaijan."\n'
            'msgctxt "paragraph"\n') in text
    for lang in ("tr", "kk"):
        assert gnu_problems(office / f"locales/{lang}/releases/turksoy-isesco-agreement.po") == ""
    # The catalog keeps its Generated-By: an update changes the messages that changed.
    assert '"Generated-By: Babel 2.18.0\\n"' in before and '"Generated-By: Babel 2.18.0\\n"' in text
    catalog = read_catalog(po, "kk")
    fuzzy = next(m for m in catalog if m.fuzzy)
    assert fuzzy.previous_id == [fuzzy.id.replace("took place at the", "took place in the")]
    assert update(office).stdout == "All catalogs are up to date.\n"
    assert po.read_text(encoding="utf-8") == text


@needs_gettext
def test_previous_and_obsolete_lines_are_wrapped_as_msgmerge_wraps_them(office, tmp_path):
    """A trial's catalogs, moved between msgmerge and pressgen, changed at every turn: pressgen
    wrapped '#|', '#~' and '#~|' lines as Babel does (the space at the next line's start). Each
    text of the shipped catalogs, made obsolete and fuzzy by msgmerge --previous, against the
    same lines as pressgen writes them."""
    from pressgen.catalogs import _prefixed

    texts = [m.string or m.id for path in sorted((office / "locales").glob("*/releases/*.po"))
             for m in read_catalog(path, path.parent.parent.name) if m.id and isinstance(m.id, str)]
    texts += ["Line one\nline two", "Turkic-speaking countries " * 4, "x" * 90]
    empty = tmp_path / "empty.pot"
    empty.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n', encoding="utf-8")
    differ = []
    for text in texts:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        po = tmp_path / "one.po"
        po.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#, fuzzy\n'
                      f'#| msgid "{escaped}"\nmsgctxt "c"\nmsgid "{escaped}"\nmsgstr "{escaped}"\n', encoding="utf-8")
        gnu = subprocess.run(["msgmerge", "--previous", "-q", str(po), str(empty), "-o", "-"], capture_output=True,
                             text=True, check=True).stdout.split("#, fuzzy\n", 1)[1].rstrip("\n")
        ours = "".join([_prefixed("#~| ", "msgid", text), _prefixed("#~ ", "msgctxt", "c"),
                        _prefixed("#~ ", "msgid", text), _prefixed("#~ ", "msgstr", text)]).rstrip("\n")
        if ours != gnu:
            differ.append((gnu, ours))
    assert len(texts) > 50 and differ == []


@needs_gettext
def test_a_text_removed_and_brought_back_is_not_left_obsolete_too(project):
    """Babel's update keeps the obsolete entry next to the revived one; msgfmt calls the pair a duplicate."""
    root = project("minimal")
    record = root / "releases/hello.yaml"
    edit(record, "  - The last paragraph.\n", "")
    update(root)
    assert '#~ msgid "The last paragraph."' in (root / TR_HELLO).read_text(encoding="utf-8")
    edit(record, "  - quote: We are ready", "  - The last paragraph.\n  - quote: We are ready")
    update(root)
    text = (root / TR_HELLO).read_text(encoding="utf-8")
    # (Babel's update matches the text to 'The first paragraph.' as fuzzy rather than
    # revive the obsolete translation, as msgmerge would; the translator reviews it.)
    assert "#~" not in text and text.count('msgid "The last paragraph."') == 1
    assert gnu_problems(root / TR_HELLO) == ""


def test_previous_msgctxt_from_msgmerge_is_kept(project):
    """GNU msgmerge writes '#| msgctxt' when a message moved to another context."""
    root = project("minimal")
    po = root / TR_HELLO
    edit(po, 'msgctxt "paragraph"\nmsgid "The last paragraph."',
         '#, fuzzy\n#| msgctxt "quote"\n#| msgid "The last words."\nmsgctxt "paragraph"\nmsgid "The last paragraph."')
    saved = po.read_bytes()
    message = read_catalog(po, "tr").get("The last paragraph.", "paragraph")
    assert (message.previous_context, message.previous_id, message.user_comments) == ("quote", ["The last words."], [])
    assert update(root).stdout == "All catalogs are up to date.\n"
    assert po.read_bytes() == saved


# --- what pressgen refuses -------------------------------------------------------

BROKEN_PREVIOUS = ('#, fuzzy\n'
                   '#| msgid "" "The last paragraph, as it was before the office\n'
                   '#| rewrote it " "entirely."\n'
                   'msgctxt "paragraph"\nmsgid "The last paragraph."')

# name, text to replace in locales/tr/releases/hello.po, replacement, the line it is on, message
CASES = [
    ("broken-previous", 'msgctxt "paragraph"\nmsgid "The last paragraph."', BROKEN_PREVIOUS,
     '#| msgid "" "The last paragraph, as it was before the office',
     "invalid '#|' line: a string that does not end on its line; run `pressgen catalogs update` to rewrite it, "
     "or fix the quotes"),
    ("unterminated", 'msgstr "Son paragraf."', 'msgstr "Bakü', 'msgstr "Bakü',
     "invalid msgstr line: a string that does not end on its line; end it with '\"' (write a quote inside the "
     "text as \\\")"),
    ("bad-escape", 'msgstr "Son paragraf."', 'msgstr "Son \\q paragraf."', 'msgstr "Son \\q paragraf."',
     "invalid msgstr line: invalid escape '\\q'; write '\\\\' for a backslash, '\\\"' for a quote, '\\n' for a "
     "line break"),
    ("octal-escape", 'msgstr "Son paragraf."', 'msgstr "Son paragraf\\056"', 'msgstr "Son paragraf\\056"',
     "invalid msgstr line: the escape '\\0…' is valid C but pressgen (Babel) does not read it; write the "
     "character itself"),
    ("unknown-keyword", 'msgstr "Son paragraf."', 'msgtsr "Son paragraf."', 'msgtsr "Son paragraf."',
     "unknown keyword 'msgtsr'; a line is a comment (#), a keyword (msgctxt, msgid, msgid_plural, msgstr) or a "
     "string in quotes"),
    ("two-strings-on-a-line", 'msgstr "Son paragraf."', 'msgstr "Son " "paragraf."', 'msgstr "Son " "paragraf."',
     "invalid msgstr line: several strings on one line, which Babel misreads; put each string on a line of its own"),
    ("missing-msgstr", 'msgid "The last paragraph."\nmsgstr "Son paragraf."\n', 'msgid "The last paragraph."\n',
     'msgid "The last paragraph."', 'msgid without msgstr; add `msgstr ""` under it'),
    ("duplicate", 'msgctxt "paragraph"\nmsgid "The last paragraph."\nmsgstr "Son paragraf."',
     'msgctxt "paragraph"\nmsgid "The last paragraph."\nmsgstr "Son paragraf."\n\n'
     'msgctxt "paragraph"\nmsgid "The last paragraph."\nmsgstr "Sonuncu paragraf."', 'msgstr "Sonuncu paragraf."',
     "msgid 'The last paragraph.' (msgctxt 'paragraph') again (first on line 57); keep one of the two entries"),
    ("plural-forms", 'msgctxt "paragraph"\nmsgid "The last paragraph."',
     'msgid "one paragraph"\nmsgid_plural "paragraphs"\nmsgstr[0] "paragraf"\n\n'
     'msgctxt "paragraph"\nmsgid "The last paragraph."', 'msgstr[0] "paragraf"',
     "1 plural form(s) where Plural-Forms says nplurals=2; give msgstr[0] to msgstr[1]"),
    ("line-break", 'msgstr "Son paragraf."', 'msgstr "Son paragraf.\\n"', 'msgid "The last paragraph."',
     "'msgid' and 'msgstr' do not both end with a line break (\\n); make the translation end as the source does"),
    ("no-header", 'msgid ""\nmsgstr ""\n', "", None,
     'no header entry (msgid "" with Language, Content-Type and Plural-Forms); copy it from another catalog, '
     "or run `pressgen catalogs update`"),
]


@pytest.mark.parametrize("name, old, new, at, message", CASES, ids=[c[0] for c in CASES])
def test_check_and_build_refuse_what_msgfmt_refuses(project, name, old, new, at, message):
    # Built in place: the build cache knows the last newsroom by the path of out/.
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    po = root / TR_HELLO
    edit(po, old, new, count=1)
    if MSGFMT:
        # GNU gettext accepts the two cases where pressgen is stricter: Babel would misread them.
        stricter = name in ("octal-escape", "two-strings-on-a-line")
        assert (gnu_problems(po) == "") == stricter, gnu_problems(po)
    # The line the message names: the one shown, or for a missing msgstr the msgid above the gap.
    line = 1 if at is None else line_of(po, at) - (2 if name == "plural-forms" else 0)
    if name == "duplicate":
        line = line_of(po, at) - 1
    expected = f"{TR_HELLO}:{line}: {message}"
    before = outputs(root)
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    assert said(expected, result.stderr), result.stderr
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 1
    assert said(expected, result.stderr), result.stderr
    assert outputs(root) == before
    result = run_cli("status", "--project", str(root))
    assert said(expected, result.stderr), result.output


def test_a_file_with_several_problems_names_the_first_and_counts_the_rest(project):
    root = project("minimal")
    po = root / TR_HELLO
    edit(po, 'msgstr "Son paragraf."', 'msgstr "Son \\q paragraf.')
    edit(po, 'msgstr "Biz hazırız"', 'msgstr "Biz hazırız')
    with pytest.raises(PressgenError) as caught:
        read_catalog(po, "tr")
    assert caught.value.format() == (
        f"{po}:47: invalid msgstr line: a string that does not end on its line; end it with '\"' (write a quote "
        "inside the text as \\\") (1 more problem(s) in this file, the next at line 58)")


@needs_gettext
def test_catalogs_broken_by_an_older_pressgen_are_mended_by_update(project):
    """Files with Babel's broken '#|' lines are refused by check, and `catalogs update` rewrites them."""
    root = project("minimal")
    po = root / TR_HELLO
    edit(po, 'msgctxt "paragraph"\nmsgid "The last paragraph."', BROKEN_PREVIOUS)
    assert gnu_problems(po) != ""
    assert run_cli("check", "--project", str(root)).exit_code == 1
    assert update(root).stdout == f"updated {TR_HELLO}\n"
    assert gnu_problems(po) == ""
    message = read_catalog(po, "tr").get("The last paragraph.", "paragraph")
    # Babel's TextWrapper broke the strings at spaces; joined again, the text is whole.
    assert message.previous_id == ["The last paragraph, as it was before the office rewrote it entirely."]
    assert update(root).stdout == "All catalogs are up to date.\n"


@pytest.mark.parametrize("path", sorted(REPO.glob("locales/**/*.po")) + sorted(REPO.glob("src/pressgen/locales/**/*.po"))
                         + sorted(PROJECTS.glob("*/locales/**/*.po")), ids=lambda p: str(p.relative_to(REPO)))
def test_shipped_catalogs_pass_the_validator(path):
    read_catalog(path, path.relative_to(REPO).parts[-3 if "LC_MESSAGES" in path.parts or "releases" in path.parts else -2])


# --- properties --------------------------------------------------------------------

LETTERS = "aeiouAEIOU" + "əğıİşçöüƏĞŞÇÖÜ" + "әғқңөұүһіӘҒҚҢӨҰҮҺІ" + "\"\\%'«»“”"
words = st.one_of(
    st.text(alphabet=LETTERS, min_size=1, max_size=12),
    st.sampled_from(['"quoted"', "\\", "\\n", "%", "%(place)s", "50%", "a\\q", "C:\\new", "\t", "\\\\"]),
    st.text(alphabet="kKşŞәӘ", min_size=60, max_size=120),  # a long word no line can hold
)
texts = st.lists(words, min_size=1, max_size=30).map(" ".join) | \
    st.lists(st.lists(words, min_size=1, max_size=12).map(" ".join), min_size=2, max_size=4).map("\n".join)


@needs_gettext
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["headline", "summary", "paragraph", "quote", "by"]), texts),
                min_size=1, max_size=4))
def test_every_catalog_pressgen_writes_passes_msgfmt_and_msgcat(tmp_path, edits):
    root = tmp_path / "office"
    if root.exists():
        shutil.rmtree(root)
    copy_office(root)
    record = root / CEREMONY
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    for n, (field, text) in enumerate(edits):
        text = text.strip() or "x"
        if field in ("headline", "summary"):
            data[field] = text
        else:
            blocks = data["body"]
            index = n % len(blocks)
            block = blocks[index]
            if field == "paragraph":
                blocks[index] = text if isinstance(block, str) else {**block, "paragraph": text} if "paragraph" in block else text
            elif field in ("quote", "by"):
                blocks[index] = {"quote": text, "by": "Düsen Kaseinov"} if field == "quote" else {"quote": "Words", "by": text}
    record.write_text(yaml.safe_dump(data, allow_unicode=True, width=60, default_style=None), encoding="utf-8")
    result = update(root)
    if result.exit_code:  # a record pressgen refuses is fine: it says where
        assert result.stderr.startswith("releases/"), result.stderr
        return
    for po in sorted((root / "locales").rglob("*.po")):
        assert gnu_problems(po) == "", f"{po.relative_to(root)}:\n{gnu_problems(po)}\n{po.read_text(encoding='utf-8')}"
    assert update(root).stdout == "All catalogs are up to date.\n"


SOURCES = [REPO / "locales/tr/releases/turksoy-isesco-agreement.po", REPO / "locales/kk/LC_MESSAGES/messages.po",
           PROJECTS / "minimal/locales/kk/releases/hello.po"]


def mutate_catalog(text: str, data) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["delete", "unquote", "duplicate", "escape", "swap"]))
        at = data.draw(st.integers(0, len(lines) - 1))
        line = lines[at]
        if kind == "delete":
            del lines[at]
        elif kind == "unquote" and '"' in line:
            quotes = [i for i, c in enumerate(line) if c == '"']
            i = data.draw(st.sampled_from(quotes))
            lines[at] = line[:i] + line[i + 1:]
        elif kind == "duplicate":
            end = at
            while end < len(lines) and lines[end].strip():
                end += 1
            lines[end:end] = [""] + lines[at:end]
        elif kind == "escape" and '"' in line:
            i = data.draw(st.integers(line.index('"') + 1, len(line)))
            lines[at] = line[:i] + data.draw(st.sampled_from(["\\q", "\\", "\\x41", "\\'", "\\8", "\\\\", "\\n", '\\"'])) + line[i:]
        elif kind == "swap" and at + 1 < len(lines):
            lines[at], lines[at + 1] = lines[at + 1], lines[at]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@needs_gettext
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_whatever_msgfmt_rejects_pressgen_rejects(tmp_path, data):
    source = data.draw(st.sampled_from(SOURCES))
    lang = "kk" if "/kk/" in str(source) else "tr"
    path = tmp_path / "x.po"
    path.write_text(mutate_catalog(source.read_text(encoding="utf-8"), data), encoding="utf-8")
    gnu = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    try:
        catalog = read_catalog(path, lang)
    except PressgenError as exc:
        assert exc.format().startswith(f"{path}:"), exc.format()
        return
    if gnu.returncode:
        # Format strings are checked message by message by the QA placeholder check, on every
        # message: Babel drops a `python-format` flag whose msgid lost its placeholder (a line of
        # it deleted), which msgfmt still reads the msgstr by.
        from pressgen.qa import message_problems

        assert any(message_problems(m) for m in catalog), \
            f"msgfmt rejects, pressgen reads it:\n{gnu.stderr}\n{path.read_text(encoding='utf-8')}"


@needs_gettext
def test_a_percent_in_a_release_text_is_no_format_string(project):
    """'95%' is '%95' in Turkish and '95%-ы' in Kazakh: msgfmt must not read them as Python formats."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "The first paragraph.", "Over 95% of the tickets were sold.")
    assert update(root).exit_code == 0
    po = root / TR_HELLO
    edit(po, 'msgid "Over 95% of the tickets were sold."\nmsgstr ""',
         'msgid "Over 95% of the tickets were sold."\nmsgstr "Biletlerin %95\'inden fazlası satıldı."')
    assert "python-format" not in po.read_text(encoding="utf-8")
    assert gnu_problems(po) == ""
    assert update(root).stdout == "All catalogs are up to date.\n"


@needs_gettext
def test_a_msgid_that_lost_its_placeholder_line_is_a_mistake_msgfmt_and_pressgen_agree_on(tmp_path):
    """Found by the fuzzer above: a deleted line of a python-format msgid. msgfmt rejects the
    msgstr's '%(address)s'; Babel drops the flag, so pressgen's QA must still name it."""
    from pressgen.qa import message_problems

    source = REPO / "locales/kk/LC_MESSAGES/messages.po"
    lines = source.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith('"To stop receiving our releases'))
    path = tmp_path / "x.po"
    path.write_text("\n".join(lines[:at] + lines[at + 1:]), encoding="utf-8")
    gnu = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert gnu.returncode == 1 and "'address'" in gnu.stderr
    problems = [p for m in read_catalog(path, "kk") for p in message_problems(m)]
    assert problems == ["adds the placeholder '%(address)s', which the source does not have; remove it"]


@pytest.mark.parametrize("spacing", ["\t", ""], ids=["a tab", "nothing"])
def test_a_keyword_and_its_string_as_gnu_gettext_reads_them(project, spacing):
    """`msgstr<TAB>"…"` and `msgstr"…"` are what GNU msgfmt reads as `msgstr "…"`; pressgen refused
    them ('must be followed by one space'; found by a trial), and Babel drops such a line."""
    root = project("minimal")
    po = root / "locales/tr/releases/hello.po"
    edit(po, 'msgstr "İlk paragraf."', f'msgstr{spacing}"İlk paragraf."')
    edit(po, 'msgid "We are ready"', f'msgid{spacing}"We are ready"')
    assert gnu_problems(po) == ""
    assert run_cli("check", "--project", str(root)).stdout == "No problems found.\n"
    assert run_cli("build", "--project", str(root), "--format", "html", "-q").exit_code == 0
    page = (root / "out/tr/hello.html").read_text(encoding="utf-8")
    assert "İlk paragraf." in page and "Biz hazırız" in page
    assert update(root).stdout == "All catalogs are up to date.\n"  # the same messages: left as saved


def test_a_translation_offered_from_another_field_names_that_field(project):
    """Babel's fuzzy match may offer a message of another field; its '#| msgid' alone read as an
    edit of the same field (found by a trial). msgmerge --previous writes '#| msgctxt' too."""
    root = project("minimal")
    edit(root / "pressgen.yaml", "      - name: Press Desk\n",
         "      - name: Press Desk\n        role: Office of Culture press\n")
    assert update(root).exit_code == 0
    po = root / TR_MESSAGES
    text = po.read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgctxt "office: name"\n#| msgid "Office of Culture"\nmsgctxt "office: contact role"\n'
            'msgid "Office of Culture press"\n') in text
    assert gnu_problems(po) == ""
    assert update(root).stdout == "All catalogs are up to date.\n"
    assert po.read_text(encoding="utf-8") == text
