"""`manage.py demo_upstream`: run the offline OpenRouter stand-in until Ctrl-C."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from demo import litellm
from demo.server import DemoUpstream


class Command(BaseCommand):
    """Serve recorded and synthesised OpenRouter data over HTTP."""

    help = "Run the demo upstream (OpenRouter API and website stats) on --host:--port."

    def add_arguments(self, parser: ArgumentParser) -> None:
        """Declare --port, --host, --snapshot, --replay and --litellm."""
        parser.add_argument("--port", type=int, default=8001)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--snapshot",
            default=None,
            help='"2025-04-24", "2025-05-12", "2025-05-22" or "history:N" '
            "(default 2025-05-22, or history:0 with --replay)",
        )
        parser.add_argument(
            "--replay",
            action="store_true",
            help="advance to the next daily recording after every /models request",
        )
        parser.add_argument(
            "--litellm",
            default=litellm.LATEST,
            choices=litellm.VERSIONS,
            help="the recorded version of LiteLLM's price map to serve",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        """Start the server and block until interrupted."""
        try:
            demo = DemoUpstream(
                port=options["port"],
                host=options["host"],
                snapshot=options["snapshot"],
                replay=options["replay"],
                verbose=options["verbosity"] >= 2,
                litellm_version=options["litellm"],
            )
            demo.bind()  # bind now so the printed URL carries the real port
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Demo upstream serving {demo.url}")
        self.stdout.write(f"  OPENROUTER_BASE_URL={demo.base_url}")
        self.stdout.write(f"  OPENROUTER_SITE_URL={demo.url}")
        self.stdout.write(f"  LITELLM_PRICES_URL={demo.url}{litellm.PATH}")
        # Any bearer key opens the keyed routes (datasets, the account's /activity).
        self.stdout.write("  OPENROUTER_API_KEY=demo")
        self.stdout.write(f"  snapshot={demo.snapshot} replay={demo.replay}")
        self.stdout.flush()
        try:
            demo.serve_forever()
        except KeyboardInterrupt:
            self.stdout.write("Demo upstream stopped.")
