"""Release + catalog -> the release in another language, and what is missing.

A language version is published only from a complete translation: every
message translated and none fuzzy. What is missing is reported with the
catalog's file and line, so a translator can go straight to it.
"""

from __future__ import annotations

import gettext
import hashlib
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher, get_close_matches
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from babel.messages.catalog import Catalog, Message

from markupsafe import Markup, escape

from .catalogs import (TEMPLATE_LANGUAGE, glossary_path, is_translated, offered_from_another, own_previous_msgid,
                       previous_msgid, read_catalog, single_valued, translations)
from .errors import PressgenError
from .gaps import Gap, start_catalogs_hint
from .lang import bcp47
from .model import Organisation, Release, Text
from .polines import flag_line, msgstr_line
from .qa import (ENGLISH, Glossary, PairGlossary, Problem, compile_pair, glossary_terms, message_problems, pair_terms,
                 split_waived, waivers)
from .tm import COMMENT_PREFIX

if TYPE_CHECKING:
    from .publishedmessages import PublishedMessages


def sole_of_context(catalog: Catalog | None, context: str | None) -> Message | None:
    """The catalog's one message with this msgctxt, if only one has it and its field holds one
    text (single_valued): an office text's msgctxt names its field ('office: about'), whatever
    its text."""
    if catalog is None or not context or not single_valued(context):
        return None
    found = [message for message in catalog if message.id and message.context == context]
    return found[0] if len(found) == 1 else None


def message_label(msgid: str | tuple, context: str | None) -> str:
    """How a message is named in a problem: "paragraph 'The signing ceremony…'".

    >>> message_label("Over the next two weeks, more than three hundred artists will perform", "paragraph")
    "paragraph 'Over the next two weeks, more than three…'"
    """
    text = msgid if isinstance(msgid, str) else msgid[0]
    # A problem is one line: a text's own line breaks are spaces here.
    short = _short(text.replace("\n", " "), 48)
    return f"{context} '{short}'" if context else f"'{short}'"


def what_changed(old: str, new: str) -> str:
    """The words that differ between a text and its new version, a word either side, each
    change of the first three: a long paragraph's label shows its beginning, which an edit
    rarely touches.

    >>> what_changed("It brings together works from six regions of the country.",
    ...              "It brings together works from seven regions of the country.")
    "'from six regions' → 'from seven regions'"
    >>> what_changed("More than two hundred artists from eleven countries.",
    ...              "More than three hundred artists from twelve countries.")
    "'than two hundred' → 'than three hundred', 'from eleven countries.' → 'from twelve countries.'"
    """
    before, after = old.split(), new.split()
    changes = [op for op in SequenceMatcher(None, before, after, autojunk=False).get_opcodes() if op[0] != "equal"]
    shown = []
    for _, i1, i2, j1, j2 in changes[:3]:
        was, now = " ".join(before[max(i1 - 1, 0):i2 + 1]), " ".join(after[max(j1 - 1, 0):j2 + 1])
        shown.append(f"'{_short(was)}' → '{_short(now)}'")
    more = len(changes) - len(shown)
    return ", ".join(shown) + (f" and {more} more change{'s' if more > 1 else ''}" if more else "")


def changed_from(text: str, earlier: list[str]) -> str:
    """what_changed against the text of ``earlier`` most like ``text`` (the same field's texts
    before an edit), or '' when none is close."""
    close = closest(text, earlier)
    return what_changed(close[0], text) if close else ""


def closest(text: str, earlier: list[str]) -> list[str]:
    """The text of ``earlier`` most like ``text``, that an edit made it from; none when none is close."""
    return get_close_matches(text, [other for other in earlier if other != text], n=1, cutoff=0.75)


def _short(text: str, most: int = 40) -> str:
    """``text`` in at most ``most`` characters, cut at a word's end (unless that is too early)."""
    if len(text) <= most:
        return text
    cut = text[:most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[most * 5 // 8:] else cut).rstrip() + "…"


class Reviewer:
    """Decides whether one message is publishable in a language: translated, not
    fuzzy, and passing the QA checks and the glossary (qa.py), less what the
    message's flags waive.

    The glossary checked is the pair's, source_lang -> lang, derived from both
    languages' glossaries (qa.pair_terms).
    """

    def __init__(self, lang: str, glossary: Glossary | None = None, source_lang: str = ENGLISH,
                 source_glossary: Glossary | None = None):
        self.lang = lang
        self.glossary = glossary if glossary is not None else Glossary(lang)
        """The target language's glossary."""
        self.source_lang = source_lang
        self.source_glossary = source_glossary
        """The source language's glossary; None: read it from beside the catalog (see pair)."""
        self._pairs: dict[Path | None, PairGlossary] = {}
        self._pair_of: dict[Path | None, PairGlossary] = {}
        """By catalog path: finding its project root (pathlib's parents) cost more than the checks."""

    def for_source(self, source_lang: str) -> Reviewer:
        """The reviewer of texts written in ``source_lang`` (a release's own language)."""
        if source_lang == self.source_lang:
            return self
        return Reviewer(self.lang, self.glossary, source_lang)

    def pair(self, path: Path | None) -> PairGlossary:
        """The compiled terms of source_lang -> lang, made once per reviewer.

        The builder hands a Reviewer the target language's glossary only (build.py's
        Reviewer(lang, catalogs.glossary(lang))); the source language's is read from
        the locales folder that holds the catalog at ``path``.
        """
        if path in self._pair_of:
            return self._pair_of[path]
        locales = _locales_root(path)
        if locales not in self._pairs:
            source = self.source_glossary
            if source is None:
                source = glossary_beside(locales, self.source_lang) if locales else Glossary(self.source_lang)
            terms = pair_terms(self.source_lang, source, self.lang, self.glossary)
            self._pairs[locales] = compile_pair(terms, self.source_lang, self.lang)
        self._pair_of[path] = self._pairs[locales]
        return self._pairs[locales]

    def assess(self, message, path: Path | None) -> tuple[list[Problem], list[Problem]]:
        """(problems that stand, problems the message's flags waive) of a translated message."""
        found = message_problems(message)
        if isinstance(message.id, str) and isinstance(message.string, str) and message.string and not message.fuzzy:
            found += self.pair(path).problems(message.id, message.string)
        return split_waived(found, waivers(message))

    def gaps(self, catalog: Catalog | None, path: Path, msgid: str, context: str | None) -> list[Gap]:
        """Why a message's translation cannot be published: none, or one gap, or one mistake for
        each of its QA problems (as `pressgen check` names them)."""
        # Or a messages.po not made yet, of a language pressgen ships no labels for: one line, not a
        # line for each label (a trial's Russian before its first update).
        if catalog is None or (not len(catalog) and not path.exists()):
            return [Gap(path, None, f"catalog missing; {start_catalogs_hint('it')}", "catalog")]
        message = catalog.get(msgid, context)
        label = message_label(msgid, context)
        if message is None:
            # 'changed': an office text edited in pressgen.yaml, its translation still under the old text.
            kind = "changed" if is_translated(sole_of_context(catalog, context)) else "untranslated"
            # Or a text of the release edited since the catalog was updated: what changed in it.
            earlier = [m.id for m in catalog if isinstance(m.id, str) and m.id and m.context == context]
            change = changed_from(msgid, earlier)
            change = f" (its source changed: {change})" if change else ""
            return [Gap(path, None, f"{label} is not in the catalog{change}; run `pressgen catalogs update`",
                        "changed" if change else kind)]
        # Each at what the translator edits: the flag to remove, the msgstr to write or mend.
        if message.fuzzy:
            return [Gap(path, flag_line(path, message.lineno, "fuzzy"), f"{label} is fuzzy: {_why_fuzzy(message, catalog)}; "
                        "check the translation and remove the fuzzy flag", "fuzzy")]
        if not is_translated(message):
            return [Gap(path, msgstr_line(path, message.lineno), f"{label} is not translated")]
        problems, _waived = self.assess(message, path)
        line = msgstr_line(path, message.lineno) if problems else None
        return [Gap(path, line, f"{label} {problem}", "mistake") for problem in problems]


MSGCAT_MARK = "#-#-#-#-#"
"""What msgcat writes above each translation of a message it merged from several catalogs."""


def _why_fuzzy(message, catalog: Catalog) -> str:
    """What made a message fuzzy, as the translator sees it in the catalog: an offer of the
    translation memory (its comment says from where), a source that changed (its '#|' lines),
    the translation of another message offered (its '#|' lines name one the catalog has), or
    someone's flag."""
    if isinstance(message.string, str) and MSGCAT_MARK in message.string:
        # msgcat's merge of catalogs that translate a message differently (a trial's read
        # 'marked for review', and then 'has 3 line breaks where the source has 0').
        return (f"msgcat merged several translations into it, each under a '{MSGCAT_MARK}' line: keep the one you "
                "want, without those lines")
    # '#|' lines first: a memory's comment left on a translation approved since (Poedit keeps
    # it) says nothing of why it is fuzzy now that its source changed.
    if message.previous_id:
        previous = previous_msgid(message)
        if offered_from_another(message, catalog):
            # msgmerge and `catalogs update` offer a similar message's translation for a new one.
            other = getattr(message, "previous_context", None)
            return f"the translation of a similar message was offered ({message_label(previous, other)})"
        current = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        change = what_changed(previous, current) if previous else ""
        return f"its source changed{f': {change}' if change else ''} ('#|' shows the old text)"
    if any(comment.startswith(COMMENT_PREFIX) for comment in message.user_comments):
        return "the translation memory offered it (its comment says from where)"
    return "marked for review"


def _locales_root(path: Path | None) -> Path | None:
    """The project root of a catalog: root/locales/<lang>/(LC_MESSAGES|releases)/<name>.po."""
    if path is None or len(path.parents) < 4 or path.parents[2].name != "locales":
        return None
    return path.parents[3]


def glossary_beside(root: Path, lang: str) -> Glossary:
    """The glossary of ``lang`` in the project at ``root``, read again only when it changed."""
    path = glossary_path(root, lang)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Glossary(lang)
    return _read_glossary(path, lang, hashlib.sha256(data).hexdigest())


@lru_cache(maxsize=32)
def _read_glossary(path: Path, lang: str, digest: str) -> Glossary:
    return glossary_terms(read_catalog(path, lang), path)


@dataclass(frozen=True)
class StandIn(Text):
    """Source text standing in for a translation that is missing (drafts only).

    Jinja's autoescape calls __html__, so every place a template prints a Text
    marks it, without the templates having to know.
    """

    source_lang: str = "en"

    def __html__(self) -> Markup:
        return self.mark(escape(self.value))

    def mark(self, html: Markup) -> Markup:
        """``html`` (this text, formatted) marked as the source standing in."""
        return Markup('<span class="untranslated" lang="{}">{}</span>').format(bcp47(self.source_lang), html)


@dataclass(frozen=True)
class Fuzzy(Text):
    """A fuzzy message's translation, standing in for the one under review (drafts only):
    closer to the final text than the source, but marked, since the source changed
    since it was written (or a translator asked for a review).

    Unlike a StandIn it is in the page's language, so typesetting and hyphenation
    treat it as such.
    """

    lang: str = ""
    reason: str = "changed"
    """Why it waits, as _why_fuzzy tells the translator: 'changed' (its source changed: '#|'
    lines), 'offered' (the translation of a similar message: its '#|' lines name another),
    'marked' (fuzzy by hand: its source is what it was)."""

    def __html__(self) -> Markup:
        return self.mark(escape(self.value))

    def mark(self, html: Markup) -> Markup:
        """``html`` (this text, formatted) marked as a translation to review."""
        # TODO(issue 12): the label is English; a localised one needs a template message.
        return Markup('<span class="fuzzy" lang="{}" title="{}">{}</span>').format(
            bcp47(self.lang), FUZZY_LABELS[self.reason], html)

    @staticmethod
    def of(message, catalog: Catalog, text: Text, lang: str) -> Fuzzy:
        """The draft of ``text``: its fuzzy ``message``'s translation, marked with why it waits."""
        reason = ("offered" if offered_from_another(message, catalog) else "changed") if message.previous_id else "marked"
        return Fuzzy(message.string, text.line, text.context, text.note, lang=lang, reason=reason)


@dataclass(frozen=True)
class OfficeText(Text):
    """An office text (pressgen.yaml) in a page's language, whose gaps count for the page that
    prints it, when it prints it: reading its value is printing it (a template, a filter, the
    JSON-LD). A wire item prints no 'about' and a statement no dateline; neither waits for one
    it does not show (a trial found every statement held back by an edited dateline)."""

    gaps: tuple = field(default=(), compare=False, repr=False)
    interface: Interface | None = field(default=None, compare=False, repr=False)
    source_lang: str | None = None
    """The source's language, when its text is shown for a translation never published: a page
    in another language names it (lang=), for a screen reader and for hyphenation."""

    def __html__(self) -> Markup:
        return self.mark(escape(self.value))

    def mark(self, html: Markup) -> Markup:
        """``html`` (this text, formatted), in its own language if that is not the page's."""
        if self.source_lang is None:
            return html
        return Markup('<span lang="{}">{}</span>').format(bcp47(self.source_lang), html)

    def __getattribute__(self, name: str):
        if name == "value":
            own = object.__getattribute__(self, "__dict__")
            if own.get("gaps") and own.get("interface") is not None:
                own["interface"].count(own["gaps"])
        return object.__getattribute__(self, name)


FUZZY_LABELS = {"changed": "Needs review: the source text changed since this translation",
                "offered": "Needs review: the translation of a similar message, offered",
                "marked": "Needs review: marked for review"}


def localize_release(release: Release, lang: str, catalog: Catalog | None, path: Path,
                     reviewer: Reviewer | None = None) -> tuple[Release, list[Gap]]:
    """The release with its texts in ``lang``; what is not publishable is listed as a gap
    and stands in for its translation: a fuzzy message's translation as a Fuzzy, any
    other as the source text, a StandIn."""
    if lang == release.lang:
        return release, []
    reviewer = (reviewer or Reviewer(lang)).for_source(release.lang)
    gaps: list[Gap] = []
    strays: dict[str | None, list] | None = None

    def translate(text: Text) -> Text:
        nonlocal strays
        found = reviewer.gaps(catalog, path, text.value, text.context)
        if found and found[0].line is None and catalog is not None and " is not in the catalog" in found[0].message:
            if strays is None:
                strays = _strays(release, catalog)
            found = [_not_in_the_catalog(found[0], strays.get(text.context, []), text, path)]
        if found:
            gaps.extend(gap for gap in found if gap not in gaps)
            previous = catalog.get(text.value, text.context) if found[0].kind == "fuzzy" else None  # type: ignore[union-attr]
            if previous is not None and isinstance(previous.string, str) and previous.string:
                return Fuzzy.of(previous, catalog, text, lang)
            return StandIn(text.value, text.line, text.context, text.note, source_lang=release.lang)
        return text.with_value(catalog.get(text.value, text.context).string)  # type: ignore[union-attr]

    return release.map_texts(translate, lang), gaps


def _strays(release: Release, catalog: Catalog) -> dict[str | None, list]:
    """The catalog's messages no text of the release has, by msgctxt."""
    texts = {(text.context, text.value) for text in release.texts()}
    found: dict[str | None, list] = {}
    for message in catalog:
        if message.id and isinstance(message.id, str) and (message.context, message.id) not in texts:
            found.setdefault(message.context, []).append(message)
    return found


def _not_in_the_catalog(gap: Gap, strays: list, text: Text, path: Path) -> Gap:
    """A text not in the catalog, told from the catalog's messages its record does not have
    (``strays``, of the text's field): its source changed, from one of them; or one of them is
    a translator's text typed over its msgid (a trial's, told to run `catalogs update`, which
    moved the approved translation out of reach), named at its line with both ways out. Only
    those: Reviewer.gaps, which sees the catalog alone, took another paragraph of the record
    for this one's earlier text."""
    label = message_label(text.value, text.context)
    change = changed_from(text.value, [message.id for message in strays])
    if change:
        return Gap(path, None, f"{label} is not in the catalog (its source changed: {change}); run `pressgen "
                   "catalogs update`", "changed")
    if len(strays) == 1:
        stray = strays[0]
        shown = stray.id if len(stray.id) <= 40 else stray.id[:40].rsplit(" ", 1)[0] + "…"
        return Gap(path, stray.lineno, f"{label} is not in the catalog, and the {text.context or 'message'} at "
                   f"this line is not in the record ('{shown}'): if its msgid was edited, put the record's text "
                   "back there (the translation goes in msgstr); if the record changed, run `pressgen catalogs "
                   "update`", "changed" if is_translated(stray) else "untranslated")
    kind = gap.kind if gap.kind != "changed" else "untranslated"
    return Gap(path, None, f"{label} is not in the catalog; run `pressgen catalogs update`", kind)


class Interface:
    """The gettext callables for templates and office texts in one language.

    Records every message a render asks for that the catalog cannot give, so
    the build knows a version is not ready without a separate pass.
    """

    def __init__(self, lang: str, catalog: Catalog, path: Path, reviewer: Reviewer | None = None,
                 published: Callable[[], PublishedMessages] | None = None):
        self.lang = lang
        self.catalog = catalog
        self.path = path
        self.reviewer = reviewer or Reviewer(lang)
        self.is_source = lang == TEMPLATE_LANGUAGE
        self.translations: gettext.NullTranslations = (
            gettext.NullTranslations() if self.is_source else translations(catalog)
        )
        self._published = published
        """The language's labels and office texts as last published (publishedmessages.py), asked
        for when first needed: a message waiting for its translator shows its published
        translation, on a page served as published as on the newsroom's and in its feeds."""
        self._shadowed: set[tuple[str, str | None]] = getattr(catalog, "pressgen_shadowed", set())
        """Labels whose own translation waits (fuzzy) while pressgen's stands in (Catalogs.messages)."""
        self.gaps: list[Gap] = []
        self._gaps_of: dict[tuple[str, str | None], list[Gap]] = {}
        """Each label's verdict, decided once: every page asks for the same few dozen labels,
        and the catalog does not change while this interface lives (one build)."""
        self._previously: dict[tuple[str, str | None], str | None] = {}
        """What _previous found for each waiting message, once a build."""

    @property
    def published(self) -> PublishedMessages | None:
        if callable(self._published):
            self._published = self._published()
        return self._published

    def _previous(self, msgid: str, context: str | None) -> str | None:
        """The translation shown for a message the catalog cannot give: its published one (not
        the catalog's fuzzy msgstr, the translator's work in progress), else none: the source."""
        if self.is_source or self.published is None:
            return None
        key = (msgid, context)
        if key not in self._previously:
            message = self.catalog.get(msgid, context)
            # Not a colleague's published name for a new contact offered theirs (own_previous_msgid).
            self._previously[key] = self.published.find(
                msgid, context, own_previous_msgid(message, self.catalog) if message is not None else None)
        return self._previously[key]

    def _usable(self, msgid: str, context: str | None = None) -> bool:
        """Whether the catalog's translation may be used; if not, the gap is recorded
        and the source text stands in (a broken placeholder must not crash a render)."""
        if self.is_source:
            return False
        found = self.gaps_of(msgid, context)
        self.count(found)
        return not found

    def gaps_of(self, msgid: str, context: str | None = None) -> list[Gap]:
        """Why the catalog's translation of a message may not be used (none: it may)."""
        key = (msgid, context)
        if key not in self._gaps_of:
            found = self.reviewer.gaps(self.catalog, self.path, msgid, context)
            if found and self._previous(msgid, context) is not None:
                # Shown as it went out meanwhile: the build says so, not "in English" (a trial).
                found = [replace(gap, went_out=True) for gap in found]
            self._gaps_of[key] = found
        return self._gaps_of[key]

    def gettext(self, message: str) -> str:
        if self._usable(message):
            return self._kept(message, None) or self.translations.gettext(message)
        return self._previous(message, None) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self._usable(singular):
            return self.translations.ngettext(singular, plural, n)
        return singular if n == 1 else plural

    def pgettext(self, context: str, message: str) -> str:
        return self._shown(message, context, not self._usable(message, context))

    def _shown(self, msgid: str, context: str, waits: bool) -> str:
        """What a page shows of a message in a context: its translation, or for one that ``waits``
        its published translation, else its source."""
        if waits:
            return self._previous(msgid, context) or msgid
        return self._kept(msgid, context) or self.translations.pgettext(context, msgid)

    def _kept(self, msgid: str, context: str | None) -> str | None:
        """For a label pressgen's translation stands in for while the office's own is fuzzy:
        the office's translation that went out, if any (not pressgen's, which did not)."""
        if (msgid, context) not in self._shadowed or self.published is None:
            return None
        return self.published.exact(msgid, context)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        if self._usable(singular, context):
            return self.translations.npgettext(context, singular, plural, n)
        return singular if n == 1 else plural

    def text(self, text: Text | None, draft: bool = False) -> Text | None:
        """An office text (from pressgen.yaml) in this language; in a ``draft``, one under its
        fuzzy flag is the translator's draft, marked as a release's fuzzy text is."""
        if text is None:
            return None
        if self.is_source:
            return text
        found = self.gaps_of(text.value, text.context)
        if draft and found:
            self.count(found)
            message = self.catalog.get(text.value, text.context)
            if message is not None and message.fuzzy and isinstance(message.string, str) and message.string:
                return Fuzzy.of(message, self.catalog, text, self.lang)
        shown = self._shown(text.value, text.context, bool(found))
        in_source = bool(found) and shown == text.value and self._previous(text.value, text.context) is None
        return OfficeText(shown, text.line, text.context, text.note, gaps=tuple(found), interface=self,
                          source_lang=TEMPLATE_LANGUAGE if in_source else None)

    def count(self, gaps) -> None:
        """Gaps of the page being rendered (render_release resets the list for each page)."""
        self.gaps.extend(gap for gap in gaps if gap not in self.gaps)

    def organisation(self, org: Organisation, draft: bool = False) -> Organisation:
        def text(value: Text | None) -> Text | None:
            return self.text(value, draft)

        contacts = tuple(replace(c, name=text(c.name), role=text(c.role)) for c in org.contacts)
        sender = replace(org.sender, name=text(org.sender.name)) if org.sender else None
        return replace(org, name=text(org.name), short_name=text(org.short_name), about=text(org.about),
                       credit=text(org.credit), dateline=text(org.dateline), contacts=contacts,
                       sender=sender, reference_label=text(org.reference_label))
