"""What a git merge left in a file of the office: its conflict markers, and the way out of them.

Two people who changed the same line of a record, a catalog or a file of published/ on two
branches get git's markers in it (<<<<<<<, =======, >>>>>>>). Each reader of such a file names
the first marker's line and says how to take a side, as git holds the file at that moment.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import PressgenError
from .mailfolder import MAIL_DIR, SENT_LOG, SENT_LOG_MERGE
from .vcs import git_entries, git_output, git_succeeds

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


def ours_or_theirs(path: Path, name: str) -> str:
    """The command that takes a side of ``name`` while git holds it unmerged, in backquotes."""
    if _rebasing(path.parent):
        return f"`git checkout --theirs {name}` (your own commit's; `--ours` is the side you rebase onto)"
    return f"`git checkout --ours {name}` (or `--theirs`: the merge is still open)"


def unmerged_problems(root: Path) -> tuple[list[str], list[PressgenError]]:
    """For check and status, of the files git holds unmerged: a warning for each mended but not
    yet added, which git will not commit (a trial's check said "No problems found" while git
    refused the commit); an error for each sent log a conflict is still left in, which check
    would not name otherwise: it reads only the logs of ids no record has (renames)."""
    warnings, errors = [], []
    then = "go on with `git rebase --continue`" if _rebasing(root) else "commit the merge"
    names = sorted({entry.split("\t", 1)[1] for entry in git_entries(root, "ls-files", "-u", "-z") if "\t" in entry})
    for name in names:
        try:
            data = (root / name).read_bytes()
        except OSError:
            continue  # deleted on one side: git says so itself
        if conflict_line(data) is None:
            warnings.append(f"{name}: no conflict is left in it, but git still holds it unmerged: `git add {name}` "
                            f"to mark it resolved, then {then}")
        elif _is_sent_log(name):
            errors.append(sent_log_conflict(root / name, data))
    return warnings, errors


def _is_sent_log(name: str) -> bool:
    """Whether ``name`` (as git names it from the project) is a sent log, mail/<id>/sent.log."""
    parts = name.split("/")
    return len(parts) == 3 and parts[0] == MAIL_DIR and parts[2] == SENT_LOG


def sent_log_conflict(path: Path, data: bytes) -> PressgenError | None:
    """What a merge left in a sent log (its bytes, ``data``), or None: named at the first marker
    line, with the way out. Not a side of the merge, as for the other files: a sent log only grows,
    and the side taken lost the other side's messages, whose journalists a trial's next run
    offered the correction they had. Read as it was, markers skipped, mail said "Nothing to send"."""
    line = conflict_line(data)
    if line is None:
        return None
    return PressgenError(path, line, f"a merge left git's conflict markers in it{conflicts_below(data)}; keep the "
                                     "lines of both sides and delete only the marker lines (<<<<<<<, =======, "
                                     ">>>>>>>, and ||||||| in git's diff3 style): a sent log only grows, and every line is a message that went out"
                                     + _union_hint(path))


def _union_hint(path: Path) -> str:
    """How git is to merge the sent log ``path`` from now on, where it does not (README)."""
    said = git_output(path.parent, "check-attr", "merge", "--", path.name)
    if said is None or said.rstrip().endswith(": union"):
        return ""  # outside git, or a merge before the attribute
    return (f"; and add the line `{SENT_LOG_MERGE}` to the .gitattributes beside pressgen.yaml, so that git keeps "
            "both sides of a sent log itself")


def conflicts_below(data: bytes) -> str:
    """' (and N more conflicts below it)' when git left more than one in the file: each is
    mended in the same pass (a trial found the second only after mending the first)."""
    more = len(re.findall(rb"(?m)^<{7}(?: |\r?$)", data)) - 1
    return f" (and {more} more conflict{'s' if more > 1 else ''} below it)" if more > 0 else ""
