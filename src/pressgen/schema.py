"""JSON Schema (2020-12) of release records and pressgen.yaml, for editors.

Built from what the readers accept: the field names come from the key lists
records.py and config.py check against, the patterns, choices and limits from
the same constants they use. A field a reader gains without a description here
is still in the schema, with no rules, and schema_gaps() names it, which fails
tests/test_schema.py: the schema cannot drift from what `pressgen check` says.

The schema describes the YAML as an editor's YAML 1.2 parser sees it: `2`
is a number and `2011-04-08` a string, while pressgen reads both as text.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import config as config_reader
from . import records
from .errors import UsageError
from .fsutil import write_if_changed
from .hyphenate import ENGLISH_VARIANTS
from .media import ADDRESS_PATTERN
from .model import KINDS, STYLES
from .yamlnodes import DATE_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"
"""In the project, committed with it: a fresh clone has the files its records' modelines point at."""
FILES = {"release": "release.schema.json", "config": "pressgen.schema.json"}

Keys = tuple[tuple[str, ...], tuple[str, ...]]


_gaps: list[str] = []
"""Found while a schema is built (see schema_gaps): a module-level list rather than a
parameter threaded through every mapping's description."""


def schema_gaps() -> list[str]:
    """Fields a reader accepts that this module does not describe, and the reverse."""
    _gaps.clear()
    release_schema()
    config_schema()
    return list(_gaps)


def _text(description: str, context: str | None = None) -> dict:
    """A text field. An editor's YAML 1.2 may type it as a number or true/false; pressgen reads the text typed."""
    schema: dict = {"type": ["string", "number", "boolean"], "minLength": 1, "description": description}
    if context in records.LIMITS:
        schema["maxLength"] = records.LIMITS[context]
    return schema


def _pattern(regex: str, description: str) -> dict:
    whole = regex if regex.startswith("^") else f"^{regex}"
    return {"type": "string", "pattern": whole if whole.endswith("$") else f"{whole}$", "description": description}


def _date(description: str) -> dict:
    return {**_pattern(DATE_PATTERN.pattern, description), "format": "date"}


def _number(regex: str, description: str, **bounds: int) -> dict:
    """A whole number, written bare or quoted ('pattern' applies to strings only, the bounds to numbers)."""
    return {"type": ["integer", "string"], "pattern": regex, **bounds, "description": description}


def _object(keys: Keys, fields: dict[str, dict], where: str, description: str = "") -> dict:
    required, optional = keys
    _gaps.extend(f"{where}: '{key}' is accepted but not described in schema.py"
                 for key in (*required, *optional) if key not in fields)
    _gaps.extend(f"{where}: '{key}' is described in schema.py but refused by the reader"
                 for key in fields if key not in (*required, *optional))
    schema: dict = {"type": "object"}
    if description:
        schema["description"] = description
    schema["properties"] = {key: fields.get(key, {}) for key in (*required, *optional)}
    if required:
        schema["required"] = list(required)
    schema["additionalProperties"] = False
    return schema


def _list(items: dict, description: str, **limits: int) -> dict:
    return {"type": "array", "items": items, **limits, "description": description}


def _contact() -> dict:
    return _object(config_reader.CONTACT_KEYS, {
        "name": _text("Name of the contact person or desk."),
        "role": _text("Their role: 'TÜRKSOY Secretariat, Ankara'."),
        "email": _pattern(config_reader.EMAIL_PATTERN.pattern, "E-mail address."),
        "phone": _text("Phone number, as printed: '+90 312 000 00 00'."),
    }, "a contact")


def release_schema() -> dict:
    """The schema of releases/<id>.yaml."""
    quote = _object(records.QUOTE_KEYS, {
        "quote": {**_text("The words quoted, without quotation marks: each language adds its own.", "quote"),
                  "not": {"type": "string", "pattern": records.IN_QUOTATION_MARKS}},
        "by": _text("Who said it: name, then title.", "quote attribution"),
        "note": _text("A note for the translators."),
    }, "a quote", "A quote.")
    paragraph = _object(records.PARAGRAPH_KEYS, {
        "paragraph": _text("The paragraph.", "paragraph"),
        "note": _text("A note for the translators."),
    }, "a paragraph", "A paragraph with a note for the translators.")
    correction = _object(records.CORRECTION_KEYS, {
        "date": _date("The day of the correction, YYYY-MM-DD."),
        "note": _text("What was corrected."),
    }, "a correction")
    organisation_key = _pattern(config_reader.KEY_PATTERN.pattern, "A key under 'organisations' in pressgen.yaml.")
    image = _object(records.IMAGE_KEYS, {
        "file": {"type": "string", "description": "A JPEG or PNG in the project's images/ folder: "
                 "'images/signing.jpg'; at most 1 MB and 2,400 pixels."},
        "alt": _text("What the photo shows, for readers who cannot see it.", "image alt text"),
        "caption": _text("The caption printed under the photo.", "image caption"),
        "credit": _text("Who took or owns the photo: printed 'Photo: …'.", "image credit"),
    }, "'image'", "A photo under the headline.")
    signature = _object(records.SIGNATURE_KEYS, {
        "name": _text("Who signs: 'Düsen Kaseinov'.", "signature name"),
        "title": _text("Their title: 'TÜRKSOY Secretary General'.", "signature title"),
    }, "'signature'", "A block after the body.")
    fields = {
        "id": _pattern(records.ID_PATTERN.pattern, "The release's id; defaults to the file name. Lower-case "
                       "letters, digits and hyphens."),
        "language": {"type": "string", "description": "The language this record is written in: one of the "
                     "office's languages (pressgen.yaml)."},
        "style": {"enum": list(STYLES), "description": "statement (an organisation's press release) or wire "
                  "(a news agency item)."},
        "date": _date("The release date, YYYY-MM-DD."),
        "place": _text("The dateline place; pressgen writes it in capitals.", "dateline place"),
        "organisation": {"anyOf": [
            organisation_key,
            _list(organisation_key, "A joint release: the organisations' keys, the leading one first.",
                  minItems=1, uniqueItems=True)],
            "description": "Who publishes it: a key under 'organisations' in pressgen.yaml, or a list of keys "
                           "for a joint release."},
        "kind": {"enum": list(KINDS), "description": "The document's label at the top: press release (a "
                 "statement's default), statement, media advisory or news (a wire item's default)."},
        "reference": _text("The issuing body's number for the document: '109' prints 'No. 109'.", "reference"),
        "image": image,
        "signature": signature,
        "notes_to_editors": _list(_text("A note for journalists.", "note to editors"),
                                  "Short notes printed after the end mark.", maxItems=records.MAX_NOTES),
        "headline": _text("The headline.", "headline"),
        "body": _list({"anyOf": [_text("A paragraph.", "paragraph"), paragraph, quote]},
                      "Paragraphs and quotes, in order; at least one paragraph.", minItems=1,
                      maxItems=records.MAX_BLOCKS),
        "summary": _text("The standfirst under the headline.", "summary"),
        "embargo": _pattern(records.EMBARGO_PATTERN.pattern, "Not to be published before: 'YYYY-MM-DD HH:MM "
                            "Area/City' or '… +06:00'."),
        "tags": _list(_text("A keyword.", "tag"), "Keywords (PDF metadata, search)."),
        "contacts": _list(_contact(), "Press contacts; the default is the organisation's."),
        "version": _number("^[1-9][0-9]*$", "2, 3, … when a published release is reissued.", minimum=1),
        "corrections": _list(correction, "Corrections, each shown under the headline."),
        "withdrawn": _date("The day the office withdrew the release, YYYY-MM-DD."),
        "former_ids": _list(_pattern(records.ID_PATTERN.pattern, "An id the release had before."),
                            "The ids it had before it was renamed: their pages lead to its own."),
    }
    return {
        "$schema": DIALECT,
        "title": "pressgen release record",
        "description": "A press release, written in its source language (releases/<id>.yaml).",
        **_object((records.REQUIRED, records.OPTIONAL), fields, "the release record"),
    }


def config_schema() -> dict:
    """The schema of pressgen.yaml."""
    organisation = _object(config_reader.ORGANISATION_KEYS, {
        "name": _text("Full name, as in the letterhead."),
        "short_name": _text("Short name or acronym, as in datelines: 'TÜRKSOY'."),
        "about": _text("The 'About …' boilerplate at the foot of every statement."),
        "credit": _text("A credit line at the foot of every release."),
        "dateline": _text("The name as wire datelines print it, in capitals: 'KAZINFORM'."),
        "website": {"type": "string", "description": "The organisation's web address."},
        "logo": {"type": "string", "description": "Path of the logo inside templates/: 'assets/logo.svg'."},
        "contacts": _list(_contact(), "Press contacts printed on every release."),
        "reference_label": _text("How the organisation prints a document's reference, {number} where the "
                                 "number goes: 'No: {number}'."),
        "former_keys": _list(_pattern(config_reader.KEY_PATTERN.pattern, "A key it had before."),
                             "The keys it had before it was renamed: records and published versions naming one "
                             "are its."),
        "mail": _object(config_reader.SENDER_KEYS, {
            "from": _pattern(ADDRESS_PATTERN.pattern, "The organisation's own From address; the office's "
                             "mail.from when absent."),
            "name": _text("The sender's name in the From line; the organisation's name when absent."),
        }, "an organisation's 'mail'", "The From line of this organisation's releases."),
    }, "an organisation")
    smtp = _object(config_reader.SMTP_KEYS, {
        "host": {"type": "string", "description": "The SMTP server."},
        "port": _number("^[1-9][0-9]*$", "The port; the default follows 'security'.", minimum=1, maximum=65535),
        "security": {"enum": list(config_reader.SMTP_SECURITY), "description": "starttls (default), ssl or none."},
        "username": {"type": "string", "description": "The login; the password comes from PRESSGEN_SMTP_PASSWORD."},
        "timeout": _number("^[1-9][0-9]*$", "Seconds to wait for each of the server's replies (default 30).",
                           minimum=1, maximum=600),
    }, "'smtp'")
    mail = _object(config_reader.MAIL_KEYS, {
        "from": _pattern(ADDRESS_PATTERN.pattern, "The From address."),
        "unsubscribe": _pattern(ADDRESS_PATTERN.pattern, "Where List-Unsubscribe sends opt-outs; "
                                "mail.from when absent."),
        "media_list": {"type": "string", "description": "The media list, relative to the project (media.csv)."},
        "smtp": smtp,
    }, "'mail'", "How `pressgen mail` sends releases.")
    fields = {
        "languages": {"type": "array", "items": {"type": "string"}, "minItems": 1, "uniqueItems": True,
                      "description": "The languages the office publishes in, as CLDR codes: [en, tr, kk]."},
        "organisations": {"type": "object", "propertyNames": {"pattern": config_reader.KEY_PATTERN.pattern},
                          "additionalProperties": organisation,
                          "description": "The organisations that publish, by key."},
        "base_url": _pattern("https?://.+", "The newsroom's web address: https://press.example.org/."),
        "timezone": {"type": "string", "description": "The office's IANA timezone, e.g. Europe/Istanbul: the "
                     "date `pressgen new` gives a release."},
        "english": {"enum": list(ENGLISH_VARIANTS), "description": "The office's English spelling, whose "
                    "hyphenation patterns break English words in PDFs: en-US (the default) or en-GB."},
        "mail": mail,
        "newsroom": _object(config_reader.NEWSROOM_KEYS, {
            "page_size": _number("^[1-9][0-9]*$", "Releases on each newsroom page (newest first).",
                                 minimum=1, maximum=1000),
            "feed_size": _number("^[1-9][0-9]*$", "The latest releases each feed carries.", minimum=1, maximum=1000),
            "sitemap_size": _number("^[1-9][0-9]*$", "Addresses in one sitemap file; past it, a sitemap index.",
                                    minimum=1, maximum=config_reader.SITEMAP_LIMIT),
        }, "'newsroom'", "The sizes of the newsroom's pages, feeds and sitemaps."),
    }
    return {
        "$schema": DIALECT,
        "title": "pressgen office config",
        "description": "The press office: languages, organisations, newsroom address, mail (pressgen.yaml).",
        **_object(config_reader.CONFIG_KEYS, fields, "pressgen.yaml"),
    }


SCHEMAS = {"release": release_schema, "config": config_schema}


def schema_text(name: str) -> str:
    """The schema ``name`` ('release' or 'config') as JSON text."""
    return json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


def write_schemas(root: Path) -> list[Path]:
    """Write both schemas into ``root/schemas/`` where they differ; return what was written."""
    if not (root / config_reader.CONFIG_NAME).is_file():
        raise UsageError(f"no {config_reader.CONFIG_NAME} in {root}: run pressgen in the press office's folder, "
                         "or name it with -C DIR")
    written = []
    for name, file_name in FILES.items():
        path = root / SCHEMA_DIR / file_name
        if write_if_changed(path, schema_text(name).encode("utf-8")):
            written.append(path)
    return written
