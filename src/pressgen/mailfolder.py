"""Where `pressgen mail` keeps a release's messages: mail/<id>/ in the project.

    mail/<id>/NNNN-<address>.eml   the messages `--send` would send now, to review (not committed)
    mail/<id>/sent.log             who was sent what (committed, as published/ is)

Not in out/, where pressgen 0.7 kept them: out/ is what the web server serves, and
the folder holds journalists' addresses and, before an embargo lifts, the release
itself; and out/ is a build product, which a clean build or a fresh clone does not
have, so a sent log there could be lost and journalists mailed twice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .fsutil import write_atomic

MAIL_DIR = "mail"
SENT_LOG = "sent.log"
SENT_LOG_MERGE = f"{MAIL_DIR}/*/{SENT_LOG} merge=union"
"""The line of .gitattributes by which a merge keeps the lines of both sides of a sent log (git's
union): it only grows, a line a message, and two clones that each mailed append to it. Merged as
text, it conflicted, and a trial's side taken lost the other side's messages: a journalist was
offered again the correction they had."""
_OLD = ("out", "mail")


def mail_folder(root: Path, release_id: str) -> Path:
    return root / MAIL_DIR / release_id


def move_out_of_out(root: Path) -> list[str]:
    """Move the sent logs pressgen 0.7 kept in out/mail/<id>/ to mail/<id>/ (after the
    lines a log already there has not: a log is read in order, its last line about an
    address standing), and remove the rest of out/mail/: messages for review, which
    `pressgen mail` writes again. Returns what to tell the user."""
    old = root.joinpath(*_OLD)
    if not old.is_dir() or old.is_symlink():
        return []
    said = []
    for folder in sorted(old.iterdir()):
        log = folder / SENT_LOG
        if folder.is_dir() and not folder.is_symlink() and log.is_file():
            target = mail_folder(root, folder.name) / SENT_LOG
            data = log.read_bytes()
            data = data[:data.rfind(b"\n") + 1]  # a line a crash cut short is not read anyway
            if target.is_file():
                data += target.read_bytes()
            write_atomic(target, data)
            said.append(f"moved out/mail/{folder.name}/{SENT_LOG} to {MAIL_DIR}/{folder.name}/{SENT_LOG}: out/ is "
                        "what the web server serves, and a clean build or a fresh clone does not have it; commit "
                        f"it (and add '{MAIL_DIR}/*/*.eml' to .gitignore: messages for review are made again)")
    shutil.rmtree(old)
    return said
