from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from catalog.models import SyncRun, SyncStatus
from catalog.runs import SyncFailed
from ops.jobs import JOBS, TARGETS, Job


class Command(BaseCommand):
    help = "Poll upstream now, with a progress bar and a summary of what changed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target", choices=[*TARGETS, "all"], help="what to poll ('all': everything)"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar"
        )

    def handle(
        self, *args: Any, target: str, no_progress: bool, **options: Any
    ) -> None:
        jobs = [j for j in JOBS if j.target] if target == "all" else TARGETS[target]
        failures = [str(job.kind) for job in jobs if not self._one(job, no_progress)]
        if failures:
            raise CommandError(f"failed: {', '.join(failures)}")

    def _one(self, job: Job, no_progress: bool) -> bool:
        kwargs: dict[str, Any] = {}
        bar = None
        if job.progress and not no_progress:
            bar = tqdm(
                desc=str(job.kind),
                unit=job.progress,
                file=self.stderr._out,
                leave=False,
            )
            kwargs["progress"] = _updater(bar)
        try:
            run = job.runner(**kwargs)
        except SyncFailed as exc:
            run = exc.run
        finally:
            if bar is not None:
                bar.close()
        self._report(str(job.kind), run)
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
        seconds = run.duration_seconds or 0.0
        self.stdout.write(self.style.SUCCESS(summary) + f" in {seconds:.1f}s")
        for error in run.item_errors[:10]:
            self.stdout.write(f"  skipped {error['item']}: {error['error']}")


def _updater(bar: tqdm) -> Callable[[int, int], None]:
    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update
