"""What git knows of the project, where pressgen asks it. None of it is needed: outside git,
or without git, every answer is empty and pressgen goes on as before."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .projectfiles import RELEASES_DIR


def _git(root: Path, *args: str) -> bytes | None:
    """What a git command run in the folder ``root`` prints, or None outside git, without git,
    or if it fails: pressgen's one way of running git."""
    try:
        found = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout if found.returncode == 0 else None


def git_output(root: Path, *args: str) -> str | None:
    """What a git command run in the project prints, or None outside git or if it fails."""
    said = _git(root, *args)
    return None if said is None else said.decode("utf-8", "replace")


def git_entries(root: Path, *args: str) -> list[str]:
    """The NUL-separated entries a git command run with ``-z`` prints (file names as the file
    system has them); none outside git or if it fails."""
    return [os.fsdecode(entry) for entry in (_git(root, *args) or b"").split(b"\0") if entry]


def git_succeeds(root: Path, *args: str) -> bool:
    """Whether a git command run in ``root`` succeeds (False outside git, or without it)."""
    return _git(root, *args) is not None


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
