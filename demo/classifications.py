"""GET /api/v1/classifications/task: upstream's task classifications, served from
spec-shaped demo data (demo/data/README.md): the spec's schema and example over the
demo catalogue's model ids, not a recording."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

PATH = "/api/v1/classifications/task"
DATA = (
    Path(__file__).resolve().parent / "data" / "classifications-task.spec-shaped.json"
)
# The spec's only window.
WINDOWS = ("7d",)


@functools.cache
def classifications_payload() -> dict[str, Any]:
    """The response body, without the file's note on where it comes from."""
    body: dict[str, Any] = json.loads(DATA.read_text())
    return {"data": body["data"]}
