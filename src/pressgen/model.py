"""The typed model that flows through the pipeline. Frozen dataclasses, no I/O.

A Release is read from YAML in its source language (records.py), translated
into another language by replacing its Texts (translate.py), then rendered
(render.py, pdf.py). Every Text remembers its line, so any stage can point
back at the record.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator, Union

from .slug import tag_slug

STYLES = ("statement", "wire")
KINDS = ("press release", "statement", "media advisory", "news")
"""What a document is, printed as its label at the top ('Press release', 'Statement', …)."""
DEFAULT_KIND = {"statement": "press release", "wire": "news"}
"""A record without 'kind:' is what its style usually publishes."""


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

    def with_value(self, value: str) -> "Text":
        """This text (a StandIn, a Fuzzy: of its own kind) with another value, such as its typeset
        or hyphenated form: dataclasses.replace, for a page's every text, at a fifth of its cost."""
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__, value=value)
        return twin


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
class Signature:
    """Who signs the release, printed as a block after the body."""

    name: Text
    """'Düsen Kaseinov'; translated, since Kazakh writes it 'Дүйсен Қасейінов'."""
    title: Text | None = None
    """'Secretary General of TÜRKSOY', under the name."""

    def texts(self) -> Iterator[Text]:
        yield self.name
        if self.title:
            yield self.title


@dataclass(frozen=True)
class Image:
    """A photo of the release, under its headline."""

    file: str
    """Its path in the project, 'images/signing.jpg' (images.py checks it)."""
    alt: Text
    """What the photo shows, for readers who cannot see it."""
    media_type: str
    width: int
    height: int
    caption: Text | None = None
    credit: Text | None = None
    """Who took it or owns it: 'TÜRKSOY', printed 'Photo: TÜRKSOY'."""

    def texts(self) -> Iterator[Text]:
        yield from (t for t in (self.caption, self.alt, self.credit) if t)


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
    """Key of the publishing organisation in pressgen.yaml; of a joint release, the first
    listed, which leads (mails go out in its name)."""
    place: Text
    """The dateline place, e.g. 'Baku'."""
    headline: Text
    summary: Text | None = None
    body: tuple[Block, ...] = ()
    embargo: dt.datetime | None = None
    """Timezone-aware moment before which the release must not be published."""
    former_ids: tuple[str, ...] = ()
    """The ids it had before it was renamed: their pages lead to its own (site.py)."""
    tags: tuple[Text, ...] = ()
    contacts: tuple[Contact, ...] = ()
    """Press contacts for this release; empty means the organisation's."""
    version: int | None = None
    """Set from 2 on when a published release is reissued."""
    withdrawn: dt.date | None = None
    """Set when the office withdraws a release: it is never mailed again."""
    corrections: tuple[Correction, ...] = ()
    kind: str = "press release"
    """One of KINDS: the document's label at the top of the page."""
    signature: Signature | None = None
    image: Image | None = None
    partners: tuple[str, ...] = ()
    """Keys of the other organisations of a joint release: letterhead and boilerplate each."""
    notes_to_editors: tuple[Text, ...] = ()
    """Short notes for journalists after the end mark: background, not for publication."""
    reference: str | None = None
    """The issuing body's number for the document ('109'), printed as its house style
    writes it ('No: 109'; see Organisation.reference_label). An identifier: not translated."""
    translated_into: str | None = field(default=None, compare=False)
    """Set on translated copies: the language the Texts are now in."""

    @property
    def language(self) -> str:
        """The language this copy's texts are in."""
        return self.translated_into or self.lang

    @property
    def shown_tags(self) -> tuple[Text, ...]:
        """The tags as pages, feeds and metadata give them: one for each tag page, so that two
        tags a translation renders alike ('concerts' and 'music', both 'müzik') are one."""
        seen: set[str] = set()
        return tuple(tag for tag in self.tags if not ((slug := tag_slug(tag.value)) in seen or seen.add(slug)))

    def texts(self) -> Iterator[Text]:
        """Every translatable field, in reading order (the catalog's order)."""
        yield self.headline
        if self.summary:
            yield self.summary
        yield self.place
        if self.image:
            yield from self.image.texts()
        for block in self.body:
            yield block.text
            if isinstance(block, Quote) and block.by:
                yield block.by
        if self.signature:
            yield from self.signature.texts()
        yield from self.notes_to_editors
        yield from self.tags
        for contact in self.contacts:
            yield from contact.texts()
        for correction in self.corrections:
            yield correction.note

    @property
    def organisations(self) -> tuple[str, ...]:
        """Every publishing organisation's key, the leading one first."""
        return (self.organisation, *self.partners)

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
    def first_id(self) -> str:
        """The id it first went out under (its oldest former id, else its own): what names it in
        feeds and ninjs items, whose ids must never change. Renamed, a trial's release came out
        of its feed and its agency's system as a second story, the first never cancelled."""
        return self.former_ids[0] if self.former_ids else self.id

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
            image=replace(self.image, alt=fn(self.image.alt), caption=fn(self.image.caption) if self.image.caption else None,
                          credit=fn(self.image.credit) if self.image.credit else None) if self.image else None,
            signature=replace(self.signature, name=fn(self.signature.name),
                              title=fn(self.signature.title) if self.signature.title else None)
            if self.signature else None,
            notes_to_editors=tuple(fn(n) for n in self.notes_to_editors),
            tags=tuple(fn(t) for t in self.tags),
            contacts=tuple(contact(c) for c in self.contacts),
            corrections=tuple(replace(c, note=fn(c.note)) for c in self.corrections),
            translated_into=lang,
        )


@dataclass(frozen=True)
class Sender:
    """An organisation's own From line, where it is not the office's (pressgen.yaml's
    organisation 'mail')."""

    email: str | None = None
    """The From address; None keeps the office's mail.from."""
    name: Text | None = None
    """The From name, translated like the other office texts; None keeps the organisation's name."""


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
    sender: Sender | None = None
    """Who this organisation's releases come from in journalists' mail; None: the office's
    mail.from, under the organisation's name."""
    reference_label: Text | None = None
    """How the organisation prints a document's reference, '{number}' marking the number:
    'No: {number}'. Without it, the template's label ('No. 109')."""
    former_keys: tuple[str, ...] = ()
    """The keys it had before it was renamed in pressgen.yaml ('former_keys'): a record or a
    published version naming one is its."""

    def texts(self) -> Iterator[Text]:
        yield self.name
        yield self.short_name
        if self.about:
            yield self.about
        if self.credit:
            yield self.credit
        if self.dateline:
            yield self.dateline
        if self.reference_label:
            yield self.reference_label
        for contact in self.contacts:
            yield from contact.texts()
        if self.sender and self.sender.name:
            yield self.sender.name


@dataclass(frozen=True)
class MailConfig:
    """How releases reach journalists (pressgen mail)."""

    sender: str
    """The From address (unless the organisation has its own); its display name is the
    organisation's, in the recipient's language. Also the envelope sender, so that bounces
    come back to the office that keeps the media list."""
    media_list: str = "media.csv"
    """The media list, relative to the project."""
    unsubscribe: str | None = None
    """Where a journalist's mail program sends an opt-out request (List-Unsubscribe's
    mailto); pressgen.yaml's default is the sender."""
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    """'starttls', 'ssl' or 'none'."""
    username: str | None = None
    """The password comes only from the PRESSGEN_SMTP_PASSWORD environment variable."""
    timeout: int = 30
    """Seconds to wait for each of the server's replies before it counts as no longer answering."""
    sender_line: int | None = None
    """pressgen.yaml's line of 'from': where a server's refusal of the sender is reported."""
    host_line: int | None = None
    """pressgen.yaml's line of the host (else of 'smtp' or 'mail', when the default is used):
    where a server that cannot be reached is reported, as the host is what to check."""


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
    timezone: str | None = None
    """The office's IANA timezone ('Europe/Istanbul'): what day it is for `pressgen new`.
    None: the computer's own."""
    english: str = "en-US"
    """The office's English variant (`english:`): en-US or en-GB hyphenation patterns."""
    newsroom: Newsroom = Newsroom()

    def texts(self) -> Iterator[Text]:
        for organisation in self.organisations.values():
            yield from organisation.texts()

    def organisation_key(self, key: str) -> str | None:
        """The key of today of the organisation ``key`` names (itself, or a former key of one)."""
        if key in self.organisations:
            return key
        return next((now for now, org in self.organisations.items() if key in org.former_keys), None)

    def unknown_organisation(self, key: str, renamed_to: str | None = None) -> str:
        """What to say of an organisation key pressgen.yaml does not have: the keys it has, and,
        if an organisation went out under it, how to name it as a former key (rename_hint; a
        trial's office, renaming a key, was told only the keys there are)."""
        import difflib

        known = ", ".join(self.organisations) or "none yet"
        hint = self.rename_hint(key, renamed_to)
        if hint is None:  # a key a letter away from one there is: a slip (a trial's 'saryarka')
            near = difflib.get_close_matches(key, list(self.organisations), n=1, cutoff=0.75)
            hint = f"did you mean '{near[0]}'?" if near else None
        return f"unknown organisation '{key}'; pressgen.yaml defines: {known}" + (f"; {hint}" if hint else "")

    def rename_hint(self, key: str, renamed_to: str | None = None, known: bool = False) -> str | None:
        """How to name ``key`` as a former key, if an organisation went out under it (``known``,
        or as published/ shows): under the organisation of today with its name, else the one
        today's record names (``renamed_to``), with the former keys it has; None if none did."""
        name = self._published_name(key)
        if name is None and renamed_to is None and not known and not self._went_out_under(key):
            return None
        # The organisation that has its name now, else the one today's record of it names.
        now = next((k for k, org in self.organisations.items() if org.name.value == name), None) if name else None
        now = now or (renamed_to if renamed_to in self.organisations else None)
        if now is None and len(self.organisations) == 1:
            now = next(iter(self.organisations))  # the office's only organisation: no other it can be
        # With the other keys its name went out under that nobody has now: told one at a time, a
        # trial's records and catalogs each gave a list without the other's key.
        keys = lambda org: ", ".join(dict.fromkeys((  # noqa: E731
            *self.organisations[org].former_keys, *self._keys_gone_named(self.organisations[org].name.value),
            *(self._keys_gone_out_under() if len(self.organisations) == 1 else ()), key)))
        if now is None:
            # Its name went out under another key since (renamed twice): which one is not known here,
            # so each organisation's line, its former keys kept (a trial's told `[tsy]` dropped one).
            lines = "; ".join(f"under '{org}': `former_keys: [{keys(org)}]`" for org in list(self.organisations)[:3])
            return f"if you renamed '{key}', name the old key under the organisation it is now, after its former keys ({lines})"
        return f"if you renamed '{key}' to '{now}', name the old key under it: `former_keys: [{keys(now)}]`"

    def _published_name(self, key: str) -> str | None:
        """The name an organisation went out under with ``key``, from published/<lang>.messages.yaml
        (its source, as pressgen writes it); None if none did."""
        found = None
        for path in sorted((self.root / "published").glob("*.messages.yaml")) if self.root else ():
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            found = re.search(rf"(?m)^- context: '{re.escape(key)}: name'\n  source: (.+)$", text)
            if found:
                return found.group(1).strip().strip("'\"")
        return None

    def _keys_gone_named(self, name: str) -> list[str]:
        """The keys whose office texts went out with the organisation name ``name`` (published/
        <lang>.messages.yaml) and that pressgen.yaml has no longer, nor among any former keys."""
        keys: dict[str, None] = {}
        for path in sorted((self.root / "published").glob("*.messages.yaml")) if self.root else ():
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            for found in re.finditer(r"(?m)^- context: '([^':]+): name'\n  source: (.+)$", text):
                if found.group(2).strip().strip("'\"") == name and self.organisation_key(found.group(1)) is None:
                    keys[found.group(1)] = None
        return list(keys)

    def _keys_gone_out_under(self) -> list[str]:
        """The organisation keys published versions went out under, or whose listing is in out/
        (a former key's page and feed, which readers may follow), that pressgen.yaml has no
        longer, nor among any former keys: an office of one organisation's, every one of them (a
        trial's middle key of three renames was left out, and its feed went with it)."""
        keys: dict[str, None] = {}
        for path in sorted((self.root / "published").glob("*/*.yaml")) if self.root else ():
            try:
                found = re.search(rb"(?m)^  organisation: *([A-Za-z0-9_-]+) *$", path.read_bytes())
            except OSError:
                continue
            if found and self.organisation_key(found.group(1).decode()) is None:
                keys[found.group(1).decode()] = None
        for listing in sorted((self.root / "out").glob("*/org/*/index.html")) if self.root else ():
            if self.organisation_key(listing.parent.name) is None:
                keys[listing.parent.name] = None
        return list(keys)

    def _went_out_under(self, key: str) -> bool:
        """Whether a published version's record names organisation ``key`` (renamed twice, its
        texts went out under the key between). Read on an error only."""
        named = re.compile(rf"(?m)^  organisation: *(?:{re.escape(key)}\b|\[.*\b{re.escape(key)}\b)".encode())
        for path in (self.root / "published").glob("*/*.yaml") if self.root else ():
            try:
                if named.search(path.read_bytes()):
                    return True
            except OSError:
                continue
        return False

    def office_context(self, context: str) -> str:
        """An office text's msgctxt under its organisation's key of today: 'foundation: name' is
        'silkroad: name' once silkroad's former_keys name foundation."""
        key, sep, field = context.partition(": ")
        now = self.organisation_key(key) if sep else None
        return f"{now}: {field}" if now is not None and now != key else context
