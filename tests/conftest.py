"""Shared fixtures: real projects copied into tmp_path, the real CLI, real PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressgen.cli import cli

REPO = Path(__file__).resolve().parent.parent
PROJECTS = Path(__file__).resolve().parent / "projects"
OFFICE_PARTS = ("pressgen.yaml", "media.csv", "releases", "locales", "templates", "published")
CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium tries to reach Google's hosts at start (no network here).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync"]


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Change a project file as a user would; the text to change must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def orphan_warning(lang: str, release_id: str) -> str:
    """What `catalogs update` says of a release catalog whose record is gone."""
    return (f"warning: locales/{lang}/releases/{release_id}.po: no record has the id '{release_id}' any more; "
            "delete this catalog if the release is gone for good, or restore its record")


def but_the_pdf_note(stderr: str) -> str:
    """A build's stderr without the note a build of pages only ends with (cli._report_unprinted),
    for tests of what else it says."""
    return "".join(line for line in stderr.splitlines(keepends=True)
                   if not (line.startswith("note: ") and "this build made pages only" in line))


def outputs(root: Path) -> dict[Path, bytes]:
    """Every file under the project's out/, to compare before and after a build."""
    return {p: p.read_bytes() for p in (root / "out").rglob("*") if p.is_file()}


def flat(text: str) -> str:
    """Text as a reader sees it: whitespace folded, soft hyphens (U+00AD) gone."""
    return " ".join(text.replace("\xad", "").split())


def copy_office(target: Path) -> Path:
    """This repository's own press office (releases, catalogs, templates)."""
    target.mkdir(parents=True, exist_ok=True)
    for part in OFFICE_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def copy_project(name: str, target: Path) -> Path:
    shutil.copytree(PROJECTS / name, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def office(tmp_path: Path) -> Path:
    return copy_office(tmp_path / "office")


@pytest.fixture
def project(tmp_path: Path):
    """project('name') copies tests/projects/name into tmp_path and returns its path."""
    return lambda name: copy_project(name, tmp_path / name)


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (its own browser download is never used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_office(tmp_path_factory) -> Path:
    """The office built once, for the many read-only checks on its outputs."""
    root = copy_office(tmp_path_factory.mktemp("built") / "office")
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory) -> Path:
    """A generated archive of 60 releases (tests/archive.py), built HTML-only once."""
    from archive import make_archive

    root = make_archive(tmp_path_factory.mktemp("archive") / "office")
    result = run_cli("build", "-C", str(root), "--format", "html", "-q")
    assert result.exit_code == 0, result.output
    return root


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr
        self.output = stdout + stderr


def run_cli(*args: str) -> Result:
    """Run the real `pressgen` command in-process; stdout and stderr kept apart."""
    runner = CliRunner()
    result = runner.invoke(cli, list(args), prog_name="pressgen")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)
