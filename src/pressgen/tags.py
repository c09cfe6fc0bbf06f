"""Tags as each language's readers see them, for the newsroom's tag pages. Pure: no I/O.

Tags are translated per release (each release's catalog translates its own), so no
key is shared across languages. As Hugo does for a multilingual taxonomy, tag pages
are per language, keyed by the slug of the tag as it reads in that language
(slug.tag_slug). A tag page's alternates in another language go where the same
releases' same tags (same position in the record) lead there: the most common one
when translators differ, none when those releases have no such tag there.
"""

from __future__ import annotations

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


def group_tags(entries: Sequence[T], tags_of: Callable[[T], Sequence[str]]) -> list[Tag[T]]:
    """The tags of ``entries`` (newest first), most used first, then by slug.

    Most used first because a reader browsing an archive looks for its big subjects
    first (Hugo's ByCount), and that order needs no collation; the index of tags puts
    tags used alike in the language's alphabetical order (``collated``).

    >>> [(t.slug, t.name, t.entries) for t in group_tags(["a", "b", "c"], {"a": ["İzmir", "kültür"],
    ...     "b": ["Kültür"], "c": ["Kültür", "ılık"]}.get)]
    [('kultur', 'Kültür', ('a', 'b', 'c')), ('ilik', 'ılık', ('c',)), ('izmir', 'İzmir', ('a',))]
    """
    # By spelling first, then spellings by slug: a build lists every version's tags, and an
    # archive has few distinct ones.
    by_tag: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        for tag in tags_of(entry):
            by_tag.setdefault(tag, []).append(position)
    spellings: dict[str, list[str]] = {}
    for tag in by_tag:
        spellings.setdefault(tag_slug(tag), []).append(tag)
    tags = []
    for slug, alike in spellings.items():
        # A release with 'Kültür' and 'kültür' is listed once.
        positions = sorted({p for tag in alike for p in by_tag[tag]}) if len(alike) > 1 \
            else dict.fromkeys(by_tag[alike[0]])
        name = max(alike, key=lambda tag: len(by_tag[tag]))  # the first seen (newest) of the most used
        tags.append(Tag(slug, name, tuple(entries[p] for p in positions)))
    return sorted(tags, key=lambda t: (-len(t.entries), t.slug))


def collated(links: Sequence[tuple[str, str, int]], collate: Callable[[str], object] | None) -> list:
    """The index of tags' (name, path, count) links, tags used alike in the language's
    alphabetical order (lang.collation_key); without a collation, by slug as they came
    (ASCII: ç with c, ә with a). Done only when the index is made: a build that makes
    none loads no collator.

    >>> collated([("x", "x/", 3), ("Жылы", "zhyly/", 2), ("Измир", "izmir/", 2)], None)[1][0]
    'Жылы'
    """
    if collate is None:
        return list(links)
    return sorted(links, key=lambda link: (-link[2], collate(link[0])))


def tag_alternates(entries: Mapping[str, Sequence[T]], tags_of: Callable[[T], Sequence[str]],
                   id_of: Callable[[T], str], only: Mapping[tuple[str, str], Sequence[T]] | None = None
                   ) -> dict[tuple[str, str], dict[str, str]]:
    """(language, slug) → {other language: slug} for every tag of ``entries`` (by language);
    with ``only`` ((language, slug) → the entries with that tag, newest first: Tag.entries),
    for those tags alone, counted over their own entries (the tag pages an edit makes again).

    >>> tags = {"en": [("r1", ["culture", "music"]), ("r2", ["culture"])],
    ...         "tr": [("r1", ["kültür", "müzik"]), ("r2", ["kültür ve sanat"])], "kk": [("r2", [])]}
    >>> alternates = tag_alternates(tags, lambda e: e[1], lambda e: e[0])
    >>> alternates["en", "culture"], alternates["en", "music"], alternates["tr", "kultur-ve-sanat"]
    ({'tr': 'kultur'}, {'tr': 'muzik'}, {'en': 'culture'})
    >>> tag_alternates(tags, lambda e: e[1], lambda e: e[0], only={("en", "music"): [tags["en"][0]]})
    {('en', 'music'): {'tr': 'muzik'}}
    """
    by_id = {lang: {id_of(e): e for e in listed} for lang, listed in entries.items()}
    slugs: dict[tuple[str, str], tuple[str, ...]] = {}

    def slugs_of(lang: str, release_id: str) -> tuple[str, ...]:
        if (lang, release_id) not in slugs:
            entry = by_id[lang].get(release_id)
            slugs[lang, release_id] = tuple(map(tag_slug, tags_of(entry))) if entry is not None else ()
        return slugs[lang, release_id]

    counted = [(lang, None, listed) for lang, listed in entries.items()] if only is None else \
        [(lang, slug, tagged) for (lang, slug), tagged in only.items()]
    counts: dict[tuple[str, str, str, str], int] = {}
    """(language, slug, other language, its slug at the same place) → how many releases."""
    for lang, alone, listed in counted:
        others = [other for other in entries if other != lang]
        for entry in listed:
            release_id = id_of(entry)
            own = slugs_of(lang, release_id)
            for other in others:
                for slug, there in zip(own, slugs_of(other, release_id)):
                    if alone is None or slug == alone:
                        key = (lang, slug, other, there)
                        counts[key] = counts.get(key, 0) + 1
    # Ties go to the newest release's tag: entries are newest first, and counts keeps that order.
    best: dict[tuple[str, str, str], tuple[int, str]] = {}
    for (lang, slug, other, there), count in counts.items():
        if count > best.get((lang, slug, other), (0, ""))[0]:
            best[lang, slug, other] = (count, there)
    alternates: dict[tuple[str, str], dict[str, str]] = {}
    for (lang, slug, other), (_, there) in best.items():
        alternates.setdefault((lang, slug), {})[other] = there
    return alternates
