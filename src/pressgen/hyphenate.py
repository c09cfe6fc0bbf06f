"""Hyphenation points for the PDF's justified lines, as soft hyphens (U+00AD).

pyphen ships no Turkish or Kazakh dictionary, so WeasyPrint's `hyphens:
auto` does nothing for them and justified lines gape. Both languages
syllabify by clear rules: one vowel per syllable, and a boundary falls
before the last consonant ahead of a vowel (Turkish kül-tür, Türk-çe,
sa-at; Kazakh ын-ты-мақ-тас-тық). Other languages take pyphen's
dictionary (English in-ter-na-tional), under the same rules below, so the
print stylesheet uses `hyphens: manual` and every language breaks alike.

Names and abbreviations (any word with a capital letter: TÜRKSOY, Қасейінов,
Ashimbayev) are never split, nor are words with digits or apostrophes. The
last word of a paragraph may break only if a good part of it is left for
the last line.
"""

from __future__ import annotations

import re
from functools import lru_cache

SOFT_HYPHEN = "\u00ad"

VOWELS = {
    "tr": set("aeıioöuüâîû"),
    "az": set("aeəıioöuü"),
    "kk": set("аәеёиоөұүыіэюяу"),
}

LEFT, RIGHT = 2, 3
"""Fewest letters before and after a break: a two-letter stub at a line's start reads badly."""
LAST_RIGHT = 5
"""Fewest letters a paragraph's last word leaves for the last line, which would otherwise be a stub."""
SHORTEST = 6
"""Shorter words are never split."""

_WORD = re.compile(r"(?<![\w'’])[^\W\d_]{%d,}(?![\w'’])" % SHORTEST)
"""A word that may be split: letters only, long enough, no apostrophe (Azerbaycan'ın)."""


def supported(lang: str) -> bool:
    return lang.split("-")[0] in VOWELS or _dictionary(lang) is not None


@lru_cache(maxsize=None)
def _dictionary(lang: str):
    """pyphen's dictionary for a language without syllable rules here (WeasyPrint's own dependency)."""
    import pyphen

    code = pyphen.language_fallback(lang.replace("-", "_"))
    return pyphen.Pyphen(lang=code, left=LEFT, right=RIGHT) if code else None


def _vowel_positions(word: str, lang: str) -> list[int]:
    vowels = VOWELS[lang.split("-")[0]]
    positions = []
    for i, letter in enumerate(word):
        if letter not in vowels:
            continue
        # Kazakh у after a vowel is the glide [w] (тау, ауыл: а-уыл), a consonant.
        if lang.startswith("kk") and letter == "у" and i and word[i - 1] in vowels:
            continue
        positions.append(i)
    return positions


def syllable_breaks(word: str, lang: str) -> list[int]:
    """Indices where a syllable starts, except the first.

    >>> syllable_breaks("kültür", "tr")
    [3]
    >>> syllable_breaks("saat", "tr")
    [2]
    """
    vowels = _vowel_positions(word.lower(), lang)
    breaks = []
    for previous, current in zip(vowels, vowels[1:]):
        consonants = current - previous - 1
        # Before the last consonant ahead of the vowel; between two vowels, between them.
        breaks.append(current - 1 if consonants else current)
    return breaks


@lru_cache(maxsize=65536)
def hyphenate_word(word: str, lang: str, right: int = RIGHT) -> str:
    """The word with soft hyphens at its allowed breaks, shown here as '-'.

    >>> hyphenate_word("ынтымақтастық", "kk").replace(SOFT_HYPHEN, "-")
    'ын-ты-мақ-тас-тық'
    >>> hyphenate_word("güçlendirilmesinde", "tr").replace(SOFT_HYPHEN, "-")
    'güç-len-di-ril-me-sinde'
    >>> hyphenate_word("international", "en").replace(SOFT_HYPHEN, "-")
    'in-ter-na-tional'
    """
    if len(word) < SHORTEST or any(letter.isupper() for letter in word):
        return word
    if lang.split("-")[0] in VOWELS:
        points = syllable_breaks(word, lang)
    else:
        points = _dictionary(lang).positions(word)
    breaks = [b for b in points if LEFT <= b <= len(word) - right]
    if not breaks:
        return word
    parts, start = [], 0
    for point in breaks:
        parts.append(word[start:point])
        start = point
    parts.append(word[start:])
    return SOFT_HYPHEN.join(parts)


def hyphenate(text: str, lang: str) -> str:
    """Soft hyphens in every word of ``text`` that may be split; unchanged in a language with
    neither syllable rules here nor a pyphen dictionary.

    >>> hyphenate("TÜRKSOY kültür mirasını korur.", "tr").replace(SOFT_HYPHEN, "-")
    'TÜRKSOY kül-tür mi-ra-sını korur.'
    """
    if not supported(lang):
        return text
    last_start = _last_word_start(text)
    return _WORD.sub(lambda m: hyphenate_word(m.group(0), lang, LAST_RIGHT if m.start() == last_start else RIGHT),
                     text)


def _last_word_start(text: str) -> int:
    """Where the paragraph's last word starts (-1 if it ends in a number), read from the end.

    >>> _last_word_start("imza töreni yapıldı.")
    12
    >>> _last_word_start("in 2011.")
    -1
    """
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    start = end
    while start and text[start - 1].isalpha():
        start -= 1
    return start if start < end else -1
