"""locales/*.po -> checked Babel catalogs; and `pressgen catalogs update`.

Two kinds of catalog per language, both plain gettext for Poedit and Weblate:

  locales/<lang>/LC_MESSAGES/messages.po   template labels and office texts
  locales/<lang>/releases/<id>.po          one release's texts, one message per field

pressgen reads .po through Babel at build time; no compiled .mo is kept.
"""

from __future__ import annotations

import codecs
import copy
import datetime as dt
import gettext
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import PoFileError, escape, normalize, read_po, unescape, write_po
from jinja2 import TemplateSyntaxError
from jinja2.ext import babel_extract

from . import theme
from .config import EXAMPLE_CONTACT
from .errors import Collector, PressgenError
from .fsutil import write_if_changed
from .lang import babel_locale, english_name
from .model import Config, Release, Text
from .conflicts import conflicts_below, take_a_side
from .pocheck import CONFLICT_LEFT, check_po, lex_string
from .poheader import HeaderFill, creation_stamp, merge_header, plural_forms_line, read_header, with_header
from .projectfiles import LOCALES_DIR, OwnFiles
from .qa import Glossary, glossary_terms

if TYPE_CHECKING:
    from .tm import Memory

TEMPLATE_LANGUAGE = "en"
"""The language of the msgids in templates."""

# Babel's Catalog() stamps the current time into templates that are never written (the
# header pressgen writes comes from poheader): a fixed one keeps them equal.
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

_EXTRACT_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trimmed": "true",
    # A broken template must be an error, not an empty catalog.
    "silent": "false",
}
# N_ marks a message that a template hands to a function untranslated
# (page_numbers() translates it itself).
_KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def messages_path(root: Path, lang: str) -> Path:
    return root.joinpath(LOCALES_DIR, lang, "LC_MESSAGES", "messages.po")


def release_catalog_path(root: Path, lang: str, release_id: str) -> Path:
    # One join rather than four: pathlib parses each part, for every version of an archive.
    return root.joinpath(LOCALES_DIR, lang, "releases", f"{release_id}.po")


def glossary_path(root: Path, lang: str) -> Path:
    """The translators' glossary: source terms (msgid) and their rendering (msgstr)."""
    return root.joinpath(LOCALES_DIR, lang, "glossary.po")


_DECIMAL_OPERANDS = re.compile(r"\b[ce]\b")
"""CLDR's exponent of a number in compact form (1.2 million): rules since CLDR 42 name it (French,
Spanish, Italian, Portuguese, Catalan), Babel leaves it in its gettext rule, and gettext knows
only ``n``. The numbers gettext is given are integers as written, whose exponent is 0."""


@lru_cache(maxsize=None)
def gettext_plural_forms(lang: str) -> str:
    """Plural-Forms from CLDR, in the form Weblate and msginit write (worked out once per
    language: the build checks every catalog's header against it).

    Babel's legacy table says ``nplurals=1`` for Turkish; CLDR has one/other.

    >>> gettext_plural_forms("tr")
    'nplurals=2; plural=(n != 1);'
    >>> gettext_plural_forms("kk")
    'nplurals=2; plural=(n != 1);'
    >>> gettext_plural_forms("fr")
    'nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;'
    >>> gettext_plural_forms("ru")
    'nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);'
    """
    from babel.plural import to_gettext

    rule = _DECIMAL_OPERANDS.sub("0", to_gettext(babel_locale(lang).plural_form))
    plural = gettext.c2py(_PLURAL_FORMS.match(rule).group(2))  # type: ignore[union-attr]
    # Babel's rules spell CLDR's conditions out in full; where a short rule says the same, the
    # header has that one, as translators' tools write it.
    for known in (_TWO_FORMS, *_SHORT_RULES):
        if _same_on_integers(gettext.c2py(_PLURAL_FORMS.match(known).group(2)), plural):  # type: ignore[union-attr]
            return known
    return rule


_TWO_FORMS = "nplurals=2; plural=(n != 1);"
_SHORT_RULES = (
    # French, Portuguese; Spanish, Italian, Catalan (CLDR 42+: one, many for a million and its multiples, other).
    "nplurals=3; plural=(n == 0 || n == 1) ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
    # Russian, Ukrainian, Belarusian; Polish (GNU's, as Poedit and msginit write them: CLDR's less
    # its form for fractions, which no count takes).
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
)
"""Short Plural-Forms, as translators' tools write them, for CLDR rules whose spelling by Babel
runs to a line and more: whichever gives the same form for every count stands for CLDR's."""

_PLURAL_FORMS = re.compile(r"nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")
_SAMPLE_NUMBERS = (*range(1000), 1001, 10_000, 100_000, 1_000_000, 1_000_001, 2_000_000, 10_000_000)


def _same_on_integers(one, other) -> bool:
    return all(one(n) == other(n) for n in _SAMPLE_NUMBERS)


@lru_cache(maxsize=64)
def same_plural_rule(found: str, lang: str) -> bool:
    """Whether a Plural-Forms header says what CLDR's rule for ``lang`` says, however written:
    Weblate writes 'nplurals=2; plural=n != 1;' where CLDR's rule reads 'nplurals=2; plural=(n != 1);'.
    The same for every whole number is enough, as gettext is given no other: GNU's rule for
    Russian (one, few, many) is CLDR's less the form of fractions (other), which no integer takes,
    and pressgen before 0.20.1 wrote CLDR's four.
    Remembered: an archive's thousands of catalogs carry a handful of spellings, and
    comparing two rules on a thousand numbers took a cold build of 1,000 releases 0.8 s.

    >>> same_plural_rule("nplurals=2; plural=n != 1;", "tr")
    True
    >>> same_plural_rule("nplurals=2; plural=n > 1;", "tr")
    False
    >>> same_plural_rule("nplurals=1; plural=0;", "tr")
    False
    >>> same_plural_rule("nplurals=3; plural=(n != 1);", "kk")
    False
    >>> russian = "nplurals=4; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<12 || n%100>14) ? 1 : 2);"
    >>> same_plural_rule(russian, "ru")
    True
    """
    expected = gettext_plural_forms(lang)
    if found == expected:
        return True
    rules = [_PLURAL_FORMS.match(text) for text in (found, expected)]
    if not all(rules):
        return found == expected
    try:
        formulas = [gettext.c2py(rule.group(2)) for rule in rules]  # type: ignore[union-attr]
    except (ValueError, SyntaxError, RecursionError):
        return False
    # Another number of forms only where the others are CLDR's forms for fractions, which no count
    # takes (Russian's four): Kazakh's two counted as three are not, and a translator's tool would
    # ask for a third form no page shows. Every form the rule gives is within its nplurals.
    forms, expected_forms = (int(rule.group(1)) for rule in rules)  # type: ignore[union-attr]
    cldr_forms = len(babel_locale(lang).plural_form.tags) + 1  # its tags leave out 'other'
    return (forms in (expected_forms, cldr_forms) and _same_on_integers(*formulas)
            and all(formulas[0](n) < forms for n in _SAMPLE_NUMBERS))


# --- reading -----------------------------------------------------------------


_KEYWORD_SPACING = re.compile(rb'(?m)^((?:#~ ?)?(?:#\| ?)?(?:msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?))'
                              rb'(?:\t[ \t]*|(?="))(?=")')


_KEYWORD_QUOTE = re.compile(rb'(?:msgctxt|plural|msgid|msgstr|\])"')
"""What _KEYWORD_SPACING mends besides a tab, found faster than that (most files have neither)."""


def _as_gnu_reads(data: bytes) -> bytes:
    """GNU gettext reads `msgstr\t"…"` and `msgstr"…"` as `msgstr "…"`; Babel's reader drops
    such a line, translation and all. Written as GNU reads it (the line numbers stay)."""
    if b"\t" in data or _KEYWORD_QUOTE.search(data):
        return _KEYWORD_SPACING.sub(rb"\1 ", data)
    return data


_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_PLURAL_FORMS_FIELD = re.compile(rb'(?m)^"Plural-Forms:[^\n]*?\\n"')


def _declared_charset(data: bytes) -> str | None:
    """The charset the header names, if it is one Python knows and not UTF-8's: None else."""
    match = _CHARSET.search(data)
    if match is None:
        return None
    name = match.group(1).decode("ascii")
    try:
        known = codecs.lookup(name).name
    except LookupError:
        return None  # Babel's reader names it (read_catalog)
    return None if known == "utf-8" else name


def _in_utf8(data: bytes, charset: str | None) -> bytes:
    """A catalog in a legacy charset, in UTF-8 and saying so (the line numbers stay): Babel's
    reader decodes the header's lines above Content-Type as UTF-8, and a translator's name in
    `Last-Translator: Ayşe Yılmaz` in ISO-8859-9 stopped it (a trial)."""
    if charset is None or data.isascii():
        return data
    return _CHARSET.sub(b"charset=UTF-8", data.decode(charset).encode("utf-8"), count=1)


def _as_babel_reads(data: bytes) -> bytes:
    """An obsolete entry's previous msgid (`#~| msgid "…"`, as msgmerge --previous keeps it)
    stops Babel's reader: given to it as a live entry's (`#| `), which it keeps as a comment of
    the entry it stands above, read back into its previous msgid (_recover_previous_id). The
    line numbers stay."""
    return _OBSOLETE_PREVIOUS.sub(b"#|", data) if b"#~" in data else data


_OBSOLETE_PREVIOUS = re.compile(rb"(?m)^[ \t]*#~[ \t]*\|")


def rendered_digest(data: bytes) -> str | None:
    r"""A catalog's hash by what a page can show of it: each message's context, id and
    translation, whether it is fuzzy, and the header's language and plural forms. Not its
    comments, its lines' wrapping, its order, its obsolete entries or its header's bookkeeping.
    None when Babel cannot read it (its build says why).

    >>> plain = 'msgid ""\nmsgstr "Language: kk\\n"\n\nmsgid "Contacts"\nmsgstr "Байланыс"\n'
    >>> noted = plain.replace('msgid "C', '# Checked by Aigerim.\nmsgid ""\n"C')
    >>> digest = lambda text: rendered_digest(text.encode())
    >>> digest(plain) == digest(noted) != digest(plain.replace("ныс", "ныстар"))
    True
    """
    import hashlib

    try:
        # abort_invalid: Babel prints a WARNING line for each line it cannot read otherwise (a
        # trial's merge conflict put six of them before pressgen's own message, and in status's output).
        catalog = read_po(io.BytesIO(_as_babel_reads(_as_gnu_reads(data))), abort_invalid=True)
        parts = [str(catalog.locale), catalog.plural_forms, str(catalog.fuzzy),
                 *sorted(repr((m.context, m.id, m.string, m.fuzzy)) for m in catalog if m.id)]
    except Exception:  # noqa: BLE001 (a catalog Babel cannot read: the build names its problem)
        return None
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def read_catalog(path: Path, lang: str, *, mend: bool = False) -> Catalog:
    """Parse a .po with Babel, strictly; a syntax error names the file and line.

    The file must first pass pocheck (what GNU msgfmt --check rejects and
    Babel's lenient reader does not), so that build, check, status and
    catalogs update all refuse the files GNU gettext refuses. With `mend`
    (catalogs update, which rewrites the file), problems that rewriting
    repairs are let through: broken '#|' lines (written by pressgen before
    render_po worked around Babel's wrapping) and an obsolete entry that
    repeats an active one.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PressgenError(path, None, f"cannot read this catalog: {exc.strerror}") from None
    data = _as_gnu_reads(data)
    found = check_po(data)
    problems = [p for p in found if not (mend and p.mendable)]
    if problems and problems[0].conflict:
        # The way out that works for this file as git holds it (pocheck knows no file).
        name = "/".join(path.parts[path.parts.index(LOCALES_DIR):]) if LOCALES_DIR in path.parts else str(path)
        raise PressgenError(path, problems[0].line, f"{CONFLICT_LEFT}: {take_a_side(path, name)}" + conflicts_below(data))
    if problems:
        # Where the next is, too: a trial's translator was told of one more problem and not where.
        more = (f" ({len(problems) - 1} more problem(s) in this file, the next at line {problems[1].line})"
                if len(problems) > 1 else "")
        raise PressgenError(path, problems[0].line, problems[0].message + more)
    charset = _declared_charset(data)
    babel_data = data
    if any(p.mendable and "Plural-Forms" in p.message for p in found):
        # Let through to be written anew (catalogs update): Babel's reader would stop at it
        # (int('two') for 'nplurals=two'), so it reads the language's own rule there instead.
        babel_data = _PLURAL_FORMS_FIELD.sub(f'"Plural-Forms: {gettext_plural_forms(lang)}\\n"'.encode(), data, count=1)
    try:
        catalog = read_po(io.BytesIO(_as_babel_reads(_in_utf8(babel_data, charset))), locale=babel_locale(lang),
                          abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0.
        raise PressgenError(path, exc.lineno + 1, f"invalid PO syntax: {exc.args[0].rsplit(' on ', 1)[0]}") from None
    except LookupError as exc:
        # The header names a charset Python does not know.
        line = next((n for n, text in enumerate(data.splitlines(), 1) if b"charset=" in text), None)
        raise PressgenError(path, line, f"{exc}; the Content-Type header should say charset=UTF-8") from None
    except Exception as exc:  # noqa: BLE001
        # Babel's parser crashes on some damaged headers (found by tests/test_fuzz.py);
        # whatever it raises, the file is what is wrong.
        raise PressgenError(path, None, f"cannot read this catalog ({type(exc).__name__}: {exc}); "
                            "check its header against another catalog, or run `msgfmt --check` on it") from None
    _check_language(path, data, lang)
    # Babel's update replaces each Message (and knows no previous msgctxt); render_po
    # finds a message's '#| msgctxt' here while its previous msgid is the one read.
    previous_contexts = {}
    messages = []
    for message in catalog.obsolete.values():
        _recover_previous_id(message)  # msgmerge's '#~|' lines (_as_gnu_reads)
    for message in catalog:  # once: each pass over a Catalog formats its header's dates anew
        _recover_previous_id(message)
        if getattr(message, "previous_context", None) is not None:
            previous_contexts[_key(message.id), message.context] = (list(message.previous_id), message.previous_context)
        if message.id:
            messages.append(message)
    catalog.pressgen_previous_contexts = previous_contexts  # type: ignore[attr-defined]
    catalog.pressgen_messages = messages  # type: ignore[attr-defined]
    if len(problems) < len(found):
        catalog.pressgen_mended = True  # type: ignore[attr-defined]  # so that catalogs update rewrites it
    if charset is not None:
        catalog.charset = charset  # as the file says (catalogs update writes it in UTF-8, saying so)
    # Babel's writer would drop the headers it does not know (X-Generator) and stamp its own
    # version into Generated-By: render_po writes the header as the file has it instead.
    text = data.decode(charset or "utf-8", "replace")
    catalog.pressgen_header = read_header(text)  # type: ignore[attr-defined]
    # Where its Plural-Forms is, for the build's check of it (review.plural_forms_problems), which
    # read the file again for every version: 2 % of a cold build.
    catalog.pressgen_plural_forms_line = plural_forms_line(text)  # type: ignore[attr-defined]
    return catalog

_PREVIOUS_KEYWORDS = ("msgctxt", "msgid", "msgid_plural")


def _key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, (list, tuple)) else msgid


def _recover_previous_id(message: Message) -> None:
    """Read '#|' lines back into previous_id (and previous_context).

    Babel's read_po keeps them as user comments ('| msgid "…"'), and writing
    those back would turn '#|' into '# |' on every update (Babel does not read
    previous strings: https://github.com/python-babel/babel/issues/206).

    The strings of a field are joined with spaces before they are read. Valid
    lines hold one string each, so the space falls outside every string; and
    the lines Babel's writer broke (see render_po) were whole strings split at
    a space, so joining them with one gives the strings back. A previous
    field that still does not read is dropped: it only helps the translator.
    """
    fields: dict[str, list[str]] = {}
    kept: list[str] = []
    current: str | None = None
    for comment in message.user_comments:
        if not comment.startswith("|"):
            kept.append(comment)
            current = None
            continue
        body = comment[1:].strip()
        word = body.split(" ", 1)[0]
        if word in _PREVIOUS_KEYWORDS:
            current = word
            fields[word] = [body[len(word):]]
        elif current is not None:
            fields[current].append(body)
        # else: a stray '#|' line, which pocheck refuses unless catalogs update mends it
    if not fields and len(kept) == len(message.user_comments):
        return
    message.user_comments = kept
    values = {word: _po_strings(" ".join(parts)) for word, parts in fields.items()}
    if values.get("msgid") is None:
        message.previous_id = []
        return
    message.previous_id = [values["msgid"]] + ([values["msgid_plural"]] if values.get("msgid_plural") is not None else [])
    if values.get("msgctxt") is not None:
        message.previous_context = values["msgctxt"]  # type: ignore[attr-defined]


def _po_strings(text: str) -> str | None:
    """The value of a run of PO strings ('"a" "b"' -> 'ab'), or None if it is not one."""
    text = text.strip()
    value = []
    while text:
        part, problem, text = lex_string(text)
        if problem:
            return None
        value.append(part)
        text = text.strip()
    return "".join(value) if value else None


def unescape_multiline(parts: list[str]) -> str:
    return "".join(unescape(part.strip()) for part in parts)


_LANGUAGE_FIELD = re.compile(rb'^"Language:\s*([^\\"]*?)\s*(?:\\n)?"', re.M)


def _check_language(path: Path, data: bytes, lang: str) -> None:
    """A catalog whose header names another language is most likely in the wrong folder
    (a Kazakh file copied into locales/tr/): its text would be published as Turkish."""
    found = _LANGUAGE_FIELD.search(data)
    if not found or not found.group(1):
        return
    named = found.group(1).decode("utf-8", "replace")
    try:
        same = babel_locale(named).language == babel_locale(lang).language
    except ValueError:
        same = False
    if not same:
        line = data.count(b"\n", 0, found.start()) + 1
        raise PressgenError(path, line, f"the header says 'Language: {named}', but this catalog is for '{lang}'; "
                            f"if it is a {english_name(lang)} translation, correct the header "
                            f"to 'Language: {lang}', else move the file to the folder of its language")


def is_translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def messages_of(catalog: Catalog) -> list[Message]:
    """The messages of a catalog as read (not one changed since: Catalog.update), the header
    apart, in file order: as read_catalog listed them, or by a pass over the catalog (each of
    which formats the header's dates anew: a tenth of a release catalog's reading)."""
    listed = getattr(catalog, "pressgen_messages", None)
    return listed if listed is not None else [message for message in catalog if message.id]


def previous_msgid(message: Message) -> str | None:
    """The text a message was translated from before its source changed (its '#| msgid'), if known."""
    previous = getattr(message, "previous_id", None)
    if isinstance(previous, (list, tuple)):
        previous = previous[0] if previous else None
    return previous or None


def single_valued(context: str) -> bool:
    """Whether an office text's field holds one text per organisation ('office: about'), not
    one of several (its contacts' names and roles share 'office: contact name'): only then is
    the one text of the field the earlier version of today's, and not another contact's.

    >>> single_valued("office: about"), single_valued("office: contact role")
    (True, False)
    """
    return context.rpartition(": ")[2] not in ("contact name", "contact role")


def offered_from_another(message: Message, catalog: Catalog) -> bool:
    """Whether a fuzzy message's '#|' lines name another message: one the catalog still has, or
    one of another field ('#| msgctxt'). Not its own text before it changed, but a similar
    message whose translation `catalogs update` (as msgmerge) offered for a new one: a new
    contact's name matched with a colleague's, a role with a former contact's name."""
    previous = previous_msgid(message)
    current = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    if previous is None:
        return False
    if getattr(message, "previous_context", None) not in (None, message.context):
        return True  # another field's text ('#| msgctxt'): a contact's name offered for a role
    if previous == current:
        return False
    return any((m.id[0] if isinstance(m.id, (list, tuple)) else m.id) == previous for m in messages_of(catalog))


def own_previous_msgid(message: Message, catalog: Catalog) -> str | None:
    """The text a message was translated from before its source changed, if its '#|' lines
    say so; None when they name another message (offered_from_another)."""
    return None if offered_from_another(message, catalog) else previous_msgid(message)


def _link_out(path: Path, root: Path) -> Path:
    """The link that takes ``path`` out of the project: the file itself, or a folder above
    it (`locales/kk` linked to a shared drive), named once rather than file by file."""
    for part in reversed(path.relative_to(root).parents[:-1]):
        if not (root / part).resolve().is_relative_to(root.resolve()):
            return root / part
    return path


@dataclass
class Catalogs:
    """The project's catalogs, read once each and checked as they are read."""

    root: Path
    rekey: Callable[[str], str] | None = None
    """An office text's msgctxt under its organisation's key of today (Config.office_context):
    messages.po is read as `catalogs update` will write it, so that renaming an organisation's
    key (former_keys) leaves its translated texts translated."""

    def __post_init__(self) -> None:
        self._own = OwnFiles(self.root)
        self._cache: dict[Path, Catalog | None] = {}
        self._glossaries: dict[Path, Glossary] = {}
        """Each glossary's terms, by its path: every version's translation asks for two."""

    def load(self, path: Path, lang: str) -> Catalog | None:
        if path not in self._cache:
            if path.is_relative_to(self.root) and self._own.outside(path):
                link = _link_out(path, self.root)
                raise PressgenError(link, None, f"a link to {link.resolve()}, outside the project; pressgen reads "
                                    "only the project's own files: copy the catalog here instead of linking to it")
            self._cache[path] = read_catalog(path, lang) if path.exists() else None
            if self._cache[path] is not None and self.rekey is not None and path.name == "messages.po":
                _under_keys_of_today(self._cache[path], self.rekey)
        return self._cache[path]

    def forget(self, path: Path) -> None:
        """Drop a catalog read before (a release's, once its versions are translated)."""
        self._cache.pop(path, None)
        self._glossaries.pop(path, None)

    def messages(self, lang: str, *, as_translated: bool = False) -> Catalog:
        """Template and office messages: the project's, falling back to the bundled catalog
        where the project's has no translation, or a fuzzy one (never published). With
        ``as_translated`` (status), a fuzzy message of the project's stays, fuzzy: it is the
        translator's work in progress, whatever pressgen's own translation of it."""
        own = self.load(messages_path(self.root, lang), lang)
        bundled_path = messages_path(theme.PACKAGE_DIR, lang)
        bundled = self.load(bundled_path, lang) if bundled_path != messages_path(self.root, lang) else None
        merged = Catalog(locale=babel_locale(lang), fuzzy=False)
        shadowed = set()
        for source in (bundled, own):
            for message in source or ():
                if message.id and (is_translated(message) or (as_translated and source is own and message.fuzzy)
                                   or merged.get(message.id, message.context) is None):
                    # Catalog.__setitem__ merges into an existing entry and keeps its
                    # translation: remove it first so the project's wins.
                    merged.delete(message.id, message.context)
                    merged[message.id] = message
                elif source is own and message.fuzzy:
                    shadowed.add((_key(message.id), message.context))
        merged.pressgen_shadowed = shadowed  # type: ignore[attr-defined]
        return merged

    def release(self, lang: str, release_id: str) -> Catalog | None:
        return self.load(release_catalog_path(self.root, lang, release_id), lang)

    def glossary(self, lang: str) -> Glossary:
        path = glossary_path(self.root, lang)
        if path not in self._glossaries:
            self._glossaries[path] = glossary_terms(self.load(path, lang), path)
        return self._glossaries[path]


def translations(catalog: Catalog) -> gettext.NullTranslations:
    """A gettext Translations object for Jinja, compiled in memory by Babel."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


# --- catalogs update -----------------------------------------------------------


def extract_template_messages(root: Path, config: Config) -> Catalog:
    """Messages of the effective templates and the office texts of pressgen.yaml."""
    template = Catalog(fuzzy=False, creation_date=_EPOCH)
    errors = Collector()
    for rel, path in theme.template_files(root).items():
        try:
            found = list(
                extract_from_file(
                    babel_extract, path, keywords=_KEYWORDS, comment_tags=("NOTE:", "Translators:"),
                    options=_EXTRACT_OPTIONS, strip_comment_tags=True,
                )
            )
        except TemplateSyntaxError as exc:
            errors.add(path, exc.lineno, f"template syntax error: {exc.message}")
            continue
        for lineno, message, comments, context in found:
            template.add(message, None, [(f"templates/{rel}", lineno)], auto_comments=comments, context=context)
    for text in config.texts():
        _add_text(template, text, "pressgen.yaml")
    errors.raise_if_any()
    return template


def extract_release_messages(release: Release, root: Path) -> Catalog:
    template = Catalog(fuzzy=False, creation_date=_EPOCH)
    location = release.source.path.resolve().relative_to(root.resolve()).as_posix()
    for text in release.texts():
        _add_text(template, text, location)
    return template


def _add_text(template: Catalog, text: Text, location: str) -> None:
    existing = template.get(text.value, text.context)
    if existing is not None:
        existing.locations.append((location, text.line))
        return
    template.add(text.value, None, [(location, text.line)], auto_comments=[text.note] if text.note else [], context=text.context)


def update_catalog(path: Path, lang: str, template: Catalog, header: str, fill: HeaderFill, stamp: str,
                   prefill: Catalog | None = None, memory: Memory | None = None,
                   start_from: Path | None = None, rekey: Callable[[str], str] | None = None,
                   published: dict[tuple[str | None, str], str] | None = None) -> bool:
    """Create or merge one catalog with Babel's update; True if the file changed.

    A changed source text keeps its old translation as fuzzy with the previous
    msgid (#|); removed texts become obsolete (#~). A text that comes back to
    one this catalog had approved gets that translation back, approved. Any other
    new or changed message, and any untranslated one, is offered the best match
    of the translation memory, fuzzy, with a comment naming where it comes from.
    A translated, non-fuzzy message is never changed. The file is rewritten only
    when its content changes, so an update with nothing new leaves git clean,
    also after Poedit or Weblate saved it with their own line wrapping. The header
    is filled from ``fill`` (see poheader), with ``stamp`` as POT-Creation-Date when
    the messages changed. A new catalog starts from ``start_from`` if given (the catalog
    of the same release under its old id), as if it were that file. ``rekey`` gives an office
    text's msgctxt under its organisation's key of today (Config.office_context). ``published``:
    each (msgctxt, msgid) that went out with its translation (published/<lang>.messages.yaml),
    which a text that comes back to it gets back, approved, as one this catalog had approved.
    """
    before = None
    if not _emptied(path):
        catalog = read_catalog(path, lang, mend=True)
        before = None if getattr(catalog, "pressgen_mended", False) else render_po(catalog)
    elif start_from is not None:
        catalog = read_catalog(start_from, lang, mend=True)
        catalog.header_comment = header  # it names the release's id and record
    else:
        catalog = Catalog(locale=babel_locale(lang), header_comment=header, creation_date=_EPOCH, fuzzy=False)
    if rekey is not None:
        _under_keys_of_today(catalog, rekey)
    # CLDR's rule, as the file writes it if it says the same (Weblate writes 'plural=n != 1;'):
    # each side putting its own spelling back would rewrite the file at every turn.
    plural_forms = gettext_plural_forms(lang)
    written_forms = dict(getattr(catalog, "pressgen_header", [])).get("Plural-Forms", "").strip()
    if written_forms and same_plural_rule(written_forms, lang):
        plural_forms = written_forms
    catalog.mime_headers = [("Plural-Forms", plural_forms)]
    # Babel's update drops the previous msgid of a message that is still fuzzy
    # from an earlier run; the translator needs it until the review is done.
    previous = {(m.id, m.context): m.previous_id for m in catalog if m.previous_id}
    # Taken before the update: Babel's fuzzy matching consumes the entry a
    # reverted text is matched with, and its previous msgid with it.
    approved = _approved_translations(catalog)
    # What went out, too: two office texts swapped and swapped back came back fuzzy, each offered
    # by the memory from the other (a trial), though each is the translation that went out.
    for (context, msgid), text in (published or {}).items():
        approved.setdefault((msgid, context), text)
    pending = {m.id: m for m in catalog if m.id and m.fuzzy}
    existing = {(m.id, m.context) for m in catalog if m.id}
    # Each msgid's contexts before the update: Babel's fuzzy match may take a message of another
    # field ('foundation: name' for a new 'foundation: contact role'), which msgmerge names
    # with '#| msgctxt' and Babel does not.
    old_contexts: dict[str, set[str | None]] = {}
    for m in catalog:
        if m.id:
            old_contexts.setdefault(m.id if isinstance(m.id, str) else m.id[0], set()).add(m.context)
    # Babel's update adopts the template's Message objects; a copy keeps the
    # languages from sharing (and overwriting) each other's translations.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=False, update_header_comment=False, keep_user_comments=True, update_creation_date=False)
    for message in catalog:
        if message.id and not any(location.startswith("templates/") for location, _line in message.locations):
            # Babel flags any text with a '%' as python-format; a release or office text has no
            # placeholders, and with the flag GNU msgfmt refuses '%95'inden' for '95%'.
            message.flags.discard("python-format")
        if message.fuzzy and not message.previous_id and (message.id, message.context) in previous:
            message.previous_id = previous[message.id, message.context]
        elif (message.id, message.context) not in existing and message.previous_id and message.previous_id[0] in pending:
            # Babel matched this new text with a message still waiting for review:
            # its string was approved, if ever, for that message's previous msgid
            # (as msgmerge keeps it), not for its msgid.
            message.previous_id = list(pending[message.previous_id[0]].previous_id)
    # Babel offers the translation of the same text under another msgctxt ('Press Office' as
    # 'kazinform: contact name' for 'turksoy: contact name'), fuzzy, with a '#| msgid' that is
    # the msgid itself, which tells the translator nothing: the memory offers it below instead,
    # saying where it comes from.
    for message in catalog:
        if message.fuzzy and (message.id, message.context) not in existing and message.previous_id == [message.id]:
            message.previous_id = []
        elif message.previous_id and (message.id, message.context) not in existing \
                and getattr(message, "previous_context", None) is None:
            contexts = old_contexts.get(message.previous_id[0], set())
            if len(contexts) == 1 and None not in contexts and message.context not in contexts:
                message.previous_context = next(iter(contexts))  # type: ignore[attr-defined]
    restored = _own_earlier_text(catalog, existing)
    # New, changed or untranslated: what may be filled in. A fuzzy message left
    # from an earlier run is the translator's work in progress.
    open_ = [m for m in catalog if m.id and ((m.id, m.context) not in existing or not _has_string(m))]
    for message in open_:
        known = approved.get((message.id, message.context))
        if known is not None:
            # Byte for byte a text this catalog had approved: restore it as it was.
            message.string = known
            message.flags.discard("fuzzy")
            message.previous_id = []
            continue
        earlier = catalog.obsolete.get((message.id, message.context) if message.context else message.id)
        if earlier is not None and earlier.fuzzy and _has_string(earlier) and isinstance(message.id, str):
            # Its own obsolete entry, still waiting for review: back as it was, fuzzy, with the
            # text it was approved for (msgmerge brings it back so).
            message.string, message.flags = earlier.string, message.flags | {"fuzzy"}
            message.previous_id = list(earlier.previous_id or ())
            message.previous_context = getattr(earlier, "previous_context", None)  # type: ignore[attr-defined]
            message.user_comments = list(earlier.user_comments)
    # An offer of the memory that is, byte for byte, what went out for this very text was approved
    # then (not a translator's own fuzzy flag): a trial's key renamed without former_keys, then named
    # in them, left every office text fuzzy for good.
    for message in catalog:
        if message.id and message.fuzzy and _memory_comments(message.user_comments) \
                and published and published.get((message.context, message.id)) == message.string:
            message.flags.discard("fuzzy")
            message.previous_id = []
    # Approved, or restored just now: the translator's translation. A comment of the memory that
    # said where an offer came from (a catalog that may be gone since) goes with the review;
    # so does one left on a translation approved before its source changed now.
    for message in catalog:
        if message.id and _memory_comments(message.user_comments) and (is_translated(message) or (
                message.previous_id and (message.previous_id[0], getattr(message, "previous_context", None)
                                         or message.context) in approved)):
            message.user_comments = _without_memory_comments(message.user_comments)
    if prefill is not None:
        # pressgen's own translation of a template message beats an empty entry, and
        # beats Babel's fuzzy guess from a similar message ('Press releases' from
        # 'Press release'); not a translator's fuzzy one, left from before.
        for message in open_:
            if not message.string or message.fuzzy:
                known = prefill.get(message.id, message.context)
                if is_translated(known):
                    message.string = known.string
                    message.flags.discard("fuzzy")
                    message.previous_id = []
    # A text that is live again is no longer obsolete (msgmerge keeps one entry too).
    for key in [key for key in catalog.obsolete if catalog.get(*_split_key(key)) is not None]:
        del catalog.obsolete[key]
    if memory is not None:
        for message in open_:
            if isinstance(message.id, str) and not is_translated(message) and (message.id, message.context) not in restored:
                _offer_from_memory(message, memory)
    written = getattr(catalog, "pressgen_header", [])
    if catalog.charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        # Written in UTF-8, as Poedit and Weblate write: a legacy charset (ISO-8859-9) lacks
        # letters pressgen's own texts have ('–'), and a text it cannot hold is lost. Compared
        # in UTF-8 with what it was, so that the new encoding alone is no change of its messages
        # (a trial's POT-Creation-Date moved).
        if before is not None:
            before = before.decode(catalog.charset, "replace").encode("utf-8")
        catalog.charset = "utf-8"
        written = [(name, "text/plain; charset=UTF-8" if name == "Content-Type" else value) for name, value in written]

    def render(created: str) -> bytes:
        catalog.pressgen_header = merge_header(written, catalog.mime_headers, fill, created)  # type: ignore[attr-defined]
        return render_po(catalog)

    return _write_stamped(path, before, written, render, stamp)


def _write_stamped(path: Path, before: bytes | None, written: list[tuple[str, str]], render, stamp: str) -> bool:
    """Write ``render(POT-Creation-Date)`` if it differs from ``before``; a catalog keeps its
    creation date until its content changes, so that an update with nothing new writes nothing."""
    after = render(dict(written).get("POT-Creation-Date") or stamp)
    if after == before or (before is not None and _entries(after) == _entries(before)):
        return False  # the same messages, however the last editor wrapped or ordered them (msgcat -s)
    # The '#|' lines and the memory's comment of a message no longer fuzzy dropped (as msgmerge
    # drops the first) change no message: written with its date as it was. Nor does the header
    # alone (Project-Id-Version follows the organisation's short name: a trial's edit and revert
    # of it moved the date of every release catalog of the organisation for good).
    if written and (before is None or _entries(after, previous=False)[1] != _entries(before, previous=False)[1]):
        after = render(stamp)
    if before is not None and path.is_file():
        after = _as_the_file_wraps(after, path.read_bytes())
    return write_if_changed(path, after)


def _as_the_file_wraps(after: bytes, raw: bytes) -> bytes:
    """``after`` with what did not change as the file ``raw`` has it: as its translator's tool
    wrapped it, which render_po does not keep. A trial's one-line msgstrs, left so by Poedit or
    an editor, were re-wrapped at 76 columns whenever another entry (or the header alone)
    changed: a diff of lines no one touched. And the file's line endings (a Windows editor's CRLF).

    Each entry of ``after`` is paired with the file's entry of the same msgctxt and msgid, in
    whatever order the file has them (`msgcat --sort-output`), and each of its parts (a keyword
    and its strings, its references) that reads the same unwrapped is written as the file has it:
    an entry whose references moved keeps its msgstr as wrapped."""
    crlf = b"\r\n" in raw and raw.count(b"\r\n") == raw.count(b"\n")
    if crlf:
        raw = raw.replace(b"\r\n", b"\n")
    header, *entries = after.rstrip(b"\n").split(b"\n\n")
    header = _header_as_the_file_wraps(header, raw.split(b"\n\n", 1)[0])
    own = {_entry_key(entry): entry for entry in raw.rstrip(b"\n").split(b"\n\n")[1:]}
    kept = [_entry_as_the_file_wraps(entry, own.get(_entry_key(entry))) for entry in entries]
    # The file's own ending too: a blank line after the last entry (Babel's) or none (GNU's).
    end = raw[len(raw.rstrip(b"\n")):] or after[len(after.rstrip(b"\n")):]
    result = b"\n\n".join([header, *kept]) + end
    return result.replace(b"\n", b"\r\n") if crlf else result


_KEYWORD_LINE = re.compile(rb'^(#~ ?)?(#\| ?)?(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ')
_STRING_LINE = re.compile(rb'^(#~ ?)?(#\| ?)?"')


def _parts(entry: bytes) -> list[list[bytes]]:
    """An entry's lines in parts: a keyword with its strings' lines, its references' lines
    together, each other comment alone."""
    parts: list[list[bytes]] = []
    for line in entry.split(b"\n"):
        if _STRING_LINE.match(line) and parts and _KEYWORD_LINE.match(parts[-1][0]):
            parts[-1].append(line)
        elif line.startswith(b"#:") and parts and parts[-1][0].startswith(b"#:"):
            parts[-1].append(line)
        else:
            parts.append([line])
    return parts


def _part_reads(part: list[bytes]) -> bytes:
    """What a part says, however wrapped: references as their list, strings joined."""
    if part[0].startswith(b"#:"):
        return b" ".join(b" ".join(line[2:].split()) for line in part)
    return _unwrapped(b"\n".join(part))


def _entry_key(entry: bytes) -> bytes:
    """An entry's msgctxt and msgid (and whether obsolete), as read, whatever the wrapping."""
    return b"\n".join(_part_reads(part) for part in _parts(entry)
                      if (found := _KEYWORD_LINE.match(part[0])) and not found.group(2)
                      and found.group(3) in (b"msgctxt", b"msgid"))


def _entry_as_the_file_wraps(entry: bytes, own: bytes | None) -> bytes:
    if own is None or own == entry:
        return own or entry
    theirs: dict[bytes, list[list[bytes]]] = {}
    for part in _parts(own):
        theirs.setdefault(_part_reads(part), []).append(part)
    lines = []
    for part in _parts(entry):
        same = theirs.get(_part_reads(part))
        lines.extend(same.pop(0) if same else part)
    return b"\n".join(lines)


def _header_as_the_file_wraps(header: bytes, raw: bytes) -> bytes:
    """``header`` (the header entry as render_po writes it) with each field the file ``raw``'s
    header has unchanged as the file has it: a trial's Plural-Forms, on one line as Poedit left
    it, was wrapped again at 76 columns whenever the creation date moved."""
    def fields(entry: bytes) -> tuple[list[bytes], list[list[bytes]]]:
        lines = entry.split(b"\n")
        start = next((n + 1 for n, line in enumerate(lines) if line.startswith(b"msgstr ")), len(lines))
        groups: list[list[bytes]] = []
        for line in lines[start:]:
            if not groups or groups[-1][-1].endswith(b'\\n"'):
                groups.append([])
            groups[-1].append(line)
        return lines[:start], groups

    head, ours = fields(header)
    theirs = {_unwrapped(b"\n".join(group)): group for group in fields(raw)[1]}
    return b"\n".join([*head, *(line for group in ours for line in theirs.get(_unwrapped(b"\n".join(group)), group))])


_CONTINUED = re.compile(rb'"\n(?:#[|~] ?)?"')
"""Where a string goes on in the next line (also in '#|' and '#~' lines): wrapping, nothing else."""


def _unwrapped(entry: bytes) -> bytes:
    return _CONTINUED.sub(b"", entry)


_MEMORY_LINES = re.compile(rb"(?m)^# Translation memory:.*\n(?:# (?:\S+\.po,?(?: sentence \d+)?|sentence \d+)\n)?")
"""A comment of the memory (tm.COMMENT_PREFIX), with its tail if Babel wrapped it (_MEMORY_TAIL)."""


def _entries(po: bytes, previous: bool = True) -> tuple[bytes, list[bytes]]:
    """A rendered catalog as its header and its entries in sorted order (without their '#|'
    lines, the previous strings, the memory's comments and their references, unless
    ``previous``: what the messages say, by which their creation date moves)."""
    if not previous:
        po = _MEMORY_LINES.sub(b"", re.sub(rb"(?m)^#[|:].*\n", b"", po))
    header, *entries = po.split(b"\n\n")
    return header, sorted(entries)


def _has_string(message: Message) -> bool:
    return any(message.string) if isinstance(message.string, (list, tuple)) else bool(message.string)


def _split_key(key: str | tuple[str, str]) -> tuple[str, str | None]:
    return key if isinstance(key, tuple) else (key, None)


def _approved_translations(catalog: Catalog) -> dict[tuple[str, str | None], str]:
    """(msgid, msgctxt) -> translation, for each text this catalog has approved:
    its translated, non-fuzzy messages; each fuzzy message's previous msgid, for
    which its string was approved (unless the memory offered that string); and
    its obsolete entries. In that order of precedence."""
    approved: dict[tuple[str, str | None], str] = {}
    for message in catalog:
        if message.id and isinstance(message.id, str) and is_translated(message):
            approved[message.id, message.context] = message.string
    for message in catalog:
        if (message.id and isinstance(message.id, str) and message.fuzzy and message.previous_id
                and message.string and not _memory_comments(message.user_comments)):
            approved.setdefault((message.previous_id[0], message.context), message.string)
    for message in catalog.obsolete.values():
        if message.id and isinstance(message.id, str) and is_translated(message):
            approved.setdefault((message.id, message.context), message.string)
    return approved


def _offer_from_memory(message: Message, memory: Memory) -> None:
    """Fill in the memory's best match, fuzzy, with where it comes from; unless
    Babel's guess (the old version of this very message) is at least as close."""

    match = memory.lookup(message.id, message.context)
    if match is None:
        return
    if message.string and message.previous_id:
        # Babel matched the old version of this very message: the translator sees what
        # changed (#|), and a revert restores the approved translation.
        return
    message.string = match.target
    message.flags.add("fuzzy")
    message.previous_id = []
    message.user_comments = _without_memory_comments(message.user_comments) + match.comments()


_MEMORY_TAIL = re.compile(r"^(\S+\.po,?( sentence \d+)?|sentence \d+)$")
"""The rest of a memory comment that Babel wrapped onto a line of its own."""


def _memory_comments(comments: list[str]) -> list[str]:
    return [c for c in comments if c not in _without_memory_comments(comments)]


def _without_memory_comments(comments: list[str]) -> list[str]:
    """Translator comments less those the memory wrote. A long one comes back from
    the file as two: Babel wraps comments at spaces, which leaves the catalog's
    path, the last word, alone on the next line."""
    from .tm import COMMENT_PREFIX

    kept: list[str] = []
    after_memory = False
    for comment in comments:
        if comment.startswith(COMMENT_PREFIX):
            after_memory = True
            continue
        if after_memory and _MEMORY_TAIL.match(comment):
            continue
        after_memory = False
        kept.append(comment)
    return kept


_WIDTH = 79


def render_po(catalog: Catalog) -> bytes:
    """The catalog as a .po file that GNU msgfmt --check and msgcat accept.

    Babel writes everything but the previous strings. Its write_po (2.19)
    formats '#| msgid' by running the comment TextWrapper over normalize()'s
    output, which already holds line breaks, so a wrapped previous msgid comes
    out as '#| msgid "" "At the … General' / '#| Düsen " "Kaseinov …': lines
    GNU gettext rejects (end-of-line within string, keyword unknown) and
    Babel's own reader takes for comments. (No Babel issue names the writer
    side; #206 is about reading '#|' lines.) So Babel writes without them and
    they are inserted here as GNU msgmerge writes them: '#| msgctxt', '#| msgid'
    and '#| msgid_plural', each string on its own '#| "…"' line, right above the
    entry's msgctxt or msgid (after its '#,' flags, where GNU wants them).
    """
    saved = catalog.obsolete
    # Babel's update keeps an obsolete entry when its text comes back, next to the
    # active one; GNU gettext rejects the pair as a duplicate definition.
    obsolete = [m for m in saved.values() if catalog.get(m.id, m.context) is None]
    # Written here, as the '#|' lines are: Babel's normalize counts the '#~ ' prefix once per
    # word, and cut a trial's obsolete texts into lines of 40 columns.
    catalog.obsolete = {}
    buffer = io.BytesIO()
    try:
        write_po(buffer, catalog, width=_WIDTH, include_previous=False, sort_output=False)
    finally:
        catalog.obsolete = saved
    text = buffer.getvalue().decode(catalog.charset)
    out: list[str] = []
    messages = iter(list(catalog))
    opens = True  # the next msgctxt or msgid line opens the next message
    for line in text.split("\n"):
        if opens and line.startswith(("msgctxt ", "msgid ")):
            out.extend(_previous_lines(next(messages), getattr(catalog, "pressgen_previous_contexts", {})))
            opens = False
        elif line.startswith("msgstr"):
            opens = True
        out.append(line + "\n")
    rendered = "".join(out)[:-1]
    if obsolete:
        rendered = rendered.rstrip("\n") + "\n\n" + "\n".join(_obsolete_lines(m, catalog.num_plurals) for m in obsolete)
    header = getattr(catalog, "pressgen_header", None)
    if header:
        rendered = with_header(rendered, header, _WIDTH)
    return rendered.encode(catalog.charset, "backslashreplace")


def _previous_lines(message: Message, contexts: dict) -> list[str]:
    if not message.previous_id:
        return []
    fields = list(zip(("msgid", "msgid_plural"), message.previous_id))
    context = getattr(message, "previous_context", None)
    if context is None and message.id:
        known = contexts.get((_key(message.id), message.context))
        if known and known[0] == list(message.previous_id):
            context = known[1]
    if context is not None:
        fields.insert(0, ("msgctxt", context))
    return [_prefixed("#| ", keyword, text) for keyword, text in fields]


def _prefixed(prefix: str, keyword: str, text: str) -> str:
    r"""A keyword and its string on lines that start with ``prefix`` ('#| ', '#~ ', '#~| '),
    wrapped as GNU msgmerge wraps them: on one line if it fits in 79 columns, prefix and quotes
    included, and holds no line break but at its end; else the keyword with "" and the string
    on lines of their own, each broken after a space (which stays at the end of its line) or
    after a '
'. Babel's normalize starts the next line with the space, and a catalog moved
    between msgmerge and pressgen changed at every turn (a trial).

    >>> print(_prefixed("#~ ", "msgid", "Short."), end="")
    #~ msgid "Short."
    >>> print(_prefixed("#~| ", "msgid", "Each release is a web page and a PDF ready to send to journalists by email."), end="")
    #~| msgid ""
    #~| "Each release is a web page and a PDF ready to send to journalists by "
    #~| "email."
    >>> print(_prefixed("#| ", "msgid", "Line one\nline two"), end="")
    #| msgid ""
    #| "Line one\n"
    #| "line two"
    """
    escaped = escape(text)[1:-1]
    head = f"{prefix}{keyword} "
    width = _WIDTH
    if "\\n" not in escaped.removesuffix("\\n") and len(head) + len(escaped) + 2 <= width:
        return f'{head}"{escaped}"\n'
    lines, chunk = [f'{head}""'], ""
    for token in _GNU_TOKEN.findall(escaped):
        if chunk and (chunk.endswith("\\n") or len(prefix) + len(chunk) + len(token) + 2 > width):
            lines.append(f'{prefix}"{chunk}"')
            chunk = ""
        chunk += token
    if chunk:
        lines.append(f'{prefix}"{chunk}"')
    if len(lines) == 2 and len(lines[1]) > width and "\\n" not in escaped.removesuffix("\\n"):
        return f'{head}"{escaped}"\n'  # no place to break it, nor room on a line of its own: as it is
    return "\n".join(lines) + "\n"


_GNU_TOKEN = re.compile(r"(?:\\.|(?<![^\W\d_])-(?![^\W\d_])|[^\\ -])*?(?:\\n|[ ]+|(?<=[^\W\d_])-(?=[^\W\d_])|$)")
"""Where GNU breaks a line: after a word's spaces, after an escaped line break, or after a hyphen
between letters (Turkic-|speaking), as Unicode's line breaking allows."""


def _obsolete_lines(message: Message, plurals: int) -> str:
    """An obsolete entry as msgmerge writes it ('#~ msgid …'), wrapped as it wraps it: one
    still waiting for review keeps its '#, fuzzy' and its previous msgid ('#~| msgid'), so that
    it comes back fuzzy with its text (a trial's came back approved, and went out)."""
    lines = [f"# {comment}\n" for comment in message.user_comments]
    flags = sorted(message.flags - {"python-format"})  # Babel's guess from a '%' (update_catalog)
    if flags:
        lines.append(f"#, {', '.join(flags)}\n")
    previous = list(message.previous_id or ())
    if previous and getattr(message, "previous_context", None):
        lines.append(_prefixed("#~| ", "msgctxt", message.previous_context))  # type: ignore[attr-defined]
    for keyword, text in zip(("msgid", "msgid_plural"), previous):
        lines.append(_prefixed("#~| ", keyword, text))
    if message.context:
        lines.append(_prefixed("#~ ", "msgctxt", message.context))
    if isinstance(message.id, (list, tuple)):
        lines += [_prefixed("#~ ", "msgid", message.id[0]), _prefixed("#~ ", "msgid_plural", message.id[1])]
        strings = list(message.string) if isinstance(message.string, (list, tuple)) else [message.string or ""]
        lines += [_prefixed("#~ ", f"msgstr[{n}]", strings[n] if n < len(strings) else "") for n in range(plurals)]
    else:
        lines.append(_prefixed("#~ ", "msgid", message.id))
        lines.append(_prefixed("#~ ", "msgstr", message.string or ""))
    return "".join(lines)


def update_catalogs(root: Path, config: Config, releases: list[Release], now: dt.datetime | None = None,
                    broken: list[PressgenError] | None = None,
                    started_from: dict[Path, Path] | None = None) -> list[Path]:
    """`pressgen catalogs update`: every target language's catalogs; returns the files written.

    A release catalog about to be created starts from an orphan catalog of the same
    release (its id changed: see orphans.Predecessors), else from the translation the
    version was last published with (the catalog was deleted); ``started_from`` gets each
    such new catalog and the orphan or snapshot it started from.

    ``now`` is the POT-Creation-Date of the catalogs whose messages change. A catalog that
    cannot be read (what GNU gettext would reject, and the update cannot mend) is left as
    it is and the others are updated: one translator's broken file holds up no one else.
    Its problems go to ``broken``, or are raised once the others are written."""
    from .orphans import Predecessors
    from .published import snapshot_path
    from .tm import Memory, build_memories

    stamp = creation_stamp(now)
    office = _OfficeHeader(config)
    written: list[Path] = []
    template = extract_template_messages(root, config)
    unreadable = Collector()
    # Read once, before any catalog is written: every catalog gets the same memory,
    # whatever the order they are updated in.
    memories = build_memories(root, config, releases, broken=unreadable)
    skip = {Path(error.path).resolve() for error in unreadable.errors if error.path}

    predecessors = Predecessors(root, config, unreadable, skip)

    def update(path: Path, *args) -> None:
        if path.resolve() in skip:
            return  # reported already, as the memory was read
        try:
            if update_catalog(path, *args):
                written.append(path)
        except PressgenError as exc:
            unreadable.extend(exc)

    bundled = Catalogs(theme.PACKAGE_DIR)
    for lang in config.languages:
        if lang == TEMPLATE_LANGUAGE:
            continue
        name = english_name(lang)
        header = (
            f"# {name} translations of the templates and office texts.\n"
            "# Edit with Poedit, Weblate or a text editor; run `pressgen status` to see what is left."
        )
        prefill = bundled.messages(lang) if root.resolve() != theme.PACKAGE_DIR else None
        path = messages_path(root, lang)
        memory = memories.get((TEMPLATE_LANGUAGE, lang), Memory())
        update(path, lang, template, header, office.fill(lang, office.name), stamp, prefill, memory, None,
               config.office_context, _went_out(root, lang, config))
    translated_contacts = {lang: _office_contacts(root, lang) if messages_path(root, lang).resolve() not in skip
                           else None for lang in config.languages if lang != TEMPLATE_LANGUAGE}
    pairs: dict[tuple[str, str], Catalog | None] = {}

    def contacts(source: str, lang: str) -> Catalog | None:
        if (source, lang) not in pairs:
            pairs[source, lang] = _contacts_between(translated_contacts, source, lang)
        return pairs[source, lang]

    for release in releases:
        release_template = extract_release_messages(release, root)
        for lang in config.languages:
            if lang == release.lang:
                continue
            name = english_name(lang)
            header = (
                f"# {name} translation of the release '{release.id}'.\n"
                f"# Source: {release.source.path.name} ({english_name(release.lang)}).\n"
                "# Each message is one field; msgctxt names it, '#.' notes say more."
            )
            path = release_catalog_path(root, lang, release.id)
            memory = memories.get((release.lang, lang), Memory())
            fill = office.fill(lang, office.release_project(release), office.release_contact(release))
            # An emptied one (a tool's failed save: no header, nothing) as a deleted one.
            gone = _emptied(path)
            start_from = None if not gone else predecessors.find(lang, release_template, release.former_ids)
            prefill, seed = contacts(release.lang, lang), start_from
            if gone:
                # Deleted (or lost in a merge) after the version went out: made again from the
                # translation as published, every text that has not changed since approved;
                # also beside a former id's catalog, which may be older than what went out
                # since (a trial found an approved paragraph fuzzy again, from before an edit).
                before = len(unreadable.errors)
                published = _published_catalog(root, lang, release.id, unreadable)
                if len(unreadable.errors) > before:
                    continue  # not made without what went out: made from it once it is restored (a trial)
                if published is not None:
                    prefill = _with(published, prefill)
                    seed = start_from or snapshot_path(root, lang, release.id)
            update(path, lang, release_template, header, fill, stamp, prefill, memory, start_from)
            if seed is not None and started_from is not None and path in written:
                started_from[path] = seed
    if broken is None:
        unreadable.raise_if_any()
    else:
        broken.extend(unreadable.errors)
    return written


def _went_out(root: Path, lang: str, config: Config) -> dict[tuple[str | None, str], str]:
    """The office texts and labels as last published in ``lang`` (published/<lang>.messages.yaml),
    by (msgctxt, msgid); none if it cannot be read (the build names it)."""
    from .publishedmessages import messages_memory_path, read_messages_memory

    try:
        return dict(read_messages_memory(messages_memory_path(root, lang), lang, config.office_context).translations)
    except PressgenError:
        return {}


def _under_keys_of_today(catalog: Catalog, rekey: Callable[[str], str]) -> None:
    """The office texts of a renamed organisation ('foundation: name', its key now a former key
    of 'silkroad') under its key of today, their translations and flags as they were: the same
    texts, which a translator approved (a trial's rename made every one fuzzy, and its pages
    showed them in English until approved again)."""
    for message in list(catalog):
        context = message.context
        if not message.id or not context or (now := rekey(context)) == context or catalog.get(message.id, now):
            continue
        catalog.delete(message.id, context)
        message.context = now
        catalog[message.id] = message


def _own_earlier_text(catalog: Catalog, existing: set) -> set[tuple[str, str]]:
    """An office text of one per organisation ('turksoy: dateline', 'turksoy: about') that Babel
    matched with another field's translation ('#| msgctxt'; or the same text's, whose '#|' was
    cleared for the memory to offer), or left untranslated, while its own earlier text went obsolete: starts from its
    own, as msgmerge's translators expect and its pages keep meanwhile (a trial saw an edited
    dateline offered a contact's role). Returns the (msgid, msgctxt) of each, which the memory
    leaves as they are."""
    own: dict[str, list] = {}
    for key, old in catalog.obsolete.items():
        if old.context and ": " in old.context and single_valued(old.context) and _has_string(old) \
                and isinstance(old.id, str):
            own.setdefault(old.context, []).append(key)
    restored = set()
    for message in catalog:
        context = message.context
        if not (message.id and isinstance(message.id, str) and context in own
                and len(own[context]) == 1 and (message.id, context) not in existing):
            continue
        offered = message.fuzzy and (not message.previous_id
                                     or getattr(message, "previous_context", None) not in (None, context))
        # Or none offered: a short name edited to the agency's name was left empty (a trial).
        if not (offered or not _has_string(message)):
            continue
        earlier = catalog.obsolete.pop(own[context][0])
        message.flags.add("fuzzy")
        message.string, message.previous_id = earlier.string, [earlier.id]
        message.previous_context = None  # type: ignore[attr-defined]
        restored.add((message.id, context))
    return restored


def _emptied(path: Path) -> bool:
    """Whether a catalog is missing, or a file with nothing but white space in it (told by its
    size alone when it is large: an archive has 20,000 catalogs)."""
    try:
        size = path.stat().st_size
        return size == 0 or (size < 4096 and not path.read_bytes().strip())
    except FileNotFoundError:
        return True


def _published_catalog(root: Path, lang: str, release_id: str, unreadable: Collector) -> Catalog | None:
    """The translation of a version as last published (published/<lang>/<id>.yaml), if it went out."""
    from .published import read_snapshot, snapshot_path

    try:
        snapshot = read_snapshot(snapshot_path(root, lang, release_id))
    except PressgenError as exc:
        unreadable.extend(exc)
        return None
    return snapshot.catalog() if snapshot is not None else None


def _with(catalog: Catalog, more: Catalog | None) -> Catalog:
    """``catalog`` with the messages of ``more`` it does not have."""
    for message in more or ():
        if message.id and catalog.get(message.id, message.context) is None:
            catalog.add(message.id, message.string, context=message.context)
    return catalog


class _OfficeHeader:
    """What the office config says in catalog headers (see poheader)."""

    def __init__(self, config: Config):
        self.config = config
        orgs = config.organisations.values()
        self.name = ", ".join(org.short_name.value for org in orgs) or "pressgen"
        """The project of messages.po: the organisations whose texts it holds ('TÜRKSOY, Kazinform')."""
        self.contact = config.mail.sender if config.mail else next(
            (c.email for org in orgs for c in org.contacts if c.email), "")
        """The office's address: mail.from, else the first press contact's."""

    def fill(self, lang: str, project: str, contact: str | None = None) -> HeaderFill:
        language = english_name(lang)
        team = f"{language} <{self.contact}>" if self.contact else language
        return HeaderFill(project=project, contact=contact or self.contact, team=team,
                          replaces_team=(language, f"{language} <{EXAMPLE_CONTACT}>"))

    def release_project(self, release: Release) -> str:
        org = self.config.organisations.get(release.organisation)
        project = f"{org.short_name.value} {release.id}" if org else release.id
        return f"{project} v{release.version}" if release.version else project

    def release_contact(self, release: Release) -> str | None:
        """The release's press contact (its own, else its organisation's): who wrote its texts."""
        org = self.config.organisations.get(release.organisation)
        contacts = release.contacts or (org.contacts if org else ())
        return next((c.email for c in contacts if c.email), None)


def _contacts_between(office: dict[str, Catalog | None], source: str, lang: str) -> Catalog | None:
    """The office catalog's press contacts (``office``: by language, from the English of
    messages.po) as a record written in ``source`` names them, translated into ``lang``: a
    Kazakh record's 'Баспасөз қызметі' is the office's 'Press Office', 'Basın Ofisi' in Turkish."""
    if source == TEMPLATE_LANGUAGE:
        return office.get(lang)
    spoken = office.get(source)
    if spoken is None:
        return None
    known = Catalog(locale=babel_locale(lang))
    target = office.get(lang)
    for message in spoken:
        if lang == TEMPLATE_LANGUAGE:
            translation = message.id  # the office catalog's msgids are its English
        else:
            found = target.get(message.id, message.context) if target is not None and message.id else None
            translation = found.string if found is not None else None
        if message.id and translation and known.get(message.string, message.context) is None:
            known.add(message.string, translation, context=message.context)
    return known


def _office_contacts(root: Path, lang: str) -> Catalog | None:
    """A record's own press contacts as the office catalog already translates them
    ('Press Office' under 'turksoy: contact name' serves 'contact name'), so a name
    is not translated anew, and differently, in every release."""
    path = messages_path(root, lang)
    if not path.exists():
        return None
    known = Catalog(locale=babel_locale(lang))
    for message in read_catalog(path, lang):
        field = (message.context or "").rpartition(": ")[2]
        if field in ("contact name", "contact role") and is_translated(message) and not message.fuzzy:
            known.add(message.id, message.string, context=field)
    return known
