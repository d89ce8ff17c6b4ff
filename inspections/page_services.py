"""Writes behind the inspections pages that `services.py` does not have yet.

Same conventions as `services.py`: keyword-only, type-hinted, every write through a model's
`save()`/`delete()` so django-simple-history records it, `user` as the history user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from inspections.models import (
    CalendarToken,
    Concern,
    DailyNote,
    DataRequest,
    Inspection,
    Meeting,
    Recommendation,
)
from inspections.models.feeds import new_token

OnsiteEntry = DailyNote | DataRequest | Meeting | Concern

INSPECTION_IN_USE = "This inspection cannot be deleted because {what} refers to it. Remove that first."
MOVE_UP, MOVE_DOWN = "up", "down"


def _as(user: Any, obj: Any, reason: str | None = None) -> Any:
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason[:100]
    return obj


@transaction.atomic
def inspection_delete(*, inspection: Inspection, user: Any = None) -> None:
    """Delete an inspection with its judgements, recommendations and milestones; refuse if in use."""
    try:
        _as(user, inspection).delete()
    except ProtectedError as exc:
        what = sorted({obj._meta.verbose_name for obj in exc.protected_objects})
        raise ValidationError(INSPECTION_IN_USE.format(what=", ".join(what) or "another record")) from exc


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    text: str,
    area_code: str | None,
    is_priority_action: bool,
    user: Any = None,
) -> Recommendation:
    """Change a recommendation's words, area and priority flag (its place in the list stays)."""
    framework = recommendation.inspection.framework
    area = framework.areas.filter(code=area_code).first() if area_code else None
    if area_code and area is None:
        raise ValidationError({"area": f"'{area_code}' is not an area in {framework}"})
    recommendation.text = text.strip()
    recommendation.area = area
    recommendation.is_priority_action = is_priority_action
    recommendation.full_clean()
    _as(user, recommendation).save()
    return recommendation


def _renumber(inspection: Inspection, ordered: list[Recommendation], user: Any) -> None:
    """Save `ordered` as 1..n without breaking the (inspection, order) unique constraint midway."""
    top = max([r.order for r in ordered] + [0]) + 1
    moving = [r for position, r in enumerate(ordered, start=1) if r.order != position]
    for offset, recommendation in enumerate(moving):  # park out of the way first
        recommendation.order = top + offset
        _as(user, recommendation, "Reordered").save(update_fields=["order"])
    for recommendation in moving:
        recommendation.order = ordered.index(recommendation) + 1
        _as(user, recommendation, "Reordered").save(update_fields=["order"])


@transaction.atomic
def recommendation_move(*, recommendation: Recommendation, direction: str, user: Any = None) -> None:
    """Swap a recommendation with the one above (`up`) or below (`down`); the ends stay put."""
    if direction not in (MOVE_UP, MOVE_DOWN):
        raise ValidationError(f"'{direction}' is not a direction: use up or down")
    inspection = Inspection.objects.select_for_update().get(pk=recommendation.inspection_id)
    ordered = list(inspection.recommendations.order_by("order"))
    index = next(i for i, r in enumerate(ordered) if r.pk == recommendation.pk)
    other = index - 1 if direction == MOVE_UP else index + 1
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _renumber(inspection, ordered, user)


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, user: Any = None) -> None:
    """Delete a recommendation and close the gap in the numbering."""
    inspection = Inspection.objects.select_for_update().get(pk=recommendation.inspection_id)
    _as(user, recommendation).delete()
    _renumber(inspection, list(inspection.recommendations.order_by("order")), user)


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


# ---------------------------------------------------------------------------
# Calendar feed tokens
# ---------------------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, user: Any) -> CalendarToken:
    """Give `user` a new feed address; any earlier address stops working at once."""
    token = CalendarToken.objects.select_for_update().filter(user=user).first()
    if token is None:
        token = CalendarToken(user=user)
    else:
        token.token = new_token()
        token.revoked_at = None
    token.full_clean()
    _as(user, token, "New address").save()
    return token


@transaction.atomic
def calendar_token_revoke(*, user: Any) -> CalendarToken | None:
    """Stop `user`'s feed address working; return the token, or None if they had none."""
    token = CalendarToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).first()
    if token is not None:
        token.revoked_at = timezone.now()
        _as(user, token, "Revoked").save()
    return token
