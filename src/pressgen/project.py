"""A press office's folder, read and checked: config, records, catalogs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .errors import PressgenError
from .model import Config, Release
from .records import load_records


@dataclass
class Project:
    root: Path
    config: Config
    releases: list[Release]
    problems: list[PressgenError] = field(default_factory=list)
    """Records that could not be read; the others still build."""

    def release(self, release_id: str) -> Release | None:
        return next((r for r in self.releases if r.id == release_id), None)


def load_project(root: Path | str = ".") -> Project:
    """Read pressgen.yaml and every record. A broken pressgen.yaml raises PressgenError."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise PressgenError(root, None, "no such project folder")
    config = load_config(root)
    releases, problems = load_records(root, config)
    return Project(root=root, config=config, releases=releases, problems=problems)
