"""pressgen mail against a real SMTP server on 127.0.0.1: what journalists receive."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from conftest import run_cli
from smtpserver import Server

MEDIA = """name,email,outlet,language,lists
Ayşe Yılmaz,ayse@gazete.example,Gazete,tr,culture
Мәдина Оспанова,madina@kazakh.example,Kazakh News,kk,culture;kazakhstan
John Smith,john@wire.example,Wire,en,international
Азамат Нұрланов,azamat@almaty.example,Almaty Daily,kk,kazakhstan
"""


@pytest.fixture
def smtp():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def office_with_media(project, smtp):
    root = project("minimal")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text() + f"""
mail:
  from: press@office.example
  smtp:
    host: 127.0.0.1
    port: {smtp.port}
    security: none
""")
    (root / "media.csv").write_text(MEDIA, encoding="utf-8")
    return root


def mail(root: Path, *args: str):
    return run_cli("mail", "hello", "--project", str(root), *args)


def test_dry_run_writes_one_eml_per_recipient(office_with_media, smtp):
    result = mail(office_with_media)
    assert result.exit_code == 0, result.output
    emls = sorted((office_with_media / "out/mail/hello").glob("*.eml"))
    assert len(emls) == 4
    assert smtp.recorder.messages == []  # nothing sent without --send
    for path in emls:
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        assert len(message.get_all("To")) == 1 and "," not in str(message["To"])
        assert message["Cc"] is None and message["Bcc"] is None


def test_send_delivers_one_message_per_journalist_in_their_language(office_with_media, smtp):
    result = mail(office_with_media, "--send")
    assert result.exit_code == 0, result.output
    assert "4 sent, 0 already sent before, 0 refused" in result.stdout
    recorder = smtp.recorder
    assert sorted(rcpts[0] for _, rcpts in recorder.envelopes) == [
        "ayse@gazete.example", "azamat@almaty.example", "john@wire.example", "madina@kazakh.example"]
    assert all(len(rcpts) == 1 for _, rcpts in recorder.envelopes)
    by_address = {m["To"].addresses[0].addr_spec: m for m in recorder.messages}

    kk = by_address["madina@kazakh.example"]
    assert kk["To"].addresses[0].display_name == "Мәдина Оспанова"
    assert kk["Subject"] == "Ыстанбұлдан сәлем"
    assert kk["Content-Language"] == "kk"
    assert kk["From"].addresses[0].display_name == "Мәдениет кеңсесі"
    assert kk["From"].addresses[0].addr_spec == "press@office.example"
    assert kk["Reply-To"].addresses[0].addr_spec == "press@office.example"
    assert kk["Message-ID"] and kk["Date"]
    attachments = list(kk.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["hello-kk.pdf"]
    assert attachments[0].get_content().startswith(b"%PDF-")
    text = kk.get_body(("plain",)).get_content()
    html = kk.get_body(("html",)).get_content()
    assert "Сынақтарға арналған қысқа релиз." in text and "https://news.office.example/kk/hello.html" in text
    assert '<html lang="kk">' in html and "Баспасөз үшін байланыс" in html

    tr = by_address["ayse@gazete.example"]
    assert tr["Subject"] == "İstanbul'dan merhaba"
    assert [a.get_filename() for a in tr.iter_attachments()] == ["hello-tr.pdf"]


def test_rerun_sends_nothing_twice(office_with_media, smtp):
    assert mail(office_with_media, "--send").exit_code == 0
    result = mail(office_with_media, "--send")
    assert "0 sent, 4 already sent before, 0 refused" in result.stdout
    assert len(smtp.recorder.messages) == 4


def test_interrupted_run_resumes_without_duplicates(office_with_media, smtp):
    smtp.recorder.close_after = 2
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("the SMTP server closed the connection after 2 of 4 message(s); run the same "
                                     "command again to send the rest (the sent log keeps what went out)")
    assert "Traceback" not in result.output
    smtp.recorder.close_after = None
    result = mail(office_with_media, "--send")
    assert result.exit_code == 0
    assert "2 sent, 2 already sent before, 0 refused" in result.stdout
    delivered = [rcpts[0] for _, rcpts in smtp.recorder.envelopes]
    assert len(delivered) == 4 and len(set(delivered)) == 4


def test_refused_recipient_is_reported_and_the_others_go(office_with_media, smtp):
    smtp.recorder.refuse = {"john@wire.example"}
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert "media.csv:4: john@wire.example refused by the server: 550 5.1.1 Mailbox unavailable" in result.stderr
    assert len(smtp.recorder.messages) == 3
    smtp.recorder.refuse = set()
    assert "1 sent, 3 already sent before" in mail(office_with_media, "--send").stdout


def test_list_filter(office_with_media, smtp):
    assert mail(office_with_media, "--send", "--list", "kazakhstan").exit_code == 0
    assert sorted(r[0] for _, r in smtp.recorder.envelopes) == ["azamat@almaty.example", "madina@kazakh.example"]


def test_language_not_ready_falls_back_to_english(office_with_media, smtp):
    po = office_with_media / "locales/kk/releases/hello.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Бірінші абзац."', 'msgstr ""'), encoding="utf-8")
    assert mail(office_with_media, "--send").exit_code == 0
    kk = next(m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "madina@kazakh.example")
    assert kk["Content-Language"] == "en" and kk["Subject"] == "Hello from Istanbul"
    assert [a.get_filename() for a in kk.iter_attachments()] == ["hello-en.pdf"]


def test_embargo_in_the_subject(office_with_media, smtp):
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text() + "embargo: 2099-01-01 09:00 Europe/Istanbul\n")
    assert mail(office_with_media, "--send", "--list", "culture").exit_code == 0
    tr = next(m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "ayse@gazete.example")
    assert tr["Subject"].startswith("[1 Ocak 2099, 09:00 (") and tr["Subject"].endswith(
        ") tarihine kadar ambargolu] İstanbul'dan merhaba")


def test_withdrawn_release_is_never_mailed(office_with_media, smtp):
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text() + "withdrawn: 2011-04-10\n")
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert result.stderr == "releases/hello.yaml: this release was withdrawn on 2011-04-10; it is never mailed\n"
    assert smtp.recorder.messages == []


def test_media_list_errors_name_their_rows(office_with_media, smtp):
    (office_with_media / "media.csv").write_text(
        MEDIA + "Bad Address,not-an-address,X,en,\nUnknown,who@x.example,X,fr,\nTwice,JOHN@wire.example,X,en,\n",
        encoding="utf-8")
    result = mail(office_with_media)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "media.csv:6: 'not-an-address' is not an email address",
        "media.csv:7: unknown language 'fr' for who@x.example; use one of en, tr, kk",
        "media.csv:8: JOHN@wire.example is already on line 4; list each journalist once",
    ]


def test_password_only_from_the_environment(office_with_media, smtp, monkeypatch):
    config = office_with_media / "pressgen.yaml"
    config.write_text(config.read_text().replace("    security: none\n", "    security: none\n    username: press\n"))
    monkeypatch.delenv("PRESSGEN_SMTP_PASSWORD", raising=False)
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert "set the SMTP password in the PRESSGEN_SMTP_PASSWORD environment variable" in result.stderr


def test_check_reviews_the_media_list(office_with_media):
    (office_with_media / "media.csv").write_text(MEDIA + "Nobody,nobody@,X,en,\n", encoding="utf-8")
    result = run_cli("check", "--project", str(office_with_media))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["media.csv:6: 'nobody@' is not an email address"]
