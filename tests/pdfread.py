"""Reading PDFs back as a journalist's PDF reader would: text, fonts, metadata."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


@dataclass
class Font:
    name: str
    embedded: bool


def pdf_text(path: Path) -> str:
    """Text as poppler extracts it (what copy-paste and search engines see)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_fonts(path: Path) -> list[Font]:
    fonts: dict[str, Font] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            name = str(font.get("/BaseFont", "?"))
            fonts[name] = Font(name=name, embedded=embedded)
    return list(fonts.values())


def pdf_info(path: Path) -> dict[str, str]:
    reader = PdfReader(path)
    meta = reader.metadata or {}
    info = {key.lstrip("/"): str(value) for key, value in meta.items()}
    info["Lang"] = str(reader.trailer["/Root"].get("/Lang", ""))
    info["Pages"] = str(len(reader.pages))
    return info
