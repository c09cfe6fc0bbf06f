"""What a build would fail on in the theme, found before anything is written.

Links out of the project, a logo that is not a file of the theme, a stylesheet
WeasyPrint would warn about (an unknown property, an @import of a file outside
the project): `pressgen check` reports them, and `pressgen build` stops on them
before it replaces a single page, so the two always agree.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import theme
from .errors import PressgenError
from .model import Config

_AT_LINE = re.compile(r"\bat (\d+):(\d+)\b")


def theme_problems(root: Path, config: Config, allowed: list[Path]) -> list[PressgenError]:
    """Every problem of the project's templates/ and of the logos pressgen.yaml names.

    ``allowed`` are the folders a stylesheet may load files from (as for a PDF)."""
    problems = [PressgenError(path, None, f"a link to {path.resolve()}, outside the project; pressgen publishes "
                              "only the project's own files: copy the file here instead of linking to it")
                for path in theme.escaping_links(root)]
    files = theme.theme_files(root)
    for key, org in config.organisations.items():
        if org.logo and org.logo not in files:
            where = config.path or root / "pressgen.yaml"
            problems.append(PressgenError(where, _line_of(where, "logo:", org.logo),
                                          f"the logo '{org.logo}' of '{key}' is not a file under templates/; "
                                          "put the image in templates/assets/ and name it as assets/<file>"))
    for rel, path in theme.asset_files(root).items():
        if rel.endswith(".css") and not path.is_relative_to(theme.BUNDLED_TEMPLATES):
            problems += stylesheet_problems(path, allowed)
    return problems


def stylesheet_problems(path: Path, allowed: list[Path]) -> list[PressgenError]:
    """What WeasyPrint says of one stylesheet, each at its line, as a PDF render would."""
    from weasyprint import CSS
    from weasyprint.logger import LOGGER

    from .pdf import _Gather, _make_fetcher

    gather = _Gather()
    LOGGER.addHandler(gather)
    try:
        CSS(filename=str(path), url_fetcher=_make_fetcher([p.resolve() for p in allowed]))
    except Exception as exc:  # noqa: BLE001  # WeasyPrint raises on what it cannot decode at all
        return [PressgenError(path, None, f"this stylesheet cannot be read ({exc}); save it as UTF-8 CSS")]
    finally:
        LOGGER.removeHandler(gather)
    problems = []
    for message in dict.fromkeys(gather.messages):
        where = _AT_LINE.search(message)
        problems.append(PressgenError(path, int(where.group(1)) if where else None,
                                      f"stylesheet problem: {message}; a PDF would not be written"))
    return problems


def _line_of(path: Path, key: str, value: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if key in line and value in line), None)
