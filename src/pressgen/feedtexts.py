"""The feed texts of every listed version: what only a feed entry shows of it (site.atom_feed).

    .pressgen/feed-texts/texts.sqlite   each text by its listing's digest (outputs.listing)
    .pressgen/feed-texts/lost.json      the digests a build asked for and found gone

Kept out of cache.json, which every build reads whole, as they are most of a listing's size
(80 % for the shipped releases), and read only for the entries of a feed being made, so a
no-op build of 10,000 releases reads none. One SQLite database, not a file a version: a cold
build of 1,000 releases x 3 made 3,000 small files, each costing the kernel a quarter of a
millisecond on an ext4 disk (more than rendering its page's feed entry). Like the rest of
.pressgen it may be lost; a build that finds a text gone says so, and the next works its
version out again.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import orjson

FEED_FIELDS = ("style", "body", "lead")
"""What only a feed entry shows of a version."""

FEED_TEXTS_DIR = "feed-texts"
DATABASE = "texts.sqlite"


class FeedTexts:
    """The feed texts in ``folder`` (None: a cache kept in memory only). A text is content-
    addressed (by its listing's digest): written once, never changed. A cache without this
    folder is not trusted (BuildCache.load).

    Two processes of one build (plan.py) write at once: each through its own connection, opened
    when first needed, so the one a parent had must be closed (``close``) before it forks."""

    LOST = "lost.json"
    """The digests a build found gone or damaged: the next build works their versions out again."""
    BATCH = 256
    """Texts kept in memory at most before they are written, in one transaction (a few MB)."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.pending: dict[str, dict] = {}
        """Texts not written yet (all of them, for a cache in memory only), by digest."""
        self.lost: list[str] = []
        """The digests asked for whose text was gone or damaged (BuildCache.later_warnings)."""
        self._lost_before: set[str] | None = None
        self._connection = None

    @property
    def database(self) -> Path:
        assert self.folder is not None
        return self.folder / DATABASE

    def lost_before(self) -> set[str]:
        """The digests the last builds found lost and no build has written again since."""
        if self._lost_before is None:
            try:
                said = json.loads((self.folder / self.LOST).read_bytes()) if self.folder is not None else []
                self._lost_before = {digest for digest in said if isinstance(digest, str)}
            except (OSError, ValueError, TypeError):
                self._lost_before = set()
        return self._lost_before

    def save_lost(self) -> None:
        """Keep the digests still lost for the next build (which works their versions out
        again, Builder.readiness), or forget them once written again."""
        if self.folder is None:
            return
        self.flush()
        # Written again here or in the plan's child process (which has its own connection).
        still = sorted(digest for digest in self.lost_before() | set(self.lost) if not self.get(digest, quietly=True))
        if still:
            from .fsutil import write_unsynced

            write_unsynced(self.folder / self.LOST, json.dumps(still).encode("utf-8"))
        else:
            (self.folder / self.LOST).unlink(missing_ok=True)

    def split(self, meta: dict) -> dict:
        """The listing without its feed texts, which are kept here under its digest: written
        in batches, so that a cold build of a large archive holds few in memory."""
        self.pending[meta["digest"]] = {name: meta.get(name) for name in FEED_FIELDS}
        if self.folder is not None and len(self.pending) >= self.BATCH:
            self.flush()
        return {name: value for name, value in meta.items() if name not in FEED_FIELDS}

    def get(self, digest: str, quietly: bool = False) -> dict:
        """The texts of a listing's digest; {} when they are gone (kept in ``lost`` unless ``quietly``)."""
        if digest in self.pending:
            return self.pending[digest]
        if self.folder is None or not digest:
            return {}
        import sqlite3

        try:
            found = self._db().execute("SELECT texts FROM texts WHERE digest = ?", (digest,)).fetchone()
            texts = orjson.loads(found[0]) if found else None
            if isinstance(texts, dict):
                return texts
        except (sqlite3.Error, OSError, ValueError):
            self._drop_connection()
        if not quietly and digest not in self.lost:
            self.lost.append(digest)
        return {}

    def flush(self) -> None:
        """Write the texts kept in memory, in one transaction. A database that cannot be
        written to (damaged) is made anew: what it held is lost, and said when a feed needs it."""
        if self.folder is None or not self.pending:
            return
        import sqlite3

        rows = [(digest, orjson.dumps(texts)) for digest, texts in self.pending.items()]
        for attempt in (1, 2):
            try:
                with self._db() as db:
                    db.executemany("INSERT OR REPLACE INTO texts (digest, texts) VALUES (?, ?)", rows)
                break
            except sqlite3.DatabaseError:
                self._drop_connection()
                if attempt == 2:
                    raise
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        self.pending = {}

    def keep_only(self, digests: set[str]) -> None:
        """Forget every text but those of ``digests`` (the versions a full build used): the
        texts of versions edited since, or deleted, would otherwise stay for good."""
        if self.folder is None or not self.database.exists():
            return
        import sqlite3

        self.flush()
        try:
            db = self._db()
            if db.execute("SELECT count(*) FROM texts").fetchone()[0] <= len(digests):
                return  # nothing more than those (a build that changed nothing listed)
            with db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (digest TEXT PRIMARY KEY) WITHOUT ROWID")
                db.execute("DELETE FROM kept")
                db.executemany("INSERT OR IGNORE INTO kept (digest) VALUES (?)", ((digest,) for digest in digests))
                db.execute("DELETE FROM texts WHERE digest NOT IN (SELECT digest FROM kept)")
                db.execute("DELETE FROM kept")
        except sqlite3.Error:
            self._drop_connection()  # a damaged database: the next build that writes to it makes it anew

    def close(self) -> None:
        """Write what is pending and close the connection: before the build forks (a
        connection must not be used on both sides of a fork), and when the build ends."""
        self.flush()
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def after_fork(self) -> None:
        """In a plan's child: the parent's texts are the parent's to write; no connection came
        across (the parent closed its own)."""
        self.pending, self._connection = {}, None

    def _db(self):
        if self._connection is None:
            import sqlite3

            assert self.folder is not None
            self.folder.mkdir(parents=True, exist_ok=True)
            if not self.database.exists():
                # What pressgen before 0.12 kept here: a file a text, in folders by their first two letters.
                for old in self.folder.iterdir():
                    if old.is_dir():
                        shutil.rmtree(old, ignore_errors=True)
            connection = sqlite3.connect(self.database, timeout=60)
            try:
                # Write-ahead: the plan's two processes write at once, and a crash never tears it.
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute("CREATE TABLE IF NOT EXISTS texts (digest TEXT PRIMARY KEY, texts BLOB NOT NULL) "
                                   "WITHOUT ROWID")
            except BaseException:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None

