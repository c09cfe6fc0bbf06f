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
