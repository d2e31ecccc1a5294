"""Typed weeks page: one pupil's weekly session counts typed by a school without an export, with
forms to add a week and to correct or withdraw one with a reason (kept and shown, and audited)."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from checklist_app.casework.models import Pupil
from checklist_app.clock import today
from checklist_app.editing import round_trip
from checklist_app.extensions import db
from checklist_app.loading import owned_by, scoped
from checklist_app.register import operations
from checklist_app.register.blueprint import REGISTER_ROLES, bp
from checklist_app.register.forms_typed import CorrectWeekForm, TypedWeekForm, WithdrawWeekForm
from checklist_app.register.models import TypedWeek
from checklist_app.security import allow, current_school


def _weeks(pupil: Pupil) -> list[TypedWeek]:
    return list(db.session.scalars(select(TypedWeek).where(TypedWeek.pupil_id == pupil.id)
                                   .order_by(TypedWeek.week_start.desc())))


def _row_forms(weeks: list[TypedWeek], posted: tuple[int, str, object] | None = None) -> dict:
    """A correct and a withdraw form per row (the posted one keeps what was typed)."""
    forms = {}
    for week in weeks:
        correct = CorrectWeekForm(formdata=None, prefix=f"correct-{week.id}", data={
            "possible": week.possible_sessions, "attended": week.attended_sessions,
            "unauthorised": week.unauthorised_sessions, "version": week.version})
        withdraw = WithdrawWeekForm(formdata=None, prefix=f"withdraw-{week.id}",
                                    data={"version": week.version})
        forms[week.id] = {"correct": correct, "withdraw": withdraw}
    if posted is not None:
        week_id, kind, form = posted
        forms.setdefault(week_id, {})[kind] = form
    return forms


def _render(pupil: Pupil, add_form: TypedWeekForm, posted=None):
    def render(status: int, problem: str | None = None, **_extra):
        weeks = _weeks(pupil)
        forms = [add_form] + ([posted[2]] if posted else [])
        return render_template("register/typed_weeks.html", pupil=pupil, weeks=weeks,
                               form=add_form, row_forms=_row_forms(weeks, posted), forms=forms,
                               problem=problem, posted=posted), status
    return render


def _back(pupil: Pupil) -> str:
    return url_for("register.typed_weeks", pupil_id=pupil.id)


@bp.route("/pupils/<int:pupil_id>/typed-weeks", methods=["GET", "POST"])
@allow(REGISTER_ROLES)
def typed_weeks(pupil_id: int):
    """The pupil's typed weeks, and the form to add one."""
    school = current_school()
    pupil = scoped(school, Pupil, pupil_id)
    form = TypedWeekForm(formdata=request.form if request.method == "POST" else None)
    render = _render(pupil, form)
    if request.method == "GET":
        return render(200)
    return round_trip(form, lambda: operations.type_week(
        school, current_user, today(), pupil, form.week_start.data, form.possible.data,
        form.attended.data, form.unauthorised.data),
        render=render, done="Week recorded.", to=_back(pupil))


def _record(pupil_id: int, week_id: int) -> tuple[Pupil, TypedWeek]:
    school = current_school()
    pupil = scoped(school, Pupil, pupil_id)
    return pupil, owned_by(scoped(school, TypedWeek, week_id), pupil_id=pupil.id)


@bp.route("/pupils/<int:pupil_id>/typed-weeks/<int:typed_week_id>/correct", methods=["POST"])
@allow(REGISTER_ROLES)
def correct_typed_week(pupil_id: int, typed_week_id: int):
    """Correct a typed week's counts, with the reason."""
    pupil, record = _record(pupil_id, typed_week_id)
    form = CorrectWeekForm(prefix=f"correct-{record.id}")
    render = _render(pupil, TypedWeekForm(formdata=None), (record.id, "correct", form))
    return round_trip(form, lambda: operations.correct_week(
        current_school(), current_user, today(), record, form.possible.data, form.attended.data,
        form.unauthorised.data, form.reason.data, form.version.data),
        render=render, done="Week corrected.", to=_back(pupil), record=record)


@bp.route("/pupils/<int:pupil_id>/typed-weeks/<int:typed_week_id>/withdraw", methods=["POST"])
@allow(REGISTER_ROLES)
def withdraw_typed_week(pupil_id: int, typed_week_id: int):
    """Withdraw a typed week (it stops counting), with the reason."""
    pupil, record = _record(pupil_id, typed_week_id)
    form = WithdrawWeekForm(prefix=f"withdraw-{record.id}")
    render = _render(pupil, TypedWeekForm(formdata=None), (record.id, "withdraw", form))
    return round_trip(form, lambda: operations.withdraw_week(
        current_school(), current_user, today(), record, form.reason.data, form.version.data),
        render=render, done="Week withdrawn.", to=_back(pupil), record=record)
