"""What a build did and found: outputs written and up to date, versions not ready or
outdated, problems and warnings. The command line prints it; a build replayed from
its stamp (stamp.py) rebuilds it, so this module imports nothing heavy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .errors import PressgenError
from .gaps import Gap

FORMATS = ("html", "pdf", "ninjs")
SUFFIX = {"html": "html", "pdf": "pdf", "ninjs": "json"}
"""File name ending of each format: out/<lang>/<id>.<suffix>."""


class OutputPaths(Sequence[Path]):
    """Release outputs named relative to ``out`` (as a stamp keeps them), after ``first``,
    made Paths only when read. A build of one release in an archive of 10,000 reports the
    other releases' 30,000 outputs as up to date, and making a Path of each took a tenth of
    its second, for a summary that counts them.

    >>> up_to_date = OutputPaths(Path("/o"), ["kk/b.pdf"], [Path("/o/kk/a.html"), Path("/o/assets/x.css")])
    >>> len(up_to_date), len(up_to_date.outputs()), [str(p) for p in up_to_date]
    (3, 2, ['/o/kk/a.html', '/o/assets/x.css', '/o/kk/b.pdf'])
    """

    def __init__(self, out: Path, names: list[str], first: Sequence[Path] = ()) -> None:
        self.out = out
        self.names = names
        self.first = list(first)
        self._paths: list[Path] | None = None

    def __len__(self) -> int:
        return len(self.first) + len(self.names)

    def __getitem__(self, index):
        return self.paths()[index]

    def __iter__(self):
        return iter(self.paths())

    def paths(self) -> list[Path]:
        if self._paths is None:
            self._paths = [*self.first, *(self.out / name for name in self.names)]
        return self._paths

    def outputs(self) -> OutputPaths:
        """As BuildReport.outputs filters them: ``names`` are release outputs already."""
        return OutputPaths(self.out, self.names, [p for p in self.first if _is_output(p)])


def _is_output(path: Path) -> bool:
    """A release's page, PDF or ninjs item; not the newsroom's pages, nor assets."""
    return path.suffix in (".html", ".pdf", ".json") and path.name not in ("index.html",) \
        and path.parent.name != "assets"


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] | OutputPaths = field(default_factory=list)
    """Outputs that were up to date: nothing was rendered for them."""
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    """Outputs of a release or version that failed, left online as the last good build made them."""
    not_ready: list[tuple[str, str, list[Gap]]] = field(default_factory=list)
    """(release id, language, what is missing): versions not built."""
    outdated: list[tuple[str, str, list[Gap], dict]] = field(default_factory=list)
    """(release id, language, what is missing, the published version): versions whose
    source changed since they were published; the published version stays online."""
    published: list[Path] = field(default_factory=list)
    """Snapshots of published versions written (published/<lang>/<id>.yaml)."""
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    """Snapshots of a renamed release moved from its old id to its new one (old, new)."""
    behind: list[str] = field(default_factory=list)
    """Outputs of a format this build was not asked for ('en/x.pdf' in a build of pages only)
    that are no longer what their version makes: the last full build's, behind their page."""
    errors: list[PressgenError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_lift: tuple[dt.datetime, str] | None = None
    """(moment, release id): the earliest embargo still holding, when a build must run to list it."""
    embargoes: dict[str, dt.datetime] = field(default_factory=dict)
    """Every release whose embargo still holds, and when it lifts."""
    replayed: bool = False
    """Nothing had changed: this is the last build's report, told by its stamp (stamp.py)."""
    standing: list[str] = field(default_factory=list)
    """Warnings (among ``warnings``) of what holds until the office acts on it, a record of
    published/ missing or left without its release: the stamp keeps them, so that every build
    says them, not only the one that found them (a trial's cron job heard of one once)."""
    standing_releases: dict[str, str] = field(default_factory=dict)
    """The release each standing warning of one release is about (warn_standing)."""
    waived: str = ""
    """`pressgen check`'s line on the QA checks catalogs waive (review.Review.waived_note)."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def embargoed(self, until: dt.datetime, release_id: str) -> None:
        self.embargoes[release_id] = min(until, self.embargoes.get(release_id, until))
        if self.next_lift is None or until < self.next_lift[0]:
            self.next_lift = (until, release_id)

    def add(self, other: "BuildReport") -> None:
        """What another part of a plan found (plan.py), after what this one did."""
        for problem in other.errors:
            self.error(problem)
        for name in ("unchanged", "not_ready", "outdated", "published", "warnings", "behind"):
            getattr(self, name).extend(getattr(other, name))
        for release_id, until in other.embargoes.items():
            self.embargoed(until, release_id)

    def warn_standing(self, warning: str, release_id: str | None = None) -> None:
        """A warning every build repeats until what it says is mended (``standing``); one of a
        release (``release_id``) is found anew by a build of that release, not repeated."""
        if warning not in self.standing:
            self.standing.append(warning)
        if release_id is not None:
            self.standing_releases[warning] = release_id
        if warning not in self.warnings:
            self.warnings.append(warning)

    def error(self, error: PressgenError) -> None:
        if all(error.format() != known.format() for known in self.errors):
            self.errors.append(error)

    def outputs(self, written: bool | None = None) -> Sequence[Path]:
        if written is False and isinstance(self.unchanged, OutputPaths):
            return self.unchanged.outputs()
        paths = self.written if written else self.unchanged if written is False else [*self.written, *self.unchanged]
        return [p for p in paths if _is_output(p)]


Progress = Callable[[int, int, str, int, int], None]
"""progress(rendered, to render, output just done, up to date, failed)."""
