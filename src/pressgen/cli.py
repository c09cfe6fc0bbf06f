"""The `pressgen` command: a thin shell over the library.

Each command parses options, calls one library function and reports. Errors
print as `path:line: message` (paths relative to the project) with exit 1;
usage errors exit 2; no traceback reaches the user.
"""

from __future__ import annotations

import atexit
import errno
import os
import shlex
import sys
import threading
import time
from pathlib import Path

import click

from . import __version__
from .errors import PressgenError, UsageError

project_option = click.option(
    "--project", "-C", "project", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The press office folder (with releases/, locales/, pressgen.yaml).",
)


def _split(values: tuple[str, ...]) -> tuple[str, ...]:
    """Accept both '--lang en,tr' and '--lang en --lang tr'."""
    return tuple(part.strip() for value in values for part in value.split(",") if part.strip())


def _moment(value: str | None):
    if value is None:
        return None
    import datetime as dt

    from .records import parse_embargo

    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        # The form records use for an embargo, so one can be copied: '2026-12-03 02:00 Asia/Almaty'.
        moment = parse_embargo(value)
        if isinstance(moment, str):
            raise click.BadParameter(f"'{value}' is not a date and time with a timezone, e.g. 2030-01-01T00:00Z "
                                     "or '2030-01-01 06:00 Asia/Almaty' (as in a record's embargo)") from None
    if moment.tzinfo is None:
        raise click.BadParameter(f"'{value}' needs a timezone, e.g. 2030-01-01T00:00Z or 2030-01-01T06:00+06:00")
    return moment


_CANNOT_WRITE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO,
                 errno.ENOTDIR, errno.EISDIR}
"""What the disk or the system refuses a build (full, read-only, not ours; a file where a folder
goes, or the other way round): said, not a traceback."""


def _cannot_write(exc: OSError) -> PressgenError:
    """The file a build could not write, by the name it was to have (not its temporary's)."""
    from .fsutil import written_as

    path = Path(exc.filename2 or exc.filename) if exc.filename else None
    if path is not None and (name := written_as(path.name)):
        path = path.with_name(name)
    then = "then build again: every file already written is whole"
    if exc.errno == errno.ENOTDIR and path is not None:
        # Which of its folders is a file (out/kk, left by hand or by another program: a trial).
        blocking = next((folder for folder in reversed(path.parents) if folder.exists() and not folder.is_dir()), path)
        return PressgenError(blocking, None, f"a file where pressgen writes a folder; move it away or delete it, {then}")
    if exc.errno == errno.EISDIR and path is not None:
        return PressgenError(path, None, f"a folder where pressgen writes a file; move it away or delete it, {then}")
    return PressgenError(path, None, f"cannot write this ({exc.strerror}); make room or fix the folder's permissions, {then}")


def _fail(exc: PressgenError, root: Path) -> None:
    click.echo(exc.format(root.resolve()), err=True)
    sys.exit(2 if isinstance(exc, UsageError) else 1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pressgen")
def cli() -> None:
    """Multilingual press releases: YAML records and gettext catalogs in, HTML and PDF out."""


@cli.command()
@project_option
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: PROJECT/out].")
@click.option("--lang", "-l", "langs", multiple=True, help="Only these languages, e.g. 'tr,kk'.")
@click.option("--release", "-r", "releases", multiple=True, help="Only this release id (repeatable).")
@click.option("--format", "-f", "formats", multiple=True, help="html, pdf, ninjs [default: all three].")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Processes rendering PDFs, the build's own included [default: one per core].")
@click.option("--force", is_flag=True, help="Render everything, ignoring what is up to date.")
@click.option("--drafts", is_flag=True, help="Also render versions not ready to publish, marked DRAFT.")
@click.option("--now", "now", metavar="WHEN", callback=lambda ctx, param, value: _moment(value),
              help="Build the site as it will be at WHEN (ISO 8601 with timezone, e.g. 2030-01-01T00:00Z): "
                   "embargoes lifted by then are public.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
@click.option("--verbose", "-v", is_flag=True, help="Print every file written.")
def build(project: Path, out: Path | None, langs, releases, formats, jobs, force: bool, drafts: bool, now,
          quiet: bool, verbose: bool) -> None:
    """Write the page, PDF and ninjs item of every ready release and language into
    out/<lang>/, and the newsroom: indexes, Atom feeds, root page, sitemap.

    Only what changed since the last build is rendered again.
    """
    from .build import FORMATS, refuse_output_folder
    from .build import build as run_build

    try:
        refuse_output_folder(project, out)  # before the build's lock makes .pressgen/ in it
    except UsageError as exc:
        _fail(exc, project)
    if now is not None and out is None:
        # out/ is what the office publishes: a look at another moment there would list an
        # embargoed release (or unlist a public one) for whoever serves or copies out/.
        _fail(UsageError("--now builds the site as it will be at that moment: give it a folder of its own with -o "
                         "(for example -o preview), so that out/, which is published, stays as it is"), project)

    root = project.resolve()
    try:
        with _progress(root, quiet, verbose) as progress:
            report = run_build(
                project, out, languages=_split(langs) or None, release_ids=_split(releases) or None,
                formats=_split(formats) or FORMATS, jobs=jobs, force=force, drafts=drafts, now=now, progress=progress,
            )
    except PressgenError as exc:
        _fail(exc, project)
    except OSError as exc:
        if exc.errno not in _CANNOT_WRITE:
            raise
        _fail(_cannot_write(exc), project)
    except KeyboardInterrupt:
        # 128 + SIGINT, as a shell reports it: a script tells a stopped build from a failed one.
        click.echo("Interrupted: every file written is whole, and the next build brings the rest up to date.", err=True)
        sys.exit(130)
    for old, new in report.moved:
        click.echo(f"moved {_rel(old, root)} to {_rel(new, root)} (the release's id changed; commit both)")
    for path in report.removed:
        # A published version's record (in git) goes only with its release: said every time.
        if verbose or _rel(path, root).startswith("published/"):
            click.echo(f"removed {_rel(path, root)}")
    if verbose:
        for path in report.published:
            click.echo(f"published {_rel(path, root)}")
    _report_outdated(report, root, quiet)
    _report_not_ready(report, root, quiet, "draft only" if drafts else "not built")
    for error in report.errors:
        click.echo(error.format(root), err=True)
    # After the problems: a warning may refer to them ("fix the problems above first").
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    chosen = set(_split(formats) or FORMATS)
    if "html" in chosen and "pdf" not in chosen and not quiet:
        _report_unprinted(report, Path(out or root / "out"))
    if not quiet:
        rendered, unchanged = len(report.outputs(written=True)), len(report.outputs(written=False))
        kept = len(report.kept)
        summary = f"{rendered + unchanged + kept} outputs ({rendered} rendered, {unchanged} up to date"
        summary += f", {kept} kept as the last good build made them" if kept else ""
        summary += f", {len(report.removed)} removed" if report.removed else ""
        summary += f"; {len(report.errors)} problem(s))" if report.errors else ")"
        click.echo(summary)
        if report.next_lift:
            # Nothing lists an embargoed release until a build runs after its moment.
            until, release_id = report.next_lift
            click.echo(f"next embargo lifts {until.isoformat(' ', 'minutes')} ({release_id}): "
                       "a build then lists it")
    sys.exit(0 if report.ok else 1)


def _stray_office_texts(loaded) -> list[str]:
    """review.stray_office_texts of each language's messages.po, as `catalogs update` finds it."""
    from .catalogs import TEMPLATE_LANGUAGE, messages_path, read_catalog
    from .review import stray_office_texts

    found = []
    for lang in loaded.config.languages:
        path = messages_path(loaded.root, lang)
        if lang == TEMPLATE_LANGUAGE or not path.is_file():
            continue
        try:
            catalog = read_catalog(path, lang, mend=True)
        except PressgenError:
            continue  # the update names it
        found += stray_office_texts(loaded.config, path, catalog, loaded.root, updated=True)
    return found


def _report_unprinted(report, out: Path) -> None:
    """A build of pages only: every page links its PDF, and one deployed as it is would have dead
    links, or PDFs and ninjs items still saying what the pages no longer say (trials'). A note,
    as a cron job's `-q` build would mail it every time."""
    from .report import OutputPaths

    # As names, each folder listed once: a Path and a stat a page took 0.04 s of a no-op at 1,000 x 3.
    prefix = f"{out}/"
    names = [str(path).removeprefix(prefix) for path in report.written]
    unchanged = report.unchanged
    names += unchanged.names + [str(path).removeprefix(prefix) for path in unchanged.first] \
        if isinstance(unchanged, OutputPaths) else [str(path).removeprefix(prefix) for path in unchanged]
    listed: dict[str, set[str]] = {}

    def printed(lang: str, pdf: str) -> bool:
        if lang not in listed:
            try:
                listed[lang] = set(os.listdir(out / lang))
            except OSError:
                listed[lang] = set()
        return pdf in listed[lang]

    # In name order: an edit's build lists its own outputs first, a full build in record order.
    missing = sorted(name for name in names if name.endswith(".html") and name.count("/") == 1
                     and not printed(name.partition("/")[0], name.rpartition("/")[2][:-4] + "pdf"))
    said = []
    if missing:
        said.append(f"{len(missing)} page(s) link to a PDF not made yet ({_some(missing)})")
    if report.behind:
        said.append(f"{len(report.behind)} PDF or ninjs file(s) no longer match their page ({_some(report.behind)})")
    if said:
        click.echo(f"note: {'; '.join(said)}: this build made pages only; run `pressgen build` before you "
                   "publish out/", err=True)


def _some(names: list[str]) -> str:
    return ", ".join(names[:3]) + (" …" if len(names) > 3 else "")


@cli.command()
@project_option
def check(project: Path) -> None:
    """Validate records, catalogs and templates; write nothing."""
    from .build import check as run_check

    try:
        report = run_check(project)
    except PressgenError as exc:
        _fail(exc, project)
    root = project.resolve()
    _report_outdated(report, root, quiet=False)
    _report_not_ready(report, root, quiet=False, what="not ready")
    for error in report.errors:
        click.echo(error.format(root), err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.ok:
        # "No problems found" alone read as if every version were ready, and nothing were to
        # look at, beside the lines above it.
        besides = []
        # A release's own language behind on labels only goes out (nothing was published before it).
        labels = sum(published["published"] is None for *_, published in report.outdated)
        behind = sum(behind_source(published) for *_, published in report.outdated) - labels
        if waiting := len(report.not_ready) + len(report.outdated) - behind - labels:
            besides.append(f"{waiting} {'version waits' if waiting == 1 else 'versions wait'} for translation "
                           "(not ready, above)")
        if behind:
            besides.append(f"{behind} {'version is' if behind == 1 else 'versions are'} online as published, "
                           "behind the source (outdated, above)")
        if labels:
            besides.append(f"{labels} {'version goes' if labels == 1 else 'versions go'} out with labels still to "
                           "translate (outdated labels, above)")
        if warned := len(report.warnings):
            besides.append(f"{warned} {'warning' if warned == 1 else 'warnings'} (above)")
        click.echo("No problems found" + "".join(f"; {said}" for said in besides) + ".")
    if note := report.waived:
        click.echo(note)
    sys.exit(0 if report.ok else 1)


@cli.command()
@project_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(project: Path, as_json: bool) -> None:
    """How far each translation is: translated, fuzzy, untranslated, ready."""
    import json

    from .status import status as run_status

    try:
        result = run_status(project)
    except PressgenError as exc:
        _fail(exc, project)
    if as_json:
        click.echo(json.dumps(result.as_json(project.resolve()), ensure_ascii=False, indent=2))
    else:
        _print_status(result)
    root = project.resolve()
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in result.errors:
        click.echo(error.format(root), err=True)
    sys.exit(1 if result.errors else 0)


def _print_status(result) -> None:
    """Aligned columns, in colour on a terminal, plain when piped (nothing cut, no trailing
    padding). Laid out here, not by rich's Table, which took 13 s for the 20,000 rows of an
    archive of 10,000 releases × 3: a few string operations a row."""
    tty = sys.stdout.isatty()
    waived = any(row.waived for row in result.rows)  # the column only when a translator waived a check
    columns = ("release", "lang", "translated", "fuzzy", "untranslated", "problems", *("waived",) * waived, "ready")
    lines = [[[(column, None)] for column in columns]]
    for row in result.rows:
        ready: list[tuple[str, str | None]] = [("ready", "green") if row.ready else ("not ready", "red")]
        if row.ready and row.stands_in:
            ready.append((f" ({row.stands_in} fuzzy label{'s wait' if row.stands_in > 1 else ' waits'} for review; "
                          "pages keep the previous translation)", None))
        if row.withdrawn:
            ready = [(f"withdrawn {row.withdrawn}", None)]  # listed and mailed never again, whatever its translation
        elif row.outdated and (row.outdated["since"] or row.outdated["changed"]):
            # Since when is the build's to record (status writes nothing): until it has, when it went out.
            ready = [("outdated", "yellow"), (f" since {_when(row.outdated['since'])}" if row.outdated["since"] else
                                              f" (published {_when(row.outdated['published'])}, its source changed since)",
                                              None)]
            changed = row.outdated["changed"]
            more = f"; changed: {', '.join(changed[:3])}" + (f" and {len(changed) - 3} more" if len(changed) > 3 else "") \
                if changed else ""
            # "no catalog yet" is a state, the rest files: "also waits for …messages.po" (a trial's
            # "also waits for no catalog yet").
            more += (f"; {row.waiting_for}" if row.waiting_for == "no catalog yet" else
                     f"; also waits for {row.waiting_for}") if row.waiting_for else ""
            ready.append((more, None))
        else:
            more = f" ({row.waiting_for})" if row.waiting_for else ""
            if row.outdated and row.outdated.get("built", True) is False:
                # A fresh clone, or out/ emptied: nothing of it is there for the record's mistake to spare.
                more += (f"; the version published {_when(row.outdated['published'])} is not in out/: "
                         f"a build makes it {row.outdated['build_makes_it']}")
            elif row.outdated:  # held up by a mistake or office texts: its source is what was published
                more += f"; the version published {_when(row.outdated['published'])} stays online"
            ready.append((more, None))
        name = row.release or "messages.po"  # templates and office texts
        translated = "?" if row.translated is None else row.translated  # a catalog that cannot be read
        lines.append([[(name, None)], [(row.lang, None)], [(f"{translated}/{row.total}", None)],
                      _n(row.fuzzy, "yellow"), _n(row.untranslated, "red"), _n(row.problems, "red"),
                      *([(str(row.waived), None)],) * waived, ready])
    widths = [max(sum(len(text) for text, _ in cells[column]) for cells in lines) for column in range(len(columns))]
    right = {columns.index(name) for name in ("translated", "fuzzy", "untranslated", "problems", *("waived",) * waived)}
    out = []
    for cells in lines:
        parts = []
        for column, segments in enumerate(cells):
            pad = " " * (widths[column] - sum(len(text) for text, _ in segments))
            text = "".join(click.style(text, fg=colour) if tty and colour else text for text, colour in segments)
            parts.append(pad + text if column in right else text + pad)
        out.append("  ".join(parts).rstrip())
    click.echo("\n".join(out))


def _n(value: int | None, colour: str) -> list[tuple[str, str | None]]:
    return [("?", None)] if value is None else [(str(value), colour if value else None)]


@cli.command("mail")
@project_option
@click.argument("release_id", metavar="ID")
@click.option("--list", "list_tag", metavar="TAG", help="Only journalists on this list (the media list's 'lists' column).")
@click.option("--send", is_flag=True, help="Send through SMTP. Without it, only write .eml files to review.")
@click.option("--rate", type=click.FloatRange(min=0.1), metavar="N", help="At most N messages a minute.")
@click.option("--resend", "resend", multiple=True, metavar="ADDRESS",
              help="Send to ADDRESS again, whatever the sent log says (repeatable).")
@click.option("--resend-uncertain", is_flag=True,
              help="Send again to everyone whose message may or may not have arrived.")
@click.option("--correction", is_flag=True,
              help="Send the release as it is now, marked corrected, to everyone sent an earlier text of it.")
@click.option("--withdrawal", is_flag=True,
              help="Tell everyone who was sent the release that it is withdrawn (its record says 'withdrawn').")
def mail_command(project: Path, release_id: str, list_tag: str | None, send: bool, rate: float | None,
                 resend: tuple[str, ...], resend_uncertain: bool, correction: bool, withdrawal: bool) -> None:
    """Email release ID to the media: one message per journalist, the PDF attached.

    A dry run by default: writes mail/ID/*.eml. With --send, delivers them and
    records each in mail/ID/sent.log, so a rerun sends only what is missing. A
    message that may or may not have arrived (the run was stopped, or the connection
    lost, before the server replied) is named and sent again only with --resend.
    """
    from .mail import mail as run_mail
    from .mailfolder import mail_folder

    root = project.resolve()
    try:
        shown = _progress(root, quiet=not send, verbose=False)
        with shown as progress:
            report = run_mail(project, release_id, list_tag=list_tag, send=send, rate=rate, progress=progress,
                              resend=resend, resend_uncertain=resend_uncertain, correction=correction,
                              withdrawal=withdrawal, warn=lambda warning: shown.say(f"warning: {warning}"))
    except PressgenError as exc:
        _fail(exc, project)
    except KeyboardInterrupt:
        log = _rel(mail_folder(root, release_id) / "sent.log", root)
        click.echo(f"Interrupted: {log} holds every message handed to the server; run the same command again "
                   "to send the rest (it names a message that was on its way, if any)." if send else
                   "Interrupted: nothing was sent.", err=True)
        sys.exit(130)
    # As `pressgen build` says them: the build mail runs first is the only one some releases get.
    for old, new in report.moved:
        click.echo(f"moved {_rel(old, root)} to {_rel(new, root)} (the release's id changed; commit both)")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    for error in [*report.refused, *report.uncertain]:
        click.echo(error.format(root), err=True)
    if report.interrupted:
        click.echo(report.interrupted.format(root), err=True)
    for (wanted, sent_in), addresses in report.stand_ins.items():
        why = (f"is outdated (its source changed after it was published {_when(report.outdated[wanted])})"
               if wanted in report.outdated else "is not ready")
        click.echo(f"note: the {wanted} version {why}; {len(addresses)} recipient(s) get the {sent_in} one: "
                   f"{', '.join(addresses)}", err=True)
    if report.outdone:
        click.echo(f"note: sent an earlier text of it: {', '.join(report.outdone)}", err=True)
    for lang, addresses in report.waiting.items():
        click.echo(f"note: the {lang} version is outdated (its source changed after it was published "
                   f"{_when(report.outdated[lang])}); a correction for who was sent it waits for its translation: "
                   f"{', '.join(addresses)}", err=True)
    for recipient in report.opted_out:
        click.echo(PressgenError(report.media_list, recipient.row,
                                 f"{recipient.email} opted out ({recipient.opted_out}); not mailed").format(root))
    already = "already told" if withdrawal else "already sent before"
    # Sent an earlier text: said in every run until they have the correction (or are told not).
    outdone = (f" ({len(report.outdone)} of them an earlier text: send them this one, marked corrected, with "
               "--correction)") if report.outdone else ""
    if send:
        again = f" ({len(report.resent)} of them again, as asked)" if report.resent else ""
        marked = sum(1 for address in report.sent if address in report.corrected)
        corrected = f" ({marked} of them marked corrected)" if marked else ""
        uncertain = f", {len(report.uncertain)} uncertain" if report.uncertain else ""
        opted_out = f", {len(report.opted_out)} opted out" if report.opted_out else ""
        click.echo(f"{len(report.sent)} sent{again}{corrected}, {len(report.skipped)} {already}{outdone}, "
                   f"{len(report.refused)} refused{uncertain}{opted_out}")
    else:
        folder = mail_folder(root, release_id)
        count = len(report.written)
        before = f"{len(report.skipped)} {already}{outdone}" if report.skipped else ""
        if count:
            click.echo(f"{count} message{'' if count == 1 else 's'} written to {_rel(folder, root)}/ for review"
                       f"{'; ' + before if before else ''}; send {'it' if count == 1 else 'them'} with --send"
                       f"{' --correction' if correction else ''}{' --withdrawal' if withdrawal else ''}"
                       f"{f' --list {list_tag}' if list_tag else ''}")
        else:
            click.echo(f"Nothing to send{': ' + before if before else ''}.")
    sys.exit(0 if report.ok else 1)


@cli.command("serve")
@project_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the preview to the whole network.")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Preview folder [default: PROJECT/.pressgen/preview]; never out/.")
def serve_command(project: Path, host: str, port: int, out: Path | None) -> None:
    """Preview the newsroom in a browser, rebuilt on every save.

    Pages, drafts included and marked, are rebuilt and reloaded as soon as a file
    under releases/, locales/ or templates/, or pressgen.yaml, is saved; the PDFs
    follow. /_preview/ shows each release in every language side by side, with
    its translation status. Problems show in the page; the server keeps running.
    """
    from .serve import serve

    try:
        serve(project, host, port, out, say=lambda line: click.echo(line, err=True))
    except PressgenError as exc:
        _fail(exc, project)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


@cli.group()
def catalogs() -> None:
    """Translation catalogs (gettext .po files under locales/)."""


@catalogs.command("update")
@project_option
def catalogs_update(project: Path) -> None:
    """Create or merge every catalog from the templates, pressgen.yaml and the records."""
    from .catalogs import update_catalogs
    from .lock import project_lock
    from .orphans import orphan_catalogs, unlisted_catalog_warnings
    from .project import load_project
    from .published import snapshot_path, went_out_under
    from .records import former_ids_with

    try:
        # A build reads the catalogs this writes: not while one runs.
        with project_lock(project, "catalogs update"):
            loaded = load_project(project)
            existing = set((loaded.root / "locales").rglob("*.po"))
            # Office texts under a key nobody has now, as they are before the update makes them obsolete.
            strays = _stray_office_texts(loaded)
            broken: list[PressgenError] = []
            started_from: dict[Path, Path] = {}
            written = update_catalogs(loaded.root, loaded.config, loaded.releases, broken=broken,
                                      started_from=started_from)
            orphans = orphan_catalogs(loaded.root, loaded.config)
    except PressgenError as exc:
        _fail(exc, project)
    root = project.resolve()
    for error in [*loaded.problems, *broken]:
        click.echo(error.format(root), err=True)
    # An orphan a new catalog started from is named on its 'created … from' line, which says what to do.
    started = set(started_from.values())
    # A record naming the id in its former_ids: the release was renamed, not deleted (a trial was
    # told to restore a record that was there under its new id).
    renamed = {old: release for release in loaded.releases for old in release.former_ids}
    # Or one its published versions went out under: renamed twice, the record naming one id.
    remembered = {old: release for release in loaded.releases for lang in loaded.config.languages
                  for old in went_out_under(snapshot_path(loaded.root, lang, release.id)) if old not in renamed}
    # Before the build that moves them: an orphan's own snapshot went out under an id a record names.
    named_by = {old: release for release in loaded.releases for old in release.former_ids}
    for path in orphans:
        if path.stem not in renamed and path.stem not in remembered:
            earlier = {old for lang in loaded.config.languages
                       for old in went_out_under(snapshot_path(loaded.root, lang, path.stem))}
            remembered.update({path.stem: named_by[old] for old in earlier if old in named_by})
    for path in orphans:
        if path in started:
            continue
        if path.stem in renamed:
            click.echo(f"warning: {_rel(path, root)}: the release '{path.stem}' is now '{renamed[path.stem].id}' "
                       f"({renamed[path.stem].source.path.name} names it in former_ids); delete this old catalog "
                       "once you have checked the new one", err=True)
        elif path.stem in remembered:
            release = remembered[path.stem]
            click.echo(f"warning: {_rel(path, root)}: the release '{path.stem}' is now '{release.id}' (its published "
                       f"versions went out as '{path.stem}'); add `former_ids: {former_ids_with(release, path.stem)}` "
                       f"to {_rel(release.source.path, root)}, so that links already sent to its old pages lead to the "
                       "new ones, and delete this old catalog once you have checked the new one", err=True)
        else:
            # A record that cannot be read may be this release renamed: its former_ids are unknown (a trial's).
            unread = "; or fix the record that cannot be read (above) first, if it is this release under a new id" \
                if loaded.problems else ""
            click.echo(f"warning: {_rel(path, root)}: no record has the id '{path.stem}' any more; delete this "
                       f"catalog if the release is gone for good, or restore its record{unread}", err=True)
    for warning in [*strays, *unlisted_catalog_warnings(loaded.root, loaded.config.languages)]:
        click.echo(f"warning: {warning}", err=True)
    for path in written:
        if path in started_from and started_from[path].suffix == ".yaml":
            click.echo(f"created {_rel(path, root)} from {_rel(started_from[path], root)} (the catalog was missing: "
                       "its translation as last published, approved where the source has not changed since)")
        elif path in started_from:
            click.echo(f"created {_rel(path, root)} from {_rel(started_from[path], root)} (the release's id changed; "
                       "delete the old catalog once you have checked the new one)")
        else:
            click.echo(f"{'updated' if path in existing else 'created'} {_rel(path, root)}")
    # A renamed release: the pages at its old id are removed at the next build, unless it names that id.
    releases = {release.id: release for release in loaded.releases}
    for new, old in dict.fromkeys((path.stem, started_from[path].stem) for path in written
                                  if path in started_from and started_from[path].suffix == ".po"):
        if new in releases and old not in releases[new].former_ids:
            click.echo(f"hint: {_rel(releases[new].source.path, root)} was '{old}': add "
                       f"`former_ids: {former_ids_with(releases[new], old)}` to it, so that links already sent to its "
                       "old pages lead to the new ones")
    if not written and not broken and not loaded.problems:
        click.echo("All catalogs are up to date.")
    if broken:
        files = len({error.path for error in broken})
        click.echo(f"{files} catalog{'s' if files > 1 else ''} left as {'they were' if files > 1 else 'it was'}: "
                   "fix what is said above and run `pressgen catalogs update` again", err=True)
    if loaded.problems:
        records = len({error.path for error in loaded.problems})
        click.echo(f"{records} record{'s' if records > 1 else ''} could not be read, and {'their' if records > 1 else 'its'}"
                   " catalogs were not made or updated: fix what is said above and run `pressgen catalogs update` "
                   "again", err=True)
    sys.exit(1 if loaded.problems or broken else 0)


@cli.command("init")
@click.argument("folder", type=click.Path(file_okay=True, path_type=Path))
def init_command(folder: Path) -> None:
    """Make a new press office in FOLDER, ready to build.

    FOLDER must be new or empty. It gets pressgen.yaml, an example release translated
    into Turkish and Kazakh, schemas for editors and a pre-commit hook."""
    from .scaffold import init_office

    try:
        written = init_office(folder)
    except PressgenError as exc:
        _fail(exc, Path.cwd())
    here = folder.resolve() == Path.cwd().resolve()  # 'pressgen init .': no folder to change into
    click.echo(f"A new press office in {'this folder' if here else f'{folder}/'} ({len(written)} files). Next:\n"
               + ("" if here else f"  cd {shlex.quote(str(folder))}\n")
               + "  pressgen build                 # out/<lang>/<id>.html and .pdf\n"
               "  pressgen new \"Your headline\"   # a release of your own")


@cli.command("new")
@click.argument("headline")
@click.option("--style", "-s", type=click.Choice(["statement", "wire"]), default="statement", show_default=True,
              help="statement (an organisation's press release) or wire (a news agency item).")
@click.option("--org", "organisation", metavar="KEY", help="The publishing organisation, a key from pressgen.yaml "
              "[default: the only one].")
@click.option("--lang", "-l", "language", metavar="CODE", help="The language you write it in [default: the office's "
              "first language].")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The release date [default: today in the office's timezone].")
@project_option
def new_command(headline: str, style: str, organisation: str | None, language: str | None, day: str | None,
                project: Path) -> None:
    """Write releases/<id>.yaml for HEADLINE, the id transliterated from it, and print its path."""
    from .scaffold import new_release, parse_day

    try:
        path = new_release(project, headline, style=style, organisation=organisation, language=language,
                           date=parse_day(day) if day else None)
    except PressgenError as exc:
        _fail(exc, project)
    click.echo(_rel(path, project.resolve()))


@cli.command("schema")
@click.argument("which", type=click.Choice(["release", "config"]), required=False)
@click.option("--write", is_flag=True, help="Write both into the project's schemas/ folder instead.")
@project_option
def schema_command(which: str | None, write: bool, project: Path) -> None:
    """Print the JSON Schema of release records or of pressgen.yaml, for editors.

    `init` and `new` write both into schemas/, where records' modelines point.
    """
    from .schema import schema_text, write_schemas

    if write:
        root = project.resolve()
        try:
            written = write_schemas(root)
        except PressgenError as exc:
            _fail(exc, project)
        for path in written:
            click.echo(f"wrote {_rel(path, root)}")
        return
    if which is None:
        raise click.UsageError("name a schema: 'pressgen schema release' or 'pressgen schema config'")
    click.echo(schema_text(which), nl=False)


@cli.group()
def tm() -> None:
    """The translation memory: every approved translation in the project's catalogs."""


@tm.command("export")
@project_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file [default: standard output].")
@click.option("--lang", "-l", "langs", multiple=True, help="Only these target languages, e.g. 'tr,kk'.")
def tm_export(project: Path, output: Path | None, langs) -> None:
    """Write the translation memory as TMX 1.4b, for OmegaT, memoQ or Trados."""
    from .fsutil import write_atomic
    from .tm import export_tmx

    try:
        data, units = export_tmx(project, _split(langs) or None)
    except PressgenError as exc:
        _fail(exc, project)
    if output is None:
        click.echo(data, nl=False)
        return
    write_atomic(output, data)
    click.echo(f"{units} translation unit{'' if units == 1 else 's'} written to {output}", err=True)


def _report_not_ready(report, root: Path, quiet: bool, what: str = "not built") -> None:
    """Versions waiting for translation: a note, not a failure, and none with -q (a build every
    minute from cron would mail it every minute while a translation is on its way)."""
    if quiet:
        return
    from .gaps import languages_without_catalogs

    uncatalogued = languages_without_catalogs(report.not_ready)
    for release_id, lang, gaps in report.not_ready:
        if lang in uncatalogued:
            if release_id == uncatalogued[lang][1][0]:
                _echo_language_without_catalogs(lang, *uncatalogued[lang], root, what)
            continue
        click.echo(f"{what}: {lang}/{release_id}{_work_left(gaps)}", err=True)
        _echo_gaps(gaps, root)


def _echo_language_without_catalogs(lang: str, folder: Path, release_ids: list[str], root: Path, what: str) -> None:
    from .gaps import start_catalogs_hint

    click.echo(f"{what}: {_some([f'{lang}/{release_id}' for release_id in release_ids])} "
               f"({len(release_ids)} versions, no catalogs yet)", err=True)
    click.echo(f"  {_rel(folder, root)}: no catalogs yet (messages.po, and one for each release); "
               f"{start_catalogs_hint('them')}", err=True)


def _report_outdated(report, root: Path, quiet: bool) -> None:
    """Versions whose source changed after they were published: a note, not a failure (none
    with -q, as _report_not_ready)."""
    if quiet:
        return
    for release_id, lang, gaps, published in report.outdated:
        if published["published"] is None:  # the release's own language, behind on labels only
            # Its labels and office texts (an organisation's 'about'): "their", the lines below name them.
            # What the page shows of each: the translation that went out, else its English (a trial's
            # read "in English" for texts the page showed in Turkish, as published/ kept them).
            went_out = {gap.went_out for gap in gaps}
            shown = {frozenset({True}): "with their previous translations", frozenset({False}): "with them in English"}.get(
                frozenset(went_out), "with their previous translations (English for those never translated)")
            click.echo(f"outdated labels: {lang}/{release_id}{_work_left(gaps)}; published {shown} until "
                       f"{_rel(gaps[0].path, root)} is updated", err=True)
        elif behind_source(published):
            # A text deleted from the record has no gap to name below: said here (the page online still shows it).
            removed = [label.removesuffix(" (removed)") for label in published.get("changed") or ()
                       if label.endswith(" (removed)")]
            click.echo(f"outdated: {lang}/{release_id}{_work_left(gaps)}; the version published "
                       f"{_when(published['published'])} stays online until the translation is updated"
                       + (f"; it still shows what the record no longer has: {', '.join(removed)}" if removed else ""),
                       err=True)
        else:  # held up by the translation alone (a fuzzy flag, a mistake): its source is as published
            click.echo(f"not ready: {lang}/{release_id}{_work_left(gaps)}; the version published "
                       f"{_when(published['published'])} stays online until the translation is ready", err=True)
        _echo_gaps(gaps, root)


def _echo_gaps(gaps, root: Path) -> None:
    """The first five of a version's gaps, file by file in the order of their lines (as the
    translator meets them), not in the order the page asked for its labels; a catalog still to
    make first, which a trial's check folded into '… and 10 more' under messages.po's lines."""
    ordered = sorted(gaps, key=lambda gap: (gap.kind != "catalog", str(gap.path), gap.line or 0))
    for gap in ordered[:5]:
        click.echo(f"  {gap.as_error().format(root)}", err=True)
    if len(gaps) > 5:
        click.echo(f"  … and {len(gaps) - 5} more", err=True)


def behind_source(published: dict) -> bool:
    """Whether a version served as published is so because its source changed since (outdated),
    not because its translation is held up (a fuzzy flag, a mistake), as status tells them apart;
    the source language's labels behind count as outdated."""
    return published["published"] is None or bool(published.get("since") or published.get("changed"))


def _when(moment: str | None) -> str:
    """'2026-12-02 18:20 UTC' from the ISO form the build keeps."""
    return moment[:16].replace("T", " ") + " UTC" if moment else "(not yet recorded)"


def _work_left(gaps) -> str:
    """' (3 untranslated, 1 fuzzy)', ' (no catalog yet)', or '' rather than empty brackets.

    >>> from pressgen.translate import Gap
    >>> _work_left([Gap(Path("x.po"), 3, "…"), Gap(Path("x.po"), 7, "…", "fuzzy")])
    ' (1 untranslated, 1 fuzzy)'
    >>> _work_left([])
    ''
    """
    if any(gap.kind == "catalog" for gap in gaps):
        return " (no catalog yet)"
    counts: dict[str, int] = {}
    for gap in gaps:
        counts[gap.kind] = counts.get(gap.kind, 0) + 1
    return f" ({', '.join(f'{n} {kind}' for kind, n in counts.items())})" if counts else ""


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


class _progress:
    """A rich progress bar on a terminal; one line per output when piped or verbose; nothing when quiet."""

    EVERY = 0.1
    """Seconds between the bar's refreshes (rich's own default is a tenth of a second too)."""

    def __init__(self, root: Path, quiet: bool, verbose: bool):
        self.root = root
        self.mode = "none" if quiet else "lines" if verbose or not sys.stderr.isatty() else "bar"
        self.bar = None

    def __enter__(self):
        if self.mode == "none":
            return None
        if self.mode == "lines":
            return lambda done, total, label, *counts: click.echo(f"[{done}/{total}] {label}")
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        # Refreshed by update(), not by rich's own thread: a build forks (plan.py) only from a
        # process with no other thread, which a terminal's bar would otherwise always have.
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                            transient=True, console=Console(stderr=True), auto_refresh=False)
        self.bar.__enter__()
        self.task = self.bar.add_task("Rendering", total=None)
        self.bar.refresh()
        self.shown = time.monotonic()
        return self.update

    def update(self, done: int, total: int, label: str, unchanged: int | None = None, failed: int = 0) -> None:
        """Builds report (rendered, total, output, up to date, failed); mail (sent, total, address)."""
        if unchanged is None:
            self.bar.update(self.task, completed=done, total=total, description=f"Sending to {label}")
        else:
            status = f"{unchanged} up to date" + (f", [red]{failed} failed[/red]" if failed else "")
            self.bar.update(self.task, completed=done, total=total, description=f"Rendering {label} ({status})")
        if time.monotonic() - self.shown >= self.EVERY or done == total:
            self.bar.refresh()
            self.shown = time.monotonic()

    def say(self, line: str) -> None:
        """A line on stderr, above the bar while it is shown (a line written past rich would tear it)."""
        if self.bar is not None:
            self.bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


class _UntilClosed:
    """sys.stdout or sys.stderr, written to until whoever reads it stops (`pressgen build -v
    | head -2`): then the rest goes nowhere and the command goes on. A build's work is its
    files, not its lines: stopping there (click exits 1) left the release half built, with no
    word why."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._closed()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._closed()

    def _closed(self) -> None:
        # What is still buffered, and whatever comes, goes to /dev/null (as Python's docs advise).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, self._stream.fileno())
        os.close(devnull)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> None:
    """Entry point; ``main([...])`` is callable from tests."""
    if argv is None:
        sys.stdout = _UntilClosed(sys.stdout) if sys.stdout is not None else None
        sys.stderr = _UntilClosed(sys.stderr) if sys.stderr is not None else None
    try:
        cli.main(args=argv, prog_name="pressgen")
    except SystemExit as done:
        if argv is None:
            leave(done.code)
        raise


def leave(code: object) -> None:
    """End the command's process at once, as mypy does, once what it wrote is flushed.

    Python's own exit frees every object one by one, which nothing needs: 0.2 s after a
    build of 40 releases in an archive of 10,000. Its exit handlers (atexit) do run. Not while a thread or a worker process the
    command started still runs (`serve` stopped by Ctrl-C): that exit, and an unusual code,
    are Python's.
    """
    if not isinstance(code, (int, type(None))) or threading.active_count() > 1 or (
            "multiprocessing" in sys.modules and sys.modules["multiprocessing"].active_children()):
        return
    try:
        # What Python's exit runs before it frees the objects: logging's flush, and what is
        # left in the temporary folder (the PDF writer's copy of the theme's fonts, pdf.py).
        atexit._run_exitfuncs()  # noqa: SLF001 (CPython's own, as its exit calls it)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # noqa: BLE001 (whatever it is, Python's own exit says it as always)
        return
    os._exit(code or 0)
