"""Tags as each language's readers see them, for the newsroom's tag pages. Pure: no I/O.

Tags are translated per release (each release's catalog translates its own), so no
key is shared across languages. As Hugo does for a multilingual taxonomy, tag pages
are per language, keyed by the slug of the tag as it reads in that language
(slug.tag_slug). A tag page's alternates in another language go where the same
releases' same tags (same position in the record) lead there: the most common one
when translators differ, none when those releases have no such tag there.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable, Generic, Mapping, Sequence, TypeVar

from .slug import tag_slug

T = TypeVar("T")


@dataclass(frozen=True)
class Tag(Generic[T]):
    """One tag of one language, with the releases tagged with it."""

    slug: str
    name: str
    """Its most common spelling among those releases ('Kültür' and 'kültür' share a slug)."""
    entries: tuple[T, ...]
    """Newest first, each once."""


def group_tags(entries: Sequence[T], tags_of: Callable[[T], Sequence[str]],
               collate: Callable[[str], object] | None = None) -> list[Tag[T]]:
    """The tags of ``entries`` (newest first), most used first, then alphabetically.

    Most used first because a reader browsing an archive looks for its big subjects
    first (Hugo's ByCount), and that order needs no collation. Ties go by ``collate``,
    the language's alphabetical order (lang.collation_key); without it by slug, which
    is ASCII (ç with c, ә with a).

    >>> [(t.slug, t.name, t.entries) for t in group_tags(["a", "b", "c"], {"a": ["İzmir", "kültür"],
    ...     "b": ["Kültür"], "c": ["Kültür", "ılık"]}.get)]
    [('kultur', 'Kültür', ('a', 'b', 'c')), ('ilik', 'ılık', ('c',)), ('izmir', 'İzmir', ('a',))]
    """
    listed: dict[str, list[T]] = {}
    spellings: dict[str, Counter[str]] = {}
    for entry in entries:
        for tag in tags_of(entry):
            slug = tag_slug(tag)
            spellings.setdefault(slug, Counter())[tag] += 1
            on_page = listed.setdefault(slug, [])
            if not on_page or on_page[-1] is not entry:  # a release with 'Kültür' and 'kültür': once
                on_page.append(entry)
    tags = [Tag(slug, spellings[slug].most_common(1)[0][0], tuple(on_page)) for slug, on_page in listed.items()]
    return sorted(tags, key=lambda t: (-len(t.entries), collate(t.name) if collate else b"", t.slug))


def tag_alternates(entries: Mapping[str, Sequence[T]], tags_of: Callable[[T], Sequence[str]],
                   id_of: Callable[[T], str]) -> dict[tuple[str, str], dict[str, str]]:
    """(language, slug) → {other language: slug} for every tag of ``entries`` (by language).

    >>> tags = {"en": [("r1", ["culture", "music"]), ("r2", ["culture"])],
    ...         "tr": [("r1", ["kültür", "müzik"]), ("r2", ["kültür ve sanat"])], "kk": [("r2", [])]}
    >>> alternates = tag_alternates(tags, lambda e: e[1], lambda e: e[0])
    >>> alternates["en", "culture"], alternates["en", "music"], alternates["tr", "kultur-ve-sanat"]
    ({'tr': 'kultur'}, {'tr': 'muzik'}, {'en': 'culture'})
    """
    slugs = {lang: {id_of(e): [tag_slug(t) for t in tags_of(e)] for e in listed} for lang, listed in entries.items()}
    counts: dict[tuple[str, str], dict[str, Counter[str]]] = {}
    for lang, by_id in slugs.items():
        for release_id, own in by_id.items():
            for position, slug in enumerate(own):
                found = counts.setdefault((lang, slug), {})
                for other, theirs in slugs.items():
                    there = theirs.get(release_id) if other != lang else None
                    if there and position < len(there):
                        found.setdefault(other, Counter())[there[position]] += 1
    # Ties go to the newest release's tag (entries are newest first, and Counter keeps that order).
    return {key: {other: counter.most_common(1)[0][0] for other, counter in found.items()}
            for key, found in counts.items()}
