"""What a build would fail on in the theme, found before anything is written.

Links out of the project, a logo that is not a file of the theme, a stylesheet
WeasyPrint would warn about (an unknown property, an @import of a file outside
the project): `pressgen check` reports them, and `pressgen build` stops on them
before it replaces a single page, so the two always agree.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import theme
from .errors import PressgenError
from .glyphs import FONT_SUFFIXES, unreadable_font
from .model import Config
from .qa import template_casing_problems
from .yamlnodes import decode_utf8

_AT_LINE = re.compile(r"\bat (\d+):(\d+)\b")


def theme_problems(root: Path, config: Config, allowed: list[Path]) -> list[PressgenError]:
    """Every problem of the project's templates/ and of the logos pressgen.yaml names.

    ``allowed`` are the folders a stylesheet may load files from (as for a PDF)."""
    links = theme.escaping_links(root)
    problems = [PressgenError(path, None, f"a link to {path.resolve()}, outside the project; pressgen publishes "
                              f"only the project's own files: copy the {'folder' if path.is_dir() else 'file'} "
                              "here instead of linking to it")
                for path in links]
    files = theme.theme_files(root)
    linked = [path.relative_to(root / "templates").as_posix() for path in links]
    for key, org in config.organisations.items():
        if org.logo and org.logo not in files and not any(org.logo == rel or org.logo.startswith(rel + "/")
                                                          for rel in linked):  # the link is named above
            where = config.path or root / "pressgen.yaml"
            problems.append(PressgenError(where, _line_of(where, "logo:", org.logo),
                                          f"the logo '{org.logo}' of '{key}' is not a file under templates/; "
                                          "put the image in templates/assets/ and name it as assets/<file>"))
        elif org.logo in files and not _is_image(files[org.logo]):
            # WeasyPrint would fail every PDF of the organisation on it ("Failed to load image").
            where = config.path or root / "pressgen.yaml"
            problems.append(PressgenError(where, _line_of(where, "logo:", org.logo),
                                          f"the logo '{org.logo}' of '{key}' is not an image that can be read "
                                          "(an empty file, or another kind saved under this name); save it again "
                                          "as SVG or PNG"))
    for rel, path in theme.asset_files(root).items():
        if rel.endswith(".css") and not path.is_relative_to(theme.BUNDLED_TEMPLATES):
            try:
                text = decode_utf8(path, path.read_bytes())
            except PressgenError as exc:
                problems.append(exc)
                continue
            problems += stylesheet_problems(path, allowed)
            problems += url_problems(path, rel, text, files)
    for rel, path in theme.template_files(root).items():
        if not path.is_relative_to(theme.BUNDLED_TEMPLATES):  # pressgen's own are checked by its tests
            problems += template_problems(path)
    return problems


def _is_image(path: Path) -> bool:
    """Whether WeasyPrint can draw this logo: SVG is XML, anything else Pillow must open."""
    if path.suffix.lower() == ".svg":
        from xml.etree import ElementTree

        try:
            return ElementTree.parse(path).getroot().tag.endswith("svg")
        except (ElementTree.ParseError, OSError):
            return False
    from PIL import Image

    try:
        with Image.open(path) as image:
            image.verify()
    except Exception:  # noqa: BLE001  # Pillow raises many kinds on damaged files
        return False
    return True


def template_problems(path: Path) -> list[PressgenError]:
    """A template that is not UTF-8, or cases Turkish wrongly: the build would publish it."""
    try:
        decode_utf8(path, path.read_bytes())
    except PressgenError as exc:
        return [exc]
    return [PressgenError(path, line, message) for line, message in template_casing_problems(path)]


def stylesheet_problems(path: Path, allowed: list[Path]) -> list[PressgenError]:
    """What WeasyPrint says of one stylesheet, each at its line, as a PDF render would."""
    from .pdf import _Gather, _make_fetcher, import_weasyprint

    import_weasyprint()
    from weasyprint import CSS
    from weasyprint.logger import LOGGER

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


def url_problems(path: Path, rel: str, text: str, files: dict[str, Path]) -> list[PressgenError]:
    """Each url() of a stylesheet that names no file of the theme. WeasyPrint fetches them
    only when it renders a PDF, and then fails that PDF: a check must look for them first.
    Relative URLs are resolved as in out/assets/, where the theme's files are copied."""
    import tinycss2

    problems = []
    for value, line in _urls(tinycss2.parse_component_value_list(text)):
        parts = urlsplit(value)
        if parts.scheme == "data" or value.startswith("#"):
            continue
        if parts.scheme in ("", "file") and not parts.netloc and not parts.path.startswith("/"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
            if target in files and target.lower().endswith(FONT_SUFFIXES) and unreadable_font(files[target]):
                # WeasyPrint would fail every PDF on it ("Font-face … cannot be loaded").
                problems.append(PressgenError(path, line, f"stylesheet problem: url({value}) is not a font file "
                                              f"that can be read ({unreadable_font(files[target])}), so a PDF would "
                                              "not be written; download the font again, as .ttf, .otf or .woff2"))
                continue
            if target in files:
                continue
            problem = "names no file of the theme"
        elif parts.scheme in ("", "file"):
            problem = "is outside the project"
        else:
            problem = "would be fetched from the network, which a PDF never does"
        problems.append(PressgenError(path, line, f"stylesheet problem: url({value}) {problem}, so a PDF would not "
                                      "be written; put the file in templates/assets/ and name it relative to "
                                      "this stylesheet"))
    return problems


def _urls(tokens) -> list[tuple[str, int]]:
    """(url, line) of every url(…) in a tinycss2 token list, nested blocks included."""
    found = []
    for token in tokens:
        if token.type == "url":
            found.append((token.value, token.source_line))
        elif token.type == "function" and token.lower_name == "url":
            found += [(arg.value, token.source_line) for arg in token.arguments if arg.type == "string"]
        for nested in (getattr(token, "content", None), getattr(token, "arguments", None)):
            if nested:
                found += _urls(nested)
    return found


def _line_of(path: Path, key: str, value: str) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if key in line and value in line), None)
