"""The demo register (quickstart) and the charts: SVG with escaped text, the PDF bar table, and a
constant number of statements on the register pages as marks grow."""

from __future__ import annotations

from datetime import date

import time_machine
from sqlalchemy import event, func, select

from checklist_app.auth.models import Role
from checklist_app.extensions import db
from checklist_app.register import charts, demo
from checklist_app.register.atrisk import at_risk
from checklist_app.register.models import SessionMark
from tests.factories import SchoolFactory, UserFactory, login

TODAY = date(2026, 2, 10)


def test_demo_register_has_pupils_at_risk_and_runs_once(app, school):
    notes = []
    demo.load_demo(school, TODAY, notes.append)
    db.session.commit()
    marks = db.session.scalar(select(func.count()).select_from(SessionMark))
    assert marks > demo.DEMO_PUPILS * 300
    assert at_risk(school.id, TODAY)
    demo.load_demo(school, TODAY, notes.append)
    assert db.session.scalar(select(func.count()).select_from(SessionMark)) == marks
    assert "already has marks" in notes[-1]


def test_svg_escapes_names_and_pdf_bars_carry_the_numbers():
    chart = charts.Chart("Weekly attendance of <script>", ["1 Sep", "8 Sep"],
                         [charts.Series("Attendance", [95.0, None])], [(90.0, "90%")])
    svg = str(charts.line_chart(chart, "c"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and svg.startswith("<svg")
    assert "stroke-dasharray" in svg  # the reference line
    bars = str(charts.pdf_bars(chart))
    assert "95.0%" in bars and "No sessions" in bars and "<svg" not in bars
    assert str(charts.bar_chart(chart, "b")).count("<rect") >= 2


def _statements(client, url: str) -> int:
    count = 0

    def seen(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return count


def test_statements_per_page_do_not_grow_with_marks(app, client):
    small, large = SchoolFactory(name="Small"), SchoolFactory(name="Large")
    with time_machine.travel(TODAY):
        demo.DEMO_PUPILS, saved = 10, demo.DEMO_PUPILS
        try:
            demo.load_demo(small, TODAY, lambda _m: None)
            demo.DEMO_PUPILS = 60
            demo.load_demo(large, TODAY, lambda _m: None)
        finally:
            demo.DEMO_PUPILS = saved
        counts = {}
        for school in (small, large):
            user = UserFactory(school=school, role=Role.SENIOR_LEADER)
            db.session.commit()
            login(client, user)
            counts[school.name] = [_statements(client, u) for u in ("/register/", "/register/at-risk")]
            client.get("/logout")
    assert counts["Small"] == counts["Large"]


def test_school_figures_from_summaries_agree_with_each_pupils_marks(app, school):
    from checklist_app.register import figures

    demo.load_demo(school, TODAY, lambda _m: None)
    db.session.commit()
    start, end = figures.year_to_date(TODAY)  # 1 September 2025 is a Monday: whole weeks
    whole = figures.school_figures(school.id, start, end)
    assert len(whole) == demo.DEMO_PUPILS
    for pupil_id, summary in whole.items():
        exact = figures.pupil_summary(school.id, pupil_id, start, end)
        assert (summary.attendance, summary.possible, summary.unauthorised) == \
            (exact.attendance, exact.possible, exact.unauthorised)
        assert summary.penalty_threshold == exact.penalty_threshold
        if summary.at_risk:
            assert summary.worst_unauthorised == exact.worst_unauthorised
    weeks = figures.school_weekly(school.id, start, end)
    assert weeks and all(0 <= a <= 100 and (p is None or 0 <= p <= 100) for _w, a, p in weeks)
    last_rate = weeks[-1][2]
    persistent = sum(1 for f in whole.values() if f.possible and f.persistent)
    assert last_rate == round(100 * persistent / sum(1 for f in whole.values() if f.possible), 1)
