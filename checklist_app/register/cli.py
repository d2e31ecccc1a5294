"""``checklist-app register``: import a roll or marks file, recompute the weekly figures, and list
the pupils at risk as CSV.

Each command is one transaction: it commits once at the end, or not at all.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from checklist_app.auth.models import School
from checklist_app.clock import today
from checklist_app.editing import commit
from checklist_app.extensions import db
from checklist_app.formatting import long_date
from checklist_app.register import importing, operations
from checklist_app.register.atrisk import at_risk
from checklist_app.register.parsing import ALL_FIELDS, FileProblem


def _school(urn: str) -> School:
    school = db.session.scalar(db.select(School).where(School.urn == urn))
    if school is None:
        raise click.ClickException(f"No school has URN {urn}.")
    return school


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        header, sep, target = pair.rpartition("=")
        if not sep or not header or target not in ALL_FIELDS:
            raise click.BadParameter(f"{pair!r}: write HEADER=FIELD, FIELD one of "
                                     f"{', '.join(sorted(ALL_FIELDS))}", param_hint="--map")
        found[header] = target
    return found


@click.group("register")
def register_group() -> None:
    """Import the register and find the pupils at risk."""


@register_group.command("import")
@click.argument("urn")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
@click.option("--map", "mappings", multiple=True, metavar="HEADER=FIELD",
              help="Map a column the importer does not recognise (repeatable).")
@with_appcontext
def import_command(urn: str, file: Path, dry_run: bool, mappings: tuple[str, ...]) -> None:
    """Import a roll or marks file (CSV or XLSX, long or wide) for the school with URN."""
    school = _school(urn)
    overrides = _overrides(mappings)
    with file.open("rb") as stream:
        try:
            checked = importing.preview(school, today(), stream, file.name, overrides)
        except FileProblem as error:
            raise click.ClickException(str(error)) from error
    if not checked.ok:
        for problem in checked.problems:
            click.echo(f"{file.name}: {problem}", err=True)
        hidden = checked.problem_count - len(checked.problems)
        if hidden:
            click.echo(f"… and {hidden:,} more problems.", err=True)
        click.echo(f"Nothing imported: {checked.problem_count:,} problems.", err=True)
        sys.exit(1)
    if checked.kind == "roll":
        click.echo(f"Roll: {checked.pupils_new:,} new pupils, {checked.pupils_changed:,} already on the "
                   "roll (updated where changed).")
    else:
        click.echo(f"Marks: {checked.marks:,} sessions for {checked.pupils_with_marks:,} pupils from "
                   f"{long_date(checked.first_date)} to {long_date(checked.last_date)}; "
                   f"{checked.marks_already_held:,} sessions already held in that range.")
    if dry_run:
        click.echo("Dry run: nothing written.")
        db.session.rollback()
        return
    run = importing.confirm(school, None, today(), checked)
    commit()
    click.echo(f"Imported {file.name}: {run.pupils_created:,} pupils created, {run.pupils_updated:,} "
               f"updated, {run.marks_written:,} marks written.")


@register_group.command("recompute")
@click.argument("urn", required=False)
@click.option("--all", "every", is_flag=True, help="Every school.")
@with_appcontext
def recompute_command(urn: str | None, every: bool) -> None:
    """Recompute the weekly figures from the marks (after a change to the attendance codes file)."""
    if bool(urn) == every:
        raise click.UsageError("Give one school's URN, or --all.")
    schools = (list(db.session.scalars(db.select(School).order_by(School.name))) if every
               else [_school(urn)])
    for school in schools:
        weeks, changed = operations.recompute_summaries(school)
        click.echo(f"{school.name}: {weeks:,} pupil-weeks recomputed, {changed:,} changed.")
    commit()


@register_group.command("at-risk")
@click.argument("urn")
@click.option("--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]),
              help="The day to compute the figures for (default today).")
@click.option("--format", "output", type=click.Choice(["csv"]), default="csv", show_default=True)
@with_appcontext
def at_risk_command(urn: str, as_of, output: str) -> None:
    """One CSV row per pupil at risk, with the figures behind the flags."""
    school = _school(urn)
    day: date = as_of.date() if as_of else today()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["upn", "surname", "forename", "year_group", "attendance_percent", "persistent",
                     "severe", "worst_10_week_unauthorised", "penalty_threshold", "new"])
    for item in at_risk(school.id, day):
        pupil, fig = item.entry.pupil, item.figures
        writer.writerow([pupil.upn, pupil.last_name, pupil.first_name, pupil.year_group,
                         f"{fig.attendance:.1f}" if fig.attendance is not None else "",
                         _yes(fig.persistent), _yes(fig.severe), fig.worst_unauthorised,
                         _yes(fig.penalty_threshold), _yes(item.new)])


def _yes(value: bool) -> str:
    return "yes" if value else "no"
