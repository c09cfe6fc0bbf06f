"""The translation memory: every approved translation in the project.

Built from the project's own catalogs only (locales/<lang>/releases/*.po and
the office catalogs locales/<lang>/LC_MESSAGES/messages.po), never from the
network. `pressgen catalogs update` asks it for a new or changed message
(`Memory.lookup`), and `pressgen tm export` writes it as TMX 1.4b for CAT
tools (`write_tmx`).

Approved means translated and not fuzzy, in a live entry: a fuzzy string
waits for review, and an obsolete (#~) entry is no longer maintained. (A
catalog's own fuzzy and obsolete entries still count for that catalog: see
`catalogs.update_catalog`, which restores a text that comes back.)

Similarity is difflib's ratio on words (`similarity`): the tokens are words
and punctuation marks, compared in order, case-sensitively. A match counts
from 75 %, the default of Weblate's translation memory (its lookup
`threshold=75`) and of the Translate Toolkit's `pretranslate` (`--similarity`,
75 %), which Pootle and Virtaal use.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Collector, PressgenError

THRESHOLD = 0.75
"""The least similarity (0..1) for a near match."""

COMMENT_PREFIX = "Translation memory:"
"""Starts every translator comment (`# `) that the memory writes into a catalog."""

_TOKEN = re.compile(r"\w+|[^\w\s]")
# A sentence ends with . ! ? or … (and any closing quotes or brackets), then
# space, then a capital letter or an opening quote. "Dr. Smith" would split:
# alignment then fails for want of the same count on both sides, and nothing is
# offered rather than something wrong.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»’)\]]*\s+")
_OPENING = "\"'“«‘(["


@dataclass(frozen=True)
class Unit:
    """One approved translation."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    context: str | None
    """msgctxt: 'paragraph', 'headline', 'turksoy: name'…"""
    origin: str
    """The catalog it comes from, relative to the project: locales/tr/releases/x.po."""


@dataclass(frozen=True)
class Match:
    """What the memory offers for one source text."""

    target: str
    score: float
    """0..1; 1.0 for an exact match, the word-weighted mean for joined sentences."""
    kind: str
    """'exact', 'near' or 'sentences'."""
    origins: tuple[tuple[float, str], ...]
    """(score, catalog) per segment used: one for a paragraph, one per sentence."""

    def comments(self) -> list[str]:
        """The translator comments that say where the pre-filled text comes from.

        Each line is unique, also where Babel wraps it at 76 columns (its reader merges
        identical comment lines: a trial's second `catalogs update` dropped some, and
        rewrote catalogs nobody edited): the sentences taken from one catalog are named
        on one line, their numbers first, so that its path, which no space breaks, comes
        once and what wraps before it differs from line to line.

        >>> Match("x", 0.8, "near", ((0.8, "locales/tr/releases/a.po"),)).comments()
        ['Translation memory: 80% locales/tr/releases/a.po']
        >>> Match("x y z", 0.9, "sentences", ((1.0, "a.po"), (0.8, "b.po"), (0.9, "a.po"))).comments()
        ['Translation memory: 3 sentences joined (90%)', 'Translation memory: sentences 1 and 3, 90%: a.po', 'Translation memory: sentence 2, 80%: b.po']
        """
        if self.kind != "sentences":
            return [f"{COMMENT_PREFIX} {percent(self.score)} {self.origins[0][1]}"]
        lines = [f"{COMMENT_PREFIX} {len(self.origins)} sentences joined ({percent(self.score)})"]
        by_catalog: dict[str, list[tuple[int, float]]] = {}
        for n, (score, origin) in enumerate(self.origins, 1):
            by_catalog.setdefault(origin, []).append((n, score))
        for origin, found in by_catalog.items():
            numbers = [str(n) for n, _ in found]
            named = f"sentence {numbers[0]}" if len(numbers) == 1 else \
                f"sentences {', '.join(numbers[:-1])} and {numbers[-1]}"
            lines.append(f"{COMMENT_PREFIX} {named}, {percent(min(score for _, score in found))}: {origin}")
        return lines


def percent(score: float) -> str:
    """Rounded down, so that a near match never shows as '100%'.

    >>> percent(1.0), percent(0.9999), percent(0.75)
    ('100%', '99%', '75%')
    """
    return f"{math.floor(score * 100 + 1e-9)}%"


def tokens(text: str) -> tuple[str, ...]:
    """Words and punctuation marks, in order.

    >>> tokens("Kaseinov's plan, in 2011.")
    ('Kaseinov', "'", 's', 'plan', ',', 'in', '2011', '.')
    """
    return tuple(_TOKEN.findall(text))


def similarity(a: str | tuple[str, ...], b: str | tuple[str, ...]) -> float:
    """difflib's ratio on word tokens: 2 * matched / (len(a) + len(b)).

    >>> round(similarity("took place in the palace", "took place at the palace"), 2)
    0.8
    """
    a = tokens(a) if isinstance(a, str) else a
    b = tokens(b) if isinstance(b, str) else b
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _ended_as(target: str, sentence: str) -> str:
    """A sentence's translation, with the full stop (or ! ? …) its sentence ends with where the
    translation has none: a match from a text that had none (a quote) ran two sentences together
    in a trial's joined offer ('… istiyoruz İpek Yolu …').

    >>> _ended_as("Her gazetecinin okumasını istiyoruz", "We want every journalist to read it.")
    'Her gazetecinin okumasını istiyoruz.'
    >>> _ended_as("Bitti.", "Done."), _ended_as("«Bitti»", "“Done.”"), _ended_as("Bitti", "Done")
    ('Bitti.', '«Bitti»', 'Bitti')
    """
    end = sentence.rstrip()[-1:]
    if end in ".!?…" and target and target.rstrip()[-1:] not in ".!?…»”\"'’)":
        return target.rstrip() + end
    return target


def split_sentences(text: str) -> list[str]:
    """A text's sentences, for matching below the paragraph.

    >>> split_sentences("It rained. “Yes,” he said! Then 8. sınıf is one. Done")
    ['It rained.', '“Yes,” he said!', 'Then 8. sınıf is one.', 'Done']
    """
    sentences, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        following = text[end.end():end.end() + 1]
        if following and (following.isupper() or following in _OPENING):
            sentences.append(text[start:end.end()].rstrip())
            start = end.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


@dataclass
class _Entry:
    """One distinct source text and its approved translations."""

    source: str
    tokens: tuple[str, ...]
    translations: dict[tuple[str, str | None], set[str]] = field(default_factory=dict)
    """(target, context) -> the catalogs that have it."""
    elements: frozenset[tuple[str, int]] = frozenset()
    """`_elements(tokens)`: their overlap with a query's bounds the matched tokens."""

    def best(self, context: str | None) -> tuple[str, str]:
        """(target, origin): the same context first, then the target most catalogs
        agree on, then the first in sort order, so that the choice never depends on
        the order in which catalogs were read."""
        (target, _), origins = min(
            self.translations.items(),
            key=lambda item: (item[0][1] != context, -len(item[1]), item[0][0], str(item[0][1]), min(item[1])),
        )
        return target, min(origins)


class _Index:
    """Distinct source texts, found exactly by a dict and nearly through an
    inverted index with a prefix filter: a text at least THRESHOLD similar to the
    query shares with it at least `_need(n)` of the query's n tokens, so it holds
    one of the query's n - need + 1 rarest tokens. Only texts listed under those
    are compared with difflib, which keeps a lookup fast on a large archive."""

    def __init__(self) -> None:
        self.entries: dict[str, _Entry] = {}
        self._postings: dict[tuple[str, int], list[_Entry]] | None = None

    def add(self, source: str, target: str, context: str | None, origin: str) -> None:
        entry = self.entries.get(source)
        if entry is None:
            words = tokens(source)
            entry = self.entries[source] = _Entry(source, words, elements=frozenset(_elements(words)))
            self._postings = None
        entry.translations.setdefault((target, context), set()).add(origin)

    def _index(self) -> dict[tuple[str, int], list[_Entry]]:
        if self._postings is None:
            postings: dict[tuple[str, int], list[_Entry]] = defaultdict(list)
            for source in sorted(self.entries):
                entry = self.entries[source]
                for element in _elements(entry.tokens):
                    postings[element].append(entry)
            self._postings = dict(postings)
        return self._postings

    def near(self, source: str) -> tuple[float, _Entry] | None:
        """The most similar other text, if at least THRESHOLD similar; ties go to
        the first source text in sort order."""
        query = tokens(source)
        if not query:
            return None
        postings = self._index()
        query_elements = frozenset(_elements(query))
        elements = sorted(query_elements, key=lambda e: (len(postings.get(e, ())), e))
        prefix = elements[:len(query) - _need(len(query)) + 1]
        low, high = THRESHOLD * len(query) / (2 - THRESHOLD), len(query) * (2 - THRESHOLD) / THRESHOLD
        best: tuple[float, str, _Entry] | None = None
        seen: set[str] = set()
        for element in prefix:
            for entry in postings.get(element, ()):
                if entry.source in seen or entry.source == source:
                    continue
                seen.add(entry.source)
                size = len(entry.tokens)
                if not low - 1e-9 <= size <= high + 1e-9:
                    continue
                # The shared elements bound the matched tokens: a cheap test in C
                # before difflib's.
                if 2 * len(query_elements & entry.elements) < THRESHOLD * (len(query) + size) - 1e-9:
                    continue
                matcher = difflib.SequenceMatcher(None, query, entry.tokens, autojunk=False)
                if matcher.real_quick_ratio() < THRESHOLD or matcher.quick_ratio() < THRESHOLD:
                    continue
                score = matcher.ratio()
                if score >= THRESHOLD and (best is None or (-score, entry.source) < (-best[0], best[1])):
                    best = (score, entry.source, entry)
        return (best[0], best[2]) if best else None


def _elements(words: tuple[str, ...]) -> list[tuple[str, int]]:
    """Tokens numbered by occurrence ('the' twice gives ('the', 0), ('the', 1)), so
    that shared elements count matched tokens, repeats included."""
    seen: dict[str, int] = defaultdict(int)
    elements = []
    for word in words:
        elements.append((word, seen[word]))
        seen[word] += 1
    return elements


def _need(n: int) -> int:
    """Tokens a text of n tokens shares with any text at least THRESHOLD similar.

    ratio = 2M / (n + m) >= t with M <= m gives m >= t·n / (2 - t), hence
    M >= t·(n + t·n/(2 - t)) / 2 = t·n / (2 - t): 0.6·n at 75 %.

    >>> [_need(n) for n in (1, 4, 10, 11)]
    [1, 2, 6, 6]
    """
    return max(1, math.floor(THRESHOLD * n / (2 - THRESHOLD) + 1e-9))


class Memory:
    """One language pair's approved translations (source language -> target language)."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self._paragraphs = _Index()
        self._sentences = _Index()
        for unit in units:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self._paragraphs.add(unit.source, unit.target, unit.context, unit.origin)
        # Sentence pairs: a message of one sentence is one; a longer message gives
        # its sentences' translations only when source and translation have the
        # same number of sentences, paired in order (the usual first step of
        # sentence alignment; a translator who merged or split sentences gives none).
        sources, targets = split_sentences(unit.source), split_sentences(unit.target)
        if len(sources) == len(targets):
            for source, target in zip(sources, targets):
                self._sentences.add(source, target, None, unit.origin)

    def lookup(self, source: str, context: str | None) -> Match | None:
        """The best the memory offers for a new text: an exact match; else the
        better of the nearest paragraph and the message's sentences, each found
        exactly or nearly, joined (a tie goes to the paragraph)."""
        entry = self._paragraphs.entries.get(source)
        if entry is not None:
            target, origin = entry.best(context)
            return Match(target, 1.0, "exact", ((1.0, origin),))
        found = self._paragraphs.near(source)
        paragraph = None
        if found is not None:
            score, entry = found
            target, origin = entry.best(context)
            paragraph = Match(target, score, "near", ((score, origin),))
        joined = self._joined(source)
        if joined is not None and (paragraph is None or joined.score > paragraph.score):
            return joined
        return paragraph

    def _joined(self, source: str) -> Match | None:
        sentences = split_sentences(source)
        if len(sentences) < 2:
            return None
        targets, origins, weighted, total = [], [], 0.0, 0
        for sentence in sentences:
            entry = self._sentences.entries.get(sentence)
            score = 1.0
            if entry is None:
                found = self._sentences.near(sentence)
                if found is None:
                    return None  # a gap would leave the translator a patchwork
                score, entry = found
            target, origin = entry.best(None)
            targets.append(_ended_as(target, sentence))
            origins.append((score, origin))
            size = len(tokens(sentence))
            weighted += score * size
            total += size
        return Match(" ".join(targets), weighted / total if total else 1.0, "sentences", tuple(origins))

    def __len__(self) -> int:
        return len(self._paragraphs.entries)


# --- building ------------------------------------------------------------------


def catalog_sources(root: Path, config, releases) -> Iterator[tuple[Path, str, str]]:
    """(catalog, source language, target language) for every catalog the memory
    reads, in a fixed order. A release catalog without a record (the release deleted,
    its id changed, or its record broken) still holds approved translations: its
    source language is inferred (see orphans.source_language), and it is skipped
    only when that cannot be."""
    from .catalogs import TEMPLATE_LANGUAGE, messages_path
    from .orphans import release_catalogs, source_language

    recorded = {release.id: release.lang for release in releases}
    langs = sorted(config.languages)
    catalogs = {lang: release_catalogs(root, lang) for lang in langs}
    ids = {lang: {path.stem for path in paths} for lang, paths in catalogs.items()}
    for lang in langs:
        messages = messages_path(root, lang)
        if lang != TEMPLATE_LANGUAGE and messages.is_file():
            yield messages, TEMPLATE_LANGUAGE, lang
        for path in catalogs[lang]:
            source = recorded.get(path.stem) or source_language(path.stem, ids)
            if source is not None and source != lang:
                yield path, source, lang


def read_units(root: Path, config, releases, langs: Iterable[str] | None = None,
               broken: Collector | None = None) -> list[Unit]:
    """Every approved translation of the project's catalogs; all broken catalogs
    are reported together, or, with ``broken``, gathered there and left out."""
    from .catalogs import is_translated, read_catalog

    wanted = set(langs) if langs is not None else None
    units: list[Unit] = []
    errors = Collector()
    for path, source_lang, lang in catalog_sources(root, config, releases):
        if wanted is not None and lang not in wanted:
            continue
        try:
            catalog = read_catalog(path, lang, mend=True)  # what catalogs update mends, it may read
        except PressgenError as exc:
            (broken if broken is not None else errors).extend(exc)
            continue
        origin = path.relative_to(root).as_posix()
        for message in catalog:
            if message.id and isinstance(message.id, str) and is_translated(message):
                units.append(Unit(source_lang, lang, message.id, message.string, message.context, origin))
    errors.raise_if_any()
    return units


def build_memories(root: Path, config, releases, broken: Collector | None = None) -> dict[tuple[str, str], Memory]:
    """(source language, target language) -> Memory, read once per `catalogs update`
    (from the catalogs it can read, with ``broken``: see read_units)."""
    memories: dict[tuple[str, str], Memory] = {}
    for unit in read_units(root, config, releases, broken=broken):
        memories.setdefault((unit.source_lang, unit.target_lang), Memory()).add(unit)
    return memories


# --- TMX -------------------------------------------------------------------------


def tmx_document(units: Iterable[Unit]):
    """TMX 1.4b (https://www.gala-global.org/tmx-14b) as an ElementTree.

    One <tu> per distinct (source, context, translation) and language pair, with
    the context as <prop type="x-context"> and each catalog that has it as
    <prop type="x-origin">, sorted, so the same catalogs give the same bytes.
    """
    import xml.etree.ElementTree as ET

    from . import __version__
    from .lang import bcp47

    grouped: dict[tuple[str, str, str, str, str], set[str]] = defaultdict(set)
    for unit in units:
        key = (unit.target_lang, unit.source_lang, unit.source, unit.context or "", unit.target)
        grouped[key].add(unit.origin)
    source_langs = sorted({key[1] for key in grouped})
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(root, "header", {
        "creationtool": "pressgen", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "paragraph", "adminlang": "en", "o-tmf": "gettext PO",
        # TMX's value for a memory whose units start from several languages.
        "srclang": bcp47(source_langs[0]) if len(source_langs) == 1 else "*all*",
    })
    body = ET.SubElement(root, "body")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for key in sorted(grouped):
        target_lang, source_lang, source, context, target = key
        tu = ET.SubElement(body, "tu", srclang=bcp47(source_lang))
        if context:
            ET.SubElement(tu, "prop", type="x-context").text = context
        for origin in sorted(grouped[key]):
            ET.SubElement(tu, "prop", type="x-origin").text = origin
        for lang, text in ((source_lang, source), (target_lang, target)):
            tuv = ET.SubElement(tu, "tuv", {xml_lang: bcp47(lang)})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    return ET.ElementTree(root)


def export_tmx(root: Path | str, langs: Iterable[str] | None = None) -> tuple[bytes, int]:
    """`pressgen tm export`: the project's memory as TMX bytes, and how many <tu>."""
    import io

    from .errors import UsageError
    from .project import load_project

    project = load_project(root)
    langs = tuple(langs) if langs else None
    unknown = [lang for lang in langs or () if lang not in project.config.languages]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}; this project publishes in "
                         f"{', '.join(project.config.languages)}")
    document = tmx_document(read_units(project.root, project.config, project.releases, langs))
    buffer = io.BytesIO()
    document.write(buffer, encoding="UTF-8", xml_declaration=True)
    buffer.write(b"\n")
    return buffer.getvalue(), len(document.getroot().find("body"))
