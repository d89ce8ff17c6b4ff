"""The five roles, as Django Groups, and the permissions each holds.

One table says who may do what. Patterns are `app_label.codename` with shell wildcards; a leading
`-` removes what an earlier pattern granted. New models' permissions reach the roles on the next
`migrate` (post_migrate), so adding a model never needs a hand-written permissions migration.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

PERFORMANCE_MANAGER = "Performance manager"
DCS = "Director of Children's Services"
AUDITOR = "Auditor"
BOARD_MEMBER = "Board member"
ADMINISTRATOR = "Administrator"

ROLE_NAMES = (PERFORMANCE_MANAGER, DCS, AUDITOR, BOARD_MEMBER, ADMINISTRATOR)

# Apps whose every model is child-level (special category data). Board members hold nothing here.
CHILD_LEVEL_APPS = ("casework",)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    PERFORMANCE_MANAGER: (
        "inspections.*",
        "casework.*",
        "readiness.*",
        "-readiness.view_system_status",
        "-readiness.*historicaluser*",  # account history: administrators only (people pages)
    ),
    DCS: (
        "inspections.view_*",
        "inspections.*_dailynote",
        "casework.view_*",
        "readiness.view_*",
        "-readiness.*historicaluser*",  # account history: administrators only (people pages)
        "readiness.add_progressupdate",
        "readiness.add_report",
    ),
    AUDITOR: (
        "inspections.view_framework",
        "inspections.view_inspection",
        "casework.view_child",
        "casework.view_child_record",
        "casework.view_sample",
        "casework.*caseaudit*",
        "casework.*auditanswer*",
    ),
    BOARD_MEMBER: (
        "readiness.view_board_pages",
        "readiness.view_report",
        "readiness.add_report",
    ),
    ADMINISTRATOR: (
        "auth.*",
        "axes.*",
        "django_celery_beat.*",
        "inspections.*",
        "casework.*",
        "readiness.*",
    ),
}


# Nobody edits history or forges a worker heartbeat through the interface.
NEVER_GRANTED = (
    "*.add_historical*",
    "*.change_historical*",
    "*.delete_historical*",
    "readiness.add_workerheartbeat",
    "readiness.change_workerheartbeat",
    "readiness.delete_workerheartbeat",
)


def permission_keys_for(role: str, available: list[str]) -> set[str]:
    """Return the `app_label.codename` keys a role holds out of those available."""
    granted: set[str] = set()
    for pattern in (*ROLE_PERMISSIONS[role], *(f"-{never}" for never in NEVER_GRANTED)):
        if pattern.startswith("-"):
            granted -= {key for key in granted if fnmatchcase(key, pattern[1:])}
        else:
            granted |= {key for key in available if fnmatchcase(key, pattern)}
    if role == BOARD_MEMBER:
        leaked = {key for key in granted if key.split(".")[0] in CHILD_LEVEL_APPS}
        if leaked:
            raise RuntimeError(f"Board members must not hold child-level permissions: {sorted(leaked)}")
    return granted


def sync_roles(group_model, permission_model) -> None:
    """Create the role groups and set exactly the permissions the table gives them."""
    permissions = list(permission_model.objects.select_related("content_type"))
    by_key = {f"{p.content_type.app_label}.{p.codename}": p for p in permissions}
    for role in ROLE_NAMES:
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [by_key[key] for key in sorted(permission_keys_for(role, list(by_key)))]
        group.permissions.set(wanted)


def sync_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs) -> None:
    """Re-sync once per migrate run, after the last app (ours) has created its permissions."""
    if sender is None or sender.name != "readiness":
        return
    from django.contrib.auth.models import Group, Permission

    sync_roles(Group, Permission)
