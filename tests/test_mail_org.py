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
    assert not (root / "mail").exists()


def test_the_subject_has_the_apostrophe_the_body_prints(project, smtp):
    root = ministry(project, smtp.port)
    assert send(root).exit_code == 0
    turkish = received(smtp)["ayse@gazete.example"]
    assert turkish["Subject"] == "İstanbul’dan merhaba"
    assert "İstanbul’dan merhaba" in turkish.get_body(("html",)).get_content()


def test_every_message_offers_an_unsubscribe_by_mail(project, smtp):
    root = ministry(project, smtp.port)
    assert send(root).exit_code == 0
    assert set(headers(smtp, "List-Unsubscribe").values()) == {"<mailto:press@office.example?subject=unsubscribe>"}


def test_the_office_chooses_the_unsubscribe_address(project, smtp):
    root = ministry(project, smtp.port, mail_extra="\n  unsubscribe: unsubscribe@office.example")
    assert send(root).exit_code == 0
    assert set(headers(smtp, "List-Unsubscribe").values()) == {
        "<mailto:unsubscribe@office.example?subject=unsubscribe>"}


def test_a_bad_unsubscribe_address_is_an_error_at_its_line(project, smtp):
    root = ministry(project, smtp.port, mail_extra="\n  unsubscribe: opt-out")
    result = run_cli("check", "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.strip() == ("pressgen.yaml:24: 'unsubscribe' must be an address such as press@example.org, "
                                     "got 'opt-out'")


OPTED_OUT = """name,email,outlet,language,lists,opt_out
Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,culture,
Мәдина Оспанова,madina@kazakh.example,Kazakh News,kk,culture,2026-11-03
John Smith,john@wire.example,Wire,en,culture,yes
Azamat Nurlanov,azamat@almaty.example,Almaty Daily,kk,culture,no
"""


def test_who_opted_out_is_skipped_and_named_in_the_review_and_the_send(project, smtp):
    root = ministry(project, smtp.port)
    (root / "media.csv").write_text(OPTED_OUT, encoding="utf-8")
    skipped = ("media.csv:3: madina@kazakh.example opted out (2026-11-03); not mailed\n"
               "media.csv:4: john@wire.example opted out (yes); not mailed\n")
    review = run_cli("mail", "hello", "--project", str(root))
    assert review.exit_code == 0, review.output
    assert review.stdout == skipped + "2 messages written to mail/hello/ for review; send them with --send\n"
    assert sorted(p.name for p in (root / "mail/hello").glob("*.eml")) == [
        "0002-ayse-gazete-example.eml", "0005-azamat-almaty-example.eml"]

    result = send(root)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(skipped + "2 sent, 0 already sent before, 0 refused, 2 opted out\n")
    assert sorted(rcpts[0] for _, rcpts in smtp.recorder.envelopes) == ["ayse@gazete.example", "azamat@almaty.example"]

    result = send(root, "--resend", "john@wire.example")
    assert result.exit_code == 2
    assert result.stderr.strip() == "--resend john@wire.example: line 4 of media.csv says they opted out (yes)"
    assert len(smtp.recorder.messages) == 2


def test_the_opt_out_column_may_be_spelt_as_a_spreadsheet_heading(project, smtp):
    root = ministry(project, smtp.port)
    (root / "media.csv").write_text(OPTED_OUT.replace(",opt_out\n", ",Opt-out\n"), encoding="utf-8")
    review = run_cli("mail", "hello", "--project", str(root))
    assert review.exit_code == 0, review.output
    assert review.stdout.startswith("media.csv:3: madina@kazakh.example opted out (2026-11-03); not mailed\n")


def test_an_unclear_opt_out_is_an_error_at_its_line_before_anything_is_sent(project, smtp):
    root = ministry(project, smtp.port)
    (root / "media.csv").write_text(OPTED_OUT.replace(",yes\n", ",unsubscribed\n"), encoding="utf-8")
    message = ("media.csv:4: opt_out of john@wire.example must be empty, 'no', 'yes' or the date they asked not to "
               "be mailed (YYYY-MM-DD), got 'unsubscribed'")
    for command in (["check"], ["mail", "hello", "--send"]):
        result = run_cli(*command, "--project", str(root))
        assert result.exit_code == 1, result.output
        assert result.stderr.strip() == message
    assert smtp.recorder.messages == []


def test_the_body_says_how_to_stop_the_releases_in_the_journalist_s_language(project, smtp):
    root = ministry(project, smtp.port, mail_extra="\n  unsubscribe: unsubscribe@office.example")
    assert send(root).exit_code == 0
    messages = received(smtp)
    expected = {
        "john@wire.example": "To stop receiving our releases, write to unsubscribe@office.example with the subject "
                             "“unsubscribe”.",
        "ayse@gazete.example": "Bültenlerimizi almak istemiyorsanız unsubscribe@office.example adresine “unsubscribe” "
                               "konulu bir e-posta gönderin.",
        "madina@kazakh.example": "Релиздерімізді алғыңыз келмесе, unsubscribe@office.example мекенжайына «unsubscribe» "
                                 "тақырыбымен хат жіберіңіз.",
    }
    for address, line in expected.items():
        plain = messages[address].get_body(("plain",)).get_content()
        assert plain.rstrip("\n").splitlines()[-1] == line
        html = messages[address].get_body(("html",)).get_content()
        assert html.splitlines()[-3:] == [
            f'<p style="font-family: Arial, sans-serif; font-size: 12px; color: #5b6470;">{line}</p>', "</body>", "</html>"]
