"""Incremental builds: only what changed renders; the cache is never trusted blindly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import edit, outputs, run_cli
from pressgen import __version__


def build(root: Path, *args: str):
    return run_cli("build", "--project", str(root), "-j", "1", *args)


def rendered(result) -> list[str]:
    """The outputs a build rendered, from its one-line-per-output log (not a terminal)."""
    return sorted(line.split("] ", 1)[1] for line in result.stdout.splitlines() if line.startswith("["))


def test_no_change_renders_nothing(project):
    root = project("minimal")
    assert len(rendered(build(root))) == 9
    result = build(root)
    assert rendered(result) == []
    assert "9 outputs (0 rendered, 9 up to date)" in result.stdout


def test_one_translation_fix_renders_only_that_language(project):
    root = project("minimal")
    build(root)
    edit(root / "locales/kk/releases/hello.po", 'msgstr "Соңғы абзац."', 'msgstr "Ең соңғы абзац."')
    assert rendered(build(root)) == ["kk/hello.html", "kk/hello.json", "kk/hello.pdf"]
    assert "Ең соңғы абзац." in (root / "out/kk/hello.html").read_text(encoding="utf-8").replace("\xad", "")


def test_a_catalog_header_that_renders_nothing_renders_nothing_again(project):
    """A new press contact, which `catalogs update` writes into every catalog's header, and a
    translator's tool saving a catalog unchanged (its date, name and version in the header)
    change nothing a page shows: at 10,000 releases, every translation's PDF would be rendered
    again for nothing."""
    root = project("minimal")
    build(root)
    for lang in ("tr", "kk"):
        for catalog in (root / f"locales/{lang}/releases/hello.po", root / f"locales/{lang}/LC_MESSAGES/messages.po"):
            text = catalog.read_text(encoding="utf-8")
            text = text.replace("press@office.example", "basin@office.example")
            text = text.replace('"PO-Revision-Date: 2026-12-04 18:37+0000\\n"', '"PO-Revision-Date: 2026-12-06 09:12+0300\\n"')
            text = text.replace('"Last-Translator: \\n"', '"Last-Translator: Ayşe Yılmaz <ayse@office.example>\\n"')
            assert "Ayşe Yılmaz" in text and "2026-12-06 09:12" in text
            catalog.write_text(text, encoding="utf-8")
    assert rendered(build(root)) == []
    # A date no reader can read makes the catalog unreadable: that counts.
    edit(root / "locales/tr/releases/hello.po", "PO-Revision-Date: 2026-12-06 09:12+0300", "PO-Revision-Date: 06.12.2026")
    result = build(root)
    assert "locales/tr/releases/hello.po" in result.stderr and result.exit_code == 1
    edit(root / "locales/tr/releases/hello.po", "PO-Revision-Date: 06.12.2026", "PO-Revision-Date: 2026-12-06 09:12+0300")
    # What a header says of the language itself counts.
    edit(root / "locales/kk/releases/hello.po", "nplurals=2; plural=(n != 1);", "nplurals=1; plural=0;")
    result = build(root)
    assert "locales/kk/releases/hello.po" in result.stderr
    assert rendered(result) == [] and result.exit_code == 1



GLOSSARY = """msgid ""
msgstr ""
"Language: tr\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgctxt "person"
msgid "Ayşe Yılmaz"
msgstr "Ayşe Yılmaz"
"""


def test_a_translators_comment_or_new_wrapping_of_messages_po_renders_nothing(project):
    """Poedit's or msgcat's wrapping, a translator's comment, a note in a glossary: nothing a
    page shows. Each rendered every output of the language again (and a glossary, of every
    language), PDFs and all; the checks still read the file anew, and name its lines."""
    root = project("minimal")
    (root / "locales/tr/glossary.po").write_text(GLOSSARY, encoding="utf-8")
    assert len(rendered(build(root))) == 9
    messages = root / "locales/tr/LC_MESSAGES/messages.po"
    edit(messages, 'msgid "Page %(page)s of %(pages)s"\nmsgstr "Sayfa %(page)s / %(pages)s"',
         '# Checked by Ayşe.\nmsgid ""\n"Page %(page)s of "\n"%(pages)s"\nmsgstr ""\n"Sayfa %(page)s "\n"/ %(pages)s"')
    edit(root / "locales/tr/glossary.po", 'msgctxt "person"', '#. Director.\nmsgctxt "person"')
    result = build(root)
    assert result.exit_code == 0, result.stderr
    assert rendered(result) == []
    # A mistake below the new lines is named at its line as it is now.
    edit(messages, 'msgstr "Dil sürümleri"', 'msgstr "Dil sürümleri %(x)s"')
    line = messages.read_text(encoding="utf-8").splitlines().index('msgstr "Dil sürümleri %(x)s"') + 1
    assert f"locales/tr/LC_MESSAGES/messages.po:{line}:" in build(root).stderr
    # A translation that changes renders the language's outputs again.
    edit(messages, 'msgstr "Dil sürümleri %(x)s"', 'msgstr "Diğer diller"')
    assert rendered(build(root)) == ["tr/hello.html", "tr/hello.json", "tr/hello.pdf"]


def test_record_change_renders_every_language(project):
    root = project("minimal")
    build(root)
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-04-09")
    assert len(rendered(build(root))) == 9


def test_a_language_added_or_a_comment_in_pressgen_yaml_renders_nothing_but_what_a_page_shows_renders_all(project):
    """pressgen.yaml's every byte was in every output's key: adding French to an archive (no
    French version yet), or a comment, rendered every page, PDF and ninjs item again; at 10,000
    releases, hours of PDFs for a line that changed none of them."""
    root = project("minimal")
    build(root)
    edit(root / "pressgen.yaml", "languages: [en, tr, kk]", "languages: [en, tr, kk, fr]  # French from May")
    assert rendered(build(root)) == []
    edit(root / "pressgen.yaml", "  # French from May", "\n# The office's languages and organisations.")
    assert rendered(build(root)) == []
    # Taken out again: nothing of it was out.
    edit(root / "pressgen.yaml", "languages: [en, tr, kk, fr]", "languages: [en, tr, kk]")
    assert rendered(build(root)) == []
    # What every page shows: all of them.
    edit(root / "pressgen.yaml", "name: Office of Culture", "name: Office of Culture and Arts")
    assert len(rendered(build(root))) == 9


def test_template_change_renders_everything(project):
    root = project("minimal")
    build(root)
    (root / "templates/assets").mkdir(parents=True)
    (root / "templates/assets/extra.css").write_text("p { color: black }")
    assert len(rendered(build(root))) == 9


def test_a_photo_added_or_replaced_renders_only_the_releases_that_show_it(project):
    """An office adds a photo for the day's release most days: the releases that do not show
    it are not rendered again (at 10,000 releases, hours of PDFs)."""
    from PIL import Image

    root = project("fields")
    Image.new("RGB", (480, 270), "#0b4f8a").save(root / "images/advisory.jpg")
    edit(root / "releases/agency-advisory.yaml", "  file: images/signing.jpg", "  file: images/advisory.jpg")
    build(root)
    # A photo no release shows yet: nothing to render, and not published before a record names it.
    Image.new("RGB", (400, 300), "#8a0b4f").save(root / "images/tomorrow.jpg")
    result = build(root)
    assert rendered(result) == [] and not (root / "out/images/tomorrow.jpg").exists(), result.output
    # One release's photo replaced by another of other size: that release alone, with the new size.
    Image.new("RGB", (640, 360), "#4f8a0b").save(root / "images/advisory.jpg")
    assert rendered(build(root)) == [f"{lang}/agency-advisory.{fmt}" for lang in ("en", "kk", "tr")
                                     for fmt in ("html", "json", "pdf")]
    assert 'width="640" height="360"' in (root / "out/kk/agency-advisory.html").read_text(encoding="utf-8")
    # Translations behind a changed headline are served as published, and show the photo of today.
    edit(root / "releases/agency-advisory.yaml", "headline: Journalists are invited", "headline: Reporters are invited")
    assert rendered(build(root)) == [f"en/agency-advisory.{fmt}" for fmt in ("html", "json", "pdf")]
    Image.new("RGB", (320, 180), "#0b8a4f").save(root / "images/advisory.jpg")
    assert rendered(build(root)) == [f"{lang}/agency-advisory.{fmt}" for lang in ("en", "kk", "tr")
                                     for fmt in ("html", "json", "pdf")]
    outdated = (root / "out/kk/agency-advisory.html").read_text(encoding="utf-8")
    assert 'width="320" height="180"' in outdated
    # And a release that takes another photo: that release alone.
    edit(root / "releases/signed-statement.yaml", "  file: images/signing.jpg", "  file: images/tomorrow.jpg")
    assert rendered(build(root)) == [f"{lang}/signed-statement.{fmt}" for lang in ("en", "kk", "tr")
                                     for fmt in ("html", "json", "pdf")]
    assert (root / "out/images/tomorrow.jpg").is_file()


def test_a_first_build_with_every_record_broken_leaves_a_cache_the_next_one_trusts(project):
    """A new office's first build with a typo: the next build, with the typo fixed, warned that
    it ignored the cache ('its feed texts are gone'), as no version had been listed yet."""
    root = project("minimal")
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-02-30")
    assert build(root).exit_code == 1
    edit(root / "releases/hello.yaml", "date: 2011-02-30", "date: 2011-04-08")
    result = build(root)
    assert (result.exit_code, result.stderr) == (0, ""), result.output


def test_the_summary_counts_what_a_failing_release_keeps_online(project):
    """A record with a mistake keeps its outputs online: the summary read '0 outputs' as if the
    release had gone (found by a trial)."""
    root = project("minimal")
    build(root)
    edit(root / "releases/hello.yaml", "date: 2011-04-08", "date: 2011-02-30")
    result = build(root)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == \
        "9 outputs (0 rendered, 0 up to date, 9 kept as the last good build made them; 1 problem(s))"
    edit(root / "releases/hello.yaml", "date: 2011-02-30", "date: 2011-04-08")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Biz hazırız"', 'msgstr "Biz hazırız."')
    assert build(root).stdout.splitlines()[-1] == \
        "9 outputs (0 rendered, 6 up to date, 3 kept as the last good build made them; 1 problem(s))"


def test_force_renders_everything(project):
    root = project("minimal")
    build(root)
    assert len(rendered(build(root, "--force"))) == 9


def test_language_no_longer_ready_stays_as_published(project):
    root = project("minimal")
    build(root)
    before = outputs(root)
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Son paragraf."', 'msgstr ""')
    result = build(root, "-v")
    assert "removed" not in result.stdout and rendered(result) == []
    assert "not ready: tr/hello (1 untranslated)" in result.stderr
    assert outputs(root) == before


def test_a_language_never_published_and_no_longer_ready_is_removed_from_out(project):
    """Its draft, built into out/ with --drafts: a build without them removes it (a version
    that went out stays: its snapshot, even deleted, is named, see test_published)."""
    root = project("minimal")
    edit(root / "locales/tr/releases/hello.po", 'msgstr "Son paragraf."', 'msgstr ""')
    build(root, "--drafts")
    assert (root / "out/tr/hello.pdf").exists() and not (root / "published/tr/hello.yaml").exists()
    result = build(root, "-v")
    assert "removed out/tr/hello.html" in result.stdout and "removed out/tr/hello.pdf" in result.stdout
    assert "is missing" not in result.stderr
    assert not (root / "out/tr/hello.pdf").exists()
    # The other languages no longer link to it: they are rendered again.
    assert rendered(result) == ["en/hello.html", "en/hello.pdf", "kk/hello.html", "kk/hello.pdf"]  # ninjs has no links


def test_deleted_release_is_removed_but_foreign_files_stay(project):
    root = project("minimal")
    build(root)
    (root / "out/en/notes.txt").write_text("mine")
    (root / "releases/hello.yaml").unlink()
    build(root)
    site = {"index.html", "feed.xml"}
    assert sorted(p.name for p in (root / "out").glob("*/*")
                  if p.parent.name not in ("assets", "pagefind") and p.name not in site) == [
        "notes.txt"]
    assert "hello" not in (root / "out/en/index.html").read_text(encoding="utf-8")


def test_failed_version_keeps_its_output_and_does_not_poison_the_cache(project):
    root = project("minimal")
    build(root)
    pdf_before = (root / "out/tr/hello.pdf").read_bytes()
    po = root / "locales/tr/releases/hello.po"
    good = po.read_text(encoding="utf-8")
    po.write_text(good.replace('msgctxt "headline"', "garbage\nmsgctxt \"headline\""), encoding="utf-8")
    result = build(root)
    assert result.exit_code == 1
    assert "locales/tr/releases/hello.po" in result.stderr
    assert (root / "out/tr/hello.pdf").read_bytes() == pdf_before
    po.write_text(good.replace('msgstr "İlk paragraf."', 'msgstr "Birinci paragraf."'), encoding="utf-8")
    result = build(root)
    assert result.exit_code == 0
    assert rendered(result) == ["tr/hello.html", "tr/hello.json", "tr/hello.pdf"]


def test_corrupt_cache_is_ignored_with_a_warning(project):
    root = project("minimal")
    build(root)
    cache = root / ".pressgen/cache.json"
    cache.write_text("{not json")
    result = build(root)
    assert result.exit_code == 0
    assert "warning: .pressgen/cache.json: ignoring the build cache" in result.stderr
    assert len(rendered(result)) == 9
    json.loads(cache.read_text())  # rewritten whole


def test_foreign_cache_is_ignored(project):
    root = project("minimal")
    build(root)
    cache = root / ".pressgen/cache.json"
    data = json.loads(cache.read_text())
    data["version"] = "0.0.1"
    cache.write_text(json.dumps(data))
    result = build(root)
    assert "ignoring the build cache (written by another version of pressgen)" in result.stderr


def test_noop_rebuild_does_not_import_weasyprint(project):
    root = project("minimal")
    build(root)
    script = textwrap.dedent(f"""
        import sys
        from pressgen import build
        report = build({str(root)!r}, jobs=1)
        assert report.ok and not report.written, report
        print("weasyprint" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_parallel_build_matches_serial_build(project, tmp_path):
    root = project("minimal")
    assert build(root, "--out", str(tmp_path / "serial")).exit_code == 0
    result = run_cli("build", "--project", str(root), "--out", str(tmp_path / "parallel"), "-j", "2")
    assert result.exit_code == 0, result.output
    for pdf in (tmp_path / "serial").rglob("*.pdf"):
        assert pdf.read_bytes() == (tmp_path / "parallel" / pdf.relative_to(tmp_path / "serial")).read_bytes()


def test_identical_records_under_two_names_are_two_releases(project):
    root = project("minimal")
    build(root)
    (root / "releases/hello-again.yaml").write_bytes((root / "releases/hello.yaml").read_bytes())
    result = build(root, "--format", "html", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert (root / "out/en/hello-again.html").exists()


def test_compiled_templates_are_kept_for_the_next_build_and_a_damaged_one_is_compiled_again(project):
    """A build keeps its compiled templates in .pressgen/compiled-templates/: the next build,
    a new process, compiles none. One that cannot be read is compiled again, and the pages
    are the same."""
    root = project("minimal")
    build(root, "--format", "html")
    pages = outputs(root)
    kept = sorted((root / f".pressgen/compiled-templates/{__version__}").iterdir())
    assert len(kept) >= 5
    script = textwrap.dedent(f"""
        import jinja2
        compiled = []
        real = jinja2.Environment.compile
        def counting(self, *args, **kwargs):
            compiled.append(args[1] if len(args) > 1 else kwargs.get("name"))
            return real(self, *args, **kwargs)
        jinja2.Environment.compile = counting
        from pressgen import build
        report = build({str(root)!r}, jobs=1, formats=("html",), force=True)
        assert report.ok, report.errors
        print(len(compiled))
    """)

    def compiled_in_a_new_process() -> int:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        return int(done.stdout)

    assert compiled_in_a_new_process() == 0
    for path in kept:
        path.write_bytes(path.read_bytes()[:40])  # cut short, as a full disk leaves a file
    damaged = compiled_in_a_new_process()
    assert outputs(root) == pages
    assert compiled_in_a_new_process() == 0  # written again whole
    shutil.rmtree(root / ".pressgen/compiled-templates")
    assert compiled_in_a_new_process() == damaged > 0  # each one that was damaged, as with none kept
