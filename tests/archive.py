"""A generated archive for tests: copies of the minimal project's release, 12 days apart,
every third by a second organisation, with small newsroom sizes in pressgen.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import copy_project

COUNT = 60
FIRST_DAY = dt.date(2023, 1, 2)

# A second organisation, with its texts translated (appended: the catalogs' line references hold).
AGENCY = """\
  agency:
    name: News Agency
    short_name: NA
newsroom:
  page_size: 10
  feed_size: 5
  sitemap_size: 100
"""
AGENCY_PO = {"tr": ("Haber Ajansı", "HA"), "kk": ("Ақпарат агенттігі", "АА")}


def release_date(n: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=12 * n)


def organisation(n: int) -> str:
    return "agency" if n % 3 == 0 else "office"


def make_archive(root: Path, count: int = COUNT) -> Path:
    """``count`` copies of the minimal project's release, 12 days apart, every third by the agency."""
    copy_project("minimal", root)
    with (root / "pressgen.yaml").open("a", encoding="utf-8") as config:
        config.write(AGENCY)
    for lang, (name, short) in AGENCY_PO.items():
        with (root / f"locales/{lang}/LC_MESSAGES/messages.po").open("a", encoding="utf-8") as po:
            po.write(f'\nmsgctxt "agency: name"\nmsgid "News Agency"\nmsgstr "{name}"\n'
                     f'\nmsgctxt "agency: short name"\nmsgid "NA"\nmsgstr "{short}"\n')
    record = (root / "releases/hello.yaml").read_text(encoding="utf-8")
    for n in range(count):
        text = record.replace("date: 2011-04-08", f"date: {release_date(n).isoformat()}")
        text = text.replace("organisation: office", f"organisation: {organisation(n)}")
        (root / f"releases/r-{n:02d}.yaml").write_text(text, encoding="utf-8")
        for lang in ("tr", "kk"):
            catalog = root / f"locales/{lang}/releases/hello.po"
            (catalog.parent / f"r-{n:02d}.po").write_bytes(catalog.read_bytes())
    for path in [root / "releases/hello.yaml", *root.glob("locales/*/releases/hello.po")]:
        path.unlink()
    return root
