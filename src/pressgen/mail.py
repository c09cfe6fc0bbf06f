"""Compose and send one release to the media: one message per journalist.

    pressgen mail ID [--list TAG]            writes out/mail/<id>/*.eml to review (a dry run)
    pressgen mail ID [--list TAG] --send     sends them through SMTP

Every message has exactly one recipient, in their language (when that version
is not ready: English if ready, else the first ready language in config order),
with the PDF of that language attached. Only
ready versions go out; drafts and withdrawn releases never do.

No journalist gets a release twice without being asked for. The sent log
(out/mail/<id>/sent.log, see SentLog) records each message as in flight,
fsynced, just before its data goes to the server, and as sent (or refused) on
the server's reply. A rerun sends what was never attempted and skips what was
sent. A message still in flight in the log (pressgen was killed, or the
connection was lost, between handing it over and the reply) may or may not
have arrived: it is named, the run exits 1, and it goes again only with
--resend ADDRESS or --resend-uncertain, under its first Message-ID, so that a
mail system that already has it can tell the copy is the same message.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.policy
import os
import re
import smtplib
import socket
import ssl
import time
import zoneinfo
from dataclasses import dataclass, field
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, getaddresses, make_msgid
from pathlib import Path
from typing import Callable

from . import lang as L
from .build import build
from .report import BuildReport
from .versions import Builder
from .cache import BuildCache
from .config import load_config
from .errors import PressgenError, PressgenErrors, UsageError
from .fsutil import write_atomic
from .gaps import labels_only
from .lock import MAIL_LOCK_NAME, locked
from .mailfolder import MAIL_DIR, SENT_LOG, mail_folder, move_out_of_out
from .media import Recipient, load_media_list, misspelt_lists
from .model import Config, MailConfig, Organisation, Paragraph, Release
from .outputs import Record
from .projectfiles import relative_name
from .published import read_snapshot, snapshot_path
from .records import former_ids_with, future_date_warnings, key_line, later_dates, no_such_release
from .render import Urls, apostrophes
from .orphans import headline_of_gone
from .scaffold import office_placeholder_warnings
from .sentlog import LogEntry, SentLog, digest, history
from .vcs import renamed_records

PASSWORD_VARIABLE = "PRESSGEN_SMTP_PASSWORD"
"""Seconds to wait for the server's answer, before saying it does not answer."""
FALLBACK_LANGUAGE = "en"


@dataclass
class Version:
    """One ready language version of the release, as a message needs it."""

    release: Release
    organisation: Organisation
    pdf: Path
    labels: Callable[[str], str]
    env: object
    """The language's Jinja environment, for the message bodies (mail.txt, mail.html)."""


@dataclass
class MailReport:
    written: list[Path] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    """Addresses delivered to in this run."""
    resent: list[str] = field(default_factory=list)
    """Those of them sent again because --resend or --resend-uncertain asked for it."""
    skipped: list[str] = field(default_factory=list)
    """Addresses already in the sent log."""
    outdone: list[str] = field(default_factory=list)
    """Those of them sent an earlier text than the release's now, not sent the correction."""
    waiting: dict[str, list[str]] = field(default_factory=dict)
    """With --correction, language -> those of them sent that version, whose translation is now
    behind its source: a correction for them waits for it."""
    corrected: list[str] = field(default_factory=list)
    """Addresses written (or sent) the release marked corrected, with --correction."""
    refused: list[PressgenError] = field(default_factory=list)
    uncertain: list[PressgenError] = field(default_factory=list)
    """Journalists who may or may not have the message: in flight when a run before was
    stopped, or when this run lost the connection. Not resent unless asked."""
    interrupted: PressgenError | None = None
    """The server closed the connection or it was lost: the rest waits for a rerun."""
    stand_ins: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    """(a recipient's language that is not ready, the language sent instead) -> addresses."""
    media_list: Path | None = None
    """The media list read, for messages that name its lines."""
    opted_out: list[Recipient] = field(default_factory=list)
    """Journalists the media list marks as opted out: not mailed, named by their line."""
    outdated: dict[str, str] = field(default_factory=dict)
    """Languages whose published version is outdated (its source changed since) -> when it
    was published: they are not sent, as the journalist would get yesterday's text."""
    warnings: list[str] = field(default_factory=list)
    """The build's warnings (a renamed release whose record does not name its former id), and
    a sent log moved out of out/ (mailfolder.py)."""
    moved: list[tuple[Path, Path]] = field(default_factory=list)
    """Published versions the build moved to the release's new id, as `pressgen build` says."""
    unnoted: bool = False
    """A correction written without a note of what changed (warned of once)."""

    @property
    def ok(self) -> bool:
        return not self.refused and not self.uncertain and self.interrupted is None


@locked("mail", MAIL_LOCK_NAME)
def mail(
    root: Path | str,
    release_id: str,
    list_tag: str | None = None,
    send: bool = False,
    rate: float | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    resend: tuple[str, ...] = (),
    resend_uncertain: bool = False,
    correction: bool = False,
    withdrawal: bool = False,
    warn: Callable[[str], None] | None = None,
) -> MailReport:
    """`pressgen mail`: write one .eml per recipient; with ``send``, deliver them.

    ``rate`` caps messages per minute. ``now`` is the Date of the messages. ``resend``
    names journalists to send to again whatever the sent log says; ``resend_uncertain``
    sends again to everyone whose message may or may not have arrived. ``correction`` sends
    the release as it is now, marked corrected, to everyone who was sent an earlier text of it.
    ``withdrawal`` tells everyone who was sent a withdrawn release that it is withdrawn.
    ``warn``: told each warning before anything is sent (the report's are then only those after).
    """
    root = Path(root).resolve()
    config = load_config(root)
    if config.mail is None:
        raise PressgenError(config.path or root / "pressgen.yaml", None,
                            "no 'mail' section: add 'mail: {from: press@example.org}' and an 'smtp' host to send")
    if (resend or resend_uncertain) and not send:
        raise UsageError("--resend and --resend-uncertain go with --send")
    if withdrawal and (resend or resend_uncertain or correction):
        raise UsageError("--withdrawal tells each journalist once; it goes without --resend, --resend-uncertain and "
                         "--correction")
    now = now or dt.datetime.now(dt.timezone.utc)
    media_list = root / config.mail.media_list
    # The media list and the options first: a problem there stops the run before anything
    # is built, written or sent, as `pressgen check` would have said.
    recipients = load_media_list(media_list, config)
    # Only a run for one list leaves out a journalist whose row misspells it (or takes them in
    # alone, for the misspelt name): the slips of that list are said, as `check` says them all.
    slips = [slip.warning(media_list, root) for slip in misspelt_lists(recipients)
             if list_tag in (slip.name, slip.meant)]
    if list_tag:
        everyone = recipients
        recipients = [r for r in recipients if list_tag in r.lists]
        if not recipients:
            lists = sorted({name for r in everyone for name in r.lists})
            raise UsageError(f"nobody in {config.mail.media_list} is on the list '{list_tag}'; its lists: "
                             f"{', '.join(lists) or 'none (a column named lists holds them)'}")
    opted_out = [r for r in recipients if r.opted_out]
    recipients = [r for r in recipients if not r.opted_out]
    addresses = {r.email.lower() for r in recipients}
    for address in resend:
        if address.lower() not in addresses:
            refused = next((r for r in opted_out if r.email.lower() == address.lower()), None)
            if refused:
                raise UsageError(f"--resend {address}: line {refused.row} of {config.mail.media_list} says they "
                                 f"opted out ({refused.opted_out})")
            where = f"on the list '{list_tag}'" if list_tag else f"in {config.mail.media_list}"
            raise UsageError(f"--resend {address}: nobody {where} has this address")
    again = {address.lower() for address in resend}

    moved = move_out_of_out(root)  # before the build, which would do it without saying so here
    # The PDFs must exist and be current: bring this release up to date first.
    report = build(root, release_ids=(release_id,), formats=("html", "pdf"), jobs=1)
    if not report.ok:
        raise report.errors[0] if len(report.errors) == 1 else PressgenErrors(report.errors)
    folder = mail_folder(root, release_id)
    try:
        versions, outdated, live = _ready_versions(root, config, release_id, now, withdrawal)
    except _Withdrawn:
        _keep_only(folder, [])  # messages written for review before are not to be sent now
        raise

    log = SentLog(folder / SENT_LOG)
    # A renamed release went out under its former ids: whoever had it then has it. Its record
    # names them, or (renamed without saying so) its published versions remember them.
    former_ids = dict.fromkeys((*next(iter(versions.values())).release.former_ids,
                                *_published_former_ids(root, config, release_id)))
    former = [SentLog(mail_folder(root, old) / SENT_LOG) for old in former_ids]
    had = history([*former, log])
    _refuse_unnamed_rename(root, release_id, versions, {*former_ids, *live}, config.languages)
    if correction and not any(entry.state != "failed" for entry in had.values()):
        # Nothing went out to correct: a trial's --correction wrote first sends, and said to send
        # them 'with --send --correction'.
        raise UsageError(f"--correction: '{release_id}' has not been sent to anyone yet (its sent log, "
                         f"{relative_name(root, log.path)}, names nobody), so there is no earlier text to correct; "
                         f"send it with `pressgen mail {release_id} --send`")
    # A withdrawal or correction dated ahead is said here too, whether or not the build made a
    # page (a trial's notices went out saying 'withdrawn on' tomorrow, without a word).
    source = next(iter(versions.values())).release
    ahead = future_date_warnings(source.source.path, later_dates(source), root, config.timezone)
    result = MailReport(media_list=media_list, opted_out=opted_out, outdated=outdated,
                        warnings=list(dict.fromkeys([*slips, *moved, *report.warnings, *ahead,
                                                     *office_placeholder_warnings(config),
                                                     *filter(None, (sent.damage(root) for sent in (log, *former)))])),
                        moved=report.moved)
    messages = []
    for recipient in recipients if not withdrawal else ():  # a withdrawal's notices are _notices'
        earlier = had.get(recipient.email.lower())
        asked = recipient.email.lower() in again or (resend_uncertain and earlier is not None and earlier.uncertain)
        now_sent = digest(lang := mail_language(versions, recipient), versions[lang].release)
        outdone = earlier is not None and earlier.state == "sent" and _earlier_text(earlier.digest, versions)
        if earlier is not None and earlier.state != "failed" and not asked and not (correction and outdone):
            # Not this run's, in review as in sending: they have it, or may have it (sent again
            # only when asked), and the folder holds exactly the messages --send would send.
            if earlier.state == "sent":
                result.skipped.append(recipient.email)
                if outdone:
                    result.outdone.append(recipient.email)
                elif correction and recipient.language in outdated \
                        and (earlier.digest or "").startswith(f"{recipient.language}:"):
                    # Their version's translation is behind its source: a correction waits for it.
                    result.waiting.setdefault(recipient.language, []).append(recipient.email)
            else:
                result.uncertain.append(_uncertain(media_list, recipient, earlier.state, config.mail.timeout))
            continue
        corrects = earlier if correction and outdone and not asked else None
        message = compose(versions, recipient, config, now, corrects=corrects)
        if corrects:
            result.corrected.append(recipient.email)
            if not _has_new_note(versions[lang].release, corrects) and not result.unnoted:
                result.unnoted = True
                record = versions[lang].release.source.path
                result.warnings.append(
                    f"{relative_name(root, record)}: sent as corrected with no note of what changed: the mails say "
                    "'Corrected on …' and no more, and the page shows no correction; to say what was corrected, "
                    "add it to the record (`corrections:` with `- date:` and `note:`) before sending")
        elif earlier is not None:
            # One message per journalist and release: a copy sent again is the same message.
            del message["Message-ID"]
            message["Message-ID"] = earlier.message_id
        if recipient.language not in versions:
            sent_in = message["Content-Language"]
            result.stand_ins.setdefault((recipient.language, sent_in), []).append(recipient.email)
        # Named by the recipient's line in the media list, so they sort as it does.
        path = folder / f"{recipient.row:04d}-{_slug(recipient.email)}.eml"
        write_atomic(path, bytes(message))
        result.written.append(path)
        messages.append((recipient, message, asked and earlier is not None and earlier.state != "failed", now_sent))
    if withdrawal:
        messages = _notices(versions, recipients, had, config, now, folder, result)
    _keep_only(folder, result.written)
    if not send:
        return result

    pending = messages
    interval = 60.0 / rate if rate else 0.0
    if not pending:
        return result
    if damage := next(filter(None, (sent.damage_error(root, sending=True) for sent in (log, *former))), None):
        # Said before anything goes: a journalist on a damaged line would be mailed again (the
        # review run, which sends nothing, warns of it). Not when nothing is to go (a trial's).
        raise damage
    if warn is not None:
        # Said before the messages go, while they can still be stopped (a trial read that its
        # notices were dated ahead after they had gone; with the server unreachable, never).
        for warning in result.warnings:
            warn(warning)
        result.warnings.clear()
    smtp = _connect(config.mail, config.path)
    try:
        _send(smtp, pending, log, config, media_list, interval, progress, result)
    finally:
        # What the server took, or may have, is no longer to review: the folder holds what
        # --send would send now (a refused message, one the run did not get to).
        _keep_only(folder, [path for path, (recipient, *_) in zip(result.written, pending)
                            if (entry := log.entry(recipient.email)) is None or entry.refused])
    return result


WITHDRAWAL = "withdrawn:"
"""How the sent log's digest marks a withdrawal notice: 'withdrawn:2026-12-07'."""


def _notices(versions: dict[str, Version], recipients: list[Recipient], had: dict[str, LogEntry],
             config: Config, now: dt.datetime, folder: Path, result: MailReport) -> list[tuple]:
    """A withdrawal notice to each journalist the sent logs (``had``: sentlog.history of the
    release's ids) say was sent the release (or may have been), not told yet: in their
    language, threaded under the last message they had."""
    messages = []
    for recipient in recipients:
        earlier = had.get(recipient.email.lower())
        if earlier is None or earlier.state == "failed":
            continue  # never had it
        if (earlier.digest or "").startswith(WITHDRAWAL):
            result.skipped.append(recipient.email)  # told before
            continue
        lang = mail_language(versions, recipient)
        message = compose_withdrawal(versions[lang], lang, recipient, config, now, earlier)
        path = folder / f"{recipient.row:04d}-{_slug(recipient.email)}.eml"
        write_atomic(path, bytes(message))
        result.written.append(path)
        messages.append((recipient, message, False, f"{WITHDRAWAL}{versions[lang].release.withdrawn.isoformat()}"))
    return messages


def _send(smtp: smtplib.SMTP, pending: list, log: SentLog, config: Config, media_list: Path, interval: float,
          progress: Callable[[int, int, str], None] | None, result: MailReport) -> None:
    with _closing(smtp), log:
        for done, (recipient, message, asked, sent_digest) in enumerate(pending, 1):
            started = time.monotonic()
            outcome = _deliver(smtp, config.mail.sender, recipient.email, message, log, sent_digest)
            if outcome is _SENT:
                result.sent.append(recipient.email)
                if asked:
                    result.resent.append(recipient.email)
            elif isinstance(outcome, _Lost):
                if outcome.handed_over:
                    result.uncertain.append(_uncertain(media_list, recipient, "silent" if outcome.silent else "lost",
                                                      config.mail.timeout))
                result.interrupted = _interrupted(len(result.sent), len(pending), outcome, config.mail.timeout)
                break
            else:
                code, reply, stage = outcome
                if stage == "mail":
                    # The sender, not the journalist: every message would be refused the same way
                    # (a trial was told, once a journalist, to check each address in the media list).
                    result.interrupted = _sender_refused(config, code, reply, len(result.sent), len(pending))
                    break
                what = "refused by the server" if stage == "rcpt" else "not sent"
                result.refused.append(PressgenError(media_list, recipient.row,
                                                    f"{recipient.email} {what}: {code} {_text(reply)}; "
                                                    f"{_after_refusal(code)}"))
            if progress:
                progress(done, len(pending), recipient.email)
            if interval and done < len(pending):
                time.sleep(max(0.0, interval - (time.monotonic() - started)))


def _after_refusal(code: int) -> str:
    """What to do after the server's no: a 4xx passes (run again later), a 5xx does not (a trial
    was told the reply alone, and could not tell which was which)."""
    if 400 <= code < 500:
        return "the server refuses it for now: run the same command again later, which sends only what is left"
    return ("the server will not take it: check the address in the media list (or the message, if the reply names "
            "it), then run the same command again, which sends only what is left")


_TRY_LATER = ("try again later with the same command, which sends only what is left (messages already sent are "
              "not sent again)")


def _sender_refused(config: Config, code: int, reply, sent: int, total: int) -> PressgenError:
    """The server's no to MAIL FROM: the office's address (or the account) is what to change."""
    settings = config.mail
    stopped = f"the run stopped after {sent} of {total} message(s)"
    if 400 <= code < 500:
        what = f"refused the sender {settings.sender} for now: {_said(code, reply)}; {stopped}: {_TRY_LATER}"
    else:
        account = f"the account '{settings.username}'" if settings.username else "the account"
        what = (f"refused the sender {settings.sender}: {_said(code, reply)}; {stopped}: set mail's from to an "
                f"address {account} may send as, then run the same command again, which sends only what is left")
    return PressgenError(config.path, settings.sender_line, f"the SMTP server {settings.host}:{settings.port} {what}")


_SENT = object()


@dataclass
class _Lost:
    """The connection ended during a message."""

    handed_over: bool
    """The message's data had gone to the server: it may have stored it."""
    reply: str | None = None
    """The server's 421 ('421 4.3.2 Service not available') when it closed the connection, rather
    than a connection that broke."""
    silent: bool = False
    """The server stopped answering: no reply within mail's timeout, and the connection given up."""


def _timed_out(exc: smtplib.SMTPServerDisconnected) -> bool:
    """smtplib reports a reply that never came as a lost connection; the timeout is its cause."""
    return isinstance(exc.__context__, TimeoutError)


def _deliver(smtp: smtplib.SMTP, sender: str, to: str, message: EmailMessage, log: SentLog, sent_digest: str):
    """One SMTP transaction: _SENT, a _Lost, or (code, reply, stage) when the server said no.

    smtplib's sendmail() hides which step failed; the log needs to know whether the
    message's data had gone out. So the steps are taken here, and the message is marked
    in flight just before its data is handed over: an end of the connection before that
    point means the server cannot have it, and after it nobody knows until the reply.
    """
    data = bytes(message)  # exactly the .eml written for review
    try:
        smtp.ehlo_or_helo_if_needed()
        options = [f"SIZE={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        if not data.isascii() and smtp.has_extn("8bitmime"):
            options.append("BODY=8BITMIME")  # the UTF-8 text parts are 8bit (RFC 6152)
        steps = (("mail", lambda: smtp.mail(sender, options), (250, 251)),
                 ("rcpt", lambda: smtp.rcpt(to), (250, 251)),
                 ("data", lambda: smtp.docmd("data"), (354,)))
        for stage, step, accepted in steps:
            code, reply = step()
            if code not in accepted:
                return _refused(smtp, log, to, message["Message-ID"], code, reply, stage)
    except smtplib.SMTPServerDisconnected as exc:
        return _Lost(handed_over=False, silent=_timed_out(exc))
    except smtplib.SMTPResponseException as exc:  # EHLO refused, say: nothing of the message went out
        return exc.smtp_code, exc.smtp_error, "ehlo"
    log.record("sending", to, message["Message-ID"], sent_digest)
    try:
        # As smtplib.SMTP.data() does: dot-stuffing, and a line with a single dot to end.
        body = re.sub(rb"(?m)^\.", b"..", data)
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        smtp.send(body + b".\r\n")
        code, reply = smtp.getreply()
    except smtplib.SMTPServerDisconnected as exc:
        lost = _Lost(handed_over=True, silent=_timed_out(exc))
        log.record("silent" if lost.silent else "lost", to, message["Message-ID"])
        return lost
    if code == 250:
        log.record("sent", to, message["Message-ID"], sent_digest)
        return _SENT
    # Any other reply to the data is the server's answer: it did not take the message.
    return _refused(smtp, log, to, message["Message-ID"], code, reply, "data")


def _refused(smtp: smtplib.SMTP, log: SentLog, to: str, message_id: str, code: int, reply: bytes, stage: str):
    """The server's no to a message, at any step: logged as failed with its reply (the next run
    sends it again), then what _deliver returns."""
    log.record("failed", to, message_id, _said(code, reply))
    if code == 421:
        return _Lost(handed_over=False, reply=_said(code, reply))
    try:
        smtp.rset()
    except smtplib.SMTPServerDisconnected:
        return _Lost(handed_over=False)
    return code, reply, stage


class _closing:
    """QUIT at the end, whatever the server answers: every message's fate is in the log by
    then, and smtplib's own __exit__ raises when QUIT gets anything but 221. Not after Ctrl-C
    or a lost connection: the server may be the reason (a trial's stalled server made Ctrl-C
    wait 30 s for QUIT's reply); the connection is closed at once."""

    def __init__(self, smtp: smtplib.SMTP):
        self.smtp = smtp

    def __enter__(self) -> smtplib.SMTP:
        return self.smtp

    def __exit__(self, kind, exc, trace) -> None:
        try:
            if kind is None or not issubclass(kind, (KeyboardInterrupt, OSError)):
                self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            self.smtp.close()


def _uncertain(media_list: Path, recipient: Recipient, state: str, timeout: int) -> PressgenError:
    why = {"sending": "pressgen was stopped before the server replied",
           "lost": "the connection was lost after sending",
           "silent": f"the server stopped answering after it was sent: no reply in {timeout} s"}[state]
    return PressgenError(media_list, recipient.row,
                         f"{recipient.email}: the server may or may not have received it ({why}); "
                         f"resend with --resend {recipient.email} or --resend-uncertain")


class _Withdrawn(PressgenError):
    pass


def _keep_only(folder: Path, messages: list[Path]) -> None:
    """The review folder holds exactly the messages of this run (and the sent log)."""
    for path in folder.glob("*.eml"):
        if path not in messages:
            path.unlink()


def _refuse_unnamed_rename(root: Path, release_id: str, versions: dict[str, Version], known: set[str],
                           languages: tuple[str, ...]) -> None:
    """Stop before anything is sent when the sent log of an id no record has (``known``: the
    records' ids and the release's former ids) names this very text: the release was renamed without `former_ids`,
    and one that no version published remembers (its own language alone, a trial's English
    release) would go to everyone again."""
    release = next(iter(versions.values())).release
    record = release.source.path
    # The whole list to add, as check says it, at the line of the one the record has.
    where = key_line(record, "former_ids") or key_line(record, "headline")
    # Renamed as git sees it (git mv, its headline edited too): its old id's log is its own.
    old = renamed_records(root).get(record)
    if old is not None and old.stem not in known and (mail_folder(root, old.stem) / SENT_LOG).is_file():
        log = mail_folder(root, old.stem) / SENT_LOG
        had = [address for address, entry in SentLog(log).entries.items() if entry.state != "failed"]
        if had:
            raise PressgenError(record, where, (
                f"git sees {relative_name(root, record)} renamed from {relative_name(root, old)}, and "
                f"{_who_had_it(root, log, had)} sent it under the id '{old.stem}': add `former_ids: "
                f"{former_ids_with(release, old.stem)}` to {relative_name(root, record)}, and `pressgen mail "
                f"{release_id}` leaves out who had it"))
    folder = root / MAIL_DIR
    try:
        logs = [path / SENT_LOG for path in sorted(folder.iterdir()) if path.name != release_id
                and path.name not in known and (path / SENT_LOG).is_file()]
    except OSError:
        return
    if not logs:
        return
    this = {made for lang, version in versions.items() for made in (digest(lang, version.release),
                                                                     digest(lang, version.release, tags=True))}
    # The headline as written (its source's), which the old id's catalogs have as their msgid.
    source = versions.get(release.lang)
    headline = " ".join(source.release.headline.value.split()) if source is not None else None
    for log in logs:
        old = log.parent.name
        entries = [(address, entry) for address, entry in SentLog(log).entries.items() if entry.state != "failed"]
        had = [address for address, entry in entries if entry.digest in this]
        if had:
            what = "this same text"
        elif entries and headline is not None and headline_of_gone(root, languages, old) == headline:
            # Edited as it moved (a word changed): its old id's catalogs still have its headline.
            had, what = [address for address, _ in entries], "a release with this headline"
        else:
            continue
        raise PressgenError(record, where, (
            f"{_who_had_it(root, log, had)} sent {what} under the id '{old}', which no record has "
            f"now: if this release was '{old}', add `former_ids: {former_ids_with(release, old)}` to "
            f"{relative_name(root, record)}, and `pressgen mail {release_id}` leaves out who had it; if it is "
            f"another release, move {relative_name(root, log.parent)}/ out of mail/"))


def _who_had_it(root: Path, log: Path, had: list[str]) -> str:
    """'mail/x/sent.log says 2 journalists were': how a refusal names who had a release."""
    return f"{relative_name(root, log)} says {len(had)} {'journalist was' if len(had) == 1 else 'journalists were'}"


def _published_former_ids(root: Path, config: Config, release_id: str) -> list[str]:
    """The ids the release's published versions went out under before it was renamed."""
    ids: list[str] = []
    for lang in config.languages:
        try:
            snapshot = read_snapshot(snapshot_path(root, lang, release_id))
        except PressgenError:
            continue  # the build said so
        ids += snapshot.former_ids if snapshot else ()
    return ids


def _ready_versions(root: Path, config: Config, release_id: str, now: dt.datetime,
                    withdrawal: bool = False) -> tuple[dict[str, Version], dict[str, str], set[str]]:
    """The versions to send, the outdated ones (language -> when published) that are not, and
    every record's id; ``withdrawal``: of a withdrawn release, whose notices name them."""
    report = BuildReport()
    builder = Builder(root, config, BuildCache.load(root, root / "out"), report, now)
    records, broken = builder.records()
    record = next((r for r in records if r.id == release_id), None)
    if record is None:
        raise UsageError(no_such_release(release_id, {r.id for r in records} | set(broken),
                                         {old: r.id for r in records for old in r.former_ids}))
    release = record.release
    if release.withdrawn and not withdrawal:
        raise _Withdrawn(release.source.path, key_line(release.source.path, "withdrawn"),
                         f"this release was withdrawn on {release.withdrawn.isoformat()}; it is never mailed (tell "
                         "those who were sent it with --withdrawal)")
    if withdrawal and not release.withdrawn:
        raise UsageError(f"--withdrawal: {release.source.path.name} has no 'withdrawn' date; add 'withdrawn: "
                         "YYYY-MM-DD' to it first")
    versions: dict[str, Version] = {}
    outdated: dict[str, str] = {}
    for lang in config.languages:
        state = builder.readiness(record, lang)
        pdf = root / "out" / lang / f"{release_id}.pdf"
        # A version waiting only for labels (an office text edited since `catalogs update`) is
        # online with their previous translations: it goes out as it is online. Not one whose
        # source changed since it was published (a paragraph deleted): what is online is the
        # version published, which its journalists have (a trial's went out again, marked corrected).
        behind = labels_only(state)
        if behind and lang != record.lang:
            published = builder.outdated(record, lang)
            behind = not (published and published["changed"])
        if not (state and state["ready"] or behind) or not pdf.exists():
            # Drafts never go out, nor does a published version whose source changed since.
            published = builder.outdated(record, lang) if not (state and state["ready"]) else None
            if published is not None:
                outdated[lang] = published["published"]
                if withdrawal:
                    # A notice in the language the journalist holds: its version as it went out,
                    # as its page shows it (a trial's Kazakh journalists were told in English).
                    builder.serving.add((record.id, lang))
                    versions[lang] = _version(builder, record, lang, builder.version_release(record, lang), pdf)
            continue
        versions[lang] = _version(builder, record, lang, builder.translate(record, lang)[0], pdf)
    if not versions:
        raise PressgenError(release.source.path, None, "no language version is ready to send; see `pressgen status`")
    return versions, outdated, {r.id for r in records} | set(broken)


def _version(builder: Builder, record: Record, lang: str, release: Release, pdf: Path) -> Version:
    """What a message is made from: ``release`` in ``lang`` with its office texts and labels."""
    env, interface = builder.renderer.language(lang)
    organisation = interface.organisation(builder.config.organisations[release.organisation])
    return Version(release, organisation, pdf, interface.gettext, env)


def sender_address(org: Organisation, settings: MailConfig) -> str:
    """The From address of an organisation's releases: its own, else the office's."""
    return org.sender.email if org.sender and org.sender.email else settings.sender


def mail_language(versions: dict[str, Version], recipient: Recipient) -> str:
    """The language a journalist is sent: theirs, or the fallback while theirs is not ready."""
    return recipient.language if recipient.language in versions else (
        FALLBACK_LANGUAGE if FALLBACK_LANGUAGE in versions else next(iter(versions)))


def _has_new_note(release: Release, corrects: LogEntry) -> bool:
    """Whether the release has a correction note the journalist sent ``corrects`` has not read."""
    return len(release.corrections) > _corrections_known(corrects.digest)


def _corrections_known(sent: str | None) -> int:
    """How many corrections the release had when a message with digest ``sent`` went out."""
    count = (sent or "").split(":")[2:3]
    return int(count[0]) if count and count[0].isdigit() else 0


def compose_withdrawal(version: Version, lang: str, recipient: Recipient, config: Config, now: dt.datetime,
                       withdraws: LogEntry) -> EmailMessage:
    """A notice that the release sent in ``withdraws`` (the sent log's entry) is withdrawn, in
    the page's words: its mark and the sentence under it, the headline, the page's address."""
    release, org, label = version.release, version.organisation, version.labels
    assert config.mail is not None and release.withdrawn is not None
    mark = label("WITHDRAWN")
    headline = apostrophes(release.headline.value)
    contact = next((c for c in release.contacts or org.contacts if c.email), None)
    answer = (contact.name.value, contact.email) if contact else None
    message, unsubscribe = _addressed(f"[{mark}] {headline}", org, recipient, config, now,
                                      f"{release.id}.withdrawn", answer, withdraws)
    sentence = label("Withdrawn on %(date)s. This release is no longer valid and must not be used.") % {
        "date": L.long_date(release.withdrawn, lang)}
    lines = [f"{mark}: {headline}", "", sentence]
    if config.base_url:
        lines += ["", f"{label('Read online')}: {Urls(config.base_url).page(lang, release.id)}"]
    lines += ["", label("To stop receiving our releases, write to %(address)s with the subject “unsubscribe”.")
              % {"address": unsubscribe}]
    message.set_content("\n".join(lines) + "\n")
    message["Content-Language"] = L.bcp47(lang)
    return message


def _addressed(subject: str, org: Organisation, recipient: Recipient, config: Config, now: dt.datetime,
               idstring: str, answer: tuple[str, str] | None, replies_to: LogEntry | None) -> tuple[EmailMessage, str]:
    """A message's headers, and the address that unsubscribes: ``answer`` (name, address) is
    its Reply-To, ``replies_to`` the sent log's entry of the message it continues (a
    correction's, a notice's): In-Reply-To names it, References the thread up to it."""
    assert config.mail is not None
    message = EmailMessage(policy=_POLICY)
    message["Subject"] = subject
    local, _, domain = sender_address(org, config.mail).partition("@")
    name = org.sender.name if org.sender and org.sender.name else org.name
    message["From"] = Address(name.value, local, domain)
    message["To"] = Address(recipient.name, *recipient.email.split("@", 1))
    if answer:
        message["Reply-To"] = Address(answer[0], *answer[1].split("@", 1))
    # RFC 2369, as Gmail's and Yahoo's bulk-sender rules ask: the mail program offers an
    # "Unsubscribe" button that mails the office. (One-click unsubscribe, RFC 8058, needs an
    # HTTPS endpoint taking a POST, which a static newsroom does not have.)
    unsubscribe = config.mail.unsubscribe or config.mail.sender
    message["List-Unsubscribe"] = f"<mailto:{unsubscribe}?subject=unsubscribe>"
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(idstring=idstring, domain=domain)
    if replies_to:
        message["In-Reply-To"] = replies_to.message_id
        message["References"] = " ".join(replies_to.thread)
    return message, unsubscribe


def _earlier_text(sent: str | None, versions: dict[str, Version]) -> bool:
    """Whether a message sent with digest ``sent`` held an earlier text than its language's
    version has now: the language it was sent in, which the journalist holds (the English sent
    while their own waited for its translator, corrected since, is theirs to correct, whatever
    language is ready for them today). (A log of pressgen 0.7 has no digest.)"""
    if sent is None:
        return False
    if sent.startswith(WITHDRAWAL):
        # Told it was withdrawn, and it is not now (reinstated: mail refuses a withdrawn release
        # but for its notices): what they hold says not to use it (a trial's were never told).
        return True
    lang = sent.partition(":")[0]
    return lang in versions and sent not in (digest(lang, versions[lang].release),
                                             digest(lang, versions[lang].release, tags=True))


def compose(versions: dict[str, Version], recipient: Recipient, config: Config, now: dt.datetime,
            corrects: LogEntry | None = None) -> EmailMessage:
    """One message to one journalist, in their language or the fallback; ``corrects``: the
    sent log's entry of the message with an earlier text this one corrects."""
    lang = mail_language(versions, recipient)
    version = versions[lang]
    release, org, label = version.release, version.organisation, version.labels
    assert config.mail is not None
    urls = Urls(config.base_url)
    # The headline as the body and the PDF print it: TÜRKSOY’un, not TÜRKSOY'un.
    subject = apostrophes(release.headline.value)
    notice = None
    if release.embargo and release.embargo > now:
        notice = label("Embargoed until %(moment)s") % {"moment": L.long_datetime(release.embargo, lang)}
        subject = f"[{notice}] {subject}"
    corrected = None
    if corrects:
        # The page's words: 'Corrected on April 9, 2011:', with the record's last correction
        # if it is newer than what the journalist has, else today's date and no note.
        last = max(release.corrections, key=lambda c: c.date) if release.corrections else None
        if last is not None and not _has_new_note(release, corrects):
            last = None  # they were sent it with the message this one corrects
        # Today is the office's (its timezone's), as `pressgen new` dates a record: at 00:18 in
        # Istanbul a trial's correction was dated the day before, UTC's.
        today = now.astimezone(zoneinfo.ZoneInfo(config.timezone)).date() if config.timezone else now.date()
        words = label("Corrected on %(date)s:") % {"date": L.long_date(last.date if last else today, lang)}
        # Without a note to follow, the line ends as a sentence: 'Corrected on April 9, 2011.'
        corrected = (words, last.note) if last else (words.rstrip(": ") + ".", None)
        subject = f"[{words.rstrip(': ')}] {subject}"
    contacts = release.contacts or org.contacts
    reply_to = next((c.email for c in contacts if c.email), None)

    answer = (contacts[0].name.value if contacts else "", reply_to) if reply_to else None
    message, unsubscribe = _addressed(subject, org, recipient, config, now, f"{release.id}.{lang}", answer, corrects)

    page = urls.page(lang, release.id) if config.base_url else None
    env = version.env
    # The standfirst, or for a wire item without one its lead paragraph: the news itself.
    lead = release.summary or next((block.text for block in release.body if isinstance(block, Paragraph)), None)
    context = {"release": release, "org": org, "contacts": contacts, "page": page, "html_lang": L.bcp47(lang),
               "lead": lead, "unsubscribe": unsubscribe, "embargo_notice": notice, "corrected": corrected}
    message.set_content(env.get_template("mail.txt").render(context))
    message.add_alternative(env.get_template("mail.html").render(context), subtype="html")
    message.add_attachment(version.pdf.read_bytes(), maintype="application", subtype="pdf",
                           filename=f"{release.id}-{lang}.pdf")
    # After the parts: setting content clears a message's Content-* headers.
    message["Content-Language"] = L.bcp47(lang)
    return message


_FOLD = 75
"""Header's limit counts a continuation line's leading space: this keeps each encoded word within 75."""
_WORD_LIMIT = 70
"""A name's encoded words stay shorter, so that 'From: ' and the word fit in a 78-character line."""


def _encoded_word(text: str) -> str:
    return f"=?utf-8?b?{base64.b64encode(text.encode('utf-8')).decode('ascii')}?="


class _HeaderPolicy(email.policy.EmailPolicy):
    """SMTP's policy, with non-ASCII headers written as the email package's older Header
    class writes them: only encoded words, each at most 75 characters (RFC 2047), split
    between whole characters.

    The modern folder (email._header_value_parser) mixes plain and encoded words and
    drops the space at a seam between the two ('(GMT+03:00)дейін' once), and without a
    fold limit it writes encoded words of 200 characters that strict gateways refuse.
    """

    ADDRESS_HEADERS = ("from", "to", "cc", "reply-to", "sender")
    MESSAGE_ID_LISTS = ("in-reply-to", "references")
    """Message-IDs as they are: the email package reads these as free text, and encodes a
    Message-ID longer than a line in RFC 2047 words, which no mail program reads as one."""

    def fold(self, name: str, value) -> str:
        text = str(value)
        if name.lower() in self.MESSAGE_ID_LISTS:
            return f"{name}: {' '.join(text.split())}{self.linesep}"  # a line may hold 998 characters
        if text.isascii():
            return super().fold(name, value)
        if name.lower() in self.ADDRESS_HEADERS:
            encoded = ", ".join(self._address(name, display, address) for display, address in getaddresses([text]))
        else:
            encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep, maxlinelen=_FOLD)
        return f"{name}: {encoded}{self.linesep}"

    def fold_binary(self, name: str, value) -> bytes:
        return self.fold(name, value).encode("ascii")

    def _address(self, name: str, display: str, address: str) -> str:
        if display.isascii():
            return formataddr((display, address))
        # Split between words, each space kept inside the word before it, so that no
        # name is cut in two, whatever a reader makes of the gap between encoded words.
        words = [w + " " for w in display.split(" ")[:-1]] + [display.split(" ")[-1]]
        chunks = [words[0]]
        for word in words[1:]:
            if len(_encoded_word(chunks[-1] + word)) <= _WORD_LIMIT:
                chunks[-1] += word
            else:
                chunks.append(word)
        encoded = [Header(chunk, "utf-8").encode(linesep=self.linesep, maxlinelen=_FOLD)
                   if len(_encoded_word(chunk)) > _WORD_LIMIT else _encoded_word(chunk) for chunk in chunks]
        fold = self.linesep + " "
        last = f"{encoded[-1]} <{address}>"
        # The address goes on a line of its own when it would make the last one too long.
        starts_at = len(name) + 2 if len(encoded) == 1 else 1  # after 'From: ', or the fold's space
        if starts_at + len(last) > 78:
            last = f"{encoded[-1]}{fold}<{address}>"
        return fold.join([*encoded[:-1], last])


_POLICY = _HeaderPolicy(linesep="\r\n")
"""Like email.policy.SMTP: CRLF line ends, bodies and attachments in lines of at most 78."""


def _connect(settings: MailConfig, config_path: Path | None) -> smtplib.SMTP:
    password = os.environ.get(PASSWORD_VARIABLE) if settings.username else None
    if settings.username and not password:
        raise PressgenError(None, None, f"set the SMTP password in the {PASSWORD_VARIABLE} environment variable "
                            "(it is never read from a file)")
    server = f"{settings.host}:{settings.port}"
    # The default context verifies the certificate and the host name; OpenSSL reads
    # SSL_CERT_FILE / SSL_CERT_DIR, which is how a private certificate authority is trusted.
    context = ssl.create_default_context()
    smtp: smtplib.SMTP | None = None
    where = (None, None)
    try:
        if settings.security == "ssl":
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, context=context, timeout=settings.timeout)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
            if settings.security == "starttls":
                smtp.starttls(context=context)
        if settings.username:
            _login(smtp, settings.username, password)
        return smtp
    except smtplib.SMTPAuthenticationError as exc:
        problem = (f"the SMTP server {server} refused the login of '{settings.username}': {exc.smtp_code} "
                   f"{_text(exc.smtp_error)}; check the username in pressgen.yaml and {PASSWORD_VARIABLE}")
    except smtplib.SMTPNotSupportedError as exc:
        what = str(exc)
        missing = ("STARTTLS" if "STARTTLS" in what else
                   "AUTH PLAIN, which a password with letters beyond ASCII needs" if "PLAIN" in what else
                   "a login (SMTP AUTH)")
        problem = f"the SMTP server {server} does not offer {missing}; check 'security' and 'username' in pressgen.yaml"
    except ssl.SSLCertVerificationError as exc:
        problem = (f"the SMTP server {server} is not trusted: {exc.verify_message}; if it uses a private certificate "
                   "authority, point SSL_CERT_FILE at that authority's certificate")
    except smtplib.SMTPResponseException as exc:  # its greeting, EHLO or STARTTLS said no
        said = _said(exc.smtp_code, exc.smtp_error)
        if 400 <= exc.smtp_code < 500:
            problem = f"the SMTP server {server} is not taking mail for now: {said}; {_TRY_LATER}"
        else:
            problem = f"the SMTP server {server} refused the connection: {said}; check mail's host and port"
            where = (config_path, settings.host_line)
    except (OSError, smtplib.SMTPException) as exc:
        # The host and port are what to check: said at the host's line (a trial's typo got the
        # resolver's 'Name or service not known' and no line).
        problem = f"cannot reach the SMTP server {server}: {_unreachable(exc, settings.port, settings.timeout)}"
        where = (config_path, settings.host_line)
    if smtp is not None:
        smtp.close()
    raise PressgenError(*where, problem)


def _unreachable(exc: Exception, port: int, timeout: int) -> str:
    """Why a connection failed, in words, and what to check in pressgen.yaml."""
    if isinstance(exc, socket.gaierror):
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)):  # the resolver's 'no such name'
            return "no such host name; check mail's host"
        return f"its name could not be looked up ({exc.strerror}); check the network, or mail's host"
    if isinstance(exc, ConnectionRefusedError):
        return f"nothing answers on port {port}; check mail's host and port, and that the server is running"
    if isinstance(exc, TimeoutError):
        return f"no answer in {timeout} s; check mail's host and port, and the network"
    return f"{exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}; check mail's host and port"


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib sends credentials as ASCII and crashes on 'ş' or 'ң' (CPython issue 73936).
    RFC 4616 defines AUTH PLAIN in UTF-8, so a non-ASCII login is sent that way."""
    if (username + password).isascii():
        smtp.login(username, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if "PLAIN" not in smtp.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPNotSupportedError("SMTP AUTH PLAIN is not offered by the server")
    credentials = base64.b64encode(f"\0{username}\0{password}".encode("utf-8")).decode("ascii")
    code, reply = smtp.docmd("AUTH", f"PLAIN {credentials}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _interrupted(sent: int, total: int, lost: _Lost, timeout: int) -> PressgenError:
    if lost.reply:
        # A 421: the server says it is not taking mail now (a limit, a restart), in its words.
        return PressgenError(None, None, f"the SMTP server closed the connection after {sent} of {total} message(s): "
                             f"{lost.reply}; it is not taking mail for now: {_TRY_LATER}")
    if lost.silent:
        # What the next run does with the message it did not answer, as for any uncertain one.
        named = ("; the message it did not answer is sent again only with --resend or --resend-uncertain"
                 if lost.handed_over else "")
        return PressgenError(None, None, f"the SMTP server stopped answering (no reply in {timeout} s) after "
                             f"{sent} of {total} message(s); run the same command again later to send the rest (the "
                             f"sent log keeps what went out{named})")
    return PressgenError(None, None, f"the connection to the SMTP server was lost after {sent} of {total} message(s); "
                         "run the same command again to send the rest (the sent log keeps what went out)")


def _slug(email: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", email.lower()).strip("-")


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _said(code: int, reply) -> str:
    """A reply as the server wrote it, on one line: smtplib gives bytes, lines joined by newlines."""
    return f"{code} {' '.join(_text(reply).split())}"
