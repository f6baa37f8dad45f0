from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.schedules import schedules_ensure


class Command(BaseCommand):
    help = "Create the periodic sync schedules (idempotent; admin edits are kept)."

    def handle(self, *args, **options) -> None:
        created = schedules_ensure()
        self.stdout.write(f"schedules ready ({created} created)")
