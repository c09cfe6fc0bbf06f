"""Quality checks on translations, as Weblate and Pology run them.

Each check takes a source text and its translation and says what is wrong,
in words a translator can act on. A translation with a problem is not
published (translate.py treats it like a missing one), and `pressgen check`
reports every problem as `file:line: message`.

Every problem belongs to a named check, named as Weblate names its checks, so
that a translator can waive one check for one message with Weblate's flag
(`#, ignore-end-stop`) when the source's wording is right and the check is not.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from babel.messages.catalog import Catalog, Message

from . import lang as L
from .errors import PressgenError
from .hyphenate import is_address
from .records import LIMITS, in_quotation_marks, typed_marks

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>|&#?\w+;")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("«", "»"), ("“", "”"), ("„", "“"))
_PAIR_MARKS = frozenset("".join(o + c for o, c in _PAIRS))


def _balanced(text: str, opening: str, closing: str) -> bool:
    """Whether ``text`` closes each ``opening`` it has. “ is both the English and Turkish
    opening mark and the German closing one (“…”, „…“): each „ takes a “ to close it, and
    the other “ open English quotes.

    >>> _balanced("“Biz hazırız.” dedi", "„", "“"), _balanced("„Wir sind bereit“", "“", "”")
    (True, True)
    >>> _balanced("„Wir", "“", "”"), _balanced("„Wir", "„", "“"), _balanced("“Biz", "„", "“")
    (True, False, True)
    """
    german_closes = min(text.count("„"), text.count("“"))
    if (opening, closing) == ("„", "“"):
        return german_closes == text.count("„")
    if (opening, closing) == ("“", "”"):
        return text.count("“") - german_closes == text.count("”")
    return text.count(opening) == text.count(closing)
_FINAL = ".!?:;…"
_CLOSERS = "\"'»”’)]"


def placeholders(text: str) -> list[str]:
    """
    >>> placeholders("About %(organisation)s, page {page}")
    ['%(organisation)s', '{page}']
    """
    return sorted(_PLACEHOLDER.findall(text))



class Problem(str):
    """What is wrong, in words (a str, as every caller prints it), and the check that says so."""

    check: str

    def __new__(cls, text: str, check: str) -> Problem:
        problem = super().__new__(cls, text)
        problem.check = check
        return problem

    def __reduce__(self):
        # Problems travel to PDF worker processes inside gaps.
        return (Problem, (str(self), self.check))


# The final marks _final() knows, and Weblate's check for each.
_END_CHECKS = {".": "end-stop", "!": "end-exclamation", "?": "end-question", ":": "end-colon",
               ";": "end-semicolon", "…": "end-ellipsis"}


MAX_GROWTH, MAX_SLACK = 3, 200
"""A translation may always be MAX_GROWTH times as long as its source, plus MAX_SLACK
characters, and as long as a record's text of its kind may be (records.LIMITS): far
more than any language needs."""


def check_translation(source: str, translation: str, limit: int | None = None) -> list[Problem]:
    """Problems of one translation against its source text; ``limit`` is the longest text
    its field may hold in a record (records.LIMITS), which a translation may reach too.

    Each says what to do, and how to waive a check where the language differs (see WAIVABLE).

    >>> check_translation("About %(organisation)s", "Hakkında")
    ["drops the placeholder '%(organisation)s'; put it back, where your language needs it: pressgen fills it in"]
    >>> print(*check_translation("Press release.", "Basın bülteni"))
    ends without the source's final '.'; end with it too, or flag the message '#, ignore-end-stop' where your language ends otherwise
    >>> [p.check for p in check_translation("Press release.", "Basın bülteni")]
    ['end-stop']
    >>> check_translation("Hello", "<b>Merhaba</b>")
    ["adds markup '<b>': write plain text, pressgen does the formatting"]
    """
    longest = max(limit or 0, MAX_GROWTH * len(source) + MAX_SLACK)
    if len(translation) > longest:
        # A pasted document, not a translation: the page and PDF would carry it all. Checked
        # first and alone, as the other checks would only scan it slowly.
        return [Problem(f"is {len(translation):,} characters long, where its source has {len(source):,}: is this "
                        f"the right text? (a translation of it is at most {longest:,} characters)", "length")]
    problems = []
    src, dst = placeholders(source), placeholders(translation)
    for missing in sorted(set(src) - set(dst)):
        problems.append(Problem(f"drops the placeholder '{missing}'; put it back, where your language needs it: "
                                "pressgen fills it in", "placeholders"))
    for extra in sorted(set(dst) - set(src)):
        problems.append(Problem(f"adds the placeholder '{extra}', which the source does not have; remove it",
                                "placeholders"))
    source_markup = set(_MARKUP.findall(source))
    for markup in dict.fromkeys(_MARKUP.findall(translation)):
        if markup not in source_markup:
            problems.append(Problem(f"adds markup '{markup}': write plain text, pressgen does the formatting",
                                    "xml-tags"))
            break
    # A text without any of the marks is balanced: most translations have none, and the
    # counting below runs for every message of every version.
    if not _PAIR_MARKS.isdisjoint(translation):
        for opening, closing in _PAIRS:
            if opening == closing:
                continue
            if _balanced(source, opening, closing) and not _balanced(translation, opening, closing):
                problems.append(Problem(f"has unbalanced {opening} {closing}; pair them as the source does",
                                        "brackets"))
    if source.count('"') % 2 == 0 and translation.count('"') % 2:
        problems.append(Problem('has an unpaired "; pair it as the source does', "brackets"))
    for end, source_end, translation_end in (("starts", source[:1], translation[:1]),
                                             ("ends", source[-1:], translation[-1:])):
        if source_end.isspace() != translation_end.isspace():
            check = "begin-space" if end == "starts" else "end-space"
            problems.append(Problem(f"{end} with a space where the source does not; remove it"
                                    if translation_end.isspace() else f"{end} without the space the source has; add it",
                                    check))
    # A record's literal block keeps its lines (an address, a title under a name): so must
    # the translation, or the page prints them run together or broken elsewhere.
    if source.count("\n") != translation.count("\n"):
        problems.append(Problem(f"has {translation.count(chr(10))} line break(s) where the source has "
                                f"{source.count(chr(10))}; break the lines where the source does "
                                "(a '\\n' ends each line in the catalog)", "newline-count"))
    # Every such word at once (a translator fixing one would otherwise meet the next at the next check).
    mixed = [found for found in mixed_script_words(translation) if found[0] not in source]
    if mixed:
        words = ", and ".join(f"'{word}', whose '{letter}' (U+{ord(letter):04X}) is a {script} letter among "
                              f"{'Cyrillic' if script == 'Latin' else 'Latin'} ones" for word, letter, script in mixed)
        problems.append(Problem(f"has the word{'s' if len(mixed) > 1 else ''} {words}, as a keyboard switched mid-word "
                                f"types {'them' if len(mixed) > 1 else 'it'}; type {'each' if len(mixed) > 1 else 'it'} "
                                "again in one alphabet, or flag the message '#, ignore-mixed-script' where "
                                f"{'they are' if len(mixed) > 1 else 'the word is'} meant so", "mixed-script"))
    end_source, end_translation = _final(source), _final(translation)
    if end_source and not end_translation:
        check = _END_CHECKS[end_source]
        problems.append(Problem(f"ends without the source's final '{end_source}'; end with it too, or flag the "
                                f"message '#, ignore-{check}' where your language ends otherwise", check))
    elif end_translation and not end_source:
        check = _END_CHECKS[end_translation]
        problems.append(Problem(f"ends with '{end_translation}' where the source has no final punctuation; remove "
                                f"it, or flag the message '#, ignore-{check}' where your language needs it", check))
    return problems


_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_CYRILLIC = "\u0400-\u052f"
_HAS_LATIN = re.compile(f"[{_LATIN}]")
_HAS_CYRILLIC = re.compile(f"[{_CYRILLIC}]")
_LETTER_RUN = re.compile(f"[{_LATIN}{_CYRILLIC}]+")


def mixed_script_words(text: str) -> list[tuple[str, str, str]]:
    """(word, letter, 'Latin' or 'Cyrillic') of each word that mixes the two alphabets, the
    letter being the first of the fewer: a Kazakh 'Көрмe' with a Latin e, which looks right,
    reads wrong to search and spell-checkers, and breaks a glossary match.

    >>> mixed_script_words("Көрмe тeгін"), mixed_script_words("TÜRKSOY мен ТҮРКСОЙ, www.turksoy.org")
    ([('Көрмe', 'e', 'Latin'), ('тeгін', 'e', 'Latin')], [])
    """
    if not (_HAS_LATIN.search(text) and _HAS_CYRILLIC.search(text)):
        return []
    found = []
    for word in dict.fromkeys(_LETTER_RUN.findall(text)):
        latin = _HAS_LATIN.findall(word)
        if latin and _HAS_CYRILLIC.search(word):
            cyrillic = _HAS_CYRILLIC.findall(word)
            found.append((word, latin[0], "Latin") if len(latin) <= len(cyrillic) else (word, cyrillic[0], "Cyrillic"))
    return found


def _final(text: str) -> str:
    """The final punctuation mark, looking through closing quotes and brackets."""
    text = text.rstrip().rstrip(_CLOSERS).rstrip()
    if text.endswith("..."):
        return "…"
    return text[-1] if text[-1:] in _FINAL else ""


def message_problems(message: Message) -> list[Problem]:
    """QA problems of a translated message (plural forms checked one by one), waived ones included."""
    if not message.id or not message.string or message.fuzzy:
        return []
    if isinstance(message.id, (list, tuple)):
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        return [p for s in strings if s for p in check_translation(message.id[1], s)]
    problems = check_translation(message.id, message.string, LIMITS.get(message.context or ""))
    if message.context == "quote" and in_quotation_marks(message.string) and not in_quotation_marks(message.id):
        # As a record's quote typed in its marks: the language's own would be added around them.
        problems.append(Problem(f"is written in its quotation marks ({typed_marks(message.string)}); leave them "
                                "out: pressgen adds the language's own", "quotation-marks"))
    return problems


# --- waivers -------------------------------------------------------------------
#
# A translator waives one check for one message with Weblate's flag for it,
# `#, ignore-<check>`, in the catalog itself: Poedit, Weblate and Babel keep the
# flags of an entry, and so does `pressgen catalogs update`.

WAIVABLE = {
    "xml-tags": "markup added by a translation",
    "brackets": "unbalanced brackets and quotes",
    "begin-space": "leading space unlike the source",
    "end-space": "trailing space unlike the source",
    "end-stop": "final full stop unlike the source",
    "end-colon": "final colon unlike the source",
    "end-question": "final question mark unlike the source",
    "end-exclamation": "final exclamation mark unlike the source",
    "end-semicolon": "final semicolon unlike the source",
    "end-ellipsis": "final ellipsis unlike the source",
    "check-glossary": "the glossary",
    "newline-count": "line breaks unlike the source",
    "mixed-script": "a word typed in two alphabets (Latin and Cyrillic)",
}
"""pressgen's checks that a flag `ignore-<name>` waives, named as Weblate names them.
Weblate has no check of brackets, so 'brackets' is pressgen's own name (Translate
Toolkit's pofilter calls its check so too), and none of words typed in two alphabets,
'mixed-script'; the others are Weblate's identifiers,
'check-glossary' included (Weblate's "Does not follow glossary")."""

REFUSED = {
    "placeholders": "a placeholder that does not match the source breaks the text pressgen fills in",
    "quotation-marks": "the language's own quotation marks are printed around a quote: typed ones print twice",
    "python-format": "a placeholder that does not match the source breaks the text pressgen fills in",
    "python-brace-format": "a placeholder that does not match the source breaks the text pressgen fills in",
    "all-checks": "waive one named check at a time (placeholders can never be waived)",
}
"""Weblate's flags that pressgen does not accept, and why."""

WEBLATE_ONLY = frozenset({
    "angularjs-format", "bbcode", "begin-newline", "c-format", "c-sharp-format", "double-space", "duplicate",
    "ellipsis", "end-interrobang", "end-newline", "es-format", "escaped-newline", "fluent-parts",
    "fluent-references", "fluent-source-inner-html", "fluent-source-syntax", "fluent-target-inner-html",
    "fluent-target-syntax", "i18next-interpolation", "icu-message-format", "inconsistent", "java-format",
    "java-printf-format", "javascript-format", "kashida", "long-untranslated", "lua-format", "max-length",
    "max-size", "md-link", "md-reflink", "md-syntax", "multiple-failures",
    "object-pascal-format", "optional-plural", "percent-placeholders", "perl-brace-format", "perl-format",
    "php-format", "plurals", "punctuation-spacing", "qt-format", "qt-plural-format", "regex", "reused",
    "rst-references", "rst-syntax", "ruby-format", "safe-html", "same", "same-plurals", "scheme-format",
    "translated", "unnamed-format", "url", "vue-format", "xml-invalid", "zero-width-space",
})
"""Weblate's own `ignore-` flags for checks pressgen does not run (docs/user/checks.rst):
a catalog that Weblate saved may carry them; they are not mistakes, and waive nothing here."""


def waivers(message: Message) -> set[str]:
    """The checks a message's flags waive: {'end-stop'} for `#, ignore-end-stop`."""
    return {flag[len("ignore-"):] for flag in message.flags
            if flag.startswith("ignore-") and flag[len("ignore-"):] in WAIVABLE}


def waiver_mistakes(message: Message) -> list[tuple[str, str]]:
    """(flag, what is wrong) for each `ignore-` flag pressgen refuses or does not know."""
    found = []
    for flag in sorted(message.flags):
        name = flag[len("ignore-"):]
        if not flag.startswith("ignore-") or name in WAIVABLE or name in WEBLATE_ONLY:
            continue
        if name in REFUSED:
            found.append((flag, f"'{flag}' is not accepted: {REFUSED[name]}"))
            continue
        # Compared without the 'ignore-' every flag shares, which would make any two look alike.
        close = difflib.get_close_matches(name, [*WAIVABLE, *WEBLATE_ONLY], n=1, cutoff=0.75)
        hint = f"; did you mean 'ignore-{close[0]}'?" if close else f"; pressgen waives {_waivable_list()}"
        found.append((flag, f"unknown waiver '{flag}'{hint}"))
    return found


def _waivable_list() -> str:
    return ", ".join(f"ignore-{name}" for name in WAIVABLE)


def split_waived(problems: Iterable[Problem], waived: set[str]) -> tuple[list[Problem], list[Problem]]:
    """(problems that stand, problems waived). A placeholder mismatch always stands."""
    stand, gone = [], []
    for problem in problems:
        (gone if problem.check in waived and problem.check in WAIVABLE else stand).append(problem)
    return stand, gone


# --- glossary ----------------------------------------------------------------
#
# A term is written once, keyed by its English msgid (and msgctxt), and each
# language's glossary.po gives its rendering. Any pair of languages is derived
# through the key: a release written in S and translated into T is checked for
# the terms both languages have, found in the source by S's rendering and
# required in the translation in T's. English needs no glossary: its form is the
# msgid; locales/en/glossary.po, when there is one, gives the English form where
# the office writes a term otherwise (in English sources both forms are found).


@dataclass(frozen=True)
class Entry:
    """One term of one language's glossary.po."""

    key: str
    """The English msgid that names the term in every language."""
    context: str | None
    rendering: str
    line: int | None


@dataclass(frozen=True)
class Glossary:
    """One language's glossary.po: its renderings of the terms, by key."""

    lang: str | None = None
    entries: tuple[Entry, ...] = ()

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True)
class Term:
    """One term of a language pair: where a source text has ``source``, the translation
    must have ``rendering`` (or one of the ``alternatives``)."""

    source: str
    rendering: str
    line: int | None = None
    alternatives: tuple[str, ...] = ()


def glossary_terms(catalog: Catalog | None, path: Path | None = None) -> Glossary:
    """The translated terms of a glossary catalog (fuzzy and empty ones are not terms yet).

    A term given twice (under two msgctxt) with two renderings is an error at the second:
    a source text does not say which of the two it means, so neither could be required."""
    if catalog is None:
        return Glossary()
    entries = tuple(Entry(m.id, m.context, m.string, m.lineno) for m in catalog
                    if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy)
    first: dict[str, Entry] = {}
    for entry in sorted(entries, key=lambda e: e.line or 0):
        seen = first.setdefault(entry.key, entry)
        if seen.rendering != entry.rendering:
            raise PressgenError(path, entry.line, f"the term '{entry.key}' is rendered '{entry.rendering}' here and "
                                f"'{seen.rendering}' on line {seen.line}; a term has one rendering in a language: "
                                "keep one of the two entries")
    return Glossary(str(catalog.locale) if catalog.locale else None, entries)


ENGLISH = "en"
"""The language of the keys (the glossaries' msgids), as of the templates' msgids."""


def pair_terms(source_lang: str, source: Glossary | None, target_lang: str, target: Glossary | None) -> tuple[Term, ...]:
    """The terms of the pair source_lang -> target_lang, derived through the keys, longest first.

    >>> tr = Glossary("tr", (Entry("Baku", "place", "Bakü", 3), Entry("Turkey", "place", "Türkiye", 4)))
    >>> kk = Glossary("kk", (Entry("Baku", "place", "Баку", 7),))
    >>> pair_terms("tr", tr, "kk", kk)
    (Term(source='Bakü', rendering='Баку', line=7, alternatives=()),)
    >>> [(t.source, t.rendering) for t in pair_terms("tr", tr, "en", None)]
    [('Türkiye', 'Turkey'), ('Bakü', 'Baku')]
    """
    source, target = source or Glossary(), target or Glossary()
    english = {(e.context, e.key): e.rendering for e in (source if source_lang == ENGLISH else target)} \
        if ENGLISH in (source_lang, target_lang) else {}

    def renderings(glossary: Glossary, lang: str) -> dict[tuple[str | None, str], tuple[list[str], int | None]]:
        if lang == ENGLISH:
            keys = dict.fromkeys((e.context, e.key) for g in (source, target) for e in g)
            forms = {}
            for key in keys:
                form = english.get(key, key[1])
                # An English source may still write the key where the office now writes
                # another form ('Turkey', 'Türkiye'): both are the term.
                forms[key] = (list(dict.fromkeys([form, key[1]])) if lang == source_lang else [form], None)
            return forms
        return {(e.context, e.key): ([e.rendering], e.line) for e in glossary}

    found = renderings(source, source_lang)
    wanted = renderings(target, target_lang)
    by_source: dict[str, list] = {}
    for key, (forms, _line) in found.items():
        if key not in wanted:
            continue
        rendering, line = wanted[key][0][0], wanted[key][1]
        for form in forms:
            # Two keys may share a form in one language (Secretary General and
            # Secretary-General are both 'Genel Sekreter'): either rendering will do.
            slot = by_source.setdefault(_loose(form, source_lang), [form, [], line])
            if rendering not in slot[1]:
                slot[1].append(rendering)
    terms = (Term(form, renderings_[0], line, tuple(renderings_[1:])) for form, renderings_, line in by_source.values())
    return tuple(sorted(terms, key=lambda t: -len(t.source)))


class PairGlossary:
    """The terms of one language pair, compiled once (a build checks thousands of messages)."""

    def __init__(self, terms: Iterable[Term], source_lang: str, target_lang: str):
        self.source_lang, self.target_lang = source_lang, target_lang
        # Each term's first word, looked for as plain text before its pattern: a regular
        # expression that starts with a look-behind scans slowly, and most terms are not there.
        self.terms = [(term, _loose(term.source, source_lang).split()[0],
                       _term_pattern(term.source, source_lang, _is_short(term.source, source_lang), loose=True),
                       [(_term_pattern(r, target_lang, whole_word=False), r.strip()[:1].isupper())
                        for r in (term.rendering, *term.alternatives)],
                       term.source.strip()[:1].isupper())
                      for term in terms if term.source.strip()]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def problems(self, source: str, translation: str) -> list[Problem]:
        if not self.terms:
            return []
        text = _without_addresses(source)
        found_in = _loose(text, self.source_lang)
        # Letter for letter, as it is unless casing changed a length: where a word starts.
        aligned = len(found_in) == len(text)
        folded = None
        problems = []
        for term, needle, pattern, renderings, capitalised in self.terms:
            if needle not in found_in:
                continue
            # A name is not in a word written in lower case: 'Астана' is a city, 'астанасы'
            # 'its capital'; 'Turkey' a country, 'turkey' a bird.
            if not _found(pattern, found_in, text, capitalised and aligned):
                continue
            if folded is None:
                folded = L.fold(translation, self.target_lang)
            # In the translation too: 'астанасында' ('in its capital') is no 'Астана'.
            exact = len(folded) == len(translation)
            if not any(_found(r, folded, translation, capital and exact) for r, capital in renderings):
                wanted = " or ".join(f"'{r}'" for r in (term.rendering, *term.alternatives))
                problem = Problem(f"has '{term.source}' but not the glossary's {wanted}; use it, or flag the "
                                  "message '#, ignore-check-glossary' where it does not fit", "check-glossary")
                if problem not in problems:
                    problems.append(problem)
        return problems


def _found(pattern: re.Pattern, folded: str, text: str, capitalised: bool) -> bool:
    """Whether ``pattern`` is in ``folded`` (``text`` folded, letter for letter): for a
    ``capitalised`` term, only where the word does not begin in lower case."""
    if not capitalised:
        return pattern.search(folded) is not None
    return any(not text[found.start()].islower() for found in pattern.finditer(folded))


_WORD = re.compile(r"\S+")


def _without_addresses(text: str) -> str:
    """A source text less its web and mail addresses, where a term is no term: 'turksoy' in
    www.turksoy.org is a domain, and a translation writes it as it is, not as ТҮРКСОЙ.

    >>> _without_addresses("TÜRKSOY (www.turksoy.org, press@turksoy.org)")
    'TÜRKSOY  '
    """
    if not is_address(text):
        return text  # most texts have none
    return _WORD.sub(lambda word: "" if is_address(word[0]) else word[0], text)


@lru_cache(maxsize=64)
def compile_pair(terms: tuple[Term, ...], source_lang: str, target_lang: str) -> PairGlossary:
    return PairGlossary(terms, source_lang, target_lang)


def _is_short(form: str, lang: str) -> bool:
    """A term found only as a whole word: an abbreviation in capitals ('OC' is not the
    start of 'October'; Turkish and Kazakh set its suffixes off, 'ISESCO'nun',
    'ТҮРКСОЙ-дың'), or a word of fewer than four letters."""
    letters = [c for c in form if c.isalpha()]
    return len(letters) < 4 or (len(letters) > 1 and form == L.upper(form, lang))


def _loose(text: str, lang: str) -> str:
    """A source text as the glossary looks for terms in it: cased by its language's rules,
    without accents, and with one i for i, ı and İ, so that 'Turksoy', 'TURKSOY' and
    'TÜRKSOY'un' are all TÜRKSOY and 'Yalçın TOPÇU' is Yalçın Topçu. (A translation is
    read strictly: where the glossary says 'Bakü', 'Baku' is wrong.)

    >>> _loose("TURKSOY, TÜRKSOY'un, Yalçın TOPÇU, İZMİR", "tr")
    "turksoy, turksoy'un, yalcin topcu, izmir"
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFD", L.fold(text, lang).replace("I", "i").replace("ı", "i"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _term_pattern(form: str, lang: str, whole_word: bool, loose: bool = False) -> re.Pattern:
    """A regular expression finding ``form`` at the start of a word, by prefix unless
    ``whole_word`` (so inflected forms count), in a text folded by ``lang``'s rules
    (lang.fold), or ``loose`` (_loose)."""
    parts = []
    for char in (_loose if loose else L.fold)(form.strip(), lang):
        if char.isspace():
            if parts and parts[-1] != r"\s+":
                parts.append(r"\s+")
        elif char in "iıI":
            # A capital I may be the capital of i or of ı in any language (lang.fold).
            parts.append({"i": "[iI]", "ı": "[ıI]", "I": "[iıI]"}[char])
        else:
            parts.append(re.escape(char))
    return re.compile(r"(?<!\w)" + "".join(parts) + (r"(?!\w)" if whole_word else ""))


def glossary_problems(source: str, translation: str, terms: Iterable[Term] | PairGlossary, lang: str,
                      source_lang: str = ENGLISH) -> list[Problem]:
    """Terms of the source whose rendering the translation lacks.

    Matching ignores case by each text's own language's rules and is by prefix
    from the start of a word, so inflected forms count ('Kaseinov' is found in
    'Kaseinov'un' and 'KASEINOV', and 'Қасейінов' in 'Қасейіновтің'); a term
    written with a capital is not found in a word written in lower case.

    >>> terms = [Term("Kaseinov", "Қасейінов", 3)]
    >>> glossary_problems("KASEINOV said", "Қасейіновтің айтуынша", terms, "kk")
    []
    >>> print(*glossary_problems("Kaseinov said", "Касеинов айтты", terms, "kk"))
    has 'Kaseinov' but not the glossary's 'Қасейінов'; use it, or flag the message '#, ignore-check-glossary' where it does not fit
    >>> glossary_problems("елдің астанасы", "the country's capital", [Term("Астана", "Astana", 3)], "en", "kk")
    []
    """
    pair = terms if isinstance(terms, PairGlossary) else compile_pair(tuple(terms), source_lang, lang)
    return pair.problems(source, translation)


# --- templates -----------------------------------------------------------------

_UNSAFE_CASING = re.compile(r"\|\s*(upper|title|capitalize)\b|\.(upper|title|capitalize)\(\)"
                            # A filter named to another (map, select…): a trial's tags went out in KÜLTÜR and EDUCATION.
                            r"|\b(?:map|select|reject)\(\s*(['\"])(upper|title|capitalize)\3")
_UNSAFE_FILTER_BLOCK = re.compile(r"\{%[-+]?\s*filter\s+(upper|title|capitalize)\b")
"""The same filters applied to a whole block: ``{% filter upper %}…{% endfilter %}`` (after
another filter, ``{% filter trim|upper %}``, _UNSAFE_CASING finds it)."""


def template_casing_problems(path: Path) -> list[tuple[int, str]]:
    """(line, message) for casing that is wrong for Turkish: Jinja's and Python's rules map i to I."""
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in _UNSAFE_CASING.finditer(line):
            what = match.group(0).strip()
            problems.append((number, f"'{what}' cases Turkish wrongly (i → I, not İ); use the locale-aware '|caps' filter"))
        for match in _UNSAFE_FILTER_BLOCK.finditer(line):
            problems.append((number, f"'{{% filter {match.group(1)} %}}' cases Turkish wrongly (i → I, not İ); use the "
                                     "locale-aware '{% filter caps %}'"))
    return problems
