"""Finding the services some tests need (Redis, gunicorn), or a skip that says what is missing."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("CHECKLIST_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BIN = Path(sys.executable).parent


def redis_url_or_skip() -> str:
    """The test Redis URL when a server answers there, else skip with the reason."""
    try:
        from redis import Redis
        from redis.exceptions import RedisError
    except ImportError:
        pytest.skip("the redis package is not installed: pip install -e '.[test]'")
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL} ({error}); start redis-server or set "
                    "CHECKLIST_TEST_REDIS_URL")
    return REDIS_URL


def executable_or_skip(name: str) -> str:
    """The path of a console script in this venv (or on PATH), else skip."""
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed: pip install -e '.[test]'")
    return str(found)
