"""Language-aware formatting: the one place Babel Locale objects are made.

Dates and times come from CLDR through Babel with an explicit locale (never
strftime or locale.setlocale, which is process-wide). Casing follows the
language: Turkish and Azerbaijani pair i/İ and ı/I.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from functools import lru_cache
from typing import Callable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_skeleton, get_timezone_gmt, get_timezone_location, get_timezone_name

# Quotation delimiters from CLDR (common/main/<lang>.xml, <delimiters>):
# (outer open, outer close, inner open, inner close). Babel exposes no
# delimiter data, so this table is the one copy; add a row with a language.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("“", "”", "‘", "’"),
    "tr": ("“", "”", "‘", "’"),
    "kk": ("«", "»", "“", "”"),
    "az": ("«", "»", "‹", "›"),
    "ru": ("«", "»", "„", "“"),
    "ky": ("«", "»", "„", "“"),
    "uz": ("“", "”", "’", "‘"),
    "de": ("„", "“", "‚", "‘"),
    "fr": ("«\u202f", "\u202f»", "«\u202f", "\u202f»"),
}

# The marks of a quote in the news-agency (wire) style: « », as the agency's own copy has
# them, except where a language's press writes its own double quotes: Turkish news copy
# (AA, the dailies) uses “ ” and never « ».
_WIRE_MARKS_OWN = {"tr"}

# Turkish news copy keeps a quoted sentence whole before its speaker, full stop inside the
# marks and no comma after them ("… veriliyor." dedi Aşimbayev.); English and Kazakh put a
# comma there, in place of the full stop («…,» said Ashimbayev. «…», — деді Әшімбаев.).
_SENTENCE_KEPT_BEFORE_SPEAKER = {"tr"}

# Languages whose dotted and dotless i are separate letters (i/İ, ı/I).
_DOTTED_I = {"tr", "az", "crh", "gag", "tt", "ba"}


@lru_cache(maxsize=None)
def babel_locale(code: str) -> Locale:
    """The Babel Locale for a language code from the config; raises ValueError if unknown."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown language '{code}'") from exc


@lru_cache(maxsize=None)
def has_collation() -> bool:
    """Whether PyICU is installed, without importing it (ICU's data weighs tens of MB)."""
    return importlib.util.find_spec("icu") is not None


@lru_cache(maxsize=None)
def collation_key(code: str) -> Callable[[str], object] | None:
    """A sort key in the language's alphabetical order (CLDR's collation, through PyICU
    when it is installed: Babel has none), or None without PyICU. Turkish puts ç after c
    and ı before i; Kazakh ә after а, ж before и, ұ after у.
    """
    if not has_collation():
        return None
    import icu  # type: ignore[import-not-found]

    return icu.Collator.createInstance(icu.Locale(bcp47(code))).getSortKey


def is_known_language(code: str) -> bool:
    try:
        babel_locale(code)
    except ValueError:
        return False
    return True


def cldr_spelling(code: str) -> str:
    """``code`` as CLDR writes it: the language in lower case and by its two-letter code where
    it has one, the script in title case, the region in upper case; separators as written.

    >>> [cldr_spelling(c) for c in ("fr", "FR", "fra", "rus", "pt_br", "sr-latn", "iw", "pt-BR")]
    ['fr', 'fr', 'fr', 'ru', 'pt_BR', 'sr-Latn', 'he', 'pt-BR']
    """
    from babel.core import get_global

    parts = re.split(r"([-_])", code)
    language = parts[0].lower()
    alias = get_global("language_aliases").get(language)
    if alias and "_" not in alias:
        language = alias
    spelt = [language]
    for part in parts[1:]:
        spelt.append(part.title() if len(part) == 4 and part.isalpha() else part.upper() if len(part) == 2 else part)
    return "".join(spelt)


def base_language(code: str) -> str:
    """The language of a code, without script or region: 'fr' of 'fr-FR'."""
    return re.split(r"[-_]", code)[0]


def bcp47(code: str) -> str:
    """The BCP 47 tag for HTML lang and PDF metadata: 'kk', 'pt-BR'.

    Kazakh needs no script subtag: Cyrl is its IANA Suppress-Script.
    """
    return code.replace("_", "-")


@lru_cache(maxsize=None)
def english_name(code: str) -> str:
    """The language's name in English, for comments and messages: 'Kazakh' (worked out once:
    a snapshot's header names it, 2,000 times in a cold build of 1,000 releases)."""
    return babel_locale(code).get_display_name("en")


@lru_cache(maxsize=None)
def native_name(code: str) -> str:
    """The language's name in itself, for language switchers: 'Türkçe', 'Қазақ тілі'."""
    name = babel_locale(code).get_display_name(babel_locale(code)) or code
    return upper_first(name, code)


@lru_cache(maxsize=None)
def og_locale(code: str) -> str:
    """Open Graph's language_TERRITORY form, from CLDR's likely subtags: 'kk' → 'kk_KZ'.

    >>> [og_locale(c) for c in ("en", "tr", "kk")]
    ['en_US', 'tr_TR', 'kk_KZ']
    """
    from babel.core import get_global

    locale = babel_locale(code)
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags").get(locale.language, locale.language)
    territory = next((part for part in likely.split("_")[1:] if part.isupper() and len(part) == 2), None)
    return f"{locale.language}_{territory}" if territory else locale.language


@lru_cache(maxsize=None)
def usual_script(code: str) -> str | None:
    """The ISO 15924 script a language is written in, from its code ('kk-Latn') or else CLDR's
    likely subtags: 'Cyrl' for Kazakh, 'Latn' for Turkish.

    >>> [usual_script(c) for c in ("en", "tr", "kk", "kk-Latn")]
    ['Latn', 'Latn', 'Cyrl', 'Latn']
    """
    from babel.core import get_global

    # As the code is written: Babel reads 'kk_Latn' as kk_Cyrl, the only Kazakh its data has.
    likely = code.replace("-", "_")
    if not any(len(part) == 4 for part in likely.split("_")[1:]):
        language = babel_locale(code).language
        likely = get_global("likely_subtags").get(language, language)
    return next((part for part in likely.split("_")[1:] if len(part) == 4 and part.istitle()), None)


_LETTERS_OF = {"Latn": re.compile(r"[A-Za-z\u00c0-\u024f]+"), "Cyrl": re.compile(r"[\u0400-\u052f]+")}
"""Runs of each alphabet's letters (runs, not letters: half the time of a check of 10,000 records)."""
SCRIPT_NAMES = {"Latn": "Latin", "Cyrl": "Cyrillic"}


def written_script(text: str, least: int = 40, share: float = 0.9) -> str | None:
    """The script (Latn or Cyrl) of at least ``share`` of the letters of ``text``, when it has
    ``least`` letters of the two; None otherwise (too short to tell, or both). The names of a
    Kazakh release that keep their Latin letters (TÜRKSOY, UNESCO) are a small part of it.

    >>> written_script("Түркі әлемінің мәдени астанасы 2026 жылы Түркістан қаласы болады, деді ТҮРКСОЙ.")
    'Cyrl'
    >>> written_script("Türk dünyasının kültür başkenti 2026 yılında Türkistan şehri olacak, dedi TÜRKSOY.")
    'Latn'
    >>> written_script("ТҮРКСОЙ and UNESCO") is None
    True
    """
    counts = {script: sum(map(len, letters.findall(text))) for script, letters in _LETTERS_OF.items()}
    total = sum(counts.values())
    if total < least:
        return None
    return next((script for script, count in counts.items() if count >= share * total), None)


@lru_cache(maxsize=1024)
def long_date(date: dt.date, code: str) -> str:
    """CLDR long date: 'April 8, 2011', '8 Nisan 2011', '2011 ж. 8 сәуір'.

    Kept per day and language: a page prints its date several times, and is rendered twice."""
    return format_date(date, "long", locale=babel_locale(code))


def month_and_year(date: dt.date, code: str) -> str:
    """CLDR's month and year, as an archive page is titled.

    >>> [month_and_year(dt.date(2011, 4, 1), code) for code in ("en", "tr", "kk")]
    ['April 2011', 'Nisan 2011', '2011\\u202fж. сәуір']
    """
    return format_skeleton("yMMMM", date, locale=babel_locale(code))


def long_datetime(moment: dt.datetime, code: str) -> str:
    """Date, time and the zone's localised name, in the moment's own timezone.

    >>> import zoneinfo
    >>> long_datetime(dt.datetime(2011, 4, 8, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Baku")), "en")
    'April 8, 2011, 10:00 (Azerbaijan Time)'
    """
    locale = babel_locale(code)
    date = format_date(moment.date(), "long", locale=locale)
    time = format_datetime(moment, "HH:mm", tzinfo=moment.tzinfo, locale=locale)
    return f"{date}, {time} ({zone_name(moment, code)})"


_LATEST_RULES = dt.datetime(2100, 1, 15)
"""A moment under every zone's latest rules in the tz database (a fixed one: builds never read the clock)."""


def zone_name(moment: dt.datetime, code: str) -> str:
    """The name of the moment's timezone in the language, as CLDR gives it.

    1. The generic name ('Azerbaijan Time', 'Türkiye Saati');
    2. for a zone without summer time, the standard name: CLDR gives a metazone
       without DST no generic name (Kazakhstan's, one zone since 2024), and Babel
       then prints 'GMT+05:00'. Babel's metazones are today's, so only a moment on
       today's offset gets it: Almaty in 2011 (+06:00, East Kazakhstan) was not on
       'Kazakhstan Time';
    3. else the exemplar city in CLDR's region format: 'Almaty Time', 'Almatı
       Saati', 'Алматы уақыты';
    4. an offset ('+06:00') or UTC has no name: 'GMT+06:00'.

    >>> import zoneinfo
    >>> almaty = zoneinfo.ZoneInfo("Asia/Almaty")
    >>> [zone_name(dt.datetime(2026, 12, 3, 2, 0, tzinfo=almaty), c) for c in ("en", "tr", "kk")]
    ['Kazakhstan Time', 'Kazakistan Saati', 'Қазақстан уақыты']
    >>> [zone_name(dt.datetime(2011, 4, 8, 10, 0, tzinfo=almaty), c) for c in ("en", "tr", "kk")]
    ['Almaty Time', 'Almatı Saati', 'Алматы уақыты']
    >>> zone_name(dt.datetime(2011, 4, 8, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Baku")), "tr")
    'Azerbaycan Saati'
    >>> zone_name(dt.datetime(2011, 4, 8, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=6))), "en")
    'GMT+06:00'
    """
    locale = babel_locale(code)
    gmt = get_timezone_gmt(moment, width="long", locale=locale)
    generic = get_timezone_name(moment, width="long", locale=locale, zone_variant="generic")
    if generic != gmt:
        return generic
    zone = moment.tzinfo
    if not hasattr(zone, "key"):  # a fixed offset or UTC, not an IANA zone
        return gmt
    if not moment.dst() and moment.utcoffset() == _LATEST_RULES.replace(tzinfo=zone).utcoffset():
        standard = get_timezone_name(moment, width="long", locale=locale, zone_variant="standard")
        if standard != gmt:
            return standard
    city = get_timezone_location(moment, locale=locale, return_city=True)
    region = locale.zone_formats.get("region")
    return region % city if city and region else gmt


def upper(text: str, code: str) -> str:
    """Capitals by the rules of the text's language.

    >>> upper("İstanbul ve Diyarbakır", "tr")
    'İSTANBUL VE DİYARBAKIR'
    >>> upper("Нұр-Сұлтан", "kk")
    'НҰР-СҰЛТАН'
    >>> upper("Baku", "en")
    'BAKU'
    """
    if _base(code) in _DOTTED_I:
        text = text.replace("i", "İ")
    # After the language's own exceptions, Unicode's default mapping is right:
    # it covers Kazakh Cyrillic (ә→Ә, ұ→Ұ, і→І) and maps ı to I.
    return text.upper()


def lower(text: str, code: str) -> str:
    """Lower case by the rules of the text's language.

    >>> lower("ISPARTA", "tr")
    'ısparta'
    >>> lower("İZMİR", "tr")
    'izmir'
    """
    if _base(code) in _DOTTED_I:
        text = text.replace("I", "ı").replace("İ", "i")
    return text.lower()


def fold(text: str, code: str) -> str:
    """Lower case for finding one text in another regardless of case, by the language's
    rules, except for one letter: a capital I stays I.

    No language's rules settle what a capital I stands for in a name from another
    language: a Turkish ı in an English wire's "Mehmet YILDIZ", an i in a Turkish
    text's "KAZINFORM" (a brand keeps its own capitals). The glossary's matcher
    (qa.py) lets I stand for either; a dotted İ is always i.

    >>> fold("İZMİR ve ISPARTA", "tr")
    'izmir ve Isparta'
    >>> fold("Mehmet YILDIZ in İzmir", "en")
    'mehmet yIldIz in izmir'
    >>> fold("ТҮРКСОЙ-дың", "kk")
    'түрксой-дың'
    """
    # Python lowers İ to i + U+0307 (combining dot above) outside Turkish rules.
    return "I".join(lower(part, code).replace("i\u0307", "i") for part in text.split("I"))


def upper_first(text: str, code: str) -> str:
    """Capitalise the first letter only, by the language's rules: 'izmir' → 'İzmir'."""
    return upper(text[:1], code) + text[1:] if text else text


def quote(text: str, code: str, inner: bool = False) -> str:
    """Wrap ``text`` in the language's quotation marks.

    >>> quote("Biz hazırız", "tr")
    '“Biz hazırız”'
    >>> quote("Біз дайынбыз", "kk")
    '«Біз дайынбыз»'
    """
    marks = QUOTES.get(_base(code), QUOTES["en"])
    open_, close = (marks[2], marks[3]) if inner else (marks[0], marks[1])
    return f"{open_}{text}{close}"


def wire_quote(text: str, code: str) -> str:
    """Wrap ``text`` in the wire style's quotation marks for the language.

    >>> wire_quote("Biz hazırız.", "tr")
    '“Biz hazırız.”'
    >>> wire_quote("Біз дайынбыз", "kk")
    '«Біз дайынбыз»'
    """
    if _base(code) in _WIRE_MARKS_OWN:
        return quote(text, code)
    return f"«{text}»"


def before_speaker(words: str, code: str) -> str:
    """A quote's words as they stand before its speaker in the wire style.

    A comma follows them in English and Kazakh and takes the place of a final full stop;
    Turkish keeps the sentence whole, so it ends with a full stop if it has none.

    >>> before_speaker("We are ready.", "en")
    'We are ready'
    >>> before_speaker("Özel önem veriliyor", "tr")
    'Özel önem veriliyor.'
    >>> before_speaker("Kim bilebilirdi?", "tr")
    'Kim bilebilirdi?'
    """
    if _base(code) in _SENTENCE_KEPT_BEFORE_SPEAKER:
        stripped = words.rstrip()
        return words if stripped.endswith((".", "?", "!", "…")) else f"{stripped}."
    return words[:-1] if words.endswith(".") and not words.endswith("...") else words


FIXED_COMPOUNDS = {
    "tr": ("iş birli", "göz önün"),
}
"""Compounds written as two words that a headline never breaks between: the start of each
(any case, any ending: 'iş birliği', 'İş Birliğinin'). Turkish writes 'iş birliği' apart
(TDK), and a line ending in 'iş' reads as the noun 'work'."""


def keep_compounds(text: str, code: str) -> str:
    """A no-break space inside each of the language's fixed compounds.

    >>> keep_compounds("TÜRKSOY ile İSESKO arasında iş birliği anlaşması", "tr")
    'TÜRKSOY ile İSESKO arasında iş\xa0birliği anlaşması'
    """
    for compound in FIXED_COMPOUNDS.get(_base(code), ()):
        first, rest = compound.split(" ", 1)
        text = re.sub(rf"(?<!\w)({re.escape(first)}) (?={re.escape(rest)})", "\\1\u00a0", text, flags=re.IGNORECASE)
    return text


def _base(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()
