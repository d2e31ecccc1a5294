"""The casework blueprint: created here, its route modules imported at the bottom.

Route modules import only downwards (this module, ``pages``, forms, operations, queries, loading,
models), never each other.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("casework", __name__, url_prefix="/cases", template_folder="templates")

from checklist_app.casework import (  # noqa: E402,F401  (route modules register on bp)
    views,
    views_contracts,
    views_corrections,
    views_meetings,
    views_people,
    views_records,
)
