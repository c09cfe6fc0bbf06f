"""pressgen mail against a real SMTP server on 127.0.0.1: what journalists receive."""

from __future__ import annotations

import re
import socket
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from pathlib import Path

import pytest

from conftest import edit, run_cli
from htmlread import Page
from pressgen import load_project
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


def office(project, port: int, security: str = "none", username: str | None = None) -> Path:
    root = project("minimal")
    config = root / "pressgen.yaml"
    login = f"\n    username: {username}" if username else ""
    config.write_text(config.read_text() + f"""
mail:
  from: press@office.example
  smtp:
    host: 127.0.0.1
    port: {port}
    security: {security}{login}
""")
    (root / "media.csv").write_text(MEDIA, encoding="utf-8")
    return root


@pytest.fixture
def office_with_media(project, smtp):
    return office(project, smtp.port)


def mail(root: Path, *args: str):
    return run_cli("mail", "hello", "--project", str(root), *args)


def test_dry_run_writes_one_eml_per_recipient(office_with_media, smtp):
    result = mail(office_with_media)
    assert result.exit_code == 0, result.output
    emls = sorted((office_with_media / "mail/hello").glob("*.eml"))
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
    assert tr["Subject"] == "İstanbul’dan merhaba"  # the apostrophe the body and the PDF print
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
    assert result.stderr.strip() == ("the SMTP server closed the connection after 2 of 4 message(s): 421 4.3.2 Service "
                                     "shutting down; it is not taking mail for now: try again later with the same "
                                     "command, which sends only what is left (messages already sent are not sent again)")
    assert "Traceback" not in result.output
    smtp.recorder.close_after = None
    result = mail(office_with_media, "--send")
    assert result.exit_code == 0
    assert "2 sent, 2 already sent before, 0 refused" in result.stdout
    delivered = [rcpts[0] for _, rcpts in smtp.recorder.envelopes]
    assert len(delivered) == 4 and len(set(delivered)) == 4


def test_a_server_over_its_limit_is_said_in_its_words_with_what_to_do(office_with_media, smtp):
    """The trial's server answered 421 to everything after five messages; the rerun printed
    `(421, b'4.3.2 Service not available, closing transmission channel')`."""
    smtp.recorder.unavailable_after = 2
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert result.stderr == ("the SMTP server closed the connection after 2 of 4 message(s): 421 4.3.2 Service not "
                             "available, closing transmission channel; it is not taking mail for now: try again later "
                             "with the same command, which sends only what is left (messages already sent are not "
                             "sent again)\n")
    result = mail(office_with_media, "--send")  # now refused at the greeting
    assert result.exit_code == 1
    assert result.stderr == (f"the SMTP server 127.0.0.1:{smtp.port} is not taking mail for now: 421 4.3.2 Service not "
                             "available, closing transmission channel; try again later with the same command, which "
                             "sends only what is left (messages already sent are not sent again)\n")
    smtp.recorder.unavailable_after = None
    assert "2 sent, 2 already sent before, 0 refused" in mail(office_with_media, "--send").stdout
    assert len(smtp.recorder.messages) == 4


def test_a_sender_the_server_refuses_is_said_once_at_its_line_and_the_run_stops(office_with_media, smtp):
    """A trial's server refused mail.from (553 at MAIL FROM): pressgen said so once a journalist,
    telling each time to check the address in the media list."""
    smtp.recorder.refuse_sender = True
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    line = (office_with_media / "pressgen.yaml").read_text().splitlines().index("  from: press@office.example") + 1
    assert result.stderr == (f"pressgen.yaml:{line}: the SMTP server 127.0.0.1:{smtp.port} refused the sender "
                             "press@office.example: 553 5.7.1 <press@office.example>: Sender address rejected: not "
                             "owned by user; the run stopped after 0 of 4 message(s): set mail's from to an address "
                             "the account may send as, then run the same command again, which sends only what is "
                             "left\n")
    assert smtp.recorder.transactions == 1  # nothing more was tried
    assert result.stdout.splitlines()[-1] == "0 sent, 0 already sent before, 0 refused"
    assert len(list((office_with_media / "mail/hello").glob("*.eml"))) == 4  # all still to send
    smtp.recorder.refuse_sender = False
    assert "4 sent, 0 already sent before, 0 refused" in mail(office_with_media, "--send").stdout


def test_refused_recipient_is_reported_and_the_others_go(office_with_media, smtp):
    smtp.recorder.refuse = {"john@wire.example"}
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert ("media.csv:4: john@wire.example refused by the server: 550 5.1.1 Mailbox unavailable; the server will not "
            "take it: check the address in the media list (or the message, if the reply names it), then run the same "
            "command again, which sends only what is left") in result.stderr.splitlines()
    assert len(smtp.recorder.messages) == 3
    smtp.recorder.refuse = set()
    assert "1 sent, 3 already sent before" in mail(office_with_media, "--send").stdout


def test_a_recipient_refused_for_now_is_told_to_be_tried_again(office_with_media, smtp):
    """A 451 (greylisting) and a 550 read the same to a trial: which to fix, which to wait for?"""
    smtp.recorder.defer = {"john@wire.example"}
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert ("media.csv:4: john@wire.example refused by the server: 451 4.7.1 Try again later; the server refuses it "
            "for now: run the same command again later, which sends only what is left") in result.stderr.splitlines()
    smtp.recorder.defer = set()
    assert "1 sent, 3 already sent before" in mail(office_with_media, "--send").stdout


def test_list_filter(office_with_media, smtp):
    assert mail(office_with_media).exit_code == 0
    assert mail(office_with_media, "--list", "kazakhstan").exit_code == 0
    # The review folder holds what this run would send, not the whole list of the run before.
    folder = office_with_media / "mail/hello"
    assert sorted(p.name for p in folder.glob("*.eml")) == [
        "0003-madina-kazakh-example.eml", "0005-azamat-almaty-example.eml"]
    assert mail(office_with_media, "--send", "--list", "kazakhstan").exit_code == 0
    assert sorted(r[0] for _, r in smtp.recorder.envelopes) == ["azamat@almaty.example", "madina@kazakh.example"]
    # Sent, they are no longer to review; the others of the list are, in a run for all.
    assert list(folder.glob("*.eml")) == []
    assert mail(office_with_media).exit_code == 0
    assert sorted(p.name for p in folder.glob("*.eml")) == [
        "0002-ayse-gazete-example.eml", "0004-john-wire-example.eml"]
    result = mail(office_with_media, "--list", "cultre")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("nobody in media.csv is on the list 'cultre'; its lists: culture, "
                                     "international, kazakhstan")


def test_language_not_ready_falls_back_to_english(office_with_media, smtp):
    po = office_with_media / "locales/kk/releases/hello.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Бірінші абзац."', 'msgstr ""'), encoding="utf-8")
    review = mail(office_with_media)
    assert review.exit_code == 0
    # The officer sees it before sending, not after.
    assert ("note: the kk version is not ready; 2 recipient(s) get the en one: madina@kazakh.example, "
            "azamat@almaty.example") in review.stderr
    assert mail(office_with_media).exit_code == 0  # to review: the .eml files as they will be sent
    emls = {path: path.read_bytes() for path in (office_with_media / "mail/hello").glob("*.eml")}
    assert mail(office_with_media, "--send").exit_code == 0
    kk = next(m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "madina@kazakh.example")
    assert kk["Content-Language"] == "en" and kk["Subject"] == "Hello from Istanbul"
    assert [a.get_filename() for a in kk.iter_attachments()] == ["hello-en.pdf"]


def test_a_review_after_a_send_holds_only_what_the_next_send_sends(office_with_media, smtp):
    """A journalist added after the release went out to the others: the review showed a message
    for everyone, and its notes named journalists who would get nothing."""
    root = office_with_media
    assert mail(root, "--send", "--list", "culture").exit_code == 0
    (root / "media.csv").write_text(MEDIA + "Ерлан Әлиев,erlan@astana.example,Astana Times,kk,culture\n",
                                    encoding="utf-8")
    po = root / "locales/kk/releases/hello.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Бірінші абзац."', 'msgstr ""'), encoding="utf-8")
    review = mail(root, "--list", "culture")
    assert review.exit_code == 0, review.output
    assert review.stdout.splitlines()[-1] == ("1 message written to mail/hello/ for review; 2 already sent "
                                              "before; send it with --send --list culture")
    assert sorted(p.name for p in (root / "mail/hello").glob("*.eml")) == ["0006-erlan-astana-example.eml"]
    # The note names only who gets a message in this run: not madina@, who had hers in Kazakh.
    assert review.stderr.startswith("note: the kk version is outdated (") and review.stderr.endswith(
        "; 1 recipient(s) get the en one: erlan@astana.example\n")
    sent = mail(root, "--send", "--list", "culture")
    assert "1 sent, 2 already sent before" in sent.stdout
    assert [m["To"].addresses[0].addr_spec for m in smtp.recorder.messages][-1] == "erlan@astana.example"
    assert mail(root, "--list", "culture").stdout.splitlines()[-1] == "Nothing to send: 3 already sent before."


def test_embargo_in_the_subject(office_with_media, smtp):
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text() + "embargo: 2099-01-01 09:00 Europe/Istanbul\n")
    assert mail(office_with_media, "--send", "--list", "culture").exit_code == 0
    tr = next(m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "ayse@gazete.example")
    assert tr["Subject"].startswith("[1 Ocak 2099, 09:00 (") and tr["Subject"].endswith(
        ") tarihine kadar ambargolu] İstanbul’dan merhaba")
    assert "<title>İstanbul’dan merhaba</title>" in tr.get_body(("html",)).get_content()  # as the subject prints it
    # And the body, which is forwarded or printed without the subject (found by a trial).
    notice = tr["Subject"][1:tr["Subject"].index("]")]
    assert tr.get_body(("plain",)).get_content().startswith(f"{notice}\r\n\r\nİstanbul’dan merhaba\r\n")
    assert f" {notice} Kültür Ofisi İstanbul’dan merhaba " in Page(tr.get_body(("html",)).get_content()).text


def test_long_turkish_and_kazakh_headers_arrive_intact_within_the_rfc_limits(office_with_media, smtp):
    """Long subjects and names are folded into encoded words of at most 75 characters,
    bodies and the PDF into lines of at most 78, and both read back letter for letter."""
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text() + "embargo: 2099-01-01 09:00 Europe/Istanbul\n")
    long_name = "Халықаралық Түркі мәдениеті ұйымының баспасөз қызметі"
    po = office_with_media / "locales/kk/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Мәдениет кеңсесі"', f'msgstr "{long_name}"'),
                  encoding="utf-8")
    assert mail(office_with_media).exit_code == 0  # to review: the .eml files as they will be sent
    emls = {path: path.read_bytes() for path in (office_with_media / "mail/hello").glob("*.eml")}
    assert mail(office_with_media, "--send").exit_code == 0
    kk = next(m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "madina@kazakh.example")
    assert kk["Subject"].startswith("[Эмбарго: 2099") and kk["Subject"].endswith(
        ")] Ыстанбұлдан сәлем"), kk["Subject"]
    assert "  " not in kk["Subject"] and "]Ыстанбұлдан" not in kk["Subject"]
    # Read as RFC 2047 says (the whitespace between adjacent encoded words is no text);
    # CPython's modern parser puts a space there in a display name.
    eml = next(data for path, data in emls.items() if path.name.endswith("-madina-kazakh-example.eml"))
    raw_from = message_from_bytes(eml, policy=policy.compat32)["From"]
    assert str(make_header(decode_header(raw_from))) == f"{long_name} <press@office.example>"
    for path, raw in emls.items():
        head, _, body = raw.partition(b"\r\n\r\n")
        assert all(len(word) <= 75 for word in re.findall(rb"=\?[^?]+\?[bBqQ]\?[^?]*\?=", head)), path.name
        assert max(len(line) for line in head.split(b"\r\n")) <= 78, path.name
        assert max(len(line) for line in body.split(b"\r\n")) <= 78, path.name
    # Names are split between words, never inside one (a reader that shows the gap
    # between encoded words, as CPython's does, still shows whole words).
    assert all(word in long_name.split() for word in kk["From"].addresses[0].display_name.split())


def test_withdrawn_release_is_never_mailed(office_with_media, smtp):
    assert mail(office_with_media).exit_code == 0  # messages written for review before the withdrawal
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text() + "withdrawn: 2011-04-10\n")
    line = record.read_text().splitlines().index("withdrawn: 2011-04-10") + 1
    result = mail(office_with_media, "--send")
    assert result.exit_code == 1
    assert result.stderr == (f"releases/hello.yaml:{line}: this release was withdrawn on 2011-04-10; it is never "
                             "mailed (tell those who were sent it with --withdrawal)\n")
    assert smtp.recorder.messages == []
    assert list((office_with_media / "mail/hello").glob("*.eml")) == []


def test_media_list_errors_name_their_rows(office_with_media, smtp):
    (office_with_media / "media.csv").write_text(
        MEDIA + "Bad Address,not-an-address,X,en,\nUnknown,who@x.example,X,fr,\nTwice,JOHN@wire.example,X,en,\n",
        encoding="utf-8")
    result = mail(office_with_media)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "media.csv:6: 'not-an-address' is not an email address; correct it to the journalist's address, "
        "such as name@outlet.example",
        "media.csv:7: unknown language 'fr' for who@x.example; use one of en, tr, kk",
        "media.csv:8: JOHN@wire.example is already on line 4; list each journalist once",
    ]


def test_password_only_from_the_environment(project, smtp, monkeypatch):
    root = office(project, smtp.port, "starttls", username="press")
    monkeypatch.delenv("PRESSGEN_SMTP_PASSWORD", raising=False)
    result = mail(root, "--send")
    assert result.exit_code == 1
    assert result.stderr.strip() == ("set the SMTP password in the PRESSGEN_SMTP_PASSWORD environment variable "
                                     "(it is never read from a file)")


def test_a_password_is_never_sent_unencrypted(project, smtp):
    root = office(project, smtp.port, "none", username="press")
    result = mail(root, "--send")
    assert result.exit_code == 1
    line = (root / "pressgen.yaml").read_text().splitlines().index("    username: press") + 1
    assert result.stderr.strip() == (f"pressgen.yaml:{line}: a 'username' with security 'none' would send the password "
                                     "unencrypted; use security 'starttls' or 'ssl'")


@pytest.mark.parametrize("security, port", [("ssl", 465), ("starttls", 587), ("none", 25)])
def test_the_port_follows_the_security_unless_given(project, security, port):
    root = project("minimal")
    config = root / "pressgen.yaml"
    config.write_text(config.read_text() + f"mail:\n  from: press@office.example\n  smtp: {{host: mail.example, security: {security}}}\n")
    assert load_project(root).config.mail.port == port


# Encrypted connections, as a provider's submission server offers them: a certificate for
# 127.0.0.1 from a test authority that the client trusts through SSL_CERT_FILE.

LOGIN, PASSWORD = "press@office.example", "çay-şeker-123"


@pytest.fixture(scope="module")
def authority(tmp_path_factory):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    pem = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    return ca, pem


@pytest.fixture(params=["starttls", "ssl"])
def secure_server(request, authority):
    ca, _ = authority
    server = Server(request.param, certificate=ca.issue_cert("127.0.0.1"), logins={LOGIN: PASSWORD})
    yield request.param, server
    server.close()


def test_sends_over_tls_with_a_login(project, secure_server, authority, monkeypatch):
    security, server = secure_server
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[1]))
    monkeypatch.setenv("PRESSGEN_SMTP_PASSWORD", PASSWORD)
    root = office(project, server.port, security, username=LOGIN)
    result = mail(root, "--send")
    assert result.exit_code == 0, result.output
    assert "4 sent, 0 already sent before, 0 refused" in result.stdout
    assert len(server.recorder.messages) == 4


def test_a_wrong_password_is_reported_and_nothing_is_sent(project, secure_server, authority, monkeypatch):
    security, server = secure_server
    monkeypatch.setenv("SSL_CERT_FILE", str(authority[1]))
    monkeypatch.setenv("PRESSGEN_SMTP_PASSWORD", "wrong")
    root = office(project, server.port, security, username=LOGIN)
    result = mail(root, "--send")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip() == (f"the SMTP server 127.0.0.1:{server.port} refused the login of '{LOGIN}': 535 5.7.8 "
                                     "Authentication credentials invalid; check the username in pressgen.yaml and "
                                     "PRESSGEN_SMTP_PASSWORD")
    assert server.recorder.messages == []
    assert not (root / "mail/hello/sent.log").exists()


def test_an_untrusted_certificate_stops_before_the_password_is_sent(project, secure_server, monkeypatch):
    security, server = secure_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("PRESSGEN_SMTP_PASSWORD", PASSWORD)
    root = office(project, server.port, security, username=LOGIN)
    result = mail(root, "--send")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"the SMTP server 127.0.0.1:{server.port} is not trusted: unable to get local "
                                     "issuer certificate; if it uses a private certificate authority, point "
                                     "SSL_CERT_FILE at that authority's certificate")
    assert server.recorder.messages == []


def test_starttls_asked_of_a_server_without_it(project, smtp):
    result = mail(office(project, smtp.port, "starttls"), "--send")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"the SMTP server 127.0.0.1:{smtp.port} does not offer STARTTLS; "
                                     "check 'security' and 'username' in pressgen.yaml")


def test_a_contact_with_an_empty_email_stops_check_and_mail(office_with_media, smtp):
    """A trial's record said `email:` with nothing after it: check passed, and the mail went out
    with no Reply-To, so journalists' replies went nowhere."""
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text() + "contacts:\n  - name: Press Office\n    email:\n")
    line = record.read_text().splitlines().index("    email:") + 1
    expected = [f"releases/hello.yaml:{line}: 'email' is empty; write the contact's address after the colon, as in "
                "'email: press@example.org' (journalists' replies to the mail go to it), or delete the line if the "
                "contact has none"]
    checked = run_cli("check", "--project", str(office_with_media))
    assert (checked.exit_code, checked.stderr.splitlines()) == (1, expected)
    mailed = mail(office_with_media, "--send")
    assert (mailed.exit_code, mailed.stderr.splitlines()) == (1, expected)
    assert smtp.recorder.messages == []


@pytest.mark.parametrize("host", ["smtp.example.invalid", "'smtp.example.invalid '"])
def test_a_host_name_that_does_not_exist_is_said_at_its_line(project, host):
    """A trial's typo got the resolver's '[Errno -2] Name or service not known', no line, no advice."""
    root = office(project, 2525)
    edit(root / "pressgen.yaml", "host: 127.0.0.1", f"host: {host}")
    line = (root / "pressgen.yaml").read_text().splitlines().index(f"    host: {host}") + 1
    result = mail(root, "--send")
    assert result.exit_code == 1
    # Spaces around the name are no part of it: the name is looked up without them.
    assert result.stderr == (f"pressgen.yaml:{line}: cannot reach the SMTP server smtp.example.invalid:2525: no such "
                             "host name; check mail's host\n")


def test_a_port_where_nothing_listens_is_said_at_the_host_line(project):
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed again: nothing listens there
    root = office(project, port)
    line = (root / "pressgen.yaml").read_text().splitlines().index("    host: 127.0.0.1") + 1
    result = mail(root, "--send")
    assert result.exit_code == 1
    assert result.stderr == (f"pressgen.yaml:{line}: cannot reach the SMTP server 127.0.0.1:{port}: nothing answers "
                             f"on port {port}; check mail's host and port, and that the server is running\n")


def test_check_reviews_the_media_list(office_with_media):
    (office_with_media / "media.csv").write_text(MEDIA + "Nobody,nobody@,X,en,\n", encoding="utf-8")
    result = run_cli("check", "--project", str(office_with_media))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [("media.csv:6: 'nobody@' is not an email address; correct it to the journalist's "
                                          "address, such as name@outlet.example")]


def test_an_item_without_a_standfirst_leads_with_its_first_paragraph(office_with_media):
    record = office_with_media / "releases/hello.yaml"
    record.write_text(record.read_text().replace("summary: A short release for tests.\n", ""))
    assert mail(office_with_media).exit_code == 0
    eml = next((office_with_media / "mail/hello").glob("*-madina-kazakh-example.eml"))
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "Бірінші абзац." in message.get_body(("plain",)).get_content()
    assert "Бірінші абзац." in message.get_body(("html",)).get_content()


def test_a_renamed_release_is_not_mailed_again_to_those_who_had_it(office_with_media, smtp):
    """Its sent log is its former id's: 'pressgen mail new-id --send' after a rename mailed
    every journalist a second time."""
    root = office_with_media
    assert mail(root, "--send").exit_code == 0
    record = root / "releases/hello-world.yaml"
    (root / "releases/hello.yaml").rename(record)
    record.write_text("former_ids: [hello]\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    sent = len(smtp.recorder.messages)
    result = run_cli("mail", "hello-world", "--project", str(root), "--send")
    assert result.exit_code == 0, result.output
    assert "0 sent, 4 already sent before" in result.stdout
    assert len(smtp.recorder.messages) == sent


def test_a_version_behind_only_on_an_office_text_goes_out_as_it_is_online(office_with_media, smtp):
    """'about' edited in pressgen.yaml and not yet in the catalogs: the Turkish and Kazakh pages stay
    online with its previous translation, but mail sent those journalists the English version
    instead, saying their version's source had changed (found by a trial)."""
    root = office_with_media
    assert run_cli("build", "--project", str(root), "-q").exit_code == 0  # published in every language
    edit_text = (root / "pressgen.yaml").read_text(encoding="utf-8").replace(
        "publishes news about culture.", "publishes the news of culture.")
    (root / "pressgen.yaml").write_text(edit_text, encoding="utf-8")
    result = mail(root, "--send")
    assert result.exit_code == 0, result.output
    assert "note:" not in result.stderr
    by_address = {m["To"].addresses[0].addr_spec: m for m in smtp.recorder.messages}
    assert by_address["ayse@gazete.example"]["Content-Language"] == "tr"
    assert by_address["madina@kazakh.example"]["Content-Language"] == "kk"
    body = by_address["ayse@gazete.example"].get_body(("plain",)).get_content()
    assert "The Office of Culture" not in body
