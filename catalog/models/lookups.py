"""`<json list field>__has=<value>`: the list holds the value, answered by the
database on both backends (no reading rows into Python to filter them).

PostgreSQL's jsonb containment (`@>`) can use a GIN index; SQLite walks the list
with json_each. Used by the catalogue list and the API alike.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import JSONField, Lookup


@JSONField.register_lookup
class Has(Lookup):
    lookup_name = "has"
    # The value is compared as given: the right-hand side is not a JSON document.
    prepare_rhs = False

    def get_db_prep_lookup(
        self, value: Any, connection: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return "%s", (value,)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return (
            f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)",
            (*lhs_params, self.rhs),
        )

    def as_postgresql(
        self, compiler: Any, connection: Any
    ) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", (*lhs_params, json.dumps([self.rhs]))
