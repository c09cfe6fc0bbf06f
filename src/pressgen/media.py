"""The media list: who receives releases, read from a CSV a spreadsheet or CRM exports.

    name,email,outlet,language,lists
    Ayşe Yılmaz,ayse.yilmaz@gazete.example,Gazete,tr,culture;turkey

Both `pressgen check` (build.py) and `pressgen mail` read it; every bad row is
reported with its line.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Collector, PressgenError
from .model import Config

COLUMNS = ("name", "email", "outlet", "language", "lists")
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    outlet: str
    language: str
    lists: tuple[str, ...]
    row: int
    """Line of the media list, for messages about this journalist."""


def load_media_list(path: Path, config: Config) -> list[Recipient]:
    """Read a CSV as exported from a spreadsheet or CRM; every bad row is reported with its line."""
    if not path.exists():
        raise PressgenError(path, None, "no media list; export one from your spreadsheet with the columns "
                            + ", ".join(COLUMNS))
    errors = Collector()
    recipients: list[Recipient] = []
    seen: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:  # -sig: Excel's UTF-8 export starts with a BOM
        sample = handle.read(4096)
        handle.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
        reader = csv.DictReader(handle, dialect=dialect)
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [c for c in ("name", "email", "language") if c not in header]
        if missing:
            raise PressgenError(path, 1, f"the header lacks the column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        reader.fieldnames = header
        for row in reader:
            line = reader.line_num
            values = {key: (value or "").strip() for key, value in row.items() if key}
            email, language = values.get("email", ""), values.get("language", "")
            if not _ADDRESS.match(email):
                errors.add(path, line, f"'{email}' is not an email address")
                continue
            if language not in config.languages:
                errors.add(path, line, f"unknown language '{language}' for {email}; use one of {', '.join(config.languages)}")
                continue
            if email.lower() in seen:
                errors.add(path, line, f"{email} is already on line {seen[email.lower()]}; list each journalist once")
                continue
            seen[email.lower()] = line
            lists = tuple(t.strip() for t in re.split(r"[;,|]", values.get("lists", "")) if t.strip())
            recipients.append(Recipient(values.get("name", ""), email, values.get("outlet", ""), language, lists, line))
    errors.raise_if_any()
    return recipients
