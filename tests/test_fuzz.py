"""Generated records and catalogs: never a traceback, always `file:line: message` or success."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
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


# --- pressgen.yaml and the media list ---------------------------------------------

CONFIG_FIELDS = ["languages", "base_url", "organisations", "mail", "office", "name", "short_name", "about",
                 "credit", "dateline", "website", "logo", "contacts", "email", "role", "from", "media_list", "smtp",
                 "host", "port", "security", "username", "x"]
config_scalars = st.one_of(
    scalars,
    st.sampled_from(["https://news.office.example/", "javascript:alert(1)//", "assets/logo.svg", "/etc/passwd",
                     "../media.csv", "media.csv", "press@office.example", "starttls", "ssl", "none", "587", "0",
                     "65536", "az", "tr-TR", "xx", "[en, tr]"]),
)
config_values = st.recursive(config_scalars, lambda inner: st.lists(inner, max_size=4)
                             | st.dictionaries(st.sampled_from(CONFIG_FIELDS), inner, max_size=5), max_leaves=14)
configs = st.dictionaries(st.sampled_from(CONFIG_FIELDS), config_values, max_size=6)
CONFIG_TEXT = (PROJECTS / "minimal/pressgen.yaml").read_text(encoding="utf-8") + (
    "mail:\n  from: press@office.example\n  media_list: media.csv\n  smtp: {host: 127.0.0.1, port: 2525, security: none}\n")


def config_outcome(root: Path, text: str | bytes) -> None:
    """load_config on this text: a Config, or errors each `pressgen.yaml:line: message`."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    (root / "pressgen.yaml").write_bytes(data)
    try:
        load_config(root)
    except PressgenError as exc:
        for line in exc.format(root).splitlines():
            assert re.match(r"^pressgen\.yaml(:\d+)?: \S", line), line


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(configs, st.data())
def test_generated_and_mangled_configs(tmp_path, config, data):
    text = yaml.safe_dump(config, allow_unicode=True)
    if data.draw(st.booleans()):
        text = mutate(text, data)
    config_outcome(tmp_path, text)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mangled_office_config(tmp_path, data):
    config_outcome(tmp_path, mutate(CONFIG_TEXT, data))


MEDIA_TEXT = """name,email,outlet,language,lists
Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,culture;turkey
Мәдина Оспанова,madina@kazakh.example,Kazakh News,kk,culture
"""
cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["ayse@gazete.example", "ayşe@gazete.example", "a@b", "", "tr", "kk", "fr", "culture;turkey",
                     '"', '""', "\n", "\r\n", "\x00", "\u2028", ";", ",", "\t", "Ayşe\nYılmaz", "=HYPERLINK()"]),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=7), max_size=6)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1254"])


def media_outcome(root: Path, data: bytes) -> None:
    """load_media_list on these bytes: recipients, or errors each naming media.csv (or
    pressgen.yaml's line for the list's path) and a line."""
    from pressgen.media import load_media_list

    (root / "media.csv").write_bytes(data)
    config = load_config(root)
    try:
        load_media_list(root / "media.csv", config)
    except PressgenError as exc:
        for line in exc.format(root).splitlines():
            assert re.match(r"^(media\.csv|pressgen\.yaml):\d+: \S", line), line


@pytest.fixture
def media_project(tmp_path: Path) -> Path:
    (tmp_path / "pressgen.yaml").write_text(CONFIG_TEXT, encoding="utf-8")
    return tmp_path


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, encodings, st.sampled_from([",", ";", "\t"]), st.data())
def test_generated_media_lists(media_project, body, encoding, separator, data):
    header = data.draw(st.sampled_from(["name,email,outlet,language,lists", "name;email;language", "email,name",
                                        "", "Name,E-mail,Language"]))
    lines = [header.replace(",", separator)] + [separator.join(row) for row in body]
    text = "\n".join(lines) + data.draw(st.sampled_from(["", "\n", "\r\n"]))
    try:
        encoded = text.encode(encoding)
    except UnicodeEncodeError:
        encoded = text.encode("utf-8")
    media_outcome(media_project, encoded)


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mangled_media_lists(media_project, data):
    text = mutate(MEDIA_TEXT, data)
    raw = text.encode("utf-8")
    if data.draw(st.booleans()):
        at = data.draw(st.integers(0, len(raw)))
        raw = raw[:at] + data.draw(st.binary(max_size=4)) + raw[at:]
    media_outcome(media_project, raw)


snapshot_texts = st.one_of(st.text(max_size=40), st.sampled_from(
    ["yes", "No", "on", "123", "1.5", "0x1F", "null", "~", "", " lead", "trail ", "a: b", "- x", "#x", "x #y",
     "'q'", '"d"', "multi\nline", "end\n", "  indented\nx", "tab\there", "2026-12-04", "!tag", "&a", "*b", "{a}",
     "[b]", "a\u2028b", "\u00a0nbsp", "İstanbul – “q” ’", "Нұр-Сұлтан"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.none() | snapshot_texts, snapshot_texts, snapshot_texts), max_size=5), snapshot_texts,
       st.lists(snapshot_texts.filter(bool), max_size=2))
def test_a_snapshot_reads_back_every_text_as_written(tmp_path_factory, translations, record, former):
    """pressgen writes snapshots' YAML itself (published._node): a text that would read as a
    number, a boolean or null, or that YAML would fold or strip, still reads back as written."""
    import datetime as dt

    from pressgen.published import Snapshot, Translation, read_snapshot
    path = tmp_path_factory.mktemp("published") / "tr" / "r.yaml"  # in its language's folder, as pressgen keeps it
    path.parent.mkdir()
    snapshot = Snapshot(path, "r", "tr", dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.timezone.utc), record,
                        tuple(Translation(*t) for t in translations), None, tuple(former))
    path.write_bytes(snapshot.dumps())
    again = read_snapshot(path)
    assert (again.record, again.translations, again.former_ids) == (record, snapshot.translations, tuple(former))
