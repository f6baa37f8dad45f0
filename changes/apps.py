from __future__ import annotations

from django.apps import AppConfig

# name -> (task, every N minutes, description); merged into catalog's SCHEDULES.
SCHEDULES = {
    "changes-dispatch-events": (
        "changes.dispatch_events",
        1,
        "Match new catalogue events to watches and send webhooks and e-mails.",
    ),
}


class ChangesConfig(AppConfig):
    name = "changes"
    verbose_name = "Changes and alerts"

    def ready(self) -> None:
        # catalog must not import changes, so changes plugs its schedule in here.
        from catalog import schedules

        schedules.SCHEDULES.update(SCHEDULES)
