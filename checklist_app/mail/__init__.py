"""E-mail to families and staff with Flask-Mailman: over SMTP when ``MAIL_SERVER`` is set, otherwise
written to files in ``instance/mail/`` (nothing leaves the machine in development)."""

from __future__ import annotations

import os
from email.utils import formataddr
from typing import Any

from flask import Flask
from flask_mailman import Mail

from checklist_app.config import DEFAULT_SERVICE_NAME, service_name

mail = Mail()


def mail_settings(instance_path: str, env: Any, sender_name: str = DEFAULT_SERVICE_NAME) -> dict[str, Any]:
    """Mail configuration from the environment (``env`` reads one variable); without
    ``MAIL_DEFAULT_SENDER``, mail comes from ``sender_name`` (the service name) at no-reply@localhost."""
    server = env("MAIL_SERVER")
    return {
        "MAIL_BACKEND": env("MAIL_BACKEND", "smtp" if server else "file"),
        "MAIL_FILE_PATH": env("MAIL_FILE_PATH", os.path.join(instance_path, "mail")),
        "MAIL_SERVER": server or "localhost",
        "MAIL_PORT": int(env("MAIL_PORT", "25")),
        "MAIL_USE_TLS": env("MAIL_USE_TLS", "false").lower() in ("1", "true", "yes"),
        "MAIL_USE_SSL": env("MAIL_USE_SSL", "false").lower() in ("1", "true", "yes"),
        "MAIL_USERNAME": env("MAIL_USERNAME"),
        "MAIL_PASSWORD": env("MAIL_PASSWORD"),
        "MAIL_TIMEOUT": int(env("MAIL_TIMEOUT", "15")),
        "MAIL_DEFAULT_SENDER": env("MAIL_DEFAULT_SENDER",
                                   formataddr((sender_name, "no-reply@localhost"))),
        "PASSWORD_RESET_MAX_AGE": int(env("PASSWORD_RESET_MAX_AGE", "3600")),
    }


def init_mail(app: Flask) -> None:
    """Bind Flask-Mailman to the app, with the development default of writing files."""
    def env(name: str, default: str | None = None) -> str | None:
        return os.environ.get(f"CHECKLIST_{name}", os.environ.get(name, default))

    for key, value in mail_settings(app.instance_path, env, service_name(app.config)).items():
        app.config.setdefault(key, value)
    mail.init_app(app)
