"""Reads for the people pages: the list with its filters, one person, their lock-out and history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from inspections.history import ChangeHistory, ChangeRow
from readiness import roles

ACTIVE, DEACTIVATED, LOCKED_OUT = "active", "deactivated", "locked-out"
STATUS_CHOICES = ((ACTIVE, "Active"), (DEACTIVATED, "Deactivated"), (LOCKED_OUT, "Locked out now"))
NO_ROLE = "none"
NO_ROLE_LABEL = "No role"
HISTORY_LIMIT = 50
# The Django admin saves a user, then sets their groups and permissions (a removal and an addition
# each): up to five rows for one press of "Save". Rows by the same person this close together, with
# no event in them, are shown as one change.
SAME_SAVE = dt.timedelta(seconds=2)

FIELD_LABELS = {
    "username": "Username",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "E-mail",
    "is_active": "Active",
    "is_staff": "Can use /admin/",
    "is_superuser": "Superuser (every permission)",
}
ROLE_LABEL = "Role"
PERMISSIONS_LABEL = "Permissions given one by one"
BLANK = "(blank)"
YES, NO = "Yes", "No"
NONE = "none"


def lockout_threshold() -> dt.datetime:
    """Attempts older than this no longer lock anyone out (django-axes' cool-off)."""
    cool_off = get_cool_off()
    return timezone.now() - (cool_off if cool_off is not None else dt.timedelta(days=36500))


def _locked_attempts() -> QuerySet:
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=lockout_threshold()
    )


def _annotated(queryset: QuerySet) -> QuerySet:
    """Add `has_two_factor`, `is_locked_out` and the role groups (`role_groups`) to each person."""
    return queryset.annotate(
        has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        is_locked_out=Exists(_locked_attempts().filter(username=OuterRef("username"))),
    ).prefetch_related(
        Prefetch(
            "groups",
            queryset=Group.objects.filter(name__in=roles.ROLE_NAMES).order_by("name"),
            to_attr="role_groups",
        )
    )


def person_list(*, role: str = "", status: str = "", search: str = "") -> QuerySet:
    """Return people, A to Z by name, filtered by role (a role name or NO_ROLE), status and words."""
    people = _annotated(User.objects.all())
    if role == NO_ROLE:
        people = people.exclude(groups__name__in=roles.ROLE_NAMES)
    elif role:
        people = people.filter(groups__name=role)
    if status == ACTIVE:
        people = people.filter(is_active=True)
    elif status == DEACTIVATED:
        people = people.filter(is_active=False)
    elif status == LOCKED_OUT:
        people = people.filter(is_locked_out=True)
    for word in search.split():
        people = people.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return people.order_by("first_name", "last_name", "username", "pk")


def person_get(*, person_id: int) -> User | None:
    return _annotated(User.objects.filter(pk=person_id)).first()


def role_name(person: User) -> str:
    """The person's role in words ("Auditor"); two roles (set in the admin) are both named."""
    groups = getattr(person, "role_groups", None)
    if groups is None:
        groups = list(person.groups.filter(name__in=roles.ROLE_NAMES).order_by("name"))
    return ", ".join(group.name for group in groups) or NO_ROLE_LABEL


def lockouts(*, person: User) -> list[AccessAttempt]:
    """The attempts locking this username out now, newest first (one per address)."""
    return list(_locked_attempts().filter(username=person.username).order_by("-attempt_time"))


def administrators_active() -> QuerySet:
    """People who can run the people pages and the admin: active, and Administrators or superusers."""
    return User.objects.filter(
        Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR), is_active=True
    ).distinct()


# History -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    record: object
    roles: tuple[str, ...]
    permissions: tuple[str, ...]


def _shown(value) -> str:
    if isinstance(value, bool):
        return YES if value else NO
    return str(value) if value not in (None, "") else BLANK


def _listed(names: tuple[str, ...], empty: str) -> str:
    return ", ".join(names) if names else empty


def _differences(before: _Version, after: _Version) -> list[str]:
    lines = []
    for name, label in FIELD_LABELS.items():
        old, new = getattr(before.record, name), getattr(after.record, name)
        if old != new:
            lines.append(f"{label}: {_shown(old)} → {_shown(new)}")
    if before.roles != after.roles:
        lines.append(
            f"{ROLE_LABEL}: {_listed(before.roles, NO_ROLE_LABEL)} → {_listed(after.roles, NO_ROLE_LABEL)}"
        )
    if before.permissions != after.permissions:
        old, new = _listed(before.permissions, NONE), _listed(after.permissions, NONE)
        lines.append(f"{PERMISSIONS_LABEL}: {old} → {new}")
    return lines


def _initial(version: _Version) -> list[str]:
    record = version.record
    lines = [f"{FIELD_LABELS[name]}: {_shown(getattr(record, name))}" for name in ("username", "email")]
    lines.append(f"{ROLE_LABEL}: {_listed(version.roles, NO_ROLE_LABEL)}")
    if record.is_superuser:
        lines.append(f"{FIELD_LABELS['is_superuser']}: {YES}")
    if version.permissions:
        lines.append(f"{PERMISSIONS_LABEL}: {_listed(version.permissions, NONE)}")
    return lines


def _versions(person: User, limit: int) -> tuple[int, list[_Version]]:
    """The newest `limit` + 1 history rows (the extra one is the version before the oldest shown)."""
    records = person.history.all()
    total = records.count()
    rows = list(
        records.select_related("history_user")
        .prefetch_related(
            "historicaluser_groups_set__group",
            "historicaluser_user_permissions_set__permission__content_type",
        )
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    return total, [
        _Version(record=row, roles=_role_names(row), permissions=_permission_keys(row)) for row in rows
    ]


def _role_names(row) -> tuple[str, ...]:
    return tuple(
        sorted(
            m.group.name
            for m in row.historicaluser_groups_set.all()
            if m.group and m.group.name in roles.ROLE_NAMES
        )
    )


def _permission_keys(row) -> tuple[str, ...]:
    return tuple(
        sorted(
            f"{m.permission.content_type.app_label}.{m.permission.codename}"
            for m in row.historicaluser_user_permissions_set.all()
            if m.permission
        )
    )


def _same_save(newer: _Version, older: _Version) -> bool:
    a, b = newer.record, older.record
    return (
        a.history_type == "~"
        and b.history_type == "~"
        and not a.history_change_reason
        and not b.history_change_reason
        and a.history_user_id == b.history_user_id
        and a.history_date - b.history_date <= SAME_SAVE
    )


def person_history(*, person: User, limit: int = HISTORY_LIMIT) -> ChangeHistory:
    """Who changed this person's account and what, newest first; a row per change in words.

    A row with a reason (an event such as a two-factor reset, or a password change) says it line by
    line; other changes are the differences from the version before. The admin's several rows for one
    save are shown as one.
    """
    total, versions = _versions(person, limit)
    rows: list[ChangeRow] = []
    index = 0
    while index < len(versions) and len(rows) < limit:
        newest = versions[index]
        # Walk back over the rows written by the same save.
        end = index
        while end + 1 < len(versions) and _same_save(versions[end], versions[end + 1]):
            end += 1
        before = versions[end + 1] if end + 1 < len(versions) else None
        record = newest.record
        if record.history_type == "+":
            changes = _initial(newest)
        elif record.history_change_reason:
            changes = record.history_change_reason.splitlines()
            if before is not None:
                changes = [*_differences(before, newest), *changes]
        elif record.history_type == "-":
            changes = []
        elif before is not None:
            changes = _differences(before, newest) or ["No visible change"]
        else:
            changes = []
        rows.append(
            ChangeRow(
                when=record.history_date,
                who=record.history_user,
                type={"+": "Added", "~": "Changed", "-": "Deleted"}[record.history_type],
                changes=changes,
            )
        )
        index = end + 1
    every_row_read = total <= len(versions) and index >= len(versions)
    return ChangeHistory(rows=rows, total=len(rows) if every_row_read else total, limit=limit)
