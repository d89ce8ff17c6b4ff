"""Audit grade profile and moderation agreement."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

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
