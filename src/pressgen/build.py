"""Runs the stages and owns the output folder.

Everything is read, translated and rendered to HTML in memory before any file
is written (as MkDocs' build does), so a template error is found before the
first PDF. A release or language that fails does not stop the others; the
report says what failed, what was skipped and why.

    out/assets/…            stylesheets, fonts and images of the theme
    out/<lang>/<id>.html    one page per release and language
    out/<lang>/<id>.pdf     its PDF
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from . import theme
from .catalogs import release_catalog_path
from .errors import PressgenError, UsageError
from .fsutil import write_if_changed
from .lang import native_name
from .model import Release
from .project import Project, load_project
from .render import Alternate, Page, Renderer
from .translate import Gap, localize_release

FORMATS = ("html", "pdf")


@dataclass(frozen=True)
class Version:
    """One release in one language, rendered and ready to write."""

    release: Release
    lang: str
    page: Page


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    not_ready: list[tuple[str, str, list[Gap]]] = field(default_factory=list)
    """(release id, language, what is missing): versions not built."""
    errors: list[PressgenError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


ProgressCallback = Callable[[str], None]


def plan(project: Project, languages: tuple[str, ...] | None = None, release_ids: tuple[str, ...] | None = None,
         report: BuildReport | None = None) -> list[Version]:
    """Translate and render every requested version in memory; nothing is written.

    Versions that are not ready or that fail go to ``report``.
    """
    report = report if report is not None else BuildReport()
    config = project.config
    langs = _select_languages(config.languages, languages)
    releases = _select_releases(project, release_ids)
    # Broken records are reported whenever they are part of what was asked for.
    report.errors.extend(p for p in project.problems if not release_ids or (p.path and p.path.stem in release_ids))
    renderer = Renderer(project.root, config, project.catalogs)

    versions: list[Version] = []
    for release in releases:
        localized: dict[str, Release] = {}
        for lang in langs:
            try:
                catalog = project.catalogs.release(lang, release.id) if lang != release.lang else None
                path = release_catalog_path(project.root, lang, release.id)
                translated, gaps = localize_release(release, lang, catalog, path)
            except PressgenError as exc:
                report.errors.append(exc)
                continue
            if gaps:
                report.not_ready.append((release.id, lang, gaps))
            else:
                localized[lang] = translated
        # Render; a language whose template messages are incomplete drops out,
        # and the others are rendered again so no page links to it.
        while localized:
            alternates = [Alternate(code, native_name(code), f"../{code}/{release.id}.html") for code in localized]
            pages: dict[str, Page] = {}
            for lang, translated in list(localized.items()):
                try:
                    page = renderer.render_release(translated, config.organisations[release.organisation], alternates)
                except (PressgenError, jinja2.TemplateError) as exc:
                    report.errors.append(_template_error(exc, release, lang))
                    del localized[lang]
                    continue
                except ValueError as exc:
                    report.errors.append(PressgenError(release.source.path, None, f"{lang}: {exc}"))
                    del localized[lang]
                    continue
                if page.gaps:
                    report.not_ready.append((release.id, lang, list(page.gaps)))
                    del localized[lang]
                else:
                    pages[lang] = page
            if set(pages) == set(localized):
                versions.extend(Version(localized[lang], lang, page) for lang, page in pages.items())
                break
    return versions


def build(
    root: Path | str = ".",
    out: Path | str | None = None,
    languages: tuple[str, ...] | None = None,
    release_ids: tuple[str, ...] | None = None,
    formats: tuple[str, ...] = FORMATS,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildReport:
    """`pressgen build`: write HTML and PDF for every ready release and language."""
    project = load_project(root)
    out = Path(out).resolve() if out else project.root / "out"
    for fmt in formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    report = BuildReport()
    versions = plan(project, languages, release_ids, report)

    _write(report, out, theme.asset_files(project.root))
    pdf_writer = None
    total = len(versions) * len(formats)
    done = 0
    for version in versions:
        folder = out / version.lang
        html_path = folder / f"{version.release.id}.html"
        if "html" in formats:
            _record(report, html_path, write_if_changed(html_path, version.page.html.encode("utf-8")))
            done += 1
            if progress:
                progress(done, total, f"{version.lang}/{version.release.id}.html")
        if "pdf" in formats:
            if pdf_writer is None:
                from .pdf import PdfWriter

                pdf_writer = PdfWriter([out / theme.ASSETS, *theme.template_dirs(project.root)])
            pdf_path = folder / f"{version.release.id}.pdf"
            try:
                data = pdf_writer.write_pdf(version.page.html, html_path, version.release.source.path)
            except PressgenError as exc:
                report.errors.append(PressgenError(exc.path, exc.line, f"{version.lang}: {exc.message}"))
            else:
                _record(report, pdf_path, write_if_changed(pdf_path, data))
            done += 1
            if progress:
                progress(done, total, f"{version.lang}/{version.release.id}.pdf")
    return report


def check(root: Path | str = ".") -> BuildReport:
    """`pressgen check`: read, translate and render everything in memory; write nothing."""
    project = load_project(root)
    report = BuildReport()
    plan(project, report=report)
    return report


def _write(report: BuildReport, folder: Path, files: dict[str, Path]) -> None:
    for rel, source in files.items():
        target = folder / rel
        _record(report, target, write_if_changed(target, source.read_bytes()))


def _record(report: BuildReport, path: Path, written: bool) -> None:
    (report.written if written else report.unchanged).append(path)


def _select_languages(available: tuple[str, ...], requested: tuple[str, ...] | None) -> tuple[str, ...]:
    if not requested:
        return available
    unknown = [code for code in requested if code not in available]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}; this project publishes in {', '.join(available)}")
    return tuple(code for code in available if code in requested)


def _select_releases(project: Project, requested: tuple[str, ...] | None) -> list[Release]:
    if not requested:
        return project.releases
    selected = []
    for release_id in requested:
        release = project.release(release_id)
        if release is None:
            if any(p.path and p.path.stem == release_id for p in project.problems):
                continue  # its problems are in the report
            known = ", ".join(r.id for r in project.releases) or "none"
            raise UsageError(f"no release '{release_id}'; releases: {known}")
        selected.append(release)
    return selected


def _template_error(exc: Exception, release: Release, lang: str) -> PressgenError:
    """Point a Jinja error at the template line, which Jinja keeps in the traceback."""
    if isinstance(exc, PressgenError):
        return exc
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return PressgenError(exc.filename, exc.lineno, f"template error: {exc.message}")
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".html"):
            return PressgenError(frame.filename, frame.lineno, f"template error ({release.id}, {lang}): {exc}")
    return PressgenError(release.source.path, None, f"{lang}: template error: {exc}")

