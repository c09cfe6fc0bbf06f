"""The README's example record is a valid record."""

from __future__ import annotations

import re
import shutil

from conftest import REPO
from pressgen.config import load_config
from pressgen.errors import Collector
from pressgen.records import load_record


def test_readme_example_record_loads(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(language: en.*?)```", readme, re.S)[1]
    path = tmp_path / "releases" / "example.yaml"
    # The photo it names, in the project's images/ folder.
    (tmp_path / "images").mkdir()
    shutil.copy(REPO / "tests" / "projects" / "fields" / "images" / "signing.jpg", tmp_path / "images")
    errors = Collector()
    release = load_record(path, load_config(REPO), errors, text=example)
    assert not errors.errors, [e.format() for e in errors.errors]
    assert [b.kind for b in release.body] == ["paragraph", "quote", "paragraph"]
    assert (release.image.file, release.image.width, release.image.credit.value) == ("images/signing.jpg", 800, "TÜRKSOY")
    assert release.body[2].text.note.startswith("'Nevruz'")
    assert release.embargo.isoformat() == "2011-04-08T10:00:00+05:00"  # Azerbaijan kept summer time until 2016
