"""Release + catalog -> the release in another language, and what is missing.

A language version is published only from a complete translation: every
message translated and none fuzzy. What is missing is reported with the
catalog's file and line, so a translator can go straight to it.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass, replace
from pathlib import Path

from babel.messages.catalog import Catalog

from .catalogs import TEMPLATE_LANGUAGE, is_translated, translations
from .errors import PressgenError
from .model import Organisation, Release, Text


@dataclass(frozen=True)
class Gap:
    """One message that keeps a language version from being ready."""

    path: Path
    line: int | None
    message: str

    def as_error(self) -> PressgenError:
        return PressgenError(self.path, self.line, self.message)


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _gap_for(catalog: Catalog | None, path: Path, msgid: str, context: str | None) -> Gap | None:
    if catalog is None:
        return Gap(path, None, "catalog missing; run `pressgen catalogs update`, then translate it")
    message = catalog.get(msgid, context)
    label = f"{context} '{_short(msgid)}'" if context else f"'{_short(msgid)}'"
    if message is None:
        return Gap(path, None, f"{label} is not in the catalog; run `pressgen catalogs update`")
    if message.fuzzy:
        return Gap(path, message.lineno, f"{label} is fuzzy: the source changed; review the translation and remove the fuzzy flag")
    if not is_translated(message):
        return Gap(path, message.lineno, f"{label} is not translated")
    return None


def localize_release(release: Release, lang: str, catalog: Catalog | None, path: Path) -> tuple[Release, list[Gap]]:
    """The release with its texts in ``lang``; untranslated texts stay in the source language."""
    if lang == release.lang:
        return release, []
    gaps: list[Gap] = []

    def translate(text: Text) -> Text:
        gap = _gap_for(catalog, path, text.value, text.context)
        if gap:
            if gap not in gaps:
                gaps.append(gap)
            return text
        return replace(text, value=catalog.get(text.value, text.context).string)  # type: ignore[union-attr]

    return release.map_texts(translate, lang), gaps


class Interface:
    """The gettext callables for templates and office texts in one language.

    Records every message a render asks for that the catalog cannot give, so
    the build knows a version is not ready without a separate pass.
    """

    def __init__(self, lang: str, catalog: Catalog, path: Path):
        self.lang = lang
        self.catalog = catalog
        self.path = path
        self.is_source = lang == TEMPLATE_LANGUAGE
        self.translations: gettext.NullTranslations = (
            gettext.NullTranslations() if self.is_source else translations(catalog)
        )
        self.gaps: list[Gap] = []

    def _check(self, msgid: str, context: str | None = None) -> None:
        if self.is_source:
            return
        gap = _gap_for(self.catalog, self.path, msgid, context)
        if gap and gap not in self.gaps:
            self.gaps.append(gap)

    def gettext(self, message: str) -> str:
        self._check(message)
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self._check(singular)
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        self._check(message, context)
        return self.translations.pgettext(context, message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        self._check(singular, context)
        return self.translations.npgettext(context, singular, plural, n)

    def text(self, text: Text | None) -> Text | None:
        """An office text (from pressgen.yaml) in this language."""
        if text is None:
            return None
        return replace(text, value=self.pgettext(text.context, text.value))

    def organisation(self, org: Organisation) -> Organisation:
        contacts = tuple(replace(c, name=self.text(c.name), role=self.text(c.role)) for c in org.contacts)
        return replace(
            org, name=self.text(org.name), short_name=self.text(org.short_name), about=self.text(org.about), contacts=contacts
        )
