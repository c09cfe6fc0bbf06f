"""What git knows of the project, where pressgen asks it. None of it is needed: outside git,
or without git, every answer is empty and pressgen goes on as before."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .projectfiles import RELEASES_DIR


def git_output(root: Path, *args: str) -> str | None:
    """What a git command run in the project prints, or None outside git or if it fails."""
    try:
        found = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout if found.returncode == 0 else None


def renamed_records(root: Path) -> dict[Path, Path]:
    """The records git sees renamed since the last commit, staged or not (`git mv`, or a move
    then `git add`, as before a commit): new path -> old path. A rename that also changed the
    text is one while git finds the two files alike (half their lines or more)."""
    root = root.resolve()
    said = git_output(root, "diff", "-M", "--name-status", "-z", "HEAD", "--", RELEASES_DIR)
    fields = (said or "").split("\0")
    renamed: dict[Path, Path] = {}
    at = 0
    while at < len(fields) and fields[at]:
        status = fields[at]
        if status.startswith(("R", "C")) and at + 2 < len(fields):
            renamed[root / fields[at + 2]] = root / fields[at + 1]
            at += 3
        else:
            at += 2
    return renamed
