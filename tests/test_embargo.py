"""An embargo as journalists read it: named in their language, and gone once it lifts."""

from __future__ import annotations

import shutil

import pytest

from conftest import but_the_pdf_note, flat, run_cli
from htmlread import Page
from pdfread import pdf_text

EMBARGO = "2026-12-03 02:00 Asia/Almaty"

NOTICES = {
    "en": "EMBARGOED UNTIL December 3, 2026, 02:00 (Kazakhstan Time)",
    "tr": "3 Aralık 2026, 02:00 (Kazakistan Saati) TARİHİNE KADAR AMBARGOLU",
    "kk": "ЭМБАРГО: 2026 ж. 3 желтоқсан, 02:00 (Қазақстан уақыты)",
}

MOMENTS = {"en": "December 3, 2026, 02:00 (Kazakhstan Time)", "tr": "3 Aralık 2026, 02:00 (Kazakistan Saati)",
           "kk": "2026 ж. 3 желтоқсан, 02:00 (Қазақстан уақыты)"}


@pytest.fixture
def embargoed(project):
    root = project("minimal")
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text() + f"embargo: {EMBARGO}\n")
    return root


def build(root, now: str):
    result = run_cli("build", "--project", str(root), "-o", str(root / "out"), "--now", now)
    assert result.exit_code == 0, result.output
    return root / "out"


def test_the_embargo_is_named_in_each_language_and_the_date_keeps_its_case(embargoed):
    out = build(embargoed, "2026-12-03 01:59 Asia/Almaty")
    for lang, notice in NOTICES.items():
        pdf = flat(pdf_text(out / f"{lang}/hello.pdf"))
        assert notice.replace(" ", "") in pdf.replace(" ", ""), (lang, pdf[:300])
        assert "GMT" not in pdf
        page = Page((out / f"{lang}/hello.html").read_text(encoding="utf-8"))
        assert MOMENTS[lang] in page.text and MOMENTS[lang] in notice
    assert "2026 Ж." not in flat(pdf_text(out / "kk/hello.pdf"))


def test_once_the_embargo_lifts_page_and_pdf_no_longer_say_embargoed(embargoed):
    out = build(embargoed, "2026-12-03 01:59 Asia/Almaty")
    assert "Embargoed" in (out / "en/hello.html").read_text(encoding="utf-8")
    # The record's own form is a valid --now: the moment the embargo lifts.
    out = build(embargoed, EMBARGO)
    expected = {"en": ("FOR IMMEDIATE RELEASE", "EMBARGOED"), "tr": ("HEMEN YAYIMLANABİLİR", "AMBARGO"),
                "kk": ("ДЕРЕУ ЖАРИЯЛАУҒА", "ЭМБАРГО")}
    for lang, (immediate, embargo) in expected.items():
        html = (out / f"{lang}/hello.html").read_text(encoding="utf-8")
        pdf = flat(pdf_text(out / f"{lang}/hello.pdf"))
        assert 'class="embargo"' not in html and "noindex" not in html
        assert embargo not in pdf.upper(), lang
        assert immediate.replace(" ", "") in pdf.replace(" ", ""), (lang, pdf[:200])


def test_a_withdrawn_release_shows_no_embargo(embargoed):
    record = embargoed / "releases/hello.yaml"
    record.write_text(record.read_text() + "withdrawn: 2026-12-02\n")
    out = build(embargoed, "2026-12-03 01:59 Asia/Almaty")
    html = (out / "en/hello.html").read_text(encoding="utf-8")
    assert "WITHDRAWN" in html and 'class="embargo"' not in html


@pytest.mark.parametrize("now", ["2026-12-03 02:00 Asia/Almaty", "2026-12-03 02:00 +05:00", "2026-12-02T21:00Z"])
def test_now_takes_the_records_form_too(embargoed, now):
    out = build(embargoed, now)
    assert "hello.html" in (out / "en/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("now, message", [
    ("2026-12-03 25:00 Asia/Almaty", "Invalid value for '--now': '2026-12-03 25:00 Asia/Almaty' is not a date and "
     "time with a timezone, e.g. 2030-01-01T00:00Z or '2030-01-01 06:00 Asia/Almaty' (as in a record's embargo)"),
    ("2026-12-03T02:00", "Invalid value for '--now': '2026-12-03T02:00' needs a timezone, e.g. 2030-01-01T00:00Z "
     "or 2030-01-01T06:00+06:00"),
])
def test_now_refuses_what_is_not_a_moment(embargoed, now, message):
    result = run_cli("build", "--project", str(embargoed), "-o", str(embargoed / "out"), "--now", now)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_build_says_when_the_next_embargo_lifts(embargoed):
    """The office knows when a build must run for the release to appear in the newsroom."""
    out = ("-o", str(embargoed / "out"))
    before = run_cli("build", "--project", str(embargoed), *out, "--now", "2026-12-02 12:00 Asia/Almaty")
    assert before.exit_code == 0, before.output
    assert before.stdout.splitlines()[-1] == "next embargo lifts 2026-12-03 02:00+05:00 (hello): a build then lists it"
    after = run_cli("build", "--project", str(embargoed), *out, "--now", "2026-12-03 02:00 Asia/Almaty")
    assert "next embargo" not in after.output
    quiet = run_cli("build", "--project", str(embargoed), *out, "--now", "2026-12-02 12:00 Asia/Almaty", "-q")
    assert quiet.output == ""


def test_an_embargo_put_on_a_public_release_says_it_cannot_take_back_what_went_out(project):
    """Found by a trial: the release left the newsroom, feeds and sitemap, and nothing was said."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    record = root / "releases/hello.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "embargo: 2099-01-01 09:00 Asia/Almaty\n", encoding="utf-8")
    line = len(record.read_text(encoding="utf-8").splitlines())
    # Before the commit too, which the pre-commit hook checks (a trial's check was silent), also
    # in a fresh clone, whose out/ and cache are empty: its published/ says it went out.
    said = (f"warning: releases/hello.yaml:{line}: the release was public already, and its embargo takes it out of "
            "the newsroom")
    assert said in run_cli("check", "--project", str(root)).stderr
    clone = root.parent / "clone"
    shutil.copytree(root, clone, ignore=shutil.ignore_patterns("out", ".pressgen"))
    assert said in run_cli("check", "--project", str(clone)).stderr
    result = run_cli("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0
    assert but_the_pdf_note(result.stderr).splitlines() == [
        f"warning: releases/hello.yaml:{line}: the release was public already, and its embargo takes it out of the "
        "newsroom, the feeds and the sitemap until 2099-01-01 09:00+05:00; whoever read it or received it has it "
        "(to take it offline for good, withdraw it)"]
    assert 'href="hello.html"' not in (root / "out/en/index.html").read_text(encoding="utf-8")
    # Said once: the next build finds it unlisted already.
    assert "warning" not in run_cli("build", "--project", str(root), "--format", "html", "--force").stderr


def test_a_look_at_another_moment_never_changes_the_published_out_folder(embargoed):
    """`build --now` after the embargo wrote the release into out/'s newsroom, feeds, sitemap
    and search: an office that serves out/ broke its own embargo (found by a trial)."""
    assert run_cli("build", "--project", str(embargoed), "--format", "html").exit_code == 0
    before = {p: p.read_bytes() for p in (embargoed / "out").rglob("*") if p.is_file()}
    result = run_cli("build", "--project", str(embargoed), "--now", "2099-01-01T00:00Z")
    assert result.exit_code == 2
    assert result.stderr == ("--now builds the site as it will be at that moment: give it a folder of its own with -o "
                             "(for example -o preview), so that out/, which is published, stays as it is\n")
    assert {p: p.read_bytes() for p in (embargoed / "out").rglob("*") if p.is_file()} == before
    preview = embargoed / "preview"
    assert run_cli("build", "--project", str(embargoed), "--format", "html", "-o", str(preview),
                   "--now", "2099-01-01T00:00Z").exit_code == 0
    assert 'href="hello.html"' in (preview / "en/index.html").read_text(encoding="utf-8")
