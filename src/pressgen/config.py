"""pressgen.yaml -> Config: what is true of the whole office, written once.

Languages, the organisations that publish (names, boilerplate, logo, press
contacts) and the site's base URL. Organisation texts are translated once, in
each language's messages.po, and reused by every release.
"""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path

from . import theme
from .errors import Collector, UsageError
from .hyphenate import ENGLISH_VARIANTS
from .lang import base_language, cldr_spelling, english_name, is_known_language
from .media import is_address
from .model import Config, Contact, MailConfig, Newsroom, Organisation, Sender, Text
from .projectfiles import LOCALES_DIR, PUBLISHED_DIR
from .yamlnodes import Mapping, Node, Reader, Scalar, empty_field, load_yaml

CONFIG_NAME = "pressgen.yaml"
EXAMPLE_BASE_URL = "https://press.example.org/"
EXAMPLE_CONTACT = "press@example.org"
"""What `pressgen init` writes in pressgen.yaml for the office to replace (example_office/)."""
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# The fields each mapping accepts, (required, optional): read here and by schema.py,
# whose JSON Schema must list exactly these (tests/test_schema.py holds it to that).
CONFIG_KEYS = (("languages",), ("organisations", "base_url", "timezone", "english", "mail", "newsroom"))
NEWSROOM_KEYS = ((), ("page_size", "feed_size", "sitemap_size"))
ORGANISATION_KEYS = (("name", "short_name"), ("about", "credit", "dateline", "website", "logo", "contacts", "mail",
                                               "reference_label", "former_keys"))
SENDER_KEYS = ((), ("from", "name"))
CONTACT_KEYS = (("name",), ("role", "email", "phone"))
MAIL_KEYS = (("from",), ("media_list", "unsubscribe", "smtp"))
SMTP_KEYS = (("host",), ("port", "security", "username", "timeout"))
SMTP_SECURITY = ("starttls", "ssl", "none")


def _is_web_address(text: str) -> bool:
    """An http(s) address with a host, and nothing a page's links could turn into code.

    >>> _is_web_address("https://press.turksoy.example/")
    True
    >>> _is_web_address("javascript:alert(1)//")
    False
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
            and not any(c.isspace() or c in "\"'<>\\" for c in text))


def load_config(root: Path) -> Config:
    """Read ``root/pressgen.yaml``. Only pressgen's own bundled templates, whose
    catalogs its developers update, are a project without one."""
    root = root.resolve()
    path = root / CONFIG_NAME
    if not path.exists():
        if root == theme.PACKAGE_DIR:
            return Config(root=root, path=None)
        raise UsageError(f"no {CONFIG_NAME} in {root}: run pressgen in the press office's folder, or name it "
                         "with -C DIR")
    errors = Collector()
    node = load_yaml(path)
    reader = Reader(path, errors)
    mapping = reader.mapping(node, CONFIG_NAME, example="languages: [en, tr, kk]")
    if mapping is None:
        errors.raise_if_any()
    reader.check_keys(mapping, CONFIG_NAME, *CONFIG_KEYS)
    languages = _read_languages(reader, mapping, root)
    organisations = {}
    orgs_node = mapping.items.get("organisations")
    if orgs_node is not None:
        orgs = reader.mapping(orgs_node, "'organisations'", mapping.line)
        for key, org_node in (orgs.items.items() if orgs else ()):
            if not KEY_PATTERN.match(key):
                reader.error(orgs.key_lines[key], f"organisation key '{key}' must be lower-case letters, digits, '-' or '_'")
                continue
            org = _read_organisation(reader, key, org_node)
            if org:
                organisations[key] = org
        _check_former_keys(reader, organisations, orgs)
    base_url = reader.text(mapping, "base_url")
    if base_url and not _is_web_address(base_url.text):
        reader.error(base_url.line, f"'base_url' must be the newsroom's web address, such as "
                     f"https://press.example.org/, got '{base_url.text}'")
        base_url = None
    mail = _read_mail(reader, mapping.items["mail"], mapping.key_lines["mail"]) if "mail" in mapping.items else None
    timezone = _read_timezone(reader, mapping)
    english = reader.text(mapping, "english")
    if english and english.text not in ENGLISH_VARIANTS:
        reader.error(english.line, f"'english' must be en-US or en-GB, the patterns English words break by "
                     f"in PDFs (organized: or-ga-nized in en-US, or-gan-ized in en-GB), got '{english.text}'")
    newsroom = _read_newsroom(reader, mapping.items["newsroom"]) if "newsroom" in mapping.items else Newsroom()
    errors.raise_if_any()
    return Config(
        root=root,
        path=path,
        languages=tuple(languages),
        organisations=organisations,
        base_url=base_url.text.rstrip("/") + "/" if base_url else None,
        mail=mail,
        timezone=timezone,
        english=english.text if english else ENGLISH_VARIANTS[0],
        newsroom=newsroom,
    )


def _read_timezone(reader: Reader, mapping: Mapping) -> str | None:
    scalar = reader.text(mapping, "timezone")
    if scalar is None:
        return None
    try:
        zoneinfo.ZoneInfo(scalar.text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        reader.error(scalar.line, f"unknown timezone '{scalar.text}'; use an IANA name such as Europe/Istanbul "
                     "or Asia/Almaty")
        return None
    return scalar.text


_NOT_AN_ADDRESS = "'{}' must be an address such as press@example.org, got '{}'"


# The sitemap protocol's limit per file (sitemaps.org); a smaller size is allowed.
SITEMAP_LIMIT = 50_000


def _read_newsroom(reader: Reader, node: Node) -> Newsroom:
    newsroom = reader.mapping(node, "'newsroom'", example="page_size: 20")
    if newsroom is None:
        return Newsroom()
    reader.check_keys(newsroom, "'newsroom'", *NEWSROOM_KEYS)
    limits = {"page_size": 1000, "feed_size": 1000, "sitemap_size": SITEMAP_LIMIT}
    values = {}
    for key, most in limits.items():
        scalar = reader.text(newsroom, key)
        if scalar is None:
            continue
        if not scalar.text.isdigit() or not 1 <= int(scalar.text) <= most:
            reader.error(scalar.line, f"'{key}' must be a whole number from 1 to {most:,}, got '{scalar.text}'")
            continue
        values[key] = int(scalar.text)
    return Newsroom(**values)


# The ports mail programs assume for each kind of connection (RFC 8314, RFC 6409, RFC 5321).
DEFAULT_SMTP_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


def _read_mail(reader: Reader, node: Node, line: int) -> MailConfig | None:
    mail = reader.mapping(node, "'mail'")
    if mail is None:
        return None
    reader.check_keys(mail, "'mail'", *MAIL_KEYS)
    host_line = mail.key_lines.get("smtp", line)
    sender = reader.text(mail, "from")
    media = reader.text(mail, "media_list")
    unsubscribe = reader.text(mail, "unsubscribe")
    if unsubscribe and not is_address(unsubscribe.text):
        reader.error(unsubscribe.line, _NOT_AN_ADDRESS.format("unsubscribe", unsubscribe.text))
    smtp = {}
    if "smtp" in mail.items:
        smtp_node = reader.mapping(mail.items["smtp"], "'smtp'")
        if smtp_node:
            reader.check_keys(smtp_node, "'smtp'", *SMTP_KEYS)
            host, port, user = reader.text(smtp_node, "host"), reader.text(smtp_node, "port"), reader.text(smtp_node, "username")
            security = reader.choice(smtp_node, "security", SMTP_SECURITY) if "security" in smtp_node.items else None
            if host:
                smtp["host"], host_line = host.text, host.line
            if port:
                if port.text.isdigit() and 0 < int(port.text) < 65536:
                    smtp["port"] = int(port.text)
                else:
                    reader.error(port.line, f"'port' must be a number from 1 to 65535, got '{port.text}'")
            if security:
                smtp["security"] = security
            wait = reader.text(smtp_node, "timeout")
            if wait:
                if wait.text.isdigit() and 0 < int(wait.text) <= 600:
                    smtp["timeout"] = int(wait.text)
                else:
                    reader.error(wait.line, f"'timeout' must be a number of seconds from 1 to 600, got '{wait.text}'")
            smtp.setdefault("port", DEFAULT_SMTP_PORTS[smtp.get("security", "starttls")])
            if user and smtp.get("security") == "none":
                reader.error(user.line, "a 'username' with security 'none' would send the password unencrypted; "
                             "use security 'starttls' or 'ssl'")
            elif user:
                smtp["username"] = user.text
    if sender and not is_address(sender.text):
        reader.error(sender.line, _NOT_AN_ADDRESS.format("from", sender.text))
        return None
    if sender is None:
        return None
    return MailConfig(sender=sender.text, media_list=media.text if media else "media.csv",
                      unsubscribe=unsubscribe.text if unsubscribe else sender.text, sender_line=sender.line,
                      host_line=host_line, **smtp)


def _read_languages(reader: Reader, mapping: Mapping, root: Path) -> list[str]:
    languages: list[str] = []
    items = reader.list(mapping, "languages")
    listed = [item.text for item in items if isinstance(item, Scalar) and not item.is_null]
    for item in items:
        if not isinstance(item, Scalar) or item.is_null:
            reader.error(item.line, "each language must be a code such as 'en', 'tr' or 'kk'")
        elif not is_known_language(item.text):
            reader.error(item.line, f"unknown language '{item.text}'; use a CLDR code such as 'en', 'tr' or 'kk'")
        elif cldr_spelling(item.text) != item.text:
            # 'FR' or 'fra' was another language to pressgen than 'fr': a trial's French went offline.
            reader.error(item.line, f"write '{cldr_spelling(item.text)}', as CLDR writes {english_name(cldr_spelling(item.text))}, not "
                         f"'{item.text}': catalogs, published/ and out/ keep a language in folders by its code")
        elif item.text in languages:
            reader.error(item.line, f"language '{item.text}' is listed twice; keep one")
        else:
            languages.append(item.text)
            moved = _moved_language(root, item.text, listed)
            if moved:
                reader.error(item.line, moved)
    if "languages" in mapping.items and not languages and not reader.errors:
        reader.error(mapping.key_lines["languages"], "'languages' must list at least one language")
    return languages


def _moved_language(root: Path, code: str, listed: list[str]) -> str | None:
    """Why ``code`` (fr-FR), new to the office, is most likely a slip for the code its language
    has been published under (fr), which pressgen.yaml no longer lists: a trial's `fr-FR` took its
    French pages offline, and left its catalogs unused, with a warning alone."""
    if any((root / folder / code).is_dir() for folder in (LOCALES_DIR, PUBLISHED_DIR)):
        return None
    base = base_language(code)
    for before in sorted(p.name for folder in (LOCALES_DIR, PUBLISHED_DIR) if (root / folder).is_dir()
                         for p in (root / folder).iterdir() if p.is_dir()):
        if before != code and before not in listed and base_language(before) == base:
            held = [f"{folder}/{before}/" for folder in (LOCALES_DIR, PUBLISHED_DIR) if (root / folder / before).is_dir()]
            return (f"'{code}' is new to this office, and {english_name(base)} is in {' and '.join(held)} under "
                    f"'{before}', which pressgen.yaml no longer lists: write '{before}' to go on with them; to move them "
                    f"to '{code}', rename {'those folders' if len(held) > 1 else 'that folder'} first")
    return None


REFERENCE_NUMBER = "{number}"
"""Where a reference_label puts the record's reference."""


def _read_organisation(reader: Reader, key: str, node: Node) -> Organisation | None:
    org = reader.mapping(node, f"organisation '{key}'")
    if org is None:
        return None
    where = f"organisation '{key}'"
    reader.check_keys(org, where, *ORGANISATION_KEYS)
    name = reader.text(org, "name")
    short_name = reader.text(org, "short_name")
    if name is None or short_name is None:
        return None

    def text(scalar: Scalar | None, field: str, note: str = "") -> Text | None:
        return Text(scalar.text, scalar.line, f"{key}: {field}", note) if scalar else None

    website = reader.text(org, "website")
    if website and not _is_web_address(website.text):
        # It becomes a link on every page, as base_url does: 'www.x.org' would be a relative one.
        reader.error(website.line, f"'website' of '{key}' must be a web address, such as "
                     f"https://www.example.org, got '{website.text}'")
        website = None
    logo = reader.text(org, "logo")
    reference_label = reader.text(org, "reference_label")
    if reference_label and REFERENCE_NUMBER not in reference_label.text:
        reader.error(reference_label.line, f"'reference_label' must show where the number goes with "
                     f"'{REFERENCE_NUMBER}', as in 'No: {REFERENCE_NUMBER}'; got '{reference_label.text}'")
    return Organisation(
        key=key,
        name=text(name, "name", "The organisation's full name, as in its letterhead."),
        short_name=text(short_name, "short name", "Short name or acronym, as in datelines: 'TÜRKSOY', 'ТҮРКСОЙ'."),
        about=text(reader.text(org, "about"), "about", "The 'About' boilerplate, printed at the end of each statement."),
        credit=text(reader.text(org, "credit"), "credit", "The credit line at the foot of every release."),
        dateline=text(reader.text(org, "dateline"), "dateline",
                      "The name in wire datelines, in capitals exactly as the agency writes it: 'KAZINFORM', 'ҚАЗАҚПАРАТ'."),
        website=website.text if website else None,
        logo=logo.text if logo else None,
        contacts=tuple(read_contacts(reader, org, f"{key}: contact")),
        sender=_read_sender(reader, key, org) if "mail" in org.items else None,
        reference_label=text(reference_label, "reference label",
                             "How a document's reference number is printed; keep {number} where the number "
                             "goes: 'No: {number}', '№ {number}'."),
        former_keys=tuple(_read_former_keys(reader, key, org)),
    )


def _read_former_keys(reader: Reader, key: str, org: Mapping) -> list[str]:
    """The keys an organisation had before it was renamed: records and published versions that
    name one are its, and its office texts keep their translations."""
    keys: list[str] = []
    for item in reader.list(org, "former_keys"):
        if not isinstance(item, Scalar) or item.is_null or not KEY_PATTERN.match(item.text):
            reader.error(item.line, f"each former key of '{key}' must be a key it had, of lower-case letters, "
                         "digits, '-' or '_'")
        elif item.text == key or item.text in keys:
            reader.error(item.line, f"'{item.text}' is listed twice" if item.text in keys else
                         f"'{key}' cannot be a former key of its own")
        else:
            keys.append(item.text)
    return keys


def _check_former_keys(reader: Reader, organisations: dict[str, Organisation], orgs: Mapping | None) -> None:
    """A former key names one organisation, and no organisation of today."""
    seen: dict[str, str] = {}
    for key, org in organisations.items():
        for former in org.former_keys:
            line = orgs.key_lines.get(key) if orgs else None
            if former in organisations:
                reader.error(line, f"'{former}' is a former key of '{key}' and an organisation of its own; keep one")
            elif former in seen:
                reader.error(line, f"'{former}' is a former key of both '{seen[former]}' and '{key}'; keep one")
            seen[former] = key


def _read_sender(reader: Reader, key: str, org: Mapping) -> Sender | None:
    """An organisation's own From line: 'from' (else the office's mail.from), 'name' (else its name)."""
    where = f"organisation '{key}': 'mail'"
    mail = reader.mapping(org.items["mail"], where, org.key_lines["mail"], example="from: press@ministry.example")
    if mail is None:
        return None
    reader.check_keys(mail, where, *SENDER_KEYS)
    email, name = reader.text(mail, "from"), reader.text(mail, "name")
    if email and not is_address(email.text):
        reader.error(email.line, _NOT_AN_ADDRESS.format("from", email.text))
        return None
    if email is None and name is None:
        if not mail.items:  # else a misspelt key is reported, which says enough
            reader.error(org.key_lines["mail"], f"{where} needs 'from' (its address), 'name' (the sender's name) or both")
        return None
    return Sender(
        email=email.text if email else None,
        name=Text(name.text, name.line, f"{key}: sender name",
                  "The sender's name in the From line of the release's mail.") if name else None,
    )


def read_contacts(reader: Reader, mapping: Mapping, context: str) -> list[Contact]:
    """The 'contacts' list of a record or an organisation."""
    contacts = []
    for item in reader.list(mapping, "contacts"):
        contact = reader.mapping(item, "a contact")
        if contact is None:
            continue
        reader.check_keys(contact, "a contact", *CONTACT_KEYS)
        name = reader.text(contact, "name")
        role = reader.text(contact, "role")
        blank = contact.items.get("email")
        if isinstance(blank, Scalar) and (blank.is_null or not blank.text.strip()):
            # 'email:' with nothing after it was read as no address, and a trial's mail went out
            # with no Reply-To. A contact without an address leaves the line out.
            reader.error(contact.key_lines["email"], f"{empty_field('email')} (journalists' replies to the mail go "
                         "to it), or delete the line if the contact has none")
            email = None
        else:
            email = reader.text(contact, "email")
        phone = reader.text(contact, "phone")
        if email and not EMAIL_PATTERN.fullmatch(email.text):
            reader.error(email.line, f"'email' must be an address such as press@example.org, got '{email.text}'")
        if name:
            contacts.append(
                Contact(
                    name=Text(name.text, name.line, f"{context} name"),
                    role=Text(role.text, role.line, f"{context} role") if role else None,
                    email=email.text if email else None,
                    phone=phone.text if phone else None,
                )
            )
    return contacts
