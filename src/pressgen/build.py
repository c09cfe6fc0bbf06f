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
from .lock import locked
from .mailfolder import move_out_of_out
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


def _import_builder() -> None:
    """What a build that goes on builds with (Jinja, Babel, PyYAML: 0.1 s), imported while the
    stamp's files are looked at."""
    from . import builder  # noqa: F401


def check(root: Path | str = ".") -> BuildReport:
    """`pressgen check`: read, translate and render every version in memory; write nothing."""
    from .builder import check as run_check

    return run_check(root)
