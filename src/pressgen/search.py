"""The newsroom's static search: a Pagefind index of the public release pages.

    out/pagefind/      Pagefind's index and its search UI, one index per page language

Pagefind splits the index by each page's ``lang`` attribute and stems where
Snowball has a stemmer (English, Turkish; Kazakh gets none). It reads only what
the release templates mark ``data-pagefind-body``: headline, standfirst, body.

Only the pages the newsroom lists are indexed (site.py's entries: no drafts,
nothing withdrawn or still under embargo). Pagefind cannot add to an index, so
the whole index is made again when one listed page changed, and not at all
when none did: its key is the listed pages' cache keys, which the build has
already computed, so a no-op rebuild reads no page and starts no Pagefind.

The index is written beside the live one and swapped in by renaming, so a
reader sees the old index or the new one, and a failed run leaves the old one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from importlib.metadata import version
from pathlib import Path

from .cache import BuildCache, combine, file_sha
from .errors import PressgenError

FOLDER = "pagefind"
CACHE_ENTRY = f"{FOLDER}/"
"""How the cache names the index among out/'s outputs."""
FOLD = 1
"""Bumped when ``indexed_document`` changes, so indexes made the old way are made again."""

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
    """What Pagefind reads of a release page: its text folded (fold_dotless_i), and its
    ``<title>`` and description, as written, as the result's title and summary.

    >>> indexed_document('<title>Işık</title><meta name="description" content="ılık"><body><h1>Işık</h1>')
    '<title data-pagefind-meta="title">Işık</title><meta data-pagefind-meta="summary[content]" name="description" content="ılık"><body><h1>Işik</h1>'
    """
    marked = html.replace("<title>", '<title data-pagefind-meta="title">', 1).replace(
        '<meta name="description"', '<meta data-pagefind-meta="summary[content]" name="description"', 1)
    return fold_dotless_i(marked)


def index_key(out: Path, cache: BuildCache, pages: list[str]) -> str:
    """What the index is made of: the listed pages as the cache knows them (their keys
    cover the record, catalogs, templates and config), and the Pagefind that indexed them."""
    keys = [f"{rel}={cache.outputs.get(rel, {}).get('key') or file_sha(out / rel)}" for rel in sorted(pages)]
    return combine("search", version("pagefind_bin"), FOLD, *keys)


def update_index(out: Path, cache: BuildCache, pages: list[str]) -> bool:
    """Make out/pagefind/ from ``pages`` (paths relative to out/) unless it is up to date.

    True if it was made. Raises PressgenError naming out/pagefind when Pagefind fails;
    the index online stays as it was.
    """
    key = index_key(out, cache, pages)
    live = out / FOLDER
    if cache.outputs.get(CACHE_ENTRY, {}).get("inputs") == key and (live / "pagefind.js").is_file():
        return False
    # Listed but never written (its only version failed to render): nothing to index.
    pages = [rel for rel in pages if (out / rel).is_file()]
    if not pages:
        # Nothing public in out/ (Pagefind refuses an empty site): no index either.
        shutil.rmtree(live, ignore_errors=True)
        cache.outputs.pop(CACHE_ENTRY, None)
        return False
    _sweep(out)
    staging = Path(tempfile.mkdtemp(dir=out, prefix=".pagefind-new-"))
    try:
        _write_index(out, pages, staging)
    except (OSError, UnicodeDecodeError, RuntimeError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise PressgenError(live, None, f"the search index was not updated ({exc}); the previous one stays online, "
                            "run the build again") from exc
    _swap(staging, live)
    cache.outputs[CACHE_ENTRY] = {"key": "search", "inputs": key, "size": index_size(live)}
    return True


def _write_index(out: Path, pages: list[str], target: Path) -> None:
    """Pagefind's own binary over the pages as it should read them (indexed_document), laid
    out as in out/ so that their URLs are out/'s. Not its Python API: that waits 0.1 s for
    each page's answer (5 minutes for 1,000 releases), where the binary takes seconds."""
    from pagefind_bin import get_executable

    with tempfile.TemporaryDirectory(dir=target) as site:
        for rel in pages:
            document = Path(site) / rel
            document.parent.mkdir(parents=True, exist_ok=True)
            document.write_text(indexed_document((out / rel).read_text(encoding="utf-8")), encoding="utf-8")
        bundle = target / "bundle"
        done = subprocess.run([str(get_executable()), "--site", site, "--output-path", str(bundle), "--silent"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise RuntimeError(said[-1] if said else f"Pagefind exited with status {done.returncode}")
    # The bundle alone, in target's place (the pages copied for it were removed above).
    for part in bundle.iterdir():
        part.rename(target / part.name)
    bundle.rmdir()
    # Pagefind lists the languages in a hash map's order, which changes from run to run:
    # sorted, the same pages give the same bytes.
    entry = target / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True, ensure_ascii=False,
                                separators=(",", ":")), encoding="utf-8")


def _swap(staging: Path, live: Path) -> None:
    """Put ``staging`` in ``live``'s place. Between the two renames there is no index
    (a search then finds nothing, and the next build makes one); never half of one."""
    old = None
    if live.exists():
        old = live.with_name(f".pagefind-old-{staging.name.rpartition('-')[2]}")
        live.rename(old)
    staging.rename(live)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _sweep(out: Path) -> None:
    """Remove what a killed build left of a swap."""
    for leftover in out.glob(".pagefind-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def index_size(folder: Path, language: str | None = None) -> int:
    """Bytes of the index itself (its word index, fragments and metadata), without the UI's
    scripts and styles; of one language's files when ``language`` is given."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".pf_index", ".pf_fragment", ".pf_meta"):
            if language is None or path.name.startswith((f"{language}_", f"pagefind.{language}_")):
                total += path.stat().st_size
    return total
