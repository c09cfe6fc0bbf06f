"""A release's photo: checked where the record names it, copied to out/images/.

Photos live in the project's images/ folder, as the theme's files live in
templates/assets/; the page, the PDF, og:image and ninjs point at the copy in
out/images/. A photo is kept small enough that the PDF stays fit for e-mail
(mail servers commonly refuse messages over 10 MB, and journalists' inboxes
are slow to open far less).
"""

from __future__ import annotations

from pathlib import Path

IMAGES_DIR = "images"
MAX_BYTES = 1_000_000
"""A photo's file at most: a 1600-pixel JPEG at quality 85 is 300–600 KB."""
MAX_PIXELS = 2400
"""Its longer side at most: twice an A4 column's width at 300 dpi is far less."""
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png"}
"""What browsers, WeasyPrint and ninjs consumers all read."""


def image_files(root: Path) -> dict[str, Path]:
    """Every file under images/, by its path relative to the project."""
    folder = root / IMAGES_DIR
    if not folder.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


_END_MARKERS = {"JPEG": b"\xff\xd9", "PNG": b"IEND"}
"""What the last bytes of a whole file hold: JPEG's end-of-image marker, PNG's last chunk."""


def _ends_whole(path: Path, kind: str) -> bool:
    """Whether the file ends as a file of its kind ends (within its last kilobyte: an editor may
    pad it after the marker); else whether it can be decoded to its end, which a phone's photo
    with more after its image (a motion photo's video) can."""
    marker = _END_MARKERS.get(kind)
    if marker is None:
        return True
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - 1024))
        if marker in file.read():
            return True
    from PIL import Image, ImageFile

    # WeasyPrint, once imported, tells Pillow to load what it can of a cut file (a process that
    # has made a PDF, as `pressgen serve`'s, would let it through): not for this check.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(path) as image:
            image.load()
        return True
    except (OSError, SyntaxError, ValueError):
        return False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def check_image(root: Path, rel: str) -> tuple[str, int, int] | str:
    """(media type, width, height) of the photo at ``rel``, or what is wrong with it."""
    path = root / rel
    inside = (root / IMAGES_DIR).resolve()
    if not rel.startswith(IMAGES_DIR + "/") or not path.resolve().is_relative_to(inside):
        return (f"'file' must be a photo in the project's {IMAGES_DIR}/ folder, such as "
                f"'{IMAGES_DIR}/signing.jpg', got '{rel}'; copy the photo there")
    if not path.is_file():
        return f"'file' {rel} does not exist; put the photo in {IMAGES_DIR}/ or correct the name"
    size = path.stat().st_size
    if size > MAX_BYTES:
        return (f"the photo {rel} is {size / 1_000_000:.1f} MB; a release's photo is at most "
                f"{MAX_BYTES / 1_000_000:.0f} MB, so that its PDF stays fit for e-mail: save it as a JPEG "
                f"at most 1600 pixels wide, quality 85")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError):
        return f"the photo {rel} is not a JPEG or PNG image that can be read; save it again as JPEG"
    if kind not in FORMATS:
        return f"the photo {rel} is a {kind} image; use JPEG (or PNG), which every reader of the PDF shows"
    if max(width, height) > MAX_PIXELS:
        return (f"the photo {rel} is {width}×{height} pixels; a release's photo is at most {MAX_PIXELS} "
                f"pixels on its longer side: scale it down (1600 pixels wide is plenty for print)")
    if not _ends_whole(path, kind):
        # A file cut short by a failed upload opens and says its size: a trial's went out with
        # its lower half grey. Told by its end marker, not by decoding it (8 ms a photo: an
        # archive's cold build reads thousands).
        return (f"the photo {rel} is cut short or damaged (it does not end as a {kind} file ends): copy or upload "
                "it again")
    return FORMATS[kind], width, height
