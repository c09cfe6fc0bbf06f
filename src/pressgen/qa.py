"""Quality checks on translations, as Weblate and Pology run them.

Each check takes a source text and its translation and says what is wrong,
in words a translator can act on. A translation with a problem is not
published (translate.py treats it like a missing one), and `pressgen check`
reports every problem as `file:line: message`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from . import lang as L

_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>|&#?\w+;")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"), ("«", "»"), ("“", "”"), ("„", "“"))
_FINAL = ".!?:;…"
_CLOSERS = "\"'»”’)]"


def placeholders(text: str) -> list[str]:
    """
    >>> placeholders("About %(organisation)s, page {page}")
    ['%(organisation)s', '{page}']
    """
    return sorted(_PLACEHOLDER.findall(text))


def check_translation(source: str, translation: str) -> list[str]:
    """Problems of one translation against its source text.

    >>> check_translation("About %(organisation)s", "Hakkında")
    ["drops the placeholder '%(organisation)s'"]
    >>> check_translation("Press release.", "Basın bülteni")
    ["ends without the source's final '.'"]
    >>> check_translation("Hello", "<b>Merhaba</b>")
    ["adds markup '<b>': write plain text, pressgen does the formatting"]
    """
    problems = []
    src, dst = placeholders(source), placeholders(translation)
    for missing in sorted(set(src) - set(dst)):
        problems.append(f"drops the placeholder '{missing}'")
    for extra in sorted(set(dst) - set(src)):
        problems.append(f"adds the placeholder '{extra}', which the source does not have")
    source_markup = set(_MARKUP.findall(source))
    for markup in dict.fromkeys(_MARKUP.findall(translation)):
        if markup not in source_markup:
            problems.append(f"adds markup '{markup}': write plain text, pressgen does the formatting")
            break
    for opening, closing in _PAIRS:
        if opening == closing:
            continue
        balanced_source = source.count(opening) == source.count(closing)
        if balanced_source and translation.count(opening) != translation.count(closing):
            problems.append(f"has unbalanced {opening} {closing}")
    if source.count('"') % 2 == 0 and translation.count('"') % 2:
        problems.append('has an unpaired "')
    for end, source_end, translation_end in (("starts", source[:1], translation[:1]),
                                             ("ends", source[-1:], translation[-1:])):
        if source_end.isspace() != translation_end.isspace():
            problems.append(f"{end} with a space where the source does not" if translation_end.isspace()
                            else f"{end} without the space the source has")
    end_source, end_translation = _final(source), _final(translation)
    if end_source and not end_translation:
        problems.append(f"ends without the source's final '{end_source}'")
    elif end_translation and not end_source:
        problems.append(f"ends with '{end_translation}' where the source has no final punctuation")
    return problems


def _final(text: str) -> str:
    """The final punctuation mark, looking through closing quotes and brackets."""
    text = text.rstrip().rstrip(_CLOSERS).rstrip()
    if text.endswith("..."):
        return "…"
    return text[-1] if text[-1:] in _FINAL else ""


def message_problems(message: Message) -> list[str]:
    """QA problems of a translated message (plural forms checked one by one)."""
    if not message.id or not message.string or message.fuzzy:
        return []
    if isinstance(message.id, (list, tuple)):
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        return [p for s in strings if s for p in check_translation(message.id[1], s)]
    return check_translation(message.id, message.string)


# --- glossary ----------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    source: str
    rendering: str
    line: int | None


def glossary_terms(catalog: Catalog | None) -> list[Term]:
    """The translated terms of a glossary catalog, longest first."""
    if catalog is None:
        return []
    terms = [Term(m.id, m.string, m.lineno) for m in catalog if m.id and isinstance(m.id, str) and m.string
             and not m.fuzzy]
    return sorted(terms, key=lambda t: -len(t.source))


def glossary_problems(source: str, translation: str, terms: list[Term], lang: str) -> list[str]:
    """Terms of the source whose rendering the translation lacks.

    Matching is by prefix, so inflected forms count ('Kaseinov' is found in
    'Kaseinov'un' and 'Қасейіновтің'), and ignores case by the language's
    own rules.

    >>> terms = [Term("Kaseinov", "Қасейінов", 3)]
    >>> glossary_problems("Kaseinov said", "Қасейіновтің айтуынша", terms, "kk")
    []
    >>> glossary_problems("Kaseinov said", "Касеинов айтты", terms, "kk")
    ["has 'Kaseinov' but not the glossary's 'Қасейінов'"]
    """
    problems = []
    folded = L.lower(translation, lang)
    for term in terms:
        if re.search(rf"(?<!\w){re.escape(term.source)}", source) and L.lower(term.rendering, lang) not in folded:
            problems.append(f"has '{term.source}' but not the glossary's '{term.rendering}'")
    return problems


# --- templates -----------------------------------------------------------------

_UNSAFE_CASING = re.compile(r"\|\s*(upper|title|capitalize)\b|\.(upper|title|capitalize)\(\)")


def template_casing_problems(path: Path) -> list[tuple[int, str]]:
    """(line, message) for casing that is wrong for Turkish: Jinja's and Python's rules map i to I."""
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for match in _UNSAFE_CASING.finditer(line):
            what = match.group(0).strip()
            problems.append((number, f"'{what}' cases Turkish wrongly (i → I, not İ); use the locale-aware '|caps' filter"))
    return problems
