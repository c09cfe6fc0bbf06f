"""What was published of the labels and office texts: their last published translations.

    published/<lang>.messages.yaml

A release's texts are kept as published in its snapshot (published.py). The texts every
page shares — the templates' labels and pressgen.yaml's boilerplate, contacts and
datelines, in locales/<lang>/LC_MESSAGES/messages.po — are kept here, once per language.
While one of them waits for its translator (its source changed, so it is fuzzy, or it was
marked fuzzy by hand), the pages keep the translation that went out: the msgstr in the
catalog is the translator's work in progress from their first keystroke, not what was
published. The build brings the file up to date before it renders a page, whenever
messages.po (or what its checks read) changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog, Message

from .catalogs import own_previous_msgid, single_valued
from .errors import PressgenError
from .lang import english_name
from .projectfiles import PUBLISHED_DIR
from .published import Dumper, checkout_command, read_published, translations_in, yaml_node
from .records import key_line

_HEADER = """\
# The {name} translations of the templates' labels and pressgen.yaml's texts as last
# published. Written by `pressgen build`; commit it with published/. While one of them
# waits for its translator (fuzzy in messages.po), every page keeps its translation here.
"""

Key = tuple[str | None, str]
"""A message's msgctxt and msgid."""


def messages_memory_path(root: Path, lang: str) -> Path:
    return root / PUBLISHED_DIR / f"{lang}.messages.yaml"


@dataclass(frozen=True)
class PublishedMessages:
    lang: str
    translations: dict[Key, str] = field(default_factory=dict)
    recorded: bool = True
    """False when there is no file (a project from before it was kept, or the file deleted)."""

    def find(self, msgid: str, context: str | None, previous: str | None = None) -> str | None:
        """The published translation of a message: of its text, else of its text before it
        changed (``previous``, its '#| msgid'), else of the one office text of its field (an
        office text's msgctxt names its field: 'office: about'), edited in pressgen.yaml since
        `catalogs update` last ran, or changed beyond what it could match as fuzzy."""
        key = self._key_of(msgid, context, previous)
        return self.translations[key] if key is not None else None

    def _moved(self, msgid: str, context: str | None) -> Key | None:
        """The same text of the same field under an organisation key pressgen.yaml no longer has
        (renamed before former_keys named it): what went out, kept meanwhile (a trial's pages
        showed the organisation in English, and the build dropped its texts from this file)."""
        if not context or ": " not in context:
            return None
        field_name = context.partition(": ")[2]
        found = [key for key in self.translations if key[1] == msgid and key[0] and key[0] != context
                 and key[0].partition(": ")[2] == field_name and self.orphaned(key[0].partition(": ")[0])]
        return found[0] if len(found) == 1 else None

    def by_context(self, context: str) -> tuple[str, str] | None:
        """The (source, translation) published under ``context``: an office text of one per
        organisation ('turksoy: name'), whatever its text; None if none went out."""
        return next(((source, text) for (known, source), text in self.translations.items() if known == context), None)

    def exact(self, msgid: str, context: str | None) -> str | None:
        """The published translation of this very text, if it has one."""
        return self.translations.get((context, msgid))

    orphaned: Callable[[str], bool] = field(default=lambda key: False, compare=False, repr=False)
    """Whether an organisation key is gone from pressgen.yaml (Builder.keep_published_messages)."""

    def _key_of(self, msgid: str, context: str | None, previous: str | None) -> Key | None:
        moved = self._moved(msgid, context) if (context, msgid) not in self.translations else None
        if moved is not None:
            return moved
        if context and not single_valued(context):
            # A contact's name or role: its own text's alone. Edited, it may be another person
            # now ('Aigerim Sadykova' for 'Aigerim Sadykbayeva', a trial's), so it shows as
            # written until its translator approves it, never as someone else's went out.
            return (context, msgid) if (context, msgid) in self.translations else None
        for key in ((context, msgid), (context, previous)):
            if key[1] is not None and key in self.translations:
                return key
        if context and single_valued(context):
            found = [key for key in self.translations if key[0] == context]
            if len(found) == 1:
                return found[0]
        return None

    def brought_up_to_date(self, own: Catalog | None, shipped: Catalog | None,
                           usable: Callable[[Message], bool]) -> PublishedMessages:
        """As published by a build with the office's catalog ``own``: a message it may use
        (``usable``: translated, not fuzzy, passing its checks) with its translation of
        today; one waiting for its translator with the translation it had, kept. Not a label
        translated as pressgen's own catalog (``shipped``) has it, which a fuzzy one falls back to."""
        messages = [m for m in own or () if m.id and isinstance(m.id, str)]  # a plural message has no previous here
        kept: dict[Key, str] = {}
        for message in messages:
            previous = own_previous_msgid(message, own)  # not a colleague's, offered for a new contact
            if usable(message):
                theirs = shipped.get(message.id, message.context) if shipped is not None else None
                if theirs is None or theirs.fuzzy or theirs.string != message.string:
                    kept[message.context, message.id] = message.string
                continue
            # Not a fuzzy msgstr, whatever it looks like: a translator's draft from their first
            # keystroke (nor, without this file, a guess at what went out).
            key = self._key_of(message.id, message.context, previous)
            if key is not None:
                kept[key] = self.translations[key]
        return PublishedMessages(self.lang, kept, orphaned=self.orphaned)

    def dumps(self) -> bytes:
        count = str(len(self.translations))
        # Its count first and last: a file cut short is still YAML (a trial cut one after a
        # line and the build published the half 'about' it kept); the last key goes with it.
        data = {"language": self.lang, "count": count,
                # A label has no msgctxt: no "context: null" for a translator to wonder about.
                "translations": [{**({"context": context} if context is not None else {}), "source": source,
                                  "translation": text}
                                 for (context, source), text in sorted(self.translations.items(), key=_order)],
                "end": count}
        header = _HEADER.format(name=english_name(self.lang))
        return (header + yaml.serialize(yaml_node(data), Dumper=Dumper, allow_unicode=True, width=88)).encode("utf-8")


def _order(item: tuple[Key, str]) -> tuple[str, str]:
    (context, source), _ = item
    return (context or "", source)


def read_messages_memory(path: Path, lang: str, rekey: Callable[[str], str] = lambda context: context,
                         orphaned: Callable[[str], bool] = lambda key: False) -> PublishedMessages:
    """The file at ``path``; an empty, unrecorded one if there is none; a damaged one is an error.
    ``rekey`` gives an office text's msgctxt under its organisation's key of today: a renamed
    organisation's texts keep what went out (Config.office_context); ``orphaned`` tells an
    organisation key pressgen.yaml no longer has (PublishedMessages._moved)."""
    data = read_published(path, "published translations")
    if data is None and not path.exists():
        return PublishedMessages(lang, recorded=False, orphaned=orphaned)

    def damaged(what: str, line: int | None = None) -> PressgenError:
        return PressgenError(path, line, f"this record of published translations {what}; restore it with "
                             f"{checkout_command(path)}")

    if data is None:
        raise damaged("is empty")
    if not isinstance(data, dict) or not isinstance(data.get("translations", []), (list, type(None))):
        raise damaged("is damaged (it is not what pressgen writes)")
    if data.get("language") != lang:
        raise damaged(f"is of language '{data.get('language')}', not '{lang}'", key_line(path, "language"))
    translations: dict[Key, str] = {(rekey(context) if context else context, source): text
                                    for context, source, text in translations_in(path, data, damaged)}
    return PublishedMessages(lang, translations, orphaned=orphaned)

