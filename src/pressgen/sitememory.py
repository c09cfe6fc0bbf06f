"""What each newsroom file listed when the whole newsroom was last planned, kept for the next
edit (site.plan_remembered).

An edit that leaves its release where the newsroom lists it (site.in_place) changes only the
listing pages and feeds that show it, each still in its place. Planning them from the archive
meant listing its 30,000 versions again, sorting, paginating and grouping them by month,
organisation and tag (0.3 s of an edit at 10,000 releases, most of the newsroom's part);
remembered, the edit reads what its own releases were shown on and those files' places.

    .pressgen/cache-parts/newsroom-<output folder>/files-<part>   file -> its place and entry ids
    .pressgen/cache-parts/newsroom-<output folder>/shows-<part>   '<lang>/<id>' -> the files showing it
    .pressgen/cache-parts/newsroom-<output folder>/token          which plan the parts are

Each whole plan is remembered under a new token, written once every part is (a part is
written only when it changed), which the build's stamp keeps (stamp.py): an edit uses what it
finds only when the last build ended well and remembered that very plan, so a build killed
while writing it, or one that could not, leaves nothing half-true to use.
"""

from __future__ import annotations

import marshal
import secrets
import shutil
from pathlib import Path

from .cache import PARTS, PARTS_DIR, name_part
from .fsutil import write_if_changed
from .projectfiles import CACHE_DIR

FORMAT = 3  # 3: a listing's live languages (site.live_languages)


def folder(root: Path, out_digest: str) -> Path:
    return root / CACHE_DIR / PARTS_DIR / f"newsroom-{out_digest}"


def remember(root: Path, out_digest: str, plan: dict) -> str | None:
    """Keep what site.plan_site's ``remember`` collected; the token to keep in the stamp, or
    None when it could not be written (the next edit then plans as before)."""
    parts: dict[str, dict] = {f"{kind}-{part}": {} for kind in ("files", "shows") for part in PARTS}
    for kind in ("files", "shows"):
        for key, value in plan.get(kind, {}).items():
            parts[f"{kind}-{name_part(key)}"][key] = value
    where = folder(root, out_digest)
    token = secrets.token_hex(8)
    try:
        (where / "token").unlink(missing_ok=True)
        for name, table in parts.items():
            # A small office has few: a part with nothing in it is no file.
            if table:
                write_if_changed(where / name, marshal.dumps((FORMAT, table)), sync=False)
            else:
                (where / name).unlink(missing_ok=True)
        write_if_changed(where / "token", token.encode("ascii"), sync=False)
    except (OSError, ValueError):
        shutil.rmtree(where, ignore_errors=True)
        return None
    return token


def recall(root: Path, out_digest: str, token: str | None, shown: list[str]) -> dict[str, tuple] | None:
    """The files that show the ``shown`` entries ('<lang>/<id>'), each as remembered; None when
    what is there is not the plan the stamp names (``token``), or cannot be read."""
    if not token:
        return None
    where = folder(root, out_digest)
    tables: dict[str, dict] = {}

    def table(name: str) -> dict:
        if name not in tables:
            try:
                said = marshal.loads((where / name).read_bytes())
            except FileNotFoundError:
                said = (FORMAT, {})  # nothing in it when the plan was remembered
            if not isinstance(said, tuple) or said[0] != FORMAT or not isinstance(said[1], dict):
                raise ValueError("not a part of this pressgen's")
            tables[name] = said[1]
        return tables[name]

    try:
        if (where / "token").read_text(encoding="ascii") != token:
            return None  # another plan's, or one whose writing did not end
        files: dict[str, tuple] = {}
        for entry in shown:
            for rel in table(f"shows-{name_part(entry)}").get(entry, ()):
                files[rel] = table(f"files-{name_part(rel)}")[rel]
        return files
    except (OSError, ValueError, EOFError, TypeError, KeyError):
        return None
