"""Actions needing attention (from improvement plans)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from readiness.dashboards.selectors.deadlines import working_days_from


@dataclass
class ActionsAttention:
    available: bool
    overdue: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    limit: int = 0


def actions_attention(*, today: dt.date, limit: int = 10) -> ActionsAttention:
    """Overdue actions, then at-risk or off-track ones (at most `limit` of each), in two small queries.

    Only open actions are read (a plan's tens or hundreds, never child rows), with their updates'
    dates and RAGs; the RAG is then derived in Python by the plans' own rule
    (`readiness.plans.rag.derive_rag`, tested against its database expression) with the day's cached
    "due soon" date, so neither the correlated subqueries nor a calendar query run per request.
    """
    try:
        from readiness.plans.models import Action, ProgressUpdate, Rag
        from readiness.plans.rag import SOON_WORKING_DAYS, derive_rag, effective_rag
    except ImportError:
        return ActionsAttention(available=False)
    soon = working_days_from(today, SOON_WORKING_DAYS)
    actions = list(
        Action.objects.exclude(status=Action.Status.COMPLETE)
        .select_related("owner", "priority")
        .order_by("due_on", "priority__order", "pk")
    )
    latest: dict[int, tuple[dt.date, str]] = {}
    for action_id, date, rag in (
        ProgressUpdate.objects.exclude(action__status=Action.Status.COMPLETE)
        .order_by("action_id", "date", "pk")
        .values_list("action_id", "date", "rag")
    ):
        latest[action_id] = (date, rag)  # the latest wins
    overdue, at_risk = [], []
    for action in actions:
        update_on, update_rag = latest.get(action.pk, (None, ""))
        last_activity = update_on or action.start_on or timezone.localtime(action.created_at).date()
        derived = derive_rag(
            status=action.status,
            due_on=action.due_on,
            last_activity_on=last_activity,
            latest_update_rag=update_rag,
            today=today,
            soon=soon,
        )
        action.rag = effective_rag(override=action.rag_override, derived=derived)
        action.is_overdue = action.due_on < today
        if action.is_overdue:
            overdue.append(action)
        elif action.rag in (Rag.AT_RISK, Rag.OFF_TRACK):
            at_risk.append(action)
    return ActionsAttention(available=True, overdue=overdue[:limit], at_risk=at_risk[:limit], limit=limit)
