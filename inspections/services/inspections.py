"""Writes of inspections, their recommendations and judgements.

Every write goes through a model's `save()` so that django-simple-history records it (see
`_common`). Milestones are recomputed on commit when a date they hang on or a grade a rule
depends on changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from inspections import framework_files
from inspections.framework_files import Problem
from inspections.framework_sync import framework_definition
from inspections.models import Framework, Inspection, Judgement, Recommendation
from inspections.models.inspections import ANCHOR_DATE_FIELDS
from inspections.services._common import User, _as, _enqueue_recompute

UNKNOWN_FRAMEWORK = "There is no framework with the code '{code}'. Known frameworks: {known}."
RATIONALE_WITHOUT_GRADE = "Give '{area}' a grade before recording why"
FRAMEWORK_HAS_JUDGEMENTS = "The framework cannot change once judgements are recorded; remove them first"
UNKNOWN_INSPECTION_FIELD = "'{name}' is not something an inspection records"
INSPECTION_IN_USE = "This inspection cannot be deleted because {what} refers to it. Remove that first."
MOVE_UP, MOVE_DOWN = "up", "down"

_EDITABLE_FIELDS = frozenset({"framework", "kind", "title", "lead_inspector", "notes", *ANCHOR_DATE_FIELDS})


# ---------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------


@transaction.atomic
def inspection_create(*, user: User | None = None, **fields: Any) -> Inspection:
    """Create an inspection from `fields` (framework, kind, title, dates...); refuse bad dates."""
    unknown = sorted(set(fields) - _EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_INSPECTION_FIELD.format(name=unknown[0]), code="unknown_field")
    inspection = Inspection(**fields)
    inspection.full_clean()
    _as(user, inspection).save()
    if any(getattr(inspection, name) for name in ANCHOR_DATE_FIELDS):
        _enqueue_recompute(inspection.id)
    return inspection


@transaction.atomic
def inspection_update(
    *, inspection: Inspection, data: Mapping[str, Any], user: User | None = None
) -> Inspection:
    """Change the fields in `data`; recompute milestones on commit when a date moved."""
    unknown = sorted(set(data) - _EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_INSPECTION_FIELD.format(name=unknown[0]), code="unknown_field")
    changed = {
        name
        for name, value in data.items()
        if getattr(inspection, "framework_id" if name == "framework" else name)
        != (value.pk if name == "framework" and value is not None else value)
    }
    if not changed:
        return inspection
    if "framework" in changed and inspection.judgements.exists():
        raise ValidationError({"framework": FRAMEWORK_HAS_JUDGEMENTS})
    for name in changed:
        setattr(inspection, name, data[name])
    inspection.full_clean()
    _as(user, inspection).save()
    if changed & {*ANCHOR_DATE_FIELDS, "framework"}:
        _enqueue_recompute(inspection.id)
    return inspection


@transaction.atomic
def recommendation_create(
    *,
    inspection: Inspection,
    text: str,
    order: int | None = None,
    area_code: str | None = None,
    is_priority_action: bool = False,
    user: User | None = None,
) -> Recommendation:
    """Add a recommendation (or area for priority action), numbered after the last by default."""
    if order is None:
        last = inspection.recommendations.order_by("-order").first()
        order = last.order + 1 if last else 1
    area = inspection.framework.areas.filter(code=area_code).first() if area_code else None
    if area_code and area is None:
        raise ValidationError({"area": f"'{area_code}' is not an area in {inspection.framework}"})
    recommendation = Recommendation(
        inspection=inspection,
        order=order,
        text=text.strip(),
        area=area,
        is_priority_action=is_priority_action,
    )
    recommendation.full_clean()
    _as(user, recommendation).save()
    return recommendation


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
# Judgements
# ---------------------------------------------------------------------------


def judgements_validate(*, framework_code: str, grades: Mapping[str, str | None]) -> list[Problem]:
    """Check `{area code: grade code}` against a framework; return the problems (empty when valid).

    Each `Problem` has `level` ("error" refuses the set, "warning" is for display), `area` and
    `message`. Areas mapped to None or "" count as not graded yet.
    """
    framework = Framework.objects.select_related("grade_scale").filter(code=framework_code).first()
    if framework is None:
        known = ", ".join(Framework.objects.order_by("code").values_list("code", flat=True)) or "none loaded"
        return [Problem("error", None, UNKNOWN_FRAMEWORK.format(code=framework_code, known=known))]
    return framework_files.judgements_check(framework_definition(framework), grades)


@transaction.atomic
def judgements_record(
    *,
    inspection: Inspection,
    grades: Mapping[str, str | None],
    rationale: Mapping[str, str] | None = None,
    user: User | None = None,
) -> list[Problem]:
    """Record grades for an inspection's judgement areas; return the warnings (also saved on it).

    `grades` maps area codes to grade codes; None or "" removes that judgement. Areas not named
    keep their judgements, and the whole resulting set is checked, so the SIF limiting rule
    cannot be dodged by entering overall effectiveness on its own. Raise ValidationError listing
    every error, and save nothing, when the set breaks a rule or names an unknown area or grade.
    """
    inspection = Inspection.objects.select_for_update().select_related("framework").get(pk=inspection.pk)
    framework = inspection.framework
    rationale = dict(rationale or {})
    merged = {**inspection.grades(), **grades}
    problems = judgements_validate(framework_code=framework.code, grades=merged)
    errors = [p.message for p in problems if p.level == "error"]
    for code in rationale:
        if not merged.get(code):
            errors.append(RATIONALE_WITHOUT_GRADE.format(area=code))
    if errors:
        raise ValidationError([ValidationError(message, code="judgement") for message in errors])

    areas = {a.code: a for a in framework.areas.all()}
    scale_grades = {g.code: g for g in framework.grade_scale.grades.all()} if framework.grade_scale else {}
    existing = {j.area.code: j for j in inspection.judgements.select_related("area", "grade")}
    grades_changed = False
    for code in dict.fromkeys([*grades, *rationale]):
        judgement = existing.get(code)
        grade_code = merged.get(code)
        if not grade_code:
            if judgement is not None:
                _as(user, judgement).delete()
                grades_changed = True
            continue
        if judgement is None:
            judgement = Judgement(inspection=inspection, area=areas[code], grade=scale_grades[grade_code])
            grades_changed = True
        elif judgement.grade.code != grade_code:
            judgement.grade = scale_grades[grade_code]
            grades_changed = True
        elif code not in rationale or judgement.rationale == rationale[code].strip():
            continue
        if code in rationale:
            judgement.rationale = rationale[code].strip()
        judgement.full_clean()
        _as(user, judgement).save()

    warnings = [p for p in problems if p.level == "warning"]
    stored = [{"area": p.area, "message": p.message} for p in warnings]
    if inspection.judgement_warnings != stored:
        inspection.judgement_warnings = stored
        _as(user, inspection).save(update_fields=["judgement_warnings", "updated_at"])
    if grades_changed and framework.milestone_rules.filter(applies_if__isnull=False).exists():
        _enqueue_recompute(inspection.id)  # e.g. the re-inspection window after an inadequate
    return warnings
