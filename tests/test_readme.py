"""The README's example record is a valid record."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import REPO
from pressgen.config import load_config
from pressgen.errors import Collector
from pressgen.records import load_record


def test_readme_example_record_loads(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(language: en.*?)```", readme, re.S)[1]
    path = tmp_path / "releases" / "example.yaml"
    # The photo it names, in the project's images/ folder.
    (tmp_path / "images").mkdir()
    shutil.copy(REPO / "tests" / "projects" / "fields" / "images" / "signing.jpg", tmp_path / "images")
    errors = Collector()
    release = load_record(path, load_config(REPO), errors, text=example)
    assert not errors.errors, [e.format() for e in errors.errors]
    assert [b.kind for b in release.body] == ["paragraph", "quote", "paragraph"]
    assert (release.image.file, release.image.width, release.image.credit.value) == ("images/signing.jpg", 800, "TÜRKSOY")
    assert release.body[2].text.note.startswith("'Nevruz'")
    assert release.embargo.isoformat() == "2011-04-08T10:00:00+05:00"  # Azerbaijan kept summer time until 2016


README = (REPO / "README.md").read_text(encoding="utf-8")


def prose(text: str) -> str:
    return " ".join(text.split())


def test_readme_states_the_limits_records_are_held_to():
    from pressgen.records import LIMITS, MAX_BLOCKS
    from pressgen.yamlnodes import MAX_FILE_BYTES

    stated = (f"a headline at most {LIMITS['headline']} characters, a standfirst {LIMITS['summary']:,}, a paragraph "
              f"{LIMITS['paragraph']:,}, a quote {LIMITS['quote']:,}, an attribution {LIMITS['quote attribution']}, "
              f"a dateline place or a tag {LIMITS['tag']}, at most {MAX_BLOCKS} paragraphs and quotes, and a file "
              f"at most {MAX_FILE_BYTES // 1_000_000} MB")
    assert LIMITS["dateline place"] == LIMITS["tag"]
    assert stated in prose(README)


def test_readme_shows_the_lock_message_pressgen_prints(tmp_path):
    from pressgen.lock import _waiting

    lock = tmp_path / "build.lock"
    lock.write_text("1234 build\n")  # what a running build writes into its lock
    fd = os.open(lock, os.O_RDONLY)
    try:
        assert _waiting(fd, "build") in README
    finally:
        os.close(fd)


def test_readme_shows_the_resend_message_pressgen_prints():
    from pressgen.mail import _uncertain
    from pressgen.media import Recipient

    ayse = Recipient("Ayşe Yılmaz", "ayse@gazete.example", "Gazete", "tr", ("culture",), 12)
    assert _uncertain(Path("media.csv"), ayse, "lost", 30).format() in README
    for rule in ("a message never handed over, or refused by the server, is sent",
                 "a message the server accepted is not sent again",
                 "a message still in flight (the server may have stored it without its reply reaching pressgen) is "
                 "not sent again either: it is named, and the run exits 1"):
        assert rule in prose(README), rule


def test_readme_shows_what_a_sent_log_a_merge_left_markers_in_is_told(tmp_path):
    from pressgen.conflicts import sent_log_conflict

    log = tmp_path / "mail/x/sent.log"  # outside git: no word of .gitattributes
    said = sent_log_conflict(log, b"sent\ta@x\t<1>\tt\n" * 8 + b"<<<<<<< HEAD\n=======\n>>>>>>> theirs\n")
    assert said.format(tmp_path) in prose(README)


def test_readme_shows_what_a_damaged_line_of_a_sent_log_is_told(tmp_path):
    from pressgen.sentlog import SentLog

    log = tmp_path / "mail/x/sent.log"
    log.parent.mkdir(parents=True)
    log.write_text("sent\ta@x.example\t<1@x>\t2026-12-01T10:00:00+00:00\n" * 2
                   + "sent b@x.example <2@x> 2026-12-01T10:00:01+00:00\n", encoding="utf-8")
    # As the README quotes it: a backquote in a code span written \`.
    assert f"warning: {SentLog(log).damage(tmp_path)}" in prose(README).replace("\\`", "`")
