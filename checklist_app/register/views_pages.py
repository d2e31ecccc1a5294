"""Register pages: the school overview with its charts and cohort summary, the pupils at risk,
and one pupil's register."""

from __future__ import annotations

from datetime import date

from flask import render_template, request, url_for
from sqlalchemy import select

from checklist_app.casework.models import Case, Pupil
from checklist_app.clock import today
from checklist_app.extensions import db
from checklist_app.formatting import year_group as year_group_name
from checklist_app.loading import scoped
from checklist_app.register import calc, chartdata, charts, figures
from checklist_app.register.atrisk import at_risk, cohort_summary, year_order
from checklist_app.register.blueprint import REGISTER_ROLES, bp
from checklist_app.register.codes import code_set
from checklist_app.register.forms import filter_form
from checklist_app.register.importing import last_marks_import
from checklist_app.security import allow, current_school

PLACEHOLDER = 987654321


@bp.route("/")
@allow(REGISTER_ROLES)
def overview():
    """The school's weekly attendance and persistent-absence trend, and the cohort summary."""
    school = current_school()
    start, end = figures.year_to_date(today())
    school_chart = chartdata.school_chart(figures.school_weekly(school.id, start, end))
    cohorts, years = cohort_summary(school.id, today())
    cohort_chart = chartdata.cohort_chart(cohorts + years)
    return render_template(
        "register/overview.html", start=start, end=end, last_import=last_marks_import(school.id),
        school_chart=school_chart, school_svg=charts.line_chart(school_chart, "school-chart"),
        cohort_chart=cohort_chart, cohort_svg=charts.bar_chart(cohort_chart, "cohort-chart"),
        cohorts=cohorts, years=years, table_rows=charts.table_rows)


@bp.route("/at-risk")
@allow(REGISTER_ROLES)
def at_risk_page():
    """Pupils who crossed a threshold this school year, new since the last import first."""
    school = current_school()
    years = sorted({year_group_name(y) for y in db.session.scalars(select(Pupil.year_group).where(
        Pupil.school_id == school.id).distinct())}, key=year_order)
    args = request.args.copy()
    if "year_group" in args:  # ?year_group=8 (an older link) is Year 8
        args["year_group"] = year_group_name(args["year_group"])
    form = filter_form(years, args)
    year_group = form.year_group.data if form.year_group.data in years else ""
    cohort = form.cohort.data if form.validate() else ""
    rows = at_risk(school.id, today(), year_group=year_group, cohort=cohort or "")
    # One url_for per link kind, not per pupil: building hundreds of URLs is the page's main cost.
    links = {name: url_for(endpoint, pupil_id=PLACEHOLDER).replace(str(PLACEHOLDER), "{}")
             for name, endpoint in (("pupil", "register.pupil_page"), ("open", "casework.open_case"))}
    return render_template("register/at_risk.html", form=form, rows=rows, links=links,
                           last_import=last_marks_import(school.id), as_of=today())


def _date_arg(name: str, default: date) -> date:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return default


@bp.route("/pupils/<int:pupil_id>")
@allow(REGISTER_ROLES)
def pupil_page(pupil_id: int):
    """One pupil's figures, weekly chart, worst 10-school-week window and its sessions."""
    school = current_school()
    pupil = scoped(school, Pupil, pupil_id)
    start = _date_arg("from", calc.school_year_start(today()))
    end = _date_arg("to", today())
    if end < start:
        start, end = end, start
    case = db.session.scalar(select(Case).where(Case.pupil_id == pupil.id, Case.school_id == school.id)
                             .order_by(Case.opened_on.desc()).limit(1))
    summary = figures.pupil_summary(school.id, pupil.id, start, end,
                                    baseline=case.baseline_attendance if case else None)
    chart = chartdata.pupil_chart(pupil.full_name, summary)
    window_marks = (figures.unauthorised_marks(school.id, pupil.id, summary.worst.first,
                                               summary.worst.last) if summary.worst else [])
    terms = [(name, figures.pupil_summary(school.id, pupil.id, t_start, min(t_end, end)))
             for name, t_start, t_end in calc.terms(calc.school_year_start(end)) if t_start <= end]
    return render_template("register/pupil.html", pupil=pupil, summary=summary, case=case,
                           chart=chart, svg=charts.line_chart(chart, "pupil-chart"),
                           rows=charts.table_rows(chart), window_marks=window_marks, terms=terms,
                           start=start, end=end, describe=code_set().describe)
