"""The shrink guard, and the editor's way past it.

A fetch that would delist more than a share of the active entries is refused: the
run fails, nothing is delisted, and a ShrinkRefusal records exactly what would have
been. An editor who knows the loss is real accepts it in the admin, with a reason;
the next sync of that kind applies exactly that (and refuses anything beyond it).

The catalogue, its providers and its endpoints move together: while one of them has
a refusal no editor has accepted, the others' syncs are held (recorded as skipped
with the reason), so no list is synced against another's stale state.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User
from django.utils import timezone

from catalog.models.runs import ShrinkRefusal, SyncKind, SyncRun, SyncStatus

# The lists that move together.
TOGETHER = (SyncKind.PROVIDERS, SyncKind.CATALOG, SyncKind.ENDPOINTS)


class ShrinkGuardError(Exception):
    """Upstream lost too much of the catalogue at once to be believed."""

    def __init__(
        self, message: str, *, kind: str, what: str, active: int, missing: list[str]
    ):
        super().__init__(message)
        self.kind, self.what, self.active, self.missing = kind, what, active, missing


def _family(kind: str) -> str:
    return SyncKind.ENDPOINTS if kind == SyncKind.ENDPOINTS_SOME else kind


def shrink_guard(
    active: int,
    missing: Sequence[str],
    ratio: float,
    what: str,
    *,
    kind: str,
    run: SyncRun | None = None,
) -> ShrinkRefusal | None:
    """Refuse a fetch that would delist more than `ratio` of the `active` rows,
    beyond what an editor accepted; return the acceptance it applies, if any."""
    accepted = (
        ShrinkRefusal.objects.filter(
            kind__in={kind, _family(kind)},
            accepted_at__isnull=False,
            applied_run__isnull=True,
        )
        .order_by("-accepted_at")
        .first()
    )
    covered = set(accepted.missing) if accepted else set()
    beyond = [key for key in missing if key not in covered]
    # What is left once the accepted loss is applied is what the guard protects.
    remaining = active - (len(missing) - len(beyond))
    if active and len(beyond) > remaining * ratio:
        refused = ShrinkGuardError(
            f"refused: upstream {what} lost {len(missing)} of {active} active entries "
            f"(more than {ratio:.0%}); nothing was marked delisted. If the loss is "
            "real, an editor accepts it in the admin (Shrink refusals).",
            kind=kind,
            what=what,
            active=active,
            missing=sorted(missing),
        )
        shrink_refused(refused, run)
        raise refused
    return accepted if accepted and covered & set(missing) else None


def shrink_refused(refused: ShrinkGuardError, run: SyncRun | None) -> None:
    """Record what a refused fetch would have delisted, for an editor to judge.

    Called again by a caller that guarded inside a transaction it rolled back:
    the record is kept once.
    """
    if run is None:
        return
    ShrinkRefusal.objects.get_or_create(
        run=run,
        defaults={
            "kind": refused.kind,
            "what": refused.what,
            "active": refused.active,
            "missing": refused.missing,
        },
    )


def shrink_applied(accepted: ShrinkRefusal | None, run: SyncRun | None) -> None:
    """Record that `run` applied an accepted shrink (it is used once)."""
    if accepted is not None and run is not None:
        accepted.applied_run = run
        accepted.save(update_fields=["applied_run"])


def shrink_accept(
    refusal: ShrinkRefusal, *, user: User | None, reason: str
) -> ShrinkRefusal:
    """An editor accepts a refused shrink: the next sync of its kind applies it."""
    if not reason.strip():
        raise ValueError("accepting a shrink needs a reason")
    refusal.accepted_by, refusal.accepted_at = user, timezone.now()
    refusal.reason = reason.strip()
    refusal.save(update_fields=["accepted_by", "accepted_at", "reason"])
    return refusal


def shrink_holding(kind: str) -> ShrinkRefusal | None:
    """The unaccepted refusal of another list that holds this kind's sync, if any:
    the latest attempt of that list was refused and no editor accepted it yet."""
    if _family(kind) not in TOGETHER:
        return None
    for other in TOGETHER:
        if other == _family(kind):
            continue
        latest = (
            SyncRun.objects.filter(kind=other)
            .exclude(status=SyncStatus.SKIPPED)
            .order_by("-started_at", "-id")
            .first()
        )
        # A run without a refusal has no `shrink_refusal` (the reverse one-to-one).
        refusal: ShrinkRefusal | None = (
            getattr(latest, "shrink_refusal", None) if latest else None
        )
        if refusal is not None and refusal.accepted_at is None:
            return refusal
    return None
