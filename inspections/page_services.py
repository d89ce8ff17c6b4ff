"""Writes behind the inspections pages that `services.py` does not have yet.

Same conventions as `services.py`: keyword-only, type-hinted, every write through a model's
`save()`/`delete()` so django-simple-history records it, `user` as the history user.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from inspections.models import Inspection, Recommendation

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
