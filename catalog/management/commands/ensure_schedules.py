from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.permissions import editor_group_ensure
from catalog.schedules import schedules_ensure


class Command(BaseCommand):
    help = (
        "Create the periodic sync schedules and the editor group "
        "(idempotent; edits made in the admin are kept)."
    )

    def handle(self, *args, **options) -> None:
        created = schedules_ensure()
        editor_group_ensure()
        self.stdout.write(f"schedules ready ({created} created); editor group ready")
