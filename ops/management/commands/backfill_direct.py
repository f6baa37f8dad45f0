from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.ingest.backfill import direct_backfill

# The recorded timeline (demo/data/README.md): model-prices 0.0.5's snapshot.json.
TIMELINE = Path("demo/data/model-prices-0.0.5.json.gz")


class Command(BaseCommand):
    help = (
        "Load the past direct prices of a dated timeline (the model-prices "
        "package's snapshot) as backfilled direct price events; run it after a "
        "first `sync litellm`. Running it again writes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=None,
            help=f"the timeline, gzipped JSON (default: {TIMELINE})",
        )

    def handle(self, *args: Any, file: Path | None, **options: Any) -> None:
        path = file or Path(settings.BASE_DIR) / TIMELINE
        timeline = _read(path)
        label = f"{timeline.get('package', 'timeline')} {timeline.get('version', '')}"
        try:
            done = direct_backfill(timeline, label.strip()[:60])
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for error in done.errors:
            self.stderr.write(f"skipped {error}")
        self.stdout.write(
            f"{label}: {done.created} past direct prices written, "
            f"{done.existing} already there, {done.no_offer} models with no "
            f"stored offer, {len(done.errors)} skipped"
        )


def _read(path: Path) -> dict[str, Any]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            # Prices read as exact Decimals, never through a float.
            data = json.load(f, parse_float=Decimal)
    except (OSError, EOFError, ValueError) as exc:
        raise CommandError(f"{path} could not be read: {exc}") from exc
    if not isinstance(data, dict):
        raise CommandError(f"{path} is not a JSON object")
    return data
