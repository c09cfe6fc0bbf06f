"""Release + language -> IPTC ninjs 3.0 (News in JSON), for news agencies' systems.

One item per release and language, next to its page: out/<lang>/<id>.json.
The body is given twice, as plain text and as escaped HTML paragraphs, so
a receiving system never has to interpret markup from a record.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Callable

from . import lang as L
from .model import Organisation, Paragraph, Quote, Release
from .render import Urls, paragraph_html

SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_3.0.json"


def item_uri(urls: Urls, release_id: str, lang: str) -> str:
    """A stable identifier of the item (not a link): an absolute URI either way."""
    if urls.base:
        return f"{urls.base}ninjs/{lang}/{release_id}"
    return f"urn:pressgen:{release_id}:{lang}"


def _moment(date: dt.date) -> str:
    return dt.datetime.combine(date, dt.time(), dt.timezone.utc).isoformat().replace("+00:00", "Z")


def ninjs_item(release: Release, org: Organisation, urls: Urls, public: bool,
               quoted: Callable[[Quote], str], partners: tuple[Organisation, ...] = ()) -> dict:
    """The ninjs object of a translated release (``release.language`` is the item's language).

    ``quoted`` gives a quote with its speaker as the page prints it (render.quote_text);
    ``partners``: the other organisations of a joint release, each a publisher too."""
    orgs = (org, *partners)
    code = release.language
    paragraphs = [block.text.value if isinstance(block, Paragraph) else quoted(block) for block in release.body]
    if release.signature:
        # The page prints the title under the name.
        paragraphs.append("\n".join(t.value for t in release.signature.texts()))
    modified = max([c.date for c in release.corrections], default=release.date)
    item: dict = {
        "uri": item_uri(urls, release.first_id, code),
        "standard": {"name": "ninjs", "version": "3.0", "schema": SCHEMA},
        "type": "text",
        "representationType": "full",
        "profile": f"pressgen-{release.style}",
        "version": str(release.version or 1),
        "firstCreated": _moment(release.date),
        "versionCreated": _moment(modified),
        "contentCreated": _moment(release.date),
        "pubStatus": "canceled" if release.withdrawn else "usable" if public else "withheld",
        "language": L.bcp47(code),
        "headlines": [{"role": "main", "value": release.headline.value}],
        "bodies": [
            {"role": "main", "contentType": "text/plain", "value": "\n\n".join(paragraphs),
             "wordCount": sum(len(p.split()) for p in paragraphs)},
            {"role": "main", "contentType": "text/html", "value": "".join(paragraph_html(p) for p in paragraphs)},
        ],
        "by": ", ".join(o.name.value for o in orgs),
        "copyrightHolder": ", ".join(o.name.value for o in orgs),
        "located": release.place.value,
        "renditions": [
            {"name": "web", "href": urls.page(code, release.id), "contentType": "text/html"},
            {"name": "print", "href": urls.page(code, release.id, "pdf"), "contentType": "application/pdf"},
        ],
        "altIds": [{"role": "pressgen-id", "value": release.id},
                   *([{"role": "reference", "value": release.reference}] if release.reference else [])],
        "genres": [{"name": release.kind}],
        "organisations": [{"name": o.name.value, "rel": "publisher", **({"uri": o.website} if o.website else {})}
                          for o in orgs],
    }
    if release.signature:
        item["people"] = [{"name": release.signature.name.value, "rel": "signatory"}]
    if release.embargo:
        item["embargoedUntil"] = release.embargo.isoformat()
    if release.summary:
        item["descriptions"] = [{"role": "summary", "value": release.summary.value}]
    if release.shown_tags:
        item["subjects"] = [{"name": tag.value} for tag in release.shown_tags]
    if any(o.credit for o in orgs):
        item["usageTerms"] = " ".join(o.credit.value for o in orgs if o.credit)
    # Corrections, then the notes to editors: ninjs's note addressed to editors.
    notes = [" ".join(f"{c.date.isoformat()}: {c.note.value}" for c in release.corrections)] if release.corrections else []
    notes += [note.value for note in release.notes_to_editors]
    if notes:
        item["edNote"] = "\n\n".join(notes)
    associations = []
    if code != release.lang:
        associations.append({"name": "original", "uri": item_uri(urls, release.first_id, release.lang),
                             "language": L.bcp47(release.lang)})
    if release.image:
        associations.append(picture(release, urls))
    if associations:
        item["associations"] = associations
    return item


def picture(release: Release, urls: Urls) -> dict:
    """The release's photo as an associated ninjs picture, with its caption, alt text and credit."""
    image = release.image
    assert image is not None
    href = urls.asset(image.file)
    picture: dict = {
        "name": "photo", "rel": "image", "type": "picture",
        "uri": href if urls.base else f"urn:pressgen:{release.id}:{release.language}:photo",
        "language": L.bcp47(release.language),
        "renditions": [{"name": "original", "href": href, "contentType": image.media_type,
                        "width": image.width, "height": image.height}],
        "descriptions": [{"role": "alt", "value": image.alt.value}],
    }
    if image.caption:
        picture["descriptions"].insert(0, {"role": "caption", "value": image.caption.value})
    if image.credit:
        picture["by"] = image.credit.value
    return picture


def dumps(item: dict) -> bytes:
    return (json.dumps(item, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
