from __future__ import annotations

import pytest

from tests.changes.history import replayed_database


@pytest.fixture(scope="module")
def replayed(django_db_setup, django_db_blocker):
    """The 2026 history replayed once per module: run id -> recording index."""
    with replayed_database(django_db_blocker) as runs:
        yield runs
