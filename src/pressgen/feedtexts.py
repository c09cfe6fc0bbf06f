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
from collections.abc import Iterable
from pathlib import Path

import orjson

from .errors import PressgenError
from .fsutil import write_unsynced

FEED_FIELDS = ("style", "body", "lead", "corrections")
"""What only a feed entry shows of a version."""

FEED_TEXTS_DIR = "feed-texts"
DATABASE = "texts.sqlite"


class FeedTexts:
    """The feed texts in ``folder`` (None: a cache kept in memory only). A text is content-
    addressed (by its listing's digest): written once, never changed. A cache without this
    database is not trusted (BuildCache.load).

    Two processes of one build (plan.py) write at once: each through its own connection, opened
    when first needed, so the one a parent had must be closed (``close``) before it forks.

    A database found damaged (not a database, cut short, its table gone) is made anew at once:
    every text is lost, so the next build works every version out again (EVERYTHING in
    lost.json). A database another program holds locked is an error, never taken for damage."""

    LOST = "lost.json"
    """The digests a build found gone or damaged: the next build works their versions out again."""
    REMADE = "remade"
    """Left by the process that made the database anew, for the build's own to read (save_lost)."""
    BATCH = 256
    """Texts kept in memory at most before they are written, in one transaction (a few MB)."""
    WAIT = 10.0
    """Seconds a write waits for the plan's other process, which holds the database a few milliseconds at a time."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.pending: dict[str, dict] = {}
        """Texts not written yet (all of them, for a cache in memory only), by digest."""
        self.lost: list[str] = []
        """The digests asked for whose text was gone or damaged (BuildCache.later_warnings)."""
        self.misses = 0
        """How many times a text was asked for and not found: a feed made since lacks one."""
        self.remade = False
        """Whether this build found the database damaged and made it anew (save_lost)."""
        self._lost_before: set[str] | None = None
        self._connection = None
        self.made_now = False
        """Whether this build made the database: it holds only this build's texts."""

    @property
    def database(self) -> Path:
        assert self.folder is not None
        return self.folder / DATABASE

    @property
    def incomplete(self) -> bool:
        """Whether a feed made by this build may lack a text: then no stamp (builder.py)."""
        return bool(self.lost) or self.remade

    def lost_before(self) -> set[str]:
        """The digests the last builds found lost and no build has written again since."""
        if self._lost_before is None:
            try:
                said = json.loads((self.folder / self.LOST).read_bytes()) if self.folder is not None else []
                self._lost_before = {digest for digest in said if isinstance(digest, str)}
            except (OSError, ValueError, TypeError):
                self._lost_before = set()
        return self._lost_before

    def was_lost(self, digest: str) -> bool:
        """Whether a version's text must be worked out again (Builder.readiness)."""
        lost = self.lost_before()
        return bool(lost) and (EVERYTHING in lost or digest in lost)

    def save_lost(self, every_version: bool) -> None:
        """Keep the digests still lost for the next build (which works their versions out
        again, Builder.readiness), or forget them once written again. ``every_version``: this
        build worked out every version whose text was lost (a full build). After ``flush``
        (BuildCache.save does it first)."""
        if self.folder is None:
            return
        marker = self.folder / self.REMADE
        if marker.exists():
            self.remade = True
            still = [EVERYTHING]
        else:
            before = self.lost_before()
            if EVERYTHING in before and not every_version:
                before = {EVERYTHING}
            else:
                before = before - {EVERYTHING}
            # Written again here or in the plan's child process (which has its own connection).
            still = sorted(digest for digest in before | set(self.lost)
                           if digest == EVERYTHING or not self.get(digest, quietly=True))
        if still:
            write_unsynced(self.folder / self.LOST, json.dumps(still).encode("utf-8"))
        else:
            (self.folder / self.LOST).unlink(missing_ok=True)
        marker.unlink(missing_ok=True)

    def split(self, meta: dict) -> dict:
        """The listing without its feed texts, which are kept here under its digest: written
        in batches, so that a cold build of a large archive holds few in memory."""
        self.pending[meta["digest"]] = {name: meta.get(name) for name in FEED_FIELDS}
        if self.folder is not None and len(self.pending) >= self.BATCH:
            self.flush()
        return {name: value for name, value in meta.items() if name not in FEED_FIELDS}

    def get(self, digest: str, quietly: bool = False) -> dict:
        """The texts of a listing's digest; {} when they are gone (counted in ``misses`` and
        kept in ``lost``, unless ``quietly``)."""
        if digest in self.pending:
            return self.pending[digest]
        if self.folder is None or not digest:
            return {}
        found = self._run(lambda db: db.execute("SELECT texts FROM texts WHERE digest = ?", (digest,)).fetchone())
        try:
            texts = orjson.loads(found[0]) if found else None
        except (orjson.JSONDecodeError, TypeError):
            texts = None  # a text damaged in place
        if isinstance(texts, dict):
            return texts
        if not quietly:
            self.misses += 1
            if digest not in self.lost:
                self.lost.append(digest)
        return {}

    def flush(self) -> None:
        """Write the texts kept in memory, in one transaction."""
        if self.folder is None or not self.pending:
            return
        rows = [(digest, orjson.dumps(texts)) for digest, texts in self.pending.items()]

        def write(db) -> None:
            with db:
                db.executemany("INSERT OR REPLACE INTO texts (digest, texts) VALUES (?, ?)", rows)

        self._run(write)
        self.pending = {}

    def ensure(self) -> None:
        """The database, made if there is none: a cache is trusted only beside one (BuildCache.load)."""
        if self.folder is not None and not self.database.is_file():
            self._run(lambda db: None)

    def keep_only(self, versions: Iterable[dict]) -> None:
        """Forget every text but those of ``versions`` (the states of those a full build used):
        the texts of versions edited since, or deleted, would otherwise stay for good."""
        if self.folder is None or self.made_now:
            return  # every text in it is this build's
        digests = {state["meta"]["digest"] for state in versions
                   if isinstance(state.get("meta"), dict) and "digest" in state["meta"]}
        stale = self._run(lambda db: [(digest,) for (digest,) in db.execute("SELECT digest FROM texts")
                                      if digest not in digests])

        def forget(db) -> None:
            with db:
                db.executemany("DELETE FROM texts WHERE digest = ?", stale)

        if stale:
            self._run(forget)

    def close(self) -> None:
        """Write what is pending and close the connection: before the build forks (a
        connection must not be used on both sides of a fork), and when the build ends."""
        self.flush()
        self._drop_connection()

    def after_fork(self) -> None:
        """In a plan's child: the parent's texts are the parent's to write; no connection came
        across (the parent closed its own)."""
        self.pending, self._connection = {}, None

    def _run(self, work):
        """``work(connection)``; a damaged database is made anew (every text lost) and the
        work done again; any other failure is an error naming the database."""
        import sqlite3

        for attempt in (1, 2):
            try:
                return work(self._db())
            except sqlite3.Error as exc:
                self._drop_connection()
                damaged = getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CANTOPEN") \
                    or "no such table" in str(exc)
                if attempt == 2 or not damaged:
                    raise PressgenError(self.database, None, _failure(exc)) from None
            except OSError as exc:
                self._drop_connection()
                raise _unwritable(self.database, exc) from None
            try:
                self._make_anew()
            except OSError as exc:
                raise _unwritable(self.database, exc) from None

    def _make_anew(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            path = Path(f"{self.database}{suffix}")
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        assert self.folder is not None
        (self.folder / self.REMADE).touch()  # for the build's own process, should the plan's child find it
        self.remade = True

    def _db(self):
        if self._connection is None:
            import sqlite3

            assert self.folder is not None
            self.folder.mkdir(parents=True, exist_ok=True)
            existed = self.database.is_file() and self.database.stat().st_size > 0
            if not existed:
                self.made_now = True
                # What pressgen before 0.12 kept here: a file a text, in folders by their first two letters.
                for old in self.folder.iterdir():
                    if old.is_dir() and old.name != DATABASE:
                        shutil.rmtree(old, ignore_errors=True)
            connection = sqlite3.connect(self.database, timeout=self.WAIT)
            try:
                # Write-ahead: the plan's two processes write at once, and a crash never tears it.
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                if existed and connection.execute(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'texts'").fetchone() is None:
                    raise sqlite3.DatabaseError("no such table: texts")  # taken for damage (_run)
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


EVERYTHING = "*"
"""In lost.json: the database was made anew, so every version's text is to be worked out again."""


def _failure(exc: Exception) -> str:
    name = getattr(exc, "sqlite_errorname", "")
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return "another program holds the build's feed texts locked; close it (a database browser?), then build again"
    if name.startswith(("SQLITE_FULL", "SQLITE_IOERR")):
        return f"cannot write the build's feed texts ({exc}); make room on the disk, then build again"
    return f"cannot use the build's feed texts ({exc}); delete .pressgen/ and build again"


def _unwritable(database: Path, exc: OSError) -> PressgenError:
    return PressgenError(database, None, f"cannot write the build's feed texts ({exc.strerror}); check that "
                         ".pressgen/ can be written to, then build again")
