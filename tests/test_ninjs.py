"""IPTC ninjs 3.0 items, one per release and language, checked against the standard's rules.

The official JSON Schema (http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json) is used when
it is present as ../shared/ninjs-schema_3.0.json; the tests always check the rules below,
taken from the standard: the property names it defines, the required uri, the enumerations,
and RFC 3339 date-times.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, run_cli
from htmlread import Page

DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
URI = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"
TEXTS = {"type": "array", "items": {"type": "object", "required": ["value"], "additionalProperties": False,
                                    "properties": {"role": {"type": "string"}, "contentType": {"type": "string"},
                                                   "value": {"type": "string"}, "wordCount": {"type": "integer"},
                                                   "charCount": {"type": "integer"}}}}
NAMED = {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                    "properties": {"name": {"type": "string"}, "rel": {"type": "string"},
                                                   "uri": {"type": "string", "pattern": URI},
                                                   "literal": {"type": "string"}}}}
RULES = {
    "type": "object",
    "required": ["uri"],
    "additionalProperties": False,
    "properties": {
        "uri": {"type": "string", "pattern": URI},
        "standard": {"type": "object", "additionalProperties": False,
                     "properties": {"name": {"const": "ninjs"}, "version": {"const": "3.0"},
                                    "schema": {"type": "string", "pattern": URI}}},
        "type": {"enum": ["text", "audio", "video", "picture", "graphic", "composite", "component", "event", "planning"]},
        "representationType": {"enum": ["full", "partial"]},
        "profile": {"type": "string"},
        "version": {"type": "string"},
        "firstCreated": {"type": "string", "pattern": DATE_TIME},
        "versionCreated": {"type": "string", "pattern": DATE_TIME},
        "contentCreated": {"type": "string", "pattern": DATE_TIME},
        "embargoedUntil": {"type": "string", "pattern": DATE_TIME},
        "pubStatus": {"enum": ["usable", "withheld", "canceled"]},
        "language": {"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$"},
        "headlines": TEXTS, "descriptions": TEXTS, "bodies": TEXTS,
        "by": {"type": "string"}, "copyrightHolder": {"type": "string"}, "usageTerms": {"type": "string"},
        "edNote": {"type": "string"}, "located": {"type": "string"},
        "renditions": {"type": "array", "items": {"type": "object", "required": ["name"], "additionalProperties": False,
                                                  "properties": {"name": {"type": "string"},
                                                                 "href": {"type": "string", "pattern": URI},
                                                                 "contentType": {"type": "string"}}}},
        "altIds": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                              "properties": {"role": {"type": "string"}, "value": {"type": "string"}}}},
        "genres": NAMED, "subjects": NAMED, "organisations": NAMED, "people": NAMED,
        "associations": {"type": "array", "items": {"type": "object", "required": ["name", "uri"],
                                                    "properties": {"name": {"type": "string"},
                                                                   "uri": {"type": "string", "pattern": URI},
                                                                   "language": {"type": "string"}}}},
    },
}
OFFICIAL = REPO.parent / "shared" / "ninjs-schema_3.0.json"


def validate(item: dict) -> None:
    jsonschema.validate(item, RULES)
    if OFFICIAL.exists():
        schema = json.loads(OFFICIAL.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(item)


def items(out: Path) -> list[Path]:
    return sorted(path for path in out.glob("*/*.json") if path.parent.name != "pagefind")


def test_every_item_follows_ninjs(built_office):
    found = items(built_office / "out")
    assert len(found) == 6
    for path in found:
        validate(json.loads(path.read_text(encoding="utf-8")))


def test_item_content(built_office):
    item = json.loads((built_office / "out/kk/turksoy-isesco-agreement.json").read_text(encoding="utf-8"))
    assert item["uri"] == "https://press.turksoy.example/ninjs/kk/turksoy-isesco-agreement"
    assert item["language"] == "kk"
    assert item["headlines"] == [{"role": "main", "value": "ТҮРКСОЙ мен ИСЕСКО арасындағы ынтымақтастық туралы келісім"}]
    assert item["located"] == "Баку"
    assert item["by"] == "Халықаралық түркі мәдениеті ұйымы"
    assert item["associations"] == [{"name": "original", "language": "en",
                                     "uri": "https://press.turksoy.example/ninjs/en/turksoy-isesco-agreement"}]
    assert [r["href"] for r in item["renditions"]] == [
        "https://press.turksoy.example/kk/turksoy-isesco-agreement.html",
        "https://press.turksoy.example/kk/turksoy-isesco-agreement.pdf"]
    assert item["bodies"][0]["value"].startswith("Халықаралық түркі мәдениеті ұйымы (ТҮРКСОЙ)")


@pytest.mark.parametrize("lang", ["en", "tr", "kk"])
@pytest.mark.parametrize("release", ["ashimbayev-raev-meeting", "turksoy-isesco-agreement"])
def test_body_reads_as_the_page_does(built_office, release, lang):
    """Quotes keep their marks and the punctuation before the speaker, as on the page."""
    item = json.loads((built_office / f"out/{lang}/{release}.json").read_text(encoding="utf-8"))
    page = Page((built_office / f"out/{lang}/{release}.html").read_text(encoding="utf-8")).text
    page = page.replace("\u2019", "'")  # the page sets apostrophes; the item keeps the text as written
    for paragraph in item["bodies"][0]["value"].split("\n\n")[1:]:
        assert paragraph in page, paragraph


def test_embargoed_item_is_withheld_and_markup_escaped(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text().replace("The first paragraph.", "The first <b>paragraph</b>.")
                      + "embargo: 2030-01-01 09:00 Europe/Istanbul\n")
    assert run_cli("build", "--project", str(root), "--lang", "en", "--format", "ninjs", "-o", str(root / "out"),
                   "--now", "2029-12-31T00:00Z").exit_code == 0
    item = json.loads((root / "out/en/hello.json").read_text(encoding="utf-8"))
    validate(item)
    assert item["pubStatus"] == "withheld" and item["embargoedUntil"] == "2030-01-01T09:00:00+03:00"
    html = next(b["value"] for b in item["bodies"] if b["contentType"] == "text/html")
    assert "<b>" not in html and "&lt;b&gt;paragraph&lt;/b&gt;" in html


@pytest.mark.parametrize("bad, field", [({"type": "article"}, "type"), ({"pubStatus": "live"}, "pubStatus"),
                                        ({"firstCreated": "2011-04-08"}, "firstCreated"), ({"headline": "x"}, "headline"),
                                        ({"embargoed": "2030-01-01T09:00:00Z"}, "embargoed")])
def test_the_rules_catch_what_ninjs_forbids(bad, field):
    with pytest.raises(jsonschema.ValidationError):
        validate({"uri": "urn:pressgen:x:en", **bad})


def test_the_official_schema_is_in_use():
    if not OFFICIAL.exists():
        pytest.skip("IPTC's ninjs-schema_3.0.json is not in ../shared/: items were checked against the standard's rules only")
    schema = json.loads(OFFICIAL.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"].startswith("http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json")
    official = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    assert not official.is_valid({"uri": "urn:pressgen:x:en", "embargoed": "2030-01-01T09:00:00Z"})  # a ninjs 2 name
