"""pressgen: multilingual press releases from YAML records and gettext catalogs.

Public API::

    from pressgen import load_project, build, check, update_catalogs
"""

__version__ = "0.3.0"

from .build import build, check  # noqa: E402
from .catalogs import update_catalogs  # noqa: E402
from .errors import PressgenError, UsageError  # noqa: E402
from .project import Project, load_project  # noqa: E402

__all__ = ["build", "check", "load_project", "update_catalogs", "Project", "PressgenError", "UsageError", "__version__"]
