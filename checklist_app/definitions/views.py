"""Read-only pages for the checklist definitions: list, one version, and the diff of two."""

from __future__ import annotations

from flask import abort, render_template, request

from checklist_app.checklist_engine.diff import diff
from checklist_app.checklist_engine.pinning import drift
from checklist_app.checklist_engine.registry import registry
from checklist_app.definitions.blueprint import bp
from checklist_app.definitions.forms import compare_form
from checklist_app.security import EVERYONE, allow


@bp.route("/")
@allow(EVERYONE)
def index():
    """Every definition with its versions, refused files and pinned files changed since use."""
    reg = registry()
    return render_template("definitions/index.html", registry=reg, drift=drift(reg))


@bp.route("/<key>/<version>")
@allow(EVERYONE)
def show(key: str, version: str):
    """One version in full."""
    definition = registry().get(key, version) or abort(404)
    return render_template("definitions/show.html", definition=definition,
                           versions=registry().versions(key))


@bp.route("/<key>/compare")
@allow(EVERYONE)
def compare(key: str):
    """What changed between two versions (``?old=…&new=…``)."""
    reg = registry()
    versions = reg.versions(key) or abort(404)
    old = reg.get(key, request.args.get("old", versions[0].version)) or abort(404)
    new = reg.get(key, request.args.get("new", versions[-1].version)) or abort(404)
    return render_template("definitions/compare.html", key=key, old=old, new=new,
                           form=compare_form(versions, old, new), changes=diff(old, new))
