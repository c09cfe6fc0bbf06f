"""A release id from its headline: Turkish and Kazakh letters written in ASCII.

Ids name files and web addresses (`out/tr/<id>.html`), so they are lower-case
ASCII letters, digits and hyphens. Turkish letters lose their marks (ç c, ğ g,
ı i, İ i, ö o, ş s, ü u; â î û a i u), Azerbaijani's ə is e. Kazakh Cyrillic follows this table, which
reads as the 2021 Kazakh Latin alphabet does where Kazakh has its own letters
(қ q, ғ g, ә a, ө o, ұ u, ү u, ң n, һ h, і i) and uses the familiar digraphs of
Kazinform's English pages for the rest (ж zh, ш sh, ч ch, щ shch, х kh, ц ts,
ю yu, я ya, ы y, й y); ъ and ь are dropped. Other accented Latin letters
lose their accents; anything else (other scripts, punctuation) separates words.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Iterable

KAZAKH_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}
"""Lower-case Kazakh Cyrillic letters (Russian's 33 and Kazakh's 9) in ASCII."""

# Turkish letters whose ASCII form Unicode decomposition does not give: dotless ı has
# no base letter, and İ must not become 'i' plus a combining dot.
_TURKISH = {"ı": "i", "İ": "i"}

_LATIN = {"ə": "e", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ŋ": "n"}
"""Latin letters Unicode decomposition gives no ASCII for: Azerbaijani's ə, its most common
vowel, was dropped ('bakida-mdniyyt-hftsi', a trial's), and so were these of other languages."""

MAX_LENGTH = 60
"""Longer ids are cut at a word: a file name and an address stay readable."""


def transliterate(text: str) -> str:
    """``text`` in lower-case ASCII; what has no ASCII form is dropped.

    >>> transliterate("Türkiye ve Kazakistan kültür haftası açıldı")
    'turkiye ve kazakistan kultur haftasi acildi'
    >>> transliterate("İSTANBUL'DA ŞÖLEN")
    "istanbul'da solen"
    >>> transliterate("Қазақстан мен Түркия мәдениет апталығы")
    'qazaqstan men turkiya madeniet aptalygy'
    >>> transliterate("Жаңа Өзен, Шымкент, Ұлытау, Үшқоңыр, Іле")
    'zhana ozen, shymkent, ulytau, ushqonyr, ile'
    >>> transliterate("Bakıda mədəniyyət həftəsi: Əliyev")
    'bakida medeniyyet heftesi: eliyev'
    """
    out = []
    for char in text:
        char = _TURKISH.get(char, char).lower()
        if char in KAZAKH_CYRILLIC:
            out.append(KAZAKH_CYRILLIC[char])
            continue
        if char in _LATIN:
            out.append(_LATIN[char])
            continue
        ascii_form = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
        out.append(ascii_form)
    return "".join(out)


def slugify(headline: str) -> str:
    """A release id: ASCII words joined by hyphens, at most MAX_LENGTH characters.

    >>> slugify("Türkiye ve Kazakistan kültür haftası açıldı")
    'turkiye-ve-kazakistan-kultur-haftasi-acildi'
    >>> slugify("ТҮРКСОЙ: «Наурыз» мерекесі — 2026!")
    'turksoy-nauryz-merekesi-2026'
    >>> slugify("中文")
    'release'
    """
    slug = _ascii_words(headline)
    if len(slug) > MAX_LENGTH:
        slug = slug[:MAX_LENGTH + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_LENGTH + 1] else slug[:MAX_LENGTH]
    return slug or "release"


@lru_cache(maxsize=None)
def tag_slug(tag: str) -> str:
    """The folder of a tag's pages in its language: out/<lang>/tags/<slug>/.

    Cached by tag: an archive repeats a few hundred tags across all its versions.
    A tag with no ASCII form (another script) is named by its digest, not 'release'.

    >>> tag_slug("İklim değişikliği"), tag_slug("ılık"), tag_slug("Мәдениет және өнер")
    ('iklim-degisikligi', 'ilik', 'madeniet-zhane-oner')
    >>> tag_slug("文化")
    'tag-b12e914c'
    """
    return _ascii_words(tag) or f"tag-{hashlib.sha256(tag.encode('utf-8')).hexdigest()[:8]}"


def _ascii_words(text: str) -> str:
    """The ASCII words of ``text`` joined by hyphens (an apostrophe joins: İstanbul'da)."""
    return "-".join(re.findall(r"[a-z0-9]+", transliterate(text).replace("'", "")))


def unique_id(slug: str, taken: Iterable[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``… when an existing release already has it.

    >>> unique_id("nauryz", {"nauryz", "nauryz-2"})
    'nauryz-3'
    """
    taken = set(taken)
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate
