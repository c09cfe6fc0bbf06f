"""The newsroom's static search: Pagefind indexes of the public release pages, in shards
searched together.

    out/pagefind/                Pagefind's script and search UI, and shards.json: each language's shards
    out/pagefind/<lang>/all/     one shard: the Pagefind bundle of a language's pages (up to SHARD_ABOVE)
    out/pagefind/<lang>/<year>/  or, for a larger language, of its releases of one year

Pagefind cannot add a page to an index, so a shard is made again whenever one of its pages
changed. Split by language, and by the year of the release's date once a language is large, a
change costs the pages of its shard, not the archive's. A release's date rarely changes, so
its shard does not either, and old years are left alone. The search box
(partials/search.html) reads shards.json and has Pagefind's UI search the newest shard of its
page's language and merge the others into it (``mergeIndex``): one query searches the whole
archive in the page's language. Only the shard the UI starts from loads Pagefind's
WebAssembly; merged ones use its copy.

Pagefind stems where Snowball has a stemmer (English, Turkish; Kazakh gets none). It reads
only what the release templates mark ``data-pagefind-body``: headline, standfirst, body.

Only the pages the newsroom lists are indexed (site.py's entries: no drafts, nothing
withdrawn or still under embargo). A shard's key is its pages' cache keys, which the build
has already computed, so a no-op rebuild reads no page and starts no Pagefind.

The shards a build makes are written beside the live ones, all of them before any is put in
place, so a failed run leaves the live index as it was. Each is then swapped in by renaming.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from .cache import BuildCache, combine, file_sha
from .errors import PressgenError
from .fsutil import make_folder, write_if_changed, write_unsynced
from .projectfiles import CACHE_DIR

FOLDER = "pagefind"
CACHE_ENTRY = f"{FOLDER}/"
"""How the cache names the index among out/'s outputs."""
FOLD = 3
"""Bumped when ``indexed_document`` or the layout changes, so indexes made the old way are made again."""
SITE_FOLDER = "search-pages"
""".pressgen/search-pages-<out>/<shard>/: each shard's pages as Pagefind reads them (_lay_out)."""
MANIFEST = "shards.json"
"""out/pagefind/shards.json: each language's shards, newest first, read by the search box."""
PAGE_SCRIPTS = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
"""What the search box loads from out/pagefind/ itself, once for every shard."""
WORKER = "pagefind-worker.js"
INDEX_PARTS = ("pagefind-entry.json", "index", "fragment", "filter")
"""What a shard keeps of Pagefind's output, with its .pf_meta. The rest is set aside: the page's
scripts go to out/pagefind/, the worker and WebAssembly to the shard the UI starts from (engine_files)."""
SHARD_ABOVE = 1000
"""A language with more listed pages than this is indexed in one shard per year, one with up to
this many in one shard (``<lang>/all``). Pagefind takes about 0.8 ms of CPU a page: a year of
10,000 releases over 27 years (~370 pages) is well under a second, a whole language of 1,000
pages under one. Not year shards for every office: each shard answers a query on its own, and
Pagefind's backtracking (a word it does not hold is looked up by its longest beginning that it
does, which is what finds Kazakh inflected forms; Pagefind#780) then differs from shard to
shard: a year without a word answers with a shorter one, and a year whose word index is cut
between the stem and the query finds nothing (README, Search). One index per language, while
it is cheap, matches exactly as before."""

_TEXT = re.compile(r">([^<]+)<")


def fold_dotless_i(html: str) -> str:
    """The page as Pagefind indexes it: dotless ı read as i in the body's text.

    Pagefind lowercases with Unicode's default rules (I -> i, İ -> i̇, whose dot it
    drops) and has no Turkish ones, and ı is a letter of its own, not an i with a
    mark: a Turkish word would be found only when typed with exactly its ı's. With
    ı folded here and every i folded in the query (partials/search.html), "Kırgız",
    "KIRGIZ" and "kirgiz" find the same word. The head keeps its text: the result's
    title and summary come from there (indexed_document), spelled as written.

    >>> fold_dotless_i('<title>Işık</title><body><h1 title="ı">Işık ılık</h1></body>')
    '<title>Işık</title><body><h1 title="ı">Işik ilik</h1></body>'
    """
    head, body, rest = html.partition("<body")
    return head + body + _TEXT.sub(lambda m: m.group(0).replace("ı", "i"), rest)


def indexed_document(html: str) -> str:
    """What Pagefind reads of a release page: its text folded (fold_dotless_i), its
    ``<title>`` and description, as written, as the result's title and summary, and only
    the elements Pagefind reads (those with a ``data-pagefind-`` attribute: the headline,
    standfirst and body the templates mark ``data-pagefind-body``), in a page of their own
    under the page's ``<html>`` tag. The rest (the head's metadata, the letterhead, About,
    contacts) Pagefind parsed and set aside: 13% of its time. A page whose marked elements
    cannot be told apart is given whole.

    >>> print(indexed_document('<html lang="tr"><head><title>Işık</title><meta name="description" content="ılık">'
    ...     '<link rel="x"></head><body><nav>ı</nav><h1 data-pagefind-body>Işık</h1><div data-pagefind-body><div>ılık'
    ...     '</div></div><p>ı</p></body></html>'))
    <!DOCTYPE html><html lang="tr"><head><meta charset="utf-8"><title data-pagefind-meta="title">Işık</title><meta data-pagefind-meta="summary[content]" name="description" content="ılık"></head><body><h1 data-pagefind-body>Işik</h1>
    <div data-pagefind-body><div>ilik</div></div></body></html>
    >>> indexed_document('<title>Işık</title><body><h1>Işık</h1>')  # nothing marked in its body: whole
    '<title data-pagefind-meta="title">Işık</title><body><h1>Işik</h1>'
    >>> indexed_document('<title>Işık</title><body><div data-pagefind-body>Işık</body>')  # no end to it: whole
    '<title data-pagefind-meta="title">Işık</title><body><div data-pagefind-body>Işik</body>'
    """
    marked = html.replace("<title>", '<title data-pagefind-meta="title">', 1).replace(
        '<meta name="description"', '<meta data-pagefind-meta="summary[content]" name="description"', 1)
    head, _, body = marked.partition("<body")
    opening = _HTML.search(head)
    kept_head, kept_body = _marked_elements(head), _marked_elements(body)
    if opening is None or not kept_head or not kept_body:
        return fold_dotless_i(marked)
    return fold_dotless_i(f'<!DOCTYPE html>{opening.group(0)}<head><meta charset="utf-8">{"".join(kept_head)}</head>'
                          f'<body>{chr(10).join(kept_body)}</body></html>')


_HTML = re.compile(r"<html\b[^>]*>", re.I)
_MARKED = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*\sdata-pagefind-[^>]*>")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


def _marked_elements(html: str) -> list[str] | None:
    """Each outermost element of ``html`` with a ``data-pagefind-`` attribute, whole; None
    when one of them has no end (the page is then given to Pagefind whole)."""
    found, at = [], 0
    while (start := _MARKED.search(html, at)) is not None:
        name = start.group(1).lower()
        if name in _VOID or start.group(0).endswith("/>"):
            found.append(start.group(0))
            at = start.end()
            continue
        depth, tags = 1, re.compile(rf"<(/?){re.escape(name)}\b[^>]*>", re.I)
        for tag in tags.finditer(html, start.end()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                found.append(html[start.start():tag.end()])
                at = tag.end()
                break
        else:
            return None
    return found


def plan_shards(pages: Mapping[str, dt.date]) -> dict[str, list[str]]:
    """The shards of ``pages`` (paths relative to out/, with their release's date), each with
    its pages: ``<lang>/all`` for a language of up to SHARD_ABOVE pages, else ``<lang>/<year>``.

    >>> plan_shards({"kk/b.html": dt.date(2022, 6, 27), "kk/a.html": dt.date(2011, 4, 8)})
    {'kk/all': ['kk/a.html', 'kk/b.html']}
    """
    sizes = Counter(rel.partition("/")[0] for rel in pages)
    shards: dict[str, list[str]] = {}
    for rel, date in sorted(pages.items()):
        lang = rel.partition("/")[0]
        shards.setdefault(f"{lang}/{date.year if sizes[lang] > SHARD_ABOVE else 'all'}", []).append(rel)
    return shards


def page_keys(out: Path, cache: BuildCache, pages: Iterable[str]) -> dict[str, str]:
    """Each page's cache key (which covers its record, catalogs, templates and config), or
    its file's digest for a page the cache does not know."""
    return {rel: cache.outputs.get(rel, {}).get("key") or file_sha(out / rel) for rel in pages}


def shard_keys(shards: Mapping[str, list[str]], keys: Mapping[str, str]) -> dict[str, str]:
    """What each shard is made of: its pages' keys (page_keys), and the Pagefind that indexes them."""
    made_by = version("pagefind_bin")
    return {shard: combine("search", made_by, FOLD, shard, *(f"{rel}={keys[rel]}" for rel in pages))
            for shard, pages in shards.items()}


def update_index(out: Path, cache: BuildCache, pages: Mapping[str, dt.date]) -> bool:
    """Make the shards of out/pagefind/ whose pages changed, from ``pages`` (paths relative
    to out/, with their release's date); remove the shards none of ``pages`` is in.

    True if anything was made. Raises PressgenError naming out/pagefind when Pagefind fails;
    the index online stays as it was.
    """
    return start_index(out, cache, pages).finish()


def start_index(out: Path, cache: BuildCache, pages: Mapping[str, dt.date],
                early: EarlyPages | None = None) -> "Indexing":
    """update_index in two steps: the shards to make are decided now and Pagefind starts on
    them in the background; ``finish()`` waits, puts them in place and names them in the cache.
    Between the two, the build makes the newsroom: Pagefind runs in processes of its own, so on
    two cores the indexing and the newsroom share the time rather than follow each other.

    Only ``pages`` must be in place in out/ when it starts (Pagefind reads them from there);
    the cache must not be saved before ``finish()``, which is also what reports a failure.
    ``early``: the pages the plan laid out already.
    """
    live = out / FOLDER
    shards = plan_shards(pages)
    pages_keys = page_keys(out, cache, pages)
    keys = shard_keys(shards, pages_keys)
    key = combine(*(f"{shard}={shard_key}" for shard, shard_key in sorted(keys.items())))
    entry = cache.outputs.get(CACHE_ENTRY, {})
    if entry.get("inputs") == key and (live / MANIFEST).is_file():
        return Indexing(out, cache)
    known = entry.get("shards", {})
    todo = {shard: [rel for rel in shards[shard] if os.path.isfile(f"{out}/{rel}")] for shard in shards
            if known.get(shard, {}).get("key") != keys[shard] or not (live / shard / "pagefind-entry.json").is_file()}
    # Listed but never written (its only version failed to render): nothing to index.
    gone = {shard for shard, listed in todo.items() if not listed}
    todo = {shard: listed for shard, listed in todo.items() if listed}
    kept = {shard: known[shard] for shard in shards if shard not in todo and shard not in gone}
    return Indexing(out, cache, key, keys, {shard: {rel: pages_keys[rel] for rel in listed}
                                           for shard, listed in todo.items()}, kept, early)


def start_in_place(out: Path, cache: BuildCache, pages: Mapping[str, dt.date],
                   early: EarlyPages | None = None) -> "Indexing | None":
    """start_index after an edit whose releases stay where the newsroom listed them
    (site.in_place), from ``pages``, their listed pages alone: every other listed page, its
    date and so its shard are as the last index had them, so only the shards of ``pages`` are
    looked at, each with the pages its laid-out record names (_lay_out), and the other shards'
    keys are the cache's. An edit at 10,000 releases starts Pagefind without going through
    the 30,000 listed pages first. None when that cannot be told (start_index then)."""
    live = out / FOLDER
    entry = cache.outputs.get(CACHE_ENTRY, {})
    known: dict[str, dict] = entry.get("shards") or {}
    if not known or cache.root is None or not (live / MANIFEST).is_file() \
            or not all((live / shard / "pagefind-entry.json").is_file() for shard in known):
        return None
    sites = _kept_sites(cache)
    edited: dict[str, set[str]] = {}
    for rel, date in pages.items():
        lang = rel.partition("/")[0]
        shard = f"{lang}/all" if f"{lang}/all" in known else f"{lang}/{date.year}"
        if shard not in known:
            return None
        edited.setdefault(shard, set()).add(rel)
    keys = {shard: made["key"] for shard, made in known.items()}
    todo: dict[str, dict[str, str]] = {}
    for shard, rels in edited.items():
        listed = sorted(_laid_out(sites / shard))
        if not rels <= set(listed):
            return None
        of_pages = page_keys(out, cache, listed)
        keys[shard] = shard_keys({shard: listed}, of_pages)[shard]
        if keys[shard] != known[shard]["key"]:
            todo[shard] = {rel: of_pages[rel] for rel in listed if (out / rel).is_file()}
    key = combine(*(f"{shard}={shard_key}" for shard, shard_key in sorted(keys.items())))
    if entry.get("inputs") == key:
        return Indexing(out, cache)
    return Indexing(out, cache, key, keys, todo, {shard: known[shard] for shard in known if shard not in todo}, early)


class Indexing:
    """The shards start_index decided to make, being made."""

    def __init__(self, out: Path, cache: BuildCache, key: str | None = None, keys: Mapping[str, str] | None = None,
                 todo: Mapping[str, Mapping[str, str]] | None = None, kept: dict[str, dict] | None = None,
                 early: EarlyPages | None = None):
        self.out, self.cache = out, cache
        self.key, self.keys, self.todo, self.kept = key, keys or {}, todo or {}, kept or {}
        self.staging: Path | None = None
        self.pool: ThreadPoolExecutor | None = None
        self.made: dict = {}
        if key is None or not (self.todo or self.kept):
            return  # up to date, or nothing to index (finish removes the index)
        _sweep(out)
        self.staging = Path(tempfile.mkdtemp(dir=out, prefix=".pagefind-new-"))
        # One Pagefind per shard: most of a shard's time is Pagefind's own, outside Python. Many
        # shards (a cold build of a large archive): as many at once as there are cores, each on
        # a core of its own (_Cores). A few (an edit, a small archive's languages): all at once,
        # each free to use any core, so that none is left running alone at the end while a core
        # waits (a cold build of 1,000 releases: three shards on two cores).
        cores = usable_cores()
        many = len(self.todo) > 2 * len(cores)
        self.pool = ThreadPoolExecutor(max_workers=len(cores) if many else len(self.todo) or 1,
                                       thread_name_prefix="pressgen-pagefind")
        # The pages of a few shards (an edit) are laid out here and now, in a few hundredths of a
        # second. In a thread, each file's read and write would wait for this busy thread to let
        # go of the GIL (up to 5 ms a time): an edit at 10,000 releases took 0.2 s longer (five
        # pairs in turns). Many shards (a cold build) are laid out in the threads, beside the newsroom;
        # pages the plan laid out (``early``) are only moved in, here.
        made = early.made if early is not None else {}
        here = sum(rel not in made for listed in self.todo.values() for rel in listed) <= SHARD_ABOVE
        # Found here: imported in the thread, its module waited for this busy one (0.04 s of an edit).
        from pagefind_bin import get_executable

        try:
            pagefind, missing = str(get_executable()), None
        except OSError as exc:
            pagefind, missing = "", exc
        self.made = {}
        held = _Cores(cores) if many else None
        for shard, listed in self.todo.items():
            site = self.sites() / shard
            try:
                if missing is not None:
                    raise missing
                if here:
                    _lay_out(out, listed, site, early)
            except (OSError, UnicodeDecodeError) as exc:
                self.made[shard] = failed = Future()  # reported by finish(), as a thread's would be
                failed.set_exception(exc)
            else:
                self.made[shard] = self.pool.submit(_write_index, out, listed, self.staging, shard, site, here,
                                                    pagefind, early, held)

    def sites(self) -> Path:
        """Where the shards' pages are laid out for Pagefind (_lay_out), a folder each: kept
        from build to build in .pressgen, so that an edit writes its own page there, not the
        370 of its shard; in the staging folder, removed with it, for a cache kept in memory
        only (no project)."""
        if self.cache.root is None:
            assert self.staging is not None
            return self.staging / ".sites"
        return _kept_sites(self.cache)

    def finish(self) -> bool:
        """Wait for Pagefind, then put the shards in place; True if anything was made. Raises
        PressgenError naming out/pagefind when Pagefind failed; the index online stays as it was."""
        out, cache, todo, kept = self.out, self.cache, self.todo, self.kept
        live = out / FOLDER
        if self.key is None:
            return False
        if not todo and not kept:
            # Nothing public in out/ (Pagefind refuses an empty site): no index either.
            shutil.rmtree(live, ignore_errors=True)
            if self.cache.root is not None:
                shutil.rmtree(self.sites(), ignore_errors=True)
            cache.outputs.pop(CACHE_ENTRY, None)
            return False
        staging = self.staging
        assert staging is not None and self.pool is not None
        try:
            sizes = {shard: made.result() for shard, made in self.made.items()}
        except (OSError, UnicodeDecodeError, RuntimeError) as exc:
            self.discard()
            raise PressgenError(live, None, f"the search index was not updated ({exc}); the previous one stays "
                                "online, run the build again") from exc
        self.pool.shutdown()
        kept.update({shard: {"key": self.keys[shard], "size": sizes[shard]} for shard in todo})
        # Every shard is made by the same Pagefind (its version is in the keys): its scripts from
        # any one of them, its worker and WebAssembly from each language's, kept in out/pagefind/.
        for shard in todo:
            for script in (staging / ".scripts" / shard).iterdir():
                if script.name in PAGE_SCRIPTS or script.name == WORKER or _is_wasm(script.name):
                    write_if_changed(live / script.name, script.read_bytes())
        # Pagefind loads its worker and WebAssembly from the shard the UI starts from (its
        # language's newest), never from a merged one: only that shard carries them, put there
        # before it is swapped in or named in shards.json.
        starts = {languages[0].rstrip("/") for languages in json.loads(manifest(kept)).values()}
        for shard in starts:
            folder = staging / shard if shard in todo else live / shard
            for name in engine_files(folder):
                if not (folder / name).is_file():
                    write_if_changed(folder / name, (live / name).read_bytes())
        for shard in todo:
            _swap(staging / shard, live / shard, staging / ".old" / shard)
        write_if_changed(live / MANIFEST, manifest(kept))
        _remove_all_but(live, set(kept), starts, {name for shard in kept for name in engine_files(live / shard)})
        # The pages of shards that are gone (a year whose releases all moved, a language no
        # longer published) are laid out no more.
        if self.cache.root is not None:
            sites = self.sites()
            for folder in sites.glob("*/*"):
                if folder.relative_to(sites).as_posix() not in kept:
                    shutil.rmtree(folder, ignore_errors=True)
            _forget_gone_outputs(self.cache)
        shutil.rmtree(staging, ignore_errors=True)
        cache.outputs[CACHE_ENTRY] = {"key": "search", "inputs": self.key, "shards": dict(sorted(kept.items())),
                                      "size": sum(shard["size"] for shard in kept.values())}
        return True

    def discard(self) -> None:
        """Wait for what was started and throw it away (a failed build): out/pagefind/ as it was."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)


def index_files(cache: BuildCache) -> list[str]:
    """What of out/pagefind/ a build looks for before it trusts the index (update_index):
    shards.json and each shard's entry, relative to out/. The stamp (stamp.py) checks them."""
    entry = cache.outputs.get(CACHE_ENTRY)
    if not entry:
        return []
    return [f"{FOLDER}/{MANIFEST}", *(f"{FOLDER}/{shard}/pagefind-entry.json" for shard in entry.get("shards", {}))]


def manifest(shards: Mapping[str, object]) -> bytes:
    """shards.json: each language's shard folders, newest first (the UI starts from the first).

    >>> manifest({"kk/2011": 0, "kk/2022": 0, "en/2011": 0}).decode()
    '{"en":["en/2011/"],"kk":["kk/2022/","kk/2011/"]}'
    """
    languages: dict[str, list[str]] = {}
    for shard in sorted(shards, reverse=True):
        languages.setdefault(shard.partition("/")[0], []).append(f"{shard}/")
    return json.dumps(dict(sorted(languages.items())), separators=(",", ":")).encode("utf-8")


def _forget_gone_outputs(cache: BuildCache) -> None:
    """Remove the laid-out pages of output folders that are gone: a one-off
    `pressgen build -o /tmp/preview`, deleted since, left a copy of every listed page."""
    assert cache.root is not None
    here = cache.present_outputs()
    for folder in (cache.root / CACHE_DIR).glob(f"{SITE_FOLDER}-*"):
        if folder.name.removeprefix(f"{SITE_FOLDER}-") not in here:
            shutil.rmtree(folder, ignore_errors=True)


EARLY = ".early"
"""In .pressgen/search-pages-<out>/: the pages laid out by the plan as it wrote them (EarlyPages)."""


@dataclass
class EarlyPages:
    """Pages laid out for Pagefind by the plan, from the page it had just rendered: in both of
    a large build's processes, so that a cold build's 3,000 pages are not read back from out/
    and laid out after the plan by one (1.3 s of a cold build of 1,000, while the second core
    waited). Each is in ``folder`` under its out/ path; ``made`` holds its page's cache key and
    its size. _lay_out moves in those still of their page's key; the folder is emptied at the
    start of a build (what a killed one left) and at its end."""

    folder: Path
    made: dict[str, tuple[str, int]] = field(default_factory=dict)

    def lay_out(self, rel: str, key: str, html: str) -> tuple[Path, bytes]:
        """Where the page ``rel`` of cache key ``key`` goes, laid out (indexed_document), and its bytes."""
        data = indexed_document(html).encode("utf-8")
        self.made[rel] = (key, len(data))
        return self.folder / rel, data

    def take(self, rel: str, key: str, target: str) -> int | None:
        """Move the page laid out early to ``target`` if it was laid out from ``key``; its size, else None."""
        made = self.made.pop(rel, None)
        if made is None or made[0] != key:
            return None
        try:
            os.replace(f"{self.folder}/{rel}", target)
        except OSError:
            return None
        return made[1]

    def clear(self) -> None:
        self.made.clear()
        shutil.rmtree(self.folder, ignore_errors=True)


def early_pages(cache: BuildCache) -> EarlyPages | None:
    """Where a project's plan lays out its pages (EarlyPages), emptied; None for a cache kept in
    memory only (the pages are then laid out from out/)."""
    if cache.root is None:
        return None
    early = EarlyPages(_kept_sites(cache) / EARLY)
    early.clear()
    return early


LAID_OUT = ".laid-out.json"
"""In each shard's folder of laid-out pages: for each page, the cache key of the out/ page it
was laid out from and its size, so that an edit reads and writes its own page only."""


def _lay_out(out: Path, pages: Mapping[str, str], site: Path, early: EarlyPages | None = None) -> Path:
    """The pages of a shard as Pagefind should read them (indexed_document), laid out in
    ``site`` as in out/ so that their URLs are out/'s; ``pages`` maps each (a path relative
    to out/) to its cache key. Only what changed since the last layout is read and written,
    and what is no longer the shard's removed: reading, folding and comparing every page of
    a shard cost an edit at 1,000 releases 0.07 s, and creating each file anew 0.15–0.2 s
    at 10,000 on a disk slow at it (as network and WSL drives are).

    LAID_OUT records what each file was laid out from. A page about to be written is taken
    out of it first, so a build killed while writing leaves no record of a file it cut
    short; a file of another size than recorded (cut short, or deleted) is written again,
    and a file the record does not know is removed. A page the plan laid out (``early``) is
    moved in rather than read from out/."""
    record = site / LAID_OUT
    held = _laid_out(site)
    todo = []
    for rel, key in pages.items():
        known = held.get(rel)
        try:
            if known is not None and known[0] == key and (site / rel).stat().st_size == known[1]:
                continue
        except (OSError, TypeError, IndexError):
            pass
        todo.append(rel)
    for folder, _, names in os.walk(site):
        for name in names:
            path = Path(folder, name)
            rel = path.relative_to(site).as_posix()
            if rel != LAID_OUT and (rel not in pages or rel not in held):
                path.unlink()
    if not todo and held.keys() == pages.keys():
        return site
    kept = {rel: held[rel] for rel in pages if rel in held and rel not in todo}
    if todo:
        write_unsynced(record, _record(kept))
    # Names as strings: a cold build of 10,000 lays out 30,000 pages here, in the build's process.
    folders: set[str] = set()
    for rel in todo:
        document = f"{site}/{rel}"
        folder = document.rpartition("/")[0]
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        size = early.take(rel, pages[rel], document) if early is not None else None
        if size is not None:
            kept[rel] = [pages[rel], size]
            continue
        data = indexed_document((out / rel).read_text(encoding="utf-8")).encode("utf-8")
        with open(document, "wb") as handle:
            handle.write(data)
        kept[rel] = [pages[rel], len(data)]
    write_unsynced(record, _record(kept))
    return site


def _kept_sites(cache: BuildCache) -> Path:
    """.pressgen/search-pages-<out>/: where a project's shards are laid out (Indexing.sites)."""
    assert cache.root is not None
    return cache.root / CACHE_DIR / f"{SITE_FOLDER}-{cache.out_digest()}"


def _laid_out(site: Path) -> dict[str, list]:
    """A shard's LAID_OUT record: each page's [cache key, size]; empty when unreadable or
    written by another FOLD."""
    try:
        said = json.loads((site / LAID_OUT).read_bytes())
        pages = said["pages"] if said.get("fold") == FOLD else {}
        return pages if isinstance(pages, dict) else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _record(pages: Mapping[str, list]) -> bytes:
    return json.dumps({"fold": FOLD, "pages": dict(sorted(pages.items()))}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def usable_cores() -> list[int]:
    """The cores this process may run on (a container's cpuset may allow fewer than the machine has)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return list(range(os.cpu_count() or 1))


class _Cores:
    """One core for each thread of the pool that runs Pagefind, the same for all its runs.

    Pagefind starts a thread for each core of the machine. Two at once beside the newsroom's
    process, each spread over both cores, spent a tenth more CPU than each on a core of its
    own (threads handing work across cores, and the kernel's TLB flushes on each of them
    for every page of memory the other frees): at 10,000 releases, 3.6 s of CPU and 2.5 s of
    a cold build. The pool runs as many at once as there are cores, so no core waits for
    another's. A thread held to a core starts its processes there (they inherit its mask)."""

    def __init__(self, cores: list[int]) -> None:
        self.cores = cores
        self._next = itertools.count()
        self._own = threading.local()

    def hold(self) -> None:
        """Hold the calling thread, and the processes it starts, to a core of its own."""
        if len(self.cores) < 2 or getattr(self._own, "held", False):
            return
        self._own.held = True
        try:
            os.sched_setaffinity(0, {self.cores[next(self._next) % len(self.cores)]})  # 0: this thread
        except (AttributeError, OSError):
            pass  # refused (a sandbox), or not Linux: Pagefind runs wherever the kernel puts it


def _write_index(out: Path, pages: Mapping[str, str], staging: Path, shard: str, site: Path, laid_out: bool,
                 pagefind: str, early: EarlyPages | None = None, cores: _Cores | None = None) -> int:
    """One shard: Pagefind's own binary over its pages, laid out by _lay_out in ``site`` (here,
    unless ``laid_out``). Not its Python API: that waits 0.1 s for each page's answer
    (5 minutes for 1,000 releases), where the binary takes seconds.

    The bundle goes to staging/<shard>, its index alone (INDEX_PARTS): its scripts, worker and
    WebAssembly are set aside in staging/.scripts/<shard> for update_index. Returns the index's size."""
    target = staging / shard
    target.parent.mkdir(parents=True, exist_ok=True)
    if not laid_out:
        _lay_out(out, pages, site, early)
    if cores is not None:
        cores.hold()
    # Its files readable by all (a web server serves them), whatever the build's umask.
    done = subprocess.run([pagefind, "--site", str(site), "--output-path", str(target), "--silent"],
                          capture_output=True, text=True, umask=0o022)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()
        raise RuntimeError(said[-1] if said else f"Pagefind exited with status {done.returncode}")
    scripts = staging / ".scripts" / shard
    scripts.mkdir(parents=True, exist_ok=True)
    for part in target.iterdir():
        if part.name not in INDEX_PARTS and part.suffix != ".pf_meta":
            part.rename(scripts / part.name)
    # Written the same way each time, so that the same pages give the same bytes.
    entry = target / "pagefind-entry.json"
    said = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps(said, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return index_size(target)


def engine_files(shard: Path) -> list[str]:
    """What Pagefind loads from the shard its UI starts from, besides the index: its worker and
    the WebAssembly its pagefind-entry.json names for the language ("unknown": no stemmer)."""
    said = json.loads((shard / "pagefind-entry.json").read_text(encoding="utf-8"))
    return [WORKER, *sorted({f"wasm.{language['wasm'] or 'unknown'}.pagefind" for language in said["languages"].values()})]


def _is_wasm(name: str) -> bool:
    return name.startswith("wasm.") and name.endswith(".pagefind")


def _remove_all_but(live: Path, shards: set[str], starts: set[str], engines: set[str]) -> None:
    """Remove from out/pagefind/ every shard not in ``shards`` (its pages are gone), the worker
    and WebAssembly of shards the UI no longer starts from, the WebAssembly of languages no shard
    is of now (``engines``: those the shards name; a language taken out of the office), and what
    an older layout left."""
    for path in live.iterdir():
        if path.name in PAGE_SCRIPTS or path.name in (MANIFEST, WORKER) or path.name in engines:
            continue
        if path.is_dir() and any(shard.startswith(f"{path.name}/") for shard in shards):
            for year in path.iterdir():
                shard = f"{path.name}/{year.name}"
                if shard not in shards:
                    shutil.rmtree(year) if year.is_dir() else year.unlink()
                elif shard not in starts:
                    for engine in (year / WORKER, *year.glob("wasm.*.pagefind")):
                        engine.unlink(missing_ok=True)
        elif path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _swap(new: Path, live: Path, aside: Path) -> None:
    """Put ``new`` in ``live``'s place, the old one moved ``aside`` (in the staging folder,
    removed with it). Between the two renames the shard is missing (a search then finds
    nothing in it); never half of one."""
    if live.exists():
        aside.parent.mkdir(parents=True, exist_ok=True)
        live.rename(aside)
    make_folder(live.parent)
    new.rename(live)


def _sweep(out: Path) -> None:
    """Remove what a killed build left of a swap."""
    for leftover in out.glob(".pagefind-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def index_size(folder: Path, language: str | None = None) -> int:
    """Bytes of the index itself (its word index, fragments and metadata), without the UI's
    scripts and styles; of one language's files when ``language`` is given."""
    total = 0
    # By os.scandir, not Path.rglob: a shard of 1,000 pages is 1,000 fragments (9 ms -> 2 ms).
    folders = [os.fspath(folder)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir():
                    folders.append(entry.path)
                elif entry.name.endswith((".pf_index", ".pf_fragment", ".pf_meta")) and entry.is_file():
                    if language is None or entry.name.startswith((f"{language}_", f"pagefind.{language}_")):
                        total += entry.stat().st_size
    return total
