"""Hyphenation points for the PDF's justified lines, as soft hyphens (U+00AD).

pyphen ships no Turkish or Kazakh dictionary, so WeasyPrint's `hyphens:
auto` does nothing for them and justified lines gape. Both languages
syllabify by clear rules: one vowel per syllable, and a boundary falls
before the last consonant ahead of a vowel (Turkish kül-tür, Türk-çe,
sa-at; Kazakh ын-ты-мақ-тас-тық). Other languages take pyphen's
dictionary (English in-ter-na-tional; the office's variant, US patterns
unless pressgen.yaml says `english: en-GB`), under the same rules below, so
the print stylesheet uses `hyphens: manual` and every language breaks alike.

Abbreviations and names written with capitals inside (TÜRKSOY, ҚазАқпарат)
are never split, nor are the glossary's people and places (Қасейінов,
Ashimbayev, and their inflected forms: Қасейіновтің), nor words with digits
or apostrophes. Other capitalised words are common words at a sentence's or
a title's start (Парламенті, Сенатының, Ambassador) and break like any word.
The last word of a paragraph breaks only if at least two syllables and
LAST_RIGHT letters are left for the last line, so no paragraph ends on a
stub such as 'gerçekleşti-' / 'rildi.'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

from . import lang as L

SOFT_HYPHEN = "\u00ad"

URLIZE_DOMAINS = ("com", "net", "int", "edu", "gov", "org", "info", "mil")
"""The domains a bare address (turksoy.org, no scheme or www.) ends in for Jinja's urlize to link it."""
REGIONAL_DOMAINS = ("az", "kg", "kz", "tm", "tr", "uz")
"""The country domains of TÜRKSOY's member states, which the office's texts name bare all the time
(inform.kz, ktb.gov.tr) and urlize does not link: render.rich_text links them itself."""
LINKED_DOMAINS = rf"\.(?:{'|'.join(URLIZE_DOMAINS + REGIONAL_DOMAINS)})\b"
_ADDRESS = re.compile(rf"://|@|www\.|{LINKED_DOMAINS}", re.IGNORECASE)


def is_address(word: str) -> bool:
    """Whether a word (a run of text without spaces) holds a web or mail address, which no
    line may break inside: a break would print a hyphen in it, and its link would be lost.

    >>> is_address("Kazin\xadform.com’da"), is_address("WWW.TURKSOY.ORG"), is_address("ktb.gov.tr’den")
    (True, True, True)
    >>> is_address("Organisation"), is_address("A.Ş.")
    (False, False)
    """
    return bool(_ADDRESS.search(word.replace(SOFT_HYPHEN, "")))

VOWELS = {
    "tr": set("aeıioöuüâîû"),
    "az": set("aeəıioöuü"),
    "kk": set("аәеёиоөұүыіэюяу"),
}

LEFT, RIGHT = 2, 3
"""Fewest letters before and after a break: a two-letter stub at a line's start reads badly."""
LAST_RIGHT = 6
"""Fewest letters a paragraph's last word leaves for the last line (with two syllables at least),
which would otherwise be a stub: 'gerçekleşti-rildi.' leaves five, 'gerçekleş-tirildi.' seven."""
SHORTEST = 6
"""Shorter words are never split."""

_WORD = re.compile(r"(?<![\w'’])[^\W\d_]{%d,}(?![\w'’])" % SHORTEST)
"""A word that may be split: letters only, long enough, no apostrophe (Azerbaycan'ın)."""
_WORD_SPLIT = re.compile(f"({_WORD.pattern})")


ENGLISH_VARIANTS = ("en-US", "en-GB")
"""The English patterns an office can choose in pressgen.yaml (`english:`); the first is the default."""

NAME_KINDS = ("person", "place")
"""The glossary's msgctxts that name someone or somewhere; organisations, events and titles
are made of common words (Organization, Мәдениетаралық, Secretary) that may break."""
SHORT_NAME = 4
"""A name word shorter than this protects only itself, not the words it begins (Ali, not Alignment)."""


@dataclass(frozen=True)
class Names:
    """Capitalised words of one language that are never split: its glossary's people and places."""

    lang: str = "en"
    words: frozenset[str] = frozenset()
    """Folded (lang.fold) words of the names."""
    splits: dict[tuple[str, bool], dict[str, str]] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """hyphenate's result per (patterns, last word) and word: an archive repeats its words, and
    folding each capitalised one to look it up in the names cost more than the breaks."""

    @classmethod
    def of(cls, names: Iterable[str], lang: str) -> Names:
        """The capitalised words of ``names`` (a glossary's terms), as this language folds them.

        >>> sorted(Names.of(["Abdulaziz Othman Altwaijri", "«Гүлүстан» сарайы"], "kk").words)
        ['abdulaziz', 'altwaijri', 'othman', 'гүлүстан']
        """
        return cls(lang, frozenset(L.fold(word, lang) for name in names for word in _LETTERS.findall(name)
                                   if word[0].isupper()))

    def protects(self, word: str) -> bool:
        """Whether ``word`` is one of the names, or an inflected form of one.

        >>> names = Names.of(["Қасейінов", "Ali"], "kk")
        >>> names.protects("Қасейіновтің"), names.protects("Сенатының"), names.protects("Alimov")
        (True, False, False)
        """
        folded = L.fold(word, self.lang)
        if folded in self.words:
            return True
        return any(folded[:n] in self.words for n in range(SHORT_NAME, len(folded)))


_LETTERS = re.compile(r"[^\W\d_]+")


def supported(lang: str) -> bool:
    return lang.split("-")[0] in VOWELS or _dictionary(lang) is not None


@lru_cache(maxsize=None)
def _dictionary(lang: str):
    """pyphen's dictionary for a language without syllable rules here (WeasyPrint's own dependency)."""
    import pyphen

    # A bare 'en' would fall back to pyphen's en_GB file: the default variant is US.
    code = pyphen.language_fallback((ENGLISH_VARIANTS[0] if lang == "en" else lang).replace("-", "_"))
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
    vowels = _vowel_positions(L.lower(word, lang), lang)
    breaks = []
    for previous, current in zip(vowels, vowels[1:]):
        consonants = current - previous - 1
        # Before the last consonant ahead of the vowel; between two vowels, between them.
        breaks.append(current - 1 if consonants else current)
    return breaks


def is_abbreviation(word: str) -> bool:
    """Capitals after the first letter: an acronym or a brand (TÜRKSOY, ҚазАқпарат), never split.

    >>> is_abbreviation("ISESCO"), is_abbreviation("ҚазАқпарат"), is_abbreviation("Ambassador")
    (True, True, False)
    """
    return any(letter.isupper() for letter in word[1:])


@lru_cache(maxsize=65536)
def hyphenate_word(word: str, lang: str, last: bool = False) -> str:
    """The word with soft hyphens at its allowed breaks, shown here as '-' (``last``: the
    paragraph's last word, which leaves two syllables and LAST_RIGHT letters behind).

    >>> hyphenate_word("ынтымақтастық", "kk").replace(SOFT_HYPHEN, "-")
    'ын-ты-мақ-тас-тық'
    >>> hyphenate_word("güçlendirilmesinde", "tr").replace(SOFT_HYPHEN, "-")
    'güç-len-di-ril-me-sinde'
    >>> hyphenate_word("international", "en").replace(SOFT_HYPHEN, "-")
    'in-ter-na-tional'
    >>> hyphenate_word("gerçekleştirildi", "tr", last=True).replace(SOFT_HYPHEN, "-")
    'ger-çek-leş-tirildi'
    >>> hyphenate_word("İstanbul", "en"), hyphenate_word("Şırnak", "en-GB")
    ('İstanbul', 'Şırnak')
    """
    if len(word) < SHORTEST or is_abbreviation(word) or _foreign_name(word, lang):
        return word
    if lang.split("-")[0] in VOWELS:
        points = syllable_breaks(word, lang)
    else:
        points = _dictionary(lang).positions(word)
    right = RIGHT
    if last:
        # The fragment holds the word's last syllable and at least one more.
        points = [p for p in points if p < max(points)] if points else points
        right = LAST_RIGHT
    breaks = [b for b in points if LEFT <= b <= len(word) - right]
    if not breaks:
        return word
    parts, start = [], 0
    for point in breaks:
        parts.append(word[start:point])
        start = point
    parts.append(word[start:])
    return SOFT_HYPHEN.join(parts)


def _foreign_name(word: str, lang: str) -> bool:
    """In English, a capitalised word with a letter English does not have is a name from another
    language (İstanbul, Şırnak, Düsen), which English patterns break where it has no syllable
    (a trial's 'İst-anbul' and 'Şır-nak' in an English PDF)."""
    return lang.startswith("en") and word[0].isupper() and not word.isascii()


def hyphenate_name(word: str, lang: str) -> str:
    """A name's breaks, for the last resort of linefit.py: only where syllable rules place them.
    pyphen's patterns are made for common words and break names badly ('Kaza-khstan').

    >>> hyphenate_name("Әзербайжан", "kk").replace(SOFT_HYPHEN, "-"), hyphenate_name("Kazakhstan", "en")
    ('Әзер-бай-жан', 'Kazakhstan')
    """
    return hyphenate_word(word, lang) if lang.split("-")[0] in VOWELS else word


def hyphenate(text: str, lang: str, names: Names = Names()) -> str:
    """Soft hyphens in every word of ``text`` that may be split, ``names`` kept whole;
    unchanged in a language with neither syllable rules here nor a pyphen dictionary.

    >>> hyphenate("TÜRKSOY Parlamentosu kültür mirasını korur.", "tr").replace(SOFT_HYPHEN, "-")
    'TÜRKSOY Par-la-men-tosu kül-tür mi-ra-sını korur.'
    """
    if not supported(lang):
        return text
    # The words at odd indices, the text between them at even ones: a loop over a list
    # costs less than a callback per match.
    parts = _WORD_SPLIT.split(text)
    if len(parts) == 1:
        return text
    # The paragraph's last word leaves more behind (LAST_RIGHT), if _WORD found it.
    ends_paragraph = len(text) - len(parts[-1]) - len(parts[-2]) == _last_word_start(text)
    within, last = (names.splits.setdefault((lang, at_end), {}) for at_end in (False, True))
    for i in range(1, len(parts), 2):
        word = parts[i]
        at_end = ends_paragraph and i == len(parts) - 2
        splits = last if at_end else within
        done = splits.get(word)
        if done is None:
            done = splits[word] = word if word[0].isupper() and names.protects(word) else hyphenate_word(word, lang, at_end)
        parts[i] = done
    return "".join(parts)


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
