"""Writes of the on-site log: daily notes, data requests, meetings and concerns."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from inspections.models import Concern, DailyNote, DataRequest, Meeting
from inspections.services._common import _as

OnsiteEntry = DailyNote | DataRequest | Meeting | Concern


# ---------------------------------------------------------------------------
# On-site log
# ---------------------------------------------------------------------------

ONSITE_FIELDS: dict[type, frozenset[str]] = {
    DailyNote: frozenset({"day", "text"}),
    DataRequest: frozenset({"what", "owner", "owner_name", "due_at", "status"}),
    Meeting: frozenset({"starts_at", "title", "kind", "who", "notes"}),
    Concern: frozenset({"raised_at", "raised_by", "summary", "child_reference", "action_taken"}),
}
UNKNOWN_ONSITE_FIELD = "'{name}' is not something a {what} records"
CLOSED_BEFORE_RAISED = "The concern cannot be closed before it was raised"
ONSITE_ENTRY_DELETED = "Deleted"  # history change reason


@transaction.atomic
def onsite_entry_save(*, entry: OnsiteEntry, data: dict[str, Any], user: Any = None) -> OnsiteEntry:
    """Create or change a daily note, data request, meeting or concern from `data`.

    `entry` is a new (unsaved) or existing row with its inspection set. Text is stripped; a new
    daily note gets `user` as its author.
    """
    allowed = ONSITE_FIELDS[type(entry)]
    unknown = sorted(set(data) - allowed)
    if unknown:
        what = type(entry)._meta.verbose_name
        raise ValidationError(UNKNOWN_ONSITE_FIELD.format(name=unknown[0], what=what), code="unknown_field")
    for name, value in data.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    if isinstance(entry, DailyNote) and entry.pk is None and user is not None and user.is_authenticated:
        entry.author = user
    entry.full_clean()
    _as(user, entry).save()
    return entry


@transaction.atomic
def onsite_entry_delete(*, entry: OnsiteEntry, user: Any = None) -> None:
    """Delete a daily note, data request, meeting or concern; its history keeps who deleted it."""
    _as(user, entry, ONSITE_ENTRY_DELETED).delete()


@transaction.atomic
def concern_close(*, concern: Concern, closed_at: dt.datetime | None = None, user: Any = None) -> Concern:
    """Close a concern now (or at `closed_at`); closing a closed one changes nothing."""
    if concern.closed_at is not None:
        return concern
    concern.closed_at = closed_at or timezone.now()
    if concern.closed_at < concern.raised_at:
        raise ValidationError({"closed_at": CLOSED_BEFORE_RAISED})
    concern.full_clean()
    _as(user, concern, "Closed").save()
    return concern


@transaction.atomic
def concern_reopen(*, concern: Concern, user: Any = None) -> Concern:
    """Open a closed concern again."""
    if concern.closed_at is None:
        return concern
    concern.closed_at = None
    _as(user, concern, "Reopened").save()
    return concern


@transaction.atomic
def data_request_close(*, data_request: DataRequest, user: Any = None) -> DataRequest:
    """Mark a data request closed (nothing more is needed)."""
    if data_request.status != DataRequest.Status.CLOSED:
        data_request.status = DataRequest.Status.CLOSED
        _as(user, data_request, "Closed").save()
    return data_request
