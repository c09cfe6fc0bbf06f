"""What `check` and `status` found clean, kept for their next run: .pressgen/verdicts.

`check` runs before every commit and `status` whenever a translator asks. Both review every
catalog of the archive and every published record of a ready version; at 10,000 releases × 3
that is 50,000 files and more than a minute of CPU each time, for a commit that touched one.
What a review finds depends only on what it read, so each clean verdict is kept under a key
made of all of it (the files' hashes, which the last build's table gives by stat as git's
index does, and pressgen's version), and a run that reads the same finds the verdict there
rather than reviewing again. A problem is never kept: a file with one is reviewed each time
and its problem said as found; what is kept is a clean review, a catalog's counts, or a
record's warnings (its headline, its texts in another alphabet), all made of the key alone.
The verdicts of a kind that a run of the whole archive did not ask for are dropped when it
saves, so the file holds the archive as it is.
Like the build's cache it is never needed: deleted or unreadable, everything is reviewed;
and like it, it is kept in .pressgen/, which check and status never make (a build or `catalogs
update` does).

A build of every release proves the published records clean as it publishes them (the same
review, Builder.publish): it keeps those verdicts too, so the first check after it, in a new
clone or after an upgrade (whose version keys no verdict kept before), does not read them again.
"""

from __future__ import annotations

import marshal
from pathlib import Path

from . import __version__
from .fsutil import write_unsynced
from .projectfiles import CACHE_DIR

FORMAT = 1
NAME = "verdicts"


class Verdicts:
    """Verdicts by ``kind:key`` (kinds: 'catalog', 'published', 'count', 'record')."""

    def __init__(self, root: Path | None):
        self.path = root / CACHE_DIR / NAME if root is not None else None
        self._known = self._load()
        self._asked: dict[str, object] = {}
        self._kinds: set[str] = set()
        self._new = False

    def _load(self) -> dict:
        if self.path is None:
            return {}
        try:
            data = marshal.loads(self.path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if not isinstance(data, dict) or data.get("format") != [FORMAT, __version__] \
                or not isinstance(data.get("verdicts"), dict):
            return {}
        return data["verdicts"]

    def get(self, kind: str, key: str):
        """The verdict kept for ``key``, or None."""
        self._kinds.add(kind)
        name = f"{kind}:{key}"
        found = self._known.get(name)
        if found is not None:
            self._asked[name] = found
        return found

    def keep(self, kind: str, key: str, verdict: object) -> None:
        """``verdict`` (not None) for ``key``: what a review found that is made of ``key`` alone."""
        self._kinds.add(kind)
        name = f"{kind}:{key}"
        self._new = self._new or self._known.get(name) != verdict
        self._asked[name] = verdict

    def learnt(self) -> dict[str, object]:
        """What this run asked and found, for a process of the same run to take (``learn``): a
        build's second half of the plan is planned in a process of its own (plan.py)."""
        return dict(self._asked)

    def learn(self, found: dict[str, object]) -> None:
        for name, verdict in found.items():
            self._kinds.add(name.partition(":")[0])
            self._new = self._new or self._known.get(name) != verdict
            self._asked[name] = verdict

    def save(self, whole: bool = True) -> None:
        """Write what was asked and found. ``whole``: the run reviewed the whole archive, so a
        verdict of a kind it asked for that it did not ask for is of a file gone or changed."""
        if self.path is None:
            return
        if whole:
            kept = {name: verdict for name, verdict in self._known.items() if name.partition(":")[0] not in self._kinds}
        else:
            kept = dict(self._known)
        kept.update(self._asked)
        if not self._new and kept.keys() == self._known.keys():
            return
        if not self.path.parent.is_dir():
            return  # never built: check and status make no folder in the office (its first build does)
        try:
            write_unsynced(self.path, marshal.dumps({"format": [FORMAT, __version__], "verdicts": kept}))
        except OSError:
            pass  # a memory only: the next run reviews again
