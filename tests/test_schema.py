"""The JSON Schema editors validate against: it accepts what pressgen accepts, and no more."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from pressgen.config import load_config
from pressgen.errors import Collector, PressgenError
from pressgen.records import load_record
from pressgen import config as config_reader
from pressgen import records
from pressgen.schema import config_schema, release_schema, schema_gaps, schema_text
from pressgen.yamlnodes import Mapping, Node, Scalar, load_yaml

from conftest import PROJECTS, REPO, copy_project, run_cli

_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")


def as_editor_reads(node: Node | None):
    """The YAML as an editor's YAML 1.2 (core schema) parser hands it to a JSON Schema validator:
    numbers and true/false typed, everything else (dates included) a string."""
    if node is None:
        return None
    if isinstance(node, Mapping):
        return {key: as_editor_reads(value) for key, value in node.items.items()}
    if not isinstance(node, Scalar):
        return [as_editor_reads(item) for item in node.items]
    if node.quoted:
        return node.text
    if node.is_null:
        return None
    if node.text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return node.text.lower() == "true"
    if _INT.fullmatch(node.text):
        return int(node.text, 0) if node.text[:2] in ("0o", "0x") else int(node.text)
    if _FLOAT.fullmatch(node.text):
        return float(node.text.replace("inf", "Infinity").replace("Inf", "Infinity").replace("INF", "Infinity"))
    return node.text


def problems(schema: dict, path: Path) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return sorted(error.message for error in validator.iter_errors(as_editor_reads(load_yaml(path))))


def shipped(pattern: str) -> list[Path]:
    roots = [REPO, *sorted(p for p in PROJECTS.iterdir() if p.is_dir()), REPO / "src/pressgen/example_office"]
    return [path for root in roots for path in sorted(root.glob(pattern))]


def test_the_schema_describes_every_field_the_readers_accept():
    assert schema_gaps() == [], "describe each field in src/pressgen/schema.py, then run `pressgen schema --write`"


def test_a_field_the_schema_lacks_is_found(monkeypatch):
    """What fails the test above when records.py or config.py gains a field schema.py lacks."""
    monkeypatch.setattr(records, "OPTIONAL", (*records.OPTIONAL, "subtitle"))
    monkeypatch.setattr(config_reader, "NEWSROOM_KEYS", ((), ("page_size", "feed_size")))
    assert schema_gaps() == [
        "the release record: 'subtitle' is accepted but not described in schema.py",
        "'newsroom': 'sitemap_size' is described in schema.py but refused by the reader",
    ]
    assert release_schema()["properties"]["subtitle"] == {}


def _patterns(schema):
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "pattern":
                yield value
            yield from _patterns(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _patterns(item)


def test_schema_patterns_are_javascript_regexes_too():
    """Editors compile patterns as ECMA-262 regexes with the 'u' flag, which refuses an escaped
    character that needs none (Python's re takes '\\"'); one such pattern voids the whole schema."""
    patterns = [p for schema in (release_schema(), config_schema()) for p in _patterns(schema)]
    assert any("“" in p for p in patterns)  # the quote's, among them
    for pattern in patterns:
        escapes = set(re.findall(r"\\(.)", pattern))
        assert escapes <= set("dDwWsSbB.^$\\*+?()[]{}|/-"), (pattern, escapes)


def test_schemas_are_valid_2020_12():
    for schema in (release_schema(), config_schema()):
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", shipped("releases/*.yaml"), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_shipped_record_is_valid(path):
    assert problems(release_schema(), path) == []


@pytest.mark.parametrize("path", shipped("pressgen.yaml"), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_shipped_config_is_valid(path):
    assert problems(config_schema(), path) == []


RECORD = """\
language: en
style: statement
organisation: office
date: 2011-04-08
place: Istanbul
headline: Hello
body:
  - The first paragraph.
"""


@pytest.mark.parametrize("old, new, message", [
    ("style: statement", "style: memo", "'memo' is not one of ['statement', 'wire']"),
    ("headline: Hello", "hedline: Hello", "Additional properties are not allowed ('hedline' was unexpected)"),
    ("date: 2011-04-08", "date: 2011-4-8", "'2011-4-8' does not match '^(\\\\d{4})-(\\\\d{2})-(\\\\d{2})$'"),
    ("date: 2011-04-08", "date: 08.04.2011", "'08.04.2011' does not match '^(\\\\d{4})-(\\\\d{2})-(\\\\d{2})$'"),
    ("  - The first paragraph.", "  - The first paragraph.\n  - quote: «Біз дайынбыз».",
     "{'quote': '«Біз дайынбыз».'} is not valid under any of the given schemas"),
])
def test_a_mistake_pressgen_refuses_fails_the_schema_too(tmp_path, old, new, message):
    path = tmp_path / "releases" / "hello.yaml"
    path.parent.mkdir()
    path.write_text(RECORD, encoding="utf-8")
    assert problems(release_schema(), path) == []
    path.write_text(RECORD.replace(old, new), encoding="utf-8")
    found = problems(release_schema(), path)
    assert message in found
    if "hedline" in new:  # the required field it was meant to be is missing too
        assert "'headline' is a required property" in found
    errors = Collector()
    assert load_record(path, load_config(PROJECTS / "minimal"), errors) is None
    assert errors.errors


def _accepted(path: Path, load) -> set[str]:
    """The fields pressgen's reader lists when it meets the unknown field 'zzzz' in ``path``."""
    try:
        errors = load()
    except PressgenError as exc:
        errors = getattr(exc, "errors", [exc])
    messages = [e.message for e in errors if "'zzzz'" in e.message]
    assert len(messages) == 1, [e.message for e in errors]
    return set(messages[0].partition("expected one of: ")[2].split(", "))


RECORD_PROBES = {
    "": RECORD + "zzzz: x\n",
    "contacts": RECORD + "contacts:\n  - name: Desk\n    zzzz: x\n",
    "body/quote": RECORD + "  - quote: Yes\n    zzzz: x\n",
    "body/paragraph": RECORD + "  - paragraph: Yes\n    zzzz: x\n",
    "corrections": RECORD + "corrections:\n  - date: 2011-04-09\n    note: Fixed.\n    zzzz: x\n",
}


def _record_part(schema: dict, where: str) -> dict:
    if where == "body/quote":
        return next(s for s in schema["properties"]["body"]["items"]["anyOf"] if "quote" in s.get("properties", {}))
    if where == "body/paragraph":
        return next(s for s in schema["properties"]["body"]["items"]["anyOf"] if "paragraph" in s.get("properties", {}))
    return schema["properties"][where]["items"] if where else schema


@pytest.mark.parametrize("where", RECORD_PROBES)
def test_the_record_schema_lists_exactly_the_fields_records_py_accepts(tmp_path, where):
    # The record inside the project whose config reads it: pressgen refuses a record from outside.
    root = copy_project("minimal", tmp_path / "minimal")
    path = root / "releases" / "hello.yaml"
    path.write_text(RECORD_PROBES[where], encoding="utf-8")
    config = load_config(root)

    def load():
        errors = Collector()
        load_record(path, config, errors)
        return errors.errors

    part = _record_part(release_schema(), where)
    assert _accepted(path, load) == set(part["properties"])
    assert set(part["required"]) <= set(part["properties"])


CONFIG = """\
languages: [en, tr]
organisations:
  office:
    name: Office of Culture
    short_name: OC
"""
CONFIG_PROBES = {
    "": CONFIG + "zzzz: x\n",
    "organisations": CONFIG + "    zzzz: x\n",
    "organisations/contacts": CONFIG + "    contacts:\n      - name: Desk\n        zzzz: x\n",
    "mail": CONFIG + "mail:\n  from: press@office.example\n  zzzz: x\n",
    "mail/smtp": CONFIG + "mail:\n  from: press@office.example\n  smtp:\n    host: smtp.example\n    zzzz: x\n",
}


def _config_part(schema: dict, where: str) -> dict:
    parts = {
        "": schema,
        "organisations": schema["properties"]["organisations"]["additionalProperties"],
        "mail": schema["properties"]["mail"],
    }
    parts["organisations/contacts"] = parts["organisations"]["properties"]["contacts"]["items"]
    parts["mail/smtp"] = parts["mail"]["properties"]["smtp"]
    return parts[where]


@pytest.mark.parametrize("where", CONFIG_PROBES)
def test_the_config_schema_lists_exactly_the_fields_config_py_accepts(tmp_path, where):
    (tmp_path / "pressgen.yaml").write_text(CONFIG_PROBES[where], encoding="utf-8")

    def load():
        load_config(tmp_path)
        return []

    assert _accepted(tmp_path, load) == set(_config_part(config_schema(), where)["properties"])


def test_the_committed_schemas_are_the_generated_ones():
    """The files the modelines point at, in this office and in a fresh clone of it."""
    stale = "schemas/ is out of date: run `pressgen schema --write` and commit it"
    assert (REPO / "schemas/release.schema.json").read_text(encoding="utf-8") == schema_text("release"), stale
    assert (REPO / "schemas/pressgen.schema.json").read_text(encoding="utf-8") == schema_text("config"), stale


def test_pressgen_schema_prints_and_writes(office):
    result = run_cli("schema", "release")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "pressgen release record"
    assert json.loads(run_cli("schema", "config").stdout)["title"] == "pressgen office config"
    result = run_cli("schema", "--write", "-C", str(office))
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote schemas/release.schema.json\nwrote schemas/pressgen.schema.json\n"
    assert run_cli("schema", "--write", "-C", str(office)).stdout == ""


def test_pressgen_schema_write_refuses_a_folder_that_is_no_office(tmp_path):
    result = run_cli("schema", "--write", "-C", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (f"no pressgen.yaml in {tmp_path}: run pressgen in the press office's folder, "
                             "or name it with -C DIR\n")
    assert list(tmp_path.iterdir()) == []
