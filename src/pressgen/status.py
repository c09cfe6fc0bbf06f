"""`pressgen status`: how far each translation is, release by release and language by language."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog

from .report import BuildReport
from .versions import Builder
from .builder import hold_back
from .cache import BuildCache, combine
from .published import of_the_project, orphan_warnings, read_snapshot, snapshot_path, unlisted_language_warnings
from .conflicts import unmerged_problems
from .review import plural_forms_problems
from .publishedmessages import messages_memory_path
from .catalogs import (TEMPLATE_LANGUAGE, extract_release_messages, extract_template_messages, glossary_path,
                       messages_path, release_catalog_path)
from .config import load_config
from .errors import PressgenError
from .translate import Gap, Reviewer


@dataclass(frozen=True)
class Row:
    catalog: str
    """Project-relative path of the catalog the row counts."""
    lang: str
    release: str | None
    """The release id; None for the templates and office texts (messages.po)."""
    total: int
    translated: int | None
    """None, as the fuzzy, untranslated and problems counts, for a catalog that cannot be read:
    what it holds is not known (a trial's row said all of it was untranslated)."""
    fuzzy: int | None
    untranslated: int | None
    problems: int | None
    """Translated messages failing a QA check or the glossary."""
    ready: bool
    """The version would be published by `pressgen build`."""
    waiting_for: str = ""
    """Why a version with nothing left in its own catalog is not ready: 'no catalog yet',
    or the other catalog (messages.po) that holds its gaps."""
    waived: int = 0
    """Translated messages with a check waived by a translator's `#, ignore-…` flag."""
    stands_in: int = 0
    """messages.po's labels under a fuzzy flag while pressgen's own translation of them goes out."""
    outdated: dict | None = None
    """For a version not ready today that was published before, and so stays online:
    {'published', 'since', 'changed'}: when it was published, when a build first found
    its source changed (None until one has), and the source texts it lacks. One whose record or
    catalog the build cannot read has 'built' too: whether this folder's out/ has its page; and
    where it has not, 'build_makes_it': when ('once the record is mended')."""
    withdrawn: str | None = None
    """The day the office withdrew the release (YYYY-MM-DD): its pages stay, marked, and it
    is never listed or mailed, however ready its translation."""


@dataclass
class Status:
    rows: list[Row]
    errors: list[PressgenError]
    warnings: list[str] = field(default_factory=list)
    """What a build would warn of that concerns translators (a published record missing)."""

    def as_json(self, root: Path | None = None) -> dict:
        """Errors are 'file:line: message', the file relative to ``root`` as the table shows it."""
        return {"catalogs": [asdict(row) for row in self.rows], "errors": [e.format(root) for e in self.errors],
                "warnings": list(self.warnings)}


def count(template: Catalog, catalog: Catalog | None, reviewer: Reviewer, path: Path,
          mistakes: list[PressgenError]) -> tuple[int, ...]:
    """(total, translated, fuzzy, untranslated, problems, waived) of the template's messages in
    ``catalog``; each problem counted is added to ``mistakes``, at its line as check names it (a
    trial's row counted one that nothing below the table named, exit 0)."""
    total = translated = fuzzy = untranslated = problems = waived = 0
    for message in template:
        if not message.id:
            continue
        total += 1
        found = catalog.get(message.id, message.context) if catalog is not None else None
        if found is not None and found.fuzzy:
            fuzzy += 1
        elif found is None or not (found.string if isinstance(found.string, str) else all(found.string)):
            untranslated += 1
        else:
            translated += 1
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            standing = [gap for gap in reviewer.gaps(catalog, path, msgid, message.context) if gap.kind == "mistake"]
            if standing:
                problems += 1
                mistakes.extend(gap.as_error() for gap in standing)
            if reviewer.assess(found, path)[1]:
                waived += 1
    return total, translated, fuzzy, untranslated, problems, waived


def status(root: Path | str = ".", release_ids: frozenset[str] | None = None) -> Status:
    """Every catalog's row; of the releases, only ``release_ids`` when given (pressgen serve's
    preview of one release)."""
    root = Path(root).resolve()
    config = load_config(root)
    report = BuildReport()
    errors = report.errors
    builder = Builder(root, config, BuildCache.in_memory(), report)
    builder.reads_out = True  # a version online whose snapshot is missing, as check finds it
    builder.reuse_last_build()
    records, broken = builder.records()
    for problems in broken.values():
        errors.extend(problems)
    errors.extend(builder.renamed_problems(records, set(broken)))  # a damaged one stops the build
    builder.learn_published_chains(records)
    builder.learn_renames(records)
    report.warnings.extend(builder.former_ids_hints(records))
    unmerged, conflicted = unmerged_problems(root)
    report.warnings.extend(unmerged)
    for error in conflicted:
        report.error(error)
    # As check says them (a trial's status was silent on published versions left without their record).
    report.warnings.extend(orphan_warnings(root, {r.id for r in records} | set(broken), builder.former_ids_known(records)))
    report.warnings.extend(unlisted_language_warnings(root, config.languages, root / "out"))
    # Languages a build holds back, as their published/<lang>.messages.yaml cannot be read.
    held: dict[str, str] = {}
    for lang in config.languages:
        try:
            builder.keep_published_messages(lang)  # read as a build reads it (status writes nothing)
        except PressgenError as exc:
            errors.append(exc)
            # The file that cannot be read: the record of what went out, or messages.po it is made from.
            unread = Path(exc.path) if exc.path else messages_memory_path(root, lang)
            held[lang] = f"{_rel(unread if unread.is_absolute() else root / unread, root)} cannot be read (see the error)"
            # As build and check say it: the other files that cannot be read, and what waits (a trial's status did not).
            report.warnings.append(hold_back(builder, records, lang, root / "out", exc))
        else:
            report.warnings.extend(builder.stray_office_texts(lang))
    rows: list[Row] = []
    try:
        templates = extract_template_messages(root, config)
    except PressgenError as exc:
        errors.append(exc)
        templates = Catalog()
    for lang in config.languages:
        if lang == TEMPLATE_LANGUAGE:
            continue
        path = messages_path(root, lang)
        try:
            reviewer = Reviewer(lang, builder.catalogs.glossary(lang))
            *counts, waived = count(templates, builder.catalogs.messages(lang, as_translated=True), reviewer, path,
                                    errors)
            # Labels reworked under a fuzzy flag while pressgen's own translation goes out: the
            # translator's work, which holds back no page (as check says).
            standing_in = len(builder.catalogs.messages(lang).pressgen_shadowed)  # type: ignore[attr-defined]
        except PressgenError as exc:
            errors.append(exc)
            rows.append(_unreadable(path, root, lang, None, templates, error=exc))
            continue
        total, translated, *_, problems = counts
        # Its Plural-Forms, as check and the build read it: a trial's status said "ready" where
        # they refused the file.
        header = plural_forms_problems(path, lang) if path.exists() else []
        errors.extend(header)
        problems += len(header)
        counts[-1] = problems
        ready = total == translated + standing_in and problems == 0
        rows.append(Row(_rel(path, root), lang, None, *counts, ready=ready, waived=waived, stands_in=standing_in,
                        waiting_for="" if ready else held.get(lang) or ("no catalog yet" if not path.exists() else "")))
    fingerprint, verdicts = builder.fingerprints.file, builder.verdicts
    for record in records:
        if release_ids is not None and record.id not in release_ids:
            continue
        source: Catalog | None = None
        for lang in config.languages:
            if lang == record.lang:
                continue
            path = release_catalog_path(root, lang, record.id)
            # Counted before from the same record, catalog and glossaries: the same counts
            # (verdicts.py), without reading the record or the catalog.
            key = combine(record.key, record.id, lang, record.lang, fingerprint(path),
                          fingerprint(glossary_path(root, lang)), fingerprint(glossary_path(root, record.lang)))
            kept = verdicts.get("count", key) if verdicts is not None else None
            if kept is not None and kept[4]:
                kept = None  # kept by a pressgen that kept problems: counted again, to be named
            named: list[PressgenError] = []  # the problems counted, each at its line
            if kept is not None:
                *counts, waived, withdrawn = kept
            else:
                withdrawn = record.release.withdrawn.isoformat() if record.release.withdrawn else None
                if source is None:
                    source = extract_release_messages(record.release, root)
                try:
                    reviewer = Reviewer(lang, builder.catalogs.glossary(lang), record.lang,
                                        builder.catalogs.glossary(record.lang))
                    *counts, waived = count(source, builder.catalogs.release(lang, record.id), reviewer, path, named)
                except PressgenError as exc:
                    errors.append(exc)
                    other = _unread(path, root, exc)
                    # Its catalog alone: the build serves the version published meanwhile (another
                    # file, a glossary, holds back the language; a trial's row said 'once the record is mended').
                    online, damage = _online(root, lang, record.id, f"once {other} is mended" if other else
                                             "as it went out, until the catalog is mended")
                    if damage is not None:
                        errors.append(damage)  # as the build and check name it, which serve or read it (a trial)
                    rows.append(_unreadable(path, root, lang, record.id, source, online, exc))
                    continue
                # A problem is never kept: counted again, it is named each time (a trial's second
                # status counted it from here and named nothing).
                if verdicts is not None and not counts[4]:
                    verdicts.keep("count", key, [*counts, waived, withdrawn])
            errors.extend(named)
            state = builder.readiness(record, lang, report=False)
            if state and not state["ready"]:
                # What else holds it back that no message count shows (a Plural-Forms CLDR does not
                # give, a waiver refused): named as check names it (a trial's row said 'not ready', no more).
                said = {error.format() for error in named}
                mistakes = [gap.as_error() for gap in map(Gap.from_state, state["gaps"])
                            if gap.kind == "mistake" and gap.path == path and gap.as_error().format() not in said]
                errors.extend(mistakes)
                counts = [*counts[:4], counts[4] + len(mistakes), *counts[5:]]
            blocked = builder.rename_blocked.get((record.id, lang))
            ready = bool(state and state["ready"]) and lang not in held and blocked is None
            damage = builder.review_published(record, lang) if ready and lang != record.lang else None
            damaged = damage is not None
            if damaged:  # as the build reads it, to keep it or publish it again
                errors.append(damage)
                ready = False
            # A damaged one is named once: not read again as the version online.
            published = None if ready or damaged else builder.outdated(record, lang)
            outdated = {k: published[k] for k in ("published", "since", "changed")} if published else None
            snapshot = _rel(snapshot_path(root, lang, record.id), root)
            unreadable = damaged or (record.id, lang) in builder.unreadable
            error = damage or next((e for e in builder.report.errors if e.path == snapshot_path(root, lang, record.id)),
                                   None) if unreadable else None
            waiting_for = "" if ready else held.get(lang) or (
                f"{_rel(blocked, root)} {'cannot be read' if blocked.exists() else 'is missing'} (see the error)"
                if blocked else
                f"{snapshot} is missing (see the warning)" if (record.id, lang) in builder.lost else
                # Whole, but naming a photo or an organisation gone: not a file to restore (a trial).
                "its published version can no longer be rebuilt (see the error)" if error and of_the_project(error) else
                f"{snapshot} cannot be read (see the error)" if unreadable
                else _waiting_for(path, root, state))
            rows.append(Row(_rel(path, root), lang, record.id, *counts, ready=ready, waiting_for=waiting_for, waived=waived,
                            outdated=outdated, withdrawn=withdrawn))
    # A record with a mistake keeps its rows, counted from its catalogs as they are: an office's
    # typo must not hide from translators the work they have on it.
    for release_id in sorted(broken):
        if release_ids is not None and release_id not in release_ids:
            continue
        for lang in config.languages:
            path = release_catalog_path(root, lang, release_id)
            if not path.is_file():
                continue
            try:
                catalog = builder.catalogs.release(lang, release_id)
                *counts, waived = count(catalog, catalog, Reviewer(lang, builder.catalogs.glossary(lang)), path, errors)
            except PressgenError as exc:
                errors.append(exc)
                rows.append(_unreadable(path, root, lang, release_id, Catalog(), error=exc))
                continue
            # Its last build's outputs stay online as they were (a broken record changes none).
            rows.append(Row(_rel(path, root), lang, release_id, *counts, ready=False,
                            waiting_for=f"its record has a mistake: {broken[release_id][0].where(root)}",
                            waived=waived, outdated=_online(root, lang, release_id, "once the record is mended")[0]))
    # Each once: messages.po is read for its row and for what the build holds back (a trial saw it twice).
    once = list({error.format(): error for error in errors}.values())
    if verdicts is not None:
        verdicts.save(whole=release_ids is None)
    return Status(rows, once, report.warnings)


def _online(root: Path, lang: str, release_id: str, made: str) -> tuple[dict | None, PressgenError | None]:
    """The published version of a version the build cannot look at now (its record or catalog
    has a mistake): its outputs stay online as the last build made them; or the damage of its
    file, which the build names as it serves it. ``made``: when a build makes it where this
    folder's out/ has no page of it ('once the record is mended')."""
    try:
        snapshot = read_snapshot(snapshot_path(root, lang, release_id))
    except PressgenError as exc:
        return None, exc
    if not snapshot:
        return None, None
    # Online only if a build of this folder made its page: a fresh clone's build leaves it out.
    built = (root / "out" / lang / f"{release_id}.html").is_file()
    return {"published": snapshot.published.isoformat(), "since": None, "changed": [], "built": built,
            **({} if built else {"build_makes_it": made})}, None


def _unreadable(path: Path, root: Path, lang: str, release: str | None, template: Catalog,
                online: dict | None = None, error: PressgenError | None = None) -> Row:
    """A catalog that cannot be read still has its row, so a dashboard does not lose it; and the
    version published before, which stays online. ``error``: what could not be read, when it is
    another file than the catalog (a glossary: a trial's rows blamed the Turkish catalogs)."""
    total = sum(1 for message in template if message.id)
    other = _unread(path, root, error)
    why = f"{other} cannot be read (see the error)" if other else "the catalog cannot be read (see the error)"
    return Row(_rel(path, root), lang, release, total, None, None, None, None, ready=False, waiting_for=why,
               outdated=online)


def _unread(path: Path, root: Path, error: PressgenError | None) -> str | None:
    """The file that cannot be read (``error``'s), by its project-relative name, when it is not
    the catalog at ``path``; None when it is the catalog."""
    other = Path(error.path) if error is not None and error.path else None
    if other is not None and not other.is_absolute():
        other = root / other
    return _rel(other, root) if other is not None and other != path and other.is_relative_to(root) else None


def _waiting_for(path: Path, root: Path, state: dict | None) -> str:
    if not path.exists():
        return "no catalog yet"
    elsewhere = sorted({gap.path for gap in map(Gap.from_state, state["gaps"]) if gap.path != path}) if state else []
    return ", ".join(_rel(other, root) for other in elsewhere)


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()
