"""Hyphenation points for Turkish and Kazakh, by their syllable rules.

pyphen ships no Turkish or Kazakh dictionary, so WeasyPrint's `hyphens:
auto` does nothing for them and justified lines gape. Both languages
syllabify by clear rules: one vowel per syllable, and a boundary falls
before the last consonant ahead of a vowel (Turkish kül-tür, Türk-çe,
sa-at; Kazakh ын-ты-мақ-тас-тық). We insert soft hyphens (U+00AD) at those
points; WeasyPrint and browsers break there when a line needs it, and the
hyphens are invisible otherwise.

Names and abbreviations (any word with a capital letter: TÜRKSOY, Қасейінов)
are never split, nor are words with digits or apostrophes.
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
SHORTEST = 6
"""Shorter words are never split."""

_WORD = re.compile(r"(?<![\w'’])[^\W\d_]+(?![\w'’])")


def supported(lang: str) -> bool:
    return lang.split("-")[0] in VOWELS


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
def hyphenate_word(word: str, lang: str) -> str:
    """The word with soft hyphens at its allowed breaks, shown here as '-'.

    >>> hyphenate_word("ынтымақтастық", "kk").replace(SOFT_HYPHEN, "-")
    'ын-ты-мақ-тас-тық'
    >>> hyphenate_word("güçlendirilmesinde", "tr").replace(SOFT_HYPHEN, "-")
    'güç-len-di-ril-me-sinde'
    """
    if len(word) < SHORTEST or any(letter.isupper() for letter in word):
        return word
    breaks = [b for b in syllable_breaks(word, lang) if LEFT <= b <= len(word) - RIGHT]
    if not breaks:
        return word
    parts, start = [], 0
    for point in breaks:
        parts.append(word[start:point])
        start = point
    parts.append(word[start:])
    return SOFT_HYPHEN.join(parts)


def hyphenate(text: str, lang: str) -> str:
    """Soft hyphens in every word of ``text`` that may be split; unchanged for other languages.

    >>> hyphenate("TÜRKSOY kültür mirasını korur.", "tr").replace(SOFT_HYPHEN, "-")
    'TÜRKSOY kül-tür mi-ra-sını korur.'
    """
    if not supported(lang):
        return text
    words = list(_WORD.finditer(text))
    # The last word of a paragraph is never split: its line is short anyway.
    last = words[-1].start() if words else -1
    return _WORD.sub(lambda m: m.group(0) if m.start() == last else hyphenate_word(m.group(0), lang), text)
