"""`pressgen check`'s review of every catalog and template, beyond what a build uses.

A build asks "is this version publishable?"; the review asks "is anything in
these files wrong?", and reports each problem as `file:line: message`:
QA problems of every translated message, glossary violations, waivers that are
refused or misspelt, a wrong Plural-Forms header, and casing in templates that
is wrong for Turkish. It also counts the checks that translators waived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cache import combine
from .catalogs import (LOCALES_DIR, TEMPLATE_LANGUAGE, Catalogs, gettext_plural_forms, glossary_path, messages_of,
                       messages_path, same_plural_rule)
from .errors import PressgenError
from .model import Config
from .poheader import plural_forms_line, read_header
from .polines import flag_line, msgstr_line
from .projectfiles import relative_name
from .qa import Glossary, waiver_mistakes
from .records import load_records
from .translate import Reviewer, message_label
from .verdicts import Verdicts


@dataclass
class Review:
    problems: list[PressgenError] = field(default_factory=list)
    waived: list[tuple[Path, int | None, str]] = field(default_factory=list)
    """(catalog, line, check) of every problem a translator waived."""

    def waived_note(self) -> str:
        """'3 checks waived in 2 catalogs (…)', or '' when nothing is waived."""
        if not self.waived:
            return ""
        checks, catalogs = len(self.waived), len({path for path, _line, _check in self.waived})
        return (f"{checks} check{'' if checks == 1 else 's'} waived in {catalogs} catalog{'' if catalogs == 1 else 's'} "
                "(see their '#, ignore-…' flags)")


def review_catalogs(root: Path, config: Config, catalogs: Catalogs, source_of: dict[str, str] | None = None,
                    fingerprint: Callable[[Path], str] | None = None, verdicts: Verdicts | None = None) -> Review:
    """Every catalog and glossary of the project reviewed. ``source_of``: each readable
    record's language by release id (read here when not given). ``fingerprint``, ``verdicts``:
    a file's hash (cache.Fingerprints.file), and what the last review of the same files found
    clean, which is taken as it was (verdicts.py)."""
    result = Review()
    glossaries: dict[str, Glossary] = {}
    for lang in dict.fromkeys([*config.languages, TEMPLATE_LANGUAGE]):
        try:
            glossaries[lang] = catalogs.glossary(lang)
        except PressgenError as exc:
            result.problems.append(exc)
            glossaries[lang] = Glossary(lang)
    # A release catalog is checked against the glossary of its release's language.
    if source_of is None:
        releases, _broken = load_records(root, config)  # the build's own pass reports broken records
        source_of = {release.id: release.lang for release in releases}
    for lang in config.languages:
        folder = root / LOCALES_DIR / lang
        paths = [*([] if lang == TEMPLATE_LANGUAGE else [messages_path(root, lang)]),
                 # Not hidden files: a Mac's `._<id>.po` beside each catalog is binary AppleDouble data.
                 *sorted(p for p in (folder / "releases").glob("*.po") if not p.name.startswith("."))]
        for path in [*paths, glossary_path(root, lang)]:
            # By its hash, when there is one ("-": missing, or a link to nothing): its stat is kept for the key below.
            if (fingerprint(path) == "-") if fingerprint is not None else not path.exists():
                continue
            glossary = path == glossary_path(root, lang)
            source = source_of.get(path.stem, TEMPLATE_LANGUAGE) if path.parent.name == "releases" else TEMPLATE_LANGUAGE
            key = None
            if verdicts is not None and fingerprint is not None:
                key = combine(relative_name(root, str(path)), fingerprint(path), lang, glossary, source,
                              fingerprint(glossary_path(root, lang)), fingerprint(glossary_path(root, source)))
                kept = verdicts.get("catalog", key)
                if kept is not None:
                    result.waived += [(path, line, check) for line, check in kept]
                    continue
            problems, waived = len(result.problems), len(result.waived)
            try:
                catalog = catalogs.load(path, lang)
            except PressgenError as exc:
                result.problems.append(exc)
                continue
            result.problems += plural_forms_problems(path, lang, catalog)
            if glossary:
                reviewer = None  # a glossary is not checked against itself
            else:
                reviewer = Reviewer(lang, glossaries[lang], source, glossaries.get(source, Glossary(source)))
                if source == lang:
                    reviewer = None
            _review_messages(catalog, path, lang, reviewer, result)
            if key is not None and len(result.problems) == problems:
                verdicts.keep("catalog", key, [[line, check] for _path, line, check in result.waived[waived:]])
    return result


def message_mistakes(catalog, path: Path, lang: str, terms: Glossary | None) -> list[PressgenError]:
    """QA and glossary problems of a catalog's messages (written in English), each at its line."""
    result = Review()
    _review_messages(catalog, path, lang, Reviewer(lang, terms), result)
    return result.problems


def _review_messages(catalog, path: Path, lang: str, reviewer: Reviewer | None, result: Review,
                     flags: bool = True) -> None:
    no_glossary = Reviewer(lang, Glossary(lang), lang, Glossary(lang))  # QA checks only
    for message in catalog:
        if not message.id:
            continue
        standing, waived = (reviewer or no_glossary).assess(message, path)
        label = message_label(message.id, message.context)
        line = msgstr_line(path, message.lineno) if standing else None
        result.problems += [PressgenError(path, line, f"{label} {problem}") for problem in standing]
        result.waived += [(path, message.lineno, problem.check) for problem in dict.fromkeys(waived)]
        if flags:
            result.problems += [PressgenError(path, flag_line(path, message.lineno, flag), mistake)
                                for flag, mistake in waiver_mistakes(message)]


def flag_mistakes(catalog, path: Path) -> list[PressgenError]:
    """Refused and unknown waivers of a catalog, at the line of their '#,' comment: the
    build refuses them as check does."""
    return [PressgenError(path, flag_line(path, message.lineno, flag), mistake)
            for message in messages_of(catalog) for flag, mistake in waiver_mistakes(message)]


def plural_forms_problems(path: Path, lang: str, catalog=None) -> list[PressgenError]:
    """A wrong or missing Plural-Forms in the catalog at ``path``; from ``catalog``, the file as
    read_catalog read it, without reading it again."""
    expected = gettext_plural_forms(lang)
    if catalog is not None and hasattr(catalog, "pressgen_plural_forms_line"):
        number, header = catalog.pressgen_plural_forms_line, catalog.pressgen_header
    else:
        # Read as bytes: the header is ASCII in any charset a catalog may be saved in (ISO-8859-9).
        text = path.read_bytes().decode("utf-8", "replace")
        number = plural_forms_line(text)
        # The whole field: a long rule (Russian's, Arabic's) goes on over the next strings as
        # pressgen's writer, Babel's and GNU's wrap it, which a trial's check read as cut short.
        header = read_header(text) if number is not None else []
    if number is None:
        return [PressgenError(path, 1, f"no Plural-Forms header; it should be '{expected}' "
                              "(run `pressgen catalogs update` to fix it)")]
    found = dict(header).get("Plural-Forms", "")
    if not same_plural_rule(found, lang):
        return [PressgenError(path, number, f"Plural-Forms is '{found}'; CLDR gives '{expected}' "
                              "(run `pressgen catalogs update` to fix it)")]
    return []


def stray_office_texts(config: Config, path: Path, catalog, root: Path, updated: bool = False) -> list[str]:
    """Office texts of messages.po (``catalog``, read from ``path``) under a key pressgen.yaml has
    neither as an organisation's key nor among its former keys: no page shows them, and each
    waits untranslated. A trial renamed a key again naming only the first in former_keys (or
    none): the catalogs, under the key between, went unused while check found no problem.
    ``updated``: said by `catalogs update`, which has just offered them to today's texts."""
    if catalog is None:
        return []  # a language added today: no catalog yet
    fields = {text.context.partition(": ")[2] for text in config.texts() if text.context}
    stray: dict[str, list] = {}
    for message in catalog:
        key, sep, field_name = (message.context or "").partition(": ")
        if sep and field_name in fields and message.id and config.organisation_key(key) is None:
            stray.setdefault(key, []).append(message)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if stray and path.exists() else []

    def line(context: str) -> int | None:  # of its msgctxt, as the file has it now
        return next((n for n, text in enumerate(lines, 1) if text.startswith(f'msgctxt "{context}"')), None)

    name = relative_name(root, path)
    where = (lambda key, found: name) if updated else (lambda key, found: f"{name}:{line(found[0].context)}")
    # Once updated, they are obsolete, and today's texts offered them from the memory, fuzzy: named
    # in former_keys, the next update approves each as it went out (a trial was told nothing more).
    then = "; then run `pressgen catalogs update` again, which approves each as it went out" if updated else ""
    said = "were under" if updated else "under"
    return [f"{where(key, found)}: {len(found)} office text(s) {said} '{key}', which pressgen.yaml has no longer "
            "(no organisation's key, nor among its former_keys): no page shows their translations; "
            + (config.rename_hint(key) or f"if an organisation was renamed from '{key}', name it in its "
               "former_keys, else `pressgen catalogs update` makes them obsolete") + then
            for key, found in stray.items()]
