"""Configuration read from the environment, with safe defaults for a local SQLite install."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production
DEFAULT_SERVICE_NAME = "School attendance"


def _env(name: str, default: str | None = None) -> str | None:
    """Read ``CHECKLIST_<name>``, falling back to the bare ``<name>``."""
    return os.environ.get(f"CHECKLIST_{name}", os.environ.get(name, default))


def from_environment(instance_path: str) -> dict:
    """Build the configuration mapping from environment variables."""
    env = _env("ENV", "development")
    sqlite_path = Path(instance_path) / "checklist_app.sqlite3"
    return {
        "CHECKLIST_ENV": env,
        "SECRET_KEY": _env("SECRET_KEY", DEFAULT_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": _env("DATABASE_URL", f"sqlite:///{sqlite_path}"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "CHECKLISTS_DIR": _env("CHECKLISTS_DIR", str(PROJECT_ROOT / "checklists")),
        "REPORTS_DIR": _env("REPORTS_DIR", str(PROJECT_ROOT / "reports")),
        "MAX_CONTENT_LENGTH": int(_env("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": env == "production",
        "RATELIMIT_STORAGE_URI": _env("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_KEY_PREFIX": _env("RATELIMIT_KEY_PREFIX", "checklist"),
        "LOGIN_RATE_LIMIT": _env("LOGIN_RATE_LIMIT", "10 per minute"),
        "RETENTION_YEARS": int(_env("RETENTION_YEARS", "6")),
        "WTF_CSRF_TIME_LIMIT": None,
        "SERVICE_NAME": _env("SERVICE_NAME", DEFAULT_SERVICE_NAME),
        "PHASE_BANNER": _env("PHASE_BANNER", ""),
        # Background jobs: on RQ workers when REDIS_URL is set, else in a thread of this process.
        "REDIS_URL": _env("REDIS_URL") or None,
        "JOB_QUEUE": _env("JOB_QUEUE", "checklist"),
        "JOBS_DIR": _env("JOBS_DIR", str(Path(instance_path) / "jobs")),
        "JOB_RETRIES": int(_env("JOB_RETRIES", "2")),
        "JOB_TIMEOUT_SECONDS": int(_env("JOB_TIMEOUT_SECONDS", "3600")),
        "JOB_STALE_SECONDS": int(_env("JOB_STALE_SECONDS", "120")),
        "IDLE_TIMEOUT_MINUTES": int(_env("IDLE_TIMEOUT_MINUTES", "30")),
        "SESSION_LIFETIME_HOURS": int(_env("SESSION_LIFETIME_HOURS", "12")),
        "TRUSTED_PROXIES": int(_env("TRUSTED_PROXIES", "0")),
        "SINGLE_PROCESS": _env("SINGLE_PROCESS", "0") in ("1", "true", "yes"),
    }


def service_name(config: Mapping[str, Any]) -> str:
    """The name users see for this deployment (``SERVICE_NAME``, e.g. a local authority's own), on
    pages, e-mails and in authenticator apps; the default when it is unset or blank."""
    return str(config.get("SERVICE_NAME") or "").strip() or DEFAULT_SERVICE_NAME


def check_production_safety(config: dict) -> None:
    """Refuse to run in production with a weak secret key, or a per-process rate-limit store
    (``memory://``) unless ``SINGLE_PROCESS=1`` says only one process serves the app."""
    if config.get("CHECKLIST_ENV") != "production":
        return
    key = config.get("SECRET_KEY") or ""
    if key == DEFAULT_SECRET_KEY or len(key) < 24:
        raise RuntimeError(
            "CHECKLIST_ENV is production but SECRET_KEY is the development default or shorter than "
            "24 characters. Set SECRET_KEY to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'."
        )
    store = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if store.startswith("memory://") and not config.get("SINGLE_PROCESS"):
        raise RuntimeError(
            "CHECKLIST_ENV is production but RATELIMIT_STORAGE_URI is memory://, which each worker "
            "process keeps separately, so log-in limits would not hold. Set RATELIMIT_STORAGE_URI "
            "to a shared store such as redis://127.0.0.1:6379/0, or set SINGLE_PROCESS=1 if only "
            "one process serves the app."
        )
