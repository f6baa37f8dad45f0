"""The editor group: may edit the catalogue, not users, groups or schedules.
Models, endpoints, providers and authors are delisted, never deleted: editors add
and change them, and delete only tags, overrides (deleting an override restores
upstream's value) and the aliases that match direct offers."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

EDITOR_GROUP = "editor"
EDITABLE = (
    "languagemodel",
    "endpoint",
    "provider",
    "author",
    "tag",
    "fieldoverride",
    "directalias",
    "directoffer",
)
DELETABLE = ("tag", "fieldoverride", "directalias")
VIEWABLE = ("catalogevent", "syncrun", "adminedit")
# Editors accept a refused shrink (a change of the refusal), nothing more.
ACCEPTABLE = ("shrinkrefusal",)


def editor_group_ensure() -> Group:
    """Create or refresh the editor group's permissions (idempotent)."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    codenames = [
        f"{action}_{name}" for name in EDITABLE for action in ("view", "add", "change")
    ]
    codenames += [f"delete_{name}" for name in DELETABLE]
    codenames += [f"view_{name}" for name in (*VIEWABLE, *ACCEPTABLE)]
    codenames += [f"change_{name}" for name in ACCEPTABLE]
    permissions = Permission.objects.filter(
        content_type__app_label="catalog", codename__in=codenames
    )
    group.permissions.set(permissions)
    return group
