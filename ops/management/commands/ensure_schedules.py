from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.editorial.permissions import editor_group_ensure
from ops.schedules import schedules_ensure


class Command(BaseCommand):
    help = (
        "Create the periodic jobs' schedules and the editor group, and bring "
        "schedules up to date with their defaults (idempotent; cadences changed by "
        "hand in the admin are kept)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = schedules_ensure()
        editor_group_ensure()
        line = (
            f"schedules ready ({len(result.created)} created, "
            f"{len(result.updated)} updated"
        )
        if result.kept:
            line += f"; kept as changed by hand: {', '.join(result.kept)}"
        self.stdout.write(line + "); editor group ready")
