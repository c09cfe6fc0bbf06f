"""The cold build's shortcuts (issue 16) give the pages they gave before, and do their work
once per label, word or attribute rather than once per page."""

from __future__ import annotations

import shutil

from conftest import copy_project, edit, run_cli

from pressgen import qa
from pressgen.hyphenate import SOFT_HYPHEN, Names, hyphenate


def build_html(root):
    result = run_cli("build", "--project", str(root), "--format", "html", "-q")
    assert result.exit_code == 0, result.output
    return result


def test_addresses_without_a_scheme_are_still_links(project):
    # urlize is skipped for paragraphs without an address: a bare domain (oc.org, in any
    # case) is one, as are www. and mail addresses; text with none is only escaped. (Words
    # short enough not to take soft hyphens, which keep a bare domain from being a link.)
    root = project("minimal")
    edit(root / "releases/hello.yaml", "  - The first paragraph.",
         "  - See oc.org, NEWS.ORG/haber, WWW.oc.az and press@office.example.\n"
         "  - Tom & Jerry <b>, nothing to link.")
    build_html(root)
    page = (root / "out/en/hello.html").read_text(encoding="utf-8")
    assert '<a href="https://oc.org" rel="noopener">oc.org</a>,' in page
    assert '<a href="https://NEWS.ORG/haber" rel="noopener">NEWS.ORG/haber</a>' in page
    assert '<a href="https://WWW.oc.az" rel="noopener">WWW.oc.az</a>' in page
    assert '<a href="mailto:press@office.example">press@office.example</a>.' in page
    assert "Tom &amp; Jerry &lt;b&gt;, nothing to link." in page


def label_checks(root, monkeypatch) -> int:
    """How many times the build's QA checked a translation of a template label."""
    labels = {"Press release", "Contact", "About"}
    calls = []
    check = qa.check_translation

    def counting(source, translation, limit=None):
        if source in labels:
            calls.append(source)
        return check(source, translation, limit)

    monkeypatch.setattr(qa, "check_translation", counting)
    build_html(root)
    monkeypatch.undo()
    return len(calls)


def test_a_label_is_checked_once_per_build_not_once_per_page(tmp_path, monkeypatch):
    one = copy_project("minimal", tmp_path / "one")
    three = copy_project("minimal", tmp_path / "three")
    for name in ("second", "third"):
        shutil.copy(three / "releases/hello.yaml", three / f"releases/{name}.yaml")
        for lang in ("tr", "kk"):
            shutil.copy(three / f"locales/{lang}/releases/hello.po", three / f"locales/{lang}/releases/{name}.po")
    checks_one = label_checks(one, monkeypatch)
    assert checks_one > 0
    # Three times the pages, the same checks of the labels they share.
    assert label_checks(three, monkeypatch) == checks_one


def test_a_repeated_word_breaks_as_the_paragraphs_last_word_only_there():
    # hyphenate keeps each word's breaks once per word, apart for the paragraph's last word.
    names = Names.of([], "tr")
    text = "Tören gerçekleştirildi ve gerçekleştirildi"
    for _ in range(2):
        assert hyphenate(text, "tr", names).replace(SOFT_HYPHEN, "-") == \
            "Tören ger-çek-leş-ti-rildi ve ger-çek-leş-tirildi"


def test_a_name_stays_whole_after_the_same_word_broke_in_another_language():
    names = Names.of(["Kaseinov"], "en")
    assert hyphenate("Kaseinovation", "en", names) == "Kaseinovation"
    assert hyphenate("Kaseinovation", "tr", Names.of([], "tr")) != "Kaseinovation"


def test_the_sandbox_still_refuses_python_internals_and_changes(project):
    # The attribute checks are decided once per type and name: a safe attribute read first
    # must not make an unsafe one of the same object pass.
    for expression, attribute in (("release.headline.__class__", "__class__"),
                                  ("alternates.index and alternates.append", "append"),
                                  ("release.headline.value.__class__.__mro__", "__class__")):
        root = project("minimal")
        (root / "templates/partials").mkdir(parents=True, exist_ok=True)
        (root / "templates/partials/heading.html").write_text(
            f"<h1>{{{{ release.headline.value }}}} {{{{ {expression} }}}}</h1>\n", encoding="utf-8")
        result = run_cli("build", "--project", str(root), "--format", "html", "-q")
        assert result.exit_code == 1, expression
        assert f"access to attribute '{attribute}'" in result.stderr and "is unsafe" in result.stderr, result.stderr
        assert "Traceback" not in result.output
        shutil.rmtree(root)
