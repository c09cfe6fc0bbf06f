"""locales/*.po -> checked Babel catalogs; and `pressgen catalogs update`.

Two kinds of catalog per language, both plain gettext for Poedit and Weblate:

  locales/<lang>/LC_MESSAGES/messages.po   template labels and office texts
  locales/<lang>/releases/<id>.po          one release's texts, one message per field

pressgen reads .po through Babel at build time; no compiled .mo is kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import gettext
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import PoFileError, read_po, unescape, write_po
from jinja2 import TemplateSyntaxError
from jinja2.ext import babel_extract

from . import theme
from .errors import Collector, PressgenError
from .fsutil import write_if_changed
from .lang import babel_locale
from .model import Config, Release, Text
from .qa import Term, glossary_terms

if TYPE_CHECKING:
    from .tm import Memory

LOCALES_DIR = "locales"
TEMPLATE_LANGUAGE = "en"
"""The language of the msgids in templates."""

# A fixed creation date for catalogs pressgen creates, so that running
# `catalogs update` twice, or on two machines, writes the same bytes.
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
    return root / LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def release_catalog_path(root: Path, lang: str, release_id: str) -> Path:
    return root / LOCALES_DIR / lang / "releases" / f"{release_id}.po"


def glossary_path(root: Path, lang: str) -> Path:
    """The translators' glossary: source terms (msgid) and their rendering (msgstr)."""
    return root / LOCALES_DIR / lang / "glossary.po"


def gettext_plural_forms(lang: str) -> str:
    """Plural-Forms from CLDR, in the form Weblate and msginit write.

    Babel's legacy table says ``nplurals=1`` for Turkish; CLDR has one/other.

    >>> gettext_plural_forms("tr")
    'nplurals=2; plural=(n != 1);'
    >>> gettext_plural_forms("kk")
    'nplurals=2; plural=(n != 1);'
    """
    from babel.plural import to_gettext

    rule = to_gettext(babel_locale(lang).plural_form)
    expr = rule.split("plural=", 1)[1].rstrip(";")
    plural = gettext.c2py(expr)
    if all(plural(n) == int(n != 1) for n in range(1000)):
        return "nplurals=2; plural=(n != 1);"
    return rule


# --- reading -----------------------------------------------------------------


def read_catalog(path: Path, lang: str) -> Catalog:
    """Parse a .po with Babel, strictly; a syntax error names the file and line."""
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=babel_locale(lang), abort_invalid=True)
    except PoFileError as exc:
        # Babel counts lines from 0.
        raise PressgenError(path, exc.lineno + 1, f"invalid PO syntax: {exc.args[0].rsplit(' on ', 1)[0]}") from None
    except LookupError as exc:
        # The header names a charset Python does not know.
        line = next((n for n, text in enumerate(path.read_bytes().splitlines(), 1) if b"charset=" in text), None)
        raise PressgenError(path, line, f"{exc}; the Content-Type header should say charset=UTF-8") from None
    except Exception as exc:  # noqa: BLE001
        # Babel's parser crashes on some damaged headers (found by tests/test_fuzz.py);
        # whatever it raises, the file is what is wrong.
        raise PressgenError(path, None, f"cannot read this catalog ({type(exc).__name__}: {exc}); "
                            "check its header against another catalog, or run `msgfmt --check` on it") from None
    for message in catalog:
        _recover_previous_id(message)
    return catalog


def _recover_previous_id(message: Message) -> None:
    """Read '#| msgid' lines back into previous_id.

    Babel's read_po keeps them as user comments ('| msgid "…"'), and writing
    those back would turn '#|' into '# |' on every update. Two forms are read:
    gettext's, one string per line ('#| msgid ""', '#| "…"'), and the one
    Babel's write_po gives a long previous msgid, whose strings it wraps like
    comment text ('#| msgid "" "At the ceremony … General', '#| Düsen " "…').
    Babel breaks those lines only at spaces, so joining them with one space
    gives the strings back.
    """
    previous: list[list[str]] = []
    kept: list[str] = []
    current: list[str] | None = None
    for comment in message.user_comments:
        if comment.startswith("| msgid ") or comment.startswith("| msgid_plural "):
            current = [comment.split(" ", 2)[2]]
            previous.append(current)
        elif comment.startswith("| ") and current is not None and not comment.startswith("| msgctxt "):
            current.append(comment[2:])
        else:
            kept.append(comment)
            current = None
    if previous:
        message.previous_id = [_po_strings(" ".join(parts)) for parts in previous]
        message.user_comments = kept


_PO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _po_strings(text: str) -> str:
    r"""The concatenated value of the PO string literals in ``text``.

    >>> _po_strings('"" "took place in the" " Gulustan \\"Palace\\""')
    'took place in the Gulustan "Palace"'
    """
    return "".join(unescape(literal) for literal in _PO_STRING.findall(text))


def unescape_multiline(parts: list[str]) -> str:
    return "".join(unescape(part.strip()) for part in parts)


def is_translated(message: Message | None) -> bool:
    if message is None or message.fuzzy:
        return False
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


@dataclass
class Catalogs:
    """The project's catalogs, read once each and checked as they are read."""

    root: Path

    def __post_init__(self) -> None:
        self._cache: dict[Path, Catalog | None] = {}

    def load(self, path: Path, lang: str) -> Catalog | None:
        if path not in self._cache:
            self._cache[path] = read_catalog(path, lang) if path.exists() else None
        return self._cache[path]

    def messages(self, lang: str) -> Catalog:
        """Template and office messages: the project's, falling back to the bundled catalog."""
        own = self.load(messages_path(self.root, lang), lang)
        bundled_path = messages_path(theme.PACKAGE_DIR, lang)
        bundled = self.load(bundled_path, lang) if bundled_path != messages_path(self.root, lang) else None
        merged = Catalog(locale=babel_locale(lang), fuzzy=False)
        for source in (bundled, own):
            for message in source or ():
                if message.id and (is_translated(message) or merged.get(message.id, message.context) is None):
                    # Catalog.__setitem__ merges into an existing entry and keeps its
                    # translation: remove it first so the project's wins.
                    merged.delete(message.id, message.context)
                    merged[message.id] = message
        return merged

    def release(self, lang: str, release_id: str) -> Catalog | None:
        return self.load(release_catalog_path(self.root, lang, release_id), lang)

    def glossary(self, lang: str) -> list[Term]:
        return glossary_terms(self.load(glossary_path(self.root, lang), lang))


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


def update_catalog(path: Path, lang: str, template: Catalog, header: str, project: str,
                   prefill: Catalog | None = None, memory: Memory | None = None) -> bool:
    """Create or merge one catalog with Babel's update; True if the file changed.

    A changed source text keeps its old translation as fuzzy with the previous
    msgid (#|); removed texts become obsolete (#~). A text that comes back to
    one this catalog had approved gets that translation back, approved. Any other
    new or changed message, and any untranslated one, is offered the best match
    of the translation memory, fuzzy, with a comment naming where it comes from.
    A translated, non-fuzzy message is never changed. The file is rewritten only
    when its content changes, so an update with nothing new leaves git clean,
    also after Poedit or Weblate saved it with their own line wrapping.
    """
    before = None
    if path.exists():
        catalog = read_catalog(path, lang)
        before = render_po(catalog)
    else:
        catalog = Catalog(
            locale=babel_locale(lang), header_comment=header, project=project, version=None,
            creation_date=_EPOCH, fuzzy=False, language_team=f"{babel_locale(lang).get_display_name('en')}",
            msgid_bugs_address="", last_translator="",
        )
    catalog.mime_headers = [("Plural-Forms", gettext_plural_forms(lang))]
    # Babel's update drops the previous msgid of a message that is still fuzzy
    # from an earlier run; the translator needs it until the review is done.
    previous = {(m.id, m.context): m.previous_id for m in catalog if m.previous_id}
    # Taken before the update: Babel's fuzzy matching consumes the entry a
    # reverted text is matched with, and its previous msgid with it.
    approved = _approved_translations(catalog)
    pending = {m.id: m for m in catalog if m.id and m.fuzzy}
    existing = {(m.id, m.context) for m in catalog if m.id}
    # Babel's update adopts the template's Message objects; a copy keeps the
    # languages from sharing (and overwriting) each other's translations.
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=False, update_header_comment=False, keep_user_comments=True, update_creation_date=False)
    for message in catalog:
        if message.fuzzy and not message.previous_id and (message.id, message.context) in previous:
            message.previous_id = previous[message.id, message.context]
        elif (message.id, message.context) not in existing and message.previous_id and message.previous_id[0] in pending:
            # Babel matched this new text with a message still waiting for review:
            # its string was approved, if ever, for that message's previous msgid
            # (as msgmerge keeps it), not for its msgid.
            message.previous_id = list(pending[message.previous_id[0]].previous_id)
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
            message.user_comments = _without_memory_comments(message.user_comments)
    if prefill is not None:
        # pressgen's own translation of a template message beats an empty entry, and
        # beats Babel's fuzzy guess from a similar message ('Press releases' from
        # 'Press release').
        for message in catalog:
            if message.id and (not message.string or message.fuzzy):
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
            if isinstance(message.id, str) and not is_translated(message):
                _offer_from_memory(message, memory)
    after = render_po(catalog)
    if after == before:
        return False  # the same messages, however the last editor wrapped them
    return write_if_changed(path, after)


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
    from .tm import similarity

    match = memory.lookup(message.id, message.context)
    if match is None:
        return
    if message.string and message.previous_id and similarity(message.previous_id[0], message.id) >= match.score:
        return
    message.string = match.target
    message.flags.add("fuzzy")
    message.previous_id = []
    message.user_comments = _without_memory_comments(message.user_comments) + match.comments()


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
        if after_memory and " " not in comment and comment.endswith(".po"):
            continue
        after_memory = False
        kept.append(comment)
    return kept


def render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=79, include_previous=True, sort_output=False)
    return buffer.getvalue()


def update_catalogs(root: Path, config: Config, releases: list[Release]) -> list[Path]:
    """`pressgen catalogs update`: every target language's catalogs; returns the files written."""
    from .tm import Memory, build_memories

    written: list[Path] = []
    template = extract_template_messages(root, config)
    # Read once, before any catalog is written: every catalog gets the same memory,
    # whatever the order they are updated in.
    memories = build_memories(root, config, releases)
    bundled = Catalogs(theme.PACKAGE_DIR)
    for lang in config.languages:
        if lang == TEMPLATE_LANGUAGE:
            continue
        name = babel_locale(lang).get_display_name("en")
        header = (
            f"# {name} translations of the templates and office texts.\n"
            "# Edit with Poedit, Weblate or a text editor; run `pressgen status` to see what is left."
        )
        prefill = bundled.messages(lang) if root.resolve() != theme.PACKAGE_DIR else None
        path = messages_path(root, lang)
        memory = memories.get((TEMPLATE_LANGUAGE, lang), Memory())
        if update_catalog(path, lang, template, header, "messages", prefill, memory):
            written.append(path)
    contacts = {lang: _office_contacts(root, lang) for lang in config.languages if lang != TEMPLATE_LANGUAGE}
    for release in releases:
        release_template = extract_release_messages(release, root)
        for lang in config.languages:
            if lang == release.lang:
                continue
            name = babel_locale(lang).get_display_name("en")
            header = (
                f"# {name} translation of the release '{release.id}'.\n"
                f"# Source: {release.source.path.name} ({babel_locale(release.lang).get_display_name('en')}).\n"
                "# Each message is one field; msgctxt names it, '#.' notes say more."
            )
            path = release_catalog_path(root, lang, release.id)
            memory = memories.get((release.lang, lang), Memory())
            if update_catalog(path, lang, release_template, header, release.id, contacts.get(lang), memory):
                written.append(path)
    return written


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
