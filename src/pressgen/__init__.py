"""pressgen: multilingual press releases from YAML records and gettext catalogs.

Public API::

    from pressgen import load_project, build, check, update_catalogs
"""

from __future__ import annotations

import importlib

__version__ = "0.23.0"

from .build import build, check  # noqa: E402  (light: the builder is imported when a build has work)
from .errors import PressgenError, UsageError  # noqa: E402

_LATER = {"update_catalogs": "catalogs", "Project": "project", "load_project": "project"}
"""Public names imported when first used (PEP 562): they need Babel and YAML, which a
build with nothing to do never imports."""

__all__ = ["build", "check", "load_project", "update_catalogs", "Project", "PressgenError", "UsageError",
           "__version__"]


def __getattr__(name: str):
    if name not in _LATER:
        raise AttributeError(f"module 'pressgen' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{_LATER[name]}", __name__), name)
