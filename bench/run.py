"""pressgen's speed and memory targets, measured on a synthetic archive.

    python bench/run.py            # the full run: 1,000 releases x 3 languages
    python bench/run.py --quick    # a small archive, for CI (never fails on timing)

The archive is made from the shipped releases under new ids, with the same
translated catalogs. Every figure in the table comes from this one run.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OFFICE = ("pressgen.yaml", "releases", "locales", "templates")


def make_archive(target: Path, releases: int) -> list[str]:
    """``releases`` records cycling through the shipped ones, with their catalogs."""
    for part in OFFICE:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("*.yaml", "*.po") if part != "templates" else None)
        else:
            shutil.copy2(source, target / part)
    shipped = sorted(p.stem for p in (REPO / "releases").glob("*.yaml"))
    ids = []
    for n in range(releases):
        base = shipped[n % len(shipped)]
        new = f"{base}-{n:04d}"
        ids.append(new)
        shutil.copy2(REPO / "releases" / f"{base}.yaml", target / "releases" / f"{new}.yaml")
        for catalog in (REPO / "locales").glob(f"*/releases/{base}.po"):
            dest = target / catalog.relative_to(REPO).with_name(f"{new}.po")
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(catalog, dest)
    for messages in (REPO / "locales").glob("*/LC_MESSAGES/messages.po"):
        dest = target / messages.relative_to(REPO)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(messages, dest)
    return ids


# A release the office might write next: its texts partly repeat the archive's,
# as releases do. Of its 9 messages per language: place and tags come back word for word
# (4 exact), one paragraph gains a word (near), one joins a sentence of each
# shipped release (sentences), and the headline and two paragraphs are new.
NEW_RELEASE = """\
language: en
style: statement
organisation: turksoy
date: 2012-04-08
place: Baku
headline: TÜRKSOY and the Senate of Kazakhstan plan a year of culture
tags: [TÜRKSOY, ISESCO, Nevruz]
body:
  - >
    Signing an agreement with the Islamic Educational, Scientific and
    Cultural Organization (ISESCO), the International Organization of Turkic
    Culture (TÜRKSOY) has added yet another international cooperation
    agreement to its many existing agreements.
  - >
    The ceremony was attended by eminent personalities from TÜRKSOY member
    countries, among them the Minister of Culture of Kyrgyzstan Nurlan
    Shakiev, the Ambassador of Kazakhstan to Azerbaijan Serik Primbetov, and
    officials of the Ministries of Culture of Turkey and Azerbaijan.
    In conclusion, Ashimbayev stressed that the Senate is ready to work
    actively to strengthen the cultural cooperation between the Turkic
    countries within TÜRKSOY.
  - >
    The programme of the year will be announced in Ankara in the autumn.
  - >
    Member states are invited to send their proposals to the Secretariat.
"""


def tm_prefill(root: Path) -> tuple[str, str, str, bool]:
    """Share of the new release's messages, in every target language, that
    `pressgen catalogs update` pre-fills from the memory, counted from its
    '# Translation memory:' comments; and that update's time on the archive
    (a new process: the memory is read from every catalog, then each is merged)."""
    # First bring the archive's catalogs up to date (their '#:' lines name the
    # shipped records), so that the timed run is the one a new release causes.
    run("catalogs", "update", "-C", str(root))
    (root / "releases" / "tm-new-release.yaml").write_text(NEW_RELEASE, encoding="utf-8")
    seconds = run("catalogs", "update", "-C", str(root))
    counts = {"exact": 0, "near": 0, "sentences": 0}
    total = 0
    for po in sorted((root / "locales").glob("*/releases/tm-new-release.po")):
        for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:
            if "\nmsgid " not in "\n" + block:
                continue
            total += 1
            if "# Translation memory: 100% from" in block:
                counts["exact"] += 1
            elif "sentences joined" in block:
                counts["sentences"] += 1
            elif "# Translation memory:" in block:
                counts["near"] += 1
    share = sum(counts.values()) / total * 100 if total else 0
    details = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    return ("TM pre-fill of a new release", ">= 50 % of messages",
            f"{share:.0f} % of {total} messages ({details}); catalogs update {seconds:.1f} s", share >= 50)


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(*args: str) -> float:
    """Wall time of a `pressgen` command, as a user runs it (a new process)."""
    start = time.perf_counter()
    subprocess.run([str(BIN / "pressgen"), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, bool]] = []

    def add(self, what: str, target: str, measured: str, ok: bool) -> None:
        self.rows.append((what, target, measured, ok))
        print(f"  measured: {what}: {measured}", file=sys.stderr, flush=True)

    def print(self) -> None:
        widths = [max(len(r[i]) for r in self.rows + [("what", "target", "measured", True)]) for i in range(3)]
        header = f"| {'what':<{widths[0]}} | {'target':<{widths[1]}} | {'measured':<{widths[2]}} | pass |"
        print(header)
        print("|" + "|".join("-" * (w + 2) for w in widths) + "|------|")
        for what, target, measured, ok in self.rows:
            print(f"| {what:<{widths[0]}} | {target:<{widths[1]}} | {measured:<{widths[2]}} | {'yes' if ok else 'NO':<4} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small archive for CI; exit 0 whatever the timings")
    parser.add_argument("--releases", type=int, help="archive size (default 1000, quick 24)")
    args = parser.parse_args()
    releases = args.releases or (24 if args.quick else 1000)
    sample = 8 if args.quick else 40          # PDFs for the per-PDF comparison
    cli_sample = 3 if args.quick else 10      # documents for the weasyprint-CLI loop
    parallel_sample = 16 if args.quick else 120

    sys.path.insert(0, str(REPO / "src"))
    import pressgen
    from pressgen.build import build

    table = Table()
    with tempfile.TemporaryDirectory(prefix="pressgen-bench-") as tmp:
        root = Path(tmp) / "office"
        root.mkdir()
        ids = make_archive(root, releases)
        print(f"pressgen {pressgen.__version__}: archive of {releases} releases x 3 languages, "
              f"{os.cpu_count()} cores", file=sys.stderr)

        # HTML-only, everything rendered (pages are what PDFs are printed from).
        html_out = root / "html-out"
        seconds = timed(lambda: build(root, html_out, formats=("html",), force=True))
        pages = len(list(html_out.glob("*/*.html")))
        per_page = seconds / pages * 1000
        table.add("HTML-only build, per page", "<= 2 ms", f"{per_page:.2f} ms ({pages} pages)", per_page <= 2)

        # The search index that build made (all 3 languages), and the time to make it alone.
        from pressgen.cache import BuildCache
        from pressgen.search import index_size, update_index

        listed = [p.relative_to(html_out).as_posix() for p in html_out.glob("*/*.html") if p.name != "index.html"]
        indexing = timed(lambda: update_index(html_out, BuildCache.in_memory(), listed))
        per_thousand = index_size(html_out / "pagefind") / releases * 1000 / 1024 / 1024
        languages = ", ".join(f"{code} {index_size(html_out / 'pagefind', code) / releases * 1000 / 1024 / 1024:.1f}"
                              for code in ("en", "tr", "kk"))
        table.add("search index per 1,000 releases", "<= 10 MB",
                  f"{per_thousand:.1f} MB ({languages}); made in {indexing:.1f} s", per_thousand <= 10)

        # Per PDF: pressgen -j 1 against bare WeasyPrint on the same HTML, same process.
        subset = tuple(ids[:sample // 3 + 1])
        from weasyprint import HTML

        build(root, root / "warm", release_ids=subset[:1], formats=("pdf",), jobs=1, force=True)  # imports, fonts
        pdf_out = root / "pdf-out"
        ours = timed(lambda: build(root, pdf_out, release_ids=subset, formats=("pdf",), jobs=1, force=True))
        pdfs = sorted(pdf_out.glob("*/*.pdf"))
        build(root, pdf_out, release_ids=subset, formats=("html",), jobs=1)
        html_files = [p.with_suffix(".html") for p in pdfs]
        HTML(filename=str(html_files[0])).write_pdf()
        bare = timed(lambda: [HTML(filename=str(f)).write_pdf() for f in html_files])
        ratio = ours / bare
        per_pdf = ours / len(pdfs)
        table.add("per PDF: pressgen -j 1 / bare WeasyPrint", "<= 1.15",
                  f"{ratio:.2f} ({per_pdf * 1000:.0f} ms vs {bare / len(pdfs) * 1000:.0f} ms, {len(pdfs)} PDFs)", ratio <= 1.15)

        # -j 2 against -j 1, the same PDFs, from a new process each.
        par_ids = ids[:parallel_sample // 3 + 1]
        release_args = [a for i in par_ids for a in ("--release", i)]
        one = run("build", "-C", str(root), "-o", str(root / "j1"), "--format", "pdf", "-j", "1", "--force", *release_args)
        two = run("build", "-C", str(root), "-o", str(root / "j2"), "--format", "pdf", "-j", "2", "--force", *release_args)
        table.add("-j 2 vs -j 1", ">= 1.8x faster", f"{one / two:.2f}x ({one:.1f} s vs {two:.1f} s, {len(par_ids) * 3} PDFs)",
                  one / two >= 1.8)

        # The loop a user would otherwise script: one weasyprint process per document,
        # against `pressgen build` as a user runs it (one worker per core), timed above.
        cli = shutil.which("weasyprint", path=str(BIN)) or "weasyprint"
        loop = timed(lambda: [subprocess.run([cli, str(f), str(f.with_suffix(".cli.pdf"))], check=True,
                                             capture_output=True) for f in html_files[:cli_sample]])
        per_pdf_default = two / (len(par_ids) * 3)
        speedup = (loop / cli_sample) / per_pdf_default
        table.add("pressgen build vs a weasyprint-CLI loop", ">= 10x faster",
                  f"{speedup:.1f}x ({loop / cli_sample * 1000:.0f} ms vs {per_pdf_default * 1000:.0f} ms per document; "
                  f"-j 1 alone: {(loop / cli_sample) / per_pdf:.1f}x)", speedup >= 10)

        # The whole archive, HTML and PDF, in parallel: peak memory of any process.
        full = root / "out"
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        whole = run("build", "-C", str(root), "-j", str(os.cpu_count() or 1))
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        count = len(list(full.glob("*/*.pdf")))
        table.add(f"peak RSS over {count} PDFs", "< 300 MB", f"{peak:.0f} MB (full build {whole:.0f} s)", peak < 300)

        # No-op rebuild, and one translator's fix.
        noop = statistics.median(run("build", "-C", str(root)) for _ in range(3))
        table.add(f"no-op rebuild, {releases} x 3", "<= 1 s", f"{noop:.2f} s", noop <= 1)
        catalog = root / "locales" / "kk" / "releases" / f"{ids[0]}.po"
        text = catalog.read_text(encoding="utf-8")
        catalog.write_text(re.sub(r'^msgstr "(?=[^"])', 'msgstr "Жаңа: ', text, count=1, flags=re.M), encoding="utf-8")
        changed = run("build", "-C", str(root), "-j", "1")
        # "Its render", measured alone: that version built in a fresh process in a
        # one-release project (WeasyPrint's import included), less that project's no-op.
        single = Path(tmp) / "single"
        single.mkdir()
        make_archive(single, 1)
        run("build", "-C", str(single), "-j", "1")
        alone = run("build", "-C", str(single), "-j", "1", "--force", "--lang", "kk") - run("build", "-C", str(single))
        overhead = changed - alone
        table.add("one changed catalog", "<= 1 s + its render",
                  f"{changed:.2f} s = {overhead:.2f} s + {alone:.2f} s render (1 PDF, 1 page)", overhead <= 1)

        # Size of a text-only two-page release (the statement with its logo off).
        sizes = []
        for pdf in full.glob("*/*.pdf"):
            from pypdf import PdfReader

            if len(PdfReader(pdf).pages) == 2:
                sizes.append(pdf.stat().st_size)
        largest = max(sizes) / 1024 if sizes else 0
        table.add("two-page release PDF (largest)", "<= 40 KB", f"{largest:.1f} KB", 0 < largest <= 40)

        # The translation memory, on a release written after the archive.
        table.add(*tm_prefill(root))

    table.print()
    failed = [row for row in table.rows if not row[3]]
    if failed and not args.quick:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
