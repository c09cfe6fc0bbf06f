"""A release corrected after it was mailed: who was sent an earlier text, and the correction."""

from __future__ import annotations

import datetime as dt
import re
import socket
from pathlib import Path

from conftest import edit, run_cli
from htmlread import Page
from test_mail_once import root, smtp  # noqa: F401  (fixtures: an office with a media list, its SMTP server)


def mail(root: Path, *args: str):
    return run_cli("mail", "hello", "--project", str(root), *args)


def test_a_journalist_sent_an_earlier_text_is_named_and_sent_the_correction(root, smtp):
    """A typo fixed after the release went out: the review said only 'Nothing to send', and the
    one way to send the corrected text was --resend, one address at a time, under the first
    message's Message-ID, which a mail system may drop as a copy (found by a trial)."""
    assert mail(root, "--send").exit_code == 0
    first = next(m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "ayse@gazete.example")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "İlk paragraf."', 'msgstr "Birinci paragraf."')
    said = "4 already sent before (1 of them an earlier text: send them this one, marked corrected, with --correction)"
    told = mail(root)
    assert told.stdout.splitlines()[-1] == f"Nothing to send: {said}."
    assert told.stderr == "note: sent an earlier text of it: ayse@gazete.example\n"
    review = mail(root, "--correction")
    assert review.stdout.splitlines()[-1] == ("1 message written to mail/hello/ for review; 3 already sent before; "
                                              "send it with --send --correction")
    # Said before it goes: a trial's journalists were told 'corrected' and not what (the page says nothing).
    assert ("warning: releases/hello.yaml: sent as corrected with no note of what changed: the mails say 'Corrected "
            "on …' and no more, and the page shows no correction; to say what was corrected, add it to the record "
            "(`corrections:` with `- date:` and `note:`) before sending") in review.stderr.splitlines()
    # As written, not RFC 2047 words a mail program cannot read as a Message-ID (found by a trial).
    raw = next((root / "mail/hello").glob("*.eml")).read_bytes()
    assert f"\r\nIn-Reply-To: {first['Message-ID']}\r\nReferences: {first['Message-ID']}\r\n".encode() in raw
    sent = mail(root, "--send", "--correction")
    assert sent.stdout.splitlines()[-1] == ("1 sent (1 of them marked corrected), 3 already sent before, 0 refused")
    assert [m["To"].addresses[0].addr_spec for m in smtp.recorder.messages[4:]] == ["ayse@gazete.example"]
    correction = smtp.recorder.messages[4]
    assert correction["Subject"].startswith("[") and correction["Subject"].endswith(
        " tarihinde düzeltildi] İstanbul’dan merhaba"), correction["Subject"]
    assert correction["Message-ID"] != first["Message-ID"]
    assert correction["In-Reply-To"] == correction["References"] == first["Message-ID"]
    head = correction.get_body(("plain",)).get_content().split("\r\n")[:3]
    # No `corrections:` note to follow: the line ends as a sentence (it ended in a colon; found by a trial).
    assert head[0].endswith(" tarihinde düzeltildi.") and head[1:] == ["", "İstanbul’dan merhaba"], head
    assert " tarihinde düzeltildi. Kültür Ofisi " in Page(correction.get_body(("html",)).get_content()).text
    # Sent: nobody is left with an earlier text, and nobody is sent anything twice.
    assert mail(root).stdout.splitlines()[-1] == "Nothing to send: 4 already sent before."
    assert mail(root, "--send", "--correction").stdout.splitlines()[-1] == "0 sent, 4 already sent before, 0 refused"
    assert len(smtp.recorder.messages) == 5


def test_a_tag_changed_after_the_release_went_out_is_no_correction(root, smtp):
    """A tag is printed nowhere but in the PDF's keywords: a trial's tag added was offered as a
    correction, and journalists would have been sent the same text again, marked corrected."""
    assert mail(root, "--send").exit_code == 0
    edit(root / "releases/hello.yaml", "tags: [culture]", "tags: []")
    assert run_cli("build", "--project", str(root), "--format", "pdf").exit_code == 0
    told = mail(root)
    assert told.stdout.splitlines()[-1] == "Nothing to send: 4 already sent before.", told.output
    assert told.stderr == ""


def test_a_sent_log_of_pressgen_0_21_whose_digests_hold_the_tags_is_read_as_sent(root, smtp):
    """Its digests were made with the tags (the English one here, whose tag is 'culture'): read
    as sent the text they name, not as an earlier text to correct."""
    sent = {"ayse@gazete.example": "tr:03abf8c785fb378f:0", "madina@kazakh.example": "kk:62608be77b42779b:0",
            "john@wire.example": "en:1d08f8db55aa3b67:0", "azamat@almaty.example": "kk:62608be77b42779b:0"}
    log = root / "mail/hello/sent.log"
    log.parent.mkdir(parents=True)
    log.write_text("".join(f"{state}\t{address}\t<{n}.hello@office.example>\t2026-12-01T10:00:00+00:00\t{made}\n"
                           for n, (address, made) in enumerate(sent.items()) for state in ("sending", "sent")),
                   encoding="utf-8")
    told = mail(root)
    assert told.stdout.splitlines()[-1] == "Nothing to send: 4 already sent before.", told.output


def test_a_correction_is_dated_the_office_s_day_not_utc_s(root, smtp):
    """At 02:18 in Almaty a trial's correction was dated the day before, UTC's (`pressgen new`
    dates a record by the office's timezone)."""
    import datetime as dt
    from email import message_from_bytes, policy

    from pressgen.mail import mail as write_mail

    edit(root / "pressgen.yaml", "languages:", "timezone: Asia/Almaty\nlanguages:")
    assert mail(root, "--send").exit_code == 0
    edit(root / "locales/tr/releases/hello.po", 'msgstr "İlk paragraf."', 'msgstr "Birinci paragraf."')
    write_mail(root, "hello", correction=True, now=dt.datetime(2026, 12, 7, 21, 18, tzinfo=dt.timezone.utc))
    [written] = (root / "mail/hello").glob("*.eml")
    subject = message_from_bytes(written.read_bytes(), policy=policy.default)["Subject"]
    assert subject == "[8 Aralık 2026 tarihinde düzeltildi] İstanbul’dan merhaba", subject


def test_a_journalist_sent_the_english_in_place_of_their_language_is_sent_the_correction(root, smtp):
    """Found by a trial: sent the English while the Turkish waited for its translator, then the
    English corrected once the Turkish was ready: `--correction` counted the Turkish journalist
    'already sent', comparing the Turkish text with the English one they hold."""
    edit(root / "releases/hello.yaml", "The first paragraph.", "The first paragraph, edited.")
    assert mail(root, "--send").exit_code == 0
    assert {m["To"].addresses[0].addr_spec: m["Content-Language"] for m in smtp.recorder.messages}[
        "ayse@gazete.example"] == "en"
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    for lang, translation in (("tr", "İlk paragraf, düzeltilmiş."), ("kk", "Бірінші абзац, түзетілген.")):
        po = root / f"locales/{lang}/releases/hello.po"
        text = po.read_text("utf-8")
        start = text.index("#, fuzzy\n#| msgid \"The first paragraph.\"\n")
        end = text.index("\n\n", start)
        entry = text[start:end]
        po.write_text(text.replace(entry, entry.split("\n", 2)[2].rsplit("msgstr", 1)[0] + f'msgstr "{translation}"'),
                      "utf-8")
    edit(root / "releases/hello.yaml", "The last paragraph.", "The very last paragraph.")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    for lang, old, new in (("tr", "Son paragraf.", "En son paragraf."), ("kk", "Соңғы абзац.", "Ең соңғы абзац.")):
        po = root / f"locales/{lang}/releases/hello.po"
        text = po.read_text("utf-8")
        start = text.index("#, fuzzy\n#| msgid \"The last paragraph.\"\n")
        end = text.index("\n\n", start)
        entry = text[start:end]
        po.write_text(text.replace(entry, entry.split("\n", 2)[2].replace(old, new)), "utf-8")
    review = mail(root, "--correction")
    assert review.exit_code == 0, review.output
    assert review.stdout.splitlines()[-1] == ("4 messages written to mail/hello/ for review; "
                                              "send them with --send --correction"), review.stdout
    sent = mail(root, "--send", "--correction")
    assert {m["To"].addresses[0].addr_spec: m["Content-Language"] for m in smtp.recorder.messages[4:]} == {
        "ayse@gazete.example": "tr", "madina@kazakh.example": "kk", "john@wire.example": "en",
        "azamat@almaty.example": "kk"}, sent.output


def test_a_correction_of_a_release_never_sent_says_to_send_it(root, smtp):
    """A trial's --correction wrote first sends for review and said to send them 'with --send
    --correction': there was nothing to correct."""
    for args in ((), ("--send",)):
        told = mail(root, "--correction", *args)
        assert told.exit_code == 2, told.output  # asked for what does not exist, as --resend of nobody
        assert told.stderr == ("--correction: 'hello' has not been sent to anyone yet (its sent log, "
                               "mail/hello/sent.log, names nobody), so there is no earlier text to correct; send it "
                               "with `pressgen mail hello --send`\n"), told.stderr
    assert smtp.recorder.messages == [] and not list((root / "mail/hello").glob("*.eml"))


def test_a_log_without_what_was_sent_asks_for_no_correction(root, smtp):
    """A sent log of pressgen 0.7 does not say what each message held: nobody is named."""
    assert mail(root, "--send").exit_code == 0
    log = root / "mail/hello/sent.log"
    log.write_text("".join("\t".join(line.split("\t")[:4]) + "\n" for line in log.read_text().splitlines()))
    edit(root / "locales/tr/releases/hello.po", 'msgstr "İlk paragraf."', 'msgstr "Birinci paragraf."')
    assert mail(root).stdout.splitlines()[-1] == "Nothing to send: 4 already sent before."
    assert mail(root, "--send", "--correction").stdout.splitlines()[-1] == "0 sent, 4 already sent before, 0 refused"


def test_a_paragraph_deleted_while_an_office_text_waits_sends_no_correction_of_the_version_online(root, smtp):
    """Its translations wait for the office text; what is online in them is the version their
    journalists were sent, paragraph and all: a trial's --correction sent it to them again,
    marked corrected. They wait for their translation, as for any change."""
    assert mail(root, "--send").exit_code == 0
    edit(root / "pressgen.yaml", "publishes news about culture.", "publishes the news of culture.")
    edit(root / "releases/hello.yaml", "  - The first paragraph.\n", "")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    sent = mail(root, "--send", "--correction")
    assert sent.stdout.splitlines()[-1] == "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"
    assert [m["To"].addresses[0].addr_spec for m in smtp.recorder.messages[4:]] == ["john@wire.example"]
    waiting = [line for line in sent.stderr.splitlines() if "waits for its translation" in line]
    assert [line.split("; ")[-1] for line in waiting] == [
        "a correction for who was sent it waits for its translation: ayse@gazete.example",
        "a correction for who was sent it waits for its translation: madina@kazakh.example, azamat@almaty.example"]


def test_the_correction_carries_the_records_note(root, smtp):
    """The record's `corrections:` note, as the page prints it; journalists of a language whose
    translation is behind are sent nothing until it catches up."""
    assert mail(root, "--send").exit_code == 0
    record = root / "releases/hello.yaml"
    edit(record, "The first paragraph.", "The opening paragraph.")
    record.write_text(record.read_text(encoding="utf-8") + "version: 2\ncorrections:\n  - date: 2011-04-09\n"
                      "    note: Corrects the opening paragraph.\n", encoding="utf-8")
    sent = mail(root, "--send", "--correction")
    assert sent.stdout.splitlines()[-1] == "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"
    assert "no note of what changed" not in sent.stderr
    # Those whose translation is behind are named, not passed over in silence (found by a trial).
    waiting = [line for line in sent.stderr.splitlines() if "waits for its translation" in line]
    assert [line.split("; ")[-1] for line in waiting] == [
        "a correction for who was sent it waits for its translation: ayse@gazete.example",
        "a correction for who was sent it waits for its translation: madina@kazakh.example, azamat@almaty.example"]
    correction = smtp.recorder.messages[4]
    assert correction["To"].addresses[0].addr_spec == "john@wire.example"
    assert correction["Subject"] == "[Corrected on April 9, 2011] Hello from Istanbul"
    assert correction.get_body(("plain",)).get_content().startswith(
        "Corrected on April 9, 2011: Corrects the opening paragraph.\r\n\r\nHello from Istanbul\r\n")
    # A later change, with no new correction: the note already sent is not sent again (found by a trial).
    edit(record, "Hello from Istanbul", "Hello from İstanbul")
    again = mail(root, "--send", "--correction")
    assert again.stdout.splitlines()[-1] == "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"
    later = smtp.recorder.messages[5]
    assert later["Subject"].endswith("] Hello from İstanbul") and "April 9, 2011" not in later["Subject"]
    assert later["In-Reply-To"] == correction["Message-ID"]
    # The whole thread, as RFC 5322 has References: it named only the last message (found by a trial).
    first = next(m for m in smtp.recorder.messages[:4] if m["To"].addresses[0].addr_spec == "john@wire.example")
    assert later["References"] == f"{first['Message-ID']} {correction['Message-ID']}"
    assert "Corrects the opening paragraph." not in later.get_body(("plain",)).get_content()


def test_those_who_were_sent_a_withdrawn_release_are_told(root, smtp):
    """A withdrawn release is never mailed, and its journalists could not be told (found by a
    trial): --withdrawal sends each one who was sent it a notice, in the page's words."""
    assert mail(root, "--send", "--list", "culture").exit_code == 0  # ayse and madina have it
    first = {m["To"].addresses[0].addr_spec: m["Message-ID"] for m in smtp.recorder.messages}
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "withdrawn: 2026-12-07\n", encoding="utf-8")
    refused = mail(root, "--send")
    assert refused.exit_code == 1
    assert refused.stderr.endswith("this release was withdrawn on 2026-12-07; it is never mailed (tell those who "
                                   "were sent it with --withdrawal)\n")
    review = mail(root, "--withdrawal")
    assert review.stdout.splitlines()[-1] == ("2 messages written to mail/hello/ for review; send them with --send "
                                              "--withdrawal")
    sent = mail(root, "--send", "--withdrawal")
    assert sent.stdout.splitlines()[-1] == "2 sent, 0 already told, 0 refused"
    notices = {m["To"].addresses[0].addr_spec: m for m in smtp.recorder.messages[2:]}
    assert sorted(notices) == ["ayse@gazete.example", "madina@kazakh.example"]  # not john, azamat: never had it
    tr = notices["ayse@gazete.example"]
    assert tr["Subject"].endswith("] İstanbul’dan merhaba") and tr["Content-Language"] == "tr"
    assert tr["In-Reply-To"] == tr["References"] == first["ayse@gazete.example"]
    assert tr["Reply-To"].addresses[0].addr_spec == "press@office.example"  # as the release's own messages
    text = tr.get_body(("plain",)).get_content()
    assert text.startswith("GERİ ÇEKİLDİ: İstanbul’dan merhaba\r\n\r\n7 Aralık 2026 tarihinde geri çekildi.")
    assert not tr.is_multipart()  # a notice: no PDF of a release that must not be used
    assert mail(root, "--send", "--withdrawal").stdout.splitlines()[-1] == "0 sent, 2 already told, 0 refused"
    assert len(smtp.recorder.messages) == 4


def test_a_release_reinstated_after_its_withdrawal_was_told_goes_again_to_who_was_told(root, smtp):
    """A trial withdrew a release, told its journalists, then took `withdrawn:` out again: mail
    said 'Nothing to send', and they were left holding 'must not be used'. They hold an earlier
    text now, and --correction sends them the release, marked corrected, with the record's note."""
    assert mail(root, "--send", "--list", "culture").exit_code == 0  # ayse and madina have it
    record = root / "releases/hello.yaml"
    listed = record.read_text(encoding="utf-8")
    record.write_text(listed + "withdrawn: 2026-12-07\n", encoding="utf-8")
    assert mail(root, "--send", "--withdrawal").stdout.splitlines()[-1] == "2 sent, 0 already told, 0 refused"
    record.write_text(listed + "corrections:\n  - date: 2026-12-07\n    note: Withdrawn by mistake; it stands.\n",
                      encoding="utf-8")
    assert mail(root, "--list", "culture").stdout.splitlines()[-1] == (
        "Nothing to send: 2 already sent before (2 of them an earlier text: send them this one, marked corrected, "
        "with --correction).")
    sent = mail(root, "--send", "--correction", "--list", "culture")
    assert sent.stdout.splitlines()[-1] == "2 sent (2 of them marked corrected), 0 already sent before, 0 refused"
    notice, again = smtp.recorder.messages[2], smtp.recorder.messages[4]
    assert again["To"] == notice["To"] and str(again["In-Reply-To"]).strip() == str(notice["Message-ID"]).strip()
    assert "Withdrawn by mistake; it stands." in again.get_body(("plain",)).get_content()


def test_a_withdrawal_dated_ahead_is_said_by_mail_before_its_notices_go(root, smtp):
    """A trial's notices said 'withdrawn on' a day to come: the build that made the page had
    said it, and `mail --withdrawal`, the run that sends them, said nothing."""
    assert mail(root, "--send", "--list", "culture").exit_code == 0
    ahead = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)).date().isoformat()
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text(encoding="utf-8") + f"withdrawn: {ahead}\n", encoding="utf-8")
    assert run_cli("build", "--project", str(root)).exit_code == 0  # the build that says it first
    said = (f"warning: releases/hello.yaml:{len(record.read_text(encoding='utf-8').splitlines())}: 'withdrawn' is "
            f"{ahead}, a day that has not come yet anywhere on Earth; the release is withdrawn now, and its page and "
            f"notices say it was withdrawn on {ahead}: write the day it was withdrawn")
    review = mail(root, "--withdrawal")
    assert said in review.stderr.splitlines(), review.output
    # With --send, before the notices go: said after them, a trial read it too late (and, the
    # server unreachable, not at all).
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        closed = free.getsockname()[1]  # closed again: nothing listens there
    edit(root / "pressgen.yaml", f"port: {smtp.port}", f"port: {closed}")
    unreachable = mail(root, "--withdrawal", "--send")
    assert unreachable.exit_code == 1 and said in unreachable.stderr.splitlines(), unreachable.output


def test_a_notice_refused_for_now_goes_with_the_next_run(root, smtp):
    """A refusal is logged as failed: that must not read as 'never had the release', or the
    journalist would never be told of its withdrawal (nor sent a correction refused once)."""
    assert mail(root, "--send", "--list", "culture").exit_code == 0  # ayse and madina have it
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "withdrawn: 2026-12-07\n", encoding="utf-8")
    smtp.recorder.defer = {"ayse@gazete.example"}
    assert mail(root, "--send", "--withdrawal").stdout.splitlines()[-1] == "1 sent, 0 already told, 1 refused"
    assert [p.name for p in (root / "mail/hello").glob("*.eml")] == ["0002-ayse-gazete-example.eml"]  # to go again
    smtp.recorder.defer = set()
    assert mail(root, "--send", "--withdrawal").stdout.splitlines()[-1] == "1 sent, 1 already told, 0 refused"
    assert [m["To"].addresses[0].addr_spec for m in smtp.recorder.messages[2:]] == [
        "madina@kazakh.example", "ayse@gazete.example"]


def test_a_notice_refused_once_its_data_was_in_goes_with_the_next_run(root, smtp):
    """Refused after its data (a spam filter's 554), a withdrawal notice left its journalist as
    never sent the release: the next run told everyone else and never them (helper-83's note)."""
    assert mail(root, "--send", "--list", "culture").exit_code == 0  # ayse and madina have it
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "withdrawn: 2026-12-07\n", encoding="utf-8")
    smtp.recorder.refuse_data = {"ayse@gazete.example"}
    assert mail(root, "--send", "--withdrawal").stdout.splitlines()[-1] == "1 sent, 0 already told, 1 refused"
    smtp.recorder.refuse_data = set()
    assert mail(root, "--send", "--withdrawal").stdout.splitlines()[-1] == "1 sent, 1 already told, 0 refused"
    assert [m["To"].addresses[0].addr_spec for m in smtp.recorder.messages[2:]] == [
        "madina@kazakh.example", "ayse@gazete.example"]


def test_a_withdrawal_is_told_in_the_language_sent_while_its_translation_is_behind(root, smtp):
    """Found by a trial: the English changed after the release went out (the Turkish and Kazakh
    outdated, online as published), then withdrawn: the notices went out in English."""
    assert mail(root, "--send", "--list", "culture").exit_code == 0  # ayse (tr) and madina (kk)
    record = root / "releases/hello.yaml"
    edit(record, "The first paragraph.", "The opening paragraph.")
    record.write_text(record.read_text(encoding="utf-8") + "withdrawn: 2026-12-07\n", encoding="utf-8")
    assert run_cli("build", "--project", str(root), "-f", "html").exit_code == 0
    sent = mail(root, "--send", "--withdrawal")
    assert sent.stdout.splitlines()[-1] == "2 sent, 0 already told, 0 refused", sent.output
    notices = {m["To"].addresses[0].addr_spec: m for m in smtp.recorder.messages[2:]}
    assert {address: m["Content-Language"] for address, m in notices.items()} == {
        "ayse@gazete.example": "tr", "madina@kazakh.example": "kk"}
    assert notices["ayse@gazete.example"].get_body(("plain",)).get_content().startswith(
        "GERİ ÇEKİLDİ: İstanbul’dan merhaba\r\n\r\n7 Aralık 2026 tarihinde geri çekildi.")


def test_a_text_printed_the_same_is_no_correction(root, smtp):
    """A catalog re-saved with typewriter apostrophes where it had ’ (a charset without ’): the
    page prints the same, but every Turkish journalist was offered an empty correction."""
    po = root / "locales/tr/releases/hello.po"
    edit(po, 'msgstr "İlk paragraf."', 'msgstr "Kültür’ün ilk paragrafı."')
    assert mail(root, "--send").exit_code == 0
    edit(po, 'msgstr "Kültür’ün ilk paragrafı."', 'msgstr "Kültür\'ün ilk paragrafı."')
    assert mail(root).stdout.splitlines()[-1] == "Nothing to send: 4 already sent before."


def test_withdrawal_goes_without_the_options_of_a_release(root, smtp):
    """--resend with --withdrawal was ignored without a word (found by a trial)."""
    result = mail(root, "--send", "--withdrawal", "--resend", "john@wire.example")
    assert (result.exit_code, result.stderr) == (2, "--withdrawal tells each journalist once; it goes without "
                                                    "--resend, --resend-uncertain and --correction\n")


# Renamed after it went out: its sent log under each id, and what each journalist has across them.

AYSE = "ayse@gazete.example"
REFUSED = (f"media.csv:2: {AYSE} not sent: 554 5.7.1 Message rejected as spam; the server will not take it: check "
           "the address in the media list (or the message, if the reply names it), then run the same command again, "
           "which sends only what is left")


def rename(root: Path, old: str, new: str, former_ids: str) -> None:
    """The release's record and catalogs renamed (`git mv`), the record naming ``former_ids``."""
    (root / f"releases/{old}.yaml").rename(root / f"releases/{new}.yaml")
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/{old}.po").rename(root / f"locales/{lang}/releases/{new}.po")
    record = root / f"releases/{new}.yaml"
    lines = [line for line in record.read_text(encoding="utf-8").splitlines() if not line.startswith("former_ids:")]
    record.write_text("\n".join([f"former_ids: {former_ids}", *lines]) + "\n", encoding="utf-8")


def withdraw(root: Path, release_id: str) -> None:
    record = root / f"releases/{release_id}.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "withdrawn: 2026-12-07\n", encoding="utf-8")


def mail_as(root: Path, release_id: str, *args: str):
    return run_cli("mail", release_id, "--project", str(root), *args)


def to(message) -> str:
    return message["To"].addresses[0].addr_spec


def message_id(message) -> str:
    """As written: a Message-ID longer than a line is read back with the space of its fold."""
    return message["Message-ID"].strip()


def renamed_withdrawn_and_told(root: Path) -> None:
    """hello, sent, renamed hello-again (`former_ids: [hello]`) and withdrawn: all four told under that id."""
    rename(root, "hello", "hello-again", "[hello]")
    withdraw(root, "hello-again")
    assert mail_as(root, "hello-again", "--send", "--withdrawal").stdout.splitlines()[-1] == \
        "4 sent, 0 already told, 0 refused"


def test_a_renamed_release_s_notice_refused_once_its_data_was_in_goes_with_the_next_run(root, smtp):
    """Renamed, then withdrawn: the notice a spam filter refused (554) was logged under the new id
    as failed, which was read before the old id's 'sent': the journalist had never had the
    release, and was never told (found by a trial: '0 sent, 5 already told, 0 refused')."""
    assert mail(root, "--send").exit_code == 0
    first = {to(m): message_id(m) for m in smtp.recorder.messages}
    rename(root, "hello", "hello-again", "[hello]")
    withdraw(root, "hello-again")
    smtp.recorder.refuse_data = {AYSE}
    refused = mail_as(root, "hello-again", "--send", "--withdrawal")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [REFUSED]
    assert refused.stdout.splitlines()[-1] == "3 sent, 0 already told, 1 refused"
    smtp.recorder.refuse_data = set()
    assert mail_as(root, "hello-again", "--withdrawal").stdout.splitlines() == [
        "1 message written to mail/hello-again/ for review; 3 already told; send it with --send --withdrawal"]
    sent = mail_as(root, "hello-again", "--send", "--withdrawal")
    assert (sent.exit_code, sent.stdout.splitlines(), sent.stderr) == (
        0, [f"[1/1] {AYSE}", "1 sent, 3 already told, 0 refused"], "")
    notice = smtp.recorder.messages[-1]
    assert to(notice) == AYSE and notice["Subject"] == "[GERİ ÇEKİLDİ] İstanbul’dan merhaba"
    assert notice["In-Reply-To"] == notice["References"] == first[AYSE]
    assert mail_as(root, "hello-again", "--send", "--withdrawal").stdout.splitlines() == [
        "0 sent, 4 already told, 0 refused"]
    assert [to(m) for m in smtp.recorder.messages].count(AYSE) == 2


def test_a_renamed_release_s_correction_refused_once_its_data_was_in_goes_with_the_next_run(root, smtp):
    """Renamed, then corrected: after a spam filter refused the correction (554), a trial's
    journalist was sent the release as if never sent it: unmarked, unthreaded."""
    assert mail(root, "--send").exit_code == 0
    first = {to(m): message_id(m) for m in smtp.recorder.messages}
    rename(root, "hello", "hello-again", "[hello]")
    edit(root / "locales/tr/releases/hello-again.po", 'msgstr "İlk paragraf."', 'msgstr "Birinci paragraf."')
    smtp.recorder.refuse_data = {AYSE}
    refused = mail_as(root, "hello-again", "--send", "--correction")
    assert refused.exit_code == 1
    assert REFUSED in refused.stderr.splitlines()
    assert refused.stdout.splitlines()[-1] == "0 sent, 3 already sent before, 1 refused"
    smtp.recorder.refuse_data = set()
    said = "4 already sent before (1 of them an earlier text: send them this one, marked corrected, with --correction)"
    told = mail_as(root, "hello-again")
    assert told.stdout.splitlines() == [f"Nothing to send: {said}."]
    assert told.stderr == f"note: sent an earlier text of it: {AYSE}\n"
    sent = mail_as(root, "hello-again", "--send", "--correction")
    assert sent.stdout.splitlines() == [f"[1/1] {AYSE}",
                                        "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"]
    correction = smtp.recorder.messages[-1]
    assert to(correction) == AYSE
    assert correction["Subject"].startswith("[") and correction["Subject"].endswith(
        " tarihinde düzeltildi] İstanbul’dan merhaba"), correction["Subject"]
    assert correction["In-Reply-To"] == correction["References"] == first[AYSE]
    assert mail_as(root, "hello-again").stdout.splitlines() == ["Nothing to send: 4 already sent before."]
    assert len(smtp.recorder.messages) == 5


def test_a_release_renamed_twice_knows_the_correction_sent_under_its_middle_id(root, smtp):
    """Corrected under its second id, renamed again (`former_ids: [first, second]`, as `check`
    says): the oldest id's log was read first, and the journalist corrected was offered the
    correction again; their withdrawal notice named the first message, not the correction."""
    assert mail(root, "--send").exit_code == 0
    first = {to(m): message_id(m) for m in smtp.recorder.messages}
    rename(root, "hello", "hello-again", "[hello]")
    edit(root / "locales/tr/releases/hello-again.po", 'msgstr "İlk paragraf."', 'msgstr "Birinci paragraf."')
    assert mail_as(root, "hello-again", "--send", "--correction").stdout.splitlines()[-1] == \
        "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"
    correction = message_id(smtp.recorder.messages[-1])
    rename(root, "hello-again", "hello-three", "[hello, hello-again]")
    told = mail_as(root, "hello-three")
    assert told.stdout.splitlines()[-1] == "Nothing to send: 4 already sent before.", told.output
    assert "earlier text" not in told.stderr
    assert mail_as(root, "hello-three", "--send", "--correction").stdout.splitlines()[-1] == \
        "0 sent, 4 already sent before, 0 refused"
    assert len(smtp.recorder.messages) == 5
    withdraw(root, "hello-three")
    sent = mail_as(root, "hello-three", "--send", "--withdrawal")
    assert sent.stdout.splitlines()[-1] == "4 sent, 0 already told, 0 refused"
    notices = {to(m): m for m in smtp.recorder.messages[5:]}
    # Threaded under the last message each was sent; References keep the thread's start.
    assert notices[AYSE]["In-Reply-To"] == correction
    assert notices[AYSE]["References"] == f"{first[AYSE]} {correction}"
    assert notices["john@wire.example"]["In-Reply-To"] == notices["john@wire.example"]["References"] == \
        first["john@wire.example"]


def test_a_release_renamed_twice_after_its_withdrawal_was_told_tells_nobody_again(root, smtp):
    """Told of the withdrawal under its second id, then renamed again: the oldest id's log, read
    first, said nobody had been told, and `--withdrawal` wrote every notice again (found by a trial)."""
    assert mail(root, "--send").exit_code == 0
    renamed_withdrawn_and_told(root)
    rename(root, "hello-again", "hello-three", "[hello, hello-again]")
    told = mail_as(root, "hello-three", "--withdrawal")
    assert told.stdout.splitlines()[-1] == "Nothing to send: 4 already told.", told.output
    assert not list((root / "mail/hello-three").glob("*.eml"))
    assert mail_as(root, "hello-three", "--send", "--withdrawal").stdout.splitlines()[-1] == \
        "0 sent, 4 already told, 0 refused"
    assert len(smtp.recorder.messages) == 8


def test_what_a_journalist_has_is_the_latest_message_by_the_log_s_times_not_the_order_of_the_ids(root, smtp):
    """`former_ids` is written by hand, in any order (here the newest first); the log lines say
    when each message went out, those of pressgen 0.1 too (three fields: address, Message-ID, time)."""
    log = root / "mail/hello/sent.log"
    log.parent.mkdir(parents=True)
    log.write_text("".join(f"{address}\t<{n}.hello@office.example>\t2026-11-20T09:00:0{n}+00:00\n" for n, address in
                           enumerate(["ayse@gazete.example", "madina@kazakh.example", "john@wire.example",
                                      "azamat@almaty.example"])), encoding="utf-8")
    renamed_withdrawn_and_told(root)
    assert smtp.recorder.messages[0]["In-Reply-To"] == "<0.hello@office.example>"
    rename(root, "hello-again", "hello-three", "[hello-again, hello]")
    assert mail_as(root, "hello-three", "--send", "--withdrawal").stdout.splitlines()[-1] == \
        "0 sent, 4 already told, 0 refused"
    assert len(smtp.recorder.messages) == 4


def test_a_release_renamed_back_to_its_first_id_knows_who_was_told_under_the_other(root, smtp):
    """Its own log holds the oldest messages and the newest may be under a former id: neither
    the order of the ids nor own-log-first says which is the latest."""
    assert mail(root, "--send").exit_code == 0
    # Sent long before (in a test, the same second, which would keep the order of the ids).
    log = root / "mail/hello/sent.log"
    log.write_text(re.sub(r"\t\d{4}-\d\d-\d\dT", "\t2026-11-20T", log.read_text(encoding="utf-8")), encoding="utf-8")
    renamed_withdrawn_and_told(root)
    rename(root, "hello-again", "hello", "[hello-again]")
    told = mail(root, "--send", "--withdrawal")
    assert told.stdout.splitlines()[-1] == "0 sent, 4 already told, 0 refused", told.output
    assert len(smtp.recorder.messages) == 8
