"""What a git merge left in a file of the office: its conflict markers, and the way out of them.

Two people who changed the same line of a record, a catalog or a file of published/ on two
branches get git's markers in it (<<<<<<<, =======, >>>>>>>). Each reader of such a file names
the first marker's line and says how to take a side, as git holds the file at that moment.
"""

from __future__ import annotations

import re
from pathlib import Path

from .vcs import git_entries, git_succeeds

_MARKER = r"(?:<{7}|\|{7}|={7}|>{7})(?: |\r?$)"
"""git's marker lines: <<<<<<<, ||||||| (diff3), =======, >>>>>>>."""
_CONFLICT = re.compile(f"^{_MARKER}".encode(), re.M)


def conflict_line(data: bytes) -> int | None:
    """The first line of what a merge conflict left in a file (git's <<<<<<<, ||||||| of its
    diff3 style, =======, >>>>>>>: also one of them left behind when the others were
    deleted, a trial's half-resolved conflict), or None. No line of a catalog, or of a file of
    published/, starts so."""
    found = _CONFLICT.search(data)
    return data[:found.start()].count(b"\n") + 1 if found else None


_MARKER_ANYWHERE = re.compile(rf"^[ \t]*{_MARKER}", re.M)


def conflict_left(path: Path, text: str, name: str) -> tuple[int, str] | None:
    """The line and the way out of a conflict left in a record or pressgen.yaml (``name``: as git
    names it from the project), or None. Its markers are looked for indented too: a trial
    indented them as the YAML error's hint said, and the build published them in the page."""
    found = _MARKER_ANYWHERE.search(text)
    if found is None:
        return None
    return (text.count("\n", 0, found.start()) + 1,
            f"a merge conflict is left in this file (<<<<<<< … >>>>>>>): {take_a_side(path, name)}"
            + conflicts_below(text.encode("utf-8", "replace")))


def _git_lists(path: Path, *options: str) -> bool:
    """Whether `git ls-files <options>` lists ``path`` (False outside git, or without it)."""
    return bool(git_entries(path.parent, "ls-files", "-z", *options, "--", path.name))


def is_unmerged(path: Path) -> bool:
    """Whether git holds ``path`` as unmerged (a merge left it conflicted, and it was not added
    since): then, and only then, `git checkout --ours/--theirs` takes a side."""
    return _git_lists(path, "-u")


def take_a_side(path: Path, name: str) -> str:
    """The way out of a merge conflict left in the file ``name`` (at ``path``): a side of the
    merge while git holds it unmerged; by hand once it was added with its markers, when git's
    --ours/--theirs silently change nothing (a trial's). In a rebase (`git pull --rebase`),
    --ours is the branch rebased onto and --theirs one's own commit: said so, as a trial that
    took 'ours' to keep its own work would have lost it."""
    if is_unmerged(path):
        if _rebasing(path.parent):
            return (f"keep one side with `git checkout --theirs {name}` (your own commit's: in a rebase, `--ours` is "
                    "the side you are rebasing onto) while the rebase is open, or delete the other side and the marker "
                    "lines by hand")
        return (f"keep one side with `git checkout --ours {name}` (or `--theirs`) while the merge is open, or "
                "delete the other side and the marker lines by hand")
    if _git_lists(path) and (_merge_open(path) or _rebasing(path.parent)):
        what = "rebase" if _rebasing(path.parent) else "merge"
        return ("delete the other side and the marker lines by hand (added to git with its markers, it is no conflict "
                f"git can take a side of: `git checkout -m {name}` makes it one again while the {what} is open)")
    # Committed with its markers (or outside git): no merge left to take a side of (a trial's
    # `git checkout -m` after the commit changed nothing).
    return "delete the other side and the marker lines by hand"


def _merge_open(path: Path) -> bool:
    """Whether the git repository of ``path`` is in the middle of a merge (MERGE_HEAD)."""
    return git_succeeds(path.parent, "rev-parse", "-q", "--verify", "MERGE_HEAD")


def _rebasing(folder: Path) -> bool:
    """Whether the git repository of ``folder`` is in a rebase stopped at a conflict (REBASE_HEAD)."""
    return git_succeeds(folder, "rev-parse", "-q", "--verify", "REBASE_HEAD")


def unmerged_warnings(root: Path) -> list[str]:
    """For check and status: a merge's files mended but not yet added, which git will not commit."""
    then = "go on with `git rebase --continue`" if _rebasing(root) else "commit the merge"
    return [f"{name}: no conflict is left in it, but git still holds it unmerged: `git add {name}` to mark it "
            f"resolved, then {then}" for name in _resolved_but_unmerged(root)]


def ours_or_theirs(path: Path, name: str) -> str:
    """The command that takes a side of ``name`` while git holds it unmerged, in backquotes."""
    if _rebasing(path.parent):
        return f"`git checkout --theirs {name}` (your own commit's; `--ours` is the side you rebase onto)"
    return f"`git checkout --ours {name}` (or `--theirs`: the merge is still open)"


def _resolved_but_unmerged(root: Path) -> list[str]:
    """The files git still holds unmerged though no conflict is left in them (a side taken with
    `git checkout --ours`, or mended by hand): a trial's check said "No problems found" while
    git refused the commit."""
    names = sorted({entry.split("\t", 1)[1] for entry in git_entries(root, "ls-files", "-u", "-z") if "\t" in entry})
    resolved = []
    for name in names:
        try:
            if conflict_line((root / name).read_bytes()) is None:
                resolved.append(name)
        except OSError:
            continue  # deleted on one side: git says so itself
    return resolved


def conflicts_below(data: bytes) -> str:
    """' (and N more conflicts below it)' when git left more than one in the file: each is
    mended in the same pass (a trial found the second only after mending the first)."""
    more = len(re.findall(rb"(?m)^<{7}(?: |\r?$)", data)) - 1
    return f" (and {more} more conflict{'s' if more > 1 else ''} below it)" if more > 0 else ""
