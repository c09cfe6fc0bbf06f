"""What VS Code's YAML extension shows in an office made by `pressgen init`: the language server
itself finds the schema through the records' relative modeline and underlines what check refuses.

Needs yaml-language-server: `make test` installs it (tests/editor/package-lock.json). Run by
hand without it, the test skips; under CI it fails instead, so a broken install cannot hide."""

from __future__ import annotations

import os

import pytest

from conftest import run_cli
from yamlls import YamlLanguageServer, server_command

pytestmark = pytest.mark.skipif(server_command() is None and not os.environ.get("CI"),
                                reason="yaml-language-server is not installed (make test installs it)")


def test_the_editor_underlines_what_pressgen_check_refuses(tmp_path):
    root = tmp_path / "office"
    assert run_cli("init", str(root)).exit_code == 0
    good = root / run_cli("new", "Kültür haftası", "--date", "2026-03-21", "-C", str(root)).stdout.strip()
    bad = root / "releases" / "bad.yaml"
    bad.write_text(good.read_text(encoding="utf-8").replace("style: statement", "style: memo")
                   .replace("headline:", "hedline:").replace("date: 2026-03-21", "date: 2026-3-21"), encoding="utf-8")
    server = YamlLanguageServer(root)
    try:
        found = server.diagnostics(good, bad, root / "pressgen.yaml",
                                   root / "releases" / "silk-road-foundation-opens-its-newsroom.yaml")
    finally:
        server.close()
    assert found["kultur-haftasi.yaml"] == []
    assert found["pressgen.yaml"] == []
    assert found["silk-road-foundation-opens-its-newsroom.yaml"] == []
    assert sorted(found["bad.yaml"]) == [
        (2, 'Missing property "headline".'),
        (3, 'Value is not accepted. Valid values: "statement", "wire".'),
        (5, 'String does not match the pattern of "^(\\d{4})-(\\d{2})-(\\d{2})$".'),
        (5, "String is not a RFC3339 date."),
        (7, "Property hedline is not allowed."),
    ]
