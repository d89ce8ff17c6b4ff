"""Writes for improvement plans. Every change goes through `Model.save()` (never `QuerySet.update`
or `bulk_*`), so django-simple-history records who changed what, and why when a reason is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from readiness.plans.models import (
    Action,
    ActionEvidence,
    ImprovementPlan,
    Priority,
    ProgressUpdate,
    Rag,
)

DUE_DATE_NEEDS_REASON = "Enter the reason for changing the due date"
OVERRIDE_NEEDS_REASON = "Enter the reason for setting the RAG status by hand"
UNKNOWN_RAG = "Select on track, at risk, off track or complete"
NO_RECOMMENDATIONS = "This inspection has no recommendations yet. Record them, then create the plan."
UNKNOWN_ACTION_FIELD = "'{name}' is not something an action records"
UPDATE_IN_FUTURE = "The date of the update must be today or in the past"
ENTER_UPDATE = "Enter what has happened since the last update"
EVIDENCE_TITLE = "Enter a title for the evidence"
ROW_NOT_IN_PLAN = "This action is not in the plan"

ACTION_FIELDS = frozenset(
    {
        "priority",
        "description",
        "owner",
        "lead_officer",
        "partner_agency",
        "start_on",
        "due_on",
        "status",
        "success_measure",
        "indicator_code",
        "indicator_target",
        "source_audit_reference",
        "rag_override",
        "rag_override_reason",
    }
)


def _as(obj, user=None, reason: str | None = None):
    """Attach the acting user (and a reason) to the next history row of `obj`."""
    if user is not None and getattr(user, "is_authenticated", False):
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    return obj


# ---------------------------------------------------------------------------
# Plans and priorities
# ---------------------------------------------------------------------------


@transaction.atomic
def plan_create(
    *, title: str, source: str = ImprovementPlan.Source.INSPECTION, inspection=None, owner=None, user=None
) -> ImprovementPlan:
    plan = ImprovementPlan(title=title.strip(), source=source, inspection=inspection, owner=owner)
    plan.full_clean()
    _as(plan, user).save()
    return plan


@transaction.atomic
def plan_create_from_inspection(*, inspection, owner=None, user=None, title: str = "") -> ImprovementPlan:
    """Create a draft plan with one priority per recommendation, linked to its judgement area."""
    recommendations = list(inspection.recommendations.select_related("area").order_by("order"))
    if not recommendations:
        raise ValidationError({"inspection": NO_RECOMMENDATIONS})
    plan = plan_create(
        title=title or f"Improvement plan: {inspection.title}",
        source=ImprovementPlan.Source.INSPECTION,
        inspection=inspection,
        owner=owner,
        user=user,
    )
    for order, recommendation in enumerate(recommendations, start=1):
        priority_create(
            plan=plan,
            order=order,
            title=recommendation.text,
            recommendation=recommendation,
            area=recommendation.area,
            user=user,
        )
    return plan


@transaction.atomic
def plan_update(*, plan: ImprovementPlan, data: Mapping[str, Any], user=None) -> ImprovementPlan:
    allowed = {"title", "source", "inspection", "owner", "status", "published_on"}
    for name, value in data.items():
        if name not in allowed:
            raise ValidationError(f"'{name}' is not something a plan records")
        setattr(plan, name, value)
    if plan.status == ImprovementPlan.Status.DRAFT:
        plan.published_on = None
    plan.full_clean()
    _as(plan, user).save()
    return plan


@transaction.atomic
def plan_delete(*, plan: ImprovementPlan, user=None) -> None:
    # Children first, one by one, so each deletion has its history row with the user.
    for priority in plan.priorities.all():
        priority_delete(priority=priority, user=user)
    _as(plan, user).delete()


@transaction.atomic
def priority_create(
    *, plan: ImprovementPlan, title: str, order: int | None = None, recommendation=None, area=None, user=None
) -> Priority:
    if order is None:
        order = (plan.priorities.aggregate(last=Max("order"))["last"] or 0) + 1
    priority = Priority(plan=plan, order=order, title=title.strip(), recommendation=recommendation, area=area)
    priority.full_clean()
    _as(priority, user).save()
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority, user=None) -> None:
    for action in priority.actions.all():
        action_delete(action=action, user=user)
    _as(priority, user).delete()


# ---------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------


def _check_override(rag: str, reason: str) -> None:
    if rag and rag not in Rag.values:
        raise ValidationError({"rag_override": UNKNOWN_RAG})
    if rag and not (reason or "").strip():
        raise ValidationError({"rag_override_reason": OVERRIDE_NEEDS_REASON})


@transaction.atomic
def action_create(*, priority: Priority, user=None, **fields: Any) -> Action:
    unknown = sorted(set(fields) - ACTION_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_ACTION_FIELD.format(name=unknown[0]))
    _check_override(fields.get("rag_override", ""), fields.get("rag_override_reason", ""))
    action = Action(priority=priority, **fields)
    action.full_clean()
    _as(action, user).save()
    return action


@transaction.atomic
def action_update(*, action: Action, data: Mapping[str, Any], user=None, due_on_reason: str = "") -> Action:
    """Change the fields in `data`. Moving the due date needs `due_on_reason`, kept in history."""
    unknown = sorted(set(data) - ACTION_FIELDS)
    if unknown:
        raise ValidationError(UNKNOWN_ACTION_FIELD.format(name=unknown[0]))
    due_moved = "due_on" in data and data["due_on"] != action.due_on
    reason = (due_on_reason or "").strip()
    if due_moved and not reason:
        raise ValidationError({"due_on_reason": DUE_DATE_NEEDS_REASON})
    for name, value in data.items():
        setattr(action, name, value)
    if not action.rag_override:
        action.rag_override_reason = ""
    _check_override(action.rag_override, action.rag_override_reason)
    action.full_clean()
    change = None
    if due_moved:
        old = Action.objects.only("due_on").get(pk=action.pk).due_on
        change = f"Due date moved from {old:%d/%m/%Y} to {action.due_on:%d/%m/%Y}: {reason}"
    _as(action, user, change).save()
    return action


@transaction.atomic
def action_delete(*, action: Action, user=None) -> None:
    for update in action.updates.all():
        _as(update, user).delete()
    for evidence in action.evidence.all():
        evidence_delete(evidence=evidence, user=user)
    _as(action, user).delete()


@transaction.atomic
def rag_override(*, action: Action, rag: str, reason: str = "", user=None) -> Action:
    """Set the RAG by hand (with a reason), or clear the override with `rag=""`."""
    _check_override(rag, reason)
    action.rag_override = rag
    action.rag_override_reason = reason.strip() if rag else ""
    action.full_clean()
    _as(action, user, reason.strip() or "RAG override cleared").save()
    return action


@dataclass(frozen=True)
class RagChange:
    """One row of the bulk RAG form: the action, the RAG to set ("" = derive it) and why."""

    action_id: int
    rag: str
    reason: str = ""


@transaction.atomic
def bulk_rag_update(*, plan: ImprovementPlan, changes: Iterable[RagChange], user=None) -> int:
    """Apply every row or none. Errors are keyed by action id: {"<id>": [messages]}.

    Each changed action is saved on its own (no `QuerySet.update`), so each has its history row.
    Return how many actions changed.
    """
    changes = list(changes)
    actions = {
        a.pk: a
        for a in Action.objects.select_for_update().filter(
            priority__plan=plan, pk__in=[c.action_id for c in changes]
        )
    }
    errors: dict[str, list[str]] = {}
    for change in changes:
        if change.action_id not in actions:
            errors[str(change.action_id)] = [ROW_NOT_IN_PLAN]
            continue
        try:
            _check_override(change.rag, change.reason)
        except ValidationError as exc:
            errors[str(change.action_id)] = exc.messages
    if errors:
        raise ValidationError(errors)
    changed = 0
    for change in changes:
        action = actions[change.action_id]
        reason = change.reason.strip() if change.rag else ""
        if action.rag_override == change.rag and action.rag_override_reason == reason:
            continue
        rag_override(action=action, rag=change.rag, reason=reason, user=user)
        changed += 1
    return changed


# ---------------------------------------------------------------------------
# Progress updates and evidence
# ---------------------------------------------------------------------------


@transaction.atomic
def progress_update_add(
    *, action: Action, text: str, rag: str, date: dt.date | None = None, user=None
) -> ProgressUpdate:
    date = date or timezone.localdate()
    errors = {}
    if not (text or "").strip():
        errors["text"] = ENTER_UPDATE
    if rag not in Rag.values:
        errors["rag"] = UNKNOWN_RAG
    if date > timezone.localdate():
        errors["date"] = UPDATE_IN_FUTURE
    if errors:
        raise ValidationError(errors)
    update = ProgressUpdate(
        action=action,
        date=date,
        text=text.strip(),
        rag=rag,
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    update.full_clean()
    _as(update, user).save()
    if rag == Rag.COMPLETE and action.status != Action.Status.COMPLETE:
        action.status = Action.Status.COMPLETE
        _as(action, user, "Marked complete in a progress update").save()
    elif rag != Rag.COMPLETE and action.status == Action.Status.NOT_STARTED:
        action.status = Action.Status.IN_PROGRESS
        _as(action, user, "Progress update added").save()
    return update


@transaction.atomic
def evidence_add(*, action: Action, title: str, url: str = "", file=None, user=None) -> ActionEvidence:
    if not (title or "").strip():
        raise ValidationError({"title": EVIDENCE_TITLE})
    evidence = ActionEvidence(
        action=action,
        title=title.strip(),
        url=(url or "").strip(),
        added_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if file is not None:
        evidence.original_name = (getattr(file, "name", "") or "")[-200:]
        evidence.file = file
    evidence.full_clean()
    _as(evidence, user).save()
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: ActionEvidence, user=None) -> None:
    name = evidence.file.name if evidence.file else ""
    _as(evidence, user).delete()
    if name:
        transaction.on_commit(lambda: evidence.file.storage.delete(name))
