"""What keeps a language version from being ready: one message, and why.

Its own module, below translate.py, so that a build replayed from its stamp
(stamp.py) can name the work left without importing Babel or Jinja.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import PressgenError


@dataclass(frozen=True)
class Gap:
    """One message that keeps a language version from being ready."""

    path: Path
    line: int | None
    message: str
    kind: str = "untranslated"
    """'catalog' (none yet), 'untranslated', 'fuzzy', 'changed' (not in the catalog, whose
    message of the same field has the text's previous translation), or 'mistake': a
    translation that fails a QA check or the glossary, which is an error, not work still to do."""
    went_out: bool = False
    """A label or office text whose translation that went out (published/<lang>.messages.yaml)
    the pages show while it waits, rather than its English."""

    def as_error(self) -> PressgenError:
        return PressgenError(self.path, self.line, self.message)

    def as_state(self) -> list:
        """The form the build cache keeps."""
        return [str(self.path), self.line, self.message, self.kind, *([True] if self.went_out else [])]

    @classmethod
    def from_state(cls, state: list) -> Gap:
        path, line, message, *kind_and_went_out = state
        return cls(Path(path), line, message, *kind_and_went_out)


def labels_only(state: dict | None) -> bool:
    """Whether a version not ready waits only for labels or office texts of messages.po (no
    mistake): it is published meanwhile, with their previous translations (English where
    there is none)."""
    if state is None or state["ready"]:
        return False
    gaps = [Gap.from_state(g) for g in state["gaps"]]
    return bool(gaps) and all(g.kind != "mistake" and g.path.name == "messages.po" for g in gaps)


def start_catalogs_hint(them: str) -> str:
    """What to do about catalogs not made yet (``them``: 'it', 'them')."""
    return (f"run `pressgen catalogs update`, which starts {them} from the translations it finds (a renamed "
            "release's, what was published), then translate what is left")


def languages_without_catalogs(not_ready: list[tuple[str, str, list[Gap]]]) -> dict[str, tuple[Path, list[str]]]:
    """(locales/<lang>, the ids of its versions not ready) of each language that has no catalog
    yet and two or more versions waiting for them: said once, not its messages.po under every
    release. A release's catalog missing where its language has others is still named under
    the release, as are a language's two catalogs when one release waits for them: each line
    names a file of its own."""
    waiting: dict[str, tuple[Path, list[str]]] = {}
    for release_id, lang, gaps in not_ready:
        messages = next((gap.path for gap in gaps if gap.kind == "catalog" and gap.path.name == "messages.po"), None)
        if messages is not None and all(gap.kind == "catalog" for gap in gaps):
            waiting.setdefault(lang, (messages.parent.parent, []))[1].append(release_id)
    return {lang: (folder, ids) for lang, (folder, ids) in waiting.items()
            if len(ids) > 1 and not _has_catalogs(folder)}


def _has_catalogs(folder: Path) -> bool:
    # Not hidden files: a Mac's `._<id>.po` beside each catalog is binary AppleDouble data.
    return (folder / "LC_MESSAGES" / "messages.po").exists() or any(
        not path.name.startswith(".") for path in (folder / "releases").glob("*.po"))
