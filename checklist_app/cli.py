"""The ``checklist-app`` command: the Flask CLI with this application preset, plus our commands."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from checklist_app import clock
from checklist_app.auth.models import Role, School, User
from checklist_app.auth.services import (
    AccountError,
    check_password_strength,
    create_school,
    create_user,
    find_user,
    security_event,
)
from checklist_app.editing import commit
from checklist_app.extensions import db

DEMO_URN = "999001"
DEMO_ADMIN_EMAIL = "admin@oakfield.example"


def main() -> None:
    """Entry point of the ``checklist-app`` console script."""
    from checklist_app import create_app

    FlaskGroup(create_app=lambda: create_app(), help="checklist_app: attendance self-evaluation "
               "and casework for schools.").main()


def register_commands(app: Flask) -> None:
    """Attach our command groups to the app's CLI."""
    app.cli.add_command(quickstart)
    app.cli.add_command(schools_group)
    app.cli.add_command(users_group)
    from checklist_app.checklist_engine.cli import checklists_group

    app.cli.add_command(checklists_group)
    from checklist_app.backup.cli import export_command, import_command

    app.cli.add_command(export_command)
    app.cli.add_command(import_command)
    from checklist_app.reporting.cli import cache_group, report_group

    app.cli.add_command(report_group)
    app.cli.add_command(cache_group)
    from checklist_app.register.cli import register_group

    app.cli.add_command(register_group)
    from checklist_app.jobs.cli import bulk_letters_command
    from checklist_app.jobs.worker import jobs_group

    report_group.add_command(bulk_letters_command)
    app.cli.add_command(jobs_group)


def _user_by_email(email: str) -> User:
    """The user with this e-mail address, or a clear error for the command line."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user has the e-mail address {email}.")
    return user


def _school_by_urn(urn: str) -> School:
    school = db.session.scalar(db.select(School).where(School.urn == urn))
    if school is None:
        raise click.ClickException(f"No school has URN {urn}. Create it with "
                                   "'checklist-app schools create'.")
    return school


@click.command()
@click.option("--no-serve", is_flag=True, help="Set everything up but do not start the server.")
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def quickstart(no_serve: bool, port: int) -> None:
    """Create the database, load checklists and demo data, then serve on 127.0.0.1."""
    from checklist_app import demo

    click.echo("Applying database migrations…")
    upgrade()
    demo.load_definitions(report=click.echo)
    school = db.session.scalar(db.select(School).where(School.urn == DEMO_URN))
    if school is None:
        school = create_school("Oakfield Primary School (demo)", DEMO_URN,
                               "Demo Borough Council", address="1 Oak Lane\nOakfield",
                               phone="01234 567890", email="office@oakfield.example")
    admin = find_user(DEMO_ADMIN_EMAIL)
    if admin is None:
        admin, password = create_user(DEMO_ADMIN_EMAIL, "Alex Morgan", None, Role.ADMIN, school)
        commit()
        click.echo(f"\nDemo administrator created. Log in with:\n  e-mail:   {DEMO_ADMIN_EMAIL}\n"
                   f"  password: {password}\n(This password is shown only once.)\n")
    else:
        click.echo(f"Demo administrator {DEMO_ADMIN_EMAIL} already exists; use the password shown "
                   "the first time, or 'checklist-app users set-password'.")
    demo.load_demo_data(school, clock.today(), report=click.echo)
    commit()
    if not no_serve:
        click.echo(f"Serving on http://127.0.0.1:{port} (press Ctrl+C to stop).")
        # Not app.run(): Flask ignores that inside its own CLI.
        run_simple("127.0.0.1", port, current_app._get_current_object(), threaded=True,
                   use_reloader=False, use_debugger=False)


@click.group("schools")
def schools_group() -> None:
    """Manage schools."""


@schools_group.command("create")
@click.option("--name", required=True)
@click.option("--urn", required=True, help="The school's unique reference number.")
@click.option("--local-authority", default="")
@with_appcontext
def schools_create(name: str, urn: str, local_authority: str) -> None:
    """Add a school."""
    try:
        school = create_school(name, urn, local_authority)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    commit()
    click.echo(f"Created {school.name} (URN {school.urn}).")


@click.group("users")
def users_group() -> None:
    """Manage users."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--school", "urn", required=True, help="URN of the school.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_create(email: str, name: str, role: str, urn: str, password_stdin: bool) -> None:
    """Add a user with a role in a school (or give an existing user a role in another school)."""
    school = _school_by_urn(urn)
    password = None if find_user(email) else _read_password(password_stdin)
    try:
        user, _ = create_user(email, name, password, Role(role), school)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    commit()
    click.echo(f"{user.email} is now {Role(role).label.lower()} at {school.name}.")


@users_group.command("set-password")
@click.option("--email", required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def users_set_password(email: str, password_stdin: bool) -> None:
    """Set a user's password."""
    user = _user_by_email(email)
    password = _read_password(password_stdin)
    try:
        check_password_strength(password, user.email)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    user.set_password(password)  # also ends the user's sessions
    user.failed_logins, user.locked_until = 0, None
    security_event("password set from the command line", user)
    commit()
    click.echo(f"Password changed for {user.email}.")


@users_group.command("deactivate")
@click.option("--email", required=True)
@with_appcontext
def users_deactivate(email: str) -> None:
    """End a user's access at once (their records and history stay)."""
    user = _user_by_email(email)
    user.active = False
    user.end_sessions()
    security_event("account deactivated", user)
    commit()
    click.echo(f"{user.email} can no longer log in.")


@users_group.command("reactivate")
@click.option("--email", required=True)
@with_appcontext
def users_reactivate(email: str) -> None:
    """Let a deactivated (or locked-out) user log in again with their existing password."""
    user = _user_by_email(email)
    was_active = user.active
    user.active = True
    user.failed_logins, user.locked_until = 0, None
    security_event("account reactivated", user)
    commit()
    schools = ", ".join(sorted(m.school.name for m in user.memberships)) or "no school yet"
    state = "it was already active; any lock-out is cleared" if was_active else "reactivated"
    click.echo(f"{user.email} can log in again ({state}). Schools: {schools}.")


@users_group.command("reset-two-factor")
@click.option("--email", required=True)
@with_appcontext
def users_reset_two_factor(email: str) -> None:
    """Turn off a user's two-factor log-in (lost phone and recovery codes); their sessions end."""
    from checklist_app.auth.two_factor import disable

    user = _user_by_email(email)
    disable(user)
    user.end_sessions()
    security_event("two-factor log-in reset", user, "from the command line")
    commit()
    click.echo(f"Two-factor log-in is off for {user.email}; if their school requires it they set "
               "it up again at their next log-in.")
