"""Import pages: upload a file, map its columns, see the preview with every problem, confirm.

The uploaded file waits in the instance folder under a random name tied to the school until it is
confirmed or replaced; nothing is written to the register before the user confirms.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from checklist_app.clock import today
from checklist_app.editing import run as run_once
from checklist_app.extensions import db
from checklist_app.register import importing
from checklist_app.register.blueprint import REGISTER_ROLES, bp
from checklist_app.register.forms import UploadForm, chosen_mapping, mapping_form
from checklist_app.register.operations import RegisterError
from checklist_app.register.parsing import FileProblem, open_table
from checklist_app.security import allow, current_school

TOKEN = re.compile(r"[0-9a-f]{32}\.(csv|xlsx)")
UPLOAD_LIMIT = 64 * 1024 * 1024  # a year of marks for a large school is ~20 MB as CSV


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "register-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _path(token: str) -> Path | None:
    """The waiting upload of this school with this token, if there is one."""
    if not TOKEN.fullmatch(token):
        return None
    path = _folder() / f"{current_school().id}-{token}"
    return path if path.exists() else None


@bp.route("/import", methods=["GET", "POST"])
@allow(REGISTER_ROLES)
def upload():
    """Step 1: choose the file."""
    request.max_content_length = UPLOAD_LIMIT
    form = UploadForm()
    if form.validate_on_submit():
        extension = form.file.data.filename.rsplit(".", 1)[-1].lower()
        token = f"{secrets.token_hex(16)}.{extension}"
        form.file.data.save(_folder() / f"{current_school().id}-{token}")
        name = Path(form.file.data.filename).name[:200]
        return redirect(url_for("register.check", token=token, name=name))
    return render_template("register/upload.html", form=form), 400 if form.errors else 200


@bp.route("/import/check", methods=["GET", "POST"])
@allow(REGISTER_ROLES)
def check():
    """Steps 2 and 3: map the columns and see what the file would change (or its problems)."""
    token = request.args.get("token", "")
    path = _path(token)
    if path is None:
        flash("That upload has expired or was already imported. Please choose the file again.",
              "error")
        return redirect(url_for("register.upload"))
    name = request.args.get("name", "upload")[:200]
    school = current_school()
    overrides = None
    headers: list[str] = []
    if request.method == "POST":
        with path.open("rb") as stream:
            headers = open_table(stream, path.name).headers
        form = mapping_form(headers, {}, request.form)
        if form.validate():
            overrides = chosen_mapping(form, headers)
    try:
        with path.open("rb") as stream:
            checked = importing.preview(school, today(), stream, path.name, overrides)
    except FileProblem as error:
        path.unlink(missing_ok=True)
        flash(str(error), "error")
        return redirect(url_for("register.upload"))
    checked.file_name = name
    if request.method == "POST" and request.form.get("action") == "confirm" and checked.ok:
        try:
            run = run_once(lambda: importing.confirm(school, current_user, today(), checked))
        except RegisterError as error:
            flash(str(error), "error")
        else:
            path.unlink(missing_ok=True)
            flash(_done(run), "success")
            return redirect(url_for("register.at_risk_page" if run.kind == "marks"
                                    else "register.overview"))
    db.session.rollback()
    form = mapping_form(checked.headers, checked.mapping)
    return render_template("register/check.html", checked=checked, form=form, token=token,
                           name=name), 200 if checked.ok else 422


def _done(run) -> str:
    if run.kind == "roll":
        return f"Roll imported: {run.pupils_created:,} pupils added, {run.pupils_updated:,} updated."
    return f"Marks imported: {run.marks_written:,} sessions."
