"""Where the parts of a catalog's entry are in its .po file.

Babel keeps the line of an entry's msgid only. A problem with a translation is
reported at what the translator edits: the msgstr (where GNU msgfmt, too, points
its errors), or the '#,' comment holding a flag to remove.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from pathlib import Path


def msgstr_line(path: Path, msgid_line: int | None) -> int | None:
    """The line of the msgstr (of a plural entry, msgstr[0]) of the entry whose msgid is on
    ``msgid_line``; that line itself if the file no longer has one below it."""
    if msgid_line is None:
        return None
    lines = _parts(path).msgstrs
    below = bisect_right(lines, msgid_line)
    return lines[below] if below < len(lines) else msgid_line


def flag_line(path: Path, msgid_line: int | None, flag: str) -> int | None:
    """The line of the '#,' comment holding ``flag`` above the entry whose msgid is on
    ``msgid_line``; the msgid's line if there is none."""
    if msgid_line is None:
        return None
    lines = _parts(path).lines
    number = msgid_line - 1
    while number >= 1 and lines[number - 1].startswith(("#", "msgctxt", '"')):
        line = lines[number - 1]
        if line.startswith("#,") and flag in (part.strip() for part in line[2:].split(",")):
            return number
        number -= 1
    return msgid_line


class _Parts:
    def __init__(self, text: str):
        self.lines = text.split("\n")  # as GNU gettext counts lines: not at U+0085 or U+2028
        self.msgstrs = [number for number, line in enumerate(self.lines, 1) if line.startswith("msgstr")]


def _parts(path: Path) -> _Parts:
    try:
        status = path.stat()
    except OSError:
        return _Parts("")
    # Keyed on the file's state: `pressgen serve` lives on while translators save.
    return _read(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=32)
def _read(path: Path, _mtime: int, _size: int) -> _Parts:
    try:
        return _Parts(path.read_bytes().decode("utf-8", errors="replace"))
    except OSError:
        return _Parts("")
