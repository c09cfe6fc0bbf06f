"""No journalist mailed twice, none skipped: the sent log records each message in flight
before its data goes out and as sent on the server's reply, and a message whose fate is
unknown is named and resent only when asked. Against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import edit, run_cli
from test_stamp import aged
from smtpserver import Server
from test_mail import office


@pytest.fixture
def smtp():
    server = Server()
    yield server
    server.close()


@pytest.fixture
def root(project, smtp):
    return office(project, smtp.port)


def mail(root: Path, *args: str):
    return run_cli("mail", "hello", "--project", str(root), "--send", *args)


def log_states(root: Path) -> list[tuple[str, str]]:
    return [tuple(line.split("\t")[:2]) for line in (root / "mail/hello/sent.log").read_text().splitlines()]


def uncertain(line: int, address: str, why: str) -> str:
    return (f"media.csv:{line}: {address}: the server may or may not have received it ({why}); "
            f"resend with --resend {address} or --resend-uncertain")


LOST = "the connection was lost after sending"
STOPPED = "pressgen was stopped before the server replied"


def test_the_log_marks_each_message_in_flight_then_sent(root, smtp):
    assert mail(root).exit_code == 0
    states = log_states(root)
    assert states == [(state, address) for address in ("ayse@gazete.example", "madina@kazakh.example",
                                                       "john@wire.example", "azamat@almaty.example")
                      for state in ("sending", "sent")]
    ids = {line.split("\t")[2] for line in (root / "mail/hello/sent.log").read_text().splitlines()}
    assert ids == {str(m["Message-ID"]) for m in smtp.recorder.messages}


def test_a_connection_dropped_after_the_server_stored_a_message(root, smtp):
    smtp.recorder.drop_after = 2  # stores Madina's message, then hangs up before replying
    result = mail(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        uncertain(3, "madina@kazakh.example", LOST),
        "the connection to the SMTP server was lost after 1 of 4 message(s); run the same command again to send "
        "the rest (the sent log keeps what went out)",
    ]
    assert "Traceback" not in result.output
    assert smtp.recorder.copies() == {"ayse@gazete.example": 1, "madina@kazakh.example": 1}

    # The rerun sends what was never attempted and asks about Madina instead of resending.
    smtp.recorder.drop_after = None
    result = mail(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [uncertain(3, "madina@kazakh.example", LOST)]
    assert result.stdout.splitlines()[-1] == "2 sent, 1 already sent before, 0 refused, 1 uncertain"
    assert smtp.recorder.copies() == {address: 1 for address in (
        "ayse@gazete.example", "madina@kazakh.example", "john@wire.example", "azamat@almaty.example")}
    # Asked again, it still asks: never a silent resend.
    assert mail(root).stderr.splitlines() == [uncertain(3, "madina@kazakh.example", LOST)]
    assert len(smtp.recorder.messages) == 4

    result = mail(root, "--resend", "madina@kazakh.example")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1] == "1 sent (1 of them again, as asked), 3 already sent before, 0 refused"
    assert smtp.recorder.copies()["madina@kazakh.example"] == 2
    # The copy is the same message: a mail system that has the first can tell.
    first, second = [m for m in smtp.recorder.messages if m["To"].addresses[0].addr_spec == "madina@kazakh.example"]
    assert first["Message-ID"] == second["Message-ID"]
    assert mail(root).stdout.splitlines()[-1] == "0 sent, 4 already sent before, 0 refused"


def test_a_server_that_stops_answering_after_a_message(root, smtp):
    """The trial's server stored a message and never replied: after the timeout pressgen said
    the connection 'was lost after sending', and not what the next run would do."""
    edit(root / "pressgen.yaml", "    security: none", "    security: none\n    timeout: 1")
    smtp.recorder.hang_after = 2  # stores Madina's message, then says nothing
    result = mail(root)
    assert result.exit_code == 1
    silent = "the server stopped answering after it was sent: no reply in 1 s"
    assert result.stderr.splitlines() == [
        uncertain(3, "madina@kazakh.example", silent),
        "the SMTP server stopped answering (no reply in 1 s) after 1 of 4 message(s); run the same command again "
        "later to send the rest (the sent log keeps what went out; the message it did not answer is sent again only "
        "with --resend or --resend-uncertain)",
    ]
    assert log_states(root)[-1] == ("silent", "madina@kazakh.example")
    smtp.recorder.hang_after = None
    result = mail(root)
    assert result.stderr.splitlines() == [uncertain(3, "madina@kazakh.example", silent)]
    assert result.stdout.splitlines()[-1] == "2 sent, 1 already sent before, 0 refused, 1 uncertain"
    assert smtp.recorder.copies() == {address: 1 for address in (
        "ayse@gazete.example", "madina@kazakh.example", "john@wire.example", "azamat@almaty.example")}


def test_resend_uncertain_sends_only_those(root, smtp):
    smtp.recorder.drop_after = 1
    assert mail(root).exit_code == 1
    smtp.recorder.drop_after = None
    result = mail(root, "--resend-uncertain")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "4 sent (1 of them again, as asked), 0 already sent before, 0 refused"
    assert smtp.recorder.copies() == {"ayse@gazete.example": 2, "madina@kazakh.example": 1,
                                      "john@wire.example": 1, "azamat@almaty.example": 1}


def test_a_run_stopped_between_sending_and_the_reply(root, smtp):
    """What a kill leaves behind: a 'sending' line with nothing after it."""
    assert mail(root, "--list", "international").exit_code == 0
    log = root / "mail/hello/sent.log"
    with log.open("a") as handle:
        handle.write("sending\tayse@gazete.example\t<1.hello.tr@office.example>\t2026-11-23T10:00:00+00:00\n")
    result = mail(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [uncertain(2, "ayse@gazete.example", STOPPED)]
    assert result.stdout.splitlines()[-1] == "2 sent, 1 already sent before, 0 refused, 1 uncertain"
    assert "ayse@gazete.example" not in smtp.recorder.copies()


def test_a_line_cut_short_by_a_crash(root, smtp):
    """A 'sent' line cut short counts for nothing: the 'sending' before it stands, and
    the next line starts on a line of its own."""
    log = root / "mail/hello/sent.log"
    log.parent.mkdir(parents=True)
    log.write_text("sending\tjohn@wire.example\t<1.hello.en@office.example>\t2026-11-23T10:00:00+00:00\n"
                   "sent\tjohn@wire.exa")
    result = mail(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [uncertain(4, "john@wire.example", STOPPED)]
    lines = log.read_text().splitlines()
    assert lines[0].startswith("sending\tjohn@wire.example\t") and lines[1].startswith("sending\tayse@gazete.example\t")
    assert all(line.split("\t")[0] in ("sending", "sent") for line in lines)


def test_a_damaged_line_of_the_sent_log_is_named_and_a_line_cut_short_is_not(root, smtp):
    """A line an editor saved with spaces for its tabs was skipped without a word, and its
    journalist counted as never sent. It is named, at its line, by mail, and by check in the log of
    an id no record has (which it reads for a release renamed). Not a line cut short by a crash,
    which git's union merge puts before the other side's lines when it was a side's last, nor a
    state a later pressgen writes."""
    log = root / "mail/hello/sent.log"
    log.parent.mkdir(parents=True)
    log.write_text("sending\tjohn@wire.example\t<1.hello.en@office.example>\t2026-11-23T10:00:00+00:00\n"
                   "sent\tjohn@wire.exa\n"
                   "sent ayse@gazete.example <2.hello.tr@office.example> 2026-11-23T10:00:01+00:00\n"
                   "sending\tmadina@kazakh.example\t<3.hello.kk@office.example>\t2026-11-23T10:00:02+00:00\n"
                   "queued\tmadina@kazakh.example\t<3.hello.kk@office.example>\t2026-11-23T10:00:03+00:00\n"
                   "sent azamat@almaty.example <4.hello.kk@office.example> 2026-11-23T10:00:04+00:00\n"
                   "sen")
    damaged = ("mail/hello/sent.log:3: not a line pressgen writes (damaged, or edited by hand), so it is skipped (and "
               "so is 1 more line below it): a message it recorded counts as never sent, and mail sends it again; put "
               "the line back as git's history has it (`git log -p -- mail/hello/sent.log`), its fields separated by "
               "tabs, or delete it")
    review = run_cli("mail", "hello", "--project", str(root))
    assert review.stderr.splitlines() == [f"warning: {damaged}", uncertain(3, "madina@kazakh.example", STOPPED),
                                          uncertain(4, "john@wire.example", STOPPED)], review.output
    assert review.stdout.splitlines()[-1] == "2 messages written to mail/hello/ for review; send them with --send"
    # Sending stops before anything goes: John and Ayşe, on the damaged lines, would have it twice.
    sent = run_cli("mail", "hello", "--project", str(root), "--send")
    assert (sent.exit_code, sent.stderr.splitlines()[-1]) == (1, f"{damaged}; nothing is sent until then"), sent.output
    assert smtp.recorder.messages == []
    # The log of an id no record has, which check reads for a release renamed without saying so.
    (root / "mail/hello-before").mkdir()
    log.rename(root / "mail/hello-before/sent.log")
    assert f"warning: {damaged.replace('mail/hello/', 'mail/hello-before/')}" in \
        run_cli("check", "--project", str(root)).stderr.splitlines()


def test_a_damaged_line_stops_no_send_that_has_nothing_to_send(root, smtp):
    """A trial's damaged line in a log whose journalists all had the release: the review said
    'Nothing to send', and --send stopped on the damage, though nothing would have gone."""
    assert mail(root).exit_code == 0
    log = root / "mail/hello/sent.log"
    log.write_text(log.read_text(encoding="utf-8") + "sent ayse@gazete.example <x@office.example> 2026-12-08\n",
                   encoding="utf-8")
    again = mail(root)
    assert (again.exit_code, again.stdout.splitlines()[-1]) == (0, "0 sent, 4 already sent before, 0 refused")
    assert again.stderr.startswith("warning: mail/hello/sent.log:9: not a line pressgen writes"), again.stderr


def test_a_sent_log_of_pressgen_0_1_is_read(root, smtp):
    log = root / "mail/hello/sent.log"
    log.parent.mkdir(parents=True)
    log.write_text("ayse@gazete.example\t<a@office.example>\t2026-11-20T09:00:00+00:00\n"
                   "John@Wire.example\t<b@office.example>\t2026-11-20T09:00:01+00:00\n")
    result = mail(root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "2 sent, 2 already sent before, 0 refused"
    assert sorted(smtp.recorder.copies()) == ["azamat@almaty.example", "madina@kazakh.example"]


def test_a_message_the_server_refuses_after_its_data_is_tried_again(root, smtp):
    smtp.recorder.close_after = 0  # 421 to the data: the server says it did not take it
    result = mail(root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "the SMTP server closed the connection after 0 of 4 message(s): 421 4.3.2 Service shutting down; it is not "
        "taking mail for now: try again later with the same command, which sends only what is left (messages already "
        "sent are not sent again)"]
    assert log_states(root) == [("sending", "ayse@gazete.example"), ("failed", "ayse@gazete.example")]
    smtp.recorder.close_after = None
    assert mail(root).stdout.splitlines()[-1] == "4 sent, 0 already sent before, 0 refused"


def test_a_recipient_refused_is_logged_as_failed_with_the_reply(root, smtp):
    """A trial's 550 and 451 at RCPT left no line in the sent log, which is to record each
    message as sent or failed when the server replies."""
    smtp.recorder.refuse, smtp.recorder.defer = {"john@wire.example"}, {"madina@kazakh.example"}
    assert mail(root).exit_code == 1
    lines = [line.split("\t") for line in (root / "mail/hello/sent.log").read_text().splitlines()]
    assert [(state, address, reply) for state, address, _, _, reply in lines if state == "failed"] == [
        ("failed", "madina@kazakh.example", "451 4.7.1 Try again later"),
        ("failed", "john@wire.example", "550 5.1.1 Mailbox unavailable")]
    # Refused, either way the server does not have them: the next run sends those two alone.
    smtp.recorder.refuse, smtp.recorder.defer = set(), set()
    assert mail(root).stdout.splitlines()[-1] == "2 sent, 2 already sent before, 0 refused"
    assert smtp.recorder.copies() == {address: 1 for address in (
        "ayse@gazete.example", "madina@kazakh.example", "john@wire.example", "azamat@almaty.example")}


def test_resend_names_someone_on_the_list(root, smtp):
    result = mail(root, "--resend", "nobody@x.example")
    assert result.exit_code == 2
    assert result.stderr == "--resend nobody@x.example: nobody in media.csv has this address\n"
    result = mail(root, "--list", "kazakhstan", "--resend", "john@wire.example")
    assert result.exit_code == 2
    assert result.stderr == "--resend john@wire.example: nobody on the list 'kazakhstan' has this address\n"
    result = run_cli("mail", "hello", "--project", str(root), "--resend-uncertain")
    assert result.exit_code == 2
    assert result.stderr == "--resend and --resend-uncertain go with --send\n"
    assert smtp.recorder.messages == [] and not (root / "out").exists()


def test_resend_of_a_journalist_who_has_it(root, smtp):
    """Asked by name, pressgen sends again even what went out: the officer knows why."""
    assert mail(root).exit_code == 0
    result = mail(root, "--resend", "JOHN@wire.example")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "1 sent (1 of them again, as asked), 3 already sent before, 0 refused"
    assert smtp.recorder.copies()["john@wire.example"] == 2


# Killed at random moments: as a laptop lid closes, or an operator presses ^C twice.

KILLS = 12
JOURNALISTS = 45


def media_list(count: int) -> str:
    languages = ("en", "tr", "kk")
    return "name,email,outlet,language,lists\n" + "".join(
        f"Journalist {n},j{n:02d}@outlet{n % 7}.example,Outlet {n % 7},{languages[n % 3]},culture\n"
        for n in range(count))


def test_sigkill_mid_send_never_mails_anyone_twice(root, smtp):
    (root / "media.csv").write_text(media_list(JOURNALISTS), encoding="utf-8")
    everyone = {f"j{n:02d}@outlet{n % 7}.example" for n in range(JOURNALISTS)}
    assert run_cli("mail", "hello", "--project", str(root)).exit_code == 0  # builds the PDFs once
    recorder = smtp.recorder
    recorder.delay = 0.02  # kills land while the server holds a message it has not yet acknowledged
    rng = random.Random(20261124)
    command = [sys.executable, "-m", "pressgen", "mail", "hello", "--project", str(root), "--send"]
    kills = attempts = 0
    while kills < KILLS:
        attempts += 1
        assert attempts <= 3 * KILLS, "the sends finished before enough kills landed"
        seen = recorder.transactions
        process = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        # Wait for this run's first few transactions, then a random fraction of one more.
        wanted = seen + rng.randint(1, 3)
        while recorder.transactions < wanted and process.poll() is None:
            time.sleep(0.002)
        time.sleep(rng.uniform(0, 0.03))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        assert max(recorder.copies().values(), default=0) <= 1

    # The rerun sends everyone never attempted and names the rest.
    result = mail(root)
    named = {line.split(": ")[1] for line in result.stderr.splitlines()}
    assert result.stderr.splitlines() == [uncertain(line, address, STOPPED)
                                          for line, address in sorted(_rows(root, named))]
    assert result.exit_code == (1 if named else 0)
    copies = recorder.copies()
    assert all(copies.get(a) == 1 for a in everyone - named), "not in flight when killed, so delivered exactly once"
    assert all(copies.get(a, 0) <= 1 for a in named)
    assert "Traceback" not in result.output

    result = mail(root, "--resend-uncertain")
    assert result.exit_code == 0, result.output
    copies = recorder.copies()
    assert set(copies) == everyone
    assert all(copies[a] == 1 for a in everyone - named)
    assert all(copies[a] in (1, 2) for a in named)
    assert mail(root).stdout.splitlines()[-1] == f"0 sent, {JOURNALISTS} already sent before, 0 refused"


def _rows(root: Path, addresses: set[str]) -> list[tuple[int, str]]:
    lines = (root / "media.csv").read_text(encoding="utf-8").splitlines()
    return [(number, line.split(",")[1]) for number, line in enumerate(lines, 1) if line.split(",")[1] in addresses]


def test_the_sent_log_is_kept_outside_out_and_survives_a_clean_build(root, smtp):
    """out/ is what the web server serves and a build product: the log there (pressgen 0.7) was
    public, with every journalist's address, and lost with out/, and everyone mailed again."""
    review = run_cli("mail", "hello", "--project", str(root))
    assert review.stdout.splitlines()[-1] == "4 messages written to mail/hello/ for review; send them with --send"
    assert mail(root).stdout.splitlines()[-1] == "4 sent, 0 already sent before, 0 refused"
    assert not (root / "out/mail").exists()
    assert sorted(p.name for p in (root / "mail/hello").iterdir()) == ["sent.log"]  # sent: nothing left to review
    shutil.rmtree(root / "out")
    shutil.rmtree(root / ".pressgen")
    assert mail(root).stdout.splitlines()[-1] == "0 sent, 4 already sent before, 0 refused"
    assert len(smtp.recorder.messages) == 4


def test_a_sent_log_in_out_is_moved_by_the_next_build(root, smtp):
    """An office upgraded from pressgen 0.7 has its logs in out/mail/<id>/."""
    assert mail(root).exit_code == 0
    old = root / "out/mail/hello"
    old.mkdir(parents=True)
    (root / "mail/hello/sent.log").rename(old / "sent.log")
    (old / "0002-ayse-gazete-example.eml").write_bytes(b"From: press@office.example\r\n\r\nembargoed text\r\n")
    built = run_cli("build", "--project", str(root), "-q")
    assert built.exit_code == 0, built.output
    assert built.stderr.splitlines() == [
        "warning: moved out/mail/hello/sent.log to mail/hello/sent.log: out/ is what the web server serves, and a "
        "clean build or a fresh clone does not have it; commit it (and add 'mail/*/*.eml' to .gitignore: messages "
        "for review are made again)"]
    assert not (root / "out/mail").exists()
    assert mail(root).stdout.splitlines()[-1] == "0 sent, 4 already sent before, 0 refused"
    assert len(smtp.recorder.messages) == 4


def test_only_what_was_not_sent_stays_to_review(root, smtp):
    smtp.recorder.refuse = {"john@wire.example"}
    assert mail(root).exit_code == 1
    assert sorted(p.name for p in (root / "mail/hello").glob("*.eml")) == ["0004-john-wire-example.eml"]


def test_two_sends_at_once_never_mail_anyone_twice(root, smtp):
    """Two officers (or a double click) send the same release at once: both sent to everyone
    (the lock covered the build `mail` runs first, not the sending; found by a trial)."""
    (root / "media.csv").write_text(media_list(12), encoding="utf-8")
    assert run_cli("mail", "hello", "--project", str(root)).exit_code == 0  # builds the PDFs once
    smtp.recorder.delay = 0.15  # the first send lasts long enough for the second to start meanwhile
    command = [sys.executable, "-m", "pressgen", "mail", "hello", "--project", str(root), "--send"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    said = sorted(run.communicate(timeout=120) for run in runs)
    assert [run.returncode for run in runs] == [0, 0]
    assert sorted(out.splitlines()[-1] for out, _ in said) == [
        "0 sent, 12 already sent before, 0 refused", "12 sent, 0 already sent before, 0 refused"]
    # (No pid in the instant between the first one's lock and its writing its pid.)
    assert any(re.fullmatch(r"waiting for another pressgen mail in this project( \(pid \d+\))? to finish…\n", err)
               for _, err in said), said
    assert sorted(smtp.recorder.copies().values()) == [1] * 12


def _sends_nobody_again(root: Path, smtp, release_id: str) -> None:
    """`pressgen mail ID --send` knows everyone on the list had the release: it sends nothing."""
    sent = run_cli("mail", release_id, "--project", str(root), "--send")
    assert sent.stdout.splitlines()[-1] == "0 sent, 4 already sent before, 0 refused", sent.output
    assert len(smtp.recorder.messages) == 4


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*GIT, *args], cwd=folder, check=True, capture_output=True, text=True)


def _sent_log_lines(folder: Path) -> list[str]:
    return (folder / "mail/hello/sent.log").read_text(encoding="utf-8").splitlines()


def _two_clones_each_mailed_a_correction(root: Path, tmp_path: Path, attributes: bool = True) -> tuple[Path, Path]:
    """The office mailed (the English alone, to everyone), then a typo fixed and committed; two
    clones each sent the correction to a list of their own and committed: the first pushed."""
    assert run_cli("init", str(tmp_path / "new")).exit_code == 0
    for name in (".gitattributes", ".gitignore") if attributes else (".gitignore",):
        shutil.copy(tmp_path / "new" / name, root / name)
    for lang in ("tr", "kk"):  # the English alone, to everyone: a typo fixed in it corrects every message
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert mail(root).exit_code == 0
    edit(root / "releases/hello.yaml", "The first paragraph.", "The opening paragraph.")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "Mailed, then a typo fixed")
    _git(tmp_path, "clone", "-q", "--bare", str(root), "origin.git")
    first, second = tmp_path / "first", tmp_path / "second"
    for clone, listed in ((first, "culture"), (second, "international")):
        _git(tmp_path, "clone", "-q", "origin.git", clone.name)
        sent = run_cli("mail", "hello", "--project", str(clone), "--send", "--correction", "--list", listed)
        assert sent.exit_code == 0, sent.output
        _git(clone, "add", "mail")
        _git(clone, "commit", "-qm", f"Correction sent to {listed}")
    _git(first, "push", "-q")
    return first, second


def test_two_clones_that_each_mailed_a_correction_merge_their_sent_logs_and_mail_nobody_twice(root, smtp, tmp_path):
    """A two-person office's trial: each clone mailed a correction of the same release and pushed,
    and `git pull` stopped at `CONFLICT (content): Merge conflict in mail/hello/sent.log`; the side
    taken (`git checkout --theirs`) lost the other side's lines, and the next `mail --correction`
    offered a journalist the correction he had. With the .gitattributes `pressgen init` writes,
    git keeps the lines of both sides, and mail reads who has what from them."""
    first, second = _two_clones_each_mailed_a_correction(root, tmp_path)
    pulled = subprocess.run([*GIT, "pull", "--no-rebase", "--no-edit"], cwd=second, capture_output=True, text=True)
    assert pulled.returncode == 0 and "CONFLICT" not in pulled.stdout, pulled.stdout + pulled.stderr
    merged = _sent_log_lines(second)
    assert sorted(merged) == sorted(set(_sent_log_lines(first)) | set(_git(second, "show", "HEAD^1:mail/hello/sent.log")
                                                                        .stdout.splitlines()))
    # Only Azamat is left to correct: nobody is offered what they have.
    review = run_cli("mail", "hello", "--project", str(second), "--correction")
    assert review.stdout.splitlines()[-1] == ("1 message written to mail/hello/ for review; 3 already sent before; "
                                              "send it with --send --correction"), review.output
    sent = run_cli("mail", "hello", "--project", str(second), "--send", "--correction")
    assert sent.stdout.splitlines()[-1] == "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"
    assert smtp.recorder.copies() == {address: 2 for address in (
        "ayse@gazete.example", "madina@kazakh.example", "john@wire.example", "azamat@almaty.example")}


def conflict_left(line: int, hint: bool = True) -> str:
    """What mail and check say of mail/hello/sent.log with git's markers in it from ``line``."""
    return (f"mail/hello/sent.log:{line}: a merge left git's conflict markers in it; keep the lines of both sides and "
            "delete only the marker lines (<<<<<<<, =======, >>>>>>>, and ||||||| in git's diff3 style): a sent log "
            "only grows, and every line is a message that went out" + ("; and add the line `mail/*/sent.log merge=union` to the .gitattributes "
                                       "beside pressgen.yaml, so that git keeps both sides of a sent log itself"
                                       if hint else ""))


def test_a_sent_log_a_merge_left_markers_in_stops_mail_and_is_named_by_check(root, smtp, tmp_path):
    """The trial's office, without the .gitattributes: `git pull` conflicted in the sent log, and
    with the markers left in, check said "No problems found" and `mail ID` "Nothing to send: 4
    already sent before." (markers skipped); the side taken after lost the other side's lines."""
    first, second = _two_clones_each_mailed_a_correction(root, tmp_path, attributes=False)
    base = len(_git(second, "show", "HEAD^:mail/hello/sent.log").stdout.splitlines())
    pulled = subprocess.run([*GIT, "pull", "--no-rebase", "--no-edit"], cwd=second, capture_output=True, text=True)
    assert "CONFLICT (content): Merge conflict in mail/hello/sent.log" in pulled.stdout, pulled.stdout + pulled.stderr
    said = conflict_left(base + 1)
    # While the merge is open (check before a commit), and once committed with the markers in.
    for command in ("check", "status"):
        named = run_cli(command, "--project", str(second))
        assert named.exit_code == 1 and said in named.stderr.splitlines(), (command, named.output)
    for args in (("--correction",), ("--send", "--correction"), ("--send",)):
        refused = run_cli("mail", "hello", "--project", str(second), *args)
        assert (refused.exit_code, refused.stdout, refused.stderr) == (1, "", said + "\n"), (args, refused.output)
    _git(second, "commit", "-qam", "Merged with the markers in")
    refused = run_cli("mail", "hello", "--project", str(second), "--send", "--correction")
    assert (refused.exit_code, refused.stderr) == (1, said + "\n")
    assert sorted(smtp.recorder.copies().values()) == [1, 2, 2, 2]  # nothing sent since the two corrections
    # Mended as said: the marker lines deleted, both sides' lines kept. Azamat alone is left.
    log = second / "mail/hello/sent.log"
    log.write_text("".join(line for line in log.read_text(encoding="utf-8").splitlines(keepends=True)
                           if not line.startswith(("<<<<<<<", "=======", ">>>>>>>"))), encoding="utf-8")
    sent = run_cli("mail", "hello", "--project", str(second), "--send", "--correction")
    assert sent.stdout.splitlines()[-1] == "1 sent (1 of them marked corrected), 3 already sent before, 0 refused"
    assert sorted(smtp.recorder.copies().values()) == [2, 2, 2, 2]


def test_a_renamed_release_s_old_sent_log_with_markers_is_named_by_check_status_and_build(root, smtp):
    """Check reads the sent logs of ids no record has (a release renamed by hand): one a merge left
    its markers in is named there, at its line; outside git, without the .gitattributes hint."""
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert mail(root).exit_code == 0
    log = root / "mail/hello/sent.log"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join([*lines[:4], "<<<<<<< HEAD\n", *lines[4:6], "=======\n", *lines[6:], ">>>>>>> theirs\n"]),
                   encoding="utf-8")
    (root / "releases/hello.yaml").rename(root / "releases/hello-again.yaml")
    said = conflict_left(5, hint=False)
    for command in ("check", "status", "build"):
        named = run_cli(command, "--project", str(root))
        assert named.exit_code == 1 and said in named.stderr.splitlines(), (command, named.output)
    refused = run_cli("mail", "hello-again", "--project", str(root), "--send")
    assert refused.exit_code == 1 and said in refused.stderr.splitlines(), refused.output
    assert len(smtp.recorder.messages) == 4


def test_a_release_renamed_without_former_ids_is_not_mailed_again(root, smtp):
    """Renamed with its files (git mv) and no `former_ids`: its published versions follow it and
    remember the old id, but mail read only the record's former ids and wrote 4 messages to
    everyone who had it, and said nothing of the move the build it ran had made (found by a trial)."""
    assert mail(root).exit_code == 0
    (root / "releases/hello.yaml").rename(root / "releases/hello-again.yaml")
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").rename(root / f"locales/{lang}/releases/hello-again.po")
    review = run_cli("mail", "hello-again", "--project", str(root))
    assert review.exit_code == 0, review.output
    assert review.stdout.splitlines() == [
        "moved published/tr/hello.yaml to published/tr/hello-again.yaml (the release's id changed; commit both)",
        "moved published/kk/hello.yaml to published/kk/hello-again.yaml (the release's id changed; commit both)",
        "Nothing to send: 4 already sent before."]
    assert review.stderr == ("warning: releases/hello-again.yaml was 'hello': add `former_ids: [hello]` to it, so "
                             "that links already sent to its old pages lead to the new ones\n")
    _sends_nobody_again(root, smtp, "hello-again")


def test_a_release_in_its_own_language_alone_renamed_without_former_ids_is_not_mailed_again(root, smtp):
    """Not translated yet, it has no published versions to remember its old id: a trial's
    English release, renamed with git mv, went to everyone again, without a word."""
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert mail(root).exit_code == 0
    (root / "releases/hello.yaml").rename(root / "releases/hello-again.yaml")
    said = ("releases/hello-again.yaml:6: mail/hello/sent.log says 4 journalists were sent this same text under the "
            "id 'hello', which no record has now: if this release was 'hello', add `former_ids: [hello]` to "
            "releases/hello-again.yaml, and `pressgen mail hello-again` leaves out who had it; if it is another "
            "release, move mail/hello/ out of mail/")
    for args in ((), ("--send",)):
        refused = run_cli("mail", "hello-again", "--project", str(root), *args)
        assert refused.exit_code == 1 and said in refused.stderr.splitlines(), refused.output
    assert len(smtp.recorder.messages) == 4
    edit(root / "releases/hello-again.yaml", "language: en", "former_ids: [hello]\nlanguage: en")
    _sends_nobody_again(root, smtp, "hello-again")


def test_a_mailed_release_renamed_by_hand_is_named_by_check_and_build(root, smtp):
    """A trial's Turkish release, mailed before any translation, renamed with a plain `mv`:
    check said "No problems found" and the build removed the page its journalists were sent,
    with no word of it; only mail, from the old id's sent log, knew. Check, status and build
    say it now, from that log, before and after the build."""
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert mail(root).exit_code == 0
    (root / "releases/hello.yaml").rename(root / "releases/hello-again.yaml")
    hint = ("warning: releases/hello-again.yaml was 'hello': add `former_ids: [hello]` to it, so that links already "
            "sent to its old pages lead to the new ones")
    for command in ("check", "status", "build", "build", "check"):  # a build with nothing to do says it too
        said = run_cli(command, "--project", str(root))
        assert hint in said.stderr.splitlines(), (command, said.output)
    edit(root / "releases/hello-again.yaml", "language: en", "former_ids: [hello]\nlanguage: en")
    assert hint not in run_cli("build", "--project", str(root)).stderr.splitlines()
    assert 'url=hello-again.html' in (root / "out/en/hello.html").read_text(encoding="utf-8")


def test_a_mailed_release_renamed_by_hand_and_edited_is_named_by_its_old_catalogs_headline(root, smtp):
    """The same with a word changed as it moved: its text is not what its journalists were sent,
    but the old id's catalogs, made by `catalogs update` in every language, have its headline."""
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0  # untranslated: not published
    assert mail(root).exit_code == 0
    (root / "releases/hello.yaml").rename(root / "releases/hello-again.yaml")
    edit(root / "releases/hello-again.yaml", "The first paragraph.", "The opening paragraph.")
    hint = ("warning: releases/hello-again.yaml was 'hello': add `former_ids: [hello]` to it, so that links already "
            "sent to its old pages lead to the new ones")
    aged(root)  # saved a while ago, as in an office: a build with nothing to do is told so by its stamp
    for command in ("check", "build", "build"):
        said = run_cli(command, "--project", str(root))
        assert hint in said.stderr.splitlines(), (command, said.output)
    # A trial's build with nothing to do, told by its stamp, dropped it.
    assert said.stdout.splitlines()[0] == "3 outputs (0 rendered, 3 up to date)", said.output
    # And mail stops, as for the same text: its journalists would have had it again, uncorrected.
    refused = run_cli("mail", "hello-again", "--project", str(root), "--send")
    assert refused.exit_code == 1 and (
        "releases/hello-again.yaml:6: mail/hello/sent.log says 4 journalists were sent a release with this headline "
        "under the id 'hello', which no record has now: if this release was 'hello', add `former_ids: [hello]` to "
        "releases/hello-again.yaml, and `pressgen mail hello-again` leaves out who had it; if it is another release, "
        "move mail/hello/ out of mail/") in refused.stderr.splitlines(), refused.output
    assert len(smtp.recorder.messages) == 4


GIT = ["git", "-c", "user.name=Press Office", "-c", "user.email=press@office.example", "-c", "core.hooksPath=/dev/null"]


def test_a_release_renamed_with_git_mv_is_named_by_check_and_its_mail_stops_whatever_its_headline(root, smtp):
    """A verification trial's English release, mailed, then renamed with git mv and its headline
    edited: check said nothing (the page its journalists were sent went at the next build), and
    mail would have sent it to all of them again."""
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert mail(root).exit_code == 0
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "sent"], cwd=root, check=True)
    subprocess.run([*GIT, "mv", "releases/hello.yaml", "releases/hello-again.yaml"], cwd=root, check=True)
    edit(root / "releases/hello-again.yaml", "headline: Hello from Istanbul", "headline: Hello again from Istanbul")
    hint = ("warning: releases/hello-again.yaml was 'hello': add `former_ids: [hello]` to it, so that links already "
            "sent to its old pages lead to the new ones")
    assert hint in run_cli("check", "--project", str(root)).stderr.splitlines()
    said = ("releases/hello-again.yaml:6: git sees releases/hello-again.yaml renamed from releases/hello.yaml, and "
            "mail/hello/sent.log says 4 journalists were sent it under the id 'hello': add `former_ids: [hello]` to "
            "releases/hello-again.yaml, and `pressgen mail hello-again` leaves out who had it")
    refused = run_cli("mail", "hello-again", "--project", str(root), "--send")
    assert refused.exit_code == 1 and said in refused.stderr.splitlines(), refused.output
    assert len(smtp.recorder.messages) == 4


def _renamed_and_mailed_under_its_second_id(root: Path) -> None:
    """hello, in its own language alone, mailed to two journalists; renamed hello-again
    (`former_ids: [hello]`, at the record's line 14) and mailed to the other two."""
    for lang in ("tr", "kk"):
        (root / f"locales/{lang}/releases/hello.po").unlink()
    assert mail(root, "--list", "culture").exit_code == 0  # ayse and madina
    (root / "releases/hello.yaml").rename(root / "releases/hello-again.yaml")
    record = root / "releases/hello-again.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "former_ids: [hello]\n", encoding="utf-8")
    assert run_cli("mail", "hello-again", "--project", str(root), "--send").stdout.splitlines()[-1] == \
        "2 sent, 2 already sent before, 0 refused"  # john and azamat


def test_a_release_renamed_twice_with_git_mv_is_told_every_id_it_had(root, smtp):
    """Renamed once (`former_ids: [hello]`), mailed, then renamed again with git mv: mail said to
    add `former_ids: [hello-again]`, at the headline, and the office copying it dropped 'hello'
    (found by a trial). It says the whole list, as check does, at the line of `former_ids`."""
    _renamed_and_mailed_under_its_second_id(root)
    subprocess.run([*GIT, "init", "-q"], cwd=root, check=True)
    subprocess.run([*GIT, "add", "-A"], cwd=root, check=True)
    subprocess.run([*GIT, "commit", "-qm", "sent"], cwd=root, check=True)
    subprocess.run([*GIT, "mv", "releases/hello-again.yaml", "releases/hello-three.yaml"], cwd=root, check=True)
    hint = ("warning: releases/hello-three.yaml was 'hello-again': add `former_ids: [hello, hello-again]` to it, so "
            "that links already sent to its old pages lead to the new ones")
    assert hint in run_cli("check", "--project", str(root)).stderr.splitlines()
    refused = run_cli("mail", "hello-three", "--project", str(root), "--send")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        "releases/hello-three.yaml:14: git sees releases/hello-three.yaml renamed from releases/hello-again.yaml, and "
        "mail/hello-again/sent.log says 2 journalists were sent it under the id 'hello-again': add `former_ids: "
        "[hello, hello-again]` to releases/hello-three.yaml, and `pressgen mail hello-three` leaves out who had it")
    assert len(smtp.recorder.messages) == 4
    edit(root / "releases/hello-three.yaml", "former_ids: [hello]", "former_ids: [hello, hello-again]")
    _sends_nobody_again(root, smtp, "hello-three")


def test_a_release_renamed_twice_by_hand_is_told_every_id_it_had(root, smtp):
    """The same, renamed with a plain `mv`: mail knows it by the text its second id's log names."""
    _renamed_and_mailed_under_its_second_id(root)
    (root / "releases/hello-again.yaml").rename(root / "releases/hello-three.yaml")
    refused = run_cli("mail", "hello-three", "--project", str(root), "--send")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        "releases/hello-three.yaml:14: mail/hello-again/sent.log says 2 journalists were sent this same text under "
        "the id 'hello-again', which no record has now: if this release was 'hello-again', add `former_ids: [hello, "
        "hello-again]` to releases/hello-three.yaml, and `pressgen mail hello-three` leaves out who had it; if it is "
        "another release, move mail/hello-again/ out of mail/")
    assert len(smtp.recorder.messages) == 4


def _interrupted_send(root: Path, smtp, journalists: int, delay: float, when) -> subprocess.Popen:
    """`pressgen mail hello --send` to a server taking ``delay`` seconds over each reply, given
    Ctrl-C once ``when()`` holds."""
    (root / "media.csv").write_text(media_list(journalists), encoding="utf-8")
    assert run_cli("mail", "hello", "--project", str(root)).exit_code == 0  # builds the PDFs once
    smtp.recorder.delay = delay
    command = [sys.executable, "-m", "pressgen", "mail", "hello", "--project", str(root), "--send"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not when() and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    return process


def test_ctrl_c_while_the_server_stalls_stops_at_once(root, smtp):
    """Found by a trial: Ctrl-C while a server took its time over a reply said 'Interrupted' 30 s
    later, once the QUIT sent on the way out had its answer or the socket gave up. The server
    here takes two minutes over each reply: the command ends long before it would answer."""
    process = _interrupted_send(root, smtp, journalists=3, delay=120, when=lambda: smtp.recorder.messages)
    try:
        # Not the 30 s of the socket's timeout that QUIT waited through, nor the server's reply.
        _, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("Ctrl-C waited for the stalled server")
    assert process.returncode == 130, err
    assert err.splitlines()[-1].startswith("Interrupted: mail/hello/sent.log holds every message handed to the server")


def test_ctrl_c_mid_send_says_what_to_do(root, smtp):
    """Ctrl-C printed click's bare 'Aborted!' (found by a trial)."""
    process = _interrupted_send(root, smtp, journalists=12, delay=0.1, when=lambda: smtp.recorder.transactions >= 3)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.splitlines()[-1] == ("Interrupted: mail/hello/sent.log holds every message handed to the server; run "
                                    "the same command again to send the rest (it names a message that was on its "
                                    "way, if any).")
    assert "Traceback" not in err and "Aborted!" not in err
    again = mail(root, "--resend-uncertain")
    assert again.exit_code == 0, again.output
    assert set(smtp.recorder.copies()) == {f"j{n:02d}@outlet{n % 7}.example" for n in range(12)}
