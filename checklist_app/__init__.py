"""checklist_app: attendance self-evaluation and casework for schools in England."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, g, has_request_context, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError

from checklist_app import config as app_config
from checklist_app.concurrency import Conflict
from checklist_app.errors import NotFound
from checklist_app.extensions import csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application; ``config`` overrides what the environment gives."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(app_config.from_environment(app.instance_path))
    app.config.update(config or {})
    app_config.check_production_safety(app.config)
    if app.config["TRUSTED_PROXIES"] > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    register_input_safety(app)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    from checklist_app import models  # noqa: F401  (registers every model with the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.session_protection = "strong"
    from checklist_app.mail import init_mail

    init_mail(app)

    from checklist_app.auth.sessions import load_user

    login_manager.user_loader(load_user)


def register_input_safety(app: Flask) -> None:
    """Bounded integer ids in every URL; control characters removed from every submitted text."""
    from checklist_app.input_safety import BoundedIntConverter, CleanRequest

    app.url_map.converters["int"] = BoundedIntConverter
    app.request_class = CleanRequest


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature, each from its ``<feature>.blueprint`` module."""
    from checklist_app.audit.blueprint import bp as audit_bp
    from checklist_app.auth.blueprint import account as account_bp
    from checklist_app.auth.blueprint import bp as auth_bp
    from checklist_app.auth.blueprint import password_reset as password_reset_bp
    from checklist_app.auth.blueprint import staff as staff_bp
    from checklist_app.casework.blueprint import bp as casework_bp
    from checklist_app.data_protection.blueprint import bp as data_protection_bp
    from checklist_app.definitions.blueprint import bp as definitions_bp
    from checklist_app.home.blueprint import bp as home_bp
    from checklist_app.jobs.blueprint import bp as jobs_bp
    from checklist_app.mail.blueprint import bp as mail_bp
    from checklist_app.register.blueprint import bp as register_bp
    from checklist_app.reporting.blueprint import bp as reporting_bp
    from checklist_app.reporting.blueprint import feeds as calendar_feed_bp
    from checklist_app.self_evaluation.blueprint import bp as self_evaluation_bp
    from checklist_app.sharing.blueprint import bp as sharing_bp

    for blueprint in (auth_bp, account_bp, staff_bp, home_bp, definitions_bp, audit_bp,
                      data_protection_bp, self_evaluation_bp, casework_bp, reporting_bp,
                      calendar_feed_bp, register_bp, sharing_bp, jobs_bp, mail_bp, password_reset_bp):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    """Current school before each request; security headers after."""
    from checklist_app.auth.sessions import enforce_session_limits
    from checklist_app.security import load_current_school, set_security_headers

    app.before_request(enforce_session_limits)
    app.before_request(load_current_school)
    app.after_request(set_security_headers)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for the errors a user can meet."""

    def render_error(status: int, title: str, message: str):
        try:  # a failed flush (PendingRollbackError) must not break the error page itself
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the database may be down; the page must still show
            app.logger.exception("Rolling back before an error page failed")
        g.setdefault("school", None)
        try:
            return render_template("errors/error.html", status=status, title=title,
                                   message=message), status
        except Exception:  # noqa: BLE001 - last resort: a plain page that needs nothing
            app.logger.exception("The error page could not be rendered")
            return (f"<!doctype html><html lang='en'><title>{escape(title)}</title>"
                    f"<h1>{escape(title)}</h1><p>{escape(message)}</p></html>"), status

    messages = {
        400: ("Something in that request was not right",
              "Please go back, check what you entered and try again."),
        403: ("You do not have access to this page",
              "Your role does not allow this. Ask your school's administrator if you need access."),
        404: ("Page not found",
              "The page or record may have been removed, or the address is wrong."),
        405: ("That action is not available here",
              "Please go back and use the buttons on the page."),
        413: ("That upload is too large", "Please send less data at once."),
        429: ("Too many attempts", "Please wait a minute before you try again."),
        500: ("Sorry, something went wrong",
              "Nothing you saved before this has been lost. Please try again; if it happens again, "
              "tell your administrator the time it happened."),
    }
    for status, (title, message) in messages.items():
        app.register_error_handler(
            status, lambda _e, s=status, t=title, m=message: render_error(s, t, m))

    @app.errorhandler(StaleDataError)
    @app.errorhandler(Conflict)
    def stale_data(_error: Exception):
        # Someone saved the record between our read and our write: undo the whole request.
        db.session.rollback()
        return render_error(409, "Someone else saved this first",
                            "Your changes have not been saved, so nothing was overwritten. Please "
                            "go back, reload the page to see the saved version, and try again.")

    @app.errorhandler(NotFound)
    def not_found(_error: NotFound):
        return render_error(404, *messages[404])

    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        return render_error(400, "This form has expired",
                            "For your security, forms expire. Please go back, reload the page "
                            "and submit it again.")


def register_template_helpers(app: Flask) -> None:
    """Filters (dates written as 22 November 2026, counts as 3,060) and globals for templates."""
    from checklist_app import formatting
    from checklist_app.security import can, current_role

    app.add_template_filter(formatting.long_date, "long_date")
    app.add_template_filter(formatting.long_datetime, "long_datetime")
    app.add_template_filter(formatting.number, "number")
    app.add_template_filter(formatting.year_group, "year_group")
    app.add_template_filter(formatting.markdown_html, "markdown")
    app.add_template_filter(formatting.markdown_text_html, "typed_markdown")
    app.add_template_filter(formatting.summary, "summary")
    app.add_template_global(can)
    app.add_template_global(current_role)
    from checklist_app import security

    app.add_template_global(security.EVERYONE, "EVERYONE")
    app.add_template_global(security.STAFF, "STAFF")
    app.add_template_global(security.LEADERS, "LEADERS")
    app.add_template_global(security.ADMINS, "ADMINS")
    app.add_template_global(security.TRUST_VIEWERS, "TRUST_VIEWERS")
    app.add_template_global(security.REGISTER_READERS, "REGISTER_READERS")
    from checklist_app.auth.models import Role
    from checklist_app.casework.enums import TEMPLATE_ENUMS
    from checklist_app.checklist_engine.schema import ResponseType

    app.jinja_env.globals.update(TEMPLATE_ENUMS, Role=Role, ResponseType=ResponseType)
    from checklist_app.checklist_engine import forms as engine_forms

    app.add_template_global(engine_forms.item_fields, "engine_item_fields")
    app.add_template_global(engine_forms.item_field, "item_field")
    from checklist_app import govuk

    govuk.register(app)


def register_cli(app: Flask) -> None:
    """Our own ``checklist-app`` commands."""
    from checklist_app.cli import register_commands

    register_commands(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: write-ahead log, wait for locks rather than fail, enforce foreign keys, and zero
    deleted content (``secure_delete``) so an erased pupil's text does not stay in the file."""
    module = type(dbapi_connection).__module__
    if not module.startswith(("sqlite3", "pysqlite")):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    """SQLite: a request that writes takes the write lock at BEGIN (IMMEDIATE).

    A deferred transaction that reads and then writes can fail at once with "database is locked"
    when another writer got there first; an immediate one waits its turn (busy timeout) instead.
    Reads (GET) stay deferred so they never queue behind writers.
    """
    if conn.dialect.name != "sqlite":
        return
    writing = not has_request_context() or request.method not in ("GET", "HEAD", "OPTIONS")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
