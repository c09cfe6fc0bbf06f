"""Release + language -> one standalone HTML page (Jinja2, autoescaped).

The same page is what a browser shows and what WeasyPrint prints: the
stylesheet's print rules lay it out on A4 (see pdf.py).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import urlize
from markupsafe import Markup, escape

from . import lang as L
from . import theme
from .catalogs import TEMPLATE_LANGUAGE, Catalogs, messages_path
from .hyphenate import (LINKED_DOMAINS, NAME_KINDS, REGIONAL_DOMAINS, SOFT_HYPHEN, URLIZE_DOMAINS, Names, hyphenate,
                        is_address)
from .fsutil import write_unsynced
from .model import Config, Organisation, Quote, Release, Text
from .slug import tag_slug
from .translate import Fuzzy, Gap, Interface, OfficeText, Reviewer, StandIn

if TYPE_CHECKING:
    from .publishedmessages import PublishedMessages

OUTPUT_DIRS_UP = "../"
"""Pages live in out/<lang>/; assets in out/assets/."""


@dataclass(frozen=True)
class Alternate:
    lang: str
    name: str
    href: str
    """Relative link, for the page's language switcher (works offline too)."""
    url: str
    """Absolute address when the office has a base_url, for hreflang and search engines."""


@dataclass(frozen=True)
class Page:
    html: str
    """The page as the PDF prints it, with soft hyphens for justified Turkish and Kazakh lines."""
    title: str
    gaps: tuple[Gap, ...] = ()

    @property
    def web_html(self) -> str:
        """The page as browsers get it. Its lines are ragged, so it needs no soft hyphens, and
        text a journalist copies from it must not carry invisible characters into an article."""
        return self.html.replace(SOFT_HYPHEN, "")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates, shared by every environment of this process, and kept in
    ``folder`` (.pressgen/compiled-templates/<version>/) for the builds after it.

    Each language has an environment of its own, and each build new ones: without
    this, a template was compiled once per language and build, most of a small
    rebuild's time in `pressgen serve`; and each `pressgen build` compiled every template
    again (a tenth of a second: a fifteenth of an edit in an archive of 10,000). Jinja
    recompiles a template whose source changed (the bucket's checksum), and every
    environment is set up alike. What the folder holds is this office's own (as its
    venv is): a file that cannot be read is compiled again, never trusted for its content.
    """

    def __init__(self, folder: Path | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self.folder = folder

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self.folder is not None:
            try:
                code = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if code is None:
            return
        try:
            bucket.bytecode_from_string(code)  # a stale one (another source, another Python) is reset
        except Exception:  # noqa: BLE001 - a damaged file (pickle and marshal say so in many ways)
            bucket.reset()
        else:
            self._code[bucket.key] = code

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        if self.folder is not None:
            try:
                write_unsynced(self.folder / bucket.key, code)
            except OSError:
                pass  # compiled again next time


_COMPILED: dict[Path | None, _CompiledTemplates] = {}
"""By folder (None: in memory only, for check and status, which write nothing)."""


def _compiled(folder: Path | None) -> _CompiledTemplates:
    if folder not in _COMPILED:
        _COMPILED[folder] = _CompiledTemplates(folder)
    return _COMPILED[folder]


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its attribute checks decided once per type and name.

    The sandbox stays: templates are the office's, but they are edited by people who are not
    programmers and passed around as files, and it keeps them from reaching into Python
    (``release.__class__…``) or changing the data they are given. Its checks
    (is_internal_attribute, modifies_known_mutable) look only at the object's type and the
    attribute's name, yet ran on every attribute a page reads: half a million a thousand pages.
    """

    _verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


class Renderer:
    """A Jinja environment per language, over the project's theme."""

    def __init__(self, root: Path, config: Config, catalogs: Catalogs, compiled: Path | None = None,
                 hyphenate: bool = True, published: Callable[[str], PublishedMessages] | None = None):
        """``compiled``: the folder that keeps compiled templates for the next build (a build's:
        .pressgen/compiled-templates/<version>/), or None to keep them in memory only.
        ``hyphenate``: False when no page becomes a PDF (an HTML-only build), whose web pages
        carry no soft hyphens anyway: a fifth of a page's rendering spared.
        ``published``: a language's labels and office texts as last published, which a
        published version keeps while its translator works on them (Builder.published_messages)."""
        self.hyphenate = hyphenate
        self.published = published
        self.root = root
        self.config = config
        self.catalogs = catalogs
        self.compiled = _compiled(compiled)
        self.loader = jinja2.FileSystemLoader([str(d) for d in theme.template_dirs(root)])
        self._envs: dict[str, tuple[jinja2.Environment, Interface]] = {}

    def language(self, code: str) -> tuple[jinja2.Environment, Interface]:
        """The environment and gettext interface of one language, made once: every page, a
        published version's as today's, shows a label or office text waiting for its
        translator in its published translation (Interface)."""
        if code not in self._envs:
            # Template labels and office texts are written in English.
            reviewer = Reviewer(code, self.catalogs.glossary(code), TEMPLATE_LANGUAGE,
                                self.catalogs.glossary(TEMPLATE_LANGUAGE))
            interface = Interface(code, self.catalogs.messages(code), messages_path(self.root, code), reviewer,
                                  published=partial(self.published, code) if self.published else None)
            self._envs[code] = (self._environment(interface), interface)
        return self._envs[code]

    def hyphenation_language(self, code: str) -> str:
        """The patterns a language breaks by: English by the office's variant (pressgen.yaml)."""
        return self.config.english if code == "en" else code

    def names(self, code: str) -> Names:
        """The people and places no line may split in this language: the English keys of
        every glossary's names, and this language's renderings of them."""
        keys, renderings = [], []
        for lang in dict.fromkeys((*self.config.languages, "en")):
            for entry in self.catalogs.glossary(lang):
                if entry.context in NAME_KINDS:
                    keys.append(entry.key)
                    if lang == code:
                        renderings.append(entry.rendering)
        return Names.of(keys + renderings, code)

    def _environment(self, interface: Interface) -> jinja2.Environment:
        # Sandboxed: a project's templates can format data but not reach into Python.
        env = _Sandbox(
            loader=self.loader,
            # HTML is escaped; plain-text templates (mail.txt) are not.
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=False),
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
            finalize=typographic,
            bytecode_cache=self.compiled,
            # An environment lives for one build, whose templates do not change under it:
            # Jinja would otherwise stat each template file every time a page includes it.
            auto_reload=False,
        )
        # Translations are text, never markup: escape them before Jinja marks
        # them safe, so a translator's <script> shows as text.
        # A space typed before a French ':' or inside guillemets keeps to its neighbour in labels too
        # ('Corrigé le %(date)s :', a trial's colon opened a line).
        env.install_gettext_callables(  # type: ignore[attr-defined]
            lambda s: escape(_label(interface.gettext(s))),
            lambda s, p, n: escape(_label(interface.ngettext(s, p, n))),
            newstyle=True,
            pgettext=lambda c, s: escape(_label(interface.pgettext(c, s))),
            npgettext=lambda c, s, p, n: escape(_label(interface.npgettext(c, s, p, n))),
        )
        code = interface.lang
        env.globals.update(
            N_=lambda message: message,
            page_numbers=lambda message: Markup(page_number_css(interface.gettext(message))),
        )
        env.filters.update(
            # Locale-aware capitals: Jinja's |upper is wrong for Turkish i.
            caps=partial(L.upper, code=code),
            quote=partial(_on_text, L.quote, code=code),
            long_date=partial(L.long_date, code=code),
            long_datetime=partial(L.long_datetime, code=code),
            css_string=css_string,
            hyphenate=(partial(hyphenate_text, code=self.hyphenation_language(code), names=self.names(code))
                       if self.hyphenate else unhyphenated),
            keep_last_words=partial(keep_last_words, code=code),
            ends_on_its_own=ends_on_its_own,
            before_speaker=partial(_on_text, L.before_speaker, code=code),
            wire_quote=partial(_on_text, L.wire_quote, code=code),
            # A text of the body as HTML: its line breaks and its links (rich_text).
            rich=rich_text,
            # Typesetting for text the template passes on to a translated pattern, which
            # finalize does not see: _('«%(quote)s,» %(by)s', quote=…|typeset).
            typeset=typeset,
            # Text where markup cannot go (<title>, attributes, PDF metadata): a draft's
            # StandIn would otherwise print its highlighting <span> there.
            plain=lambda text: "" if text is None else str(text),
            # An embargo's moment inside its label, which the stylesheet sets in capitals:
            # the date keeps its own case (Kazakh '2011 ж.', not 'Ж.').
            moment=lambda text: Markup('<span class="moment">{}</span>').format(text),
            # A tag's folder in this language's newsroom (partials/tags.html, site.py).
            tag_slug=tag_slug,
            # A language's code as hreflang and lang attributes want it: 'pt-BR' of 'pt_BR'.
            bcp47=L.bcp47,
        )
        return env

    def render_release(self, release: Release, organisation: Organisation, alternates: list[Alternate],
                       draft: bool = False, public: bool = True) -> Page:
        """Render ``release`` (already translated) with its style's template.

        ``public`` is False while the release is under embargo: the page is built
        for journalists, says "Embargoed until …", carries no structured data and
        asks not to be indexed. Once the embargo has lifted it is True and the page
        is an ordinary public one.
        The page's gaps (template or office messages the language lacks) are
        in ``Page.gaps``: such a page is not ready to publish.
        """
        code = release.language
        env, interface = self.language(code)
        interface.gaps = []
        org = interface.organisation(organisation, draft)
        # A joint release: every organisation's letterhead, boilerplate and press contacts.
        orgs = [org, *(interface.organisation(self.config.organisations[key], draft) for key in release.partners)]
        contacts = release.contacts or tuple(contact for o in orgs for contact in o.contacts)
        template = env.get_template(f"{release.style}.html")
        urls = Urls(self.config.base_url)
        description = release.summary or release.lead
        source_page = next((a.url for a in alternates if a.lang == release.lang), None)
        context = {
            "canonical": urls.page(code, release.id),
            # A standfirst, else the lead paragraph, as mail.py's message does: what a link
            # preview shows of a wire item.
            "description": description.value if description else None,
            # Open Graph wants absolute addresses: only an office with a base_url has them.
            # The release's photo, else the organisation's logo.
            "og_image": (urls.asset(release.image.file) if release.image else urls.asset(org.logo) if org.logo else None)
            if self.config.base_url else None,
            "og_image_alt": release.image.alt if release.image else org.name,
            "published_time": published_time(release),
            "modified_time": release.modified.isoformat() if release.corrections else None,
            # Search engines send a reader whose language has no version to the original.
            "x_default": source_page,
            # Feeds exist only with a base_url (site.py); feed.xml sits beside the page.
            "feed": "feed.xml" if self.config.base_url else None,
            # Given, not a template's _(): the label is the newsroom's, already in every catalog.
            "feed_title": interface.gettext("Press releases"),
            "og_locale": L.og_locale(code),
            "og_alternates": [L.og_locale(a.lang) for a in alternates if a.lang != code],
            "public": public and not draft,
            # "Embargoed until …" only while it holds: the build renders the page and PDF
            # again when the embargo lifts (``public`` is part of their key). A withdrawn
            # release is never public, so its notice cannot follow the clock: its
            # WITHDRAWN mark says all there is to say.
            "embargoed": release.embargo is not None and not public and not release.withdrawn,
            "jsonld": news_article(release, orgs, urls, [a.lang for a in alternates]) if public and not draft else None,
            "release": release,
            "org": org,
            "orgs": orgs,
            "contacts": contacts,
            "lang": code,
            "html_lang": L.bcp47(code),
            "alternates": alternates,
            "pdf_href": f"{release.id}.pdf",
            "root": OUTPUT_DIRS_UP,
            "keywords": ", ".join(t.value for t in release.shown_tags),
            "source_lang": release.lang,
            "draft": draft,
        }
        html = template.render(context)
        return Page(html=html, title=release.headline.value, gaps=tuple(interface.gaps))


@dataclass(frozen=True)
class Urls:
    """Addresses of outputs: absolute from the office's base_url, else relative to a page."""

    base: str | None

    def page(self, lang: str, release_id: str, suffix: str = "html") -> str:
        return f"{self.base or OUTPUT_DIRS_UP}{lang}/{release_id}.{suffix}"

    def asset(self, rel: str) -> str:
        return f"{self.base or OUTPUT_DIRS_UP}{rel}"


def published_time(release: Release) -> str:
    """When the release went public, for article:published_time and JSON-LD: the embargo's
    moment, in its own timezone, or else the release's date (a date is what the record
    says; no time of day is made up)."""
    return release.embargo.isoformat() if release.embargo else release.date.isoformat()


def news_article(release: Release, orgs: list[Organisation], urls: Urls, languages: list[str]) -> dict:
    """schema.org NewsArticle for the page's JSON-LD (the translated release, its original).

    ``orgs``: the publishing organisations, the leading one first; a joint release has
    each as an author, and the leading one as its publisher."""
    org = orgs[0]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": urls.page(release.language, release.id),
        "url": urls.page(release.language, release.id),
        "headline": release.headline.value,
        "inLanguage": L.bcp47(release.language),
        "datePublished": published_time(release),
        # A corrected release was modified on its last correction's day.
        "dateModified": release.modified.isoformat() if release.corrections else published_time(release),
        "dateline": release.place.value,
        "genre": release.kind,
        "publisher": {"@type": "Organization", "name": org.name.value},
        "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf",
                     "contentUrl": urls.page(release.language, release.id, "pdf")},
    }
    description = release.summary or release.lead
    if description:
        article["description"] = description.value
    if release.reference:
        article["identifier"] = release.reference
    if release.image:
        article["image"] = {"@type": "ImageObject", "url": urls.asset(release.image.file),
                            "width": release.image.width, "height": release.image.height,
                            "description": release.image.alt.value,
                            **({"caption": release.image.caption.value} if release.image.caption else {}),
                            **({"creditText": release.image.credit.value} if release.image.credit else {})}
    if release.shown_tags:
        article["keywords"] = [t.value for t in release.shown_tags]
    if org.website:
        article["publisher"]["url"] = org.website
    if org.logo:
        article["publisher"]["logo"] = {"@type": "ImageObject", "url": urls.asset(org.logo)}
    authors = [{"@type": "Organization", "name": o.name.value, **({"url": o.website} if o.website else {})}
               for o in orgs]
    article["author"] = authors if len(authors) > 1 else authors[0]
    if release.language != release.lang and release.lang in languages:
        # Only to a page that is there (`languages`, the page's siblings): not to the source of
        # a build of another language alone, or of a language held back (a trial's finding).
        article["translationOfWork"] = {"@id": urls.page(release.lang, release.id)}
    others = [code for code in languages if code not in (release.language, release.lang)]
    if others:
        article["workTranslation"] = [{"@id": urls.page(code, release.id)} for code in others]
    if release.version:
        article["version"] = str(release.version)
    if release.corrections:
        article["correction"] = [{"@type": "CorrectionComment", "datePublished": c.date.isoformat(), "text": c.note.value}
                                 for c in release.corrections]
    return article


def paragraph_html(text: str) -> str:
    """A paragraph of plain text as escaped HTML, its line breaks as <br> (ninjs, feeds).

    >>> paragraph_html("Düsen Kaseinov\\nSecretary General of <TÜRKSOY>")
    '<p>Düsen Kaseinov<br>Secretary General of &lt;TÜRKSOY&gt;</p>'
    """
    return str(Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in text.split("\n"))))


_ADDRESS_AT_WORD_END = re.compile(
    rf"(?:https?://|(?<![\w.:/@-])www\.|[\w.+-]+@|(?<![\w.:/@-])[\w%-]+(?:\.[\w%-]+)*{LINKED_DOMAINS})"
    r"[^\s\"<>]*?(?=(?:[’'][^\W\d_]+|-[\u0400-\u04ff]+)?[.,;:!?»”’'\")\]]*(?:\s|$|[\"<>]))",
    re.IGNORECASE)
"""A web or mail address, without what may follow it in its word: a Turkish or Kazakh
suffix (…/haberler’de, turksoy.org’da, turksoy.org-та), punctuation, a closing quote or
bracket (urlize would leave them on the address, or not see an address). A domain inside
another address (ftp://files.turksoy.org) is none. Nor is a quote or angle bracket part of
one: no address has them unescaped, and a trial's link took in '"><script>…' after it."""



def rich_text(text) -> Markup:
    """Jinja filter: a text of the body as HTML. Its line breaks (a literal block in the
    record, '\\n' in a catalog) become <br>, and its web and mail addresses links:
    Jinja's urlize makes only http(s) and mailto links and escapes everything else. A
    draft's stand-in keeps its mark around the result.

    >>> print(rich_text(Text("See https://turksoy.org/haberler'de <b>or</b>\\nwrite to press@turksoy.example.", 1, "paragraph")))
    See <a href="https://turksoy.org/haberler" rel="noopener">https://turksoy.org/haberler</a>’de &lt;b&gt;or&lt;/b&gt;<br>
    write to <a href="mailto:press@turksoy.example">press@turksoy.example</a>.
    """
    if text is None:
        return Markup("")
    value = typeset(text).value if isinstance(text, Text) else typeset(text)
    html = Markup("<br>\n").join(_linked(line) for line in value.split("\n"))
    return text.mark(html) if isinstance(text, (StandIn, Fuzzy, OfficeText)) else html


_MAY_LINK = re.compile(rf"://|www\.|@|\.(?:{'|'.join(URLIZE_DOMAINS + REGIONAL_DOMAINS)})", re.IGNORECASE)
"""What every text that is made a link of contains (urlize's _http_re and _email_re: a
scheme, www., a mail address, or a bare domain such as turksoy.org or inform.kz), read as
loosely as urlize reads it. Most paragraphs have none, and urlize scans each of their words with
several regular expressions to return the text escaped."""


def _linked(line: str) -> Markup:
    if not _MAY_LINK.search(line):
        return escape(line)
    # urlize takes a whole word for the address: hand it the address alone, without a
    # Turkish suffix or the « » around it.
    parts, position = [], 0
    for match in _ADDRESS_AT_WORD_END.finditer(line):
        if match.start() < position:
            continue  # inside the address before, which took its closing bracket
        address = match[0]
        # A bracket the address opened is its own (…/wiki/Nauryz_(holiday)).
        while address.count("(") > address.count(")") and line.startswith(")", match.start() + len(address)):
            address += ")"
        parts.append(urlize(line[position:match.start()], rel="noopener"))
        linked = urlize(address, rel="noopener")
        if "<a " not in linked:
            # A bare address in a member state's domain (inform.kz): linked as urlize links turksoy.org.
            linked = Markup('<a href="https://{0}" rel="noopener">{0}</a>').format(address)
        parts.append(linked)
        position = match.start() + len(address)
    parts.append(urlize(line[position:], rel="noopener"))
    return Markup("".join(parts))


def _on_text(fn, text, code: str):
    """Apply a str -> str helper to a Text's value, keeping it a Text (and a StandIn a StandIn)."""
    if isinstance(text, Text):
        return text.with_value(fn(text.value, code))
    return fn(str(text), code)


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_PLURAL_POSSESSIVE = re.compile(r"(?<=\ws)'(?!\w)")
"""The officials' offices: an apostrophe after a plural's s, before a space or punctuation."""
_OPENING_SINGLE_QUOTE = re.compile(r"(?<!\w)'(?=\w)")
_NUMBER_AND_WORD = re.compile(r"\b(\d{1,4}\.?) (?=\w)")
_SPACE_BEFORE_DASH = re.compile(r" (?=[–—] )")
_SPACE_BY_A_MARK = re.compile(r"(?<=[«‹]) | (?=[»›;:!?](?!\w))")
"""A space a translator typed inside guillemets or before French ; : ! ? (« Cordes de la steppe »,
as Poedit and any editor type it): a line must not end on « nor start with » or ?, as a trial's
French PDF had it."""


def typographic(value):
    """Jinja's finalize, for record and translated text on pages and PDFs:

    - a typewriter apostrophe between two letters, as in Turkish suffixes
      (TÜRKSOY'un), becomes the typographic one (’);
    - a number keeps the word after it on its line (Turkish '7.␣Kongresi',
      '8␣Nisan', Kazakh '2011␣ж.', '30␣years');
    - a spaced dash never opens a line: it keeps to the word before it (Kazakh
      '«…»,␣— деді', 'ТҮРКСОЙ␣— Халықаралық…');
    - nor does a closing guillemet or a spaced ; : ! ? (French 'steppe␣»␣: la fête␣!'), and
      an opening guillemet never ends one ('«␣Cordes').

    >>> typographic(Text("TÜRKSOY'un 7. Kongresi", 1, "paragraph")).value
    'TÜRKSOY’un 7.\xa0Kongresi'
    """
    if not isinstance(value, Text):
        return value
    text = typeset(value.value)
    return value.with_value(text) if text != value.value else value


def typeset(text):
    """The typography of ``typographic`` for any text: a Text, a plain string such as a
    newsroom entry's headline or a page's <title>, or a translated pattern already
    escaped (Markup), such as a wire quote joined to its speaker.

    >>> typeset("Kazakhstan's 30 years")
    'Kazakhstan’s 30\xa0years'
    >>> typeset(Markup("«Біз дайынбыз», — деді ол."))
    Markup('«Біз дайынбыз»,\xa0— деді ол.')
    >>> typeset("le prix « Cordes de la steppe » : la fête ! Vraiment ?")
    'le prix «\xa0Cordes de la steppe\xa0»\xa0: la fête\xa0! Vraiment\xa0?'
    """
    if isinstance(text, Text):
        return typographic(text)
    typeset_text = _NUMBER_AND_WORD.sub("\\1\u00a0", apostrophes(str(text)))
    if " \u2013 " in typeset_text or " \u2014 " in typeset_text:  # _SPACE_BEFORE_DASH, only where it can apply
        typeset_text = _SPACE_BEFORE_DASH.sub("\u00a0", typeset_text)
    typeset_text = spaced_marks(typeset_text)  # most texts have none: looked for before the regex (5 µs a text)
    # Escaped markup stays markup: the rules touch only spaces and letters' apostrophes.
    return Markup(typeset_text) if isinstance(text, Markup) else typeset_text


def spaced_marks(text: str) -> str:
    """Only the guillemets' and French marks' rule of ``typeset``: for labels, whose other
    characters are the translator's as written.

    >>> spaced_marks("Corrigé le %(date)s :")
    'Corrigé le %(date)s\xa0:'
    """
    return _SPACE_BY_A_MARK.sub("\u00a0", text) if _has_a_spaced_mark(text) else text


_label = lru_cache(maxsize=4096)(spaced_marks)
"""spaced_marks of a label: the same few dozen, asked for by every page."""


def _has_a_spaced_mark(text: str) -> bool:
    return (" :" in text or " ;" in text or " !" in text or " ?" in text or "« " in text or " »" in text
            or "‹ " in text or " ›" in text)


def apostrophes(text: str) -> str:
    """Only the apostrophes of ``typeset``: for a mail subject, where a no-break space would
    make a plain headline an encoded one for nothing.

    >>> apostrophes("İstanbul'dan 'merhaba'")
    "İstanbul’dan 'merhaba'"
    >>> apostrophes("The officials' offices and the states' parliaments'.")
    'The officials’ offices and the states’ parliaments’.'
    >>> apostrophes("She said 'the officials' and left")
    "She said 'the officials' and left"
    """
    if "'" not in text:
        return text  # every rule below replaces a typewriter apostrophe: most texts have none
    text = _APOSTROPHE.sub("\u2019", text)
    # After a plural's s the mark may also close a 'single quote': then it is left as written.
    return text if _OPENING_SINGLE_QUOTE.search(text) else _PLURAL_POSSESSIVE.sub("\u2019", text)


def keep_last_words(text, code: str = ""):
    """Jinja filter for headlines: a no-break space between the last two words, so that no
    line of it is a single word (WeasyPrint has no text-wrap: balance), and inside the
    language's fixed compounds (lang.FIXED_COMPOUNDS), so that none breaks.

    >>> keep_last_words("Cooperation agreement between TÜRKSOY and ISESCO")
    'Cooperation agreement between TÜRKSOY and\xa0ISESCO'
    >>> keep_last_words("TÜRKSOY ile İSESKO arasında iş birliği anlaşması", "tr")
    'TÜRKSOY ile İSESKO arasında iş\xa0birliği\xa0anlaşması'
    """
    def join(value: str, code: str) -> str:
        value = L.keep_compounds(value, code)
        head, space, last = value.rpartition(" ")
        return f"{head}\u00a0{last}" if space and " " in head else value
    return _on_text(join, text, code)


WIRE_QUOTE = "«%(quote)s,» %(by)s"
WIRE_QUOTE_ENDED = "«%(quote)s» %(by)s"
"""The msgids of a wire quote with its speaker; wire.html spells them out for extraction."""


def ends_on_its_own(words: str) -> bool:
    """Whether a quote ends with its own ? ! or …, which no comma may follow."""
    return words.rstrip().endswith(("?", "!", "…", "..."))


def quote_text(quote: Quote, style: str, code: str, gettext: Callable[[str], str]) -> str:
    """A quote and its speaker as plain text, punctuated as the page prints them (for ninjs)."""
    words, by = quote.text.value, quote.by.value if quote.by else None
    if style == "wire":
        if not by:
            return L.wire_quote(words, code)
        if ends_on_its_own(words):
            return gettext(WIRE_QUOTE_ENDED) % {"quote": words, "by": by}
        return gettext(WIRE_QUOTE) % {"quote": L.before_speaker(words, code), "by": by}
    return f"{L.quote(words, code)} — {by}" if by else L.quote(words, code)


# WeasyPrint 70 writes a font's ToUnicode map from the first cluster each glyph is drawn
# in (draw/text.py). HarfBuzz forms a ligature across a soft hyphen, which Pango draws as an
# empty glyph of the same cluster, so the ligature's cluster is empty: 'of\xadfi\xadcials'
# prints 'o' + ffi + 'cials', the ffi glyph maps to no text, and every ffi of that font in
# the PDF copies as nothing ('o cials', 'ocials'). A ligature with no soft hyphen inside
# maps to its letters. So no break point goes inside the bundled fonts' f-ligatures (ff, fi,
# fl, ffi, ffl; fj too, which other fonts have): the look stays, 'offi-cials' still breaks,
# and pdftotext and pypdf read every word back.
_INSIDE_LIGATURE = re.compile(f"(?<=f){SOFT_HYPHEN}(?=[fijl])")
_SPACES = re.compile(r"(\s+)")


def hyphenate_text(text, code: str, names: Names = Names()):
    """Jinja filter: soft hyphens at the syllable breaks of a Text, none inside a ligature
    (``code``: the language whose patterns apply; ``names``: words kept whole).

    A text in the source's language (a draft's StandIn, an office text never translated) is
    in another language and stays as it is.

    >>> hyphenate_text(Text("The officials of the different and effective offices", 1, "paragraph"), "en").value
    'The offi\xadcials of the differ\xadent and effec\xadtive offices'
    """
    if text is None or getattr(text, "source_lang", None):
        return text
    def soft_hyphens(value: str, lang: str) -> str:
        may_link = _MAY_LINK.search(value)  # before soft hyphens hide a domain's ending
        value = hyphenate(value, lang, names)
        # Each rule below only where it can apply: they scan every paragraph of every page.
        if "f" + SOFT_HYPHEN in value:
            value = _INSIDE_LIGATURE.sub("", value)
        if may_link and SOFT_HYPHEN in value:
            value = "".join(_whole_address(word) for word in _SPACES.split(value))
        return value
    return _on_text(soft_hyphens, text, code)


def unhyphenated(text):
    """The ``hyphenate`` filter of pages no PDF is made from: the text as hyphenate_text takes
    it, without the soft hyphens that Page.web_html would remove."""
    return text if text is None or isinstance(text, Text) else str(text)


def _whole_address(word: str) -> str:
    """A word with an address keeps no soft hyphen: rich_text's urlize would no longer see it."""
    return word.replace(SOFT_HYPHEN, "") if is_address(word) else word


_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


def page_number_css(label: str) -> str:
    """A translated 'Page %(page)s of %(pages)s' as a CSS content value.

    >>> page_number_css("Page %(page)s of %(pages)s")
    '"Page " counter(page) " of " counter(pages)'
    >>> page_number_css("%(pages)s беттің %(page)s-беті")
    'counter(pages) " беттің " counter(page) "-беті"'
    """
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(label):
        if match.start() > position:
            parts.append(css_string(label[position : match.start()]))
        parts.append(f"counter({match[1]})")
        position = match.end()
    if position < len(label):
        parts.append(css_string(label[position:]))
    return " ".join(parts)


def css_string(text: str) -> str:
    """A CSS string literal; JSON's escaping is valid CSS for these characters."""
    escaped = json.dumps(text, ensure_ascii=False)[1:-1].replace("<", "\\3C ")
    return f'"{escaped}"'
