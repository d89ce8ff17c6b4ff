"""Audit grade profile and moderation agreement."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from readiness.dashboards import sources
from readiness.dashboards.selectors.common import GOOD_OR_BETTER


@dataclass
class AuditProfile:
    available: bool
    total: int = 0
    rows: list[tuple[str, str, int]] = field(default_factory=list)  # code, label, count
    good_or_better: int = 0
    moderated: int = 0
    agreed: int = 0

    @property
    def good_percent(self) -> int | None:
        return round(100 * self.good_or_better / self.total) if self.total else None

    @property
    def agreement_percent(self) -> int | None:
        return round(100 * self.agreed / self.moderated) if self.moderated else None


def audit_profile(
    *, today: dt.date, days: int = sources.LOOK_BACK_DAYS, cohort: str | None = None
) -> AuditProfile:
    """Grades of the audits submitted in the last six months (the moderated grade where there is one)."""
    try:
        from casework.models import AuditGrade, CaseAudit
    except ImportError:
        return AuditProfile(available=False)
    audits = CaseAudit.objects.filter(
        submitted_at__isnull=False, submitted_at__date__gt=today - dt.timedelta(days=days)
    )
    if cohort:
        audits = audits.filter(cohort=cohort)
    grouped = audits.values("overall_grade", "moderator_grade").annotate(
        n=Count("pk"),
        moderated=Count("pk", filter=Q(agreement__isnull=False)),
        agreed=Count("pk", filter=Q(agreement=True)),
    )
    counts: Counter[str] = Counter()
    profile = AuditProfile(available=True)
    for row in grouped:
        grade = row["moderator_grade"] or row["overall_grade"]
        counts[grade] += row["n"]
        profile.moderated += row["moderated"]
        profile.agreed += row["agreed"]
    profile.rows = [(code, label, counts[code]) for code, label in AuditGrade.choices]
    profile.total = sum(counts.values())
    profile.good_or_better = sum(counts[c] for c in GOOD_OR_BETTER)
    return profile


# The action list's view of the open actions past their due date (casework.selectors.AUDIT_ACTION_VIEWS).
OVERDUE_ACTIONS_VIEW = "overdue"
OPEN_ACTIONS_VIEW = "open"


@dataclass
class AuditActionCounts:
    """Actions for children found by case audits, counted across the council: no child is named."""

    available: bool
    open: int = 0
    overdue: int = 0
    overdue_url: str = ""
    open_url: str = ""


def audit_action_counts(*, today: dt.date) -> AuditActionCounts:
    """The open actions for children from audits, and those of them past their due date, in one query.

    Overdue means what the action list's Overdue view means: not done and due before today.
    """
    try:
        from casework.models import CaseAuditAction
    except ImportError:
        return AuditActionCounts(available=False)
    open_ = Q(done_on__isnull=True)
    totals = CaseAuditAction.objects.order_by().aggregate(
        open=Count("pk", filter=open_), overdue=Count("pk", filter=open_ & Q(due_on__lt=today))
    )
    return AuditActionCounts(
        available=True,
        open=totals["open"],
        overdue=totals["overdue"],
        overdue_url=f"{reverse('casework:audit-action-list')}?show={OVERDUE_ACTIONS_VIEW}",
        open_url=f"{reverse('casework:audit-action-list')}?show={OPEN_ACTIONS_VIEW}",
    )
