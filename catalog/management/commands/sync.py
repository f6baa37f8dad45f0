from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from catalog import syncs
from catalog.models import SyncRun, SyncStatus

# Each target -> the syncs it runs, in order. Other apps add theirs (stats does).
TARGETS: dict[str, list[str]] = {
    "providers": ["providers"],
    "catalog": ["catalog"],
    "endpoints": ["endpoints"],
}
RUNNERS: dict[str, Callable[..., SyncRun]] = {
    "providers": syncs.sync_providers,
    "catalog": syncs.sync_catalog,
    "endpoints": syncs.sync_endpoints,
}
PROGRESS = {"endpoints"}


class Command(BaseCommand):
    help = "Poll upstream now, with a progress bar and a summary of what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        choices = [*TARGETS, "all"]
        parser.add_argument("target", choices=choices, help="what to poll")
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar"
        )

    def handle(self, *args, target: str, no_progress: bool, **options) -> None:
        names = _all() if target == "all" else TARGETS[target]
        failures = [name for name in names if not self._one(name, no_progress)]
        if failures:
            raise CommandError(f"failed: {', '.join(failures)}")

    def _one(self, name: str, no_progress: bool) -> bool:
        kwargs = {}
        bar = None
        if name in PROGRESS and not no_progress:
            bar = tqdm(desc=name, unit="model", file=self.stderr._out, leave=False)
            kwargs["progress"] = _updater(bar)
        try:
            run = RUNNERS[name](**kwargs)
        except syncs.SyncFailed as exc:
            run = exc.run
        finally:
            if bar is not None:
                bar.close()
        self._report(name, run)
        return run.status in (SyncStatus.SUCCEEDED, SyncStatus.SKIPPED)

    def _report(self, name: str, run: SyncRun) -> None:
        if run.status == SyncStatus.SKIPPED:
            self.stdout.write(self.style.WARNING(f"{name}: skipped ({run.error})"))
            return
        if run.status == SyncStatus.FAILED:
            self.stdout.write(self.style.ERROR(f"{name}: failed: {run.error}"))
            return
        c = run.counts
        summary = (
            f"{name}: {c.get('created', 0)} created, {c.get('updated', 0)} updated, "
            f"{c.get('unchanged', 0)} unchanged, {c.get('failed', 0)} failed"
        )
        if c.get("delisted"):
            summary += f", {c['delisted']} delisted"
        self.stdout.write(
            self.style.SUCCESS(summary) + f" in {run.duration_seconds:.1f}s"
        )
        for error in run.item_errors[:10]:
            self.stdout.write(f"  skipped {error['item']}: {error['error']}")


def _all() -> list[str]:
    order: list[str] = []
    for names in TARGETS.values():
        order += [n for n in names if n not in order]
    # Providers first so endpoints join to listed providers; endpoints after models.
    return order


def _updater(bar: tqdm) -> Callable[[int, int], None]:
    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update
