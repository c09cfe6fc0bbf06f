"""What a journalist's mail program shows and offers: the sender per organisation, the
List-Unsubscribe header, the media list's opt-out column, the subject's typography.
Every message goes through a real SMTP server on 127.0.0.1 (tests/smtpserver.py)."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from conftest import edit, run_cli
from smtpserver import Server

MEDIA = """name,email,outlet,language,lists
Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,culture
Мәдина Оспанова,madina@kazakh.example,Kazakh News,kk,culture
John Smith,john@wire.example,Wire,en,culture
"""


@pytest.fixture
def smtp():
    server = Server()
    yield server
    server.close()


def ministry(project, port: int, mail_extra: str = "") -> Path:
    """tests/projects/ministry: a culture office that also sends a ministry's statements."""
    root = project("ministry")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text() + f"""
mail:
  from: press@office.example{mail_extra}
  smtp:
    host: 127.0.0.1
    port: {port}
    security: none
""", encoding="utf-8")
    (root / "media.csv").write_text(MEDIA, encoding="utf-8")
    return root


def send(root: Path, *args: str):
    return run_cli("mail", "hello", "--project", str(root), "--send", *args)


def received(smtp: Server) -> dict:
    return {m["To"].addresses[0].addr_spec: m for m in smtp.recorder.messages}


def headers(smtp: Server, name: str) -> dict[str, str]:
    """Recipient -> the header as RFC 2047 reads it: the whitespace between adjacent encoded
    words is no text (CPython's modern parser shows a space there)."""
    found = {}
    for raw in smtp.recorder.raw:
        message = message_from_bytes(raw, policy=policy.compat32)
        found[message["To"].rpartition("<")[2].rstrip(">")] = str(make_header(decode_header(message[name])))
    return found


def test_a_ministry_statement_goes_out_under_the_ministry_s_name_and_address(project, smtp):
    root = ministry(project, smtp.port)
    result = send(root)
    assert result.exit_code == 0, result.output
    assert headers(smtp, "From") == {
        "ayse@gazete.example": "Türkiye Cumhuriyeti Dışişleri Bakanlığı <press@mfa.example>",
        "madina@kazakh.example": "Түркия Республикасы Сыртқы істер министрлігі <press@mfa.example>",
        "john@wire.example": "Ministry of Foreign Affairs of the Republic of Türkiye <press@mfa.example>",
    }
    assert all(m["Message-ID"].endswith("@mfa.example>") for m in received(smtp).values())
    # Bounces still come back to the office, which keeps the media list.
    assert {mail_from for mail_from, _ in smtp.recorder.envelopes} == {"press@office.example"}


def test_an_organisation_without_its_own_address_uses_the_office_s(project, smtp):
    root = ministry(project, smtp.port)
    edit(root / "pressgen.yaml", "      from: press@mfa.example\n", "      name: MFA Press Office\n")
    assert send(root).exit_code == 0
    # The name is an office text: untranslated here, it is the English one in every language.
    assert set(headers(smtp, "From").values()) == {"MFA Press Office <press@office.example>"}


@pytest.mark.parametrize("mail_section, line, message", [
    ("    mail:\n      from: press@mfa\n", 17, "'from' must be an address such as press@example.org, got 'press@mfa'"),
    ("    mail:\n      from: basın@mfa.example\n", 17,
     "'from' must be an address such as press@example.org, got 'basın@mfa.example'"),
    ("    mail:\n      form: press@mfa.example\n", 17, "unknown field 'form' in organisation 'mfa': 'mail'; did you "
                                                      "mean 'from'?"),
    ("    mail: {}\n", 16, "organisation 'mfa': 'mail' needs 'from' (its address), 'name' (the sender's name) "
                         "or both"),
])
def test_a_bad_sender_is_an_error_at_its_line_in_check_and_mail(project, smtp, mail_section, line, message):
    root = ministry(project, smtp.port)
    edit(root / "pressgen.yaml", "    mail:\n      from: press@mfa.example\n", mail_section)
    for command in (["check"], ["mail", "hello", "--send"]):
        result = run_cli(*command, "--project", str(root))
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == f"pressgen.yaml:{line}: {message}"
        assert "Traceback" not in result.output
    assert smtp.recorder.messages == []
    assert not (root / "out" / "mail").exists()


def test_the_subject_has_the_apostrophe_the_body_prints(project, smtp):
    root = ministry(project, smtp.port)
    assert send(root).exit_code == 0
    turkish = received(smtp)["ayse@gazete.example"]
    assert turkish["Subject"] == "İstanbul’dan merhaba"
    assert "İstanbul’dan merhaba" in turkish.get_body(("html",)).get_content()
