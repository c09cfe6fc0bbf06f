"""The office's second day, end to end: a published release edited, then the edit undone.

Edit one word of a multi-line paragraph, update the catalogs, build, put the word back,
update again: every catalog stays valid for GNU gettext, the Turkish and Kazakh versions
stay online and listed throughout, and after the revert the release is ready again with
no translator work.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import edit, run_cli

RELEASE = "turksoy-isesco-agreement"
BEFORE, AFTER = "took place in the\n", "took place at the\n"


def gnu_rejects(root: Path) -> list[str]:
    rejected = []
    for po in sorted((root / "locales").rglob("*.po")):
        for tool in (["msgfmt", "--check", "-o", "/dev/null"], ["msgcat", "-o", "/dev/null"]):
            run = subprocess.run([*tool, str(po)], capture_output=True, text=True)
            if run.returncode:
                rejected.append(f"{tool[0]} {po.relative_to(root)}: {run.stderr}")
    return rejected


def online(root: Path, lang: str) -> bool:
    return (all((root / f"out/{lang}/{RELEASE}.{fmt}").is_file() for fmt in ("html", "json"))
            and f'href="{RELEASE}.html"' in (root / f"out/{lang}/index.html").read_text(encoding="utf-8")
            and f"{lang}/{RELEASE}.html" in (root / "out/sitemap.xml").read_text(encoding="utf-8")
            and f"{lang}/{RELEASE}.html" in (root / f"out/{lang}/feed.xml").read_text(encoding="utf-8"))


def rows(root: Path) -> dict:
    status = json.loads(run_cli("status", "--project", str(root), "--json").stdout)
    return {(r["release"], r["lang"]): r for r in status["catalogs"]}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
def test_edit_a_published_paragraph_then_undo_it(office):
    record = office / f"releases/{RELEASE}.yaml"
    assert run_cli("build", "--project", str(office), "--format", "html,ninjs").exit_code == 0

    edit(record, BEFORE, AFTER)
    assert run_cli("catalogs", "update", "--project", str(office)).exit_code == 0
    assert gnu_rejects(office) == []
    assert run_cli("check", "--project", str(office)).exit_code == 0
    result = run_cli("build", "--project", str(office), "--format", "html,ninjs")
    assert result.exit_code == 0, result.output
    assert f"outdated: tr/{RELEASE} (1 fuzzy)" in result.stderr and f"outdated: kk/{RELEASE} (1 fuzzy)" in result.stderr
    assert online(office, "tr") and online(office, "kk")
    assert rows(office)[RELEASE, "tr"]["outdated"]["changed"] == [
        # Its beginning is what was published: what changed is named beside it.
        "paragraph 'At the ceremony held on April 8, 2011, TÜRKSOY…' ('place in the' → 'place at the')"]

    edit(record, AFTER, BEFORE)
    assert run_cli("catalogs", "update", "--project", str(office)).exit_code == 0
    assert gnu_rejects(office) == []
    status = rows(office)
    for lang in ("tr", "kk"):
        assert (status[RELEASE, lang]["ready"], status[RELEASE, lang]["fuzzy"]) == (True, 0), status[RELEASE, lang]
    result = run_cli("build", "--project", str(office), "--format", "html,ninjs")
    assert result.exit_code == 0, result.output
    assert "outdated" not in result.stderr
    assert online(office, "tr") and online(office, "kk")
    assert "outdated_since" not in (office / f"published/tr/{RELEASE}.yaml").read_text(encoding="utf-8")
