"""Which newsroom pages an archive has: pages of a fixed size, newest first, by year
and month, by organisation and by tag. Pure: no rendering, no I/O (site.py renders them).

Paths are relative to a language's folder, out/<lang>/:

    index.html, page/2.html, …             every release
    org/<key>/index.html, org/<key>/page/2.html, …
    archive/index.html                     the years
    archive/<yyyy>/index.html              that year's months
    archive/<yyyy>/<mm>.html               that month's releases (one page: a month is short)
    tags/index.html                        the language's tags, most used first
    tags/<slug>/index.html, tags/<slug>/page/2.html, …   (tags.py: a slug per language)

A list of N releases has ceil(N / page_size) pages, so a new release shifts every
page's content by one; a page's key is its entries (site.plan_site), and only the
pages whose entries changed are rendered again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

from .tags import Tag

T = TypeVar("T")


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One listing page of one language."""

    path: str
    """Relative to out/<lang>/."""
    kind: str
    """'all', 'organisation', 'month', 'years' (the archive's front page), 'year', 'tag' or
    'tags' (the index of tags)."""
    entries: Sequence[T] = ()
    """The releases it lists, newest first (none on 'years' and 'year' pages)."""
    page: int = 1
    pages: int = 1
    previous: str | None = None
    """The newer page's path, when there is one (rel=prev)."""
    next: str | None = None
    """The older page's path (rel=next)."""
    subject: str = ""
    """The organisation's key, the year ('2011') or month ('2011-04') listed, or the tag as it reads."""
    links: tuple[tuple[str, str, int], ...] = ()
    """On 'years', 'year' and 'tags' pages: (the year, 'yyyy-mm' or tag, its path, number of releases)."""

    @property
    def up(self) -> str:
        """From this page back to out/<lang>/.

        >>> Listing("org/turksoy/page/2.html", "organisation").up
        '../../../'
        """
        return "../" * self.path.count("/")


def paginate(entries: Sequence[T], size: int, first: str, kind: str, subject: str = "") -> list[Listing[T]]:
    """``entries`` (newest first) in pages of ``size``; the first page at ``first``
    ('index.html' or 'org/x/index.html'), the others at page/<n>.html beside it.

    >>> [(p.path, p.previous, p.next) for p in paginate(list(range(5)), 2, "index.html", "all")]
    [('index.html', None, 'page/2.html'), ('page/2.html', 'index.html', 'page/3.html'), ('page/3.html', 'page/2.html', None)]
    """
    folder = first.rpartition("/")[0]
    folder = f"{folder}/" if folder else ""
    count = max(1, -(-len(entries) // size))
    paths = [first, *(f"{folder}page/{n}.html" for n in range(2, count + 1))]
    return [Listing(paths[n], kind, entries[n * size:(n + 1) * size], n + 1, count,
                    paths[n - 1] if n else None, paths[n + 1] if n + 1 < count else None, subject)
            for n in range(count)]


def plan_listings(entries: Sequence[T], size: int, date_of, organisation_of) -> list[Listing[T]]:
    """Every listing page of one language, from its public entries newest first."""
    pages = paginate(entries, size, "index.html", "all")
    by_org: dict[str, list[T]] = {}
    for entry in entries:
        by_org.setdefault(organisation_of(entry), []).append(entry)
    for key in sorted(by_org):
        pages += paginate(by_org[key], size, f"org/{key}/index.html", "organisation", key)
    # Grouped by the release's date, which may differ from its order (an embargo lifts later).
    by_month: dict[tuple[int, int], list[T]] = {}
    for entry in entries:
        date = date_of(entry)
        by_month.setdefault((date.year, date.month), []).append(entry)
    years = []
    for year in sorted({y for y, _ in by_month}, reverse=True):
        months = []
        for month in sorted((m for y, m in by_month if y == year), reverse=True):
            in_month = by_month[year, month]
            pages.append(Listing(f"archive/{year:04d}/{month:02d}.html", "month", in_month,
                                 subject=f"{year:04d}-{month:02d}"))
            months.append((f"{year:04d}-{month:02d}", f"{month:02d}.html", len(in_month)))
        pages.append(Listing(f"archive/{year:04d}/index.html", "year", subject=f"{year:04d}", links=tuple(months)))
        years.append((f"{year:04d}", f"{year:04d}/index.html", sum(n for _, _, n in months)))
    if years:
        pages.append(Listing("archive/index.html", "years", links=tuple(years)))
    return pages


def tag_listings(tags: Sequence[Tag[T]], size: int) -> list[Listing[T]]:
    """The pages of each tag (tags.group_tags), and the index of them all in that order."""
    pages: list[Listing[T]] = []
    for tag in tags:
        pages += paginate(tag.entries, size, f"tags/{tag.slug}/index.html", "tag", tag.name)
    if tags:
        pages.append(Listing("tags/index.html", "tags",
                             links=tuple((t.name, f"{t.slug}/index.html", len(t.entries)) for t in tags)))
    return pages


def month_start(subject: str) -> dt.date:
    """The first day of a month page's 'yyyy-mm' (for CLDR's month and year format)."""
    year, month = subject.split("-")
    return dt.date(int(year), int(month), 1)
