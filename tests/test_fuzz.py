"""Generated records and catalogs: never a traceback, always `file:line: message` or success."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECTS, run_cli
from pressgen.catalogs import read_catalog
from pressgen.config import load_config
from pressgen.errors import Collector, PressgenError
from pressgen.records import load_record

CONFIG = load_config(PROJECTS / "minimal")
FIELDS = ["id", "language", "style", "organisation", "date", "place", "embargo", "headline", "summary", "body",
          "tags", "contacts", "quote", "by", "note", "paragraph", "name", "email", "x"]
WHERE = re.compile(r"^releases/r\.yaml(:\d+)?: \S")

scalars = st.one_of(
    st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.dates().map(str),
    st.sampled_from(["en", "tr", "kk", "statement", "wire", "office", "2011-04-08", "10:30", "no", "on", "~",
                     "2011-04-08 10:00 Asia/Baku", "2011-02-30", "İstanbul", "Нұр-Сұлтан", "<script>", "{{ x }}"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5),
                      max_leaves=12)
records = st.dictionaries(st.sampled_from(FIELDS), values, max_size=12)


def mutate(text: str, data) -> str:
    """Truncate, or splice in YAML's troublemakers, to reach the parser's error paths."""
    cut = data.draw(st.integers(0, len(text)))
    noise = data.draw(st.sampled_from(["", ":", "- ", "  ", "[", "{", "&a", "*a", "!!int ", "\t", "\"", "'", "\n  x: 1", "<<: {}", "\x00"]))
    return text[:cut] + noise + text[cut:] if data.draw(st.booleans()) else text[:cut]


def outcome(text: str) -> str:
    errors = Collector()
    path = Path("releases/r.yaml")
    try:
        release = load_record(path, CONFIG, errors, text=text)
    except PressgenError as exc:
        errors.extend(exc)
        release = None
    for error in errors.errors:
        assert WHERE.match(error.format()), error.format()
        assert error.line is None or error.line >= 1
    assert (release is None) == bool(errors.errors)
    return "ok" if release else "error"


@settings(max_examples=1500, deadline=None)
@given(records)
def test_generated_records(record):
    outcome(yaml.safe_dump(record, allow_unicode=True))


@settings(max_examples=1500, deadline=None)
@given(records, st.data())
def test_mangled_records(record, data):
    outcome(mutate(yaml.safe_dump(record, allow_unicode=True), data))


@settings(max_examples=800, deadline=None)
@given(st.data())
def test_mangled_catalogs(data):
    source = (PROJECTS / "minimal/locales/kk/releases/hello.po").read_text(encoding="utf-8")
    text = mutate(source, data)
    path = Path(f"/tmp/pressgen-fuzz-{id(data)}.po")
    path.write_text(text, encoding="utf-8")
    try:
        read_catalog(path, "kk")
    except PressgenError as exc:
        assert exc.format().startswith(f"{path}:") or exc.format().startswith(f"{path}: "), exc.format()
    finally:
        path.unlink()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records, st.data())
def test_check_command_never_crashes(tmp_path, record, data):
    root = tmp_path / "p"
    if not root.exists():
        shutil.copytree(PROJECTS / "minimal", root)
    text = yaml.safe_dump(record, allow_unicode=True)
    if data.draw(st.booleans()):
        text = mutate(text, data)
    (root / "releases/r.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "--project", str(root))  # an unexpected exception would raise here
    assert result.exit_code in (0, 1)
    assert "Traceback" not in result.output
    for line in result.stderr.splitlines():
        assert line.startswith(("releases/", "locales/", "templates/", "not ready:", "  ")), line
