"""What `pressgen mail` sent: each release's sent log (mail/<id>/sent.log), and the digest of
a version it keeps for each message, by which a later run knows what a journalist has.

Read by mail.py, which writes it, and by the build, check and status, which learn from an
old id's log that a release renamed without `former_ids` was mailed under it."""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from .conflicts import sent_log_conflict
from .errors import PressgenError
from .model import Release
from .projectfiles import relative_name
from .render import apostrophes


def digest(lang: str, release: Release, tags: bool = False) -> str:
    """What a journalist was sent, for the sent log: the language, a hash of the date and
    texts of its version as printed (not its layout: a new stylesheet is no correction; nor its
    tags, which only the PDF's keywords hold: a trial's tag added was offered as a correction
    of a text that read the same), and how many corrections its record had: 'tr:6f1c…:1'.
    ``tags``: as pressgen 0.21 and before made it, with them, which their sent logs hold."""
    # As printed: a typewriter apostrophe the page prints as ’ is no other text (a catalog
    # re-saved in a charset without ’ is no correction; found by a trial).
    keywords = set() if tags else {id(tag) for tag in release.tags}
    texts = "\x1f".join([release.date.isoformat(), *(apostrophes(text.value) for text in release.texts()
                                                      if id(text) not in keywords)])
    return f"{lang}:{hashlib.sha256(texts.encode('utf-8')).hexdigest()[:16]}:{len(release.corrections)}"


class SentLog:
    """What happened to each message of a release, one line per event, appended and fsynced::

        sending<TAB>address<TAB>Message-ID<TAB>time<TAB>digest its data is about to go to the server
        sent<TAB>address<TAB>Message-ID<TAB>time<TAB>digest    the server replied 250: it has it
        failed<TAB>address<TAB>Message-ID<TAB>time<TAB>reply  the server said no (to MAIL, RCPT or DATA): it has not
        lost<TAB>address<TAB>Message-ID<TAB>time              the connection broke before the reply
        silent<TAB>address<TAB>Message-ID<TAB>time            no reply came: the server stopped answering

    An address's last line says where it stands. 'sending', 'lost' or 'silent' last is uncertain: the
    server may have stored the message without the reply reaching us (a kill, a dropped
    connection). Logs of pressgen 0.1 have one line per delivered message,
    address<TAB>Message-ID<TAB>time: read as 'sent'.

    A line cut short by a crash (no newline at the end of the file) is not read, and is cut
    off before the next line is appended. That errs towards asking: a 'sent' line cut short
    leaves the 'sending' before it, and a 'sending' line cut short was written before any of
    its message went out.

    A log a merge left git's conflict markers in is not read at all (PressgenError, at the first
    marker): its reader would skip the markers, and what was mended after by taking a side lost
    the other side's messages (a trial's). Two clones' logs merge as git's union (.gitattributes).

    Any other line pressgen does not write (damage: an editor's spaces for tabs, an edit by hand)
    is skipped, and said (``damage``): a message it recorded counts as never sent. Not a line cut
    short, which git's union puts before the other side's lines when it was a side's last, nor a
    line of a state a later pressgen writes.
    """

    STATES = ("sending", "sent", "failed", "lost", "silent")
    """A pressgen before 'silent' skips such a line: the 'sending' before it, uncertain too, stands."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, LogEntry] = {}
        self.lines: list[tuple[dt.datetime, str, LogEntry]] = []
        """Each line as (its time, its address, what it says), in the log's order, for history():
        a time earlier than the line's before it (a clock set back) reads as that line's."""
        self._handle = None
        self._complete = 0
        """Bytes of the file up to the end of its last whole line."""
        self.damaged: list[int] = []
        """The lines skipped as none that pressgen writes (see ``damage``)."""
        if path.exists():
            data = path.read_bytes()
            if (conflict := sent_log_conflict(path, data)) is not None:
                raise conflict
            self._complete = data.rfind(b"\n") + 1
            lines = data[:self._complete].decode("utf-8", "replace").split("\n")[:-1]
            for number, line in enumerate(lines, 1):
                fields = line.removesuffix("\r").split("\t")
                if not self._read(fields) and not _cut_short(fields) and not _of_a_later_pressgen(fields):
                    self.damaged.append(number)

    def _read(self, fields: list[str]) -> bool:
        """Read one line, split at its tabs; False if it is none this pressgen reads."""
        if len(fields) >= 4 and fields[0] in self.STATES:
            state, address, message_id = fields[:3]
            when = fields[3]
        elif len(fields) == 3 and "@" in fields[0]:
            state, (address, message_id), when = "sent", fields[:2], fields[2]  # pressgen 0.1's log
        else:
            return False
        # What was sent (pressgen 0.8): on the 'sending' and 'sent' lines, after the time.
        sent_digest = fields[4] if state in ("sending", "sent") and len(fields) > 4 else None
        self._add(address, LogEntry(state, message_id, sent_digest), _time(when))
        return True

    def damage(self, root: Path) -> str | None:
        """A warning of the lines skipped as damaged, at the first (``root``: the project), or None."""
        error = self.damage_error(root)
        return None if error is None else f"{relative_name(root, self.path)}:{error.line}: {error.message}"

    def damage_error(self, root: Path, sending: bool = False) -> PressgenError | None:
        """The lines skipped as damaged, at the first, as an error (``sending``: what stops a
        --send, which would mail the journalists of those lines again), or None."""
        if not self.damaged:
            return None
        name = relative_name(root, self.path)
        more = len(self.damaged) - 1
        also = (f" (and so {'are' if more > 1 else 'is'} {more} more line{'s' if more > 1 else ''} below it)"
                if more else "")
        stop = "; nothing is sent until then" if sending else ""
        return PressgenError(self.path, self.damaged[0], (
            f"not a line pressgen writes (damaged, or edited by hand), so it is skipped{also}: a message it recorded "
            f"counts as never sent, and mail sends it again; put the line back as git's history has it (`git log -p "
            f"-- {name}`), its fields separated by tabs, or delete it{stop}"))

    def entry(self, email: str) -> LogEntry | None:
        return self.entries.get(email.lower())

    def __enter__(self) -> "SentLog":
        return self

    def __exit__(self, *exc) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _open(self):
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("ab")
        if handle.tell() > self._complete:
            handle.truncate(self._complete)
        if new:
            # The file's name must survive a power cut too, not only its lines.
            _fsync_folder(self.path.parent)
        return handle

    def record(self, state: str, email: str, message_id: str, detail: str | None = None) -> None:
        """Append one line and make it durable before returning: the order of a 'sending'
        line and the message's data leaving is what makes a rerun safe. ``detail``: the
        server's reply on a 'failed' line, what the message holds (digest) on the others."""
        if self._handle is None:
            self._handle = self._open()
        when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        fields = [state, email, message_id, when] + ([detail.replace("\t", " ").replace("\n", " ")] if detail else [])
        self._handle.write(("\t".join(fields) + "\n").encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._add(email, LogEntry(state, message_id, detail if state in ("sending", "sent") else None), _time(when))

    def _add(self, address: str, entry: "LogEntry", when: dt.datetime | None) -> None:
        latest = self.lines[-1][0] if self.lines else _BEFORE_ANY
        self.lines.append((max(when, latest) if when else latest, address, entry))
        _step(self.entries, address, entry)


def history(logs: Sequence[SentLog]) -> dict[str, LogEntry]:
    """What each address has of a release, across the sent logs of every id it had: ``logs`` in
    the order of the ids, oldest first (its former ids as its record lists them, then its own).

    Their lines are read as one log, in the order of their times: an address has its latest
    message under any of the ids, a refusal leaves it what it had in whichever log, and the
    thread starts at its first message. Read one log after another, a notice refused under the
    new id was 'never sent the release' and the journalist never told, and a correction sent
    under the middle id of three was offered again (found by a trial). By time, not by the order
    of the ids: `former_ids` is written by hand in any order, a release can be renamed back to an
    id it had, and a machine that has not pulled the rename yet sends under the old id. Each log
    keeps its own order (see SentLog.lines), and lines of one second keep the order of the ids."""
    entries: dict[str, LogEntry] = {}
    for _, address, entry in heapq.merge(*(log.lines for log in logs), key=lambda line: line[0]):
        _step(entries, address, entry)
    return entries


def _step(entries: dict[str, "LogEntry"], address: str, entry: "LogEntry") -> None:
    """The address's entry after a line, which keeps the first message it was sent (its thread's start)."""
    before = entries.get(address.lower())
    # What the journalist has, or may have, from an earlier message: a correction, notice or
    # resend refused leaves them that. Read as 'never sent', a withdrawal notice refused once
    # was never sent again; refused once its data was in (after 'sending', the answer to that
    # data), as by a spam filter, too (helper-83's note).
    had = before if before is not None and before.state in ("sent", "lost", "silent") else \
        before.had if before is not None else None
    if entry.state == "failed" and had is not None:
        entries[address.lower()] = replace(had, refused=True)
        return
    entries[address.lower()] = replace(entry, first_id=before.first_id if before else entry.message_id,
                                       refused=entry.state == "failed",
                                       had=had if entry.state == "sending" else None)


_BEFORE_ANY = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def _time(text: str) -> dt.datetime | None:
    """A log line's time (ISO 8601, UTC as pressgen writes it), or None if it cannot be read."""
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class LogEntry:
    state: str
    """'sending', 'sent', 'failed', 'lost' or 'silent': where the address stands, by the log's last
    line about it; but a refusal ('failed') after a message it has, or may have, changes nothing."""
    message_id: str
    digest: str | None = None
    """What the message held (mail's digest: language and texts); None in older logs."""
    first_id: str | None = None
    """The Message-ID of the first message to the address: the start of the thread that its
    corrections and a withdrawal notice continue (References)."""
    refused: bool = False
    """The last message to the address was refused: it goes again with the next run."""
    had: "LogEntry | None" = None
    """Of a message in flight ('sending'): what the address had before it, which a refusal of
    its data leaves it."""

    @property
    def thread(self) -> tuple[str, ...]:
        """The Message-IDs a reply to this message names in References: the thread's start, and it."""
        return tuple(dict.fromkeys(i for i in (self.first_id, self.message_id) if i))

    @property
    def uncertain(self) -> bool:
        return self.state in ("sending", "lost", "silent")


def _cut_short(fields: list[str]) -> bool:
    """Whether a line (split at its tabs) is the start of one pressgen writes, cut short by a
    crash: the last line of a side of a merge, which git's union puts before the other side's
    lines. It counts for nothing, as at the end of the file (an empty line neither)."""
    if any(" " in field for field in fields):
        return False
    if len(fields) == 1:
        return any(state.startswith(fields[0]) for state in SentLog.STATES) or "@" in fields[0]
    return (len(fields) < 4 and fields[0] in SentLog.STATES) or (len(fields) == 2 and "@" in fields[0])


def _of_a_later_pressgen(fields: list[str]) -> bool:
    """Whether a line (split at its tabs) is of a state that a later pressgen writes, as 'silent'
    was added: skipped as an earlier pressgen skips 'silent', the line before it standing."""
    return len(fields) >= 4 and fields[0].isalpha() and fields[0].islower() and "@" in fields[1]


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
