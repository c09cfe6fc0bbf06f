"""`pressgen build` and `pressgen check`, as the library offers them.

A build with nothing to do is told by its stamp (stamp.py) in stat calls; only
a build with something to do imports the builder (builder.py) and with it
Jinja, Babel and the renderers. This module stays light for that reason.
"""

from __future__ import annotations

import datetime as dt
import gc
from pathlib import Path
from typing import Iterable

from . import stamp
from .errors import UsageError
from .images import IMAGES_DIR
from .lock import locked
from .mailfolder import MAIL_DIR, move_out_of_out
from .projectfiles import CACHE_DIR, LOCALES_DIR, PUBLISHED_DIR, RELEASES_DIR
from .report import FORMATS, SUFFIX, BuildReport, Progress

__all__ = ["FORMATS", "SUFFIX", "BuildReport", "build", "check"]


@locked("build")  # one build at a time per project (lock.py); `pressgen mail` builds under it too
def build(
    root: Path | str = ".",
    out: Path | str | None = None,
    languages: Iterable[str] | None = None,
    release_ids: Iterable[str] | None = None,
    formats: Iterable[str] = FORMATS,
    jobs: int | None = None,
    force: bool = False,
    drafts: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    publish: bool = True,
) -> BuildReport:
    """`pressgen build`: bring out/ up to date for every ready release and language.

    ``jobs`` processes render PDFs, this one and ``jobs - 1`` workers (default:
    one per core; 1 renders in this process only). ``force`` ignores the cache and
    renders everything.
    ``drafts`` also renders the versions that are not ready, marked DRAFT.
    ``now`` is the moment embargoes are compared with (default: the clock).
    ``publish=False`` leaves published/ as it is: a preview (pressgen serve)
    shows versions, it does not publish them. With nothing to do (no input,
    option or output changed since the last build, no embargo lifted), the
    last build's report is given again (BuildReport.replayed); when only some
    releases' own files changed, only they are looked at (stamp.Changed).
    """
    languages, release_ids, formats = tuple(languages or ()), tuple(release_ids or ()), tuple(formats)
    refuse_output_folder(Path(root), out)
    # Out of the folder the web server serves, whether or not there is anything to build.
    moved = move_out_of_out(Path(root).resolve()) if publish else []
    changed = None
    if not release_ids and not force and now is None:
        changed = stamp.look_request(root, out, languages, formats, drafts, publish, meanwhile=_import_builder)
        if isinstance(changed, BuildReport):
            changed.warnings[:0] = moved
            return changed
    from .builder import run_build

    try:
        report = run_build(root, out, languages, release_ids, formats, jobs, force, drafts, now, progress, publish,
                           changed)
        report.warnings[:0] = moved
        return report
    finally:
        gc.unfreeze()  # what the build froze (builder.py) is the collector's again: pressgen serve lives on


OFFICE_FOLDERS = (RELEASES_DIR, LOCALES_DIR, "templates", PUBLISHED_DIR, IMAGES_DIR, MAIL_DIR, "schemas")
"""What an office keeps in its folder (`init` writes schemas/ for editors), which no output
folder may be or be in; nor may it be in a hidden folder of the project (.git/, .vscode/; but
.pressgen/, pressgen's own: `serve` previews into .pressgen/preview), or in out/ (a site in the
site)."""


def refuse_output_folder(root: Path, out: Path | str | None) -> None:
    """An output folder (-o) that is the project's folder, holds it, or is inside one of its
    own folders is a usage error: a trial's `-o .` and `-o locales` mixed the site into the
    office's sources (locales/kk/index.html), silently."""
    if out is None:
        return
    root, folder = root.resolve(), Path(out).resolve()
    way_out = "give the site a folder of its own, such as -o site (or leave -o out: the project's out/)"
    if root.is_relative_to(folder):
        raise UsageError(f"-o {out}: the site would be written among the office's own files; {way_out}")
    for name in OFFICE_FOLDERS:
        if folder.is_relative_to(root / name):
            raise UsageError(f"-o {out}: inside {name}/, the office's own folder; {way_out}")
    if folder.is_relative_to(root) and folder != root / "out":
        first = folder.relative_to(root).parts[0]
        if first == "out":
            raise UsageError(f"-o {out}: inside out/, the site the office publishes; {way_out}")
        if first.startswith(".") and first != CACHE_DIR:
            raise UsageError(f"-o {out}: inside {first}/, a hidden folder of the project; {way_out}")


def _import_builder() -> None:
    """What a build that goes on builds with (Jinja, Babel, PyYAML: 0.1 s), imported while the
    stamp's files are looked at."""
    from . import builder  # noqa: F401


def check(root: Path | str = ".") -> BuildReport:
    """`pressgen check`: read, translate and render every version in memory; write nothing."""
    from .builder import check as run_check

    return run_check(root)
