"""`pressgen check`'s review of every catalog and template, beyond what a build uses.

A build asks "is this version publishable?"; the review asks "is anything in
these files wrong?", and reports each problem as `file:line: message`:
QA problems of every translated message, glossary violations, a wrong
Plural-Forms header, and casing in templates that is wrong for Turkish.
"""

from __future__ import annotations

from pathlib import Path

from . import theme
from .catalogs import LOCALES_DIR, TEMPLATE_LANGUAGE, Catalogs, gettext_plural_forms, glossary_path, messages_path
from .errors import PressgenError
from .model import Config
from .qa import glossary_problems, message_problems, template_casing_problems
from .translate import message_label


def review(root: Path, config: Config, catalogs: Catalogs) -> list[PressgenError]:
    problems: list[PressgenError] = []
    for lang in config.languages:
        if lang == TEMPLATE_LANGUAGE:
            continue
        try:
            terms = catalogs.glossary(lang)
        except PressgenError as exc:
            problems.append(exc)
            terms = []
        folder = root / LOCALES_DIR / lang
        paths = [messages_path(root, lang), *sorted((folder / "releases").glob("*.po")), glossary_path(root, lang)]
        for path in paths:
            if not path.exists():
                continue
            try:
                catalog = catalogs.load(path, lang)
            except PressgenError as exc:
                problems.append(exc)
                continue
            problems += _plural_forms(path, lang)
            problems += message_mistakes(catalog, path, lang, [] if path == glossary_path(root, lang) else terms)
    for rel, path in theme.template_files(root).items():
        if path.is_relative_to(theme.BUNDLED_TEMPLATES):
            continue  # pressgen's own templates are checked by its tests
        problems += [PressgenError(path, line, message) for line, message in template_casing_problems(path)]
    return problems


def message_mistakes(catalog, path: Path, lang: str, terms: list) -> list[PressgenError]:
    """QA and glossary problems of a catalog's messages, each at its line."""
    problems = []
    for message in catalog:
        found = message_problems(message)
        if terms and message.string and not message.fuzzy and isinstance(message.id, str):
            found += glossary_problems(message.id, message.string, terms, lang)
        label = message_label(message.id, message.context)
        problems += [PressgenError(path, message.lineno, f"{label} {problem}") for problem in found]
    return problems


def _plural_forms(path: Path, lang: str) -> list[PressgenError]:
    expected = gettext_plural_forms(lang)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith('"Plural-Forms:'):
            found = line[len('"Plural-Forms:'):].strip().removesuffix('"').removesuffix("\\n").strip()
            if found != expected:
                return [PressgenError(path, number, f"Plural-Forms is '{found}'; CLDR gives '{expected}' "
                                      "(run `pressgen catalogs update` to fix it)")]
            return []
        if not line.startswith(("#", '"', "msgid", "msgstr")) and line.strip():
            break
    return [PressgenError(path, 1, f"no Plural-Forms header; it should be '{expected}' "
                          "(run `pressgen catalogs update` to fix it)")]

