"""Reads for improvement plans: lists, the plan overview, "my actions", counts for dashboards and
the board summary. A fixed number of queries whatever the number of actions (no N+1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from inspections.history import DEFAULT_LIMIT, ChangeHistory, change_history
from readiness.plans.models import Action, ImprovementPlan, Priority, ProgressUpdate, Rag
from readiness.plans.rag import RAG_ORDER

ACTION_MILESTONE_CODE = "action_plan"


@dataclass
class RagCounts:
    on_track: int = 0
    at_risk: int = 0
    off_track: int = 0
    complete: int = 0
    overdue: int = 0

    @property
    def total(self) -> int:
        return self.on_track + self.at_risk + self.off_track + self.complete

    def as_dict(self) -> dict[str, int]:
        return {
            "on_track": self.on_track,
            "at_risk": self.at_risk,
            "off_track": self.off_track,
            "complete": self.complete,
            "overdue": self.overdue,
            "total": self.total,
        }

    def add(self, rag: str, *, overdue: bool) -> None:
        setattr(self, rag, getattr(self, rag) + 1)
        self.overdue += overdue


@dataclass
class PriorityProgress:
    priority: Priority
    counts: RagCounts = field(default_factory=RagCounts)
    actions: list[Action] = field(default_factory=list)


@dataclass
class PlanOverview:
    plan: ImprovementPlan
    priorities: list[PriorityProgress]
    totals: RagCounts
    overdue: list[Action]
    deadline: object | None  # inspections Milestone


def plan_list():
    """Every plan, newest first, with its number of priorities and actions."""
    return (
        ImprovementPlan.objects.select_related("owner", "inspection")
        .annotate(
            priority_count=Count("priorities", distinct=True),
            action_count=Count("priorities__actions", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def plan_get(*, plan_id: int) -> ImprovementPlan | None:
    return ImprovementPlan.objects.select_related("owner", "inspection").filter(pk=plan_id).first()


def plan_latest() -> ImprovementPlan | None:
    """The latest published plan, else the latest draft."""
    plans = ImprovementPlan.objects.select_related("owner", "inspection")
    return (
        plans.filter(status=ImprovementPlan.Status.PUBLISHED).order_by("-published_on", "-pk").first()
        or plans.order_by("-created_at", "-pk").first()
    )


def plan_publication_deadline(*, plan: ImprovementPlan):
    """The inspection's "action plan" milestone (70 working days from the final report), or None.

    Read from the inspections layer as it stands: never recomputed here.
    """
    if plan.inspection_id is None:
        return None
    from inspections.selectors import milestone_list_for_inspection

    milestones = milestone_list_for_inspection(inspection=plan.inspection)
    return milestones.filter(code=ACTION_MILESTONE_CODE).first()


def action_list(
    *,
    plan: ImprovementPlan | None = None,
    owner=None,
    status: str = "",
    priority: int | None = None,
    rag: str = "",
    overdue: bool = False,
    today: dt.date | None = None,
):
    """Actions with their RAG and latest update, filtered; overdue first, then by due date."""
    today = today or timezone.localdate()
    queryset = Action.objects.select_related("priority", "priority__plan", "owner").with_rag(today=today)
    if plan is not None:
        queryset = queryset.filter(priority__plan=plan)
    if owner is not None:
        queryset = queryset.filter(owner=owner)
    if status:
        queryset = queryset.filter(status=status)
    if priority:
        queryset = queryset.filter(priority_id=priority)
    if rag:
        queryset = queryset.filter(rag=rag)
    if overdue:
        queryset = queryset.overdue(today=today)
    is_overdue = Q(due_on__lt=today) & ~Q(status=Action.Status.COMPLETE)
    return queryset.annotate(
        is_overdue=Case(When(is_overdue, then=Value(True)), default=Value(False), output_field=BooleanField())
    ).order_by("-is_overdue", "due_on", "priority__order", "pk")


def action_list_mine(*, user, include_complete: bool = False, today: dt.date | None = None):
    queryset = action_list(owner=user, today=today)
    if not include_complete:
        queryset = queryset.exclude(status=Action.Status.COMPLETE)
    return queryset


def action_get(*, action_id: int, today: dt.date | None = None) -> Action | None:
    return (
        Action.objects.select_related("priority", "priority__plan", "priority__area", "owner")
        .with_rag(today=today)
        .filter(pk=action_id)
        .first()
    )


def latest_updates(*, action_ids: list[int]) -> dict[int, ProgressUpdate]:
    """The latest update of each action, in one query."""
    latest: dict[int, ProgressUpdate] = {}
    for update in ProgressUpdate.objects.filter(action_id__in=action_ids).select_related("author"):
        current = latest.get(update.action_id)
        if current is None or (update.date, update.pk) > (current.date, current.pk):
            latest[update.action_id] = update
    return latest


def plan_overview(*, plan: ImprovementPlan, today: dt.date | None = None) -> PlanOverview:
    """Priorities in order with RAG counts and their actions, and the overdue actions first."""
    today = today or timezone.localdate()
    actions = list(action_list(plan=plan, today=today))
    priorities = list(plan.priorities.select_related("area", "recommendation").order_by("order", "pk"))
    by_priority = {p.pk: PriorityProgress(priority=p) for p in priorities}
    totals = RagCounts()
    for action in actions:
        progress = by_priority[action.priority_id]
        progress.actions.append(action)
        progress.counts.add(action.rag, overdue=action.is_overdue)
        totals.add(action.rag, overdue=action.is_overdue)
    return PlanOverview(
        plan=plan,
        priorities=list(by_priority.values()),
        totals=totals,
        overdue=[a for a in actions if a.is_overdue],
        deadline=plan_publication_deadline(plan=plan),
    )


def plan_rag_counts(*, plan: ImprovementPlan, today: dt.date | None = None) -> dict:
    """Counts only (for dashboards and the board summary): per priority and in total."""
    overview = plan_overview(plan=plan, today=today)
    return {
        "priorities": [
            {"order": p.priority.order, "title": p.priority.title, **p.counts.as_dict()}
            for p in overview.priorities
        ],
        "totals": overview.totals.as_dict(),
    }


def plan_with_everything(*, plan: ImprovementPlan, today: dt.date | None = None) -> PlanOverview:
    """The overview plus each action's latest update (for the full plan report)."""
    overview = plan_overview(plan=plan, today=today)
    ids = [a.pk for p in overview.priorities for a in p.actions]
    latest = latest_updates(action_ids=ids)
    for progress in overview.priorities:
        progress.actions.sort(key=lambda a: (a.due_on, a.pk))
        for action in progress.actions:
            action.latest_update = latest.get(action.pk)
    return overview


def action_detail(*, action: Action):
    """Updates, evidence and the history of changes ("who changed what") of one action."""
    updates = list(action.updates.select_related("author"))
    evidence = list(action.evidence.select_related("added_by"))
    return {"updates": updates, "evidence": evidence, "history": action_history(action=action)}


def action_history(*, action: Action, limit: int = DEFAULT_LIMIT) -> ChangeHistory:
    """The latest changes of the action, newest first, with the fields that changed and why."""
    return change_history(action, limit=limit)


def rag_choices() -> list[tuple[str, str]]:
    return [(value, Rag(value).label) for value in RAG_ORDER]


def plan_counts_for_dashboard(*, today: dt.date | None = None) -> dict | None:
    """Totals for the latest plan (for dashboards), or None when there is no plan."""
    plan = plan_latest()
    if plan is None:
        return None
    return {"plan": plan, **plan_rag_counts(plan=plan, today=today)}


__all__ = [
    "RagCounts",
    "action_detail",
    "action_get",
    "action_list",
    "action_list_mine",
    "plan_counts_for_dashboard",
    "plan_get",
    "plan_latest",
    "plan_list",
    "plan_overview",
    "plan_publication_deadline",
    "plan_rag_counts",
    "plan_with_everything",
]


# Who may own an action or a plan: owners are sent reminders that link to the plan's pages.
ACTION_OWNER_PERMISSION = "readiness.add_progressupdate"
PLAN_OWNER_PERMISSION = "readiness.view_improvementplan"


def users_holding(permission: str, *, keep=None):
    """Active users holding `permission` (through a role, directly, or as superuser), plus `keep` (a pk)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    app_label, codename = permission.split(".")
    perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    holders = Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
    if keep:
        holders |= Q(pk=keep)
    return get_user_model().objects.filter(is_active=True).filter(holders).distinct()
