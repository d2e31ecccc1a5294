"""The register blueprint: who may use it, and the route modules that add its pages.

Attendance leads, senior leaders and administrators see the register; governors and other staff
do not (it is pupil-level data).
"""

from __future__ import annotations

from flask import Blueprint

from checklist_app.security import REGISTER_READERS as REGISTER_ROLES  # noqa: F401  (used by routes)

bp = Blueprint("register", __name__, url_prefix="/register", template_folder="templates")

from checklist_app.register import views_import, views_pages, views_typed  # noqa: E402,F401  (routes on bp)
