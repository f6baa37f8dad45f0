"""The planner's statistics of the tables a sync wrote, refreshed before the sync
reports done (PostgreSQL). Right after a first sync of 30,000 models the planner
still believes the tables empty until autovacuum analyses them, and picks plans
for empty tables: the model list took 304 ms instead of 22, the catalogue page
72 ms instead of 15."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import connection, models

logger = logging.getLogger(__name__)

# Autovacuum analyses a table once its changed rows pass 50 plus a tenth of it
# (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor): the same rule,
# applied at once.
ANALYZE_THRESHOLD, ANALYZE_SCALE = 50, 0.1


def tables_analyse(tables: Iterable[type[models.Model]], written: int) -> list[str]:
    """ANALYZE each table whose `written` rows are many beside what the planner
    believes it holds (or that was never analysed); the tables analysed."""
    if connection.vendor != "postgresql" or written <= ANALYZE_THRESHOLD:
        return []
    analysed = []
    with connection.cursor() as cursor:
        for table in tables:
            name = table._meta.db_table
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [name]
            )
            (believed,) = cursor.fetchone()
            if believed < 0 or written > ANALYZE_THRESHOLD + ANALYZE_SCALE * believed:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
                analysed.append(name)
    if analysed:
        logger.info("analysed %s after %s rows written", ", ".join(analysed), written)
    return analysed
