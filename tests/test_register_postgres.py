"""The register's import, figure and page tests again, on PostgreSQL (upserts, summaries, sums)."""

from __future__ import annotations

import pytest

from tests.test_register_demo_charts import (  # noqa: F401
    test_demo_register_has_pupils_at_risk_and_runs_once,
    test_statements_per_page_do_not_grow_with_marks,
)
from tests.test_register_figures import *  # noqa: F403
from tests.test_register_import import *  # noqa: F403
from tests.test_register_pages import (  # noqa: F401
    clock,
    test_problems_are_listed_and_nothing_is_written,
    test_upload_preview_confirm_and_the_pages,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_url):
    """Every test in this module runs on a throw-away PostgreSQL database."""
    return postgres_url
