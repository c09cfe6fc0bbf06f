"""The typed model that flows through the pipeline. Frozen dataclasses, no I/O.

A Release is read from YAML in its source language (records.py), translated
into another language by replacing its Texts (translate.py), then rendered
(render.py, pdf.py). Every Text remembers its line, so any stage can point
back at the record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Union

STYLES = ("statement", "wire")


@dataclass(frozen=True)
class Text:
    """One translatable field: one gettext message for translators."""

    value: str
    line: int
    """Line in the source file (the record, or pressgen.yaml for office texts)."""
    context: str
    """The gettext msgctxt: names the field ('headline', 'paragraph', …)."""
    note: str = ""
    """A note for translators (the catalog's '#.' comment)."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Paragraph:
    text: Text
    kind = "paragraph"


@dataclass(frozen=True)
class Quote:
    text: Text
    """The words quoted, without quotation marks: each language adds its own."""
    by: Text | None = None
    """Who said it, e.g. 'Düsen Kaseinov, Secretary General of TÜRKSOY'."""
    kind = "quote"


Block = Union[Paragraph, Quote]


@dataclass(frozen=True)
class Contact:
    name: Text
    role: Text | None = None
    email: str | None = None
    phone: str | None = None

    def texts(self) -> Iterator[Text]:
        yield self.name
        if self.role:
            yield self.role


@dataclass(frozen=True)
class Correction:
    """A correction to a published release, shown on the page and in the PDF."""

    date: dt.date
    note: Text
    """What was corrected: 'Corrects the name of Kyrgyzstan's Minister of Culture.'"""


@dataclass(frozen=True)
class Source:
    path: Path
    line: int = 1


@dataclass(frozen=True)
class Release:
    id: str
    source: Source
    lang: str
    """The language the record is written in (a code from the office config)."""
    style: str
    """'statement' (an organisation's press release) or 'wire' (a news agency item)."""
    date: dt.date
    organisation: str
    """Key of the publishing organisation in pressgen.yaml."""
    place: Text
    """The dateline place, e.g. 'Baku'."""
    headline: Text
    summary: Text | None = None
    body: tuple[Block, ...] = ()
    embargo: dt.datetime | None = None
    """Timezone-aware moment before which the release must not be published."""
    tags: tuple[Text, ...] = ()
    contacts: tuple[Contact, ...] = ()
    """Press contacts for this release; empty means the organisation's."""
    version: int | None = None
    """Set from 2 on when a published release is reissued."""
    withdrawn: dt.date | None = None
    """Set when the office withdraws a release: it is never mailed again."""
    corrections: tuple[Correction, ...] = ()
    translated_into: str | None = field(default=None, compare=False)
    """Set on translated copies: the language the Texts are now in."""

    @property
    def language(self) -> str:
        """The language this copy's texts are in."""
        return self.translated_into or self.lang

    def texts(self) -> Iterator[Text]:
        """Every translatable field, in reading order (the catalog's order)."""
        yield self.headline
        if self.summary:
            yield self.summary
        yield self.place
        for block in self.body:
            yield block.text
            if isinstance(block, Quote) and block.by:
                yield block.by
        yield from self.tags
        for contact in self.contacts:
            yield from contact.texts()
        for correction in self.corrections:
            yield correction.note

    @property
    def lead_index(self) -> int | None:
        """The body's first paragraph, which the dateline opens (a quote may come before it)."""
        return next((i for i, block in enumerate(self.body) if isinstance(block, Paragraph)), None)

    @property
    def lead(self) -> Text | None:
        """The lead paragraph's text: what describes a release without a standfirst."""
        index = self.lead_index
        return self.body[index].text if index is not None else None

    @property
    def modified(self) -> dt.date:
        """The day of the last correction, else the release's date."""
        return max([c.date for c in self.corrections], default=self.date)

    def map_texts(self, fn: Callable[[Text], Text], lang: str) -> "Release":
        """A copy with every Text replaced by ``fn(text)``, marked as being in ``lang``."""

        def block(b: Block) -> Block:
            if isinstance(b, Quote):
                return Quote(fn(b.text), fn(b.by) if b.by else None)
            return Paragraph(fn(b.text))

        def contact(c: Contact) -> Contact:
            return replace(c, name=fn(c.name), role=fn(c.role) if c.role else None)

        return replace(
            self,
            headline=fn(self.headline),
            summary=fn(self.summary) if self.summary else None,
            place=fn(self.place),
            body=tuple(block(b) for b in self.body),
            tags=tuple(fn(t) for t in self.tags),
            contacts=tuple(contact(c) for c in self.contacts),
            corrections=tuple(replace(c, note=fn(c.note)) for c in self.corrections),
            translated_into=lang,
        )


@dataclass(frozen=True)
class Organisation:
    key: str
    name: Text
    """Full name: 'International Organization of Turkic Culture'."""
    short_name: Text
    """As in datelines and letterheads: 'TÜRKSOY', 'Kazinform'."""
    about: Text | None = None
    """The 'About …' boilerplate at the foot of every statement."""
    credit: Text | None = None
    """A credit line at the foot of every release: 'Reproduction permitted with a link to inform.kz.'"""
    dateline: Text | None = None
    """The name as wire datelines print it, exactly as written ('KAZINFORM'); without it, the
    short name in the language's capitals, which in Turkish dots an i ('KAZİNFORM')."""
    website: str | None = None
    logo: str | None = None
    """Path of the logo inside templates/ (project or bundled), e.g. 'assets/turksoy.svg'."""
    contacts: tuple[Contact, ...] = ()

    def texts(self) -> Iterator[Text]:
        yield self.name
        yield self.short_name
        if self.about:
            yield self.about
        if self.credit:
            yield self.credit
        if self.dateline:
            yield self.dateline
        for contact in self.contacts:
            yield from contact.texts()


@dataclass(frozen=True)
class MailConfig:
    """How releases reach journalists (pressgen mail)."""

    sender: str
    """The From address; its display name is the organisation's, in the recipient's language."""
    media_list: str = "media.csv"
    """The media list, relative to the project."""
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    """'starttls', 'ssl' or 'none'."""
    username: str | None = None
    """The password comes only from the PRESSGEN_SMTP_PASSWORD environment variable."""


@dataclass(frozen=True)
class Newsroom:
    """How the newsroom lists a large archive (pressgen.yaml's ``newsroom:``)."""

    page_size: int = 20
    """Releases per listing page (the newsroom, an organisation's, a tag's)."""
    feed_size: int = 50
    """Entries per Atom feed: the latest releases only."""
    sitemap_size: int = 50_000
    """URLs per sitemap file; beyond it, sitemap.xml becomes a sitemap index (the protocol's limit)."""


@dataclass(frozen=True)
class Config:
    root: Path
    """The project directory."""
    path: Path | None
    """pressgen.yaml, or None when the project has none (defaults apply)."""
    languages: tuple[str, ...] = ("en", "tr", "kk")
    organisations: dict[str, Organisation] = field(default_factory=dict)
    base_url: str | None = None
    mail: MailConfig | None = None
    newsroom: Newsroom = Newsroom()

    def texts(self) -> Iterator[Text]:
        for organisation in self.organisations.values():
            yield from organisation.texts()
